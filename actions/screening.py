"""Every user message passes through the screen before anything else.

The screen is Rasa's global slot-validation hook, ``action_validate_slot_mappings``:
``action_extract_slots`` runs it after every user message, in every state (first
message, mid-form, after the result, mid-FAQ), whatever the intent, before any
policy picks the next action; and unlike a custom slot-mapping action, the
messages it sends reach the person. It keeps the symptom record and the triage
slots up to date and speaks any new red flag at once.
"""

from typing import Any, Dict, Iterable, List, Mapping, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot import safety
from bot.contract import (
    CONSULT_PROFESSIONAL,
    NEW_RED_FLAGS,
    QUESTION_INTENTS,
    RED_FLAGS,
    REPORTED_FINDINGS,
    REQUESTED_SLOT,
    SCREENING_SLOTS,
    SYMPTOM_FORM,
    SYMPTOM_INTENTS,
    TOPIC_LABELS,
    TRIAGE_LEVEL,
)
from bot.nlp import Analysis, analyse
from bot.symptoms import SymptomRecord, is_correction


def latest_text(tracker: Tracker) -> Text:
    return tracker.latest_message.get("text") or ""


def latest_intent(tracker: Tracker) -> Optional[Text]:
    return (tracker.latest_message.get("intent") or {}).get("name")


def latest_analysis(tracker: Tracker) -> Analysis:
    """The latest message's analysis; a button payload ("/intent") has no words to analyse."""
    text = latest_text(tracker)
    return analyse("" if text.startswith("/") else text)


def changed_slots(tracker: Tracker, values: Mapping[Text, Any]) -> List[Dict[Text, Any]]:
    return [SlotSet(name, value) for name, value in values.items() if tracker.get_slot(name) != value]


def screen_and_speak(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    said_now: Iterable[Text] = (),
    new_answers: Optional[Mapping[Text, Any]] = None,
    remind: bool = True,
) -> Dict[Text, Any]:
    """Screen the conversation with this turn's findings and screening answers added; say
    what the screen found (a new red flag ends with the consult advice) and return the
    safety slots' new values."""
    said_now = set(said_now)
    findings = set(tracker.get_slot(REPORTED_FINDINGS) or []) | said_now
    answers = {slot: tracker.get_slot(slot) for slot in SCREENING_SLOTS}
    answers.update({k: v for k, v in (new_answers or {}).items() if k in SCREENING_SLOTS})
    result = safety.screen(
        findings,
        answers,
        tracker.get_slot(TRIAGE_LEVEL),
        tracker.get_slot(RED_FLAGS),
        remind=remind,
        message_findings=said_now,
    )
    for message in result.messages:
        dispatcher.utter_message(text=message)
    if result.new_red_flags:
        dispatcher.utter_message(response=CONSULT_PROFESSIONAL)
    return {
        TRIAGE_LEVEL: result.triage_level,
        RED_FLAGS: result.red_flags,
        NEW_RED_FLAGS: result.new_red_flags,
        REPORTED_FINDINGS: sorted(findings),
    }


class ActionScreenMessage(Action):
    def name(self) -> Text:
        return "action_validate_slot_mappings"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        analysis = latest_analysis(tracker)
        intent = latest_intent(tracker)
        values: Dict[Text, Any] = {}
        # Mid-interview, a message is an answer unless it is a question about a topic
        # ("what is sciatica?"); a one-word answer the classifier took for a question
        # ("sitting") is still an answer.
        asks_about_topic = intent in QUESTION_INTENTS and any(analysis.topics(label) for label in TOPIC_LABELS)
        in_interview = tracker.active_loop_name == SYMPTOM_FORM
        if intent in SYMPTOM_INTENTS or (in_interview and not asks_about_topic):
            record = SymptomRecord.from_slots(tracker.current_slot_values())
            question = tracker.get_slot(REQUESTED_SLOT) if in_interview else None
            record.update(analysis, correcting=is_correction(latest_text(tracker)), question=question)
            values.update(record.to_slots())
        values.update(screen_and_speak(dispatcher, tracker, said_now=safety.screened_findings(analysis)))
        return changed_slots(tracker, values)
