"""Usability review 8 (five personas by a reviewer who never saw the code, SUS 52), by class:
a yes with thanks is a yes; a deletion or summary not asked for in words is no guess at all;
an age or a score in words; "expecting" with something else expected; an apology is no crisis;
"is dangerous?" after a full stop; a condition a doctor named is one's own; pain of months is
not told it "gets better within a few weeks"."""

from __future__ import annotations

import pytest

from bot import interview, turn
from bot.nlp import analyse
from bot.symptoms import SymptomRecord
from tests.support.statement_eval import screen_statement


@pytest.mark.parametrize(
    "text",
    ["Yes please, that would be very kind of you. Thank you.", "yes please thank you", "ok, thanks", "Sure, go ahead"],
)
def test_a_yes_with_thanks_opens_with_yes(text):
    assert interview.opens_with_yes(text)


@pytest.mark.parametrize("text", ["yes but it hurts", "yes it's worse when I sit", "ok what now?", "no thanks"])
def test_a_yes_that_says_more_is_not_only_yes(text):
    assert not interview.opens_with_yes(text)


@pytest.mark.parametrize(
    "said, age",
    [("I am seventy-nine", 79), ("I am seventy nine years old", 79), ("I'm forty", 40), ("aged sixty two", 62)],
)
def test_an_age_in_words_is_read_and_not_as_a_duration(said, age):
    analysis = analyse(said)
    assert analysis.age == age and analysis.duration_days is None, (analysis.age, analysis.duration_days)


@pytest.mark.parametrize("said, age", [("seventy-nine", 79), ("forty", 40), ("eighty two years old", 82)])
def test_a_bare_age_in_words_answers_the_age_question(said, age):
    assert turn._answered_age({"requested_slot": "age"}, analyse(said), True) == age


@pytest.mark.parametrize("said", ["about a seven", "its a seven", "maybe a six.", "about seven"])
def test_a_score_in_words_answers_the_severity_question_only(said):
    record = SymptomRecord()
    record.update(analyse(said), question="pain_severity")
    assert record.pain_severity is not None and 6 <= record.pain_severity <= 7
    other = SymptomRecord()
    other.update(analyse(said), question="age")
    assert other.pain_severity is None, "a word number is a score only when the score is asked"


@pytest.mark.parametrize(
    "text",
    [
        "I was expecting some questions about my back",
        "I am expecting my daughter to visit, my back hurts",
        "I was expecting it to be better by now, back pain",
    ],
)
def test_expecting_something_else_is_no_pregnancy(text):
    assert screen_statement(text).asked != "pregnancy", text


@pytest.mark.parametrize("text", ["expecting a baby, back pain", "I'm expecting, back pain", "expecting my first"])
def test_expecting_a_baby_is_still_asked_about(text):
    assert screen_statement(text).asked == "pregnancy", text


@pytest.mark.parametrize(
    "text",
    [
        "Oh dear, I am sorry, I thought you were going to ask me some questions about my back",
        "sorry, I'm not very good with these things, my back hurts",
    ],
)
def test_an_apology_is_no_crisis(text):
    outcome = screen_statement(text)
    assert outcome.asked != "suicidal" and outcome.first == "routine", (text, outcome)


@pytest.mark.parametrize("text", ["slow. maybe one year. is dangerous?", "it is dangerous?", "my leg hurts. is it bad"])
def test_is_it_dangerous_is_heard_after_a_full_stop(text):
    assert "asks_if_serious" in analyse(text).concepts, text


@pytest.mark.parametrize("duration, key", [("chronic", "_lasting"), ("subacute", "_lasting"), ("acute", "")])
@pytest.mark.parametrize("asked", ["is it dangerous?", "how long will it take to get better?"])
def test_pain_of_months_gets_its_own_answer(duration, key, asked):
    slots = {"possible_causes": ["spinal_stenosis"], "triage_level": "routine", "pain_duration": duration}
    answer = turn._direct_question(slots, analyse(asked), False)
    assert answer and answer.endswith("_routine" + key), answer


@pytest.mark.parametrize(
    "text",
    [
        "Hello, I have hérnia de disco, the doctor say sciatica. Now it is more worse and strange",
        "the physio said it's a slipped disc and now it's worse",
        "diagnosed with sciatica last year, flaring again",
    ],
)
def test_a_condition_a_clinician_named_is_ones_own(text):
    assert interview.describes_own_pain(analyse(text)), text


def test_a_risk_factor_inferred_from_another_is_not_told_as_said():
    """Set 9: "on steroid tablets for years" was summarised as "long-term steroid tablets and
    a weakened immune system"; the person said only the first."""
    from bot.replies import summary

    record = SymptomRecord()
    record.update(analyse("I have been on steroid tablets for years for my polymyalgia"))
    told = summary(record)
    assert "steroid" in told and "immune" not in told, told
    record = SymptomRecord()
    record.update(analyse("my immune system is weak after chemo"))
    assert "immune" in summary(record)


@pytest.mark.parametrize(
    "opening",
    ["I'm typing for my mum, she's 81", "asking on behalf of my dad", "this is for my husband, he can't type"],
)
def test_typed_for_someone_what_is_said_of_them_is_the_patients(opening):
    from bot import proxy

    assert proxy.speaks_for_someone(opening)
    later = proxy.as_the_patients(analyse("middle of her back, she says it's a 9"), {proxy.SPEAKING_FOR: True})
    assert "lower_back" in later.findings(), later.mentions
    alone = analyse("middle of her back, she says it's a 9")
    assert "lower_back" not in alone.findings(), "without the slot it stays someone else's"


@pytest.mark.parametrize("text", ["my mum had this too years ago", "my dad has sciatica as well, I have back pain"])
def test_a_relative_told_of_is_not_speaking_for_them(text):
    from bot import proxy

    assert not proxy.speaks_for_someone(text)


@pytest.mark.parametrize(
    "text", ["I've been on steroid tablets for years", "had cancer for 2 years, all clear now", "diabetic for 15 years"]
)
def test_how_long_another_illness_or_medicine_lasted_is_not_the_pains(text):
    record = SymptomRecord()
    record.update(analyse(text))
    assert record.pain_duration_days is None, (text, record.pain_duration_days)


@pytest.mark.parametrize("text", ["is it a slipped disc??", "could this be sciatica", "do i have a trapped nerve?"])
def test_is_it_x_is_heard_as_asking_whether_it_is(text):
    assert interview.asks_if_it_is(text)


@pytest.mark.parametrize("text", ["what is a slipped disc", "tell me about sciatica", "more about sciatica"])
def test_a_question_about_a_condition_is_not_asking_whether_it_is(text):
    assert not interview.asks_if_it_is(text)


def test_is_it_x_is_answered_against_the_best_fit():
    """Usability review 8: "is it a slipped disc??" got only why a disc may fit, never that a
    strain fitted better."""
    from bot.replies import is_it_answer

    assert "fits better" in is_it_answer("herniated_disc", ["muscle_strain", "herniated_disc"])
    assert "less likely than pulled muscle" in is_it_answer("herniated_disc", ["muscle_strain"])
    assert "is the best fit" in is_it_answer("muscle_strain", ["muscle_strain"])
    assert all("say for sure" in is_it_answer(c, ["muscle_strain"]) for c in ("herniated_disc", "muscle_strain"))


@pytest.mark.parametrize(
    "text",
    [
        "sometimes into my bum on both sides but not my legs",
        "it goes into my buttocks on both sides, legs are fine",
        "my lower back aches on both sides",
    ],
)
def test_both_sides_of_another_place_is_not_both_legs(text):
    """Set 9: a teenage dancer's "into my bum on both sides but not my legs" was sent to 999."""
    assert screen_statement(text).first == "routine", text


@pytest.mark.parametrize("text", ["pain goes down both sides, to my knees", "pain shooting down both sides"])
def test_both_sides_said_of_the_legs_stays_999(text):
    assert screen_statement(text).first == "emergency", text
