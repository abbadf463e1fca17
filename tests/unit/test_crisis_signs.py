"""Crisis signs of different kinds combine, whichever two they are (concepts.yml, `at_least`).

Set J showed the fault of listing pairs: "bought paracetamol from 3 different shops so
nobody would stop me" is the means and concealment, a pair nobody had listed. Here every
pair of kinds is built from one everyday sentence per kind, each kind alone is checked not
to be the crisis reply on its own, and the sentences are put in either order.
"""

from __future__ import annotations

import itertools

import pytest

from bot import safety
from bot.nlp import analyse
from tests.support.statement_eval import CRISIS, screen_statement

# One sign of each kind, none of them a crisis statement on its own.
SIGNS = {
    "an ending": "I won't be around much longer",
    "the means": "I've got my tablets put by",
    "preparations": "I wrote letters to each of my kids tonight",
    "concealment": "nobody would stop me",
    "a burden": "nobody will have to look after me",
    "hopelessness": "I'm tired of fighting it",
}
AROUND_BACK_PAIN = "My back has hurt for two years. {first}. {second}."


@pytest.mark.parametrize("kind", sorted(SIGNS))
def test_one_sign_alone_is_not_the_crisis_reply(kind):
    outcome = screen_statement(AROUND_BACK_PAIN.format(first=SIGNS[kind], second="What stretches can I do"))
    assert outcome.first != CRISIS


@pytest.mark.parametrize("first,second", list(itertools.permutations(sorted(SIGNS), 2)))
def test_any_two_signs_of_different_kinds_are_the_crisis_reply(first, second):
    text = AROUND_BACK_PAIN.format(first=SIGNS[first], second=SIGNS[second])
    assert screen_statement(text).first == CRISIS, text


@pytest.mark.parametrize(
    "text",
    [
        "how many amitriptyline would it take to not wake up",
        "Is it normal to want to die when you've had sciatica this long?",
        "I'm scared of what I might do to myself tonight",
        "if i jumped in front of a train would they finally listen lol",
    ],
)
def test_a_crisis_put_as_a_question_a_threat_or_with_a_laugh_is_the_crisis_reply(text):
    assert screen_statement(text).first == CRISIS


@pytest.mark.parametrize(
    "text",
    [
        "My husband had a triple bypass years ago and is doing well. Is a heat pad sensible for my back?",
        "what's the max amount of ibuprofen I can take in a day?",
        "I'd rather die than go back to that chiropractor lol",
        "my insurance covers physio, would I be better off going private?",
    ],
)
def test_look_alikes_of_crisis_signs_are_not_the_crisis_reply(text):
    assert screen_statement(text).first != CRISIS


def test_both_legs_count_only_with_their_symptom_in_the_same_sentence():
    apart = analyse("No numbness down below, bladder fine, legs strong. Just sciatica down my right leg.")
    together = analyse("I've got sciatica down both legs and they feel numb.")
    assert "bilateral_leg_symptoms" not in safety.message_red_flags(apart)
    assert "bilateral_leg_symptoms" in safety.message_red_flags(together)
