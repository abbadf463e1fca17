"""Classes of wording that set P (sealed, run once, development data since) showed the screen
missed or over-read (issue 22), generated across their forms: "gone" meaning become ("it's gone
dead"); worse since a spinal injection; a crash planned in other verbs; "better I am not here";
letters to the children "just in case"; not seeing oneself still around by a date; and
look-alikes: legs tired after a run, a spin class or a long shift, night pain from night work."""

from __future__ import annotations

import itertools

import pytest

from bot.contract import EMERGENCY, ROUTINE, URGENT
from tests.support.statement_eval import CRISIS, screen_statement


@pytest.mark.parametrize(
    "feeling,place",
    list(
        itertools.product(["it's gone dead", "it's gone numb", "it has gone all funny"], ["down there", "down below"])
    ),
)
def test_gone_meaning_become_is_not_gone_away(feeling, place):
    text = f"I couldn't feel a thing {place}, {feeling}"
    assert screen_statement(text).first == EMERGENCY, text


@pytest.mark.parametrize("text", ["the numbness has gone now", "it's gone, the tingling, since friday"])
def test_gone_away_is_still_gone(text):
    assert screen_statement(text).first == ROUTINE, text


@pytest.mark.parametrize("procedure", ["a steroid injection in my spine", "an epidural", "a nerve block"])
def test_worse_than_before_since_a_spinal_injection_is_checked_today(procedure):
    text = f"I had {procedure} 5 days ago and my back is worse than before"
    assert screen_statement(text).first in (URGENT, EMERGENCY), text


@pytest.mark.parametrize("verb", ["steering", "swerving", "crashing", "driving"])
@pytest.mark.parametrize("into", ["into a tree", "off the bridge", "into a wall"])
def test_a_crash_thought_of_in_any_verb_gets_the_crisis_reply(verb, into):
    text = f"I keep thinking about {verb} {into} on my way to work so I don't have to deal with it"
    assert screen_statement(text).first == CRISIS, text


@pytest.mark.parametrize("lead", ["I think it is better I am not here", "maybe better that I'm not around"])
def test_better_not_here_said_without_if_gets_the_crisis_reply(lead):
    assert screen_statement(lead).first == CRISIS, lead


@pytest.mark.parametrize("who", ["the kids", "my children", "my family"])
def test_letters_to_the_family_just_in_case_get_the_crisis_reply(who):
    text = f"I've written letters to {who}, just in case. can you recommend any stretches?"
    assert screen_statement(text).first == CRISIS, text


@pytest.mark.parametrize("date", ["Christmas", "the new year", "my birthday"])
def test_not_seeing_oneself_still_around_by_a_date_is_asked_or_the_crisis_reply(date):
    outcome = screen_statement(f"I don't see myself still being around by {date}")
    assert outcome.first == CRISIS or outcome.asked == "suicidal", outcome


@pytest.mark.parametrize(
    "text",
    [
        "My back is murdering me after yesterday's 10k, legs are like jelly too",
        "Did my first spin class last night, my legs felt wobbly when I got off the bike",
        "My legs feel heavy and achy at the end of a long shift on my feet, fine by the morning",
        "I'm a nurse on nights so my back is always worse at night, lifting patients",
    ],
)
def test_legs_tired_from_exercise_or_work_and_night_pain_from_night_work_are_routine(text):
    assert screen_statement(text).first == ROUTINE, text


def test_night_pain_without_night_work_is_still_checked_today():
    assert screen_statement("my back is always worse at night, wakes me up").first == URGENT
