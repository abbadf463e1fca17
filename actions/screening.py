"""Every user message passes through the screen before anything else.

The screen is Rasa's global slot-validation hook, ``action_validate_slot_mappings``:
``action_extract_slots`` runs it after every user message, in every state (first
message, mid-form, after the result, mid-FAQ), whatever the intent, before any
policy picks the next action; and unlike a custom slot-mapping action, the
messages it sends reach the person. It keeps the symptom record and the triage
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
# Questions asked mid-interview are answered, not recorded as answers.
QUESTION_INTENTS = {"ask_condition", "ask_treatment", "ask_anatomy", "ask_help", "bot_challenge", "out_of_scope"}


def speak(dispatcher: CollectingDispatcher, result: safety.ScreenResult) -> None:
    """What the screen found, said at once; a new red flag ends with the consult advice."""
    for message in result.messages:
        dispatcher.utter_message(text=message)
    if result.new_red_flags:
        dispatcher.utter_message(response="utter_consult_professional")


def changed_slots(tracker: Tracker, values: Dict[Text, Any]) -> List[Dict[Text, Any]]:
    return [SlotSet(name, value) for name, value in values.items() if tracker.get_slot(name) != value]


class ActionScreenMessage(Action):
    def name(self) -> Text:
        return "action_validate_slot_mappings"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        text = tracker.latest_message.get("text") or ""
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        analysis = analyse("" if text.startswith("/") else text)

        values: Dict[Text, Any] = {}
        # Mid-interview, a message is an answer unless it is a question about a topic
        # ("what is sciatica?"); a one-word answer the classifier took for a question
        # ("sitting") is still an answer.
        asks_about_topic = intent in QUESTION_INTENTS and any(
            analysis.topics(label) for label in ("condition", "treatment", "anatomy_topic")
        )
        in_interview = tracker.active_loop_name == FORM_NAME and not asks_about_topic
        if intent in SYMPTOM_INTENTS or in_interview:
            record = SymptomRecord.from_slots(tracker.current_slot_values())
            question = tracker.get_slot("requested_slot") if tracker.active_loop_name == FORM_NAME else None
            record.update(analysis, correcting=is_correction(text), question=question)
            values.update(record.to_slots())

        said_now = analysis.findings((PRESENT, UNCERTAIN))
        findings = set(tracker.get_slot("reported_findings") or []) | said_now
        answers = {slot: tracker.get_slot(slot) for slot in SCREENING_SLOTS}
        result = safety.screen(
            findings, answers, tracker.get_slot("triage_level"), tracker.get_slot("red_flags"),
            message_findings=said_now,
        )
        speak(dispatcher, result)
        values.update(
            triage_level=result.triage_level,
            red_flags=result.red_flags,
            new_red_flags=result.new_red_flags,
            reported_findings=sorted(findings),
        )
        return changed_slots(tracker, values)
