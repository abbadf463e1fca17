"""Ranking collected features against the content module's conditions (no Rasa)."""

import re

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


# --------------------------------------------------------------------------- why lines
# A why is shown to the person, so it must never contradict what they said (review: "pain
# from a strained muscle usually stays in the back" for a calf clot). A why that names
# where it hurts belongs to an indicator whose feature says that place.
LEG_FEATURES = {
    "location:leg",
    "location:thigh",
    "location:outer_thigh",
    "location:knee",
    "location:below_knee",
    "location:calf",
    "location:foot",
    "side:both_legs",
    "spreads_below_knee",
    "symptom:leg_swelling",
}
BACK_FEATURES = {"location:lower_back", "location:upper_back", "location:sacroiliac", "location:flank"}
# A place a why can name -> the features that say the person has it there.
PLACES = {
    "calf": (r"\bcalf\b|\bcalves\b", {"location:calf"}),
    "foot": (r"\bfoot\b|\bfeet\b|\btoes?\b", {"location:foot"}),
    "buttock": (r"\bbuttocks?\b", {"location:buttock"}),
    "thigh": (r"\bthighs?\b", {"location:thigh", "location:outer_thigh"}),
    "groin": (r"\bgroin\b", {"location:groin"}),
    "hip": (r"\bhips?\b", {"location:hip"}),
    "knee": (r"\bknees?\b", {"location:knee", "location:below_knee", "spreads_below_knee"}),
    "leg": (r"\blegs?\b", LEG_FEATURES),
    "arm": (r"\barms?\b", {"location:arm"}),
    "hand": (r"\bhands?\b|\bfingers?\b", {"location:hand"}),
    "neck": (r"\bneck\b", {"location:neck"}),
    "shoulder": (r"\bshoulders?\b", {"location:shoulder", "location:upper_back"}),
    "upper back": (r"\bupper back\b|\bmiddle of the back\b", {"location:upper_back"}),
    "lower back": (r"\blower back\b", {"location:lower_back"}),
    "back": (r"\bback pain\b|\bin the back\b", BACK_FEATURES),
    "pelvis": (r"\bpelvis\b|\bpubic\b", {"location:pelvis", "location:sacroiliac"}),
    "dimples": (r"\bdimples?\b", {"location:sacroiliac"}),
    "tummy": (r"\btummy\b", {"location:abdomen"}),
    "flank": (r"\bribs\b|\bside of the back\b", {"location:flank"}),
}
# Words that name a structure, a posture or back pain in general, not where this person
# hurts: "the nerve near the hip bone", "standing on one leg", "most back pain".
NOT_WHERE_IT_HURTS = re.compile(
    r"hip (joint|bursa|bone|arthritis|osteoarthritis)|osteoarthritis of the hip|(arthritic|stiff) hip|from the hip"
    r"|leg (arteries|vein)|nerves? (in|from) the neck|nerves for the arms|joints of the pelvis"
    r"|straight legs|legs out straight|one leg|parting the legs|bring the leg up"
    r"|(inflammatory|kind of|most|most new) back pain"
)


def places_named(text: str) -> set:
    text = NOT_WHERE_IT_HURTS.sub(" ", text.lower())
    return {place for place, (pattern, _) in PLACES.items() if re.search(pattern, text)}


def places_said(features) -> set:
    return {place for place, (_, saying) in PLACES.items() if saying & set(features)}


@pytest.mark.parametrize("condition_id", list(get_content().conditions))
def test_a_why_names_a_place_only_when_its_feature_says_it(condition_id):
    condition = get_content().conditions[condition_id]
    for indicator in condition.indicators:
        if indicator.weight > 0:
            named = places_named(indicator.why)
            assert named <= places_said({indicator.feature}), (indicator.feature, indicator.why)


def test_a_place_check_catches_the_review_finding():
    assert places_named("pain from a strained muscle usually stays in the back") == {"back"}
    assert places_said({"location:calf", "no_spread"}) == {"calf", "leg"}


def test_a_fracture_from_thin_bones_needs_a_reason_to_suspect_it():
    """A lifting strain at 40 is not sent to be seen today for a fracture (requires_any)."""
    strain = ["onset:lifting_injury", "better:lying_down", "location:lower_back"]
    assert "osteoporotic_fracture" not in [c.condition_id for c in rank_causes(strain)]
    for reason in ("age:over_60", "risk:steroid_use", "risk:osteoporosis"):
        assert "osteoporotic_fracture" in [c.condition_id for c in rank_causes(strain + [reason])], reason
