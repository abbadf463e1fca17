"""Simulated patients: a scripted person who talks to the real assistant from a case's facts.

The cases (tests/data/patients.yml) were written from published case descriptions by
someone who never saw the code. A ``ScriptedPatient`` says the case's opening, then
answers whatever the assistant asks from the case's facts, in the case's own words,
as a person would: it retypes the plainer version when the same question comes back,
and it plays the case's behaviours (a bare "yes", "yes, ..." with detail, "not sure",
a slip corrected later, an off-topic question, goodbye half-way).

What was asked is read the way a widget would know it: the form's ``requested_slot``
while the interview runs, else the last ``utter_ask_<question>`` of the turn. Nothing
here knows how the assistant understands an answer.

``check_summary`` reads the "You told me: ..." message back against the facts, with
the content lexicon's phrases as the only shared vocabulary.
"""

from __future__ import annotations

import re
import uuid
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

import yaml

ROOT = Path(__file__).resolve().parents[2]
CASES_FILE = ROOT / "tests" / "data" / "patients.yml"
CONSULT = "utter_consult_professional"
FORM = "symptom_form"
LEVELS = ("routine", "urgent", "emergency")
# The longest conversation a person would put up with before giving up.
MAX_MESSAGES = 30
MAX_ASKS = 3  # the first time and two re-asks

# Interview question (a form slot, or the <question> of utter_ask_<question>) -> fact.
QUESTION_FACTS: Dict[str, str] = {
    "pain_location": "location",
    "pain_spreads": "spread",
    "nerve_symptoms": "nerve",
    "screen_cauda_equina": "cauda_equina",
    "screen_weakness_progression": "weakness_progression",
    "aggravating_factors": "worse",
    "easing_factors": "better",
    "pain_onset": "onset",
    "screen_major_trauma": "trauma",
    "pain_duration": "duration",
    "pain_severity": "severity",
    "age": "age",
    "screen_systemic": "systemic",
}
# The screen's targeted questions (concepts.yml `checks`) and the fact that answers each.
CHECK_FACTS: Dict[str, str] = {
    "bladder_bowel": "cauda_equina",
    "saddle": "cauda_equina",
    "fever": "systemic",
    "cancer": "systemic",
    "weight_loss": "systemic",
    "fall_blow": "trauma",
}
# Questions that can ask for a second fact too, and the words that show they do:
# A question that asks for a second fact as well, by these words, is answered with both. The
# onset question no longer does ("How did it start?"; "How long have you had it?" is its own).
SECOND_FACTS: Dict[str, Tuple[str, Tuple[str, ...]]] = {
    "pain_onset": ("pain_duration", ("when", "how long")),
}
# What a person says when asked about something the case says they do not have.
NERVE_SYMPTOMS = ("numbness", "tingling", "weakness")
NULL_ANSWERS = {
    "weakness_progression": "i don't have any weakness",
    "better": "nothing eases it",
}


@dataclass(frozen=True)
class Case:
    id: str
    source: str
    opening: str
    facts: Dict[str, Optional[Dict[str, str]]]
    behaviour: Tuple[str, ...]
    expect_triage: str
    expect_causes: Tuple[str, ...]
    not_sure: Tuple[str, ...] = ()
    correction: Optional[Dict[str, str]] = None
    off_topic: Optional[str] = None
    goodbye: Optional[str] = None
    must_not_say: Tuple[str, ...] = ()  # phrases no summary of this case may contain (held-out cases)

    @property
    def ends_early(self) -> bool:
        return "goodbye_halfway" in self.behaviour


def load_cases(path: Path = CASES_FILE) -> List[Case]:
    """The cases of ``path``: tests/data/patients.yml, or a held-out file (tests/data/heldout/)."""
    cases = []
    for entry in yaml.safe_load(path.read_text())["patients"]:
        cases.append(
            Case(
                id=entry["id"],
                source=entry["source"],
                opening=entry["opening"],
                facts=entry["facts"],
                behaviour=tuple(entry.get("behaviour") or ()),
                expect_triage=entry["expect"]["triage"],
                expect_causes=tuple(entry["expect"].get("causes_any") or ()),
                not_sure=tuple(entry.get("not_sure") or ()),
                correction=entry.get("correction"),
                off_topic=entry.get("off_topic"),
                goodbye=entry.get("goodbye"),
                must_not_say=tuple(entry["expect"].get("must_not_say") or ()),
            )
        )
    return cases


# --------------------------------------------------------------------------- the patient
@dataclass
class Turn:
    user: str
    bot: List[Tuple[Optional[str], str]]  # (response name or None, text)
    question: Optional[str]  # what the assistant is waiting for after this turn


@dataclass
class Outcome:
    case: Case
    turns: List[Turn] = field(default_factory=list)
    slots: Dict[str, Any] = field(default_factory=dict)
    asked: Counter = field(default_factory=Counter)  # question -> times asked
    unmapped: List[str] = field(default_factory=list)  # questions the facts cannot answer
    gave_up: bool = False  # the person left a conversation that did not end

    @property
    def triage(self) -> str:
        return self.slots.get("triage_level") or "routine"

    @property
    def causes(self) -> List[str]:
        return list(self.slots.get("possible_causes") or [])

    @property
    def questions(self) -> int:
        """Distinct questions asked (a question asked again is counted in ``asks``)."""
        return len(self.asked)

    @property
    def asks(self) -> int:
        return sum(self.asked.values())

    @property
    def last_response(self) -> Optional[str]:
        """The last response before the offers made after a result (bot/offers.py)."""
        from tests.conftest import without_offers

        for turn in reversed(self.turns):
            names = without_offers([name for name, _ in turn.bot])
            if names:
                return names[-1]
        return None

    @property
    def summary(self) -> Optional[str]:
        texts = [text for turn in self.turns for _, text in turn.bot if text.startswith("You told me")]
        return texts[-1] if texts else None

    def transcript(self, limit: int = 4000) -> str:
        lines = []
        for turn in self.turns:
            lines.append(f"  > {turn.user}")
            lines.extend(
                f"    {name or 'text'}: {text if text.startswith('You told me') else text[:110]!r}"
                for name, text in turn.bot
            )
        return "\n".join(lines)[-limit:]


def _question_of(response: Optional[str]) -> Optional[str]:
    """utter_ask_<question>[_<variant>] -> <question>, for the questions the facts know."""
    if not response or not response.startswith("utter_ask_"):
        return None
    name = response[len("utter_ask_") :]
    for question in sorted(QUESTION_FACTS, key=len, reverse=True):
        if name == question or name.startswith(question + "_"):
            return question
    return name


class ScriptedPatient:
    def __init__(self, case: Case):
        self.case = case
        self.answers: Counter = Counter()  # question -> times this person answered it
        self.answered: List[str] = []  # questions answered, in order
        self.corrected = case.correction is None
        self.slipped_at: Optional[int] = None  # len(answered) when the slip was made
        self.asked_off_topic = case.off_topic is None
        self.said_goodbye = False
        self.accepted_offer = False

    def _fact(self, name: str) -> Optional[Dict[str, str]]:
        return self.case.facts.get(name)

    def answer(self, question: str, wording: str = "") -> Optional[str]:
        """The reply to ``question`` (asked in ``wording``); None when the facts cannot answer it."""
        fact_name = QUESTION_FACTS.get(question)
        if fact_name is None:
            return None
        reply = self._answer(question, fact_name)
        second, cues = SECOND_FACTS.get(question, ("", ()))
        if second and self.answers[question] == 1 and any(c in wording.lower() for c in cues):
            extra = self._answer(second, QUESTION_FACTS[second]) if not self.answers[second] else None
            if extra and extra != "no":
                reply = f"{reply}. {extra}" if reply else extra
        return reply

    def _answer(self, question: str, fact_name: str) -> Optional[str]:
        fact = self._fact(fact_name)
        attempt = self.answers[question]
        self.answers[question] += 1
        self.answered.append(question)
        if fact is None:
            return NULL_ANSWERS.get(fact_name, "no")
        if fact_name == "nerve" and "bare_yes" in self.case.behaviour:
            return ["yes", fact["say"]][attempt] if attempt < 2 else fact["plain"]
        correction = self.case.correction
        if correction and correction["fact"] == fact_name and attempt == 0 and not self.corrected:
            self.slipped_at = len(self.answered)
            return correction["first_say"]
        return fact["say"] if attempt == 0 else fact["plain"]

    def check_answer(self, check: str) -> str:
        """The answer to one of the screen's targeted questions (Yes / No / Not sure), from
        the facts that speak to it; "no" where the case says nothing of it."""
        fact = self._fact(CHECK_FACTS.get(check, ""))
        if check == "both_legs":
            words = " ".join(f"{f['say']} {f['plain']}" for f in self.case.facts.values() if f).lower()
            return "yes" if "both" in words else "no"
        if not fact:
            return "no"
        plain = fact["plain"].lower().strip()
        if plain.startswith(("not sure", "dunno", "don't know")):
            return "not sure"
        return "no" if plain.startswith(("no", "none", "nope", "nah")) else "yes"

    def interjection(self, questions_so_far: int) -> Optional[str]:
        """Something the person says before answering the open question, if it is time."""
        case = self.case
        if not self.corrected and self.slipped_at is not None and len(self.answered) >= self.slipped_at:
            self.corrected = True
            return case.correction["say"] if case.correction else None
        if not self.asked_off_topic and len(self.answered) >= 3:
            self.asked_off_topic = True
            return case.off_topic
        if case.ends_early and not self.said_goodbye and len(self.answered) >= 4:
            self.said_goodbye = True
            # A case that says it leaves halfway without its words (set 10) still leaves.
            return case.goodbye or "sorry got to go, bye"
        return None


async def run_case(agent, case: Case) -> Outcome:
    """The whole conversation of one case with the in-process assistant."""
    from rasa.shared.core.events import BotUttered, UserUttered

    sender = f"patient-{case.id}-{uuid.uuid4().hex[:6]}"
    patient = ScriptedPatient(case)
    outcome = Outcome(case)

    async def say(text: str) -> Optional[str]:
        await agent.handle_text(text, sender_id=sender)
        tracker = await agent.tracker_store.retrieve(sender)
        events = list(tracker.events)
        last_user = max(i for i, e in enumerate(events) if isinstance(e, UserUttered))
        bot = [
            (e.metadata.get("utter_action"), e.text or "") for e in events[last_user + 1 :] if isinstance(e, BotUttered)
        ]
        slots = tracker.current_slot_values()
        question = None
        if tracker.active_loop_name == FORM and slots.get("requested_slot"):
            question = slots["requested_slot"]
        else:
            asks = [_question_of(name) for name, _ in bot if _question_of(name)]
            question = asks[-1] if asks else None
        for name, _ in bot:
            asked = _question_of(name)
            if asked:
                outcome.asked[asked] += 1
        outcome.turns.append(Turn(text, bot, question))
        outcome.slots = slots
        return question

    question = await say(case.opening)
    while len(outcome.turns) < MAX_MESSAGES:
        last = outcome.turns[-1]
        if patient.said_goodbye:
            break
        pending = str(outcome.slots.get("pending_question") or "")
        if pending.startswith("check:") and last.bot and last.bot[-1][0] == "utter_safety_check":
            # A person answers the safety question they were just asked first.
            question = await say(patient.check_answer(pending[len("check:") :].split("|")[0]))
            continue
        if question is None:
            # The offer of the questions is taken; the offers after a result end the conversation.
            offered = any(name == "utter_offer_interview" for name, _ in last.bot)
            if offered and not patient.accepted_offer:
                patient.accepted_offer = True
                question = await say("yes")
                continue
            break
        extra = patient.interjection(len(outcome.asked))
        if extra:
            question = await say(extra)
            continue
        if patient.answers[question] > MAX_ASKS:
            outcome.gave_up = True  # nobody types the same answer a fifth time
            break
        wording = " ".join(text for name, text in last.bot if _question_of(name) == question)
        reply = patient.answer(question, wording)
        if reply is None:
            outcome.unmapped.append(question)
            reply = "not sure"
        question = await say(reply)
    else:
        outcome.gave_up = True
    return outcome


# --------------------------------------------------------------------------- the summary
def _norm(text: str) -> str:
    return " " + re.sub(r"[^a-z0-9/ ]+", " ", text.lower().replace("'", "")).strip() + " "


@lru_cache(maxsize=1)
def _lemma_table() -> Any:
    # spaCy's lookup lemmas (spacy-lookups-data), read here on their own: the check must not
    # borrow the assistant's reader, or a misreading would look like support.
    from spacy.lookups import load_lookups

    return load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")


def _lemmas(normal: str) -> str:
    table = _lemma_table()
    return " " + " ".join(str(table.get(word, word)) for word in normal.split()) + " "


def _mentions(text: str, phrases: Sequence[str]) -> bool:
    """A phrase said as it is written, or in another form of its words ("aches" for "aching")."""
    normal = re.sub(r"\s+", " ", _norm(text))
    lemmas = _lemmas(normal)
    if any(_alternatives(p).search(normal) for p in phrases if "(" in p):
        return True  # "(just |)(under|below) (my|the) ribs", as the lexicon writes choices
    return any(f" {_norm(p).strip()} " in normal or _lemmas(_norm(p)) in lemmas for p in phrases if _norm(p).strip())


def _alternatives(phrase: str) -> "re.Pattern[str]":
    """A lexicon phrase with choices ("(under|below) (my|the) ribs") as a pattern."""
    pattern = re.sub(
        r"\(", "(?:", re.escape(phrase.lower()).replace(r"\(", "(").replace(r"\)", ")").replace(r"\|", "|")
    )
    return re.compile(r"(?<![a-z])" + pattern.replace(r"\ ", " ") + r"(?![a-z])")


NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "half": 0.5}
UNIT_DAYS = {"minute": 1 / 1440, "hour": 1 / 24, "day": 1, "week": 7, "month": 30, "year": 365}


def fact_days(text: str) -> Optional[float]:
    """Days in a plain duration ("4 days", "1 week", "today", "18 months")."""
    text = text.lower()
    if text.strip() in ("today", "this morning"):
        return 0.5
    match = re.search(r"(\d+(?:\.\d+)?|a|an|one|two|three|four|five|half)\s*(minute|hour|day|week|month|year)s?", text)
    if not match:
        return None
    amount = NUMBER_WORDS.get(match.group(1))
    return (amount if amount is not None else float(match.group(1))) * UNIT_DAYS[match.group(2)]


def summary_days(text: str) -> Optional[float]:
    if "less than a day" in text:
        return 0.5
    return fact_days(text)


@dataclass
class SummaryCheck:
    contradictions: List[str] = field(default_factory=list)  # statements the facts contradict
    unsupported: List[str] = field(default_factory=list)  # statements nothing the person said supports

    @property
    def faithful(self) -> bool:
        return not self.contradictions


def _is_no(fact: Optional[Dict[str, str]]) -> bool:
    """The person said no (or "nothing ..."), in either version of the fact."""
    if fact is None:
        return True
    said = [fact["plain"].strip().lower(), fact["say"].strip().lower()]
    return any(t in ("no", "nothing", "nope", "nah") or t.startswith(NO_STARTS) for t in said)


NO_STARTS = ("no ", "no,", "no.", "nope", "nah", "nothing ", "nothing,", "not now", "not really")


class SummaryReader:
    """Reads each statement of "You told me: a; b; c." against the facts and the messages sent.

    Contradictions: a "no" the person never said (including "not sure" turned into "no"),
    a claim about something they were not sure of or denied, what eases named as making
    it worse (or the reverse), numbers that differ, a side they did not say.
    Unsupported: a finding that none of their words names (lexicon phrases).
    """

    def __init__(self, case: Case, said: Sequence[str]):
        from bot.content import get_content

        self.case = case
        self.facts = case.facts
        self.everything = " ".join(said)
        self.truth = " ".join([case.opening] + [t for f in self.facts.values() if f for t in (f["say"], f["plain"])])
        self.by_label: Dict[str, List[Any]] = {}
        for finding in get_content().findings.values():
            self.by_label.setdefault(finding.label.lower(), []).append(finding)
        self.result = SummaryCheck()

    # -- helpers ---------------------------------------------------------------
    def bad(self, statement: str, why: str) -> None:
        self.result.contradictions.append(f"{statement!r}: {why}")

    def said(self, name: str) -> str:
        fact = self.facts.get(name)
        return repr(fact["say"]) if fact else "nothing"

    def texts(self, name: str) -> str:
        fact = self.facts.get(name)
        return f"{fact['say']} {fact['plain']}" if fact else ""

    def unsure(self, name: str) -> bool:
        return name in self.case.not_sure

    def labels_in(self, fragment: str) -> List[Any]:
        """Lexicon findings whose label appears in a statement fragment."""
        found: List[Any] = []
        for label in sorted(self.by_label, key=len, reverse=True):
            if label and label in fragment.lower() and not any(label in f.label.lower() for f in found):
                found.extend(self.by_label[label])
        return found

    # -- statements ------------------------------------------------------------
    def read(self, summary: str) -> SummaryCheck:
        body = summary.split(":", 1)[1] if ":" in summary else summary
        body = body.split(". You can show", 1)[0]
        for statement in (s.strip().rstrip(".") for s in body.split(";")):
            if statement:
                self.statement(statement)
        return self.result

    def statement(self, statement: str) -> None:
        lowered = statement.lower()
        if lowered.startswith("not sure") or "\u201c" in statement:
            return None  # what the person could not say, or their own words quoted
        negations = {
            "no numbness": "nerve",
            "it does not spread": "spread",
            "nothing in particular makes it worse": "worse",
            "nothing makes it worse": "worse",
            "nothing much eases it": "better",
        }
        for start, fact in negations.items():
            if lowered.startswith(start):
                return self.negation(statement, fact)
        if lowered.startswith("it spreads"):
            if self.unsure("spread") or _is_no(self.facts.get("spread")):
                self.bad(statement, f"the person said {self.said('spread')}")
            return None
        if lowered.startswith(("worse with", "easier with")):
            return self.activities(statement, worse=lowered.startswith("worse with"))
        if lowered.startswith("for "):
            return self.duration(statement)
        number = re.match(r"(pain|age) (\d+(?:\.\d+)?)", lowered)
        if number:
            return self.number(statement, number.group(1), float(number.group(2)))
        if lowered.startswith(("it started", "it came on")) and self.unsure("onset"):
            for finding in self.labels_in(statement.replace("started ", "")):
                if not _mentions(self.everything, finding.phrases):
                    self.bad(statement, "the person was not sure how it started")
            return None
        if lowered.startswith("pain in your"):
            self.sides(statement)
        return self.findings(statement)

    def negation(self, statement: str, fact: str) -> None:
        if self.unsure(fact):
            self.bad(statement, f"the person was not sure ({self.said(fact)})")
        elif not _is_no(self.facts.get(fact)):
            self.bad(statement, f"the person said {self.said(fact)}")

    def activities(self, statement: str, worse: bool) -> None:
        own, other = ("worse", "better") if worse else ("better", "worse")
        for finding in self.labels_in(statement.split(" with ", 1)[1]):
            in_own = _mentions(self.texts(own), finding.phrases)
            if _mentions(self.texts(other), finding.phrases) and not in_own:
                self.bad(statement, f"{finding.label!r} is what the person said {'eases' if worse else 'worsens'} it")
            elif not _mentions(self.everything, finding.phrases):
                self.result.unsupported.append(f"{statement!r}: {finding.label!r}")

    def duration(self, statement: str) -> None:
        days, fact = summary_days(statement.lower()), self.facts.get("duration")
        if self.unsure("duration"):
            self.bad(statement, "the person was not sure how long")
        elif days is not None and fact is not None:
            expected = fact_days(fact["plain"])
            if expected and not expected / 2 <= days <= expected * 2:
                self.bad(statement, f"the person said {self.said('duration')}")

    def number(self, statement: str, what: str, value: float) -> None:
        fact_name, tolerance = ("severity", 1.0) if what == "pain" else ("age", 0.0)
        fact = self.facts.get(fact_name)
        if self.unsure(fact_name):
            self.bad(statement, f"the person was not sure ({self.said(fact_name)})")
        elif fact and re.fullmatch(r"\d+", fact["plain"].strip()) and abs(value - float(fact["plain"])) > tolerance:
            self.bad(statement, f"the person said {self.said(fact_name)}")

    def sides(self, statement: str) -> None:
        slip = (self.case.correction or {}).get("first_say", "")
        for side in ("left", "right"):
            if f"{side} side" in statement.lower() and not re.search(rf"\b{side}\b", self.truth.lower()):
                where = f" (a slip corrected later: {slip!r})" if side in slip.lower() else ""
                self.bad(statement, f"the person never said {side}{where}")

    def findings(self, statement: str) -> None:
        for finding in self.labels_in(statement):
            if finding.kind == "side" or _mentions(self.everything, finding.phrases):
                continue
            if finding.id == "fever_measured" and _temperature_said(self.everything):
                continue  # "38.9 this morning": read from the number, not from a phrase
            if finding.id in NERVE_SYMPTOMS and (self.unsure("nerve") or _is_no(self.facts.get("nerve"))):
                self.bad(statement, f"the person said {self.said('nerve')}")
            else:
                self.result.unsupported.append(f"{statement!r}: {finding.label!r}")


def _temperature_said(text: str) -> bool:
    """A temperature of 38 C (100.4 F) or more among the person's words."""
    for number in re.findall(r"\b(\d{2,3}(?:\.\d)?)\b", text or ""):
        value = float(number)
        if 38 <= value <= 43 or 100.4 <= value <= 110:
            return True
    return False


def check_summary(case: Case, summary: str, said: Sequence[str]) -> SummaryCheck:
    """``said``: every message the person sent."""
    return SummaryReader(case, said).read(summary)


def level_at_least(level: str, expected: str) -> bool:
    return LEVELS.index(level) >= LEVELS.index(expected)
