"""action_next_offer run twice in one turn (the turn's own step, then the rules' after the
consult advice): the second run must leave the offer the first made waiting for its answer
(usability review 7: "Partly" to "Was this helpful?" got "Sorry, I didn't quite understand")."""

from __future__ import annotations

from actions.offers import ActionNextOffer
from bot.contract import PENDING_OFFER
from tests.actions.conftest import make_tracker, responses

AFTER_RESULT = {"pain_location": ["lower_back"], "triage_level": "routine", "possible_causes": ["spinal_stenosis"]}


def pending_offer(events):
    return [e["value"] for e in events if e.get("event") == "slot" and e.get("name") == PENDING_OFFER]


async def test_a_second_run_with_nothing_answered_keeps_the_offer_just_made(dispatcher):
    slots = {**AFTER_RESULT, "offers_asked": ["checkin"], "checkin_consent": False}
    first = await ActionNextOffer().run(
        dispatcher, make_tracker("could it be my circulation?", "ask_condition", slots), {}
    )
    assert responses(dispatcher) == ["utter_offer_feedback"] and pending_offer(first) == ["feedback"]
    made = {**slots, "offers_asked": ["checkin", "feedback"], "pending_offer": "feedback"}
    second = await ActionNextOffer().run(
        dispatcher, make_tracker("could it be my circulation?", "ask_condition", made), {}
    )
    assert pending_offer(second) == [] and responses(dispatcher) == ["utter_offer_feedback"]


async def test_the_last_offer_answered_is_cleared_and_acknowledged(dispatcher):
    slots = {
        **AFTER_RESULT,
        "offers_asked": ["checkin", "feedback"],
        "offer_answered": "feedback",
        "feedback": "partly",
    }
    events = await ActionNextOffer().run(dispatcher, make_tracker("partly", "nlu_fallback", slots), {})
    assert pending_offer(events) == [None] and responses(dispatcher)
