"""validate_symptom_form: which questions are asked, and short answers to the question asked."""

from typing import Any, Dict, List, Optional

import pytest

from actions.interview import ValidateSymptomForm

from .conftest import FORM, make_tracker, responses, slot_events

BEFORE_CAUDA_EQUINA = {
    "pain_location": ["lower_back"],
    "pain_spreads": "no",
    "spread_to": [],
    "nerve_symptoms": [],
    "triage_level": "routine",
    "red_flags": [],
    "new_red_flags": [],
    "reported_findings": ["lower_back"],
}
ALL_BUT_SYSTEMIC = {
    **BEFORE_CAUDA_EQUINA,
    "screen_cauda_equina": "no",
    "age": 45.0,
    "aggravating_factors": ["sitting"],
    "easing_factors": ["walking"],
    "pain_onset": "gradual",
    "pain_duration_days": 10.0,
    "pain_duration": "acute",
    "pain_severity": 5.0,
}


def form_tracker(
    text: str,
    intent: Optional[str],
    requested: str,
    slots: Dict[str, Any],
    candidates: Optional[Dict[str, Any]] = None,
    events_before: Optional[List[Dict[str, Any]]] = None,
):
    """The temporary tracker Rasa 3.6 sends to the form's validation action.

    After the user event: the slot extraction, then the form's requested_slot, the form's
    ActionExecuted and the slot candidates (rasa/core/actions/forms.py ``_temporary_tracker``).
    ``events_before``: events of the interview so far (e.g. the questions asked), placed
    after the form's activation and before the latest user message.
    """
    events = [
        {"event": "action", "name": "action_extract_slots"},
        {"event": "slot", "name": "requested_slot", "value": requested},
        {"event": "action", "name": FORM},
    ]
    events += [{"event": "slot", "name": k, "value": v} for k, v in (candidates or {}).items()]
    tracker = make_tracker(text, intent, {**slots, "requested_slot": requested}, active_loop=FORM, events=events)
    if events_before:
        user = next(i for i, e in enumerate(tracker.events) if e.get("event") == "user")
        tracker.events[user:user] = [{"event": "active_loop", "name": FORM}, *events_before]
    return tracker


async def required(domain, dispatcher, slots) -> List[str]:
    validator = ValidateSymptomForm()
    tracker = make_tracker("hi", "greet", slots, active_loop=FORM)
    return await validator.required_slots(validator.domain_slots(domain), dispatcher, tracker, domain)


async def extract(dispatcher, domain, text, intent, requested, slots) -> Dict[str, Any]:
    tracker = form_tracker(text, intent, requested, slots)
    return slot_events(await ValidateSymptomForm().get_extraction_events(dispatcher, tracker, domain))


def test_form_name():
    assert ValidateSymptomForm().name() == "validate_symptom_form"
    assert ValidateSymptomForm().form_name() in {"symptom_form"}


# ----------------------------------------------------------------- required_slots
async def test_required_slots_skip_follow_ups_that_do_not_apply(dispatcher, domain):
    slots = await required(domain, dispatcher, {"nerve_symptoms": ["numbness"], "pain_onset": "gradual"})
    assert "screen_weakness_progression" not in slots
    assert "screen_major_trauma" not in slots
    assert slots[:4] == ["pain_location", "pain_spreads", "nerve_symptoms", "screen_cauda_equina"]
    assert slots[-1] == "screen_systemic"


async def test_required_slots_ask_about_progression_when_there_is_weakness(dispatcher, domain):
    slots = await required(domain, dispatcher, {"nerve_symptoms": ["tingling", "weakness"]})
    assert "screen_weakness_progression" in slots
    assert slots.index("screen_weakness_progression") == slots.index("screen_cauda_equina") + 1


async def test_required_slots_follow_the_domain_order(dispatcher, domain):
    slots = await required(domain, dispatcher, {"nerve_symptoms": ["weakness"], "pain_onset": "fall"})
    assert slots == domain["forms"]["symptom_form"]["required_slots"]


async def test_no_questions_after_an_emergency(dispatcher, domain):
    slots = await required(domain, dispatcher, {"triage_level": "emergency", "nerve_symptoms": ["weakness"]})
    assert slots == []


async def test_urgent_does_not_stop_the_interview(dispatcher, domain):
    assert await required(domain, dispatcher, {"triage_level": "urgent"})


# ----------------------------------------------------------------- short answers
@pytest.mark.parametrize(
    "text, intent, requested, slots, answer",
    [
        ("yes", "affirm", "screen_cauda_equina", BEFORE_CAUDA_EQUINA, "yes"),
        ("no", "deny", "screen_cauda_equina", BEFORE_CAUDA_EQUINA, "no"),
        ("not sure", "dont_know", "screen_cauda_equina", BEFORE_CAUDA_EQUINA, "unknown"),
        ("yes", "affirm", "screen_systemic", ALL_BUT_SYSTEMIC, "yes"),
        (
            "yes it's getting worse quickly",
            "affirm",
            "screen_weakness_progression",
            {**BEFORE_CAUDA_EQUINA, "nerve_symptoms": ["weakness"], "screen_cauda_equina": "no"},
            "quickly",
        ),
    ],
)
async def test_screening_answers_are_recorded_and_the_screen_speaks_elsewhere(
    dispatcher, domain, text, intent, requested, slots, answer
):
    """The validator records the answer; the red-flag screen (and any escalation) runs in the
    Rasa process on the same message (addons/safety.py, tests/unit/test_turn.py)."""
    changes = await extract(dispatcher, domain, text, intent, requested, slots)
    assert changes[requested] == answer
    assert set(changes) - {requested} <= {"other_symptoms"}  # "getting worse quickly" is also a symptom
    assert dispatcher.messages == []


async def test_not_sure_about_the_duration_is_unknown(dispatcher, domain):
    changes = await extract(dispatcher, domain, "not sure", "dont_know", "pain_duration", ALL_BUT_SYSTEMIC)
    assert changes == {"pain_duration": "unknown", "unsure_about": ["pain_duration"]}
    assert dispatcher.messages == []


async def test_not_sure_where_is_never_an_empty_list(dispatcher, domain):
    """[] would mean "nowhere" (and for numbness "none"): "not sure" is kept as such."""
    changes = await extract(dispatcher, domain, "not sure", "dont_know", "pain_location", {})
    assert changes == {"unsure_about": ["pain_location"]}
    changes = await extract(dispatcher, domain, "dunno to be honest", "dont_know", "nerve_symptoms", {})
    assert changes == {"unsure_about": ["nerve_symptoms"]}


async def test_no_to_the_spread_question(dispatcher, domain):
    changes = await extract(dispatcher, domain, "no", "deny", "pain_spreads", {"pain_location": ["lower_back"]})
    assert changes == {"pain_spreads": "no", "spread_to": []}


async def test_no_to_the_nerve_question_means_none(dispatcher, domain):
    changes = await extract(
        dispatcher, domain, "no none of those", "deny", "nerve_symptoms", {"pain_location": ["neck"]}
    )
    assert changes == {"nerve_symptoms": []}


async def test_nothing_in_particular_makes_it_worse(dispatcher, domain):
    changes = await extract(
        dispatcher, domain, "nothing in particular", "deny", "aggravating_factors", BEFORE_CAUDA_EQUINA
    )
    assert changes == {"aggravating_factors": []}


async def test_a_short_answer_does_not_overwrite_another_recorded_slot(dispatcher, domain):
    slots = {"pain_location": ["lower_back"], "pain_side": ["left_side"]}
    changes = await extract(dispatcher, domain, "no", "deny", "pain_spreads", slots)
    assert changes == {"pain_spreads": "no", "spread_to": []}


async def test_no_to_the_spread_question_keeps_the_places_named_as_where_it_hurts(dispatcher, domain):
    # The screen has read "calf" as where it spreads; the "no" says it is where it hurts.
    slots = {"pain_location": ["calf"], "spread_to": ["knee"]}
    changes = await extract(
        dispatcher, domain, "no, just the calf and a bit behind the knee", "deny", "pain_spreads", slots
    )
    assert changes == {"pain_spreads": "no", "spread_to": [], "pain_location": ["calf", "knee"]}


async def test_an_answer_not_understood_is_asked_again_with_a_kind_word(dispatcher, domain):
    changes = await extract(dispatcher, domain, "hmm", "nlu_fallback", "screen_cauda_equina", BEFORE_CAUDA_EQUINA)
    assert changes == {"reask": "unclear"}
    assert responses(dispatcher) == ["utter_interview_unclear"]


async def test_after_two_reasks_the_interview_carries_on(dispatcher, domain):
    asked = [{"event": "bot", "metadata": {"utter_action": "utter_ask_pain_onset"}}] * 3
    tracker = form_tracker("wibble", "nlu_fallback", "pain_onset", ALL_BUT_SYSTEMIC, events_before=asked)
    changes = slot_events(await ValidateSymptomForm().get_extraction_events(dispatcher, tracker, domain))
    assert changes == {"own_words": {"pain_onset": "wibble"}}
    assert dispatcher.messages == []


async def test_a_typed_command_is_read_as_words_and_no_question_extracts_nothing(dispatcher, domain):
    # "/affirm" is not a command (addons/nlu.py): the word, classified like any other text.
    assert await extract(dispatcher, domain, "/affirm", "affirm", "screen_cauda_equina", BEFORE_CAUDA_EQUINA) == {
        "screen_cauda_equina": "yes"
    }


async def test_not_an_answer_is_left_to_the_rules(dispatcher, domain):
    """A goodbye, a stop, a question of their own: nothing is extracted (the form is
    rejected and the rules reply: goodbye and consult, the answer then the question)."""
    for text, intent in [
        ("thanks, bye", "goodbye"),
        ("stop asking me questions", "stop"),
        ("what is sciatica?", "ask_condition"),
        ("can you remind me to take my tablets?", "out_of_scope"),
    ]:
        assert await extract(dispatcher, domain, text, intent, "pain_onset", ALL_BUT_SYSTEMIC) == {}, text
    assert dispatcher.messages == []


async def test_a_bare_yes_to_several_options_asks_which(dispatcher, domain):
    changes = await extract(dispatcher, domain, "yes", "affirm", "nerve_symptoms", BEFORE_CAUDA_EQUINA)
    assert changes == {"reask": "which"}


async def test_yes_with_detail_is_kept_in_the_persons_words(dispatcher, domain):
    changes = await extract(dispatcher, domain, "yes, in two of my fingers", "affirm", "nerve_symptoms", {})
    assert changes["nerve_symptoms"] == ["unspecified"]
    assert changes["own_words"] == {"nerve_symptoms": "yes, in two of my fingers"}

    tracker = make_tracker("yes", "affirm", BEFORE_CAUDA_EQUINA, active_loop=FORM)  # requested_slot None
    assert await ValidateSymptomForm().get_extraction_events(dispatcher, tracker, domain) == []
    assert dispatcher.messages == []


# ----------------------------------------------------------------- the whole validation action
async def test_run_keeps_a_short_answer_and_asks_the_next_question(dispatcher, domain):
    slots = {**ALL_BUT_SYSTEMIC, "pain_duration": None, "pain_duration_days": None, "pain_severity": None}
    events = await ValidateSymptomForm().run(
        dispatcher, form_tracker("not sure", "dont_know", "pain_duration", slots), domain
    )
    assert slot_events(events) == {
        "pain_duration": "unknown",
        "unsure_about": ["pain_duration"],
        "requested_slot": "pain_severity",
    }


async def test_run_ends_the_form_when_everything_is_answered(dispatcher, domain):
    events = await ValidateSymptomForm().run(
        dispatcher, form_tracker("no", "deny", "screen_systemic", ALL_BUT_SYSTEMIC), domain
    )
    assert slot_events(events) == {"screen_systemic": "no", "requested_slot": None}
