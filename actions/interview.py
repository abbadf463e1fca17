"""The symptom interview form: what to ask next, short answers, and the result."""

from typing import Dict, List, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.screening import changed_slots, latest_intent, latest_text
from bot import interview, replies
from bot.contract import (
    EMERGENCY,
    POSSIBLE_CAUSES,
    REQUESTED_SLOT,
    ROUTINE,
    TRIAGE_LEVEL,
    URGENT,
)
from bot.nlp.pipeline import neutralised
from bot.ranking import most_urgent_timeframe, rank_causes
from bot.symptoms import SymptomRecord
from bot.triage import raise_level


class ValidateSymptomForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_symptom_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        # rasa_sdk keeps only the slots the form still requires; extracted values of
        # slots no longer required (after an emergency nothing is) are returned as well.
        extraction_events = await self.get_extraction_events(dispatcher, tracker, domain)
        tracker.add_slots(extraction_events)
        validation_events = await self._extract_validation_events(dispatcher, tracker, domain)
        validated = {event["name"] for event in validation_events if event.get("event") == "slot"}
        return validation_events + [e for e in extraction_events if e["name"] not in validated]

    async def required_slots(self, domain_slots, dispatcher, tracker, domain) -> List[Text]:
        return interview.questions_to_ask(tracker.slots)

    async def get_extraction_events(self, dispatcher, tracker, domain) -> List[Dict]:
        """A bare answer ("yes", "no", "not sure", "7") to the question just asked. (A
        screening answer has already been screened in the Rasa process, addons/safety.py.)"""
        question = tracker.get_slot(REQUESTED_SLOT)
        text = neutralised(latest_text(tracker)).strip()
        if not question:
            return []
        record = SymptomRecord.from_slots(tracker.slots)
        values = interview.interpret_answer(question, latest_intent(tracker), text, record)
        values = {k: v for k, v in values.items() if tracker.get_slot(k) is None or k == question}
        return [SlotSet(k, v) for k, v in values.items()]


class ActionStartInterview(Action):
    """Introduces the interview, except after an emergency, when it will not run."""

    def name(self) -> Text:
        return "action_start_interview"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        if tracker.get_slot(TRIAGE_LEVEL) != EMERGENCY:
            dispatcher.utter_message(response="utter_start_interview")
        return []


class ActionConcludeInterview(Action):
    """The result: possible causes with reasons, self-care, and a summary."""

    def name(self) -> Text:
        return "action_conclude_interview"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        record = SymptomRecord.from_slots(tracker.slots)
        level = tracker.get_slot(TRIAGE_LEVEL) or ROUTINE
        if level == EMERGENCY:
            for message in replies.emergency_stop(record):
                dispatcher.utter_message(text=message)
            return changed_slots(tracker, {POSSIBLE_CAUSES: [], TRIAGE_LEVEL: level})
        causes = rank_causes(record.features())
        if level == URGENT:
            # A red flag's "get checked today" instruction comes first, before causes and self-care.
            dispatcher.utter_message(text=replies.reminder(URGENT))
        if causes:
            # A cause to be seen about today (a clot, a fracture) raises the level, never lowers it.
            level = raise_level(level, most_urgent_timeframe(causes).level)
        for message in replies.result(causes, record, level):
            dispatcher.utter_message(text=message)
        return changed_slots(
            tracker,
            {
                POSSIBLE_CAUSES: [c.condition_id for c in causes],
                TRIAGE_LEVEL: level,
            },
        )


class ActionStopInterview(Action):
    """The person stopped early: what they told so far, then the consult advice."""

    def name(self) -> Text:
        return "action_stop_interview"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        record = SymptomRecord.from_slots(tracker.slots)
        dispatcher.utter_message(text="No problem, let's stop the questions here.")
        if record.has_anything():
            dispatcher.utter_message(text=replies.summary(record))
        return [SlotSet(REQUESTED_SLOT, None)]
