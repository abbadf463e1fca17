"""How messages from usability review 7 and set 7's sealed run are read (issues 23 and 26):
one word for the pain and the place, "my back went", a worry about overreacting asked about
one's own pain, and questions about daily jobs (the garden) read as questions about them."""

from __future__ import annotations

import pytest

from bot import interview
from bot.nlp import analyse


@pytest.mark.parametrize(
    "text", ["I've had backache for six weeks", "Bad Backache since monday", "backpain for 2 weeks"]
)
def test_one_word_for_the_pain_and_the_place_records_the_back(text):
    assert "lower_back" in analyse(text).ids("body_location"), text


@pytest.mark.parametrize(
    "text",
    [
        "Can I still go to work tomorrow? I'm a care worker and my back went this morning",
        "my back's gone, can i still drive?",
        "I'm so anxious, I keep reading about tumours. I've had backache for six weeks. Am I overreacting?",
        "my leg has been tingling for 2 weeks, should i be worried?",
    ],
)
def test_a_question_about_ones_own_pain_is_a_description_of_it(text):
    analysis = analyse(text)
    own = interview.is_statement_of_own_pain("ask_treatment", text, analysis)
    assert own or interview.asks_what_to_do_about_own_pain(text, analysis), text


@pytest.mark.parametrize(
    "text", ["can I dig in garden or not?", "is it ok to do some gardening with my back?", "can i do the hoovering?"]
)
@pytest.mark.parametrize("intent", ["dont_know", "deny", "nlu_fallback"])
def test_a_question_about_daily_jobs_is_a_question_about_them(text, intent):
    assert analyse(text).topics("treatment") == ["workplace_and_daily_life"]
    assert interview.question_about_a_topic(intent, text, analyse(text)) == "ask_treatment", text


def test_a_short_answer_that_is_no_question_stays_an_answer():
    text = "not sure, maybe the gardening"
    assert interview.question_about_a_topic("dont_know", text, analyse(text)) is None
