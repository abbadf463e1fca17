"""The check-in (issue 29): its question when due, the reply screened first and then compared
with what was recorded, "stop check-ins", and nothing after an emergency. No Rasa here."""

from __future__ import annotations

import pytest

from bot import checkins
from bot.turn import LISTEN, plan_turn
from tests.unit.test_turn import SETTLED

CONSULT = "utter_consult_professional"
CONSENTED = {**SETTLED, "checkin_consent": True, "pain_severity": 6.0, "possible_causes": ["sciatica"]}
ASKED = {**CONSENTED, "pending_offer": checkins.CHECKIN_REPLY}


def said(result):
    return " ".join(step.text or "" for step in result.before + result.after)


def test_a_due_check_in_asks_pain_now_the_trend_and_anything_new():
    result = plan_turn(CONSENTED, "", checkins.CHECKIN_INTENT, None)
    assert result.slots == {"pending_offer": checkins.CHECKIN_REPLY} and result.then == LISTEN
    text = said(result)
    assert "0 (none) to 10" in text and "better, the same or worse" in text and "anything new" in text


@pytest.mark.parametrize(
    "slots",
    [
        {**CONSENTED, "checkin_consent": False},
        {**CONSENTED, "checkin_consent": None},
        {**CONSENTED, "triage_level": "emergency"},
        {**CONSENTED, "red_flags": ["suicidal_thoughts"]},
    ],
    ids=["stopped", "never-consented", "after-an-emergency", "after-the-crisis-reply"],
)
def test_no_check_in_without_consent_or_after_an_emergency(slots):
    result = plan_turn(slots, "", checkins.CHECKIN_INTENT, None)
    assert result.before == [] and result.then == LISTEN


@pytest.mark.parametrize(
    "reply, verdict",
    [
        ("much better thanks, about a 2", checkins.BETTER),
        ("3", checkins.BETTER),
        ("about the same, 6/10", checkins.SAME),
        ("worse, 8 out of 10", checkins.WORSE),
        ("not any better", checkins.WORSE),
        ("better but it's a 9 now", checkins.WORSE),
        ("no idea", None),
    ],
)
def test_the_reply_is_compared_with_the_pain_recorded(reply, verdict):
    assert checkins.compare(checkins.read_reply(reply), 6.0) == verdict


def test_worse_at_the_check_in_gets_advice_to_be_seen_and_the_consult_recommendation():
    result = plan_turn(ASKED, "worse, about 8", "describe_pain", None)
    assert "I'm sorry it's worse" in said(result) and "NHS 111 today" in said(result)
    assert result.before[-1].action == CONSULT and result.then == LISTEN
    assert result.slots.get("pending_offer", "unchanged") is None


def test_better_at_the_check_in_keeps_going_with_the_plan():
    result = plan_turn(ASKED, "a lot better, 2 out of 10", "describe_pain", None)
    assert "Keep going with your exercises" in said(result) and result.before[-1].action == CONSULT


def test_a_red_flag_at_the_check_in_gets_the_emergency_instruction_first():
    result = plan_turn(ASKED, "worse, and now I can't feel when I need to pee", "describe_pain", None)
    assert result.slots["triage_level"] == "emergency"
    assert result.before[0].action == "utter_safety_emergency" and "999" in said(result)
    assert "I'm sorry it's worse" not in said(result)


@pytest.mark.parametrize("text", ["Stop check-ins", "please cancel the check in", "I don't want any more checkins"])
def test_stop_check_ins_cancels(text):
    result = plan_turn(ASKED, text, "stop", None)
    assert result.slots == {"checkin_consent": False, "pending_offer": None}
    assert "won't check in" in said(result)


def test_stop_is_not_read_as_stop_check_ins_without_the_words():
    assert not checkins.wants_to_stop("stop the questions")
