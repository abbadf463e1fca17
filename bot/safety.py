"""The red-flag decision, in one place: what one message raises, and what a turn's screen
finds, what the level becomes and what to say."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, List, Mapping, Optional, Set

from bot import replies, triage
from bot.contract import EMERGENCY, SCREENING_SLOTS
from bot.nlp import ABSENT, PRESENT, UNCERTAIN, Analysis

# A red-flag finding counts when the person says they have it or might have it.
SCREENED_STATUSES = (PRESENT, UNCERTAIN)


def screened_findings(analysis: Analysis) -> Set[str]:
    """The findings of one message that take part in screening (present or uncertain)."""
    return analysis.findings(SCREENED_STATUSES)


def message_red_flags(analysis: Analysis) -> List[str]:
    """Ids of the red flags one message raises on its own, most serious first."""
    return [flag.id for flag in triage.red_flags_in(screened_findings(analysis))]


def denies_red_flag(analysis: Analysis) -> bool:
    """The message mentions a red-flag finding only to deny it ("no bladder problems")."""
    return bool(analysis.findings((ABSENT,)) & triage.red_flag_findings())


@dataclass
class ScreenResult:
    triage_level: str
    red_flags: List[str]
    new_red_flags: List[str]
    messages: List[str] = field(default_factory=list)


def screen(
    findings: Iterable[str],
    screening_answers: Mapping[str, Optional[str]],
    current_level: Optional[str],
    known_flags: Iterable[str],
    remind: bool = True,
    message_findings: Iterable[str] = (),
) -> ScreenResult:
    """Screen everything said so far; speak only about red flags not raised before.

    ``findings``: every finding reported (present or uncertain) in the conversation;
    ``message_findings``: those of the latest message.
    With ``remind``, an emergency already raised is repeated briefly.
    """
    known = list(known_flags or [])
    answers = {slot: screening_answers.get(slot) for slot in SCREENING_SLOTS}
    flags = triage.red_flags_in(findings, message_findings) + triage.red_flags_screened(answers)
    new_ids = list(dict.fromkeys(flag.id for flag in flags if flag.id not in known))
    level = triage.raise_level(current_level, triage.level_of(new_ids))
    all_ids = known + [i for i in new_ids if i not in known]
    messages: List[str] = []
    if new_ids:
        # Never soften: a new urgent flag after an emergency is spoken as an emergency.
        messages = replies.escalation(level, new_ids)
    elif remind and level == EMERGENCY:
        messages = [replies.reminder(level)]
    return ScreenResult(level, all_ids, new_ids, messages)
