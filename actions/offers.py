"""After the result: act on the answer to the offer just made, then make the next one.

The Rasa process has read the answer (bot/turn.py, bot/offers.py) into the offer's slot and
named the offer in ``offer_answered``; each offer's effect is a function in ``EFFECTS``
(issue 27: the hand-off; issue 29: the check-in; issue 28: the feedback).
"""

from typing import Any, Callable, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot import offers
from bot.contract import CHECKIN_CONSENT, FEEDBACK, OFFER_ANSWERED, OFFERS_ASKED, PENDING_OFFER
from bot.settings import get_settings

Effect = Callable[[CollectingDispatcher, Tracker], List[Dict[Text, Any]]]


def _feedback(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[Text, Any]]:
    if tracker.get_slot(FEEDBACK) is not None:
        dispatcher.utter_message(response="utter_feedback_thanks")
    return []


def _checkin(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[Text, Any]]:
    # The Rasa process keeps the check-in (addons/checkins.py, from the slot): only said here.
    if tracker.get_slot(CHECKIN_CONSENT) is True:
        dispatcher.utter_message(response="utter_checkin_set")
    return []


EFFECTS: Dict[Text, Effect] = {offers.CHECKIN: _checkin, offers.FEEDBACK_OFFER: _feedback}


class ActionNextOffer(Action):
    def name(self) -> Text:
        return "action_next_offer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        events: List[Dict[Text, Any]] = []
        answered = tracker.get_slot(OFFER_ANSWERED)
        if answered in EFFECTS:
            events += EFFECTS[answered](dispatcher, tracker)
        slots = {**tracker.current_slot_values(), **{e["name"]: e["value"] for e in events if e.get("event") == "slot"}}
        offer = offers.next_offer(slots, offers.available(get_settings()))
        # Always an event: a custom action that leaves none is taken for a failed one (addons/safety.py).
        events.append(SlotSet(OFFER_ANSWERED, None))
        if offer is None:
            if answered and not dispatcher.messages:
                dispatcher.utter_message(response="utter_offers_done")  # an answer is never met with silence
            return events + [SlotSet(PENDING_OFFER, None)]
        dispatcher.utter_message(response=offer.response)
        asked = list(slots.get(OFFERS_ASKED) or [])
        return events + [SlotSet(PENDING_OFFER, offer.name), SlotSet(OFFERS_ASKED, asked + [offer.name])]
