"""A person typing for someone else ("I'm typing for my mum, she's 81", "asking for my dad"):
what they say of that person is the patient's, for the whole conversation.

Set 9: an 81-year-old's sudden pain lifting a pot, on steroids for years and shorter than she
was, was routine: "her back", "she says 9" were read as someone else's, so her answers went
unrecorded ("Sorry, I didn't catch that") and her risk factors were not the patient's.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, Mapping

from bot.nlp import OTHER, PRESENT, Analysis
from bot.nlp.negation import RELATIVES

SPEAKING_FOR = "speaking_for_someone"  # the slot: set once, kept for the conversation

_WHO = "|".join(sorted({re.escape(r) for r in RELATIVES}, key=len, reverse=True))
# "typing for my mum", "asking on behalf of my husband", "this is for my dad", "my mum is
# next to me", "my mum can't type"; "my mum had this too" is a story, not speaking for her.
PROXY = re.compile(
    rf"\b(typing|asking|writing|messaging|enquiring|inquiring|chatting|doing this|using this|here|this is|it'?s)"
    rf"( this| it| on here| here)? (for|on behalf of) (my|our) ({_WHO})\b"
    rf"|\b(my|our) ({_WHO}) (is|'s) (here |sat )?(next to|beside|with) me\b"
    rf"|\b(my|our) ({_WHO}) (can'?t|cannot|doesn'?t|does not) (type|use)\b"
    # "my wife asked me to message" (set 10).
    rf"|\b(my|our) ({_WHO}) (asked|wants|wanted|told) me to (message|ask|type|write|get in touch|check)\b"
)


def speaks_for_someone(text: str) -> bool:
    return bool(PROXY.search(" ".join((text or "").lower().replace("\u2019", "'").split())))


def as_the_patients(analysis: Analysis, slots: Mapping[str, Any]) -> Analysis:
    """The analysis with what is said of the person spoken for as the patient's own, in a
    conversation typed for someone else (said now, or earlier: the slot)."""
    if not (slots.get(SPEAKING_FOR) or speaks_for_someone(analysis.text)):
        return analysis
    if not any(m.status == OTHER for m in analysis.mentions):
        return analysis
    mentions = [replace(m, status=PRESENT) if m.status == OTHER else m for m in analysis.mentions]
    return replace(analysis, mentions=mentions)
