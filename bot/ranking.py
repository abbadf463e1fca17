"""Collected features -> possible causes with reasons. Pure and deterministic."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, List, Optional, Set, Tuple

from bot.content import Content, get_content
from bot.content.loader import Indicator, Timeframe

MAX_CAUSES = 3
# A cause is only shown when what the person said really points to it.
MIN_SCORE = 2.0


@dataclass(frozen=True)
class RankedCause:
    condition_id: str
    score: float
    reasons: Tuple[str, ...]  # the "why" of the matched indicators, strongest first


def with_patterns(features: Iterable[str], content: Optional[Content] = None) -> Set[str]:
    """The features, plus the pattern:<id> features they make up together."""
    content = content or get_content()
    present = set(features)
    return present | content.pattern_features(present)


def rank_causes(
    features: Iterable[str], content: Optional[Content] = None, limit: int = MAX_CAUSES
) -> List[RankedCause]:
    """Score every condition by its indicators; ties keep the content file's order."""
    content = content or get_content()
    present = with_patterns(features, content)
    ranked = []
    for order, condition in enumerate(content.conditions.values()):
        if condition.requires_any and not present & set(condition.requires_any):
            continue
        matched: List[Indicator] = [i for i in condition.indicators if i.feature in present]
        score = sum(i.weight for i in matched)
        if score < MIN_SCORE:
            continue
        # Only positive indicators say why, so a reason is always something the person said.
        reasons = tuple(i.why for i in sorted(matched, key=lambda i: -i.weight) if i.weight > 0 and i.why)
        ranked.append((-score, order, RankedCause(condition.id, score, reasons)))
    ranked.sort(key=lambda item: (item[0], item[1]))
    return [cause for _, _, cause in ranked[:limit]]


def most_urgent_timeframe(causes: Iterable[RankedCause], content: Optional[Content] = None) -> Timeframe:
    """How soon to be seen, given the causes shown (at least one): the most urgent of their
    timeframes."""
    content = content or get_content()
    # The content lists timeframes from the most to the least urgent (the loader checks).
    order = list(content.timeframes)
    ids = [content.conditions[c.condition_id].see_within for c in causes]
    return content.timeframes[min(ids, key=order.index)]
