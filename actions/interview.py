"""The symptom interview form: what to ask next, short answers, and the result."""

from typing import Dict, List, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.screening import changed_slots, latest_intent, latest_text, screen_and_speak
from bot import interview, replies
from bot.contract import (
    CONSULT_PROFESSIONAL,
    EMERGENCY,
    NEW_RED_FLAGS,
    POSSIBLE_CAUSES,
    REQUESTED_SLOT,
    ROUTINE,
    SCREENING_SLOTS,
    TRIAGE_LEVEL,
    URGENT,
)
from bot.ranking import most_urgent_timeframe, rank_causes
from bot.symptoms import SymptomRecord
from bot.triage import raise_level


class ValidateSymptomForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_symptom_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        # rasa_sdk keeps only the slots the form still requires; a screening answer
        # also raises triage_level / red_flags (and after an emergency nothing is
        # required any more), so those extracted values are returned as well.
        extraction_events = await self.get_extraction_events(dispatcher, tracker, domain)
        tracker.add_slots(extraction_events)
        validation_events = await self._extract_validation_events(dispatcher, tracker, domain)
        validated = {event["name"] for event in validation_events if event.get("event") == "slot"}
        return validation_events + [e for e in extraction_events if e["name"] not in validated]

    async def required_slots(self, domain_slots, dispatcher, tracker, domain) -> List[Text]:
        return interview.questions_to_ask(tracker.slots)

    async def get_extraction_events(self, dispatcher, tracker, domain) -> List[Dict]:
        """A bare answer ("yes", "no", "not sure", "7") to the question just asked."""
        question = tracker.get_slot(REQUESTED_SLOT)
        text = latest_text(tracker)
        if not question or text.startswith("/"):
            return []
        record = SymptomRecord.from_slots(tracker.slots)
        values = interview.interpret_answer(question, latest_intent(tracker), text, record)
        values = {k: v for k, v in values.items() if tracker.get_slot(k) is None or k == question}
        if any(k in SCREENING_SLOTS for k in values):
            screened = screen_and_speak(dispatcher, tracker, new_answers=values, remind=False)
            values.update({k: v for k, v in screened.items() if tracker.get_slot(k) != v})
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
        if causes:
            # A cause to be seen about today (a clot, a fracture) raises the level, never lowers it.
            level = raise_level(level, most_urgent_timeframe(causes).level)
        for message in replies.result(causes, record, level):
            dispatcher.utter_message(text=message)
        if level == URGENT:
            dispatcher.utter_message(text=replies.reminder(URGENT))
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


class ActionRedFlagFollowup(Action):
    """After a message with a red flag (intent report_red_flag).

    The screen has already spoken about a new red flag, so this stays silent then.
    A red flag said again gets the instruction again; and should the intent ever
    arrive without any red flag recorded, the safety net is given rather than nothing.
    """

    def name(self) -> Text:
        return "action_red_flag_followup"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        level = tracker.get_slot(TRIAGE_LEVEL)
        if tracker.get_slot(NEW_RED_FLAGS):
            return []  # the screen has spoken this turn, ending with the consult advice
        if level == EMERGENCY:
            # The screen has repeated the instruction; a red flag said again still ends
            # like any escalation.
            dispatcher.utter_message(response=CONSULT_PROFESSIONAL)
            return []
        if level == URGENT:
            dispatcher.utter_message(text=replies.reminder(URGENT))
            dispatcher.utter_message(response=CONSULT_PROFESSIONAL)
            return []
        for message in replies.safety_net():
            dispatcher.utter_message(text=message)
        dispatcher.utter_message(response=CONSULT_PROFESSIONAL)
        return []
