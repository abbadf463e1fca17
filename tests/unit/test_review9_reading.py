"""What usability review 9 and set 9 showed the reader got wrong, by class (issues 23, 26)."""

from __future__ import annotations

import pytest

from bot import interview
from bot.contract import EMERGENCY, ROUTINE, URGENT
from bot.nlp import analyse
from bot.redaction import redact
from bot.symptoms import SymptomRecord
from tests.support.statement_eval import screen_statement


@pytest.mark.parametrize(
    "question",
    [
        "why are you asking about cancer?? do you think I have cancer??",
        "do you think I've got cancer?",
        "so I have cancer?",
        "could I have cancer?",
    ],
)
def test_asking_whether_one_has_a_disease_is_not_having_had_it(question):
    assert screen_statement(question).first == ROUTINE, question


@pytest.mark.parametrize("told", ["I have cancer and my back hurts", "I had breast cancer in 2019, is that why?"])
def test_a_history_told_stays_told(told):
    assert screen_statement(told).first == URGENT, told


@pytest.mark.parametrize("when", ["when I breathe in", "when I take a deep breath", "as I breathe"])
def test_pain_that_catches_on_breathing_is_not_breathlessness(when):
    text = f"No, I have no chest pain and I am not short of breath; it simply catches me in the back {when}."
    assert screen_statement(text).first != EMERGENCY, text


@pytest.mark.parametrize("text", ["I can't catch my breath and my back hurts", "struggling to breathe, back agony"])
def test_breathlessness_stays_an_emergency(text):
    assert screen_statement(text).first == EMERGENCY, text


@pytest.mark.parametrize("text", ["bruh. can i lift weights or not", "is weight training ok with sciatica?"])
def test_weights_at_the_gym_are_not_weight_loss(text):
    outcome = screen_statement(text)
    assert outcome.first == ROUTINE and outcome.asked != "weight_loss", (text, outcome)


@pytest.mark.parametrize("unit", ["hour", "mile", "minute", "day"])
def test_a_number_with_a_unit_before_a_street_word_is_no_address(unit):
    text = f"it started after a 5 {unit} drive"
    assert redact(text) == text
    assert redact("I live at 12 Oak Drive") == "I live at [address]"


@pytest.mark.parametrize(
    "answer, worst",
    [
        ("it was an 8 on Tuesday, more like a 5 today", 8),
        ("probably a 5 most of the time, 7 on the stairs", 7),
        ("its a 3 now but 9/10 last night", 9),
        ("I'm 45, pain 6 out of 10", 6),
        ("about a 7", 7),
    ],
)
def test_the_worst_of_several_scores_is_the_highest(answer, worst):
    assert analyse(answer).severity == worst


@pytest.mark.parametrize(
    "text", ["can I give Calpol to a 2 year old?", "my 3-year-old jumped on my back", "my 4 year old has a cold"]
)
def test_a_childs_age_is_neither_a_duration_nor_a_score(text):
    analysis = analyse(text)
    assert analysis.duration_days is None and analysis.severity is None, text


@pytest.mark.parametrize(
    "text",
    [
        "hi my lower back really hurts since a long drive 4 days ago. is it a slipped disc??",
        "my back went while gardening on sunday. could it be sciatica?",
    ],
)
def test_the_topic_of_the_story_is_not_the_question(text):
    analysis = analyse(text)
    assert interview.own_pain_question_topic(text, analysis) is None
    assert interview.question_about_a_topic("describe_pain", text, analysis) is None
    assert interview.is_statement_of_own_pain("ask_condition", text, analysis)


def test_the_topic_of_the_question_is_still_answered():
    text = "my back went at work. can i still drive?"
    assert interview.own_pain_question_topic(text, analyse(text)) == "workplace_and_daily_life"


@pytest.mark.parametrize(
    "text",
    ["sciatica down my left leg after deadlifts, tingly foot", "I hurt it deadlifting", "after squats on monday"],
)
def test_how_it_started_is_heard_in_the_lift_named(text):
    assert "sport_strain" in analyse(text).ids("onset"), text


def test_a_question_about_lifting_tells_no_start():
    assert analyse("am i ok to keep doing deadlifts?").ids("onset") == []


@pytest.mark.parametrize(
    "text",
    [
        "hi my lower back really hurts since a long drive 4 days ago",
        "back has been sore after a long flight from spain",
        "my back went following the long car journey to my mum's",
    ],
)
def test_a_journey_that_brought_the_pain_on_is_how_it_started(text):
    record = SymptomRecord()
    record.update(analyse(text))
    assert record.pain_onset == "posture_strain", text
    assert "recent_immobility" in record.risk_factors, "still a risk factor for a clot"


@pytest.mark.parametrize("text", ["i was on a long flight last week", "long car journeys are a pain with my back"])
def test_a_journey_not_said_to_have_brought_it_on_is_not_the_onset(text):
    record = SymptomRecord()
    record.update(analyse(text))
    assert record.pain_onset is None, text
