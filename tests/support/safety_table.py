"""The ground-truth red-flag table and a conversation screened by the rule layer alone.

Shared by benchmarks/safety_table.py (the figures) and the unit tests: no Rasa, only
bot.nlp analyses and the bot.safety screen, message after message.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional

import yaml

from bot import safety
from bot.contract import TRIAGE_LEVELS
from bot.nlp import analyse

TABLE = Path(__file__).resolve().parents[1] / "data" / "red_flag_phrasings.yml"
CRISIS = "crisis"
LEVELS = TRIAGE_LEVELS


def load_table() -> Dict[str, Any]:
    return yaml.safe_load(TABLE.read_text(encoding="utf-8"))


@dataclass
class Outcome:
    level: str  # routine / urgent / emergency, or "crisis" when the crisis reply was given
    asks_if_new: bool = False  # the assistant asked whether a long-standing symptom is new
    asks_if_now: bool = False  # a general question got "is this happening to you now?"


def screen_conversation(messages: List[str]) -> Outcome:
    """The screen after each message in turn, as the assistant keeps it over a conversation."""
    level: Optional[str] = None
    flags: List[str] = []
    findings: set = set()
    for text in messages:
        said = safety.screened_findings(analyse(text))
        findings |= said
        result = safety.screen(findings, {}, level, flags, message_findings=said)
        level, flags = result.triage_level, result.red_flags
    return Outcome(level or "routine")
