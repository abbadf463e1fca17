"""The red-flag decision, in one place: what a message raises given the conversation so
far, what the level becomes, and what to say about it.

Everything else (the Rasa policy in addons/safety.py, the NLU component, the tests and
benchmarks/safety_table.py) asks this module; nothing else decides about red flags.

A message's findings count by their context (bot/nlp/negation.py):
- present or uncertain: screened (for red flags we err on the side of safety);
- historical ("for years"): not escalated at once; the person is asked whether it is new
  or has changed, and a "yes" escalates;
- hypothetical (a general question): answered elsewhere, plus conditional advice and
  "Is this happening to you now?", where a "yes" escalates;
- absent or someone else's: ignored.
The level only moves up within a conversation, and flags are never removed.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Set, Tuple

from bot import triage
from bot.content import get_content
from bot.content.loader import RedFlag
from bot.contract import (
    AFFIRM,
    DENY,
    DONT_KNOW,
    EMERGENCY,
    GOODBYE,
    NEW_RED_FLAGS,
    NO,
    PENDING_QUESTION,
    PENDING_RED_FLAGS,
    RED_FLAGS,
    REPORTED_FINDINGS,
    ROUTINE,
    SAFETY_CHECKS,
    SCREEN_CAUDA_EQUINA,
    SCREEN_SYSTEMIC,
    SCREENING_SLOTS,
    STOP,
    SYMPTOM_SIDES,
    THANK,
    TRIAGE_LEVEL,
    UNKNOWN,
    URGENT,
)
from bot.nlp import ABSENT, HISTORICAL, HYPOTHETICAL, OTHER, PRESENT, UNCERTAIN, Analysis, Mention, net
from bot.settings import get_settings

# A red-flag finding counts when the person says they have it or might have it.
SCREENED_STATUSES = (PRESENT, UNCERTAIN)
CRISIS = "crisis"
# The questions the screen itself asks: whether a long-standing symptom is new, whether a
# general question is about the person now, and the targeted checks (concepts.yml).
NEW_OR_CHANGED = "new_or_changed"
HAPPENING_NOW = "happening_now"
CHECK_PREFIX = "check:"
# The net reads descriptions, not the short answers of the interview.
NET_MIN_WORDS = 5
# Messages that end or close a topic: a goodbye or a stop is answered as one.
CLOSING_INTENTS = frozenset({GOODBYE, STOP, THANK})
# The concept of asking to wait or whether help is really needed (concepts.yml).
DELAY_CONCEPT = "delay_care"
DRIVE_CONCEPT = "drive_myself"
# What the rules read that makes a net suspicion a misreading: "I want to take this to my GP"
# is not "want to take" tablets (usability review 5); stinging and going often is a water
# infection's, asked about already (set 6).
NET_VETOES = {"suicidal": "handing_on", "bladder_bowel": "urine_infection_words"}
RESUME_SEPARATOR = "|"
UNSURE = "unsure"

# Age bands the rules use, derived from a number ("I'm 67").
AGE_OVER_50, AGE_UNDER_20 = "age_over_50", "age_under_20"
# Leg symptoms whose side is remembered, so that "now the left one too" after a right
# leg symptom counts as both legs.
LEG_SYMPTOMS = frozenset({"numbness", "tingling", "weakness", "pain_spreading", "foot_drop", "worsening_weakness"})
LEG_PLACES = frozenset({"leg", "thigh", "calf", "foot", "knee", "below_knee"})
SIDES = {"left_side": "left", "right_side": "right"}
ADDITIVE = re.compile(r"\b(too|as well|also|either|both|other (one|leg|foot|side)|the other)\b")
OTHER_LEG = re.compile(r"\b(the|my) other (one|leg|foot|side)\b")
ONE = re.compile(r"\b(one|ones)\b")
# Answers to "is it new or has it changed?" and "is this happening to you now?".
SAME = re.compile(
    r"\b(same|no change|not changed|hasn'?t changed|nothing new|nothing different|as (always|usual|normal)|"
    r"the usual|normal for me|as it'?s (always )?been|not new|no,? it'?s not|unchanged)\b"
)
CHANGED = re.compile(r"\b(yes|yeah|yep|changed|different|worse|new|since|started|now|more)\b")
NOT_NOW = re.compile(r"^\s*(no|nope|nah|not now|not at the moment|not really)\b")
NOT_SURE = re.compile(
    r"\b(not sure|unsure|dunno|don'?t know|do not know|no idea|maybe|possibly|might have|can'?t tell|not certain)\b"
)
YES_START = re.compile(
    r"^\s*(yes|yeah|yep|yup|ya|yh|y|aye|i have|i do|i am|i think so|correct|true|sort of|kind of|a bit|a little)\b"
)


def _slot_list(value: Any) -> List[str]:
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else []


# --------------------------------------------------------------------------- one message
def age_findings(analysis: Analysis) -> Set[str]:
    if analysis.age is None:
        return set()
    if analysis.age > 50:
        return {AGE_OVER_50}
    return {AGE_UNDER_20} if analysis.age < 20 else set()


def screened_findings(analysis: Analysis) -> Set[str]:
    """The findings of one message that take part in screening: said as present or
    uncertain (except vague ones said with doubt, which get a follow-up), plus the age band.
    A danger to someone else's life ("my brother says he's going to kill himself") gets the
    crisis reply too: it tells the person what to do now."""
    own = analysis.findings(SCREENED_STATUSES) - _unsure_only(analysis)
    return (
        own
        | (analysis.findings((OTHER,)) & _crisis_findings())
        | _own_crisis_in_a_conditional(analysis)
        | _someone_elses_now(analysis)
        | age_findings(analysis)
    )


# The opening of a check's question that names what the person said.
UNPROMPTED = re.compile(r"^You mentioned \{mentioned\}\.\s*")
THOUGHTS_OF_DYING = frozenset({"suicidal_intent", "self_harm_thoughts"})
FIRST_PERSON = re.compile(r"\b(i|i'd|i'll|id|ill|me|my|myself)\b", re.IGNORECASE)


def _own_crisis_in_a_conditional(analysis: Analysis) -> Set[str]:
    """Thoughts of ending one's life put as a condition or a question ("if I had the guts I'd
    end it", "how many would it take to not wake up", "is it normal to want to die when...")
    are those thoughts, not a question in general: they get the crisis reply, not "is this
    happening to you now?". Only a question about someone in particular ("what do I do if my
    son says he wants to die?") is theirs; the crisis reply costs little, a wait costs a life."""
    text = analysis.text or ""
    crisis = analysis.findings((HYPOTHETICAL,)) & _crisis_findings()
    if FIRST_PERSON.search(text):
        return crisis
    # Without "I": thoughts of dying put as a question are still the person's; taking too
    # much of a medicine asked about in general ("what happens if you take too much
    # paracetamol?") gets the conditional answer and "is this happening to you now?".
    if SOMEONE_IN_PARTICULAR.search(text.lower()):
        return set()
    return crisis & THOUGHTS_OF_DYING


# Someone else's symptoms said as happening now ("my husband's back went on Saturday and now
# he can't pee"): the person asking gets the instruction to pass on. Not their history ("my dad
# fell off a ladder last summer, he's fine now"), not a story or a programme, and never their
# risk factors ("my mum has cancer"). Past or now is read in the sentence that tells their
# symptoms: "now" in another clause ("..., so now my dad won't let me lift") is someone else's.
PAST_CUES = re.compile(
    r"\b(years? ago|months? ago|weeks? ago|last (year|summer|winter|spring|autumn|month|week)|in (19|20)\d\d|"
    r"in the (19|20)?\d0 ?'?s|when (he|she|they) (was|were)|used to|turned out)\b"
)
RESOLVED_CUES = re.compile(
    r"\b(recover(ed|ing)|(made|make) a (full |good )?recovery|fine now|better now|went away|passed away|died|"
    r"had it for years|doing (well|fine|ok|great)|turned out to be|(had|after) (his|her|their|the) (op|operation|surgery)|"
    r"(he|she|they)(('?s| has| have|'?ve) had| had) (an? )?(op|operation|surgery))\b"
)
# A story, a programme or something read: what happens in it is nobody's now.
STORY_CUES = re.compile(
    r"\b(programme|program|documentary|film|movie|episode|tv|telly|on the news|news story|article|podcast|"
    r"youtube|video|story time|a story about|read about|heard about|a book)\b"
)
# A particular person, not people in general.
SOMEONE_IN_PARTICULAR = re.compile(r"\b(he|she|him|his|her|hers|my \w+|our \w+)\b")
# "My sister had cauda equina": their past, unless something is said as happening now.
# "Has had back pain for 3 weeks" goes on now.
THEY_HAD = re.compile(
    r"\b(my|his|her|our)\s+(?:[\w']+\s+){0,3}?((?<!has )(?<!have )(?<!'s )had|was|were|went|(?<!'s )got)\b"
)
STRONG_NOW_CUES = re.compile(
    # "and now I'm worried I'll get it" is the asker's now, not theirs.
    r"\b(now(?!,? (i|i'm|im)\b)|today|tonight|this (morning|afternoon|evening|week)|last night|yesterday|suddenly|since|"
    r"at the moment|right now|keeps?|lately|recently|last few|these days|is lying|isn'?t answering|not answering|"
    r"(this|it)('s| is) new|just now|(minutes?|mins?|an hour|hours?) ago|earlier(?! (this|last|in the) (year|month))|"
    r"all of a sudden)\b"
)
HYPOTHETICAL_CUES = re.compile(
    r"\b(what (happens|would happen|if|would)|if (someone|somebody|a person|you)|would (it|that)|check for|"
    r"look out for|watch (out )?for|signs of|symptoms of|told me to|said to|hypothetically)\b"
)
SENTENCE_END = re.compile(r"[.!?;\n]+")
# Where the clause of a mention ends: what follows is about something else.
CLAUSE_END = re.compile(r"(,? so (now )?|,? but |,? and now (i|i'm|im|my)\b|,? now (i|i'm|im|my)\b)")


def _sentence_of(text: str, start: int, end: int) -> Tuple[str, str]:
    """The sentence around [start, end), and that sentence up to the end of the clause."""
    begin = max((m.end() for m in SENTENCE_END.finditer(text, 0, start)), default=0)
    stop = next((m.start() for m in SENTENCE_END.finditer(text, end)), len(text))
    sentence = text[begin:stop]
    cut = CLAUSE_END.search(text, end, stop)
    return sentence, text[begin : cut.start() if cut else stop]


def _told_as_now(sentence: str, clause: str) -> bool:
    if RESOLVED_CUES.search(sentence) or STORY_CUES.search(sentence) or HYPOTHETICAL_CUES.search(sentence):
        return False
    if PAST_CUES.search(clause):
        return bool(STRONG_NOW_CUES.search(clause))
    if PAST_CUES.search(sentence):
        # "A mate's husband wet himself after his back op but that was years ago" (set S).
        return bool(STRONG_NOW_CUES.search(sentence))
    # "My wife's speech went slurred ... but this is new": a change told in the past tense is
    # happening now when anything in the sentence says so; a past time ("years ago") is not.
    return not THEY_HAD.search(clause) or bool(STRONG_NOW_CUES.search(sentence))


def about_someone_else_now(analysis: Analysis) -> bool:
    """Someone else's symptoms are told as they are now, unless the sentence that tells them
    places them in the past, says they are over, is a story or a general question: a person
    typing for a relative rarely says "now", and a missed emergency costs more than a question."""
    raw = " ".join((analysis.text or "").lower().split())
    text = analysis.normalised or raw
    if not SOMEONE_IN_PARTICULAR.search(text) or any(m.status == HYPOTHETICAL for m in analysis.mentions):
        return False  # "do people with cauda equina lose feeling in their bum?" is a general question
    if HYPOTHETICAL_CUES.search(text) or RESOLVED_CUES.search(text) or STORY_CUES.search(text):
        return False  # their story is over ("..., she's recovering well"), a programme, a general question
    lowered = (analysis.text or "").lower()
    theirs = [m for m in analysis.mentions if m.status == OTHER and m.id in triage.red_flag_findings()]
    if not theirs:
        return _told_as_now(text, text)
    return any(_told_as_now(*_sentence_of(lowered, m.start, m.end)) for m in theirs)


def _someone_elses_now(analysis: Analysis) -> Set[str]:
    if not about_someone_else_now(analysis):
        return set()
    findings = get_content().findings
    other = {m.id for m in analysis.mentions if m.status == OTHER and m.id in findings}
    symptoms = {f for f in other if findings[f].kind in ("symptom", "onset")} & triage.red_flag_findings()
    # Their risk factors and body places count only beside a symptom of theirs.
    return (other & triage.red_flag_findings()) if symptoms else set()


def _crisis_findings() -> Set[str]:
    return {f for flag in _flags() if flag.crisis for combination in flag.when_any for f in combination}


def tells_crisis(analysis: Analysis) -> bool:
    """The message itself tells thoughts of dying or of self-harm, or an overdose."""
    return bool(screened_findings(analysis) & _crisis_findings())


def _unsure_only(analysis: Analysis) -> Set[str]:
    """Findings of ``ask_if_unsure`` flags said only with doubt ("not sure if I've had
    bladder changes"): a specific follow-up rather than an escalation."""
    vague = {f for flag in _flags() if flag.ask_if_unsure for combination in flag.when_any for f in combination}
    return (analysis.findings((UNCERTAIN,)) - analysis.findings((PRESENT,))) & vague


def said_by_sentence(analysis: Analysis, said: Set[str]) -> List[Set[str]]:
    """What each sentence of the message said, for flags whose findings must share one; a
    finding with no place in the text (an age, an answer, said in an earlier message) is in all."""
    text = analysis.text or ""
    ends = [m.end() for m in SENTENCE_END.finditer(text)]
    placed: Dict[int, Set[str]] = {}
    for mention in analysis.mentions:
        if mention.id in said:
            placed.setdefault(bisect.bisect_right(ends, mention.start), set()).add(mention.id)
    everywhere = said - set().union(*placed.values()) if placed else set(said)
    return [found | everywhere for found in placed.values()] or [set(said)]


def message_red_flags(analysis: Analysis) -> List[str]:
    """Ids of the red flags one message raises on its own, most serious first."""
    findings = screened_findings(analysis)
    return [flag.id for flag in triage.red_flags_in(findings, findings, said_by_sentence(analysis, findings))]


def denies_red_flag(analysis: Analysis) -> bool:
    """The message mentions a red-flag finding only to deny it ("no bladder problems")."""
    return bool(analysis.findings((ABSENT,)) & triage.red_flag_findings())


def _flags() -> Iterable[RedFlag]:
    return get_content().red_flags.values()


# --------------------------------------------------------------------------- conversation
@dataclass
class SafetyState:
    """What the screen remembers of a conversation (kept in Rasa slots)."""

    level: Optional[str] = None
    flags: List[str] = field(default_factory=list)
    findings: List[str] = field(default_factory=list)
    sides: List[str] = field(default_factory=list)
    pending: List[str] = field(default_factory=list)
    pending_question: Optional[str] = None
    answers: Dict[str, Optional[str]] = field(default_factory=dict)
    checks: List[str] = field(default_factory=list)  # targeted questions asked so far

    @classmethod
    def from_slots(cls, slots: Mapping[str, Any]) -> "SafetyState":
        return cls(
            level=slots.get(TRIAGE_LEVEL),
            flags=_slot_list(slots.get(RED_FLAGS)),
            findings=_slot_list(slots.get(REPORTED_FINDINGS)),
            sides=_slot_list(slots.get(SYMPTOM_SIDES)),
            pending=_slot_list(slots.get(PENDING_RED_FLAGS)),
            pending_question=slots.get(PENDING_QUESTION),
            answers={slot: slots.get(slot) for slot in SCREENING_SLOTS},
            checks=_slot_list(slots.get(SAFETY_CHECKS)),
        )

    def to_slots(self) -> Dict[str, Any]:
        return {
            TRIAGE_LEVEL: self.level or ROUTINE,
            RED_FLAGS: list(self.flags),
            REPORTED_FINDINGS: sorted(self.findings),
            SYMPTOM_SIDES: sorted(self.sides),
            PENDING_RED_FLAGS: list(self.pending),
            PENDING_QUESTION: self.pending_question,
            SAFETY_CHECKS: list(self.checks) or None,
            **{slot: value for slot, value in self.answers.items() if value is not None},
        }


@dataclass
class Say:
    """One message the screen wants said. ``kind``: emergency, urgent, crisis, reminder,
    followup or question (a yes/no question: the reply offers Yes / No)."""

    kind: str
    text: str


@dataclass
class ScreenResult:
    state: SafetyState
    new_flags: List[str]
    say: List[Say] = field(default_factory=list)  # first, before anything else
    ask_after: List[Say] = field(default_factory=list)  # at the end of the turn
    # The turn is the screen's: an escalation, a crisis reply or a question it asks.
    owns_turn: bool = False
    # The message answered the screen's own question ("is it new?", "happening now?").
    answered: bool = False
    # "Can it wait until Monday?" after an escalation: a direct no, then the consult advice.
    holds_line: bool = False

    @property
    def slots(self) -> Dict[str, Any]:
        return {**self.state.to_slots(), NEW_RED_FLAGS: list(self.new_flags)}

    @property
    def level(self) -> str:
        return self.state.level or ROUTINE

    @property
    def crisis(self) -> bool:
        return any(_is_crisis(flag) for flag in self.new_flags)


def crisis_only(flag_ids: Sequence[str]) -> bool:
    """The flags raised are all the crisis reply's (none of another emergency)."""
    return bool(flag_ids) and all(_is_crisis(flag) for flag in flag_ids)


def flag_reasons(flag_ids: Sequence[str], findings: Iterable[str], limit: int = 4) -> str:
    """What the person said that raised these red flags, in the lexicon's words ("both legs and
    weakness"); a flag raised by an answer to a screening question, by its name."""
    content = get_content()
    said = set(findings)
    items: List[str] = []
    for flag in sorted((content.red_flags[f] for f in flag_ids), key=lambda f: -triage.level_rank(f.level)):
        combination = next((c for c in flag.when_any if set(c) <= said), None)
        if combination is None:
            items.append(flag.name[0].lower() + flag.name[1:])
            continue
        items += [content.findings[f].label if f in content.findings else f.replace("_", " ") for f in combination]
    return _join(list(dict.fromkeys(items))[:limit])


def _is_crisis(flag_id: str) -> bool:
    flag = get_content().red_flags.get(flag_id)
    return bool(flag and flag.crisis)


def fill(template: str, reasons: str = "") -> str:
    return template.format(**get_settings().placeholders(), reasons=reasons)


def dialogue(key: str, reasons: str = "") -> str:
    return fill(get_content().dialogue[key], reasons)


def screen(
    state: SafetyState,
    analysis: Analysis,
    intent: Optional[str] = None,
    new_answers: Optional[Mapping[str, Any]] = None,
    remind: bool = True,
) -> ScreenResult:
    """Screen one message against everything said so far; say what is new."""
    state = SafetyState(**{**state.__dict__, "answers": dict(state.answers), "checks": list(state.checks)})
    known = list(state.flags)
    said = screened_findings(analysis)
    follow_ups: List[Say] = []
    answered = answer_to_pending(state, analysis.text, intent)
    settled: Dict[str, str] = {}
    if answered is True:
        # "Yes, it's new" / "yes, it's happening now" / "yes" to a targeted check: what the
        # question was about is said now.
        said |= set(state.pending)
        if not state.pending:
            follow_ups.append(Say("followup", dialogue("changed")))
    elif answered == UNSURE:
        follow_ups.append(Say("followup", dialogue(_check(state.pending_question).on_unsure)))
    elif answered is False and _check(state.pending_question) is not None:
        follow_ups.append(Say("followup", dialogue("check_no")))
        settled = {slot: NO for slot in _check(state.pending_question).settles_on_no}
    said |= _both_legs_across_messages(state, analysis, said)
    findings = set(state.findings) | said
    answers = {slot: state.answers.get(slot) for slot in SCREENING_SLOTS}
    answers.update({k: v for k, v in (new_answers or {}).items() if k in SCREENING_SLOTS})
    answers.update({k: v for k, v in settled.items() if answers.get(k) is None})

    worded = triage.red_flags_in(findings, said, said_by_sentence(analysis, said))
    flags = [f.id for f in worded + _screened_not_worded(worded, triage.red_flags_screened(answers))]
    # Told "yes, it's new": the earlier picture no longer explains it.
    explained = [] if answered is True else _explained_by_earlier(state, analysis, flags, findings)
    flags = [f for f in flags if f not in explained]
    if answered is False and _check(state.pending_question) is None:
        key = "not_new" if state.pending_question == NEW_OR_CHANGED else "not_now"
        follow_ups.append(Say("followup", dialogue(key)))
    if answered is not None or state.pending_question:
        state.pending, state.pending_question = [], None

    new_ids = list(dict.fromkeys(f for f in flags if f not in known))
    state.level = triage.raise_level(state.level, triage.level_of(new_ids))
    state.flags = known + new_ids
    state.findings = sorted(findings)
    state.answers = answers
    result = ScreenResult(state, new_ids, answered=answered is not None)

    if new_ids:
        result.say = escalation(state.level, new_ids, analysis, findings, said)
        result.owns_turn = True
        # "I just want it all to end, the pain never stops": the same-day instruction for the
        # pain, and the crisis check for the rest (a usability review: only the pain was heard).
        crisis_check = None if crisis_only(state.flags) or answered is not None else _crisis_check(state, analysis)
        if crisis_check:
            result.say.append(crisis_check)
        elif answered is None and state.level == URGENT:
            # "My left leg was weak on Tuesday, now the two of them are buckling": the same-day
            # instruction for the weakness, and the question whose yes is an emergency (set R:
            # the urgent reply swallowed the both-legs check, a silent miss).
            worse = _targeted_check(state, analysis, said, False, intent in CLOSING_INTENTS, new_answers or {}, URGENT)
            if worse:
                result.say.append(worse)
        return result
    closing = intent in CLOSING_INTENTS
    drive = state.level == EMERGENCY and DRIVE_CONCEPT in analysis.concepts
    delay = DELAY_CONCEPT in analysis.concepts or drive
    if state.level in (URGENT, EMERGENCY) and answered is None and delay and not closing:
        key = "hold_the_line_emergency" if state.level == EMERGENCY else "hold_the_line_urgent"
        key = "drive_emergency" if drive else key
        # "... tonight" after the crisis reply is no question of waiting for care: the crisis
        # reminder, with its contacts, not "something that needs treating within hours".
        result.say = [Say("reminder", emergency_reminder(state) if crisis_only(state.flags) else dialogue(key))]
        result.owns_turn = result.holds_line = True
        return result
    result.say = follow_ups + _unsure_follow_ups(analysis, new_answers or {})
    asked = (
        _ask_if_new_picture(state, analysis, explained, said)
        or _ask_if_new(state, analysis, said)
        or _targeted_check(state, analysis, said, answered is not None, closing, new_answers or {})
    )
    if asked:
        result.say.append(asked)
        result.owns_turn = True
        return result
    explained, result.ask_after = _ask_if_now(state, analysis, said)
    if explained:
        # "What are the symptoms of cauda equina syndrome?": the signs, then the direct check.
        result.say += [Say("followup", text) for text in explained] + result.ask_after
        result.ask_after = []
        result.owns_turn = True
        return result
    if remind and state.level == EMERGENCY and answered is None:
        result.say.insert(0, Say("reminder", emergency_reminder(state)))
    return result


def emergency_reminder(state: SafetyState) -> str:
    """The emergency (or crisis) instruction again, in one line."""
    kind = CRISIS if any(_is_crisis(f) for f in state.flags) else EMERGENCY
    return fill(get_content().escalations[kind].reminder)


def _check(pending_question: Optional[str]):
    """The targeted check a pending question is, or None."""
    if not pending_question or not pending_question.startswith(CHECK_PREFIX):
        return None
    check_id = pending_question[len(CHECK_PREFIX) :].split(RESUME_SEPARATOR)[0]
    return get_content().concepts.checks.get(check_id)


def resumes_interview(pending_question: Optional[str]) -> bool:
    """The check was asked instead of starting the interview: a "no" starts it."""
    return bool(pending_question and pending_question.endswith(RESUME_SEPARATOR + "interview"))


def answer_to_pending(state: SafetyState, text: str, intent: Optional[str]) -> Any:
    """True: new / changed / happening now / yes to a check; False: the same as always /
    not now / no; UNSURE: not sure (a check); None: no answer."""
    lowered = " ".join((text or "").lower().replace("’", "'").split())
    if not state.pending_question or not lowered:
        return None  # an empty message answers nothing, whatever the classifier made of it
    if _check(state.pending_question) is not None:
        if YES_START.match(lowered) or intent == AFFIRM:
            return True
        if NOT_SURE.search(lowered) or intent == DONT_KNOW:
            return UNSURE
        if intent == DENY or NOT_NOW.search(lowered):
            return False
        return None
    if SAME.search(lowered):
        return False
    if state.pending_question == HAPPENING_NOW and (intent == DENY or NOT_NOW.search(lowered)):
        return False
    if intent == AFFIRM or CHANGED.search(lowered):
        return True
    if intent == DENY or NOT_NOW.search(lowered):
        return False
    return None


def _both_legs_across_messages(state: SafetyState, analysis: Analysis, said: Set[str]) -> Set[str]:
    """ "both_legs" when one side's leg symptom is followed by the other's ("my right leg is
    numb" ... "now the left one too"), or both sides are named with "too" in one message.
    Updates the remembered sides. "Both sides of my lower back" is a back location, not legs."""
    text = (analysis.text or "").lower()
    mentioned = {m.id for m in analysis.mentions if m.status in (PRESENT, UNCERTAIN, HISTORICAL)}
    sides_now = {SIDES[m] for m in mentioned if m in SIDES}
    on_a_leg = bool(mentioned & LEG_PLACES) or bool(ONE.search(text))
    symptom = bool((said | mentioned) & LEG_SYMPTOMS)
    before = set(state.sides)
    if symptom and on_a_leg and sides_now:
        state.sides = sorted(before | sides_now)
    additive = bool(ADDITIVE.search(text))
    other_side = bool(sides_now - before) if before else False
    across = bool(before) and on_a_leg and (other_side or OTHER_LEG.search(text)) and (symptom or additive)
    within = sides_now == {"left", "right"} and on_a_leg and symptom and additive
    if not (across or within):
        return set()
    remembered = set(state.findings) & LEG_SYMPTOMS
    return {"both_legs"} | (said & LEG_SYMPTOMS or remembered or {"pain_spreading"})


def _unsure_follow_ups(analysis: Analysis, new_answers: Mapping[str, Any]) -> List[Say]:
    """ "Not sure" to a screening question, or a vague red flag said with doubt: what to
    watch for and what to do, never silence."""
    keys = []
    for slot, answer in new_answers.items():
        if answer == UNKNOWN:
            keys.append(
                {SCREEN_CAUDA_EQUINA: "unsure_cauda_equina", SCREEN_SYSTEMIC: "unsure_systemic"}.get(
                    slot, "unsure_other"
                )
            )
    if _unsure_only(analysis):
        keys.append("unsure_cauda_equina")
    return [Say("followup", dialogue(key)) for key in dict.fromkeys(keys)]


def _would_raise(state: SafetyState, findings: Set[str], said: Set[str]) -> List[RedFlag]:
    known = set(state.flags)
    present = set(state.findings) | findings
    return [flag for flag in triage.red_flags_in(present, said | findings) if flag.id not in known]


# How a finding already asked "is this new?" is kept among the checks asked (SafetyState.checks).
ASKED_IF_NEW = "new:"


# A long-standing problem said to be back or worse now ("sciatica on and off for years and
# it's flared up again"): it has changed, so "is this new?" would only hold up the questions.
FLARING_NOW = re.compile(
    r"\b(flar(e|es|ed|ing) up|flar(ed|ing) again|(is|it's|its|has|it has) flared|playing up again|"
    r"(back|come back|came back|started) again|worse again|(gone|went) again)\b"
)


def _ask_if_new(state: SafetyState, analysis: Analysis, said: Set[str]) -> Optional[Say]:
    """Long-standing mentions that would raise a red flag: asked whether new or changed
    (not when the message says it has flared up and that alone raises nothing)."""
    historical = [m for m in analysis.mentions if m.status == HISTORICAL and m.label != "risk_factor"]
    ids = {m.id for m in historical}
    flags = _would_raise(state, ids, said)
    if not flags and FLARING_NOW.search((analysis.text or "").lower().replace("’", "'")):
        return None
    historical = [m for m in historical if m.label == "symptom"]
    # A long-standing symptom that no rule involves ("back pain for years") is not asked
    # about: the interview goes on, and a change said later is screened as usual.
    relevant = _flag_findings(flags) | triage.red_flag_findings()
    # Asked once for each finding: "I had iritis last year" said again is no new answer to
    # ask about (a held-out patient was asked about it four times running).
    mentions = [m for m in historical if m.id in relevant and ASKED_IF_NEW + m.id not in state.checks]
    if not mentions:
        return None
    state.checks = state.checks + [ASKED_IF_NEW + m.id for m in mentions if ASKED_IF_NEW + m.id not in state.checks]
    state.pending = sorted(_flag_findings(flags) & ids)
    state.pending_question = NEW_OR_CHANGED
    return Say("question", dialogue("ask_if_new", _said(mentions, set(), set(), text=analysis.text or "")))


def _screened_not_worded(worded: Sequence[RedFlag], screened: Sequence[RedFlag]) -> List[RedFlag]:
    """The flags a "yes" to a screening question raises, less those the person's own words
    already raise as seriously ("yeah ive got a temp, 38.9" to the fever, weight loss and cancer
    question is a fever: set 8 was told it had mentioned weight loss and cancer)."""
    return [
        flag
        for flag in screened
        if not any(
            w.answers_screening in flag.screened_by and triage.level_rank(w.level) >= triage.level_rank(flag.level)
            for w in worded
        )
    ]


def _explained_by_earlier(
    state: SafetyState, analysis: Analysis, flag_ids: Sequence[str], findings: Set[str]
) -> List[str]:
    """New flags that what the person told earlier explains, as it would in one message: legs
    that ache on walking and ease with sitting, told first, then "it goes down both legs" in
    answer to a question (usability review 7: a stenosis story sent to 999). Asked whether it
    is new, not raised."""
    if set(analysis.concepts) & TOLD_AS_NEW or findings & CHANGING:
        return []  # "now both legs have gone numb since this morning": new, whatever came before
    if "both_legs" not in state.findings:
        return []  # the earlier picture was not of both legs: "now down both legs" is news
    flags = get_content().red_flags
    said = findings - set(state.findings)
    return [
        flag_id
        for flag_id in flag_ids
        if flag_id not in state.flags
        and any(set(c) <= findings for c in flags[flag_id].unless_said_with)
        # Only the same pain told again: numbness, weakness or a dragging foot is never explained.
        and {f for c in flags[flag_id].when_any for f in c} & said <= SAME_PAIN_AGAIN | LEG_PLACES
    ]


# What can be the pain an earlier picture already told, said again in answer to a question.
SAME_PAIN_AGAIN = frozenset({"both_legs", "pain_spreading"})


# What says a symptom is new or changing (concepts.yml; lexicon.yml findings).
TOLD_AS_NEW = frozenset({"told_as_new", "just_now", "recent", "new_word"})
CHANGING = frozenset({"sudden", "getting_worse", "rapid_progression", "worsening_numbness", "worsening_weakness"})


def _ask_if_new_picture(
    state: SafetyState, analysis: Analysis, explained: Sequence[str], said: Set[str]
) -> Optional[Say]:
    """ "Is this new?" about what an earlier picture explains, once for each flag; "yes"
    raises it (the pending findings are said again, and nothing explains them away)."""
    to_ask = [flag_id for flag_id in explained if ASKED_IF_NEW + flag_id not in state.checks]
    if not to_ask:
        return None
    flags = get_content().red_flags
    involved = {f for flag_id in to_ask for combination in flags[flag_id].when_any for f in combination}
    state.checks = state.checks + [ASKED_IF_NEW + flag_id for flag_id in to_ask]
    state.pending = sorted(involved & (said | set(state.findings)))
    state.pending_question = NEW_OR_CHANGED
    mentions = [m for m in analysis.mentions if m.id in involved and m.id in said]
    return Say("question", dialogue("ask_if_new", _said(mentions, set(), set(), text=analysis.text or "")))


def _targeted_check(
    state: SafetyState,
    analysis: Analysis,
    said: Set[str],
    answering: bool,
    closing: bool = False,
    new_answers: Optional[Mapping[str, Any]] = None,
    beyond: Optional[str] = None,
) -> Optional[Say]:
    """A red-flag concept mentioned but neither confirmed nor ruled out ("I keep needing
    the loo", "my foot looks a funny colour"): the check's targeted question, with Yes / No
    / Not sure, once per conversation. A question costs a turn; a silent miss costs more.
    Not when the message is a "no" to the screening question that asks the same ("no,
    peeing and pooing normal" to the cauda equina question). With ``beyond``, only a check
    whose yes would raise more than that level."""
    if answering or state.level == EMERGENCY:
        return None  # after an emergency instruction, no more questions: it stands alone
    checks = get_content().concepts.checks
    asked_about = SCREENED_STATUSES + ((OTHER,) if about_someone_else_now(analysis) else ())
    # "Would it hurt to die?": thoughts of dying put as a question are still asked about.
    crisis = {c.id for c in checks.values() if set(c.on_yes) & _crisis_findings()}
    mentioned: Dict[str, Optional[Mention]] = {
        m.id: m
        for m in analysis.checks
        if m.status in asked_about
        or (m.status == HYPOTHETICAL and m.id in crisis and bool(FIRST_PERSON.search(analysis.text or "")))
    }
    # The net is a backstop for what people say about their symptoms, not for "I want to stop".
    for check_id in [] if closing else suspected_by_net(analysis, set(mentioned)):
        mentioned.setdefault(check_id, None)
    denied = {m.id for m in analysis.mentions if m.status == ABSENT}
    # What the person said in words comes before what the net only suspects, and a check
    # whose yes is an emergency before one whose yes is same-day care (set Q: a mottled, cold
    # foot was asked about weight loss first).
    for check in sorted(checks.values(), key=lambda c: (mentioned.get(c.id) is None, -_severity(c.on_yes))):
        if check.id not in mentioned or check.id in state.checks:
            continue
        if beyond and not _raises_beyond(state, check.on_yes, said, beyond):
            continue
        if check.answered_by and (new_answers or {}).get(check.answered_by) == NO:
            continue
        if denied & set(check.on_yes) and check.id not in crisis:
            # "Both legs ache when I walk, but there is no numbness": what the check would ask
            # is already answered no in the same message (usability review 5). Not the crisis
            # check: "he won't be a nuisance much longer" is said with a "not".
            continue
        # Already raised, or already said in full: nothing to ask.
        if _would_raise_nothing(state, check.on_yes, said):
            continue
        return _ask(state, check, mentioned[check.id], analysis)
    return None


def _raises_beyond(state: SafetyState, on_yes: Sequence[str], said: Set[str], level: str) -> bool:
    """A "yes" would raise a flag above ``level`` with what is known now: after "thermometer
    says 38.9" (same-day care), "do you have a high temperature?" would raise nothing more."""
    raised = triage.red_flags_in(set(state.findings) | set(on_yes), said | set(on_yes))
    return any(f.id not in state.flags and triage.level_rank(f.level) > triage.level_rank(level) for f in raised)


def _severity(on_yes: Sequence[str]) -> int:
    """The most serious level a yes to a check can raise (its findings in any red-flag rule)."""
    return max(
        (
            triage.level_rank(flag.level)
            for flag in get_content().red_flags.values()
            if any(set(on_yes) & set(combination) for combination in flag.when_any)
        ),
        default=-1,
    )


def _ask(state: SafetyState, check: Any, mention: Optional[Mention], analysis: Analysis) -> Say:
    """The check's question, now pending (asked once per conversation)."""
    state.checks = state.checks + [check.id]
    state.pending = list(check.on_yes)
    state.pending_question = CHECK_PREFIX + check.id
    if mention is None:
        # Suspected by the net, not said in words the lexicon knows: no "You mentioned
        # swelling" to someone who said "tingling".
        question = UNPROMPTED.sub(dialogue("check_unprompted") + " ", check.question)
        return Say("check", fill(question.replace("{mentioned}", "{reasons}"), check.about))
    words = f'"{_quoted(mention, analysis.text or "")}"'
    return Say("check", fill(check.question.replace("{mentioned}", "{reasons}"), words))


def _crisis_check(state: SafetyState, analysis: Analysis) -> Optional[Say]:
    """The crisis check when the message mentions its words, even after another escalation
    (which otherwise stands alone): thoughts of ending one's life are never left unasked."""
    if any(_is_crisis(f) for f in state.flags):
        return None
    checks = get_content().concepts.checks
    for mention in analysis.checks:
        check = checks.get(mention.id)
        if check is None or check.id in state.checks or not set(check.on_yes) & _crisis_findings():
            continue
        if mention.status in SCREENED_STATUSES:
            return _ask(state, check, mention, analysis)
    return None


def _would_raise_nothing(state: SafetyState, on_yes: Sequence[str], said: Set[str]) -> bool:
    """Already raised, said in full, or what a "yes" would raise the conversation has already
    explained: legs that ache on walking and ease on rest, told earlier, are not asked "both
    legs?" (set 7: a "yes" to it sent a claudication story to 999)."""
    everything = set(state.findings) | set(on_yes)
    flags = [f for f in triage.red_flags_in(everything, said | set(on_yes))]
    explained = {f.id for f in triage.red_flags_in(everything, everything | said)}
    return not any(f.id not in state.flags and f.id in explained for f in flags)


def suspected_by_net(analysis: Analysis, mentioned: Set[str]) -> List[str]:
    """Checks the statistical net suspects (bot/nlp/net.py), unless the rules read the same
    concept as negated, someone else's or past: the net only ever asks."""
    if any(m.status == HYPOTHETICAL for m in analysis.mentions + analysis.checks):
        return []  # a general question gets "is this happening to you now?" instead
    if len((analysis.text or "").split()) < NET_MIN_WORDS:
        return []  # a short answer ("pins and needles") is the rules' to read
    symptoms = [m for m in analysis.mentions if m.label == "symptom"]
    if symptoms and all(m.status == ABSENT for m in symptoms):
        return []  # "the numbness has gone now": a message that only denies has nothing to back up
    ruled_out = {m.id for m in analysis.checks if m.status not in SCREENED_STATUSES}
    ruled_out |= {family for family, concept in NET_VETOES.items() if concept in analysis.concepts}
    return [c for c in net.suspected_families(analysis.text) if c not in ruled_out and c not in mentioned]


def _ask_if_now(state: SafetyState, analysis: Analysis, said: Set[str]) -> Tuple[List[str], List[Say]]:
    """A general question about red-flag symptoms: what the condition is when the content
    explains it, conditional advice, then "Is this happening to you now?" (a "yes" escalates)."""
    hypothetical = {m.id for m in analysis.mentions if m.status == HYPOTHETICAL}
    if not hypothetical:
        return [], []
    flags = _would_raise(state, hypothetical, said)
    if not flags or (
        # Already told to call 999: "what is cauda equina syndrome? I am frightened" is answered
        # and heard, not asked "is this happening to you now?" (usability review 10).
        state.level == EMERGENCY and not any(f.crisis for f in flags)
    ):
        return [], []
    explained = [fill(text) for text in dict.fromkeys(f.explain for f in flags if f.explain)]
    state.pending = sorted(_flag_findings(flags) & hypothetical)
    state.pending_question = HAPPENING_NOW
    if any(f.crisis for f in flags):
        key = "if_now_crisis"
    else:
        key = "if_now_emergency" if triage.level_of([f.id for f in flags]) == EMERGENCY else "if_now_urgent"
    about, advice = _about(state.pending, bool(explained)), dialogue(key)
    if about:
        advice = advice[:1].lower() + advice[1:]
    return explained, [Say("question", about + advice + " " + dialogue("ask_if_now"))]


def _about(findings: Sequence[str], explained: bool) -> str:
    """What "this" is, when no explanation came before it (usability review 10: "what is
    'this'? I dont understand")."""
    labels = [get_content().findings[f].label for f in findings if f in get_content().findings]
    return "" if explained or not labels else f"About {_join(labels[:3])}: "


def _flag_findings(flags: Sequence[RedFlag]) -> Set[str]:
    return {f for flag in flags for combination in flag.when_any for f in combination}


# --------------------------------------------------------------------------- wording
def _join(items: Sequence[str]) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _quoted(mention: Mention, text: str) -> str:
    """The person's words for a mention, whole words only: a finding that starts inside
    "can't" is quoted from "can't", not "nt"."""
    start, end = mention.start, mention.end
    if text[start:end] != mention.text:
        return " ".join(mention.text.split()).strip(" ,.")
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "'’"):
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return " ".join(text[start:end].split()).strip(" ,.")


def _said(mentions: Sequence[Mention], earlier: Set[str], extra: Set[str], limit: int = 4, text: str = "") -> str:
    """A short list of what the person said: their own words for this message (each once:
    "wake me up" is inside "wake me up in the night"), the lexicon's labels for what they
    said earlier."""
    content = get_content()
    quotes: List[str] = []
    for words in sorted({_quoted(m, text) for m in mentions} - {""}, key=len, reverse=True):
        if not any(words.lower() in longer.lower() for longer in quotes):
            quotes.append(words)
    order = {words: min(m.start for m in mentions if _quoted(m, text) == words) for words in quotes}
    items: List[str] = [f'"{words}"' for words in sorted(quotes, key=order.__getitem__)]
    for finding in sorted(earlier | extra):
        label = content.findings[finding].label if finding in content.findings else finding.replace("_", " ")
        if label not in items:
            items.append(label)
    return _join(items[:limit])


def _reasons(flag_ids: Sequence[str], analysis: Analysis, findings: Set[str], said: Set[str]) -> str:
    """What the person said that raised these flags."""
    used: Set[str] = set()
    screened = False
    for flag_id in flag_ids:
        flag = get_content().red_flags[flag_id]
        combination = next(
            (c for c in flag.when_any if set(c) <= (said if flag.same_message else findings)),
            flag.when_any[0] if flag.when_any else (),
        )
        if not any(set(c) <= findings for c in flag.when_any) and flag.screened_by:
            screened = True
        used |= set(combination)
    now = [m for m in analysis.mentions if m.id in used and m.status in (PRESENT, UNCERTAIN, HISTORICAL)]
    age = {f"age {analysis.age}"} if analysis.age is not None and used & {AGE_OVER_50, AGE_UNDER_20} else set()
    earlier = used - {m.id for m in now} - {AGE_OVER_50, AGE_UNDER_20}
    earlier = {f for f in earlier if f in findings}
    text = _said(now, earlier, age, text=analysis.text or "")
    if screened:
        names = [get_content().red_flags[f].name for f in flag_ids if get_content().red_flags[f].screened_by]
        answer = f'{names[0][0].lower()}{names[0][1:]} (you answered "yes" to the safety question)' if names else ""
        text = _join([t for t in (text, answer) if t])
    return text or "what you told me"


def escalation(
    level: str, flag_ids: Sequence[str], analysis: Analysis, findings: Set[str], said: Set[str]
) -> List[Say]:
    """The escalation for new flags: the instruction first, what the person said, then
    what is specific to the flags (cauda equina, chest pain...)."""
    content = get_content()
    flags = [content.red_flags[i] for i in flag_ids]
    crisis = [f for f in flags if f.crisis]
    others = [f for f in flags if not f.crisis]
    messages: List[Say] = []
    if crisis:
        messages += [Say(CRISIS, fill(m)) for m in content.escalations[CRISIS].messages]
        advice = list(dict.fromkeys(f.advice for f in crisis if f.advice))
        if advice:
            messages.append(Say(CRISIS, " ".join(fill(a) for a in advice)))
    if others:
        speak = level if level in (URGENT, EMERGENCY) else EMERGENCY
        reasons = _reasons([f.id for f in others], analysis, findings, said)
        messages += [Say(speak, fill(m, reasons)) for m in content.escalations[speak].messages]
        advice = [fill(a) for a in dict.fromkeys(f.advice for f in others if f.advice)]
        if speak == EMERGENCY:
            messages.append(Say(speak, " ".join(advice or [dialogue("closing")])))
        elif advice:
            messages.append(Say(speak, " ".join(advice)))
    return messages


def reminder(level: str) -> str:
    return fill(get_content().escalations[level].reminder)
