"""Classes of wording found in the code review after set P (issue 22): death no longer feared
is not a denial of death ("not scared of dying anymore, I've started planning how" was read as
"no suicidal thoughts"); a plan to act "how" needs a second sign, never a plan of daily life."""

from __future__ import annotations

import itertools

import pytest

from bot.contract import EMERGENCY, ROUTINE
from tests.support.statement_eval import CRISIS, screen_statement

NO_FEAR = ["I'm not scared of dying anymore", "im not afraid to die now", "honestly I'm not afraid of death any more"]


@pytest.mark.parametrize(
    "no_fear,plan", list(itertools.product(NO_FEAR, ["I've started planning how", "I've been planning how"]))
)
def test_death_no_longer_feared_with_a_plan_gets_the_crisis_reply(no_fear, plan):
    text = f"{no_fear}, {plan}"
    assert screen_statement(text).first == CRISIS, text


@pytest.mark.parametrize("no_fear", NO_FEAR)
def test_death_no_longer_feared_alone_is_asked_about(no_fear):
    outcome = screen_statement(f"{no_fear}. my back is agony")
    assert outcome.first == CRISIS or outcome.asked == "suicidal", outcome


@pytest.mark.parametrize("sign", ["I think about death all the time", "there's no point any more"])
def test_planning_how_with_a_second_sign_gets_the_crisis_reply(sign):
    text = f"ive been planning how, {sign}"
    assert screen_statement(text).first == CRISIS, text


@pytest.mark.parametrize(
    "plan",
    [
        "i started planning how to get to the physio",
        "I'm planning how to manage the stairs at work",
        "we've been planning how to move the bed downstairs",
    ],
)
def test_planning_how_in_daily_life_is_routine_and_asks_nothing(plan):
    outcome = screen_statement(f"{plan}, my back is sore")
    assert outcome.first == ROUTINE and outcome.asked is None, outcome


@pytest.mark.parametrize(
    "part", ["my back's not right", "my back went wrong lifting", "my back has gone funny", "my leg feels odd"]
)
@pytest.mark.parametrize(
    "toilet", ["i keep needing a wee at night", "going to the toilet is a nightmare with the pain"]
)
def test_a_change_said_of_the_back_is_not_a_change_in_the_bladder(part, toilet):
    """Asked about, never 999 on first mention: the change is the back's."""
    outcome = screen_statement(f"{part} and {toilet}")
    assert outcome.first == ROUTINE, outcome


@pytest.mark.parametrize("part", ["my back's not right", "my back went wrong"])
@pytest.mark.parametrize("function", ["my wee is funny", "my bowels are not right", "i cant pee"])
def test_a_change_said_of_the_bladder_beside_one_of_the_back_still_escalates(part, function):
    text = f"{part} and now {function}"
    assert screen_statement(text).first == EMERGENCY, text
