"""bot.turn.plan_turn: the per-message screen the Rasa policy runs in-process (no Rasa here).

What the slots become and what the screen says first, for a message in a given state.
The same plan runs through the trained assistant in tests/conversations/test_red_flags.py.
"""

from __future__ import annotations

from typing import Any, Dict, Optional

import pytest

from bot.content import get_content
from bot.nlp import analyse
from bot.turn import LISTEN, RULES, plan_turn

CONSULT = "utter_consult_professional"
FORM = "symptom_form"
SETTLED = {
    "triage_level": "routine",
    "red_flags": [],
    "new_red_flags": [],
    "reported_findings": [],
    "symptom_sides": [],
    "pending_red_flags": [],
    "pending_question": None,
    "place_gp": "your GP",
    "place_pharmacist": "a pharmacist",
    "clinic_name": "the clinic",
    "checkin_after": "in a week",
}


@pytest.fixture(autouse=True)
def deployment(monkeypatch):
    """A deployment outside the UK, so the configured numbers and places are really used."""
    monkeypatch.setenv("EMERGENCY_NUMBER", "112")
    monkeypatch.setenv("URGENT_CARE_CONTACT", "the urgent care line")


def plan(text: str, intent: str, slots: Optional[Dict[str, Any]] = None, loop: Optional[str] = None):
    return plan_turn({**SETTLED, **(slots or {})}, text, intent, loop)


def actions(result):
    return [step.action for step in result.before]


def said(result):
    return " ".join(step.text or "" for step in result.before + result.after)


# ----------------------------------------------------------------- escalation
def test_new_emergency_speaks_first_with_the_configured_number_and_ends_the_turn():
    result = plan("i can't pee", "report_red_flag")
    assert result.slots["triage_level"] == "emergency"
    assert result.slots["new_red_flags"] == ["bladder_dysfunction"]
    assert "bladder_problem" in result.slots["reported_findings"]
    assert actions(result)[0] == "utter_safety_emergency" and actions(result)[-1] == CONSULT
    assert result.before[0].text.startswith("Please call 112 now")
    assert '"can\'t pee"' in said(result) and "cauda equina" in said(result)
    assert "999" not in said(result)
    assert result.then == LISTEN


def test_an_emergency_mid_interview_stops_the_interview_in_process():
    result = plan("numb between my legs", "report_red_flag", {"requested_slot": "aggravating_factors"}, FORM)
    assert actions(result)[-2:] == [CONSULT, "action_deactivate_loop"]
    assert "stop the routine questions" in said(result)


def test_a_red_flag_is_screened_whatever_the_intent():
    assert plan("i can't pee", "out_of_scope").slots["triage_level"] == "emergency"


def test_new_urgent_flag_speaks_first_then_the_conversation_goes_on():
    result = plan("i have back pain and a fever", "describe_pain")
    assert result.slots["triage_level"] == "urgent" and result.slots["new_red_flags"] == ["fever"]
    assert result.before[0].text.startswith("Please get checked today: contact your GP")
    assert "the urgent care line" in result.before[0].text
    assert actions(result)[-1] == CONSULT
    assert result.then == RULES


def test_an_urgent_flag_after_the_result_does_not_give_the_result_again():
    result = plan("i've had a fever since yesterday", "report_red_flag", {"possible_causes": ["muscle_strain"]})
    assert result.slots["triage_level"] == "urgent" and actions(result)[-1] == CONSULT
    assert result.then == LISTEN


def test_negated_red_flag_does_not_escalate():
    result = plan("no problems with my bladder", "describe_pain")
    assert result.slots.get("triage_level", "routine") == "routine"
    assert "bladder_problem" not in result.slots.get("reported_findings", [])
    assert "bladder_problem" in result.slots["denied_symptoms"]
    assert result.before == []


def test_triage_never_goes_down_and_flags_stay():
    known = {"triage_level": "urgent", "red_flags": ["fever"], "reported_findings": ["fever"]}
    result = plan("no fever actually, i was wrong", "describe_pain", known)
    assert "triage_level" not in result.slots and "red_flags" not in result.slots


def test_a_new_urgent_flag_after_an_emergency_is_spoken_as_an_emergency():
    known = {
        "triage_level": "emergency",
        "red_flags": ["bladder_dysfunction"],
        "reported_findings": ["bladder_problem"],
    }
    result = plan("i have a fever too", "describe_pain", known)
    assert result.slots["new_red_flags"] == ["fever"]
    assert result.before[0].text.startswith("Please call 112 now")


def test_an_emergency_said_again_gets_the_instruction_and_the_consult_advice():
    known = {
        "triage_level": "emergency",
        "red_flags": ["bladder_dysfunction"],
        "reported_findings": ["bladder_problem"],
    }
    result = plan("i can't pee", "report_red_flag", known)
    assert actions(result) == ["utter_safety_reminder", CONSULT]
    assert result.before[0].text.startswith("Please don't wait: call 112 now")
    assert result.then == LISTEN


@pytest.mark.parametrize(
    "text,intent",
    [
        ("what do i do", "ask_help"),
        ("does heat help", "ask_treatment"),
        ("what should I do", "ask_help"),
        ("ok. how old do you need me to be", "out_of_scope"),
        ("thanks", "thank"),
        ("what does radiate mean?", "ask_condition"),
        ("I don't understand", "dont_know"),
    ],
)
def test_after_an_emergency_anything_else_gets_the_instruction_again_and_nothing_routine(text, intent):
    # Issue 26: no topic menu, no "I can only help with back pain" after "call 112 now".
    known = {"triage_level": "emergency", "red_flags": ["bladder_dysfunction"]}
    result = plan(text, intent, known)
    assert actions(result) == ["utter_safety_reminder", CONSULT] and result.then == LISTEN
    assert result.before[0].text.startswith("Please don't wait: call 112 now")


@pytest.mark.parametrize(
    "text,condition",
    [("what is sciatica", "sciatica"), ("Could it be my circulation?", "peripheral_arterial_disease")],
)
def test_after_an_emergency_a_question_about_a_condition_is_answered_after_the_instruction(text, condition):
    # Usability review 5: every question got the instruction alone, and the person was locked in.
    # What the condition is; never its self-care or a routine timeframe.
    known = {"triage_level": "emergency", "red_flags": ["bladder_dysfunction"]}
    result = plan(text, "ask_condition", known)
    named = get_content().conditions[condition]
    assert actions(result) == ["utter_safety_reminder", "utter_safety_followup", CONSULT] and result.then == LISTEN
    assert result.before[0].text.startswith("Please don't wait: call 112 now")
    assert result.before[1].text == f"{named.name}: {named.summary}"


@pytest.mark.parametrize(
    "text",
    [
        "Oh dear. I did say there is no numbness at all. Do I really need to call 112?",
        "you misunderstood me, I don't have any of that",
        "I pressed yes by mistake",
    ],
)
def test_an_instruction_disputed_is_explained_and_a_person_to_check_with_is_given(text):
    # Usability review 5: "I did say there is no numbness" got "Good, you have done the right
    # thing". Triage never goes down on the assistant's own say-so: the reason, the
    # instruction if it is true, and the urgent care line to check with if it is not.
    known = {
        "triage_level": "emergency",
        "red_flags": ["bilateral_leg_symptoms"],
        "reported_findings": ["both_legs", "numbness"],
    }
    result = plan(text, "describe_pain", known)
    assert "triage_level" not in result.slots and "red_flags" not in result.slots
    assert actions(result) == ["utter_safety_followup", CONSULT] and result.then == LISTEN
    reply = result.before[0].text
    assert "both legs" in reply and "call 112 now" in reply and "the urgent care line" in reply
    assert "done the right thing" not in reply


@pytest.mark.parametrize("text", ["I called 112, the ambulance is coming", "my wife phoned for an ambulance"])
def test_help_on_its_way_is_told_in_the_past_not_asked(text):
    known = {"triage_level": "emergency", "red_flags": ["bladder_dysfunction"]}
    assert "done the right thing" in said(plan(text, "inform", known))
    assert "done the right thing" not in said(plan("do I need to call an ambulance?", "inform", known))


@pytest.mark.parametrize("slots", [{}, {"triage_level": "emergency", "red_flags": ["bladder_dysfunction"]}])
def test_how_to_print_points_to_the_print_button(slots):
    result = plan("How do I print it, please?", "request_summary", slots)
    assert '"Print"' in result.before[0].text and actions(result)[-1] == CONSULT and result.then == LISTEN


def test_how_long_it_takes_is_answered_before_and_after_the_result():
    before = plan("how long til it gets better", "out_of_scope")
    assert "within a few weeks" in before.before[0].text and actions(before)[-1] == "utter_offer_interview"
    after = plan("how long will it take to heal?", "ask_treatment", {"possible_causes": ["sciatica"]})
    assert "4 to 6 weeks" in after.before[0].text and actions(after)[-1] == CONSULT
    mid = plan("how long til it gets better", "out_of_scope", {"requested_slot": "pain_onset"}, FORM)
    assert actions(mid) == ["utter_safety_followup", "utter_ask_pain_onset"]


# Usability review 9: the gym asked about four times (a menu, then a weight-loss question);
# work dropped mid-interview and after a same-day instruction.
TRAINING = ("staying active helps", "Yes, you can usually keep going", "safe to train")
WORK = ("helps most people get better", "Usually yes. You do not need", "Get checked today first")


@pytest.mark.parametrize(
    "text, answers",
    [
        ("can i still go gym", TRAINING),
        ("ye but can i do deadlifts n squats", TRAINING),
        ("is it ok to squat with sciatica", TRAINING),
        ("should I go into work tomorrow??", WORK),
        ("can I go to work?", WORK),
        ("do I need a sick note?", WORK),
    ],
)
def test_whether_to_train_or_work_is_answered_before_during_and_after_the_result(text, answers):
    before_result, after_result, when_urgent = answers
    before = plan(text, "ask_treatment")
    assert before_result in before.before[0].text and actions(before)[-1] == "utter_offer_interview"
    after = plan(text, "ask_treatment", {"possible_causes": ["sciatica"]})
    assert after.before[0].text.startswith(after_result) and actions(after)[-1] == CONSULT
    mid = plan(text, "ask_treatment", {"requested_slot": "pain_onset"}, FORM)
    assert actions(mid) == ["utter_safety_followup", "utter_ask_pain_onset"]
    urgent = plan(text, "ask_treatment", {"triage_level": "urgent", "red_flags": ["cancer_history"]})
    assert when_urgent in said(urgent), said(urgent)


def test_telling_how_it_started_at_the_gym_is_no_question():
    assert "Yes, you can usually" not in said(plan("I hurt it doing deadlifts", "describe_pain"))


@pytest.mark.parametrize("text,intent", [("bye", "goodbye"), ("thanks, bye", "thank")])
def test_after_an_emergency_a_goodbye_still_gets_its_goodbye(text, intent):
    known = {"triage_level": "emergency", "red_flags": ["bladder_dysfunction"]}
    result = plan(text, intent, known)
    assert result.then == RULES and CONSULT not in actions(result)


@pytest.mark.parametrize("intent", ["delete_conversation", "request_summary"])
def test_after_an_emergency_deleting_and_the_summary_still_work(intent):
    known = {"triage_level": "emergency", "red_flags": ["bladder_dysfunction"]}
    assert plan("please do that", intent, known).then == RULES


@pytest.mark.parametrize("intent", ["restart", "back"])
def test_nothing_undoes_a_red_flag(intent):
    known = {"triage_level": "emergency", "red_flags": ["bladder_dysfunction"]}
    result = plan("", intent, known)
    assert actions(result) == ["utter_safety_reminder", CONSULT] and result.then == LISTEN


def test_the_classifier_hearing_a_red_flag_the_rules_cannot_place_gets_the_safety_net():
    result = plan("something is very wrong with me", "report_red_flag")
    assert actions(result) == ["utter_safety_followup", CONSULT]
    assert "Call 112 now" in said(result) and "the urgent care line" in said(result)


def test_a_red_flag_concept_neither_confirmed_nor_ruled_out_gets_its_targeted_question():
    result = plan("something is very wrong down there", "report_red_flag")
    assert actions(result) == ["utter_safety_check"] and result.then == LISTEN
    assert "genitals" in said(result) and result.slots["pending_question"] == "check:saddle|interview"
    answered = plan("yes", "affirm", {**result.slots})
    assert answered.slots["triage_level"] == "emergency" and answered.before[0].text.startswith("Please call 112")


def test_an_urgent_sign_confirmed_before_the_questions_then_offers_them():
    # "sweating buckets at night": the fever check is asked instead of starting the
    # questions; a "yes" is urgent, and the questions are then offered (no dead end, #23).
    first = plan("really bad back pain and I've been sweating buckets at night", "describe_pain")
    assert actions(first) == ["utter_safety_check"] and first.slots["pending_question"].endswith("|interview")
    answered = plan("yes", "affirm", {**first.slots})
    assert answered.slots["triage_level"] == "urgent"
    assert actions(answered)[-2:] == [CONSULT, "utter_offer_interview"] and answered.then == LISTEN
    assert answered.slots["interview_offered"] is True


# ----------------------------------------------------------------- over several messages
def test_findings_across_messages_combine():
    result = plan("i slipped and fell", "describe_pain", {"reported_findings": ["osteoporosis"]})
    assert result.slots["triage_level"] == "urgent"
    assert set(result.slots["reported_findings"]) == {"osteoporosis", "fall"}


def test_a_leg_symptom_on_the_other_side_later_is_both_legs():
    first = plan("my right leg is numb", "describe_pain")
    assert first.slots["symptom_sides"] == ["right"]
    second = plan("and now the other one", "describe_pain", first.slots)
    assert second.slots["triage_level"] == "emergency"
    assert "bilateral_leg_symptoms" in second.slots["new_red_flags"]


def test_both_sides_of_the_back_is_not_both_legs():
    first = plan("left leg sciatica", "describe_pain")
    second = plan("both sides of my lower back are stiff too", "describe_pain", first.slots)
    assert second.slots.get("triage_level", "routine") == "routine"


def test_same_message_flags_do_not_combine_remarks_made_apart():
    result = plan("i have numbness", "describe_pain", {"reported_findings": ["both_legs"], "pain_side": ["both_legs"]})
    assert result.slots.get("triage_level", "routine") == "routine"


def test_new_red_flags_is_cleared_on_the_next_message():
    known = {
        "triage_level": "urgent",
        "red_flags": ["fever"],
        "new_red_flags": ["fever"],
        "reported_findings": ["fever"],
    }
    assert plan("ok thanks", "thank", known).slots == {"new_red_flags": []}


# ----------------------------------------------------------------- the screen's own questions
def test_not_sure_to_the_screening_question_gets_a_specific_safety_net():
    result = plan("not sure", "dont_know", {"requested_slot": "screen_cauda_equina"}, FORM)
    assert result.slots["screen_cauda_equina"] == "unknown"
    assert actions(result) == ["utter_safety_followup"]
    assert "when you wipe" in said(result) and "112" in said(result)
    assert result.then == RULES, "the interview goes on"


def test_yes_to_the_screening_question_escalates_in_process():
    result = plan("yes", "affirm", {"requested_slot": "screen_cauda_equina"}, FORM)
    assert result.slots["screen_cauda_equina"] == "yes" and result.slots["triage_level"] == "emergency"
    assert 'answered "yes"' in said(result)


def test_a_screening_question_answered_by_telling_is_not_asked_again():
    # A held-out patient (issue 23) told her cancer and weight loss and was asked the same
    # question five times: the answer is a yes.
    told = plan(
        "I had breast cancer 6 years ago, all clear since. I've lost half a stone without trying",
        "report_red_flag",
        {"requested_slot": "screen_systemic"},
        FORM,
    )
    assert told.slots["screen_systemic"] == "yes" and told.slots["triage_level"] == "urgent"


def test_a_screening_answer_that_tells_something_else_and_denies_the_rest_is_a_no():
    answer = plan(
        "it stings when I wee but no numbness and no problems controlling it",
        "describe_pain",
        {"requested_slot": "screen_cauda_equina"},
        FORM,
    )
    assert answer.slots["screen_cauda_equina"] == "no"
    assert answer.slots.get("triage_level", "routine") != "emergency"


@pytest.mark.parametrize(
    "slot,answer",
    [
        ("screen_cauda_equina", "no nothing like that, peeing n pooing normal, no numb bits down there"),
        ("screen_cauda_equina", "nope, bladder and bowels fine, nothing numb around my bottom"),
        ("screen_systemic", "nope no fever, weights the same, never had cancer"),
        ("screen_systemic", "no temperature, weight steady, no cancer ever"),
    ],
)
def test_a_no_to_a_screening_question_is_not_followed_by_a_check_on_the_same(slot, answer):
    """Held-out patients (set 5): "no ..., peeing n pooing normal" to the cauda equina question
    was followed by "You mentioned 'pooing'. Since your back pain started, have you had..."."""
    result = plan(answer, "deny", {"requested_slot": slot}, FORM)
    assert result.slots[slot] == "no"
    assert "utter_safety_check" not in actions(result), said(result)


def test_a_fall_told_to_the_trauma_question_answers_it():
    told = plan("I fell off a ladder onto my back", "report_red_flag", {"requested_slot": "screen_major_trauma"}, FORM)
    assert told.slots["screen_major_trauma"] == "yes"


@pytest.mark.parametrize(
    "text",
    [
        "hi, ive had sciatica on and off for years and its flared up again, mostly my left leg. just want some tips",
        "sciatica for years, it's playing up again this week",
        "had sciatica for ages and it's come back again",
    ],
)
def test_a_long_standing_problem_said_to_have_flared_is_not_asked_if_new(text):
    """Held-out patient (set 4): a hidden cauda equina story was held up behind "Is this new,
    or has it changed?" about sciatica the person had just said had flared up."""
    result = plan(text, "describe_pain")
    assert "utter_safety_question" not in actions(result), said(result)
    assert "utter_safety_question" in actions(plan("sciatica on and off for years", "describe_pain"))


def test_long_standing_symptom_is_asked_about_and_the_answer_decides():
    first = plan("tingling in both feet for years", "describe_pain")
    assert first.slots.get("triage_level", "routine") == "routine"
    assert actions(first) == ["utter_safety_question"] and first.then == LISTEN
    same = plan("no, same as always", "deny", first.slots)
    assert same.slots.get("triage_level", "routine") == "routine"
    assert actions(same) == ["utter_safety_followup", CONSULT]
    worse = plan("yes it's got worse since my back went", "affirm", first.slots)
    assert worse.slots["triage_level"] == "emergency"


def test_a_general_question_gets_conditional_advice_after_the_answer_and_a_yes_no():
    result = plan("can sciatica cause numbness in both legs?", "ask_condition")
    assert result.slots.get("triage_level", "routine") == "routine"
    assert result.before == [] and result.then == RULES, "the question is answered by the rules"
    assert [s.action for s in result.after] == ["utter_safety_question"]
    assert result.after[0].text.endswith("Is this happening to you now?")
    assert "call 112 now" in result.after[0].text
    assert plan("yes", "affirm", result.slots).slots["triage_level"] == "emergency"


def test_crisis_gets_the_crisis_reply_with_the_configured_contacts(monkeypatch):
    monkeypatch.setenv("CRISIS_CONTACTS", "the crisis line on 988")
    result = plan("i want to end it all", "out_of_scope")
    assert result.slots["triage_level"] == "emergency"
    assert actions(result)[:2] == ["utter_safety_crisis", "utter_safety_crisis"]
    assert "the crisis line on 988" in said(result) and "112" in said(result)
    assert result.then == LISTEN


# ----------------------------------------------------------------- the symptom record (moved from the action server)
def test_pain_description_fills_the_symptom_slots():
    result = plan(
        "my lower back hurts and it shoots down my left leg below the knee with tingling, worse when sitting",
        "describe_pain",
    )
    assert result.slots["pain_location"] == ["lower_back"]
    assert result.slots["pain_side"] == ["left_side"]
    assert result.slots["pain_spreads"] == "yes"
    assert "below_knee" in result.slots["spread_to"]
    assert result.slots["nerve_symptoms"] == ["tingling"]
    assert result.slots["aggravating_factors"] == ["sitting"]
    assert result.before == []


def test_question_about_a_topic_is_not_recorded_as_a_symptom():
    result = plan("can sitting cause sciatica?", "ask_condition")
    assert "aggravating_factors" not in result.slots and "pain_spreads" not in result.slots


def test_one_word_answer_mid_interview_is_recorded_even_if_classified_as_a_question():
    result = plan(
        "sitting", "ask_condition", {"requested_slot": "aggravating_factors", "pain_location": ["lower_back"]}, FORM
    )
    assert result.slots["aggravating_factors"] == ["sitting"]


def test_the_question_asked_gives_a_bare_location_its_meaning():
    result = plan(
        "below the knee", "describe_pain", {"requested_slot": "pain_spreads", "pain_location": ["lower_back"]}, FORM
    )
    assert result.slots["pain_spreads"] == "yes" and result.slots["spread_to"] == ["below_knee"]


def test_only_changed_slots_are_returned():
    slots = {
        "pain_location": ["lower_back"],
        "aggravating_factors": ["sitting"],
        "reported_findings": ["lower_back", "sitting"],
    }
    assert plan("my lower back hurts when sitting", "describe_pain", slots).slots == {}
    assert plan("and it hurts when bending forward", "describe_pain", slots).slots == {
        "aggravating_factors": ["sitting", "bending_forward"],
        "reported_findings": ["bending_forward", "lower_back", "sitting"],
    }


def test_place_names_are_configuration(monkeypatch):
    monkeypatch.setenv("GP_NAME", "your doctor")
    monkeypatch.setenv("PHARMACIST_NAME", "a pharmacy")
    assert plan("hello", "greet").slots == {"place_gp": "your doctor", "place_pharmacist": "a pharmacy"}


def test_the_check_in_offer_says_the_configured_delay(monkeypatch):
    monkeypatch.setenv("CHECKIN_DELAY", str(3 * 86400))
    assert plan("hello", "greet").slots == {"checkin_after": "in 3 days"}


@pytest.mark.parametrize(
    "seconds, words",
    [
        (604800, "in a week"),
        (2 * 604800, "in 2 weeks"),
        (86400, "tomorrow"),
        (10 * 86400, "in 10 days"),
        (7200, "in 2 hours"),
        (3600, "in an hour"),
        (60, "in a minute"),
        (30, "in a minute"),
        (900, "in 15 minutes"),
    ],
)
def test_a_check_in_delay_in_words(seconds, words):
    from bot.turn import in_words

    assert in_words(seconds) == words


@pytest.mark.parametrize("answer, finding", [("67", "age_over_50"), ("17 years old", "age_under_20")])
def test_a_bare_age_answering_the_age_question_reaches_the_screen(answer, finding):
    result = plan(answer, "describe_pain", {"requested_slot": "age"}, FORM)
    assert finding in result.slots["reported_findings"]


def test_a_bare_number_is_not_an_age_for_another_question():
    result = plan("67", "describe_pain", {"requested_slot": "pain_severity"}, FORM)
    assert "age_over_50" not in (result.slots.get("reported_findings") or [])


@pytest.mark.parametrize(
    "text,feeling",
    [
        ("8 its relly bad im scared", "natural to feel worried"),
        ("im so fed up with this back", "frustrating"),
        ("i feel hopeless, nothing works", "can't cope"),
    ],
)
def test_feelings_are_acknowledged_before_the_next_question(text, feeling):
    result = plan(text, "describe_pain")
    assert result.before and result.before[0].action == "utter_safety_followup" and feeling in said(result)
    assert result.then == RULES, "the interview goes on after the acknowledgement"


def test_a_feeling_said_negated_is_not_acknowledged():
    assert not plan("i'm not worried, just sore", "describe_pain").before


# ----------------------------------------------------------------- explaining (issue 26)
@pytest.mark.parametrize(
    "text,intent,term",
    [
        ("what does radiate mean?", "ask_condition", "radiate"),
        ("What's radiating mean", "describe_pain", "radiate"),
        ("what do you mean by disc?", "ask_anatomy", "disc"),
        ("meaning of stenosis", "ask_condition", "stenosis"),
        ("what is numbness?", "ask_condition", "numbness"),
    ],
)
def test_a_word_asked_about_mid_interview_is_explained_then_the_question_asked_again(text, intent, term):
    from bot.content import get_content

    result = plan(text, intent, {"requested_slot": "pain_spreads"}, FORM)
    assert actions(result) == ["utter_safety_followup", "utter_ask_pain_spreads"] and result.then == LISTEN
    assert result.before[0].text == get_content().glossary[term].definition
    assert result.slots["reask"] == "again"  # the usual wording, not counted as a failed answer
    # Nothing is recorded from it: "radiate" is not an answer to "does it spread?".
    assert not {"pain_spreads", "spread_to", "unsure_about", "own_words"} & set(result.slots)


def test_a_word_asked_about_outside_the_interview_is_explained_then_the_consult_advice():
    result = plan("what does radiate mean?", "ask_condition")
    assert actions(result) == ["utter_safety_followup", CONSULT] and result.then == LISTEN
    assert "spreads out" in result.before[0].text


def test_a_word_the_glossary_lacks_but_a_topic_answers_goes_to_the_topic_answer():
    result = plan("what does spondylolisthesis mean?", "ask_condition", {"requested_slot": "age"}, FORM)
    assert result.then == RULES and "utter_ask_age" not in actions(result)


def test_a_word_nobody_explains_is_said_so_and_the_question_asked_again():
    result = plan("what does flibbertigibbet mean?", "ask_condition", {"requested_slot": "age"}, FORM)
    assert actions(result) == ["utter_safety_followup", "utter_ask_age"]
    assert "don't have a simple meaning" in result.before[0].text


@pytest.mark.parametrize(
    "text,intent",
    [
        ("I don't understand", "dont_know"),
        ("i dont understand the question", "stop"),
        ("what do you mean?", "ask_help"),
        ("huh?", "nlu_fallback"),
        ("not sure what you mean", "dont_know"),
        ("can you say that more simply", "ask_help"),
    ],
)
@pytest.mark.parametrize("question", ["pain_spreads", "age", "screen_cauda_equina", "pain_onset"])
def test_not_understanding_the_question_gets_it_in_simpler_words_and_records_nothing(text, intent, question):
    result = plan(text, intent, {"requested_slot": question}, FORM)
    assert actions(result) == [f"utter_ask_{question}"] and result.then == LISTEN
    assert result.slots["reask"] == "plain"
    assert not {question, "unsure_about", "own_words"} & set(result.slots), result.slots


def test_a_red_flag_in_a_request_to_explain_is_still_escalated():
    result = plan("what does it mean that I can't pee?", "ask_condition", {"requested_slot": "age"}, FORM)
    assert actions(result)[0] == "utter_safety_emergency" and result.slots["triage_level"] == "emergency"


def test_not_sure_is_still_an_answer_not_a_request_to_rephrase():
    result = plan("not sure", "dont_know", {"requested_slot": "screen_cauda_equina"}, FORM)
    assert result.slots.get("screen_cauda_equina") == "unknown" and result.then == RULES


@pytest.mark.parametrize("text,intent", [("im realy scared", "describe_pain"), ("im realy scared", "goodbye")])
@pytest.mark.parametrize("question", ["age", "pain_spreads", "pain_onset"])
def test_a_feeling_alone_is_acknowledged_then_the_question_asked_again_without_sorry(text, intent, question):
    result = plan(text, intent, {"requested_slot": question}, FORM)
    assert actions(result) == ["utter_safety_followup", f"utter_ask_{question}"] and result.then == LISTEN
    assert "natural to feel worried" in result.before[0].text and "Sorry" not in said(result)
    assert result.slots["reask"] == "again"


def test_a_feeling_with_an_answer_is_acknowledged_and_the_answer_kept_by_the_form():
    result = plan("8 its relly bad im scared", "describe_pain", {"requested_slot": "pain_severity"}, FORM)
    assert actions(result) == ["utter_safety_followup"] and result.then == RULES
    # Kept for the result and the summary (usability review 4: low mood was forgotten).
    assert result.slots["feelings"] == ["worried"]


@pytest.mark.parametrize("text,intent", [("im realy scared", "describe_pain"), ("its getting me down", "goodbye")])
def test_a_feeling_alone_is_kept_once_whatever_the_question(text, intent):
    first = plan(text, intent, {"requested_slot": "age"}, FORM)
    assert len(first.slots["feelings"]) == 1
    again = plan(text, intent, {"requested_slot": "age", "feelings": first.slots["feelings"]}, FORM)
    assert "feelings" not in again.slots


@pytest.mark.parametrize("loop,slots", [(None, {}), (FORM, {"requested_slot": "age"})])
def test_a_red_flag_named_in_a_meaning_question_keeps_the_screens_own_question(loop, slots):
    # "What does foot drop mean?" is a general question about a red flag: the screen asks
    # "is this happening to you now?"; a safety word in it gets the targeted check first.
    result = plan("what does foot drop mean?", "ask_condition", slots, loop)
    assert [s.action for s in result.after] == ["utter_safety_question"]
    assert "Is this happening to you now?" in said(result)
    check = plan("what does numbness around my bottom mean?", "ask_condition", slots, loop)
    assert actions(check) == ["utter_safety_check"] and check.then == LISTEN


def test_a_feeling_after_an_emergency_backs_the_instruction_up():
    first = plan("numb down below and i can't pee", "report_red_flag")
    result = plan("ok. im really scared tho", "describe_pain", first.slots)
    text = said(result)
    assert "scared" in text.lower() or "right thing" in text
    assert "most back pain gets better" not in text


def test_a_check_the_net_suspects_does_not_claim_the_person_said_it():
    result = plan("bit of tinglin in my calf", "describe_pain")
    text = said(result)
    assert "You mentioned swelling" not in text and "swollen" in text


def test_the_persons_words_are_quoted_whole():
    result = plan("numb down there when i wipe and i can't pee properly since this afternoon", "report_red_flag")
    text = said(result)
    assert "can't pee" in text and '"nt ' not in text


def test_should_i_go_to_ae_asked_with_a_same_day_sign_is_answered():
    result = plan(
        "I slipped and sat down hard yesterday, I take steroids and have osteoporosis, "
        "now the middle of my back is very sore. Should I go to A&E?",
        "describe_pain",
    )
    text = said(result)
    assert "today" in text and "You asked about A&E" in text


def test_after_the_result_a_question_does_not_change_an_answer_already_given():
    slots = {"possible_causes": ["axial_spondyloarthritis"], "pain_duration_days": 240, "pain_duration": "8 months"}
    result = plan("today or few weeks? i dont understand", "describe_pain", slots)
    assert result.slots.get("pain_duration_days", 240) == 240
    corrected = plan("actually it's been 3 weeks, not months", "describe_pain", slots)
    assert corrected.slots.get("pain_duration_days") == 21


def test_a_goodbye_that_raises_a_same_day_flag_ends_with_the_instruction():
    slots = {"requested_slot": "easing_factors", "other_symptoms": ["night_pain"]}
    result = plan("it wakes me every night and nothing helps, got to go, bye", "goodbye", slots, FORM)
    assert "utter_consult_professional" in actions(result)
    assert not any(a and a.startswith("utter_ask_") for a in actions(result) + [s.action for s in result.after])


EMERGENCY_SLOTS = {"triage_level": "emergency", "red_flags": ["saddle_numbness"], "reported_findings": ["numbness"]}
URGENT_SLOTS = {"triage_level": "urgent", "red_flags": ["thoracic_pain"], "reported_findings": ["upper_back"]}


@pytest.mark.parametrize(
    "slots,text",
    [
        (EMERGENCY_SLOTS, "i already called them!! the ambulance is coming"),
        (EMERGENCY_SLOTS, "the paramedics are here now"),
        (EMERGENCY_SLOTS, "my husband is driving me to A&E"),
        (URGENT_SLOTS, "the surgery can see me at 4"),
        (URGENT_SLOTS, "I called 111 and they said to go to the out of hours"),
    ],
)
def test_help_already_sought_is_acknowledged_not_told_to_call_again(slots, text):
    """A usability review: "the ambulance is coming" was met with "call 999 now"."""
    turn = plan(text, "inform", slots)
    texts = " ".join(step.text or "" for step in turn.before)
    assert texts.startswith("Good,") and "call 999 now" not in texts.lower(), texts
    assert turn.before[-1].action == "utter_consult_professional" and turn.then == LISTEN


def test_waiting_after_an_emergency_is_still_refused():
    texts = " ".join(step.text or "" for step in plan("can it wait till morning", "inform", EMERGENCY_SLOTS).before)
    assert "This can't wait" in texts


AFTER_RESULT = {
    "triage_level": "routine",
    "red_flags": [],
    "possible_causes": ["muscle_strain"],
    "reported_findings": ["lower_back", "lifting_injury"],
    "pain_location": ["lower_back"],
    "pain_onset": "lifting_injury",
    "pain_duration_days": 5.0,
    "pain_severity": 5,
}


@pytest.mark.parametrize(
    "text",
    [
        "can i get the exercise plan again",
        "what were the exercises you gave me?",
        "Please give me exercises",  # usability review 6
        "which exercise I must do?",
        "I want exercise. please",  # usability review 7
        "exercise for back?",
    ],
)
def test_the_plan_asked_for_again_after_the_result_is_given_again(text):
    """A usability review: "show me my exercise plan again" was called off-topic."""
    turn = plan(text, "ask_treatment", AFTER_RESULT)
    assert turn.before[0].text.startswith("Your activity plan:"), turn.before
    assert turn.before[-1].action == "utter_consult_professional"


def test_exercises_asked_about_before_any_result_get_the_topic_answer_not_a_plan():
    assert "Your activity plan:" not in said(plan("exercise for back?", "ask_treatment"))


def test_no_plan_is_given_after_a_same_day_instruction():
    turn = plan("show me my plan", "ask_treatment", {**AFTER_RESULT, "triage_level": "urgent"})
    assert "didn't give you an exercise plan" in turn.before[0].text


# ----------------------------------------------------------------- direct questions
@pytest.mark.parametrize("text", ["GP or physio?", "should i see my gp about this", "who should i see"])
def test_which_professional_after_a_routine_result_is_answered_in_so_many_words(text):
    turn = plan(text, "describe_pain", AFTER_RESULT)
    assert turn.before[0].text.startswith("Either can help"), turn.before
    assert turn.before[-1].action == CONSULT and turn.then == LISTEN
    assert "Do you have any of these signs now?" not in said(turn)


def test_which_professional_after_a_same_day_instruction_keeps_it_same_day():
    turn = plan("GP normal appointment? or a physio?", "describe_pain", {**AFTER_RESULT, **URGENT_SLOTS})
    assert "today" in turn.before[0].text and "Don't wait for a routine appointment" in turn.before[0].text
    assert "Either can help" not in said(turn)


def test_should_i_go_to_ae_after_a_same_day_instruction_is_answered_from_it():
    turn = plan("should i go to a&e?", "describe_pain", {**AFTER_RESULT, **URGENT_SLOTS})
    assert turn.before[0].action == "utter_safety_followup" and turn.before[-1].action == CONSULT
    assert "Do you have any of these signs now?" not in said(turn)


def test_is_it_dangerous_is_answered_from_the_result_or_by_offering_the_questions():
    after = plan("is it dangerous?", "describe_pain", AFTER_RESULT)
    assert after.before[0].text.startswith("Nothing you told me is a warning sign")
    urgent = plan("is this serious??", "describe_pain", {**AFTER_RESULT, **URGENT_SLOTS})
    assert urgent.before[0].text.startswith("It needs checking today")
    before = plan("should i be worried?", "describe_pain")
    assert before.before[0].text.startswith("I can't tell yet") and before.slots.get("interview_offered")
    assert "Nothing you told me" not in said(before)


def test_a_direct_question_with_a_new_red_flag_gets_the_instruction_not_the_routine_answer():
    turn = plan("is it dangerous? i cant feel my bum when i wipe", "describe_pain", AFTER_RESULT)
    assert turn.slots["triage_level"] == "emergency"
    assert "Nothing you told me is a warning sign" not in said(turn)


def test_should_i_see_a_gp_before_the_result_still_gets_the_signs_that_mean_ae():
    turn = plan("should i see a gp?", "describe_pain")
    assert "Do you have any of these signs now?" in said(turn)


@pytest.mark.parametrize(
    "text",
    ["i rang the surgery and they can see me thursday", "the gp surgery is shut till monday", "at the surgery now"],
)
def test_the_surgery_as_the_gp_practice_is_not_a_question_about_operations(text):
    analysis = analyse(text)
    assert "surgery" not in analysis.topics("treatment"), analysis.mentions
    assert "spinal surgery" not in said(plan(text, "inform", AFTER_RESULT)).lower()


def test_surgery_as_an_operation_is_still_a_topic():
    assert analyse("do i need surgery?").topics("treatment")


@pytest.mark.parametrize("intent", ["nlu_fallback", "describe_pain", "ask_treatment"])
def test_is_it_dangerous_mid_interview_is_answered_and_never_taken_as_the_answer(intent):
    """A replay: "is it dangerous?" to the last screening question was filed as its answer."""
    turn = plan("is it dangerous?", intent, {"requested_slot": "screen_systemic"}, FORM)
    assert actions(turn) == ["utter_safety_followup", "utter_ask_screen_systemic"] and turn.then == LISTEN
    assert "screen_systemic" not in turn.slots and "own_words" not in turn.slots


@pytest.mark.parametrize("text", ["i rang the surgery and they can see me thursday", "booked a physio for next week"])
def test_an_appointment_made_after_a_routine_result_is_acknowledged(text):
    turn = plan(text, "nlu_fallback", AFTER_RESULT)
    assert turn.before[0].text.startswith("Good, that is a sensible next step")
    assert turn.before[-1].action == CONSULT and turn.then == LISTEN


def test_an_appointment_days_away_after_a_same_day_instruction_is_told_the_same_day_again():
    turn = plan("the gp can see me next tuesday", "inform", {**AFTER_RESULT, **URGENT_SLOTS})
    assert "You need to be seen today" in turn.before[0].text
    assert "Good" not in turn.before[0].text


@pytest.mark.parametrize("text, intent", [("im so scared", "goodbye"), ("ok thanks", "goodbye")])
def test_after_an_emergency_what_the_classifier_takes_for_a_goodbye_but_is_not_gets_the_instruction(text, intent):
    turn = plan(text, intent, EMERGENCY_SLOTS)
    assert turn.then == LISTEN and "call 112 now" in said(turn).lower()
    assert turn.before[-1].action == CONSULT


@pytest.mark.parametrize(
    "text, slots, loop, asked_again",
    [
        ("6", {"requested_slot": "age"}, FORM, "utter_ask_age"),
        ("14", {"requested_slot": "age"}, FORM, "utter_ask_age"),
        ("15 years old", {"requested_slot": "age"}, FORM, "utter_ask_age"),
        ("im 14", {"requested_slot": "age"}, FORM, "utter_ask_age"),
        ("im 14 and my back hurts", {}, None, CONSULT),
    ],
)
def test_an_age_under_16_is_not_taken_and_the_reply_says_who_can_help_a_child(text, slots, loop, asked_again):
    """docs/safety-case.md: not for children under 16 (NICE NG59 is for over 16s)."""
    turn = plan(text, "describe_pain", slots, loop)
    assert "aged 16 and over" in turn.before[0].text and "GP" in turn.before[0].text
    assert turn.before[-1].action == asked_again and turn.then == LISTEN
    assert turn.slots.get("age") is None


def test_an_age_of_16_is_taken():
    assert plan("16", "describe_pain", {"requested_slot": "age"}, FORM).then == RULES


def test_is_that_an_emergency_mid_interview_gets_the_signs_that_mean_ae():
    """A usability review: "Is that an emergency? I was only going to mention it to my doctor." got "Sorry"."""
    text = "Oh dear. Is that an emergency? I was only going to mention it to my doctor."
    turn = plan(text, "ask_condition", {"requested_slot": "pain_spreads"}, FORM)
    assert actions(turn) == ["utter_safety_check"] and "Do you have any of these signs now?" in said(turn)


@pytest.mark.parametrize(
    "text, starts",
    [
        ("im so fed up with it all tbh", "That sounds really frustrating"),
        ("im feeling really low", "I'm sorry you're going through this"),
        ("im worried", "It's normal to worry"),
    ],
)
def test_a_feeling_alone_after_a_routine_result_gets_who_can_help_not_the_result_again(text, starts):
    turn = plan(text, "describe_pain", AFTER_RESULT)
    assert turn.before[0].text.startswith(starts) and turn.before[-1].action == CONSULT and turn.then == LISTEN


def test_low_about_it_all_is_asked_the_safety_question():
    """Since the net learnt indirect warning signs (review 7), low mood said of everything is
    asked about directly, as NICE NG225 advises when hopelessness is voiced; never escalated."""
    turn = plan("feeling really low about it all", "describe_pain", AFTER_RESULT)
    assert "thoughts of ending your life" in said(turn) and turn.slots.get("triage_level") in (None, "routine")


def test_the_consult_advice_after_the_crisis_reply_alone_takes_its_crisis_form():
    crisis = plan("i want to end it all, whats the point", "describe_pain")
    assert crisis.slots.get("crisis_only") is True
    both = plan("i want to end it all and i cant pee", "describe_pain", {"crisis_only": True})
    assert both.slots.get("crisis_only") is False


@pytest.mark.parametrize("slots", [EMERGENCY_SLOTS, URGENT_SLOTS])
def test_what_will_they_do_there_after_an_instruction_says_what_to_expect(slots):
    turn = plan("what will they do to me there", "ask_treatment", slots)
    assert turn.before[0].text.startswith("A nurse or doctor will first check how urgent it is")
    assert turn.before[-1].action == CONSULT and "call 112 now" not in said(turn).lower()


@pytest.mark.parametrize("slots", [EMERGENCY_SLOTS, URGENT_SLOTS])
@pytest.mark.parametrize("text", ["what shud i bring with me", "what should I take with me?"])
def test_what_to_bring_after_an_instruction_is_answered_not_what_happens_there(slots, text):
    """Usability review 7: "what shud i bring with me" got what happens at A&E again."""
    turn = plan(text, "ask_treatment", slots)
    assert turn.before[0].text.startswith("Bring your medicines"), said(turn)
    assert turn.before[-1].action == CONSULT


@pytest.mark.parametrize("text", ["ok calling now thanks", "ringing them now", "ok heading to a&e"])
def test_calling_now_after_an_emergency_is_acknowledged(text):
    """Usability review 7: "ok calling now thanks" got "Please don't wait: call 999 now" again."""
    assert said(plan(text, "thank", EMERGENCY_SLOTS)).startswith("Good,")


def test_do_i_really_need_an_ambulance_is_not_answered_no():
    """Usability review 7: "No, please don't wait" opened the answer to "do I really need an
    ambulance?", and a frightened person may stop reading at "No"."""
    turn = plan("do i really need an ambulance tho? feels a bit over the top", "inform", EMERGENCY_SLOTS)
    first = turn.before[0].text
    assert not first.lower().startswith("no") and "can't wait" in first, first


def test_driving_to_ae_after_an_emergency_is_not_told_to_call_again():
    turn = plan("ok my partner is driving me to A&E", "inform", EMERGENCY_SLOTS)
    assert "again" not in turn.before[0].text and turn.before[0].text.startswith("Good")


def test_is_it_new_is_asked_once_for_each_long_standing_finding():
    """A held-out patient said "I had iritis last year" four times and was asked four times."""
    slots = {"requested_slot": "screen_systemic"}
    text = "No fever, weight loss or cancer. I had iritis last year."
    first = plan(text, "deny", slots, FORM)
    assert "Is this new" in said(first)
    again = plan(text, "deny", {**slots, **first.slots, "pending_question": None}, FORM)
    assert "Is this new" not in said(again), again


# ----------------------------------------------------------------- a fourth usability review
def test_a_crisis_said_with_a_physical_red_flag_gets_the_instruction_and_then_the_crisis_check():
    """'i just want it all to end, the pain never stops' got only the same-day instruction."""
    for text, level in [
        ("i just want it all to end, the pain never stops", "urgent"),
        ("i cant pee and i just want it all to end", "emergency"),
    ]:
        turn = plan(text, "describe_pain")
        assert turn.slots["triage_level"] == level
        assert actions(turn)[-1] == "utter_safety_check" and "ending your life" in turn.before[-1].text, said(turn)
        assert CONSULT in actions(turn) and turn.then == LISTEN
        yes = plan("yes", "affirm", turn.slots)
        assert "utter_safety_crisis" in actions(yes), said(yes)


@pytest.mark.parametrize("text", ["i cant go on like this", "i can't go on anymore"])
def test_cant_go_on_is_no_bladder_problem(text):
    turn = plan(text, "describe_pain")
    assert "bladder_dysfunction" not in (turn.slots.get("red_flags") or []), said(turn)


@pytest.mark.parametrize("text", ["i cant go to work with this back", "i cant go out"])
def test_cant_go_somewhere_is_no_red_flag(text):
    turn = plan(text, "describe_pain")
    assert turn.slots.get("triage_level", "routine") == "routine", said(turn)


@pytest.mark.parametrize("text", ["i cant go", "tried to pee but i cant go", "i cant go, my bladder feels full"])
def test_cant_go_to_the_toilet_still_is(text):
    assert plan(text, "describe_pain").slots["triage_level"] == "emergency"


@pytest.mark.parametrize(
    "text", ["im 55 and i think i have a slipped disc", "slipped disc?", "I'm 70, is it a slipped disc"]
)
def test_a_slipped_disc_is_no_fall(text):
    """The assistant's own word raised the fall-with-fragile-bones flag at 50 or over."""
    turn = plan(text, "describe_pain")
    assert turn.slots.get("triage_level", "routine") == "routine" and not actions(turn), said(turn)
    assert plan("i slipped on the ice, im 70", "describe_pain").slots["triage_level"] == "urgent"


def test_no_to_the_signs_that_mean_ae_answers_the_same_screening_questions():
    """A usability review (Joan): "No, none of those" to "Do you have any of these signs now?"
    was followed by the same signs as the cauda equina question ("No dear, as I said")."""
    asked = plan("Is that an emergency?", "ask_treatment", {"requested_slot": "pain_spreads"}, FORM)
    assert asked.slots.get("pending_question", "").startswith("check:where_to_go")
    answered = plan(
        "No, none of those, thank goodness.", "deny", {**asked.slots, "requested_slot": "pain_spreads"}, FORM
    )
    assert answered.slots["screen_cauda_equina"] == "no" and answered.slots["screen_major_trauma"] == "no"
    assert plan("no", "deny", asked.slots).slots.get("triage_level", "routine") == "routine"


def test_work_at_a_height_said_without_a_fall_gets_the_fall_check_before_what_the_net_suspects():
    """Held-out set 5: "was up and down a ladder all day" never led to the fall, and the net's
    bladder question came first."""
    asked = plan(
        "started yesterday at work, was up and down a ladder all day",
        "describe_pain",
        {"requested_slot": "pain_onset"},
        FORM,
    )
    assert actions(asked) == ["utter_safety_check"] and 'mentioned "ladder"' in said(asked)
    fell = plan("yes i fell off it onto my back", "affirm", {**asked.slots, "requested_slot": "pain_onset"}, FORM)
    assert fell.slots["triage_level"] == "emergency"


@pytest.mark.parametrize("text", ["Can I drive myself?", "is it ok to drive to a&e", "should i drive to hospital"])
def test_driving_oneself_after_an_emergency_is_answered(text):
    """Usability review 5: "can I drive myself?" got "don't wait" twice and nothing on driving."""
    first = plan("since yesterday my bum is numb and I can't start peeing", "report_red_flag", {})
    result = plan(text, "describe_pain", first.slots)
    assert "don't drive yourself" in said(result).lower(), said(result)


def test_asking_whether_to_call_999_is_not_having_called():
    """Usability review 5: "Do I really need to call 999?" got "Good, you have done the right thing"."""
    first = plan("since yesterday my bum is numb and I can't start peeing", "report_red_flag", {})
    result = plan("Do I really need to call 999?", "describe_pain", first.slots)
    assert "right thing" not in said(result) and "can't wait" in said(result), said(result)
    done = plan("I've called 999, the ambulance is coming", "describe_pain", first.slots)
    assert "right thing" in said(done)


@pytest.mark.parametrize(
    "text",
    [
        "my back is killing me and i have to do a 12 hr shift tomorrow, can i still go in?",
        "Is it OK to drive with my back like this? It twinges every time I turn to check my mirror.",
    ],
)
def test_a_question_about_what_to_do_with_ones_own_pain_is_answered_then_the_rules_start_the_questions(text):
    """Set 6: these got only an offer of the questions; the issue asks for an answer, then them."""
    result = plan(text, "describe_pain", {})
    assert result.before and result.before[0].text.startswith("Work, driving and daily life:"), said(result)
    assert result.then == RULES
    asked_in_form = plan(text, "describe_pain", {"requested_slot": "pain_spreads"}, FORM)
    assert not any((s.text or "").startswith("Work, driving") for s in asked_in_form.before)


@pytest.mark.parametrize("text", ["what can I do about that side of it?", "how do I cope with it all?"])
def test_what_helps_with_the_mood_is_answered_after_the_result(text):
    # Usability review 6: "what can I do about that side of it?" got the topic menu.
    result = plan(text, "ask_treatment", {**AFTER_RESULT, "feelings": ["low"]})
    assert "Talking Therapies" in result.before[0].text and "can't cope" in result.before[0].text
    assert actions(result)[-1] == CONSULT and result.then == LISTEN


# ----------------------------------------------------------------- a picture told earlier
CLAUDICATION = (
    "For the last few months my legs have been aching when I walk to the shops, and I have to sit down before it eases."
)


def conversation(*texts: str):
    """Each message planned on the slots the one before left, as the Rasa process carries them."""
    slots: Dict[str, Any] = dict(SETTLED)
    turns = []
    for text in texts:
        turn = plan_turn(dict(slots), text, "describe_pain", FORM if slots.get("requested_slot") else None)
        slots.update(turn.slots)
        turns.append(turn)
    return turns, slots


@pytest.mark.parametrize(
    "spread", ["It goes down the backs of both legs, into the calves", "it spreads into both legs when I walk"]
)
def test_both_legs_told_after_a_claudication_picture_is_asked_if_new_not_sent_to_999(spread):
    """Usability review 7: legs that ache on walking and ease with sitting, for months, then
    "it goes down the backs of both legs" in answer to the spread question: sent to 999, which
    a clinician would not do (NICE CKS: neurogenic claudication); it is asked about instead."""
    turns, slots = conversation(CLAUDICATION, spread)
    assert slots["triage_level"] == "routine"
    assert "Is this new" in said(turns[-1]) and "both legs" in said(turns[-1])


def test_yes_it_is_new_to_that_question_sends_to_999():
    turns, slots = conversation(CLAUDICATION, "It goes down the backs of both legs", "yes, that started yesterday")
    assert slots["triage_level"] == "emergency" and "bilateral_leg_symptoms" in slots["red_flags"]


def test_no_to_that_question_carries_on_and_is_not_asked_again():
    turns, slots = conversation(
        CLAUDICATION, "It goes down both legs", "no, it's been like that for months", "it goes down both legs"
    )
    assert slots["triage_level"] == "routine" and "Is this new" not in said(turns[-1])


@pytest.mark.parametrize(
    "new", ["now both legs have gone numb and weak since this morning", "suddenly it's going down both legs"]
)
def test_both_legs_told_as_new_after_a_claudication_picture_is_still_999(new):
    turns, slots = conversation(CLAUDICATION, new)
    assert slots["triage_level"] == "emergency", said(turns[-1])


@pytest.mark.parametrize(
    "text", ["pain going down both my legs", "numbness in both legs", "both feet are dragging and i keep tripping"]
)
def test_after_a_result_about_the_back_both_legs_are_news_and_999(text):
    """CI on e937bbf: after a result whose answers were walking and sitting but no legs, "pain
    going down both my legs" was asked "is this new?": the earlier picture must be of the legs."""
    slots = {**AFTER_RESULT, "reported_findings": ["lower_back", "walking", "sitting"]}
    assert plan(text, "describe_pain", slots).slots.get("triage_level") == "emergency"


@pytest.mark.parametrize("text", ["both my legs are numb", "both legs went weak on the stairs"])
def test_numbness_or_weakness_after_a_claudication_picture_is_never_explained_by_it(text):
    turns, slots = conversation(CLAUDICATION, text)
    assert slots["triage_level"] == "emergency", said(turns[-1])


def test_pain_in_one_leg_then_the_other_is_999_whatever_eases_it():
    turns, slots = conversation(
        "shooting pain down my left leg for months, worse when I walk and better when I sit",
        "it's going down my right leg as well",
    )
    assert slots["triage_level"] == "emergency", said(turns[-1])


def test_no_to_the_a_and_e_question_before_any_result_offers_the_questions():
    """Usability review 8: "Should I go to A&E?", then "No", got "that's reassuring" and the
    consult advice, and nothing more: a dead end for a person who had not told their pain."""
    asked = plan("Should I go to A&E?", "ask_help")
    assert (asked.slots.get("pending_question") or "").startswith("check:where_to_go"), asked.slots
    answered = plan("No", "deny", {**asked.slots})
    assert actions(answered)[-1] == "utter_offer_interview", actions(answered)
    assert answered.slots.get("interview_offered") is True


def test_an_answer_told_before_a_question_mid_interview_is_kept():
    """Usability review 8: "hot water bottle helps and walking around a bit. so should i go into
    work?" got the work advice and then "And what eases it?" again."""
    slots = {"requested_slot": "easing_factors", "pain_location": ["lower_back"]}
    result = plan(
        "hot water bottle helps and walking around a bit. so should i go into work tomorrow?",
        "ask_treatment",
        slots,
        loop="symptom_form",
    )
    assert set(result.slots.get("easing_factors") or []) >= {"heat", "walking"}, result.slots
    # ... and the interview goes on: the question it answered is not asked again.
    assert "utter_ask_easing_factors" not in actions(result) and result.then == RULES, actions(result)


@pytest.mark.parametrize(
    "question,answer",
    [
        ("screen_cauda_equina", "no none of that. but should i go to work tmrw??"),
        ("aggravating_factors", "sitting makes it worse. should i go to work tomorrow?"),
    ],
)
def test_a_question_after_the_answer_mid_interview_is_answered_and_the_interview_goes_on(question, answer):
    """Usability review 10: after "no none of that. but should i go to work tmrw??" the safety
    check was asked again."""
    slots = {"requested_slot": question, "pain_location": ["lower_back"], "pain_spreads": "no", "nerve_symptoms": []}
    result = plan(answer, "ask_treatment", slots, loop="symptom_form")
    assert result.slots.get(question) and result.then == RULES, result
    assert actions(result) == ["utter_safety_followup"] and "work" in said(result)


def test_a_question_alone_mid_interview_is_answered_and_the_question_asked_again():
    slots = {"requested_slot": "aggravating_factors", "pain_location": ["lower_back"]}
    result = plan("should i go to work tomorrow?", "ask_treatment", slots, loop="symptom_form")
    assert actions(result) == ["utter_safety_followup", "utter_ask_aggravating_factors"] and result.then == LISTEN


def test_how_it_started_said_with_when_is_the_onset_not_what_makes_it_worse():
    result = plan("my lower back hurts after lifting my toddler's car seat 4 days ago", "describe_pain")
    assert result.slots.get("pain_onset") == "lifting_injury", result.slots


@pytest.mark.parametrize("text", ["ok thank you very much", "ok thanks", "ok cheers"])
def test_thanks_after_the_result_is_thanks_not_a_yes(text):
    # Usability review 9: "ok" read it as a yes, which got the list of what the assistant can do.
    after = plan(text, "affirm", {"possible_causes": ["spinal_stenosis"]})
    assert actions(after) == ["utter_you_are_welcome"] and after.then == LISTEN
    offered = plan(text, "affirm", {"interview_offered": True})
    assert actions(offered) != ["utter_you_are_welcome"]


def test_a_yes_to_a_check_that_tells_more_records_the_rest():
    # Usability review 9: "sit down is better" said with the yes, then "what eases it?" asked.
    first = plan("hello. my legs pain when i walk", "describe_pain")
    assert first.slots["pending_question"] == "check:both_legs|interview"
    told = plan("yes both leg. thigh. when walk 10 minute. sit down is better", "affirm", first.slots)
    assert told.slots.get("easing_factors") == ["sitting"]
    bare = plan("yes", "affirm", first.slots)
    assert "easing_factors" not in bare.slots


# ----------------------------------------------------------------- "is it a slipped disc??" (usability review 9)
@pytest.mark.parametrize(
    "text,asked",
    [
        ("hi my lower back really hurts since a long drive 4 days ago. is it a slipped disc??", "a slipped disc"),
        ("my leg has been burning down the back for a week, could it be sciatica?", "sciatica"),
        ("lower back agony since tuesday - might this be a trapped nerve", "a trapped nerve"),
        ("my lower back hurts, is it arthritis or not", "arthritis"),
    ],
)
def test_whether_ones_own_pain_is_a_condition_is_answered_before_the_questions(text, asked):
    result = plan(text, "describe_pain")
    assert f"It may be {asked}, or something else: I can't tell yet." in said(result)
    assert result.then == RULES, "the questions start after the answer"


@pytest.mark.parametrize(
    "text",
    [
        "back pain for 2 weeks. what is a slipped disc?",  # asks what it is, answered as a topic
        "my back hurts. my mum had a slipped disc last year",  # nobody asked
        "lower back pain, the physio said it is not a slipped disc",
    ],
)
def test_a_condition_named_without_asking_whether_it_is_theirs_is_not_answered_so(text):
    assert "I can't tell yet" not in said(plan(text, "describe_pain"))
