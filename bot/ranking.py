"""Collected features -> possible causes with reasons. Pure and deterministic."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, List, Optional, Tuple

from bot.content import Content, get_content
from bot.content.loader import Indicator

MAX_CAUSES = 3
# A cause is only shown when what the person said really points to it.
MIN_SCORE = 2.0


@dataclass(frozen=True)
class RankedCause:
    condition_id: str
    score: float
    reasons: Tuple[str, ...]  # the "why" of the matched indicators, strongest first


def rank_causes(
    features: Iterable[str], content: Optional[Content] = None, limit: int = MAX_CAUSES
) -> List[RankedCause]:
    """Score every condition by its indicators; ties keep the content file's order."""
    content = content or get_content()
    present = set(features)
    ranked = []
    for order, condition in enumerate(content.conditions.values()):
        matched: List[Indicator] = [i for i in condition.indicators if i.feature in present]
        score = sum(i.weight for i in matched)
        if score < MIN_SCORE:
            continue
        reasons = tuple(i.why for i in sorted(matched, key=lambda i: -i.weight) if i.weight > 0 and i.why)
        ranked.append((-score, order, RankedCause(condition.id, score, reasons)))
    ranked.sort(key=lambda item: (item[0], item[1]))
    return [cause for _, _, cause in ranked[:limit]]
