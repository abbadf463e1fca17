"""What usability review 10 showed the reader got wrong, by class (issues 23, 26)."""

from __future__ import annotations

import pytest

from bot.nlp import analyse


@pytest.mark.parametrize("amount", ["a 6", "a 9", "an 8"])
@pytest.mark.parametrize("measure", ["hr drive", "hour shift", "mile walk", "k run", "ft ladder", "hrs flight"])
def test_a_number_with_a_measure_is_no_pain_score(amount, measure):
    text = f"my lower back is killing me since {amount} {measure}, is it a slipped disc??"
    assert analyse(text).severity is None, text


@pytest.mark.parametrize("score,said", [(6, "it's a 6 most days"), (7, "about a 7 out of 10"), (8, "an 8 today")])
def test_a_score_said_as_one_is_still_a_score(score, said):
    assert analyse(said).severity == score, said


SCREENED = {"pain_location": ["lower_back"], "pain_spreads": "no", "nerve_symptoms": [], "age": 34}


@pytest.mark.parametrize(
    "text",
    ["no?? why cancer, do u think its cancer??", "no. why are you asking about cancer?", "no, could it be cancer?"],
)
def test_whether_it_is_cancer_asked_with_the_answer_is_answered_and_the_interview_goes_on(text):
    from bot.turn import RULES, plan_turn

    result = plan_turn({**SCREENED, "requested_slot": "screen_systemic"}, text, "deny", "symptom_form")
    said = " ".join(step.text or "" for step in result.before)
    assert "Asking does not mean I think you have one" in said and result.then == RULES, said
    assert result.slots["screen_systemic"] == "no" and not result.slots.get("red_flags")


@pytest.mark.parametrize("text", ["ok but u didnt say, is it cancer??", "so is it cancer or not?"])
def test_whether_it_is_cancer_after_a_routine_result_is_answered(text):
    from bot.turn import plan_turn

    slots = {**SCREENED, "possible_causes": ["nonspecific_low_back_pain"], "triage_level": "routine"}
    result = plan_turn(slots, text, "ask_condition", None)
    said = " ".join(step.text or "" for step in result.before)
    assert "Nothing you told me is a warning sign of something serious" in said, said


@pytest.mark.parametrize(
    "text",
    [
        "I have osteoporosis and I take steroid tablets every day for my chest",
        "I use an inhaler for my chest",
        "I had an operation for my knee years ago",
    ],
)
def test_what_a_treatment_is_for_is_not_where_it_hurts(text):
    from bot.symptoms import SymptomRecord

    record = SymptomRecord(pain_location=["upper_back"])
    record.update(analyse(text), question="pain_spreads")
    assert not (set(record.spread_to or []) | set(record.pain_location)) - {"upper_back"}, record


def test_where_it_hurts_is_still_where_it_hurts():
    from bot.symptoms import SymptomRecord

    record = SymptomRecord(pain_location=["lower_back"])
    record.update(analyse("it goes into my left thigh, the tablets for my back don't help"), question="pain_spreads")
    assert "thigh" in record.spread_to, record


@pytest.mark.parametrize(
    "text",
    [
        "No, I have no numbness. I am still not quite sure. Am I to go to A&E tonight, or do I telephone my surgery?",
        "shall I ring the surgery now, before they close?",
        "Please just tell me plainly: A&E, or the surgery?",
    ],
)
def test_where_to_go_asked_while_the_questions_go_on_after_a_same_day_instruction_is_answered(text):
    from bot.turn import plan_turn

    slots = {"triage_level": "urgent", "red_flags": ["thoracic_pain"], "requested_slot": "pain_spreads"}
    result = plan_turn(slots, text, "ask_treatment", "symptom_form")
    said = " ".join(step.text or "" for step in result.before)
    assert "You need to be seen today" in said or "You asked about A&E" in said, said
    assert "I'm sorry if I got that wrong" not in said and "Surgery:" not in said


@pytest.mark.parametrize("answer", ["i literally said deadlifts bro", "deadlifting last wk", "squats"])
def test_a_gym_lift_answering_how_it_started_is_a_sport_strain(answer):
    from bot import interview
    from bot.symptoms import SymptomRecord

    analysis = analyse(answer)
    record = SymptomRecord(pain_location=["lower_back"])
    record.update(analysis, question="pain_onset")
    reading = interview.read_reply("pain_onset", "describe_pain", answer, analysis, record, [])
    assert record.pain_onset == "sport_strain" or reading.values.get("pain_onset") == "sport_strain", reading


def test_why_a_question_was_asked_is_answered_mid_interview():
    from bot.turn import plan_turn

    slots = {"requested_slot": "screen_major_trauma", "pain_location": ["lower_back"]}
    result = plan_turn(slots, "no crash just a long drive!! why is that bad?? omg", "deny", "symptom_form")
    said = " ".join(step.text or "" for step in result.before)
    assert "Asking does not mean I think you have one" in said and result.slots["screen_major_trauma"] == "no"


@pytest.mark.parametrize(
    "text", ["u didnt answer, is the tingling in my foot bad or nah", "n is the foot tingling bad??"]
)
def test_whether_a_symptom_is_bad_asked_inside_a_sentence_is_answered_after_the_result(text):
    from bot.turn import plan_turn

    slots = {**SCREENED, "possible_causes": ["sciatica"], "triage_level": "routine"}
    said = " ".join(step.text or "" for step in plan_turn(slots, text, "describe_pain", None).before)
    assert "Nothing you told me is a warning sign" in said, said


@pytest.mark.parametrize("statement", ["my back is bad", "the pain is bad at night", "what is bad for my back?"])
def test_a_statement_that_it_is_bad_is_not_asked_whether_it_is_serious(statement):
    assert "asks_if_serious" not in analyse(statement).concepts, statement


def test_after_999_a_question_about_the_condition_is_answered_not_asked_if_it_is_happening():
    from bot.turn import plan_turn

    flags = ["saddle_numbness", "bladder_dysfunction"]
    slots = {"triage_level": "emergency", "red_flags": flags, "reported_findings": flags}
    result = plan_turn(slots, "What is cauda equina syndrome? I am frightened.", "ask_condition", None)
    said = " ".join(step.text or "" for step in result.before)
    assert "Is this happening to you now?" not in said and "understandable to be scared" in said, said
