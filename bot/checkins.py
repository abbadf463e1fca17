"""The check-in a person asked for after a result (issue 29): when it is due, reading the
answer to it, and what to say back. No Rasa here.

The check-in is an offer (bot/offers.py, ``checkin``): a yes sets ``checkin_consent``; the
Rasa process keeps the check-in in a table (addons/checkins.py), which a poller reads and
triggers the intent ``EXTERNAL_checkin`` for on the channel the person used. That turn asks
``checkin_question`` (pain now 0-10, better / same / worse, anything new) and marks the next
message as its reply (``pending_offer`` = ``checkin_reply``). The reply is screened like any
message (red flags first); then it is compared with what was recorded:

- worse (said, or pain now at least 2 points above the worst recorded) -> see a GP or a
  physiotherapist soon, NHS 111 today if severe;
- better (said, or 2 points below) -> keep going with the plan;
- the same -> keep going, and when to see someone;
and the consult recommendation closes it, as every result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping, Optional

from bot.contract import CHECKIN_CONSENT, EXTERNAL_CHECKIN, PENDING_OFFER
from bot.offers import stands_alone

CHECKIN_INTENT = EXTERNAL_CHECKIN
RECORDED_PAIN = "pain_severity"  # the slot with the worst pain recorded in the interview
CHECKIN_REPLY = "checkin_reply"  # pending_offer while the check-in question waits for its answer
WORSE, SAME, BETTER = "worse", "same", "better"
# Points on the 0-10 scale that count as a change when only a number is given.
CHANGE = 2

_WORSE = re.compile(
    r"\b(worse|worsening|getting bad|more pain|more painful|hurts more|not (any )?better|no better|"
    r"not improving|not improved|deteriorat\w*)\b"
)
_SAME = re.compile(r"\b(same|no change|not changed|unchanged|no different|not much different|about the same)\b")
_BETTER = re.compile(
    r"\b(better|improv\w*|easing|eased|less pain|less painful|hurts less|much improved|gone|settled|good)\b"
)
_NUMBER = re.compile(r"(?<![\d.])(10|[0-9])(\s*(/|out of)\s*10)?(?![\d.])")
STOP = re.compile(
    r"\b(stop|cancel|no more|don'?t want|do not want|unsubscribe( from)?|turn off|switch off)\b.{0,20}\bcheck[- ]?ins?\b"
)


@dataclass(frozen=True)
class Reply:
    pain_now: Optional[float]
    said: Optional[str]  # WORSE / SAME / BETTER as the person put it


def _lowered(text: str) -> str:
    return " ".join((text or "").lower().replace("’", "'").split())


def read_reply(text: str) -> Reply:
    """Pain now (0-10) and better / same / worse, from the reply to the check-in question."""
    lowered = _lowered(text)
    said = None
    if _WORSE.search(lowered):  # "not better" and "worse" before "better"
        said = WORSE
    elif _SAME.search(lowered):
        said = SAME
    elif _BETTER.search(lowered):
        said = BETTER
    number = _NUMBER.search(lowered)
    return Reply(float(number.group(1)) if number else None, said)


def compare(reply: Reply, recorded: Any) -> Optional[str]:
    """WORSE, SAME or BETTER: the worse of what was said and what the numbers show; None
    when the reply says neither."""
    by_number = None
    if reply.pain_now is not None and isinstance(recorded, (int, float)):
        change = reply.pain_now - float(recorded)
        by_number = WORSE if change >= CHANGE else BETTER if change <= -CHANGE else SAME
    found = [v for v in (reply.said, by_number) if v is not None]
    if not found:
        return SAME if reply.pain_now is not None else None
    for verdict in (WORSE, SAME, BETTER):
        if verdict in found:
            return verdict
    return None


def advice_key(verdict: Optional[str]) -> str:
    """The dialogue text (red_flags.yml) that answers a check-in reply."""
    return {WORSE: "checkin_worse", SAME: "checkin_same", BETTER: "checkin_better"}.get(
        verdict or "", "checkin_not_read"
    )


def wants_to_stop(text: str) -> bool:
    """'Stop check-ins', 'cancel the check-in', 'I don't want any more check-ins'."""
    return STOP.search(_lowered(text)) is not None


def awaiting_reply(slots: Mapping[str, Any]) -> bool:
    return slots.get(PENDING_OFFER) == CHECKIN_REPLY


def may_check_in(slots: Mapping[str, Any]) -> bool:
    """A check-in only with consent, and never after an emergency instruction or the crisis reply."""
    return slots.get(CHECKIN_CONSENT) is True and not stands_alone(slots)
