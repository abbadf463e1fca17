"""action_validate_slot_mappings (ActionScreenMessage): the red-flag screen run after every message."""

from typing import Any, Dict

from actions.screening import ActionScreenMessage

from .conftest import CONSULT, EMERGENCY_NUMBER, FORM, make_tracker, responses, slot_events, texts

SETTLED = {"triage_level": "routine", "red_flags": [], "new_red_flags": [], "reported_findings": []}


async def screen(dispatcher, domain, text, intent, slots=None, **kwargs) -> Dict[str, Any]:
    tracker = make_tracker(text, intent, {**SETTLED, **(slots or {})}, **kwargs)
    events = await ActionScreenMessage().run(dispatcher, tracker, domain)
    return slot_events(events)


def after(slots: Dict[str, Any], changes: Dict[str, Any]) -> Dict[str, Any]:
    return {**SETTLED, **slots, **changes}


def test_the_screen_is_the_global_slot_validation_hook():
    assert ActionScreenMessage().name() == "action_validate_slot_mappings"


# ----------------------------------------------------------------- escalation
async def test_new_emergency_red_flag_escalates_with_the_configured_number(dispatcher, domain):
    changes = await screen(dispatcher, domain, "i can't pee", "report_red_flag")

    assert changes["triage_level"] == "emergency"
    assert "bladder_dysfunction" in changes["red_flags"]
    assert "bladder_dysfunction" in changes["new_red_flags"]
    assert "bladder_problem" in changes["reported_findings"]
    said = texts(dispatcher)
    assert any(f"call {EMERGENCY_NUMBER}" in t for t in said), said
    assert not any("999" in t for t in said)  # the UK default is not used when configured
    assert any("bladder" in t for t in said)  # the reason is named
    # The consult advice comes after the escalation, as the last message.
    assert responses(dispatcher)[-1] == CONSULT
    assert responses(dispatcher).count(CONSULT) == 1
    assert all(r is None for r in responses(dispatcher)[:-1])


async def test_red_flag_already_recorded_gets_a_short_reminder_not_a_new_escalation(dispatcher, domain):
    known = {
        "triage_level": "emergency",
        "red_flags": ["bladder_dysfunction"],
        "new_red_flags": ["bladder_dysfunction"],
        "reported_findings": ["bladder_problem"],
    }
    changes = await screen(dispatcher, domain, "i can't pee", "report_red_flag", known)

    assert changes.get("new_red_flags") == []
    assert "triage_level" not in changes and "red_flags" not in changes
    said = texts(dispatcher)
    assert len(said) == 1 and EMERGENCY_NUMBER in said[0]
    assert "can be a sign of a problem" not in said[0]  # not the full escalation again
    assert CONSULT not in responses(dispatcher)


async def test_red_flag_is_screened_whatever_the_intent(dispatcher, domain):
    changes = await screen(dispatcher, domain, "i can't pee", "out_of_scope")
    assert changes["triage_level"] == "emergency"
    assert responses(dispatcher)[-1] == CONSULT


async def test_new_urgent_red_flag_escalates_at_urgent_level(dispatcher, domain):
    changes = await screen(dispatcher, domain, "i have back pain and a fever", "describe_pain")
    assert changes["triage_level"] == "urgent"
    assert changes["new_red_flags"] == ["fever"]
    said = " ".join(texts(dispatcher))
    assert "today" in said and "the urgent care line" in said
    assert responses(dispatcher)[-1] == CONSULT


async def test_negated_red_flag_does_not_escalate(dispatcher, domain):
    changes = await screen(dispatcher, domain, "no problems with my bladder", "describe_pain")
    assert changes.get("triage_level", "routine") == "routine"
    assert not changes.get("red_flags") and not changes.get("new_red_flags")
    assert "bladder_problem" not in changes.get("reported_findings", [])
    assert "bladder_problem" in changes["denied_symptoms"]
    assert dispatcher.messages == []


async def test_triage_never_goes_down(dispatcher, domain):
    known = {"triage_level": "urgent", "red_flags": ["fever"], "reported_findings": ["fever"]}
    changes = await screen(dispatcher, domain, "no fever actually, i was wrong", "describe_pain", known)
    assert "triage_level" not in changes  # still urgent
    assert "red_flags" not in changes and "reported_findings" not in changes
    assert dispatcher.messages == []


async def test_emergency_is_not_lowered_by_a_new_urgent_flag(dispatcher, domain):
    known = {
        "triage_level": "emergency",
        "red_flags": ["bladder_dysfunction"],
        "reported_findings": ["bladder_problem"],
    }
    changes = await screen(dispatcher, domain, "i have a fever too", "describe_pain", known)
    assert "triage_level" not in changes
    assert changes["new_red_flags"] == ["fever"]
    assert changes["red_flags"] == ["bladder_dysfunction", "fever"]
    # Never soften: spoken as an emergency.
    assert any(f"call {EMERGENCY_NUMBER} now" in t for t in texts(dispatcher))


async def test_findings_across_messages_combine_fall_with_osteoporosis(dispatcher, domain):
    changes = await screen(
        dispatcher, domain, "i slipped and fell", "describe_pain", {"reported_findings": ["osteoporosis"]}
    )
    assert changes["triage_level"] == "urgent"
    assert "fall_or_fragile_bones" in changes["red_flags"]
    assert set(changes["reported_findings"]) == {"osteoporosis", "fall"}


async def test_findings_across_messages_combine_into_an_emergency(dispatcher, domain):
    # Neither "around my bottom" nor "numbness" is a red flag alone; together they are (saddle numbness).
    alone = await screen(dispatcher, domain, "i have numbness", "describe_pain")
    assert alone.get("triage_level", "routine") == "routine" and dispatcher.messages == []

    changes = await screen(
        dispatcher, domain, "i have numbness", "describe_pain", {"reported_findings": ["saddle_area"]}
    )
    assert changes["triage_level"] == "emergency"
    assert "saddle_numbness" in changes["new_red_flags"]


async def test_numb_legs_in_one_message_is_an_emergency(dispatcher, domain):
    changes = await screen(dispatcher, domain, "my legs are numb", "describe_pain")
    assert changes["triage_level"] == "emergency"
    assert "bilateral_leg_symptoms" in changes["new_red_flags"]


async def test_same_message_flags_do_not_combine_remarks_made_apart(dispatcher, domain):
    # bilateral_leg_symptoms is a `same_message` flag in red_flags.yml.
    changes = await screen(
        dispatcher,
        domain,
        "i have numbness",
        "describe_pain",
        {"reported_findings": ["both_legs"], "pain_side": ["both_legs"]},
    )
    assert changes.get("triage_level", "routine") == "routine"
    assert dispatcher.messages == []


async def test_new_red_flags_is_cleared_on_the_next_message(dispatcher, domain):
    known = {
        "triage_level": "urgent",
        "red_flags": ["fever"],
        "new_red_flags": ["fever"],
        "reported_findings": ["fever"],
    }
    changes = await screen(dispatcher, domain, "ok thanks", "thank", known)
    assert changes == {"new_red_flags": []}


# ----------------------------------------------------------------- the symptom record
async def test_pain_description_fills_the_symptom_slots(dispatcher, domain):
    changes = await screen(
        dispatcher,
        domain,
        "my lower back hurts and it shoots down my left leg below the knee with tingling, worse when sitting",
        "describe_pain",
    )
    assert changes["pain_location"] == ["lower_back"]
    assert changes["pain_side"] == ["left_side"]
    assert changes["pain_spreads"] == "yes"
    assert "below_knee" in changes["spread_to"]
    assert changes["nerve_symptoms"] == ["tingling"]
    assert changes["aggravating_factors"] == ["sitting"]
    assert "triage_level" not in changes and dispatcher.messages == []


async def test_question_about_a_topic_is_not_recorded_as_a_symptom(dispatcher, domain):
    changes = await screen(dispatcher, domain, "can sitting cause sciatica?", "ask_condition")
    assert "aggravating_factors" not in changes
    assert "pain_spreads" not in changes and "spread_to" not in changes


async def test_one_word_answer_mid_interview_is_recorded_even_if_classified_as_a_question(dispatcher, domain):
    changes = await screen(
        dispatcher,
        domain,
        "sitting",
        "ask_condition",
        {"requested_slot": "aggravating_factors", "pain_location": ["lower_back"]},
        active_loop=FORM,
    )
    assert changes["aggravating_factors"] == ["sitting"]


async def test_question_about_a_topic_mid_interview_is_not_an_answer(dispatcher, domain):
    changes = await screen(
        dispatcher,
        domain,
        "can sitting cause sciatica?",
        "ask_condition",
        {"requested_slot": "aggravating_factors"},
        active_loop=FORM,
    )
    assert "aggravating_factors" not in changes


async def test_the_question_asked_gives_a_bare_location_its_meaning(dispatcher, domain):
    changes = await screen(
        dispatcher,
        domain,
        "below the knee",
        "describe_pain",
        {"requested_slot": "pain_spreads", "pain_location": ["lower_back"]},
        active_loop=FORM,
    )
    assert changes["pain_spreads"] == "yes"
    assert changes["spread_to"] == ["below_knee"]


async def test_button_payloads_are_not_analysed(dispatcher, domain):
    changes = await screen(dispatcher, domain, "/report_red_flag", "report_red_flag")
    assert changes == {}
    assert dispatcher.messages == []


async def test_only_changed_slots_are_returned(dispatcher, domain):
    slots = {
        "pain_location": ["lower_back"],
        "aggravating_factors": ["sitting"],
        "reported_findings": ["lower_back", "sitting"],
    }
    changes = await screen(dispatcher, domain, "my lower back hurts when sitting", "describe_pain", slots)
    assert changes == {}

    changes = await screen(dispatcher, domain, "and when bending forward", "describe_pain", slots)
    assert changes == {
        "aggravating_factors": ["sitting", "bending_forward"],
        "reported_findings": ["bending_forward", "lower_back", "sitting"],
    }


# ----------------------------------------------------------------- questions are not statements
async def test_a_question_about_sciatica_does_not_later_combine_into_an_emergency(dispatcher, domain):
    first = await screen(dispatcher, domain, "does sciatica go away?", "ask_condition")
    assert dispatcher.messages == []  # the question alone is not an emergency
    slots = after({}, first)
    dispatcher.messages.clear()

    second = await screen(dispatcher, domain, "both my legs hurt", "describe_pain", slots)
    assert second.get("triage_level", "routine") != "emergency"
    assert not any(EMERGENCY_NUMBER in t for t in texts(dispatcher))
