"""Red-flag rules -> triage level. Pure functions over finding ids."""

from __future__ import annotations

from functools import lru_cache
from typing import Iterable, List, Mapping, Optional, Sequence, Set

from bot.content import get_content
from bot.content.loader import RedFlag
from bot.contract import EMERGENCY, ROUTINE, TRIAGE_LEVELS, URGENT

__all__ = [
    "ROUTINE",
    "URGENT",
    "EMERGENCY",
    "level_rank",
    "raise_level",
    "red_flags_in",
    "red_flags_screened",
    "level_of",
    "red_flag_findings",
]


def level_rank(level: Optional[str]) -> int:
    return TRIAGE_LEVELS.index(level) if level in TRIAGE_LEVELS else -1


def raise_level(current: Optional[str], new: Optional[str]) -> str:
    """Triage only moves up within a conversation, never down."""
    candidates = [lvl for lvl in (current, new) if lvl in TRIAGE_LEVELS] or [ROUTINE]
    return max(candidates, key=level_rank)


def red_flags_in(
    findings: Iterable[str],
    message_findings: Optional[Iterable[str]] = None,
    sentences: Optional[Sequence[Set[str]]] = None,
) -> List[RedFlag]:
    """Red flags whose conditions are met, most serious first.

    ``findings``: everything reported in the conversation; ``message_findings``: what
    the latest message said, the only findings that count for ``same_message`` flags
    (default: the same as ``findings``); ``sentences``: what each of its sentences said,
    for ``same_sentence`` flags (default: the message as one sentence).
    """
    present = set(findings)
    latest = present if message_findings is None else set(message_findings)

    def met(flag: RedFlag, combination: Sequence[str]) -> bool:
        if flag.same_sentence and sentences is not None:
            return any(set(combination) <= sentence for sentence in sentences)
        return set(combination) <= (latest if flag.same_message else present)

    flags = [
        flag
        for flag in get_content().red_flags.values()
        if any(met(flag, combination) for combination in flag.when_any)
        and not any(
            set(combination) <= (present if flag.unless_in_conversation else latest)
            for combination in flag.unless_said_with
        )
    ]
    return sorted(flags, key=lambda flag: -level_rank(flag.level))


def red_flags_screened(answers: Mapping[str, Optional[str]]) -> List[RedFlag]:
    """Red flags raised by the interview's screening answers (slot -> answer)."""
    flags = [
        flag
        for flag in get_content().red_flags.values()
        if any(answers.get(slot) == answer for slot, answer in flag.screened_by.items())
    ]
    return sorted(flags, key=lambda flag: -level_rank(flag.level))


def level_of(flag_ids: Sequence[str]) -> str:
    flags = get_content().red_flags
    return raise_level(ROUTINE, max((flags[i].level for i in flag_ids), key=level_rank, default=ROUTINE))


@lru_cache(maxsize=1)
def red_flag_findings() -> frozenset:
    """Every finding that takes part in some red-flag rule."""
    return frozenset(
        finding for flag in get_content().red_flags.values() for combination in flag.when_any for finding in combination
    )
