"""Rasa graph component wrapping the spaCy rule pipeline of ``bot.nlp``.

Placed last in the NLU pipeline, after the intent classifier, it
- keeps what people type from being read as a command: Rasa reads a message starting
  with "/" ("/restart", "/back", '/intent{...}') as an intent given directly, on every
  channel; here the text loses its leading "/" before Rasa's RegexMessageHandler (which
  runs after the NLU pipeline) sees it, so it is understood and screened like any other
  text. The assistant's own buttons carry plain-text payloads, so nothing is lost;
- adds entities for every finding, topic and number it recognises (mentions carry their
  context as a role: "absent", "uncertain", "hypothetical", "historical", "other"), and
- reads a statement of one's own pain that the classifier took for a question or a
  topic as a description of pain, and a question about pain in general taken for a
  description as the question (bot/interview.py);
- makes red flags win over the classifier: a message with a red flag gets the
  intent ``report_red_flag`` whatever the classifier thought, and a message the
  classifier took for a red flag but which only denies one ("no bladder problems")
  falls back to the classifier's next guess.
The red-flag decision itself is bot/safety.py's, run for the whole conversation by the
safety policy (addons/safety.py).
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from addons.component import StatelessComponent
from bot import guard, interview, proxy, safety
from bot.contract import (
    AFFIRM,
    ASK_ANATOMY,
    ASK_CONDITION,
    ASK_TREATMENT,
    DELETE_CONVERSATION,
    DENY,
    DESCRIBE_PAIN,
    NLU_FALLBACK,
    NUMBER_ENTITIES,
    RED_FLAG_ENTITY,
    REPORT_RED_FLAG,
    REQUEST_SUMMARY,
)
from bot.nlp import PRESENT, Analysis, analyse
from bot.nlp.pipeline import neutralised

EXTRACTOR_NAME = "SymptomExtractor"
CLASSIFIER_RED_FLAG_CONFIDENCE = 0.8


def analysis_to_entities(analysis: Analysis, red_flags: List[str]) -> List[Dict[str, Any]]:
    entities = []
    for mention in analysis.mentions:
        entity = {
            "entity": mention.label,
            "value": mention.id,
            "start": mention.start,
            "end": mention.end,
            "confidence_entity": 1.0,
            "extractor": EXTRACTOR_NAME,
        }
        if mention.status != PRESENT:
            entity["role"] = mention.status
        entities.append(entity)
    numbers = dict(zip(NUMBER_ENTITIES, (analysis.severity, analysis.duration_days, analysis.age), strict=False))
    for name, value in numbers.items():
        if value is not None:
            entities.append(
                {
                    "entity": name,
                    "value": value,
                    "start": 0,
                    "end": 0,
                    "confidence_entity": 1.0,
                    "extractor": EXTRACTOR_NAME,
                }
            )
    for flag in red_flags:
        entities.append(
            {
                "entity": RED_FLAG_ENTITY,
                "value": flag,
                "start": 0,
                "end": len(analysis.text),
                "confidence_entity": 1.0,
                "extractor": EXTRACTOR_NAME,
            }
        )
    return entities


def override_intent(
    intent: Optional[Dict[str, Any]], ranking: List[Dict[str, Any]], analysis: Analysis, red_flags: List[str]
):
    """The (intent, ranking) the message should carry once red flags are taken into account."""
    if red_flags:
        top = {"name": REPORT_RED_FLAG, "confidence": 1.0}
        return top, [top] + [r for r in ranking if r.get("name") != REPORT_RED_FLAG]
    if intent and intent.get("name") == REPORT_RED_FLAG:
        # The classifier suspects a red flag the rules did not find. Denied red flags
        # ("no bladder problems") and unsure guesses go to the classifier's next intent;
        # a confident guess stays, and earns the safety-net message.
        unsure = (intent.get("confidence") or 0) < CLASSIFIER_RED_FLAG_CONFIDENCE
        rest = [r for r in ranking if r.get("name") != REPORT_RED_FLAG]
        if rest and (safety.denies_red_flag(analysis) or unsure):
            return rest[0], rest
    return intent, ranking


# Intents that do something to the conversation: only when the message asks in words.
ASKED_IN_WORDS = {DELETE_CONVERSATION: guard.asks_for_deletion, REQUEST_SUMMARY: guard.asks_for_summary}


# A next guess this weak is no guess ("Yes please, that would be very kind of you" became a
# goodbye at 0.008); a weaker one than the FallbackClassifier's 0.4 can still be right once a
# wrong first guess is taken away ("honestly couldn't tell you" is "don't know").
NO_GUESS = 0.1


def _deletion_needs_its_words(intent: Optional[Dict[str, Any]], ranking: List[Dict[str, Any]], text: str):
    """``delete_conversation`` and ``request_summary`` only when the message asks for them in
    words; else the next guess, or ``nlu_fallback`` when that guess is too weak to act on."""
    unasked = {name for name, asks in ASKED_IN_WORDS.items() if not asks(text)}
    ranking = [r for r in ranking if r.get("name") not in unasked]  # nothing acts on them later
    if (intent or {}).get("name") not in unasked:
        return intent, ranking
    if not ranking or (ranking[0].get("confidence") or 0) < NO_GUESS:
        fallback = {"name": NLU_FALLBACK, "confidence": NO_GUESS}
        return fallback, [fallback] + [r for r in ranking if r.get("name") != NLU_FALLBACK]
    return ranking[0], ranking


# What a "yes" that opens a message is read as, whatever politeness follows it.
YES_FIRST_OVERRIDES = frozenset({"goodbye", "thank", "greet", "bot_challenge", "out_of_scope", NLU_FALLBACK})


def _yes_first(intent: Optional[Dict[str, Any]], ranking: List[Dict[str, Any]], text: str, analysis: Analysis):
    """A message that opens with "yes" and adds only thanks ("Yes please, that would be very
    kind of you. Thank you.") answers the question asked: ``affirm``."""
    name = (intent or {}).get("name")
    if (
        name in YES_FIRST_OVERRIDES
        and interview.opens_with_yes(text)
        and not interview.is_leaving(text)
        and not analysis.findings()
    ):
        top = {"name": AFFIRM, "confidence": 1.0}
        return top, [top] + [r for r in ranking if r.get("name") != AFFIRM]
    return intent, ranking


def _no_first(intent: Optional[Dict[str, Any]], ranking: List[Dict[str, Any]], text: str, analysis: Analysis):
    """A message that opens with "no" and adds a remark ("No, none of those, thank goodness,
    although I am rather stiff in the mornings") answers the question asked: ``deny``
    (usability review 9: taken as out of scope, it stalled the interview)."""
    name = (intent or {}).get("name")
    if (
        name in YES_FIRST_OVERRIDES
        and interview.NO_START.match(" ".join((text or "").lower().replace("’", "'").split()))
        and not interview.is_leaving(text)
        and not safety.message_red_flags(analysis)
    ):
        top = {"name": DENY, "confidence": 1.0}
        return top, [top] + [r for r in ranking if r.get("name") != DENY]
    return intent, ranking


GENERAL_QUESTIONS = (ASK_CONDITION, ASK_TREATMENT, ASK_ANATOMY)


def own_pain_or_question(
    intent: Optional[Dict[str, Any]], ranking: List[Dict[str, Any]], text: str, analysis: Analysis
):
    """A statement of one's own pain read as a question or a topic ("my sciatica is playing
    up again") is a description of pain; a question about pain in general read as a
    description ("can kidney problems feel like back pain?") is the question the
    classifier ranked next (bot/interview.py says which is which)."""
    name = (intent or {}).get("name")
    own_question = name in interview.MISREAD_STATEMENTS and interview.asks_what_to_do_about_own_pain(text, analysis)
    own_fear = interview.fears_what_own_pain_is(name, text)
    if interview.is_statement_of_own_pain(name, text, analysis) or own_question or own_fear:
        # A question about what to do with one's own pain is answered, then the questions
        # start (bot/turn.py): it is a description of pain too.
        top = {"name": DESCRIBE_PAIN, "confidence": 1.0}
        return top, [top] + [r for r in ranking if r.get("name") != DESCRIBE_PAIN]
    if interview.is_general_question(name, text):
        questions = [r for r in ranking if r.get("name") in GENERAL_QUESTIONS]
        if questions:
            return questions[0], questions + [r for r in ranking if r not in questions]
    topic_question = interview.question_about_a_topic(name, text, analysis)
    if topic_question:
        top = {"name": topic_question, "confidence": 1.0}
        return top, [top] + [r for r in ranking if r.get("name") != topic_question]
    return intent, ranking


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class SymptomExtractor(StatelessComponent):
    def __init__(self) -> None:
        analyse("")  # build the spaCy pipeline now, not on the first person's message

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if text.lstrip().startswith("/"):
                message.set(TEXT, neutralised(text))
            # "I'm on here for my mum, she's 79 and did something to her back": her pain is the
            # patient's (set 10: read as someone else's, it got the topic menu).
            analysis = proxy.as_the_patients(analyse(text), {})
            red_flags = safety.message_red_flags(analysis)
            entities = [
                e for e in message.get(ENTITIES, []) if e.get("extractor") != EXTRACTOR_NAME
            ] + analysis_to_entities(analysis, red_flags)
            message.set(ENTITIES, entities, add_to_output=True)
            intent, ranking = _deletion_needs_its_words(
                message.get(INTENT), message.get(INTENT_RANKING_KEY) or [], text
            )
            intent, ranking = own_pain_or_question(intent, ranking, text, analysis)
            intent, ranking = override_intent(intent, ranking, analysis, red_flags)
            # Again last: a step above may have moved up an intent that erases or sums up the
            # conversation ("Please could you check my symptoms?" erased it, usability review 8).
            intent, ranking = _deletion_needs_its_words(intent, ranking, text)
            intent, ranking = _yes_first(intent, ranking, text, analysis)
            intent, ranking = _no_first(intent, ranking, text, analysis)
            if intent is not None:
                message.set(INTENT, intent, add_to_output=True)
                message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
