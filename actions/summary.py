"""The conversation's summary as one message (messaging channels; any channel on request)."""

import base64
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.appointment import appointment_summary
from bot.rendering import PROFILES, choices_from_buttons, fits_natively
from bot.settings import get_settings

# Channels where the person cannot print or save the chat as the web widget can.
MESSAGING_CHANNELS = frozenset({"telegram", "slack", "facebook"})
# Channels that also get the summary as a PDF document (issue 27; Slack and Messenger not yet).
DOCUMENT_CHANNELS = frozenset({"telegram"})


class ActionSendSummary(Action):
    def name(self) -> Text:
        return "action_send_summary"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        slots = tracker.current_slot_values()
        dispatcher.utter_message(text=appointment_summary(slots))
        if tracker.get_latest_input_channel() in DOCUMENT_CHANNELS:
            from bot.handoff.pdf import DOCUMENT_KEY, file_name, summary_pdf

            pdf = summary_pdf(slots, get_settings().clinic_name)
            dispatcher.utter_message(
                json_message={DOCUMENT_KEY: base64.b64encode(pdf).decode(), "filename": file_name()}
            )
        return []


def is_messaging(tracker: Tracker) -> bool:
    """The person writes from a messaging channel (no cards, no print button)."""
    return tracker.get_latest_input_channel() in MESSAGING_CHANNELS


def native_buttons(tracker: Tracker, buttons: List[Dict[Text, Any]]) -> Optional[List[Dict[Text, Any]]]:
    """``buttons`` when the person's messaging channel shows them all as its own buttons,
    else None (a numbered list in the middle of a reply would not be answerable by number:
    the reply's last buttons are the ones a number picks)."""
    profile = PROFILES.get(tracker.get_latest_input_channel() or "")
    return buttons if profile is not None and fits_natively(choices_from_buttons(buttons), profile) else None


def offer_summary(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """After a result on a messaging channel: offer the summary as one message to keep."""
    if is_messaging(tracker):
        dispatcher.utter_message(response="utter_offer_summary")
