"""The activity and exercise plan (issue 29): content checked on load, the plan chosen from
the record, shown with its sources, and never for anyone escalated. No Rasa here."""

from __future__ import annotations

import pytest

from bot import plan, replies
from bot.content import get_content
from bot.contract import EMERGENCY, KIND_PLAN, KIND_PLAN_OFFER, ROUTINE, URGENT
from bot.ranking import rank_causes
from bot.symptoms import SymptomRecord
from tests.unit.test_content_loader import assert_refused, broken_copy, entry


def chosen(**record) -> str:
    found = plan.choose(SymptomRecord(**record).features(), ROUTINE)
    assert found is not None
    return found.id


def test_the_plan_fits_what_was_recorded():
    assert chosen(pain_location=["lower_back"], pain_spreads="yes", spread_to=["calf"], pain_severity=8.0) == (
        "sciatica_gentle"
    )
    assert chosen(pain_location=["lower_back"], pain_spreads="yes", spread_to=["calf"], pain_severity=4.0) == (
        "sciatica"
    )
    assert chosen(pain_location=["lower_back"], pain_spreads="no", pain_duration="acute") == "back_gentle"
    assert chosen(pain_location=["lower_back"], pain_spreads="no", pain_severity=3.0, pain_duration="chronic") == (
        "back"
    )
    # A usability review: legs that ache on walking and ease on sitting got the sciatica plan.
    walking_legs = dict(pain_location=["thigh"], pain_spreads="yes", aggravating_factors=["walking"])
    assert chosen(**walking_legs, easing_factors=["sitting"]) == "walking_legs"
    assert chosen(**walking_legs, easing_factors=["lying_down"]) == "sciatica"


@pytest.mark.parametrize("level", [URGENT, EMERGENCY])
def test_no_plan_for_anyone_escalated(level):
    assert plan.choose({"spreads"}, level) is None


def test_every_exercise_says_how_often_how_it_feels_when_to_stop_and_rests_on_a_licensed_source():
    content = get_content()
    for exercise in content.exercises.values():
        assert exercise.how_often and exercise.should_feel and exercise.stop_if
        assert any(content.sources[s].licence == "OGL-3.0" for s in exercise.sources), exercise.id


def test_the_result_offers_the_plan_and_the_plan_comes_with_its_sources_and_the_licence():
    record = SymptomRecord(pain_location=["lower_back"], pain_spreads="no", pain_severity=3.0, pain_duration="chronic")
    causes = rank_causes(record.features())
    result = replies.result(causes, record, offer_plan=True)
    # A phone screen and a screen reader get the result in a few messages: the plan is offered.
    assert not any(m.startswith("Your activity plan") for m in result)
    assert [replies.kind_of(m) for m in result].count(KIND_PLAN_OFFER) == 1
    messages = replies.activity_plan([c.condition_id for c in causes], record)
    shown = [m for m in messages if m.startswith("Your activity plan")]
    sources = [m for m in messages if m.startswith("Where this plan comes from")]
    assert len(shown) == 1 and len(sources) == 1
    assert replies.kind_of(shown[0]) == KIND_PLAN
    assert "Knee rolls" in shown[0] and "How often:" in shown[0] and "When to stop:" in shown[0]
    assert "NHS: Lower back pain exercises (nhs.uk)" in sources[0]  # title and site; sources.yml keeps the address
    assert "Open Government Licence v3.0" in sources[0]


def test_an_urgent_result_neither_offers_nor_has_a_plan():
    record = SymptomRecord(pain_location=["lower_back"], pain_spreads="no", pain_severity=3.0)
    causes = rank_causes(record.features())
    messages = replies.result(causes, record, URGENT, offer_plan=True)
    assert KIND_PLAN_OFFER not in [replies.kind_of(m) for m in messages]
    assert replies.activity_plan([c.condition_id for c in causes], record, URGENT) == []


def test_adapted_text_without_a_licensed_source_is_refused(tmp_path):
    def change(document):
        entry(document, "exercises", "knee_rolls")["sources"] = ["nice_ng59"]

    directory = broken_copy(tmp_path, "activity.yml", change)
    assert_refused(directory, "activity.yml", "knee_rolls", "needs a source with a 'licence'")


def test_only_the_last_plan_is_the_default(tmp_path):
    def change(document):
        del entry(document, "plans", "sciatica")["when_any"]

    directory = broken_copy(tmp_path, "activity.yml", change)
    assert_refused(directory, "activity.yml", "sciatica", "only the last plan may leave out 'when_any'")


def test_an_unknown_licence_is_refused(tmp_path):
    def change(document):
        entry(document, "sources", "nhs_sciatica")["licence"] = "CC-BY-4.0"

    directory = broken_copy(tmp_path, "sources.yml", change)
    assert_refused(directory, "sources.yml", "nhs_sciatica", "'licence' is 'CC-BY-4.0'")


def test_an_unknown_feature_in_a_plan_is_refused(tmp_path):
    def change(document):
        entry(document, "plans", "sciatica")["when_any"] = [{"all": ["spreads_to_the_moon"]}]

    directory = broken_copy(tmp_path, "activity.yml", change)
    assert_refused(directory, "activity.yml", "sciatica", "unknown feature 'spreads_to_the_moon'")
