"""The summary as one message (issue 14, messaging channels): offered after the result on
Telegram, Slack and Messenger, and sent on request, in the order a clinician reads."""

from datetime import date

from actions.interview import ActionConcludeInterview
from actions.summary import ActionSendSummary
from bot.appointment import NOT_A_DIAGNOSIS, SEE_A_PROFESSIONAL, SEE_A_PROFESSIONAL_NOW, appointment_summary

from .conftest import make_tracker, responses, texts

DISC = {
    "pain_location": ["lower_back"],
    "pain_spreads": "yes",
    "spread_to": ["calf"],
    "nerve_symptoms": ["tingling"],
    "aggravating_factors": ["sitting", "coughing_sneezing"],
    "pain_onset": "lifting_injury",
    "pain_duration_days": 10.0,
    "pain_duration": "acute",
    "pain_severity": 7.0,
    "triage_level": "routine",
}


def on_channel(tracker, channel):
    for event in tracker.events:
        if event.get("event") == "user":
            event["input_channel"] = channel
    return tracker


async def test_the_summary_is_offered_after_the_result_on_messaging_channels(dispatcher, domain):
    tracker = on_channel(make_tracker("5", "describe_pain", DISC), "telegram")
    await ActionConcludeInterview().run(dispatcher, tracker, domain)
    assert responses(dispatcher)[-1] == "utter_offer_summary"


async def test_not_offered_in_the_web_widget_which_has_its_own_save_or_print(dispatcher, domain):
    tracker = on_channel(make_tracker("5", "describe_pain", DISC), "socketio")
    await ActionConcludeInterview().run(dispatcher, tracker, domain)
    assert "utter_offer_summary" not in responses(dispatcher)


async def test_the_summary_is_one_message_with_what_was_said_and_shown(dispatcher, domain):
    result = make_tracker("5", "describe_pain", DISC)
    events = await ActionConcludeInterview().run(dispatcher, result, domain)
    shown = next(e["value"] for e in events if e.get("name") == "possible_causes")
    result_texts = texts(dispatcher)
    dispatcher.messages.clear()
    tracker = make_tracker("send me the summary", "request_summary", {**DISC, "possible_causes": shown})
    await ActionSendSummary().run(dispatcher, tracker, domain)
    assert len(dispatcher.messages) == 1
    summary = texts(dispatcher)[0]
    # What the result said is in it: the causes with their reasons, and the same "You told me".
    told = next(t for t in result_texts if t.startswith("You told me"))
    causes = next(t for t in result_texts if t.startswith("These are possible causes"))
    assert told in summary and causes in summary
    order = [
        summary.index(part) for part in ("Summary of your chat", told, causes, NOT_A_DIAGNOSIS, SEE_A_PROFESSIONAL)
    ]
    assert order == sorted(order)


def test_an_urgent_or_emergency_instruction_comes_first():
    for level in ("urgent", "emergency"):
        summary = appointment_summary({**DISC, "triage_level": level, "possible_causes": []}, date(2026, 11, 22))
        assert summary.startswith("IMPORTANT: ")
        assert summary.index("IMPORTANT") < summary.index("Summary of your chat")
        assert "22 November 2026" in summary
        # The closing line is not the routine one after the instruction (issue 26).
        assert summary.endswith(SEE_A_PROFESSIONAL_NOW) and SEE_A_PROFESSIONAL not in summary, summary


def test_nothing_is_claimed_that_was_not_said():
    summary = appointment_summary({"pain_location": ["lower_back"], "triage_level": "routine"}, date(2026, 1, 5))
    assert "You told me: pain in your lower back" in summary
    for unsaid in ("numbness", "spreads", "/10", "These are possible causes"):  # no result was shown
        assert unsaid not in summary
