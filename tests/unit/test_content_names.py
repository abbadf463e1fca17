"""The content names what the code used to hard-code, and the checker refuses content that
lacks an id the code still names: so changing what the assistant knows needs no Python.
No Rasa here."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Dict, Set

import pytest

from bot import symptoms
from bot.content import get_content
from bot.contract import CODE_FINDINGS
from tests.unit.test_content_loader import assert_refused, broken_copy, entry

ROOT = Path(__file__).resolve().parents[2]
# Content ids that also occur in the code as ordinary words, not as ids: (file, word) -> why.
WORDS_NOT_IDS = {
    ("bot/interview.py", "gradual"): "a word looked for in a free-text answer about how it started",
    ("bot/nlp/pipeline.py", "today"): "a word for a duration (it started today)",
    ("addons/channels/rest.py", "rest"): "the REST channel's name, not the activity 'rest'",
}


def _content_ids() -> Dict[str, str]:
    content = get_content()
    ids: Dict[str, str] = {}
    groups = {
        "finding": content.findings,
        "condition": content.conditions,
        "treatment": content.treatments,
        "anatomy topic": content.anatomy,
        "red flag": content.red_flags,
        "timeframe": content.timeframes,
        "pattern": content.patterns,
        "routine advice": content.routine_advice,
    }
    for kind, entries in groups.items():
        for entry_id in entries:
            ids.setdefault(entry_id, kind)
    return ids


def _string_constants(path: Path) -> Set[str]:
    """The string constants of a module, docstrings left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    }


def test_every_content_id_the_code_names_is_checked_by_the_loader():
    ids = _content_ids()
    named = {}
    for folder in ("bot", "actions", "addons"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if relative.startswith("bot/content/"):
                continue
            for value in _string_constants(path) & set(ids):
                if (relative, value) not in WORDS_NOT_IDS:
                    named[(relative, value)] = ids[value]
    unchecked = {key: kind for key, kind in named.items() if key[1] not in CODE_FINDINGS}
    assert not unchecked, f"code names content ids the loader does not check (add to CODE_FINDINGS): {unchecked}"


def test_code_findings_exist_with_their_kind():
    findings = get_content().findings
    for finding_id, kind in CODE_FINDINGS.items():
        assert findings[finding_id].kind == kind, finding_id


def test_places_and_onset_order_come_from_the_lexicon():
    content = get_content()
    back, below_knee, spread = symptoms.BACK_LOCATIONS, symptoms.BELOW_KNEE, symptoms.SPREAD_TARGETS
    assert back == {"lower_back", "upper_back", "neck"}
    assert below_knee == {"below_knee", "calf", "foot"}
    assert below_knee <= spread
    assert {"buttock", "thigh", "outer_thigh", "groin", "arm"} <= spread
    # Where the pain is, never where back pain spreads to.
    assert not {"flank", "hip", "sacroiliac", "pelvis", "abdomen"} & (spread | back)
    onsets = symptoms.ONSET_SERIOUSNESS
    assert onsets == list(content.onset_order)
    assert onsets[0] == "major_trauma" and onsets[-1] == "gradual"


def test_a_new_place_spreads_from_the_back_by_its_region():
    from bot.nlp import analyse

    record = symptoms.SymptomRecord()
    record.update(analyse("my lower back hurts and it goes down the side of my thigh"))
    assert record.pain_location == ["lower_back"] and record.spread_to == ["outer_thigh"]
    assert "spreads" in record.features()


def test_the_default_anatomy_topic_is_content():
    assert get_content().default_anatomy_topic().id == "spine_sections"


# --------------------------------------------------------------------------- broken data
def test_unknown_region(tmp_path):
    directory = broken_copy(tmp_path, "lexicon.yml", lambda d: entry(d, "findings", "calf").update(region="shin"))
    assert_refused(directory, "lexicon.yml", "calf", "'region' is 'shin', expected one of back, limb, below_knee")


def test_region_only_for_a_body_location(tmp_path):
    directory = broken_copy(tmp_path, "lexicon.yml", lambda d: entry(d, "findings", "numbness").update(region="limb"))
    assert_refused(directory, "lexicon.yml", "numbness", "only a body_location can have a 'region'")


def test_a_finding_the_code_needs_cannot_go(tmp_path):
    def change(d):
        d["findings"] = [f for f in d["findings"] if f["id"] != "pain_spreading"]

    directory = broken_copy(tmp_path, "lexicon.yml", change)
    assert_refused(directory, "lexicon.yml", "pain_spreading", "the assistant's code needs this finding")


def test_a_finding_the_code_needs_keeps_its_kind(tmp_path):
    directory = broken_copy(tmp_path, "lexicon.yml", lambda d: entry(d, "findings", "fall").update(kind="symptom"))
    assert_refused(directory, "lexicon.yml", "fall", r"needs this finding \(kind 'onset'\)")


@pytest.mark.parametrize(
    "order, problem",
    [
        (
            ["major_trauma", "fall", "lifting_injury", "sport_strain", "chores_strain", "posture_strain", "sudden"],
            "leaves out gradual",
        ),
        (
            [
                "major_trauma",
                "fall",
                "lifting_injury",
                "sport_strain",
                "chores_strain",
                "posture_strain",
                "sudden",
                "gradual",
                "fall",
            ],
            "names a finding twice",
        ),
        (
            [
                "major_trauma",
                "fall",
                "lifting_injury",
                "sport_strain",
                "chores_strain",
                "posture_strain",
                "sudden",
                "gradual",
                "calf",
            ],
            "names 'calf', which is not an onset",
        ),
        ("gradual", "must be a list of onset finding ids"),
    ],
)
def test_onset_order_lists_every_onset_once(tmp_path, order, problem):
    directory = broken_copy(tmp_path, "lexicon.yml", lambda d: d.update(onset_order=order))
    assert_refused(directory, "lexicon.yml", None, problem)


def test_one_default_anatomy_topic(tmp_path):
    directory = broken_copy(tmp_path, "anatomy.yml", lambda d: entry(d, "topics", "coccyx").update(default=True))
    assert_refused(directory, "anatomy.yml", "coccyx", r"only one topic can be the default \('spine_sections' is\)")
    none = broken_copy(tmp_path / "none", "anatomy.yml", lambda d: entry(d, "topics", "spine_sections").pop("default"))
    assert_refused(none, "anatomy.yml", None, "one topic needs 'default: true'")


def test_a_fallback_is_required(tmp_path):
    directory = broken_copy(
        tmp_path, "conditions.yml", lambda d: entry(d, "conditions", "nonspecific_low_back_pain").pop("fallback")
    )
    assert_refused(directory, "conditions.yml", None, "one condition needs 'fallback: true'")


def test_timeframes_from_the_most_to_the_least_urgent(tmp_path):
    directory = broken_copy(tmp_path, "conditions.yml", lambda d: d["timeframes"].reverse())
    assert_refused(directory, "conditions.yml", "today", "timeframes must be listed from the most to the least urgent")


def test_a_flag_answers_only_a_known_screening_question(tmp_path):
    directory = broken_copy(
        tmp_path, "red_flags.yml", lambda d: entry(d, "red_flags", "fever").update(answers_screening="screen_fever")
    )
    assert_refused(directory, "red_flags.yml", "fever", "unknown screening question 'screen_fever'")
