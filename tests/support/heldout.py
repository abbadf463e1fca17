"""The held-out evaluation (issue 23): patients and messages written by a helper who never saw
the code (tests/data/heldout/), talked through the real assistant (trained model, real action
server), scored against the issue's "Done when".

Patients (``patients.<set>.yml``, the format of tests/data/patients.yml plus ``must_not_say``):
triage never below the expected level (and how many above), the consult recommendation at the
end, the most times any question is asked (target 2), a summary with no statement that what the
person said does not support (no contradiction, no unsupported finding, no ``must_not_say``
phrase), an expected cause among the first three shown.

Messages (``messages.<set>.yml``: text, intent, own_pain, optional kind): the intent the NLU
predicts against the file's; for a message about one's own pain, whether the reply reaches the
safety screen or the interview questions (not a menu, not "didn't understand"); for a "done"
message, the consult recommendation at the end.

The .dev files are developed against (tests/conversations/test_heldout_dev.py); the .sealed
files are run once at the end by evaluation/heldout.py, never by a test.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

import yaml

from tests.support.patients import CONSULT, LEVELS, Outcome, check_summary, level_at_least, load_cases, run_case

ROOT = Path(__file__).resolve().parents[2]
HELDOUT = ROOT / "tests" / "data" / "heldout"
# "sealed2" to "sealed10": further sealed sets (patients and messages by other blind helpers), each
# run once; "dev5" to "dev10" were written with "sealed5" to "sealed10" and are developed against.
SETS = (
    "dev",
    "sealed",
    "sealed2",
    "sealed3",
    "sealed4",
    "dev5",
    "sealed5",
    "dev6",
    "sealed6",
    "dev7",
    "sealed7",
    "dev8",
    "sealed8",
    "dev9",
    "sealed9",
    "dev10",
    "sealed10",
)
TARGET_MAX_ASKS = 2  # no question asked more than twice
TOP = 3  # an expected cause among the first three shown

# What shows a message reached the safety screen or the questions: a screen message (its
# targeted question, or an instruction), the start of the interview, one of its questions.
SCREEN_OR_QUESTIONS = frozenset(
    {
        "utter_start_interview",
        "utter_safety_check",
        "utter_safety_question",
        "utter_safety_emergency",
        "utter_safety_urgent",
        "utter_safety_crisis",
    }
)
# What a person reads as not being understood.
NOT_UNDERSTOOD = ("didn't catch", "didn't quite understand", "did not understand")


def patients_file(which: str) -> Path:
    return HELDOUT / f"patients.{which}.yml"


def messages_file(which: str) -> Path:
    return HELDOUT / f"messages.{which}.yml"


@dataclass(frozen=True)
class Message:
    text: str
    intent: str
    own_pain: bool
    kind: str = ""


def load_messages(path: Path) -> List[Message]:
    return [
        Message(text=str(m["text"]), intent=m["intent"], own_pain=bool(m["own_pain"]), kind=m.get("kind") or "")
        for m in yaml.safe_load(path.read_text())["messages"]
    ]


def _reaches(names: Sequence[Optional[str]]) -> bool:
    return any(name in SCREEN_OR_QUESTIONS or (name or "").startswith("utter_ask_") for name in names)


def sorry_per_turn(texts: Sequence[str]) -> int:
    return sum(any(s in text.lower().replace("\u2019", "'") for s in NOT_UNDERSTOOD) for text in texts)


# --------------------------------------------------------------------------- messages
@dataclass
class MessageOutcome:
    message: Message
    intent: str  # as served: the intent on the tracker after the turn
    nlu_intent: str  # the NLU pipeline alone
    responses: List[Optional[str]] = field(default_factory=list)
    texts: List[str] = field(default_factory=list)

    @property
    def intent_right(self) -> bool:
        return self.intent == self.message.intent

    @property
    def reached(self) -> bool:
        return _reaches(self.responses)

    @property
    def ends_with_consult(self) -> bool:
        from tests.conftest import without_offers

        names = without_offers([n or "" for n in self.responses])
        return bool(names) and names[-1] == CONSULT

    def row(self) -> Dict[str, Any]:
        return {
            "text": self.message.text,
            "expected_intent": self.message.intent,
            "intent": self.intent,
            "nlu_intent": self.nlu_intent,
            "own_pain": self.message.own_pain,
            "kind": self.message.kind,
            "reached": self.reached,
            "ends_with_consult": self.ends_with_consult,
            "responses": self.responses,
        }


async def run_message(agent, message: Message) -> MessageOutcome:
    """The message as the first of a new conversation."""
    from rasa.shared.core.events import BotUttered

    sender = f"heldout-msg-{uuid.uuid4().hex}"
    parsed = await agent.parse_message(message.text)
    await agent.handle_text(message.text, sender_id=sender)
    tracker = await agent.tracker_store.retrieve(sender)
    bot = [e for e in tracker.events if isinstance(e, BotUttered)]
    return MessageOutcome(
        message=message,
        intent=(tracker.latest_message.intent or {}).get("name") or "",
        nlu_intent=(parsed.get("intent") or {}).get("name") or "",
        responses=[e.metadata.get("utter_action") for e in bot],
        texts=[e.text or "" for e in bot],
    )


# --------------------------------------------------------------------------- patients
def summary_problems(outcome: Outcome) -> Dict[str, List[str]]:
    """Every statement of the summary that what the person said does not support."""
    if outcome.summary is None:
        return {"contradictions": [], "unsupported": [], "must_not_say": []}
    check = check_summary(outcome.case, outcome.summary, [t.user for t in outcome.turns])
    lowered = outcome.summary.lower()
    return {
        "contradictions": check.contradictions,
        "unsupported": check.unsupported,
        "must_not_say": [p for p in outcome.case.must_not_say if p.lower() in lowered],
    }


def cause_checked(outcome: Outcome) -> bool:
    """The case expects a cause and runs to a result (no goodbye, no emergency expected)."""
    case = outcome.case
    return bool(case.expect_causes) and not case.ends_early and case.expect_triage != "emergency"


def patient_row(outcome: Outcome) -> Dict[str, Any]:
    case = outcome.case
    problems = summary_problems(outcome)
    top = outcome.causes[:TOP]
    return {
        "id": case.id,
        "expected_triage": case.expect_triage,
        "triage": outcome.triage,
        "triage_safe": level_at_least(outcome.triage, case.expect_triage),
        "over_triage": LEVELS.index(outcome.triage) > LEVELS.index(case.expect_triage),
        "consult_at_end": outcome.last_response == CONSULT,
        "max_asks": max(outcome.asked.values(), default=0),
        "asked": dict(outcome.asked),
        "most_sorry_in_a_turn": max((sorry_per_turn([t for _, t in turn.bot]) for turn in outcome.turns), default=0),
        "summary": outcome.summary,
        "faithful": outcome.summary is not None and not any(problems.values()),
        **problems,
        "cause_checked": cause_checked(outcome),
        "expected_causes": list(case.expect_causes),
        "top_causes": top,
        "cause_in_top": bool(set(top) & set(case.expect_causes)),
        "gave_up": outcome.gave_up,
        "transcript": outcome.transcript(limit=100000),
    }


def figures(patients: List[Dict[str, Any]], messages: List[Dict[str, Any]]) -> Dict[str, Any]:
    summaries = [p for p in patients if p["summary"] is not None]
    causes = [p for p in patients if p["cause_checked"]]
    own = [m for m in messages if m["own_pain"]]
    done = [m for m in messages if m["kind"] == "done"]
    return {
        "patients": len(patients),
        "triage_safe": sum(p["triage_safe"] for p in patients),
        "triage_exact": sum(p["triage"] == p["expected_triage"] for p in patients),
        "over_triage": sum(p["over_triage"] for p in patients),
        "consult_at_end": sum(p["consult_at_end"] for p in patients),
        "max_asks": max((p["max_asks"] for p in patients), default=0),
        "asked_over_target": sum(p["max_asks"] > TARGET_MAX_ASKS for p in patients),
        "most_sorry_in_a_turn": max((p["most_sorry_in_a_turn"] for p in patients), default=0),
        "summaries": len(summaries),
        "summaries_faithful": sum(p["faithful"] for p in summaries),
        "summaries_contradicted": sum(bool(p["contradictions"]) for p in summaries),
        "summaries_unsupported": sum(bool(p["unsupported"]) for p in summaries),
        "summaries_must_not_say": sum(bool(p["must_not_say"]) for p in summaries),
        "cause_cases": len(causes),
        "cause_in_top": sum(p["cause_in_top"] for p in causes),
        "messages": len(messages),
        "intent_right": sum(m["intent"] == m["expected_intent"] for m in messages),
        "intent_accuracy": round(sum(m["intent"] == m["expected_intent"] for m in messages) / len(messages), 3)
        if messages
        else 0.0,
        "nlu_intent_right": sum(m["nlu_intent"] == m["expected_intent"] for m in messages),
        "own_pain": len(own),
        "own_pain_reached": sum(m["reached"] for m in own),
        "done": len(done),
        "done_consult": sum(m["ends_with_consult"] for m in done),
    }


def table(f: Dict[str, Any]) -> str:
    rows = [
        ("triage never below expected", f"{f['triage_safe']}/{f['patients']}", "all"),
        ("  triage exact / over-triaged", f"{f['triage_exact']} / {f['over_triage']}", ""),
        ("consult recommendation at the end", f"{f['consult_at_end']}/{f['patients']}", "all"),
        ("most times one question is asked", f"{f['max_asks']} ({f['asked_over_target']} cases over 2)", "<= 2"),
        ("most 'didn't catch' in one turn", f"{f['most_sorry_in_a_turn']}", "<= 1"),
        ("summaries faithful", f"{f['summaries_faithful']}/{f['summaries']}", "all"),
        (
            "  contradicted / unsupported / must_not_say",
            f"{f['summaries_contradicted']} / {f['summaries_unsupported']} / {f['summaries_must_not_say']}",
            "",
        ),
        ("expected cause in the first 3", f"{f['cause_in_top']}/{f['cause_cases']}", ">= 90%"),
        ("intent accuracy (as served)", f"{f['intent_right']}/{f['messages']} = {f['intent_accuracy']:.3f}", ">= 0.95"),
        ("  intent right, NLU alone", f"{f['nlu_intent_right']}/{f['messages']}", ""),
        ("own pain reaches screen/questions", f"{f['own_pain_reached']}/{f['own_pain']}", "all"),
        ("'done' ends with the consult", f"{f['done_consult']}/{f['done']}", "all"),
    ]
    width = max(len(r[0]) for r in rows)
    lines = [f"{'measure'.ljust(width)}  {'value':<28} target", "-" * (width + 40)]
    lines += [f"{name.ljust(width)}  {value:<28} {target}" for name, value, target in rows]
    return "\n".join(lines)


async def run_patients(agent, which: str) -> List[Outcome]:
    return [await run_case(agent, case) for case in load_cases(patients_file(which))]


async def run_messages(agent, which: str) -> List[MessageOutcome]:
    return [await run_message(agent, m) for m in load_messages(messages_file(which))]


async def evaluate(agent, which: str) -> Dict[str, Any]:
    patients = [patient_row(o) for o in await run_patients(agent, which)]
    messages = [m.row() for m in await run_messages(agent, which)]
    return {"set": which, "figures": figures(patients, messages), "patients": patients, "messages": messages}
