"""Answers to questions about conditions, treatments and anatomy, from the content module.

Outside the interview an answer carries on with ``offer_if_own_pain`` in the same action
(a question that also describes the person's pain is offered the symptom questions):
one action-server round trip per question instead of two. During the interview the
answer is all, and the form asks its question again."""

from abc import ABC, abstractmethod
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.interview import may_offer_interview, offer_if_own_pain
from actions.screening import latest_analysis, latest_text, say
from bot import interview, replies
from bot.contract import CONSULT_PROFESSIONAL, POSSIBLE_CAUSES, SYMPTOM_FORM
from bot.ranking import rank_causes
from bot.symptoms import SymptomRecord


def _topic(tracker: Tracker, label: Text) -> Optional[Text]:
    """The topic named in the latest message, else the last one the entities gave."""
    topics = latest_analysis(tracker).topics(label)
    if topics:
        return topics[0]
    entity_values = list(tracker.get_latest_entity_values(label))
    return entity_values[0] if entity_values else None


def _answer_to_another_topic(tracker: Tracker, label: Text) -> Optional[List[Text]]:
    """ "What is a nerve root?" classified as a question about a condition: the part of the
    spine it names answers it, not the list of conditions."""
    analysis = latest_analysis(tracker)
    for other, answer in replies.TOPIC_ANSWERS.items():
        topics = analysis.topics(other) if other != label else []
        if topics:
            return answer(topics[0])
    return None


class _AnswerAction(Action, ABC):
    label: Text = ""

    @abstractmethod
    def answer(self, topic_id: Text) -> List[Text]:
        """The messages answering a question about ``topic_id``."""

    def answer_for(self, topic_id: Text, tracker: Tracker) -> List[Text]:
        """The answer for this conversation (by default the same for everyone)."""
        return self.answer(topic_id)

    def not_found(self) -> List[Text]:
        return replies.topics_overview()

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        topic_id = _topic(tracker, self.label)
        if not topic_id and interview.speaks_of_pain(latest_analysis(tracker)) and may_offer_interview(tracker):
            # "Is it normal to still have back pain 2 weeks after lifting?": no topic to
            # answer from, but a pain the questions can: offered them, not the topic menu.
            return offer_if_own_pain(dispatcher, tracker, anyones=True)
        if topic_id:
            messages = self.answer_for(topic_id, tracker)
        else:
            messages = _answer_to_another_topic(tracker, self.label) or self.not_found()
        for message in messages:
            say(dispatcher, message)
        if tracker.active_loop_name == SYMPTOM_FORM:
            return []
        return offer_if_own_pain(dispatcher, tracker)


class ActionAnswerCondition(_AnswerAction):
    label = "condition"

    def name(self) -> Text:
        return "action_answer_condition"

    def answer(self, topic_id: Text) -> List[Text]:
        return replies.condition_answer(topic_id)

    def answer_for(self, topic_id: Text, tracker: Tracker) -> List[Text]:
        """One of the person's possible causes ("More about <cause>" after a result on a
        messaging channel, or asked in words): first why it may fit what they said."""
        causes = tracker.get_slot(POSSIBLE_CAUSES)
        compared = (
            [replies.is_it_answer(topic_id, causes)] if causes and interview.asks_if_it_is(latest_text(tracker)) else []
        )
        if topic_id in (causes or []):
            record = SymptomRecord.from_slots(tracker.slots)
            ranked = next((c for c in rank_causes(record.features()) if c.condition_id == topic_id), None)
            if ranked is not None:
                return compared + replies.more_about(ranked)
        return compared + self.answer(topic_id)


class ActionAnswerTreatment(_AnswerAction):
    label = "treatment"

    def name(self) -> Text:
        return "action_answer_treatment"

    def answer(self, topic_id: Text) -> List[Text]:
        return replies.treatment_answer(topic_id)

    def not_found(self) -> List[Text]:
        return replies.treatments_overview()


class ActionAnswerAnatomy(_AnswerAction):
    label = "anatomy_topic"

    def name(self) -> Text:
        return "action_answer_anatomy"

    def answer(self, topic_id: Text) -> List[Text]:
        return replies.anatomy_answer(topic_id)

    def not_found(self) -> List[Text]:
        return replies.anatomy_overview()


class ActionDefaultFallback(Action):
    """Replaces Rasa's default (which would forget the message): a kind reply and the consult advice."""

    def name(self) -> Text:
        return "action_default_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        dispatcher.utter_message(response="utter_default")
        dispatcher.utter_message(response=CONSULT_PROFESSIONAL)
        return []
