"""The ranking against 52 presentations written from published case descriptions by
someone who never saw the code or the weights (tests/data/ranking_cases.yml).

Each case's lines go through the language layer and the symptom record in order, as the
interview folds in free-text messages (no Rasa), and the recorded features are ranked.
The hit rates are in docs/content.md ("How well the ranking does").
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Dict, List

import pytest
import yaml

from bot.content import get_content
from bot.nlp import analyse
from bot.ranking import RankedCause, rank_causes, with_patterns
from bot.symptoms import SymptomRecord, is_correction
from tests.unit.test_ranking import places_named, places_said

ROOT = Path(__file__).resolve().parents[2]
CASES: List[Dict] = yaml.safe_load((ROOT / "tests" / "data" / "ranking_cases.yml").read_text(encoding="utf-8"))["cases"]
# Cases the ranking still gets wrong after tuning, and why (strict: a fix shows up as a failure).
KNOWN_MISSES: Dict[str, str] = {
    # "Every few months" was read as three months of pain until how often was told apart from
    # how long (2026-12-06); without a duration, "my back feels weak" read as weakness favours a disc.
    "motor_control_recurrent_catch": "'my back feels weak' is read as weakness, and no duration is said",
}


def record_of(lines: List[str]) -> SymptomRecord:
    record = SymptomRecord()
    for line in lines:
        record.update(analyse(line), correcting=is_correction(line))
    return record


def ranked(case: Dict) -> List[RankedCause]:
    return rank_causes(record_of(case["says"]).features())


def hits(case: Dict) -> Dict[str, bool]:
    ids = [c.condition_id for c in ranked(case)]
    return {
        "top1": bool(ids) and ids[0] in case["expect_top3"],
        "top3": set(case["expect_top3"]) <= set(ids[:3]),
        "avoided": not ids or ids[0] not in case.get("avoid_top1", []),
    }


def _param(case: Dict):
    marks = [pytest.mark.xfail(strict=True, reason=KNOWN_MISSES[case["id"]])] if case["id"] in KNOWN_MISSES else []
    return pytest.param(case, id=case["id"], marks=marks)


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_presentation_ranks_its_causes(case):
    causes = ranked(case)
    ids = [c.condition_id for c in causes]
    assert set(case["expect_top3"]) <= set(ids[:3]), f"expected {case['expect_top3']} in the top three, got {ids}"
    assert not ids or ids[0] not in case.get("avoid_top1", []), f"{ids[0]} must not come first"


def test_the_cases_name_real_conditions():
    conditions = get_content().conditions
    assert len(CASES) >= 40
    for case in CASES:
        assert set(case["expect_top3"]) | set(case.get("avoid_top1", [])) <= set(conditions), case["id"]


def test_hit_rates_are_the_ones_documented():
    """docs/content.md states the figures; this keeps them true."""
    top1 = sum(hits(c)["top1"] for c in CASES)
    top3 = sum(hits(c)["top3"] for c in CASES)
    doc = (ROOT / "docs" / "content.md").read_text(encoding="utf-8")
    stated = re.search(r"after tuning: top-1 (\d+) of (\d+), top-3 (\d+) of \d+", doc)
    assert stated, "docs/content.md should state the hit rates after tuning"
    assert (int(stated[1]), int(stated[2]), int(stated[3])) == (top1, len(CASES), top3)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_every_reason_shown_is_something_this_person_said(case):
    """A why is shown only when its indicator's feature is in the record (patterns
    included), and a why about a place only when that place was said."""
    content = get_content()
    features = with_patterns(record_of(case["says"]).features(), content)
    for cause in ranked(case):
        whys = {i.why: i for i in content.conditions[cause.condition_id].indicators if i.weight > 0}
        for reason in cause.reasons:
            assert whys[reason].feature in features, (cause.condition_id, reason)
            assert places_named(reason) <= places_said(features), (cause.condition_id, reason)
