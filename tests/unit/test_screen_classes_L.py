"""Classes of wording that set L's development half showed the screen missed (issue 22),
generated across their forms rather than the statements themselves: a passive wish not to
wake up, the largest amount of a medicine "someone" could take, numbness "from the waist
down", and a low-energy knock (a child off a trampoline, a shunt at walking speed in a car park),
which is not 999 unless numbness or weakness follows; a dangerous mechanism still is."""

from __future__ import annotations

import itertools

import pytest

from bot.contract import EMERGENCY, URGENT
from tests.support.statement_eval import CRISIS, screen_statement

NOT_WAKING = ["if I didn't wake up tomorrow", "if I never woke up", "if I wasn't here anymore"]
RELIEF = ["I'd be relieved", "I would feel relieved", "it would be a relief", "I'd be glad"]


@pytest.mark.parametrize("wish,relief", list(itertools.product(NOT_WAKING, RELIEF)))
def test_a_passive_wish_not_to_wake_is_the_crisis_reply_in_either_order(wish, relief):
    assert screen_statement(f"honestly {wish} {relief}").first == CRISIS
    assert screen_statement(f"{relief} {wish}, this back pain never stops").first == CRISIS


@pytest.mark.parametrize(
    "text",
    [
        "I'd be relieved if the pain went for one day",
        "I'd be glad if I could sleep through the night",
        "it would be a relief if I didn't have to sit all day at work",
    ],
)
def test_relief_at_something_else_is_not_the_crisis_reply(text):
    assert screen_statement(text).first != CRISIS


PILLS = ["amitriptyline", "co-codamol", "pregabalin", "paracetamol"]


@pytest.mark.parametrize(
    "form,pill",
    list(
        itertools.product(
            ["whats the most {pill} someone could take", "what's the most {pill} a person can take?"], PILLS
        )
    ),
)
def test_the_most_of_a_medicine_anyone_could_take_is_the_crisis_reply(form, pill):
    assert screen_statement(form.format(pill=pill)).first == CRISIS


@pytest.mark.parametrize("pill", PILLS)
def test_a_dose_question_about_oneself_is_not(pill):
    assert screen_statement(f"whats the most {pill} i can take in a day for my back").first != CRISIS


@pytest.mark.parametrize(
    "numb,when",
    list(
        itertools.product(
            ["can't feel anything from the waist down", "numb from my waist down", "no feeling from the hips down"],
            ["since this morning", "since I woke up", "for an hour"],
        )
    ),
)
def test_numbness_from_the_waist_down_is_an_emergency(numb, when):
    assert screen_statement(f"my back has been bad for days and now I {numb} {when}").first == EMERGENCY


@pytest.mark.parametrize(
    "text",
    [
        "my 7 year old fell off the trampoline and is running around fine now, his back is a bit sore",
        "got shunted at about 5 mph in a car park, neck a bit stiff, I can move everything",
        "someone reversed into me at 5mph, back a bit achy",
    ],
)
def test_a_low_energy_knock_is_not_sent_to_999(text):
    assert screen_statement(text).first not in (EMERGENCY, URGENT)


@pytest.mark.parametrize(
    "text",
    [
        "fell off a ladder yesterday but walked away fine, back sore",
        "came off my motorbike at 40 mph, can walk fine but my back is agony",
        "my 7 year old fell off the trampoline and now his legs are numb",
    ],
)
def test_a_dangerous_mechanism_or_numbness_after_a_fall_is_still_999(text):
    assert screen_statement(text).first == EMERGENCY


# A usability review (Marek): "my left buttock and leg hurt, numb patch on my foot" was sent
# to 999 as a numb buttock. Numbness said of a place in the leg is that place's.
PAIN_IN_THE_BUTTOCK = ["my left buttock and leg hurt", "I have pain in my buttock", "my buttock aches"]
NUMB_IN_THE_LEG = ["numb patch on my foot", "and numbness in my toes", "and my foot is numb", "tingling in my calf"]


@pytest.mark.parametrize("pain,numb", list(itertools.product(PAIN_IN_THE_BUTTOCK, NUMB_IN_THE_LEG)))
def test_numbness_in_the_leg_beside_a_painful_buttock_is_no_emergency(pain, numb):
    assert screen_statement(f"{pain}, {numb}").first != EMERGENCY


@pytest.mark.parametrize(
    "text",
    [
        "my buttocks are numb",
        "numbness in my left buttock and down my leg",
        "my bum cheeks feel like the dentist has numbed them",
        "both buttocks have gone numb since this morning",
    ],
)
def test_a_numb_buttock_is_an_emergency(text):
    assert screen_statement(text).first == EMERGENCY


# Set L, sealed half (spent): a condition a doctor has checked for and found fine is not
# the condition now; what is new after it still is.
@pytest.mark.parametrize(
    "text",
    [
        "The doctor checked me for cauda equina last week and said everything was fine, it's a disc bulge",
        "A&E examined me for cauda equina on Monday and said it was fine",
    ],
)
def test_a_condition_checked_for_and_found_fine_is_no_emergency(text):
    assert screen_statement(text).first != EMERGENCY


def test_a_new_sign_after_the_check_still_is():
    assert screen_statement("the doctor checked me for cauda equina and now I cant pee").first == EMERGENCY
