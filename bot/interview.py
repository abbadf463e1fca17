"""The intake interview: which question comes next, and what a bare answer means.

Free-text facts ("it started after lifting") are folded into the record by
``SymptomRecord.update`` whatever the question; this module decides the order of
questions and interprets short answers to the question just asked ("yes", "no",
"not sure", a number), which only make sense in that context.
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional

from bot.contract import (
    AFFIRM,
    DENY,
    DONT_KNOW,
    EMERGENCY,
    NO,
    QUESTIONS,
    QUICKLY,
    SCREEN_MAJOR_TRAUMA,
    SCREEN_WEAKNESS_PROGRESSION,
    SCREENING_SLOTS,
    SLOWLY,
    TRIAGE_LEVEL,
    UNKNOWN,
    YES,
)
from bot.symptoms import SymptomRecord

STAYS_PUT = (
    "stays",
    "stay in",
    "doesn't spread",
    "doesnt spread",
    "does not spread",
    "only in my",
    "just in my",
    "just my",
    "it doesn't",
    "it does not",
)


def applies(question: str, slots: Mapping[str, Any]) -> bool:
    """Follow-up questions are only asked when the earlier answer calls for them."""
    if question == SCREEN_WEAKNESS_PROGRESSION:
        return "weakness" in (slots.get("nerve_symptoms") or [])
    if question == SCREEN_MAJOR_TRAUMA:
        return slots.get("pain_onset") == "fall"
    return True


def questions_to_ask(slots: Mapping[str, Any]) -> List[str]:
    """The form's required slots, given everything known so far.

    After an emergency escalation the interview stops: carrying on with routine
    questions would suggest there is time to wait.
    """
    if slots.get(TRIAGE_LEVEL) == EMERGENCY:
        return []
    return [q for q in QUESTIONS if applies(q, slots)]


def interpret_answer(question: str, intent: Optional[str], text: str, record: SymptomRecord) -> Dict[str, Any]:
    """Slot values a short answer to ``question`` sets (empty if it says nothing about it)."""
    lowered = " ".join((text or "").lower().split())
    if question in SCREENING_SLOTS:
        answer = _screening_answer(question, intent, lowered)
        return {question: answer} if answer else {}
    if intent == DONT_KNOW:
        return {question: _unknown_value(question)}
    if question == "pain_spreads":
        if intent == AFFIRM:
            return {"pain_spreads": YES}
        if intent == DENY or any(cue in lowered for cue in STAYS_PUT):
            return {"pain_spreads": NO, "spread_to": []}
    if question == "nerve_symptoms" and intent == DENY:
        return {"nerve_symptoms": []}
    if question == "aggravating_factors" and (intent == DENY or "nothing" in lowered):
        return {"aggravating_factors": []}
    if question == "pain_location" and intent == DENY:
        return {"pain_location": []}
    return {}


def _unknown_value(question: str) -> Any:
    if question in ("pain_location", "nerve_symptoms", "aggravating_factors"):
        return []
    return UNKNOWN


def _screening_answer(question: str, intent: Optional[str], lowered: str) -> Optional[str]:
    if question == SCREEN_WEAKNESS_PROGRESSION:
        if "quick" in lowered or "fast" in lowered or "hours" in lowered or "rapid" in lowered:
            return QUICKLY
        if "slow" in lowered or "gradual" in lowered or "weeks" in lowered:
            return SLOWLY
        if intent == AFFIRM:
            return SLOWLY
    if intent == AFFIRM:
        return YES
    if intent == DENY:
        return NO
    if intent == DONT_KNOW:
        return UNKNOWN
    return None
