"""The offers after a result (bot/offers.py) and how the turn reads their answers (bot/turn.py)."""

import pytest

from bot import offers
from bot.settings import get_settings
from bot.turn import LISTEN, NEXT_OFFER, RULES, plan_turn

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
    "possible_causes": ["muscle_strain"],
}
EVERY = frozenset({offers.HANDOFF, offers.HANDOFF_CONTACT, offers.CHECKIN, offers.FEEDBACK_OFFER})


def test_a_deployment_that_configures_nothing_offers_the_check_in_and_feedback(monkeypatch):
    for name in ("HANDOFF_FHIR_URL", "CHECKINS"):
        monkeypatch.delenv(name, raising=False)
    assert offers.available(get_settings()) == {offers.CHECKIN, offers.FEEDBACK_OFFER}
    monkeypatch.setenv("CHECKINS", "off")
    assert offers.available(get_settings()) == {offers.FEEDBACK_OFFER}
    monkeypatch.setenv("HANDOFF_FHIR_URL", "https://clinic.example/fhir")
    monkeypatch.setenv("CHECKINS", "on")
    assert offers.available(get_settings()) == EVERY


def test_offers_come_in_order_and_each_once():
    slots = dict(SETTLED)
    made = []
    while (offer := offers.next_offer(slots, EVERY)) is not None:
        made.append(offer.name)
        slots["offers_asked"] = made
        if offer.name == offers.HANDOFF:
            slots["handoff_consent"] = True
    assert made == ["handoff", "handoff_contact", "checkin", "feedback"]


def test_no_contact_question_without_a_yes_to_the_hand_off():
    slots = {**SETTLED, "offers_asked": ["handoff"], "handoff_consent": False}
    assert offers.next_offer(slots, EVERY).name == offers.CHECKIN


@pytest.mark.parametrize(
    "slots", [{"triage_level": "emergency"}, {"red_flags": ["suicidal_intent"], "triage_level": "urgent"}]
)
def test_nothing_is_offered_after_an_emergency_or_the_crisis_reply(slots):
    assert offers.next_offer({**SETTLED, **slots}, EVERY) is None


def test_no_check_in_a_week_later_after_an_instruction_to_get_help_today():
    slots = {**SETTLED, "triage_level": "urgent", "offers_asked": ["handoff", "handoff_contact"]}
    assert offers.next_offer(slots, EVERY).name == offers.FEEDBACK_OFFER
    assert offers.next_offer({**slots, "triage_level": "routine"}, EVERY).name == offers.CHECKIN


@pytest.mark.parametrize(
    "text, intent, expected",
    [
        ("yes", "affirm", True),
        ("Yes please", None, True),
        ("sure, go ahead", None, True),
        ("no", "deny", False),
        ("not now thanks", None, False),
        ("what?", "ask_help", False),  # anything but yes is no
        ("", None, False),
    ],
)
def test_a_yes_no_offer_takes_only_yes_for_yes(text, intent, expected):
    assert offers.read_answer(offers.BY_NAME[offers.HANDOFF], text, intent) is expected


@pytest.mark.parametrize(
    "text, expected",
    [("yes", "yes"), ("Partly", "partly"), ("sort of", "partly"), ("no", "no"), ("not really", "no"), ("hmm", None)],
)
def test_feedback_is_yes_partly_or_no(text, expected):
    assert offers.read_answer(offers.BY_NAME[offers.FEEDBACK_OFFER], text, None) == expected


def test_the_answer_to_an_offer_is_kept_and_acted_on_before_listening():
    plan = plan_turn({**SETTLED, "pending_offer": "feedback"}, "partly", None, None)
    assert plan.slots["feedback"] == "partly"
    assert plan.slots["offer_answered"] == "feedback"
    assert plan.slots["pending_offer"] is None
    assert [s.action for s in plan.before] == [NEXT_OFFER] and plan.then == LISTEN


def test_contact_details_are_never_a_slot():
    text = "ring me on 07700 900123 after 5pm"
    plan = plan_turn({**SETTLED, "pending_offer": "handoff_contact"}, text, "describe_pain", None)
    assert all(text not in str(value) for value in plan.slots.values())
    assert plan.slots["offer_answered"] == "handoff_contact"
    assert [s.action for s in plan.before] == [NEXT_OFFER]


def test_a_question_instead_of_an_answer_is_answered_then_the_next_offer_is_made():
    plan = plan_turn({**SETTLED, "pending_offer": "checkin"}, "what is sciatica?", "ask_condition", None)
    assert plan.slots.get("checkin_consent") is False and "offer_answered" not in plan.slots
    assert plan.then == RULES and [s.action for s in plan.after] == [NEXT_OFFER]


def test_the_exercises_asked_for_instead_of_an_answer_are_the_plan_then_the_next_offer():
    """After a result, "what exercises can I do for my back?" is the person's plan (review 7)."""
    plan = plan_turn(
        {**SETTLED, "pending_offer": "checkin"}, "what exercises can I do for my back?", "ask_treatment", None
    )
    assert plan.slots.get("checkin_consent") is False and plan.then == LISTEN
    assert [s.action for s in plan.before][-2:] == ["utter_consult_professional", NEXT_OFFER]


def test_a_goodbye_ends_the_offers():
    plan = plan_turn({**SETTLED, "pending_offer": "handoff"}, "bye", "goodbye", None)
    assert plan.then == RULES and plan.after == [] and plan.before == []


def test_a_red_flag_in_reply_to_an_offer_gets_the_instruction_not_the_next_offer():
    text = "yes but now I can't feel myself when I wipe and I've wet myself"
    plan = plan_turn({**SETTLED, "pending_offer": "feedback"}, text, "report_red_flag", None)
    assert plan.slots["triage_level"] == "emergency"
    assert NEXT_OFFER not in [s.action for s in plan.before + plan.after]
    assert plan.slots["pending_offer"] is None


def test_a_polite_no_in_full_sentences_answers_the_offer():
    """A usability review: "No thank you, dear, I will be seeing my doctor." got "I can only help with back pain"."""
    text = "No thank you, dear, I will be seeing my doctor."
    plan = plan_turn({**SETTLED, "pending_offer": "checkin"}, text, "out_of_scope", None)
    assert plan.slots.get("checkin_consent") is False and plan.slots.get("offer_answered") == "checkin"
    assert [s.action for s in plan.before] == [NEXT_OFFER]


def test_an_offer_passed_over_for_a_question_the_turn_answers_is_followed_by_the_next_offer():
    plan = plan_turn({**SETTLED, "pending_offer": "checkin"}, "GP or physio?", "ask_treatment", None)
    assert plan.before[0].text.startswith("Either can help") and plan.before[-1].action == NEXT_OFFER
    assert plan.slots.get("checkin_consent") is False and plan.then == LISTEN


@pytest.mark.parametrize("intent", ["affirm", "nlu_fallback", "ask_condition"])
def test_ok_then_a_question_is_not_the_answer_to_was_this_helpful(intent):
    """A usability review: "ok. and herniated, what it mean?" got "Thank you for telling me"."""
    plan = plan_turn({**SETTLED, "pending_offer": "feedback"}, "ok. and herniated, what it mean?", intent, None)
    assert plan.slots.get("offer_answered") != "feedback" and plan.slots.get("feedback") is None
