"""Ranking collected features against the content module's conditions (no Rasa)."""

import pytest

from bot.content import get_content
from bot.ranking import MAX_CAUSES, rank_causes

STORIES = {
    "herniated_disc": {
        "location:lower_back",
        "spreads",
        "spreads_below_knee",
        "symptom:tingling",
        "worse:sitting",
        "worse:coughing_sneezing",
        "onset:lifting_injury",
        "duration:acute",
    },
    "spinal_stenosis": {
        "location:leg",
        "worse:walking",
        "worse:standing",
        "better:sitting",
        "better:bending_forward",
        "age:over_60",
        "duration:chronic",
    },
    "facet_joint_pain": {
        "location:lower_back",
        "location:buttock",
        "worse:leaning_back",
        "no_nerve_symptoms",
        "symptom:stiffness",
        "no_spread",
    },
    "muscle_strain": {
        "location:lower_back",
        "onset:lifting_injury",
        "symptom:spasm",
        "no_spread",
        "duration:acute",
        "no_nerve_symptoms",
    },
    "phantom_limb_pain": {"symptom:phantom_sensation"},
}


@pytest.mark.parametrize("expected,features", STORIES.items(), ids=list(STORIES))
def test_a_typical_story_ranks_its_condition_first(expected, features):
    causes = rank_causes(features)
    assert causes[0].condition_id == expected
    assert causes[0].reasons, "the top cause says why"


def test_reasons_come_from_the_matched_indicators_strongest_first():
    features = STORIES["herniated_disc"]
    top = rank_causes(features)[0]
    condition = get_content().conditions[top.condition_id]
    matched = sorted(
        (i for i in condition.indicators if i.feature in features and i.weight > 0), key=lambda i: -i.weight
    )
    assert list(top.reasons) == [i.why for i in matched]
    assert top.score == sum(i.weight for i in condition.indicators if i.feature in features)


def test_ranking_is_deterministic_and_bounded():
    features = STORIES["herniated_disc"] | STORIES["spinal_stenosis"]
    first = rank_causes(features)
    assert first == rank_causes(set(features)) == rank_causes(sorted(features))
    assert len(first) <= MAX_CAUSES
    assert [c.score for c in first] == sorted((c.score for c in first), reverse=True)


def test_nothing_specific_gives_no_cause():
    assert rank_causes(set()) == []
    assert rank_causes({"severity:moderate"}) == []
