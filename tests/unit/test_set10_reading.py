"""What the development part of set 10 (conversations by a helper who never saw the code)
showed the reader got wrong, by class (issues 22, 23)."""

from __future__ import annotations

import pytest

from bot import interview, proxy, safety
from bot.contract import EMERGENCY, ROUTINE, URGENT
from bot.nlp import analyse
from tests.support.statement_eval import screen_statement


def _screen(*messages):
    state, results = safety.SafetyState(), []
    for text in messages:
        result = safety.screen(state, analyse(text))
        state = result.state
        results.append(result)
    return results


@pytest.mark.parametrize("foot", ["that foot is cold compared to the other one", "my left foot is cold all the time"])
def test_a_foot_that_is_cold_is_asked_about_not_sent_to_999(foot):
    outcome = screen_statement(f"cramp in my calf when i walk, have to stop. {foot}")
    assert outcome.first != EMERGENCY and outcome.asked == "cold_leg", outcome


@pytest.mark.parametrize("change", ["my foot has gone cold and pale", "my foot went white and numb this morning"])
def test_a_foot_that_went_cold_and_pale_is_still_999(change):
    assert screen_statement(change).first == EMERGENCY, change


@pytest.mark.parametrize("trouble", ["rather troublesome", "achy", "painful"])
def test_legs_that_trouble_on_walking_make_pain_in_both_thighs_a_question_not_999(trouble):
    first, then = _screen(
        f"Good afternoon. My legs have become {trouble} when I walk.",
        "From the buttocks down the backs of both thighs into the calves.",
    )
    assert first.state.level != EMERGENCY and then.state.level != EMERGENCY
    assert then.owns_turn, "the change is asked about"


@pytest.mark.parametrize(
    "text", ["Gradually. I cannot recall any injury.", "I can't remember any fall, it just came on"]
)
def test_an_injury_not_remembered_is_no_injury(text):
    assert "fall" not in analyse(text).ids("onset"), text


@pytest.mark.parametrize("said, days", [("Perhaps eighteen months.", 540), ("about fifteen years", 5475)])
def test_durations_in_words_above_twelve(said, days):
    assert analyse(said).duration_days == days


@pytest.mark.parametrize(
    "text",
    [
        "my wife asked me to message, her back's been bad since she had the baby",
        "Hi I'm on here for my mum, she's 79 and did something to her back on Tuesday",
    ],
)
def test_a_message_typed_for_someone_tells_their_pain(text):
    assert proxy.speaks_for_someone(text)
    assert interview.describes_own_pain(proxy.as_the_patients(analyse(text), {})), text


@pytest.mark.parametrize(
    "text",
    [
        "sciatcia agen, rite leg, cant sleap",
        "this back has stopped me working",
        "my back, can barely get out of a chair",
    ],
)
def test_a_terse_or_misspelt_statement_of_pain_is_one(text):
    assert interview.speaks_of_pain(analyse(text)) or interview.describes_own_pain(analyse(text)), text


# ------------------------------------------------- the sealed part of set 10, after its one run
def _plan(slots, text, intent):
    from bot.turn import plan_turn

    settled = {"triage_level": "routine", "red_flags": [], "place_gp": "your GP", "checkin_after": "in a week"}
    return plan_turn({**settled, **slots}, text, intent, "symptom_form")


@pytest.mark.parametrize("flare", ["sciatica flared up again, worse than usual this time", "lumbago's back again"])
def test_a_flare_of_a_named_condition_is_ones_own_pain(flare):
    assert interview.describes_own_pain(analyse(flare)), flare


def test_the_answer_that_raised_a_same_day_flag_still_answers_the_question():
    result = _plan(
        {"requested_slot": "aggravating_factors", "age": 63.0}, "its there all the time, worse at nite", "describe_pain"
    )
    assert result.slots["triage_level"] == "urgent"
    assert "aggravating_factors" not in interview.questions_to_ask({"age": 63.0, **result.slots})


def test_a_score_said_with_a_red_flag_is_still_the_score():
    known = {
        "requested_slot": "pain_severity",
        "age": 58.0,
        "triage_level": "urgent",
        "red_flags": ["night_or_constant_pain"],
    }
    result = _plan(known, "5 in the day, 7 at night when it wakes me", "report_red_flag")
    assert result.slots.get("pain_severity") == 7.0


@pytest.mark.parametrize("side", ["I can't lie on it", "it hurts when I roll onto it"])
def test_night_pain_from_lying_on_the_sore_side_is_mechanical(side):
    text = f"Pain on the side of my hip that's stopping me sleeping, {side}"
    assert screen_statement(text).first == "routine", text


def test_typing_this_for_someone():
    assert proxy.speaks_for_someone("typing this for my dad as he doesn't do computers")


@pytest.mark.parametrize(
    "said, days",
    [
        ("on and off 2 year, but more bad since 1 month", 730),
        ("2 years but worse since 1 month", 730),
        ("it's been bad for 3 weeks", 21),
    ],
)
def test_when_it_got_worse_is_not_how_long_it_has_lasted(said, days):
    assert analyse(said).duration_days == days


@pytest.mark.parametrize(
    "goal",
    [
        "If I lose weight will my back get better?",
        "would it help if I lost a few pounds",
        "doctor says I need to lose weight for my back",
        "does losing weight help sciatica",
        "I'm trying to lose weight, is swimming ok with a bad back?",
    ],
)
def test_weight_loss_as_a_goal_is_neither_a_red_flag_nor_asked_about(goal):
    outcome = screen_statement(goal)
    assert outcome.first == ROUTINE and outcome.asked is None, outcome


@pytest.mark.parametrize(
    "report",
    [
        "I've lost a stone without trying and my back aches at night",
        "if i lose any more weight ill disappear. lost 2 stone since summer without trying",
        "I need to lose weight but I've lost a stone anyway without trying, back hurts at night",
        # Said lost, with no goal: never taken back (a simulated patient lost its cause).
        "yes prostate cancer 3 years ago, had the hormone injections. lost a bit of weight too",
        "I've lost some weight and my back aches at night",
        "lost weight without even trying to lose it, back pain at night",
    ],
)
def test_weight_lost_without_trying_beside_a_goal_is_still_the_red_flag(report):
    assert screen_statement(report).first == URGENT, report


@pytest.mark.parametrize(
    "answer", ["Round her sides a bit. Not down her legs", "it goes round my sides", "around into my left side"]
)
def test_pain_going_round_to_the_sides_spreads_there(answer):
    """Set 10: "Round her sides a bit. Not down her legs" was summarised "does not spread"."""
    from bot.symptoms import SymptomRecord

    record = SymptomRecord(pain_location=["lower_back"])
    record.update(analyse(answer), question="pain_spreads")
    assert record.pain_spreads == "yes" and record.spread_to == ["flank"], record


@pytest.mark.parametrize(
    "position",
    [
        "Pain on the side of my hip that's stopping me sleeping, I can't lie on it",
        "outer hip pain, worse lying on that side",
        "my hip hurts when I sleep on that side",
    ],
)
@pytest.mark.parametrize("night", ["5 in the day, 7 at night when it wakes me", "it wakes me up at night"])
def test_night_pain_from_lying_on_the_sore_side_is_mechanical_later_in_the_conversation(position, night):
    assert _screen(position, night)[-1].state.level == "routine", (position, night)


@pytest.mark.parametrize("night", ["5 in the day, 7 at night when it wakes me", "it wakes me up at night"])
def test_night_pain_without_a_position_that_explains_it_still_gets_a_same_day_check(night):
    assert _screen("my lower back hurts", night)[-1].state.level == URGENT, night
