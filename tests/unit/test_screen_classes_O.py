"""Classes of wording that set O's development half showed the screen missed or over-read
(issue 22), generated across their forms rather than the statements themselves: being better
off gone said of anyone, treasured things handed on with "won't need them", a death made to
look like an accident for the insurance, not expecting to live to a date; sleep lost to the
pain; hours sat on a journey with a calf symptom; a relative's age in brackets; a child woken
by back pain; and look-alikes: "better if I was lying down", the shingles jab, leaking since
having the children, things given away that are simply not needed now."""

from __future__ import annotations

import itertools

import pytest

from bot.contract import EMERGENCY, ROUTINE, URGENT
from tests.support.statement_eval import CRISIS, screen_statement


@pytest.mark.parametrize(
    "who,ending",
    list(
        itertools.product(
            [
                "we'd be better off if he was gone",
                "they'd all be happier if i wasn't here",
                "the kids would be better off if i died",
                "the world would be a better place without me",
                "everyone would be better off with me out of the way",
            ],
            ["", " 😔", ", the pain has broken me"],
        )
    ),
)
def test_being_better_off_gone_gets_the_crisis_reply(who, ending):
    text = who + ending
    assert screen_statement(text).first == CRISIS, text


@pytest.mark.parametrize(
    "text",
    [
        "the pain would be better if i was lying down",
        "I'd feel better if the pain was gone",
        "my back is better off if i'm not sitting all day",
    ],
)
def test_better_if_said_of_the_pain_is_no_crisis(text):
    assert screen_statement(text).first != CRISIS, text


@pytest.mark.parametrize(
    "things,to,reason",
    list(
        itertools.product(
            ["my guitar and my games", "all my fishing gear", "my good watch"],
            ["my little brother", "my nephew"],
            ["cos I won't need them", "as i won't be needing them"],
        )
    ),
)
def test_treasured_things_handed_on_because_they_will_not_be_needed_get_the_crisis_reply(things, to, reason):
    text = f"gave {things} to {to} {reason}"
    assert screen_statement(text).first == CRISIS, text


def test_things_given_away_that_are_not_needed_now_are_no_crisis():
    text = "gave my old bike to my nephew, don't need it since my back went"
    assert screen_statement(text).first != CRISIS


@pytest.mark.parametrize("how", ["make it look like an accident", "make it seem like an accident"])
@pytest.mark.parametrize("payout", ["so my family gets the insurance", "so the life insurance pays out"])
def test_a_death_made_to_look_like_an_accident_for_the_insurance_gets_the_crisis_reply(how, payout):
    text = f"is there a way to {how} {payout}"
    assert screen_statement(text).first == CRISIS, text


@pytest.mark.parametrize("date", ["christmas", "my birthday", "the summer", "next year"])
def test_not_expecting_to_live_to_a_date_is_asked_and_with_not_wanting_to_is_the_crisis_reply(date):
    assert screen_statement(f"cant see myself making it to {date}").first in (CRISIS, ROUTINE)
    assert screen_statement(f"cant see myself making it to {date}").asked == "suicidal" or (
        screen_statement(f"cant see myself making it to {date}").first == CRISIS
    )
    assert screen_statement(f"tbh cant see myself making it to {date}, dont think i want to").first == CRISIS


def test_missing_an_appointment_is_not_a_date_one_will_not_live_to():
    outcome = screen_statement("i won't make it to the appointment on tuesday, back is too sore")
    assert outcome.first == ROUTINE and outcome.asked is None


@pytest.mark.parametrize(
    "cannot", ["I cannot sleep", "can't sleep", "haven't slept", "couldnt sleep", "I am not able to sleep"]
)
@pytest.mark.parametrize("because", ["because of the back", "for the pain", "cos of my sciatica"])
def test_sleep_lost_to_the_pain_is_checked_today(cannot, because):
    text = f"{cannot} {because}"
    assert screen_statement(text).first == URGENT, text


def test_sleep_lost_to_something_else_is_not_night_pain():
    assert screen_statement("i can't sleep because of the noise next door, my back is fine").first == ROUTINE


@pytest.mark.parametrize("hours", ["10 hour coach trip", "8 hour drive", "12 hours on a plane", "long coach journey"])
@pytest.mark.parametrize("calf", ["my calf aches", "calf feels hot and tight"])
def test_a_calf_symptom_after_hours_sat_on_a_journey_is_checked_today(hours, calf):
    text = f"{calf} after a {hours}"
    assert screen_statement(text).first == URGENT, text


def test_back_ache_after_a_journey_is_not_a_clot():
    assert screen_statement("back ache after a 10 hour flight, no leg problems").first == ROUTINE


@pytest.mark.parametrize("jab", ["shingles vaccine", "shingles jab", "Shingrix shingles vaccination"])
def test_the_shingles_jab_is_not_shingles(jab):
    text = f"had the {jab} yesterday and my arm is sore, my back is stiff too"
    assert screen_statement(text).first == ROUTINE, text


@pytest.mark.parametrize("since", ["since having my 3 kids", "since i had the twins", "since having the children"])
@pytest.mark.parametrize("leak", ["I leak a bit when I sneeze", "wet myself a tiny bit if i laugh"])
def test_leaking_since_having_the_children_is_asked_about_not_escalated(leak, since):
    for text in (f"{leak} {since}, my back aches", f"{leak}, same as it's been for years {since}. my back aches"):
        assert screen_statement(text).first != EMERGENCY, text


@pytest.mark.xfail(reason="a history after a comma reaches back over one clause only, not over 'when I laugh'")
def test_leaking_since_childbirth_told_after_a_comma_and_a_when_clause():
    text = "I wet myself a tiny bit when I laugh, since having my 3 kids. my back aches"
    assert screen_statement(text).first != EMERGENCY


@pytest.mark.parametrize("who", ["Mum (79)", "Dad (84)", "my nan (90)"])
def test_a_relatives_age_in_brackets_is_read_with_a_fall(who):
    text = f"{who} had a little tumble in the garden, she says her back hurts more each day"
    assert screen_statement(text).first in (URGENT, EMERGENCY), text


@pytest.mark.parametrize("child", ["My son is 11", "my daughter is 13", "my boy is 9"])
def test_a_child_woken_by_back_pain_is_checked_today(child):
    text = f"{child} and has had back pain for 3 weeks, it wakes him up at night"
    assert screen_statement(text).first == URGENT, text


# Set O's sealed half, development data since its one run: the classes its misses showed.
@pytest.mark.parametrize(
    "text",
    [
        "My loin is sore, the urine smells bad and is cloudy, and I have shaking",
        "my wee smells and is cloudy, back ache",
        "pee is cloudy and stings, pain in my lower back",
    ],
)
def test_changed_pee_with_back_or_loin_pain_is_checked_today(text):
    assert screen_statement(text).first in (URGENT, EMERGENCY), text


@pytest.mark.parametrize("age", ["I'm 14", "im 15", "I am 13"])
@pytest.mark.parametrize("rest", ["even when im resting", "even when i'm lying down"])
def test_a_young_persons_back_pain_there_even_at_rest_is_checked_today(age, rest):
    text = f"{age} and my back hurts all the time {rest}"
    assert screen_statement(text).first == URGENT, text


@pytest.mark.parametrize("who", ["he's 90", "she's 88"])
def test_a_fall_of_someone_old_told_by_pronoun_is_checked_today(who):
    text = f"Grandad fell out of his chair at the care home, {who} and now groaning when he moves his back"
    assert screen_statement(text).first in (URGENT, EMERGENCY), text


def test_weeks_of_pregnancy_are_not_an_age():
    assert screen_statement("my wife is pregnant, she's 38 weeks and her back is killing her").first == ROUTINE


@pytest.mark.parametrize("procedure", ["an epidural", "a spinal injection", "back surgery"])
def test_feeling_unwell_after_a_spinal_procedure_is_checked_today(procedure):
    text = f"I had {procedure} 2 weeks ago and now it's tender where they went in and I feel unwell"
    assert screen_statement(text).first in (URGENT, EMERGENCY), text


@pytest.mark.parametrize(
    "text",
    [
        "I've lost weight because I've been doing couch to 5k and eating better, my back aches after runs",
        "My legs feel heavy after a 20 mile bike ride, and my back's tight",
    ],
)
def test_weight_lost_on_purpose_and_legs_tired_from_a_ride_are_routine(text):
    assert screen_statement(text).first == ROUTINE, text


@pytest.mark.parametrize(
    "text",
    [
        "Bursting for a wee since this morning but nothing will come out. Back pain down both legs",
        "i keep farting without knowing its happening, started same time as the back pain",
        "passing wind without realising since my back went",
    ],
)
def test_retention_told_across_but_and_wind_passed_unaware_are_emergencies(text):
    assert screen_statement(text).first == EMERGENCY, text


@pytest.mark.parametrize(
    "text", ["farted in a meeting lol, back is killing me", "the wind is so strong i didnt notice"]
)
def test_wind_noticed_or_weather_is_routine(text):
    assert screen_statement(text).first == ROUTINE, text


@pytest.mark.parametrize(
    "text",
    [
        "Found a note my mum wrote saying sorry and goodbye. She's been in agony with sciatica for months",
        "I've said my goodbyes to people this week, quietly like",
    ],
)
def test_a_written_sorry_and_goodbye_or_goodbyes_said_get_the_crisis_reply(text):
    assert screen_statement(text).first == CRISIS, text


def test_a_goodbye_at_the_airport_is_routine():
    assert screen_statement("said goodbye to my mum at the airport, back is sore from the flight").first == ROUTINE


@pytest.mark.parametrize("text", ["is my waterworks normal", "are my bowels ok?", "is my bladder alright"])
def test_asking_whether_ones_own_function_is_normal_is_asked_about_not_escalated(text):
    outcome = screen_statement(text)
    assert outcome.first == ROUTINE and outcome.asked == "bladder_bowel", (text, outcome)
    assert outcome.after_yes == EMERGENCY


@pytest.mark.parametrize("text", ["is my waterworks normal, i keep wetting myself", "i can't pee, is that normal?"])
def test_a_problem_told_beside_the_question_still_escalates(text):
    assert screen_statement(text).first == EMERGENCY, text


@pytest.mark.parametrize(
    "text",
    [
        "No, my waterworks are as they've always been and nothing is numb down below",
        "my bladder is as it's always been",
        "bowels as they have always been, no problems",
    ],
)
def test_a_function_said_to_be_unchanged_is_denied(text):
    # Set 7 (sealed): "my waterworks are as they've always been" sent a stenosis story to 999.
    assert screen_statement(text).first == ROUTINE, text


def test_unchanged_said_of_something_else_denies_nothing_else():
    assert screen_statement("i've wet myself twice, my back is as it's always been").first == EMERGENCY
