"""Classes of wording that set N's development half and the sixth usability review showed the
screen missed or over-read (issue 22), generated across their forms rather than the statements
themselves: clumsy hands told as a task the hands can't do, a lump felt on the back, weakness
"getting gradually worse", pain that rest doesn't touch, a loin pain into the groin or with blood
in the pee, rest pain eased by hanging the feet out of bed, stopping one's tablets to die; and
look-alikes: a feeling said not to be there ("don't feel weak"), a body function said to be
normal, a hand task that a hand or shoulder injury explains, a pregnancy bump, night pain that is
only the sofa's, a question about both legs from someone whose own is one-sided."""

from __future__ import annotations

import itertools

import pytest

from bot.contract import EMERGENCY, ROUTINE, URGENT
from tests.support.statement_eval import CRISIS, screen_statement

WHO = [("I", "my"), ("my husband", "his"), ("mum", "her")]


@pytest.mark.parametrize(
    "who,task",
    list(itertools.product(WHO, ["can't do up {their} buttons", "keeps dropping {their} mug", "can't hold a pen"])),
)
def test_hands_that_cannot_do_a_task_with_unsteady_walking_is_an_emergency(who, task):
    subject, their = who
    text = f"neck pain for weeks and {subject} {task.format(their=their)}, and walking like drunk"
    assert screen_statement(text).first == EMERGENCY, text


@pytest.mark.parametrize(
    "text",
    [
        "can't do up the zip on my dress since my shoulder op",
        "I can't hold a pen because my thumb is sprained",
        "keep dropping my mug, my wrist is in a splint",
    ],
)
def test_a_hand_task_explained_by_the_hand_is_not_the_spinal_cord(text):
    assert screen_statement(text).first == ROUTINE, text


@pytest.mark.parametrize(
    "lump,place", list(itertools.product(["lump", "swelling", "hard bump"], ["my lower back", "my spine"]))
)
def test_a_lump_felt_on_the_back_gets_checked_today(lump, place):
    for text in (f"found a {lump} on {place}", f"there's a {lump} over {place} that's getting bigger"):
        assert screen_statement(text).first == URGENT, text


@pytest.mark.parametrize(
    "text",
    [
        "I wear baggy clothes because of the bump and my back aches",
        "the lump on my back is a lipoma, the GP checked, but my back aches",
    ],
)
def test_a_bump_that_is_a_pregnancy_or_checked_is_not_the_flag(text):
    assert screen_statement(text).first == ROUTINE, text


@pytest.mark.parametrize("how", ["gradually", "slowly", "steadily"])
def test_one_sided_weakness_getting_worse_in_any_words_is_urgent(how):
    text = f"weakness in my left leg has been getting {how} worse for a month, sciatica"
    assert screen_statement(text).first == URGENT, text


@pytest.mark.parametrize("said", ["rest doesn't touch it", "it's there 24/7", "lying down doesn't touch it"])
def test_pain_rest_does_not_touch_is_urgent(said):
    assert screen_statement(f"my lower back aches, {said}").first == URGENT


@pytest.mark.parametrize(
    "text",
    [
        "blood in my pee and a really bad pain in my side",
        "agonising pain in my loin going round into my groin",
        "pain in my right side going into my groin, can't keep still",
    ],
)
def test_a_kidney_stone_pattern_is_urgent(text):
    assert screen_statement(text).first == URGENT, text


@pytest.mark.parametrize("feet", ["hang them out the side of the bed", "hang my feet out of bed", "dangle my legs"])
def test_rest_pain_eased_by_hanging_the_feet_down_is_urgent(feet):
    text = f"my feet hurt in bed at night and I have to {feet} to ease it, my circulation is bad"
    assert screen_statement(text).first == URGENT, text


@pytest.mark.parametrize("who", ["My mum", "Dad", "My husband"])
def test_stopping_tablets_to_die_is_the_crisis_reply(who):
    text = f"{who} has stopped taking the heart tablets because they want to go, the back pain is that bad"
    assert screen_statement(text).first == CRISIS, text


@pytest.mark.parametrize(
    "text",
    [
        "she stopped taking the tablets, she wants to go back to work",
        "3 months of sciatica down my right leg and nothing touches it",  # painkillers, not rest (set 7)
    ],
)
def test_wording_near_a_new_class_that_means_something_else_stays_routine(text):
    assert screen_statement(text).first == ROUTINE


@pytest.mark.parametrize(
    "text",
    [
        "my legs don't feel weak, they just ache",
        "my bum doesn't feel numb",
        "no, waterworks normal, nothing numb down there",
        "the pain's only worse at night when I fall asleep on the sofa, fine in my own bed",
        "Does sciatica ever go into both legs? Mine's only in the left and it's getting better",
    ],
)
def test_look_alikes_stay_out_of_999_and_same_day_care(text):
    assert screen_statement(text).first == ROUTINE, text


@pytest.mark.parametrize(
    "text",
    [
        "can't pee ok since yesterday and my back is killing me",
        "Is a fever of 38.9 normal after a facet joint injection? Back pain much worse since.",
        "I don't feel anything down there when I wipe",
    ],
)
def test_normal_or_not_feel_that_do_not_deny_still_escalate(text):
    assert screen_statement(text).first == EMERGENCY, text


@pytest.mark.parametrize(
    "who,things,goodbye",
    list(
        itertools.product(
            [("my brother", "his"), ("my daughter", "her"), ("I", "my")],
            ["giving {their} things away", "gave all {their} stuff away", "has given {their} belongings away"],
            ["just messaged me goodbye", "said goodbye to everyone"],
        )
    ),
)
def test_things_given_away_and_a_goodbye_get_the_crisis_reply(who, things, goodbye):
    # Set N (sealed): "giving his things away" with a goodbye, said of a brother, was missed.
    subject, their = who
    text = f"{subject} {things.format(their=their)} and {goodbye}"
    assert screen_statement(text).first == CRISIS, text


@pytest.mark.parametrize(
    "text",
    [
        "the numbness has gone now",
        "the tingling went away after a day or so",
        "no numbness anywhere and my bladder is fine",
    ],
)
def test_a_message_that_only_denies_gets_no_question_from_the_net(text):
    outcome = screen_statement(text)
    assert outcome.first == ROUTINE and outcome.asked is None, (text, outcome)


def test_a_denial_beside_a_new_problem_still_escalates():
    text = "the numbness has gone now but i still cant feel the toilet paper properly"
    assert screen_statement(text).first == EMERGENCY
