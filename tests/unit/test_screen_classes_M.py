"""Classes of wording that set M's development half showed the screen missed or over-read
(issue 22), generated across their forms rather than the statements themselves: a relative's
report ("she's wet herself", "Dad's 81, slid out of his chair"), a past tense written with an
apostrophe ("pee'd"), a change told in the past tense that the sentence says is new, weakness
told as what the foot can no longer do, numbness told as a dental injection, a crisis said as
a question or in text-speak, circulation getting worse (a sore that will not heal, pain at
rest), and look-alikes: a tackle that only bruised, a stiff upper back from how someone slept or
sat, Raynaud's, a buttock numb from a hard bench whose feeling came back, a leak long ago."""

from __future__ import annotations

import itertools

import pytest

from bot.contract import EMERGENCY, ROUTINE, URGENT
from tests.support.statement_eval import CRISIS, screen_statement

RELATIVES = [("Mum", "she", "herself"), ("My husband", "he", "himself"), ("Grandad", "he", "himself")]


@pytest.mark.parametrize(
    "who,verb",
    list(itertools.product(RELATIVES, ["'s wet {self} twice today", " has soiled {self} without noticing"])),
)
def test_a_relative_who_has_lost_control_is_an_emergency(who, verb):
    name, pronoun, reflexive = who
    text = f"{name} has had bad back pain all week and today {pronoun}{verb.format(self=reflexive)}"
    assert screen_statement(text).first == EMERGENCY, text


@pytest.mark.parametrize("word", ["pee'd", "wee'd", "poo'd", "pee\u2019d"])
def test_a_past_tense_with_an_apostrophe_is_read(word):
    assert screen_statement(f"{word} myself this morning without knowing, back went on monday").first == EMERGENCY


@pytest.mark.parametrize("text", ["I'd like some exercises", "she'd been fine till monday, back aches"])
def test_an_apostrophe_d_after_a_pronoun_is_would_or_had(text):
    assert screen_statement(text).first == ROUTINE


@pytest.mark.parametrize(
    "sign,now",
    list(
        itertools.product(
            ["speech went slurred and his right side is weak", "face went droopy on one side"],
            ["but this is new", "about an hour ago", "earlier", "all of a sudden"],
        )
    ),
)
def test_a_change_told_in_the_past_tense_is_now_when_the_sentence_says_so(sign, now):
    text = f"My husband's {sign}, he'd had back ache {now}"
    assert screen_statement(text).first == EMERGENCY, text


def test_a_past_time_keeps_their_story_in_the_past():
    assert screen_statement("my dad's speech went slurred years ago after his stroke, my back hurts").first == ROUTINE


ABLE = ["can't", "cannot", "not being able to", "unable to"]


@pytest.mark.parametrize("cannot,act", list(itertools.product(ABLE, ["stand on tiptoe", "walk on my heels"])))
def test_weakness_told_as_what_the_foot_cannot_do_on_both_sides_over_days_is_an_emergency(cannot, act):
    text = f"over the last 3 days I've got to {cannot} {act} on either side"
    assert screen_statement(text).first == EMERGENCY, text


@pytest.mark.parametrize("text", ["I can stand on my tiptoes fine", "I can walk on my heels and toes no problem"])
def test_a_foot_that_works_is_not_weakness(text):
    assert screen_statement(text).first == ROUTINE


@pytest.mark.parametrize(
    "place,like",
    list(
        itertools.product(
            ["my bottom", "around my back passage", "my bum and inner thighs"],
            ["like I've had a dental injection", "like an injection at the dentist"],
        )
    ),
)
def test_numbness_told_as_a_dental_injection_is_an_emergency(place, like):
    assert screen_statement(f"since lunch {place} feels {like}").first == EMERGENCY


def test_a_local_anaesthetic_for_a_procedure_is_not_numbness():
    assert screen_statement("I had a local anaesthetic for a mole removed from my bum last week").first == ROUTINE


@pytest.mark.parametrize(
    "text",
    [
        "would it be so bad if I just didn't wake up?",
        "would anyone care if I never woke up",
        "sometimes I google ways to die",
        "looked up ways to end it last night",
        "idw be here anymore",
        "i dont wanna be alive with this pain",
    ],
)
def test_a_crisis_said_as_a_question_or_in_text_speak_is_the_crisis_reply(text):
    assert screen_statement(text).first == CRISIS


@pytest.mark.parametrize(
    "text",
    [
        "would it be so bad if I took a day off work?",
        "I google ways to stretch my back",
        "I look up ways to ease sciatica",
        "what are the ways to die from sepsis",
    ],
)
def test_the_same_words_about_something_else_are_not(text):
    assert screen_statement(text).first != CRISIS


@pytest.mark.parametrize(
    "text",
    [
        "got a sore on my heel that won't heal, I've got claudication",
        "I've got PAD and my toes hurt even in bed at night now",
        "an ulcer on my shin that won't heal and my back aches",
    ],
)
def test_circulation_worse_at_rest_or_a_sore_not_healing(text):
    assert screen_statement(text).first == URGENT


@pytest.mark.parametrize(
    "text",
    [
        "I have claudication, calves ache when I walk and ease when I rest",
        "poor circulation, it's fine at rest",
        "got a cut on my toe, healing nicely",
    ],
)
def test_claudication_that_rest_eases_is_not_urgent(text):
    assert screen_statement(text).first == ROUTINE


@pytest.mark.parametrize(
    "text",
    [
        "got tackled at rugby on saturday, back's bruised and stiff, no tingling",
        "took a tackle at football, lower back sore but fine otherwise",
    ],
)
def test_a_tackle_that_only_bruised_is_not_major_trauma(text):
    assert screen_statement(text).first == ROUTINE


@pytest.mark.parametrize(
    "text",
    [
        "massive tackle at rugby and I felt something crunch in my back",
        "got tackled at rugby and now both my arms are tingling",
    ],
)
def test_a_hard_tackle_or_tingling_after_it_still_is(text):
    assert screen_statement(text).first == EMERGENCY


@pytest.mark.parametrize(
    "cause", ["from sleeping funny", "since I slept awkwardly", "from bad posture at my desk", "from hunching over"]
)
def test_a_stiff_upper_back_from_how_someone_slept_or_sat_is_not_urgent(cause):
    assert screen_statement(f"upper back ache {cause}").first == ROUTINE


def test_upper_back_pain_with_no_cause_given_still_is():
    assert screen_statement("I've got pain in my upper back between the shoulder blades").first == URGENT


@pytest.mark.parametrize(
    "text",
    [
        "my feet go numb and white in the cold, it's Raynaud's",
        "both feet numb and cold every winter, I have Raynaud's disease",
    ],
)
def test_raynauds_attacks_are_not_a_nerve_emergency(text):
    assert screen_statement(text).first == ROUTINE


@pytest.mark.parametrize(
    "back", ["came back as soon as I moved", "feeling came back after a few minutes", "wore off when I stood up"]
)
def test_a_buttock_numb_from_a_hard_seat_whose_feeling_came_back_is_not_an_emergency(back):
    assert screen_statement(f"my bum went numb on a hard bench at the match, {back}").first == ROUTINE


@pytest.mark.parametrize("gap", ["for a few days", "for a couple of days"])
def test_a_leak_long_ago_that_lasted_days_is_history(gap):
    text = f"I leaked urine {gap} after giving birth 12 years ago, now my back hurts after hoovering"
    assert screen_statement(text).first == ROUTINE


# --------------------------------------------------------------------------- usability review 5
@pytest.mark.parametrize("normal", ["perfectly normal", "completely normal", "absolutely fine", "totally fine"])
@pytest.mark.parametrize("what", ["my waterworks and bowels are", "waterworks are"])
def test_a_function_said_to_be_emphatically_normal_is_no_emergency(what, normal):
    assert screen_statement(f"back ache for a year. {what} {normal}").first == ROUTINE


@pytest.mark.parametrize(
    "text", ["is it normal to lose bladder control with sciatica", "wet myself twice today, is that normal?"]
)
def test_asking_whether_a_sign_is_normal_still_is_one(text):
    assert screen_statement(text).first == EMERGENCY or screen_statement(text).asked


@pytest.mark.parametrize("what", ["this", "the summary", "a copy", "it"])
@pytest.mark.parametrize("who", ["my GP", "the doctor", "my physio"])
def test_taking_something_to_a_professional_is_not_asked_about_self_harm(what, who):
    outcome = screen_statement(f"I want to take {what} to {who}")
    assert outcome.first == ROUTINE and outcome.asked is None, outcome


@pytest.mark.parametrize(
    "text", ["I've been weeing loads and it stung", "it burns when I pee and I'm going a lot", "cloudy smelly wee"]
)
def test_a_water_infection_told_is_not_asked_the_cauda_equina_check(text):
    """Set 6: "weeing loads and it stung" was asked about starting to pee and leaking (a second
    time after the cauda equina question), and a "yes" sent a kidney infection to 999."""
    assert screen_statement(text).asked != "bladder_bowel"


def test_retention_with_a_water_infection_still_is_an_emergency():
    assert screen_statement("it burns when I wee and I can't empty my bladder").first == EMERGENCY
