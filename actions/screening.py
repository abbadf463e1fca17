"""Helpers the actions share: reading the latest message, and saying a reply with its kind.

The per-message red-flag screen itself no longer runs here: it runs inside the Rasa
server for every message (addons/safety.py, deciding with bot/safety.py), so that an
emergency gets its instruction even when the action server is down or slow.
"""

from typing import Any, Dict, List, Mapping, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.nlp import Analysis, analyse
from bot.proxy import as_the_patients
from bot.replies import data_of, kind_of


def latest_text(tracker: Tracker) -> Text:
    return tracker.latest_message.get("text") or ""


def latest_intent(tracker: Tracker) -> Optional[Text]:
    return (tracker.latest_message.get("intent") or {}).get("name")


def latest_analysis(tracker: Tracker) -> Analysis:
    """The latest message's analysis (a leading "/" is read as plain text, bot/nlp); typed for
    someone else, what is said of them is the patient's (bot/proxy.py)."""
    return as_the_patients(analyse(latest_text(tracker)), tracker.slots)


def changed_slots(tracker: Tracker, values: Mapping[Text, Any]) -> List[Dict[Text, Any]]:
    return [SlotSet(name, value) for name, value in values.items() if tracker.get_slot(name) != value]


def say(dispatcher: CollectingDispatcher, message: Text, buttons: Optional[List[Dict[Text, Any]]] = None) -> None:
    """Sends a message; a reply with a kind (bot/replies.py) carries it as ``metadata.kind``,
    and its data (``metadata.causes``, the possible causes; ``metadata.told``, the summary's
    statements)."""
    kind = kind_of(message)
    extra: Dict[Text, Any] = {"buttons": buttons} if buttons else {}
    if kind:
        metadata: Dict[Text, Any] = {"kind": kind, **data_of(message)}
        dispatcher.utter_message(text=str(message), metadata=metadata, **extra)
    else:
        dispatcher.utter_message(text=str(message), **extra)
