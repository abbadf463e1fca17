"""The ground-truth red-flag table and a conversation screened by the rule layer alone.

Shared by benchmarks/safety_table.py (the figures) and the unit tests: no Rasa, only
bot.nlp analyses and the bot.safety screen, message after message, with the state the
assistant keeps between messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List

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
    said: str = ""  # what the screen said after the last message


def screen_conversation(messages: List[str]) -> Outcome:
    """The screen after each message in turn, as the assistant keeps it over a conversation."""
    state = safety.SafetyState()
    result = None
    for text in messages:
        result = safety.screen(state, analyse(text))
        state = result.state
    assert result is not None
    crisis = any(get_flag(f).crisis for f in state.flags)
    return Outcome(
        level=CRISIS if crisis else (state.level or "routine"),
        asks_if_new=state.pending_question == safety.NEW_OR_CHANGED,
        asks_if_now=state.pending_question == safety.HAPPENING_NOW
        and any(s.kind == "question" for s in result.say + result.ask_after),
        said=" ".join(s.text for s in result.say + result.ask_after),
    )


def get_flag(flag_id: str):
    from bot.content import get_content

    return get_content().red_flags[flag_id]
