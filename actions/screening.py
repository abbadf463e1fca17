"""Every user message passes through ``action_screen_message`` before anything else.

It is the custom slot mapping of the safety slots, so Rasa's ``action_extract_slots``
runs it after every message, in every state (first message, mid-form, after the
result, mid-FAQ), whatever the intent. It keeps the symptom record and the triage
slots up to date and speaks any new red flag at once.
"""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot import safety
from bot.content.loader import SCREENING_SLOTS
from bot.nlp import PRESENT, UNCERTAIN, analyse
from bot.symptoms import SymptomRecord, is_correction

FORM_NAME = "symptom_form"
# Intents whose findings describe the person's own pain (a question such as
# "can sitting cause back pain?" must not be recorded as "worse when sitting").
SYMPTOM_INTENTS = {"describe_pain", "report_red_flag", "affirm", "deny", "dont_know"}


def changed_slots(tracker: Tracker, values: Dict[Text, Any]) -> List[Dict[Text, Any]]:
    return [SlotSet(name, value) for name, value in values.items() if tracker.get_slot(name) != value]


class ActionScreenMessage(Action):
    def name(self) -> Text:
        return "action_screen_message"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        text = tracker.latest_message.get("text") or ""
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        analysis = analyse("" if text.startswith("/") else text)

        values: Dict[Text, Any] = {}
        if intent in SYMPTOM_INTENTS or tracker.active_loop_name == FORM_NAME:
            record = SymptomRecord.from_slots(tracker.current_slot_values())
            question = tracker.get_slot("requested_slot") if tracker.active_loop_name == FORM_NAME else None
            record.update(analysis, correcting=is_correction(text), question=question)
            values.update(record.to_slots())

        findings = set(tracker.get_slot("reported_findings") or [])
        findings |= analysis.findings((PRESENT, UNCERTAIN))
        answers = {slot: tracker.get_slot(slot) for slot in SCREENING_SLOTS}
        result = safety.screen(
            findings, answers, tracker.get_slot("triage_level"), tracker.get_slot("red_flags")
        )
        for message in result.messages:
            dispatcher.utter_message(text=message)
        if result.new_red_flags:
            dispatcher.utter_message(response="utter_consult_professional")
        values.update(
            triage_level=result.triage_level,
            red_flags=result.red_flags,
            new_red_flags=result.new_red_flags,
            reported_findings=sorted(findings),
        )
        return changed_slots(tracker, values)
