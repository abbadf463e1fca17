"""spaCy rule pipeline (symptoms, body parts, negation, red flags)."""

from bot.nlp.negation import ABSENT, PRESENT, UNCERTAIN
from bot.nlp.pipeline import Analysis, Mention, analyse, get_pipeline

__all__ = ["ABSENT", "PRESENT", "UNCERTAIN", "Analysis", "Mention", "analyse", "get_pipeline"]
