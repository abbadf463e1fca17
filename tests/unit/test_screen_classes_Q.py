"""Classes of wording that set Q (120 statements by a helper who never saw the code, sealed and
run once on 2b0a503, development data since) showed the screen missed or over-read (issue 22),
generated across their forms: Scots and Caribbean negation ("cannae feel", "nuh fever"); a
breath taken in any words with a swollen leg; the most serious check asked first; pain there
even in bed for the young; a child kept awake; a fever "long gone"; things given away however
many are named; and the net's reach for suicidal thoughts said indirectly."""

from __future__ import annotations

import itertools

import pytest

from bot.contract import EMERGENCY, ROUTINE, URGENT
from tests.support.statement_eval import CRISIS, screen_statement


@pytest.mark.parametrize("verb", ["cannae", "couldnae"])
@pytest.mark.parametrize("what", ["feel ma bum", "pee"])
def test_scots_negation_is_read(verb, what):
    text = f"ma back's agony an ah {verb} {what} since this morning"
    assert screen_statement(text).first == EMERGENCY, text


@pytest.mark.parametrize("denied", ["Nuh fever", "nuh temperature"])
def test_caribbean_negation_denies(denied):
    text = f"Mi back a hurt mi from mi scrub di floor. {denied}, mi can walk."
    assert screen_statement(text).first == ROUTINE, text


@pytest.mark.parametrize("breath", ["when i take a breath in", "if I draw a deep breath", "when I breathe in"])
@pytest.mark.parametrize("leg", ["my left leg is swollen", "my calf is all swollen"])
def test_pain_on_a_breath_with_a_swollen_leg_is_999(breath, leg):
    text = f"stabbing pain in my back {breath} and {leg}"
    assert screen_statement(text).first == EMERGENCY, text


@pytest.mark.parametrize("who", ["My grandad's", "My foot's", "Mum's"])
def test_a_cold_mottled_foot_is_asked_about_before_weight(who):
    outcome = screen_statement(f"{who} foot has gone a mottled purply-white colour and it's stone cold, can't move it")
    assert outcome.first == EMERGENCY or outcome.asked == "cold_leg", outcome


@pytest.mark.parametrize("rest", ["even lying in bed", "even at rest", "it hurts constantly"])
@pytest.mark.parametrize("age", ["I'm 16", "I'm 17"])
def test_a_young_persons_pain_there_at_rest_is_checked_today(rest, age):
    text = f"{age} and my lower back has been bad for a month, {rest}, no injury"
    assert screen_statement(text).first in (URGENT, EMERGENCY), text


@pytest.mark.parametrize("who,pronoun", [("son is 12", "him"), ("daughter is 14", "her")])
def test_a_child_kept_awake_by_back_pain_is_checked_today(who, pronoun):
    text = f"My {who} and has had back pain for 3 weeks, it's stopping {pronoun} sleeping"
    assert screen_statement(text).first in (URGENT, EMERGENCY), text


@pytest.mark.parametrize("when", ["last month", "at christmas"])
def test_a_temperature_long_gone_is_not_a_fever_now(when):
    text = f"I had a temperature {when} with flu but that's long gone. Now my back hurts from hoovering."
    assert screen_statement(text).first == ROUTINE, text


@pytest.mark.parametrize(
    "things", ["my tools and the fishing gear", "my guitar, my records and all the camping stuff", "my car"]
)
def test_things_given_away_however_many_with_wont_need_is_the_crisis_reply(things):
    text = f"been giving {things} away to the lads this week, won't be needing them. back's no better."
    assert screen_statement(text).first == CRISIS, text


def test_things_given_away_when_moving_house_are_ordinary():
    text = "gave my old sofa away to the neighbours when we moved, my back's been sore since"
    assert screen_statement(text).first == ROUTINE


@pytest.mark.parametrize(
    "text",
    list(
        itertools.chain(
            [
                "I've been putting my affairs in order and sorting out who gets what",
                "I keep my tablets in a box for when the time comes",
                "my family would cope better if I wasn't around any more",
                "I've stopped making plans, there's no future for me",
            ]
        )
    ),
)
def test_suicidal_thoughts_said_indirectly_are_asked_about_at_least(text):
    outcome = screen_statement(f"{text}. my back has been bad for years")
    assert outcome.first == CRISIS or outcome.asked == "suicidal", outcome


@pytest.mark.parametrize("means", ["go on the bridge", "take all my tablets", "walk in front of a train"])
def test_finishing_everything_with_a_means_is_the_crisis_reply(means):
    text = f"Sometimes I think to {means} and finish everything."
    assert screen_statement(text).first == CRISIS, text


@pytest.mark.parametrize("plan", ["finish everything on my to do list", "finish everything at work by 5"])
def test_finishing_everything_on_a_list_is_ordinary(plan):
    assert screen_statement(f"I want to {plan}, my back is sore").first == ROUTINE


@pytest.mark.parametrize("kept", ["I have kept sleeping tablets aside", "I've put my tramadol by"])
@pytest.mark.parametrize("why", ["there is no use of my life", "better God takes me"])
def test_tablets_kept_aside_with_a_wish_to_die_are_asked_about_or_the_crisis_reply(kept, why):
    outcome = screen_statement(f"pain is too much since 2 years, {why}. {kept}.")
    assert outcome.first == CRISIS or outcome.asked == "suicidal", outcome


def test_tablets_put_aside_because_of_side_effects_are_ordinary():
    assert screen_statement("I've put my painkillers aside because they make me sick").first == ROUTINE
