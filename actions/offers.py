"""After the result: act on the answer to the offer just made, then make the next one.

The Rasa process has read the answer (bot/turn.py, bot/offers.py) into the offer's slot and
named the offer in ``offer_answered``; each offer's effect is a function in ``EFFECTS``
(issue 27: the hand-off; issue 29: the check-in; issue 28: the feedback).
"""

import asyncio
import inspect
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text, Union

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot import offers
from bot.contract import (
    CHECKIN_CONSENT,
    FEEDBACK,
    HANDOFF_CONSENT,
    OFFER_ANSWERED,
    OFFERS_ASKED,
    PENDING_OFFER,
    POSSIBLE_CAUSES,
    RESULT_GIVEN,
)
from bot.settings import get_settings

Events = List[Dict[Text, Any]]
Effect = Callable[[CollectingDispatcher, Tracker], Union[Events, Awaitable[Events]]]


def _feedback(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[Text, Any]]:
    if tracker.get_slot(FEEDBACK) is not None:
        dispatcher.utter_message(response="utter_feedback_thanks")
    return []


def _contact_message(tracker: Tracker) -> Optional[Dict[Text, Any]]:
    return next((e for e in reversed(tracker.events) if e.get("event") == "user"), None)


async def _handoff(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[Text, Any]]:
    """After the contact question (asked only after a yes): the summary goes to the outbox
    and is tried once now; the person is told sent, queued or refused. The contact text is
    read from this message only (never a slot; the store keeps "[contact details]")."""
    message = _contact_message(tracker)
    if tracker.get_slot(HANDOFF_CONSENT) is not True or message is None:
        return []
    # Imported here: a deployment without a hand-off needs none of the outbox's dependencies.
    from bot.handoff import delivery

    contact = offers.read_answer(offers.BY_NAME[offers.HANDOFF_CONTACT], message.get("text") or "", None)
    consented_at = float(message.get("timestamp") or 0.0)
    told = await asyncio.to_thread(
        delivery.hand_off, tracker.sender_id, consented_at, tracker.current_slot_values(), contact
    )
    dispatcher.utter_message(response=delivery.RESPONSES[told])
    return []


def _checkin(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[Text, Any]]:
    # The Rasa process keeps the check-in (addons/checkins.py, from the slot): only said here.
    if tracker.get_slot(CHECKIN_CONSENT) is True:
        dispatcher.utter_message(response="utter_checkin_set")
    return []


EFFECTS: Dict[Text, Effect] = {
    offers.HANDOFF_CONTACT: _handoff,
    offers.CHECKIN: _checkin,
    offers.FEEDBACK_OFFER: _feedback,
}


class ActionNextOffer(Action):
    def name(self) -> Text:
        return "action_next_offer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        events: List[Dict[Text, Any]] = []
        if tracker.get_slot(POSSIBLE_CAUSES) is not None and not tracker.get_slot(RESULT_GIVEN):
            events.append(SlotSet(RESULT_GIVEN, True))  # the result's consult advice was just said in full
        answered = tracker.get_slot(OFFER_ANSWERED)
        if answered in EFFECTS:
            done = EFFECTS[answered](dispatcher, tracker)
            events += await done if inspect.isawaitable(done) else done
        slots = {**tracker.current_slot_values(), **{e["name"]: e["value"] for e in events if e.get("event") == "slot"}}
        offer = offers.next_offer(slots, offers.available(get_settings()))
        # Always an event: a custom action that leaves none is taken for a failed one (addons/safety.py).
        events.append(SlotSet(OFFER_ANSWERED, None))
        if offer is None:
            if answered and not dispatcher.messages:
                dispatcher.utter_message(response="utter_offers_done")  # an answer is never met with silence
            # Run again in the same turn with nothing answered, it leaves the offer just made
            # waiting (usability review 7: "Partly" to "Was this helpful?" was not understood).
            return events + ([SlotSet(PENDING_OFFER, None)] if answered else [])
        dispatcher.utter_message(response=offer.response)
        asked = list(slots.get(OFFERS_ASKED) or [])
        return events + [SlotSet(PENDING_OFFER, offer.name), SlotSet(OFFERS_ASKED, asked + [offer.name])]
