"""action_next_offer after the contact reply (issue 27): the summary goes to the outbox, is tried
once against a real local receiver, and the person is told sent, queued or refused; then the
next offer. The contact text comes from the message only; nothing is sent without a yes."""

from __future__ import annotations

import pytest

from actions.offers import ActionNextOffer
from bot.handoff import delivery
from bot.handoff.outbox import Config
from tests.actions.conftest import make_tracker, responses
from tests.unit.test_handoff_outbox import Receiver

CONTACT = "07700 900461 after 5pm"
SLOTS = {
    "pain_location": ["lower_back"],
    "triage_level": "routine",
    "possible_causes": ["nonspecific_low_back_pain"],
    "handoff_consent": True,
    "offer_answered": "handoff_contact",
    "offers_asked": ["handoff", "handoff_contact"],
}


@pytest.fixture
def clinic(monkeypatch, tmp_path):
    receiver = Receiver()
    monkeypatch.setenv("HANDOFF_FHIR_URL", receiver.url)
    monkeypatch.setenv("CLINIC_NAME", "Riverside Physio")
    monkeypatch.setenv("HANDOFF_OUTBOX_URL", f"sqlite:///{tmp_path / 'handoff.db'}")
    monkeypatch.setenv("HANDOFF_TIMEOUT", "2")
    delivery.outbox_for.cache_clear()
    yield receiver
    receiver.close()
    delivery.outbox_for.cache_clear()


@pytest.mark.parametrize(
    "status, told", [(201, "utter_handoff_sent"), (503, "utter_handoff_queued"), (400, "utter_handoff_refused")]
)
async def test_the_person_is_told_what_became_of_it(clinic, dispatcher, status, told):
    clinic.status = status
    await ActionNextOffer().run(dispatcher, make_tracker(CONTACT, "inform", SLOTS), {})
    # Then the next offer in the issues' order: the check-in (on by default), before feedback.
    assert responses(dispatcher) == [told, "utter_offer_checkin"]
    (got,) = clinic.received
    answers = {i["linkId"]: i["answer"] for i in got["body"]["entry"][1]["resource"]["item"]}
    assert answers["contact"] == [{"valueString": CONTACT}]
    assert Config.from_env().url == clinic.url


async def test_nothing_is_sent_without_a_yes(clinic, dispatcher):
    await ActionNextOffer().run(dispatcher, make_tracker(CONTACT, "inform", {**SLOTS, "handoff_consent": False}), {})
    assert clinic.received == [] and "utter_handoff_sent" not in responses(dispatcher)
