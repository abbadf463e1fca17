"""The symptom interview form: what to ask next, short answers, and the result."""

from abc import ABC, abstractmethod
from typing import Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.screening import changed_slots, latest_analysis, latest_intent, latest_text, say
from actions.summary import is_messaging, native_buttons, offer_summary
from bot import interview, replies
from bot.contract import (
    INTERVIEW_OFFERED,
    NOTED_AFTER_RESULT,
    OWN_WORDS,
    POSSIBLE_CAUSES,
    QUESTIONS,
    REASK,
    REASK_AGAIN,
    REASK_PLAIN,
    REASK_UNCLEAR,
    REQUESTED_SLOT,
    RESULT_UNCHANGED,
    ROUTINE,
    SCREEN_ANSWERED,
    SYMPTOM_FORM,
    TRIAGE_LEVEL,
    UNSURE_ABOUT,
    URGENT,
)
from bot.nlp.pipeline import neutralised
from bot.ranking import most_urgent_timeframe, rank_causes
from bot.symptoms import SymptomRecord, is_correction
from bot.triage import raise_level


def _responses_in_this_interview(tracker: Tracker) -> List[Optional[Text]]:
    """Names of the responses said since the interview (the form) last started, leaving out
    a question the screen asked again after "I don't understand", a word's meaning or a
    feeling (slot reask "plain" or "again"): those asks do not count as failed answers."""
    events = tracker.events
    start = max(
        (i for i, e in enumerate(events) if e.get("event") == "active_loop" and e.get("name") == SYMPTOM_FORM),
        default=0,
    )
    names: List[Optional[Text]] = []
    reask = None
    for event in events[start:]:
        if event.get("event") == "slot" and event.get("name") == REASK:
            reask = event.get("value")
        elif event.get("event") == "bot":
            name = (event.get("metadata") or {}).get("utter_action")
            if not (reask in (REASK_PLAIN, REASK_AGAIN) and (name or "").startswith("utter_ask_")):
                names.append(name)
    return names


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
        """The reply to the question just asked: an answer (its own, or another question's),
        a bare "yes" to several options, or not understood (asked again at most twice).
        Not an answer at all (a goodbye, a question of their own): nothing, and the
        rules reply to it."""
        question = tracker.get_slot(REQUESTED_SLOT)
        text = neutralised(latest_text(tracker)).strip()
        if not question or tracker.get_slot(SCREEN_ANSWERED):
            return []  # no question, or the message answered the safety screen's own
        record = SymptomRecord.from_slots(tracker.slots)
        analysis = latest_analysis(tracker)
        intent = latest_intent(tracker)
        candidates = {name for name, value in tracker.slots_to_validate().items() if value is not None}
        if not candidates and not interview.may_be_an_answer(question, intent, text, analysis):
            return []  # the rules reply: goodbye and consult, or an answer then the question again
        # The screen has folded the message in already, unless it took it for a question
        # of the person's own ("picked up a box at work" names the topic "work"); folding
        # it again changes nothing when it has.
        before = record.to_slots()
        record.update(analysis, correcting=is_correction(text), question=question)
        folded = {k: v for k, v in record.to_slots().items() if v != before[k]}
        filled = sorted(candidates | {k for k, v in folded.items() if k in QUESTIONS and v is not None})
        asked = interview.times_asked(question, _responses_in_this_interview(tracker))
        reading = interview.read_reply(question, intent, text, analysis, record, filled, asked)
        if not reading.is_answer:
            return []
        values = dict(reading.values)
        if OWN_WORDS in values:
            values[OWN_WORDS] = {**(record.own_words or {}), **values[OWN_WORDS]}
        # Recorded answers are not overwritten by a short one, except what this question
        # is about ("no, just the calf": the calf is where it hurts, not where it goes).
        keep = (question, UNSURE_ABOUT, OWN_WORDS, "spread_to", "pain_location" if question == "pain_spreads" else "")
        values = {**folded, **{k: v for k, v in values.items() if tracker.get_slot(k) is None or k in keep}}
        if reading.reask is not None or tracker.get_slot(REASK) is not None:
            # Set even when unchanged: a validation with no slot set is rejected by Rasa, and
            # the rules would then say "Sorry, I didn't catch that" a second time.
            values[REASK] = reading.reask
        if reading.reask == REASK_UNCLEAR:
            dispatcher.utter_message(response="utter_interview_unclear")
        return [SlotSet(k, v) for k, v in values.items()]


class ActionStartInterview(Action):
    """Introduces the interview (or, after a result, notes what was added), except after an
    emergency, when it will not run."""

    def name(self) -> Text:
        return "action_start_interview"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        if not interview.stopped_by_emergency(tracker.slots):
            # After a result the questions were answered before: the form has nothing to ask.
            answered = tracker.get_slot(POSSIBLE_CAUSES) is not None
            dispatcher.utter_message(response=NOTED_AFTER_RESULT if answered else "utter_start_interview")
        # interview_offered stays set until the interview ends: the rule that starts the
        # questions after a "yes" to the offer depends on it until the form runs.
        return changed_slots(tracker, {REASK: None})


def _offer_done(tracker: Tracker) -> List[Dict]:
    """The interview has ended: an offer made before it is spent."""
    return [SlotSet(INTERVIEW_OFFERED, False)] if tracker.get_slot(INTERVIEW_OFFERED) else []


def may_offer_interview(tracker: Tracker) -> bool:
    """The symptom questions would help: not after an emergency, not during the
    interview, and not once it has been done."""
    return not (
        interview.stopped_by_emergency(tracker.slots)
        or tracker.active_loop_name == SYMPTOM_FORM
        or tracker.get_slot(POSSIBLE_CAUSES) is not None
    )


def offer_interview(dispatcher: CollectingDispatcher, tracker: Tracker, response: Text) -> List[Dict]:
    """Offers the symptom questions, if they would help (a "yes" then starts them)."""
    if not may_offer_interview(tracker):
        return _offer_done(tracker)
    dispatcher.utter_message(response=response)
    return changed_slots(tracker, {INTERVIEW_OFFERED: True})


def offer_if_own_pain(
    dispatcher: CollectingDispatcher, tracker: Tracker, otherwise: Optional[Text] = None, anyones: bool = False
) -> List[Dict]:
    """After an answer outside the interview: a message that also describes the person's
    own pain ("is it just a pulled muscle? my calf is swollen") is offered the symptom
    questions, and what it said is kept for them; otherwise the response ``otherwise``, if any.
    ``anyones``: a question about pain that names no topic is offered them too."""
    analysis = latest_analysis(tracker)
    about_pain = interview.speaks_of_pain(analysis) if anyones else interview.describes_own_pain(analysis)
    if not (about_pain and may_offer_interview(tracker)):
        if otherwise:
            dispatcher.utter_message(response=otherwise)
        # Always an event, even when nothing changes: the safety policy reads a custom
        # action that leaves no trace as one the action server never ran (addons/safety.py).
        return _offer_done(tracker) or [SlotSet(INTERVIEW_OFFERED, False)]
    record = SymptomRecord.from_slots(tracker.slots)
    record.update(analysis)
    events = offer_interview(dispatcher, tracker, "utter_offer_interview")
    return changed_slots(tracker, record.to_slots()) + events


class _OfferingAction(Action, ABC):
    """Says ``otherwise``, unless the message describes the person's pain: then the offer."""

    otherwise: Text = ""

    @abstractmethod
    def name(self) -> Text:
        """The action's name in the domain."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        return offer_if_own_pain(dispatcher, tracker, self.otherwise)


class ActionOutOfScope(_OfferingAction):
    """Out of scope, unless the message describes the person's pain: then the offer."""

    otherwise = "utter_out_of_scope"

    def name(self) -> Text:
        return "action_out_of_scope"


class ActionNotUnderstood(_OfferingAction):
    """Not understood, unless the message describes the person's pain: then the offer."""

    otherwise = "utter_default"

    def name(self) -> Text:
        return "action_not_understood"


class ActionConcludeInterview(Action):
    """The result: possible causes with reasons, self-care, and a summary."""

    def name(self) -> Text:
        return "action_conclude_interview"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        record = SymptomRecord.from_slots(tracker.slots)
        level = tracker.get_slot(TRIAGE_LEVEL) or ROUTINE
        if interview.stopped_by_emergency(tracker.slots):
            for message in replies.emergency_stop(record, tracker.slots):
                say(dispatcher, message)
            offer_summary(dispatcher, tracker)
            return changed_slots(tracker, {POSSIBLE_CAUSES: [], TRIAGE_LEVEL: level}) + _offer_done(tracker)
        causes = rank_causes(record.features())
        if level == URGENT and not (causes and most_urgent_timeframe(causes).level != ROUTINE):
            # A red flag's "get checked today" instruction comes first, before causes and
            # self-care; a result that leads with its own (a kidney infection) says it once.
            say(dispatcher, replies.reminder(URGENT))
        given_at = level
        if causes:
            # A cause to be seen about today (a clot, a fracture) raises the level, never lowers it.
            level = raise_level(level, most_urgent_timeframe(causes).level)
        if tracker.get_slot(POSSIBLE_CAUSES) == [c.condition_id for c in causes] and level == given_at:
            # The same result as before: said briefly, with what the person has told so far.
            dispatcher.utter_message(response=RESULT_UNCHANGED)
            say(dispatcher, replies.summary(record, tracker.slots))
        else:
            # A messaging channel (no cards) gets a "More about <cause>" button per cause on
            # the list of causes, asked like a question and answered from the content; where
            # the platform cannot show them as buttons, how to ask instead.
            messaging = is_messaging(tracker) and bool(causes)
            more = native_buttons(tracker, replies.more_about_buttons(causes)) if messaging else None
            for message in replies.result(causes, record, level, tracker.slots, offer_plan=True):
                say(dispatcher, message, more if replies.cards_of(message) else None)
                if messaging and not more and replies.cards_of(message):
                    say(dispatcher, replies.more_about_hint(causes))
        offer_summary(dispatcher, tracker)
        return changed_slots(
            tracker,
            {
                POSSIBLE_CAUSES: [c.condition_id for c in causes],
                TRIAGE_LEVEL: level,
            },
        ) + _offer_done(tracker)


class ActionStopInterview(Action):
    """The person stopped early: what they told so far, then the consult advice."""

    def name(self) -> Text:
        return "action_stop_interview"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict]:
        record = SymptomRecord.from_slots(tracker.slots)
        dispatcher.utter_message(text="No problem, let's stop the questions here.")
        if record.has_anything():
            say(dispatcher, replies.summary(record, tracker.slots))
        return [SlotSet(REQUESTED_SLOT, None)] + changed_slots(tracker, {REASK: None}) + _offer_done(tracker)
