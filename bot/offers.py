"""What is offered after a result, one at a time and in this order (issues 27, 28, 29):

1. ``handoff``: send the summary to the clinic (only when the deployment names one);
2. ``handoff_contact``: how the clinic may contact the person (only after a yes to 1);
3. ``checkin``: a check-in later (only when check-ins are switched on);
4. ``feedback``: "Was this helpful?" (Yes / Partly / No).

The consult recommendation closes the result before any of them; nothing is offered after
an emergency instruction or the crisis reply (the instruction stands alone), and each offer
is made at most once per conversation. For yes/no offers any answer but yes counts as no.

The Rasa process reads the answer (bot/turn.py, on the message after the offer) and the
action ``action_next_offer`` acts on it and makes the next offer (actions/offers.py).
No Rasa here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, FrozenSet, Mapping, Optional, Tuple

from bot.contract import (
    AFFIRM,
    CHECKIN_CONSENT,
    DENY,
    DESCRIBE_PAIN,
    EMERGENCY,
    FEEDBACK,
    GOODBYE,
    HANDOFF_CONSENT,
    OFFERS_ASKED,
    QUESTION_INTENTS,
    RED_FLAGS,
    REPORT_RED_FLAG,
    STOP,
    THANK,
    TRIAGE_LEVEL,
    URGENT,
)
from bot.interview import LEAVING
from bot.settings import Settings

HANDOFF, HANDOFF_CONTACT, CHECKIN, FEEDBACK_OFFER = "handoff", "handoff_contact", "checkin", "feedback"
FEEDBACK_ANSWERS = ("yes", "partly", "no")
# The red-flag id of the crisis reply (red_flags.yml): the reply stands alone like an emergency's.
CRISIS_FLAG_PREFIX = "suicid"


@dataclass(frozen=True)
class Offer:
    name: str
    response: str  # the domain response that asks it
    slot: Optional[str]  # where the answer is kept; None: never kept (the contact details)
    choices: Tuple[str, ...]  # the answers it takes; empty: free text


OFFERS: Tuple[Offer, ...] = (
    Offer(HANDOFF, "utter_offer_handoff", HANDOFF_CONSENT, ("yes", "no")),
    Offer(HANDOFF_CONTACT, "utter_offer_handoff_contact", None, ()),
    Offer(CHECKIN, "utter_offer_checkin", CHECKIN_CONSENT, ("yes", "no")),
    Offer(FEEDBACK_OFFER, "utter_offer_feedback", FEEDBACK, FEEDBACK_ANSWERS),
)
BY_NAME = {offer.name: offer for offer in OFFERS}

YES = re.compile(
    r"^\s*(yes|yeah|yep|yup|ya|yh|y|aye|sure|ok|okay|please|go ahead|of course|definitely|absolutely|"
    r"that would be (good|great|helpful)|why not)\b"
)
PARTLY = re.compile(r"\b(partly|partially|sort of|kind of|kinda|a bit|a little|somewhat|some of it|in parts?)\b")
NO = re.compile(r"^\s*(no|nope|nah|not really|not at all|no thanks|no thank you|n)\b")
# An answer that is a short reply to the offer, not a message of another kind.
SHORT_REPLY_WORDS = 6
CLOSING_INTENTS = frozenset({GOODBYE, STOP, THANK})


def available(settings: Settings) -> FrozenSet[str]:
    """The offers this deployment makes."""
    names = {FEEDBACK_OFFER}
    if settings.handoff_fhir_url:
        names |= {HANDOFF, HANDOFF_CONTACT}
    if settings.checkins:
        names.add(CHECKIN)
    return frozenset(names)


def stands_alone(slots: Mapping[str, Any]) -> bool:
    """After an emergency instruction or the crisis reply nothing is offered."""
    flags = slots.get(RED_FLAGS) or []
    return slots.get(TRIAGE_LEVEL) == EMERGENCY or any(str(f).startswith(CRISIS_FLAG_PREFIX) for f in flags)


def next_offer(slots: Mapping[str, Any], enabled: FrozenSet[str]) -> Optional[Offer]:
    """The first offer not made yet that applies now, or None."""
    if stands_alone(slots):
        return None
    asked = set(slots.get(OFFERS_ASKED) or [])
    for offer in OFFERS:
        if offer.name not in enabled or offer.name in asked:
            continue
        if offer.name == HANDOFF_CONTACT and slots.get(HANDOFF_CONSENT) is not True:
            continue
        if offer.name == CHECKIN and slots.get(TRIAGE_LEVEL) == URGENT:
            # Seen today, not checked on in a week (usability review 9: "Would you like me to
            # check in with you in a week?" after "get help today").
            continue
        return offer
    return None


def _lowered(text: str) -> str:
    return " ".join((text or "").lower().replace("’", "'").split())


def read_answer(offer: Offer, text: str, intent: Optional[str]) -> Any:
    """The answer to ``offer`` in the message: for yes/no offers True or False (anything
    but yes is no); for feedback one of FEEDBACK_ANSWERS or None; for free text the text
    (None when empty or a refusal)."""
    lowered = _lowered(text)
    if not offer.choices:
        return None if not lowered or NO.match(lowered) or intent == DENY else text.strip()
    if offer.choices == FEEDBACK_ANSWERS:
        if PARTLY.search(lowered):
            return "partly"
        if NO.match(lowered) or intent == DENY:
            return "no"
        if YES.match(lowered) or intent == AFFIRM:
            return "yes"
        return None
    return bool((YES.match(lowered) and not NO.match(lowered)) or intent == AFFIRM)


def passed_over_answer(offer: Offer) -> Any:
    """What an offer passed over for a question or more about the pain counts as: no for a
    yes/no offer; nothing for feedback or free text."""
    return False if offer.choices and offer.choices != FEEDBACK_ANSWERS else None


def is_direct_reply(offer: Offer, text: str, intent: Optional[str]) -> bool:
    """A reply to the offer itself ("yes", "no thanks", the contact details), not a message
    of another kind (a question, more about the pain), which the dialogue then answers."""
    lowered = _lowered(text)
    plain_answer = bool(
        YES.match(lowered) or NO.match(lowered) or (offer.choices == FEEDBACK_ANSWERS and PARTLY.search(lowered))
    )
    if LEAVING.search(lowered) and len(lowered.split()) > 2:
        return False  # "ok I'll leave it there": a goodbye, answered as one with the consult advice
    if intent in CLOSING_INTENTS:
        return plain_answer  # "no thanks" answers; "bye" and "thanks" are answered as such
    if not offer.choices:
        return bool(lowered)
    if "?" in lowered and len(lowered.split()) > 2:
        # "ok. and herniated, what it mean?": a question of its own after an "ok" (a usability
        # review: it was taken as the answer to "Was this helpful?").
        return False
    if intent in QUESTION_INTENTS and "?" not in lowered:
        # "No thank you, dear, I will be seeing my doctor.": a no, politely said in full.
        return plain_answer
    if intent in QUESTION_INTENTS or intent in (DESCRIBE_PAIN, REPORT_RED_FLAG):
        return plain_answer and len(lowered.split()) <= SHORT_REPLY_WORDS
    # Anything else not understood as an answer ("hmm", "?") is answered by the dialogue
    # (and counts as no): a turn is never silent.
    return plain_answer or intent in (AFFIRM, DENY)
