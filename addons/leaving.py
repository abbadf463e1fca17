"""Rasa graph component: a goodbye in any words is read as one.

The classifier takes "thanks, bye" for thanks and "ok I'll leave it there" for
anything; said mid-interview, that kept the question coming back and the consult
advice never came. A message with a leaving cue (``bot.interview.is_leaving``) gets
the intent ``goodbye`` unless it is a question of its own, or a description of
pain. It runs before the SymptomExtractor, so a red flag still wins.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from addons.component import StatelessComponent
from bot.contract import ASK_ANATOMY, ASK_CONDITION, ASK_TREATMENT, DESCRIBE_PAIN, GOODBYE, REPORT_RED_FLAG
from bot.interview import QUESTION_START, is_leaving
from bot.nlp import analyse

# Intents a leaving cue does not override: questions still get their answer (which ends
# with the consult advice anyway), and a red flag is never masked.
KEPT = frozenset({ASK_CONDITION, ASK_TREATMENT, ASK_ANATOMY, REPORT_RED_FLAG, GOODBYE})


QUESTIONS = frozenset({ASK_CONDITION, ASK_TREATMENT, ASK_ANATOMY})


def leaving_intent(text: str, intent: Optional[Dict[str, Any]]) -> bool:
    """The message should be read as a goodbye."""
    name = (intent or {}).get("name")
    # "gotta go, boss is calling me in. cheers for now", taken for a question: no question in
    # it, so a goodbye (held-out set 5: the consult advice never came).
    asks = "?" in text or bool(QUESTION_START.search(" ".join(text.lower().split())))
    if (name in KEPT and (name not in QUESTIONS or asks)) or not is_leaving(text):
        return False
    # "my back went, bye bye football for a while": a description of pain stays one.
    return not (name == DESCRIBE_PAIN and analyse(text).findings())


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class LeavingDetector(StatelessComponent):
    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if text.startswith("/") or not leaving_intent(text, message.get(INTENT)):
                continue
            top = {"name": GOODBYE, "confidence": 1.0}
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != GOODBYE]
            message.set(INTENT, top, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [top] + ranking, add_to_output=True)
        return messages
