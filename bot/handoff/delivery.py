"""One consent, from the conversation to the outbox: the Bundle is built, kept, tried once
while the person is there, and what they are told is returned (the worker in the action
server retries the rest: addons/handoff.py)."""

from __future__ import annotations

import functools
from typing import Any, Mapping, Optional

from bot.appointment import appointment_summary
from bot.content import get_content
from bot.handoff import fhir
from bot.handoff.outbox import QUEUED, REFUSED, SENT, Config, Outbox, told

RESPONSES = {SENT: "utter_handoff_sent", QUEUED: "utter_handoff_queued", REFUSED: "utter_handoff_refused"}


@functools.lru_cache(maxsize=4)
def outbox_for(config: Config) -> Outbox:
    return Outbox(config)


def shared_outbox() -> Outbox:
    """This process's outbox, for the settings in the environment."""
    return outbox_for(Config.from_env())


def hand_off(sender_id: str, consented_at: float, slots: Mapping[str, Any], contact: Optional[str]) -> str:
    """Keeps the consented summary and tries it once: SENT, QUEUED or REFUSED."""
    outbox = shared_outbox()
    consent = fhir.consent_id(sender_id, consented_at)
    names = {flag.id: flag.name for flag in get_content().red_flags.values()}
    bundle = fhir.bundle(slots, consent, consented_at, contact, appointment_summary(slots), names)
    outbox.add(consent, bundle)
    return told(outbox.deliver(consent))
