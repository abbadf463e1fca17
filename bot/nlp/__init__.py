"""spaCy rule pipeline (symptoms, body parts, negation and other context, red flags)."""

from bot.nlp.negation import ABSENT, HISTORICAL, HYPOTHETICAL, OTHER, PRESENT, UNCERTAIN
from bot.nlp.pipeline import Analysis, Mention, analyse, get_pipeline

__all__ = [
    "ABSENT",
    "HISTORICAL",
    "HYPOTHETICAL",
    "OTHER",
    "PRESENT",
    "UNCERTAIN",
    "Analysis",
    "Mention",
    "analyse",
    "get_pipeline",
]
