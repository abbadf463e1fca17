"""Classes of wording that set R (120 statements by a helper who never saw the code, sealed and
run once on 6a926a3, development data since) showed the screen missed or over-read (issue 22),
generated across their forms."""

from __future__ import annotations

import pytest

from bot.contract import EMERGENCY, ROUTINE
from tests.support.statement_eval import CRISIS, screen_statement


@pytest.mark.parametrize("event", ["a bus hit me", "I fell off a ladder", "I got hit by a car"])
@pytest.mark.parametrize("then", ["I'd never walk again", "I would be off work for months"])
def test_an_if_clause_answered_by_would_is_imagined_not_told(event, then):
    text = f"my lower back aches from sitting. if {event} tomorrow {then}"
    assert screen_statement(text).first == ROUTINE, text


@pytest.mark.parametrize("event", ["I fell off a ladder", "I was hit by a car"])
def test_a_real_event_before_an_if_is_still_told(event):
    text = f"{event} yesterday and my back is agony, if I had not I would be at work"
    assert screen_statement(text).first == EMERGENCY, text


@pytest.mark.parametrize("pattern", ["if I cough it shoots down both legs", "if I sneeze I get numb in both legs"])
def test_a_real_pattern_with_if_is_still_told(pattern):
    assert screen_statement(pattern).first == EMERGENCY, pattern


@pytest.mark.parametrize("event", ["if a bus hit me tomorrow", "if I didn't wake up tomorrow", "if I got run over"])
@pytest.mark.parametrize("welcome", ["I'd be relieved", "I wouldn't mind", "it would be a relief"])
def test_an_end_imagined_as_welcome_is_a_crisis(event, welcome):
    text = f"honestly {event} {welcome}. every day is just pain"
    assert screen_statement(text).first == CRISIS, text


@pytest.mark.parametrize("word", ["paralysed", "frozen", "paralyzed"])
@pytest.mark.parametrize("feeling", ["fear", "worry", "nerves"])
def test_a_symptom_word_said_of_a_feeling_is_not_one(word, feeling):
    text = f"I'm {word} with {feeling} about making my back worse, so I've stopped moving. is that right?"
    assert screen_statement(text).first == ROUTINE, text


@pytest.mark.parametrize("what", ["deadline", "workload", "week at work"])
def test_crushing_said_of_work_is_not_a_blow(what):
    text = f"Crushing {what} and my lower back is tight from sitting. any desk stretches?"
    assert screen_statement(text).first == ROUTINE, text


@pytest.mark.parametrize(
    "text",
    ["crushing pain in my chest going through to my back", "got crushed by a forklift at work, back agony"],
)
def test_a_crushing_pain_or_a_crush_stays_999(text):
    assert screen_statement(text).first == EMERGENCY, text


@pytest.mark.parametrize("what", ["waterworks", "bladder", "bowels"])
def test_scouse_norra_denies(what):
    text = f"me back's gone proper stiff after the footy, norra problem with me {what}. what can i take?"
    assert screen_statement(text).first == ROUTINE, text


@pytest.mark.parametrize("verb", ["Texted", "Messaged", "Sent"])
@pytest.mark.parametrize("who", ["my mates", "the family", "my kids"])
def test_a_goodbye_sent_to_the_people_in_ones_life_is_a_crisis(verb, who):
    text = f"{verb} {who} goodbye tonight. the pain was too much"
    assert screen_statement(text).first == CRISIS, text


@pytest.mark.parametrize("settled", ["sorted the will", "told my daughter where the papers are kept"])
@pytest.mark.parametrize("no_point", ["no point hanging on with this back", "no point carrying on like this"])
def test_affairs_settled_and_no_point_in_two_sentences_is_a_crisis(settled, no_point):
    text = f"{settled} this week. {no_point}"
    assert screen_statement(text).first == CRISIS, text


@pytest.mark.parametrize("calm", ["Feel weirdly calm", "Strangely calm", "Oddly calm"])
def test_a_sudden_calm_after_a_decision_is_a_crisis(calm):
    text = f"{calm} now I've made my decision. Won't have to deal with this back much longer."
    assert screen_statement(text).first == CRISIS, text


def test_a_decision_about_an_operation_is_not_a_crisis():
    text = "I've made my decision about the operation, won't have to deal with this back much longer"
    assert screen_statement(text).first == ROUTINE, text


@pytest.mark.parametrize("when", ["by Christmas", "next month", "for much longer"])
def test_not_intending_to_be_here_is_asked_and_with_the_papers_sorted_a_crisis(when):
    text = f"I have had quite enough of this back. I do not intend to be here {when}."
    alone = screen_statement(text)
    assert alone.asked == "suicidal" and alone.after_yes == CRISIS, (text, alone)
    text = f"I have told my daughter where the papers are kept and I do not intend to be here {when}."
    assert screen_statement(text).first == CRISIS, text


@pytest.mark.parametrize("words", ["won't go where I tell them", "won't do what I tell them", "feel made of jelly"])
def test_both_legs_that_do_not_obey_are_999(words):
    text = f"back pain since sunday and since this morning my legs {words}"
    assert screen_statement(text).first == EMERGENCY, text


@pytest.mark.parametrize("who", ["Dad's", "My husband's", "Mum's"])
def test_a_cold_mottled_leg_told_as_the_other_one_is_999(who):
    text = (
        f"{who} 79. Tonight the left leg went very painful, it's colder than the other one and a "
        "mottled greyish colour below the knee"
    )
    assert screen_statement(text).first == EMERGENCY, text
