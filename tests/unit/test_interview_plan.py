"""The interview plan and short answers (no Rasa)."""

from bot.contract import QUESTIONS
from bot.interview import interpret_answer, may_be_an_answer, questions_to_ask
from bot.nlp import analyse
from bot.symptoms import SymptomRecord


def test_follow_up_questions_only_when_they_apply():
    base = questions_to_ask({"pain_onset": "gradual"})
    assert "screen_weakness_progression" not in base and "screen_major_trauma" not in base
    assert "screen_weakness_progression" in questions_to_ask({"nerve_symptoms": ["weakness"]})
    # Set 6 (sealed): a fall from a ladder told only when asked; asked unless it came on gradually.
    for onset in ("fall", "sudden", "unknown", "posture_strain", None):
        assert "screen_major_trauma" in questions_to_ask({"pain_onset": onset}), onset
    # A strain told as an event needs no question about a car crash (usability review 5).
    for onset in ("lifting_injury", "sport_strain", "chores_strain"):
        assert "screen_major_trauma" not in questions_to_ask({"pain_onset": onset}), onset
    # Two of these are asked only when an earlier answer has not already told them
    # (how long it has been, what eases it: often said with the answer before), and
    # where it hurts is usually said before the first question: about eight are asked.
    assert len(base) <= 11


def test_a_question_the_person_could_not_answer_is_not_asked_again():
    slots = {"unsure_about": ["pain_onset"], "own_words": {"aggravating_factors": "digging the garden"}}
    remaining = questions_to_ask(slots)
    assert "pain_onset" not in remaining and "aggravating_factors" not in remaining
    assert "pain_duration" in remaining


def test_no_routine_questions_after_an_emergency():
    assert questions_to_ask({"triage_level": "emergency"}) == []
    assert questions_to_ask({"triage_level": "urgent"}) == questions_to_ask({})


def test_order_puts_safety_early():
    assert QUESTIONS.index("screen_cauda_equina") < QUESTIONS.index("aggravating_factors")


def test_short_answers():
    record = SymptomRecord()
    assert interpret_answer("screen_cauda_equina", "affirm", "yes", record) == {"screen_cauda_equina": "yes"}
    assert interpret_answer("screen_cauda_equina", "deny", "no", record) == {"screen_cauda_equina": "no"}
    assert interpret_answer("screen_systemic", "dont_know", "not sure", record) == {"screen_systemic": "unknown"}
    assert interpret_answer("pain_spreads", "deny", "no", record) == {"pain_spreads": "no", "spread_to": []}
    assert interpret_answer("nerve_symptoms", "deny", "none of those", record) == {"nerve_symptoms": []}
    assert interpret_answer("pain_duration", "dont_know", "no idea", record) == {
        "pain_duration": "unknown",
        "unsure_about": ["pain_duration"],
    }
    assert interpret_answer("screen_weakness_progression", "affirm", "yes it's getting worse quickly", record) == {
        "screen_weakness_progression": "quickly"
    }
    assert interpret_answer("pain_location", "greet", "hello", record) == {}


def test_how_it_started_told_with_a_red_flag_is_still_an_answer():
    # Set 7 (sealed): the story of a kidney infection, told to "How did it start?", was asked 5 times.
    text = "started as cystitis on friday, burning when i wee, then yesterday the back pain and the shivers came"
    assert may_be_an_answer("pain_onset", "report_red_flag", text, analyse(text))
    assert not may_be_an_answer(
        "aggravating_factors", "report_red_flag", "i just wet myself", analyse("i just wet myself")
    )
