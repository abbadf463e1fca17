"""action_conclude_interview, action_stop_interview, and their registration."""

import pytest
from rasa_sdk.executor import ActionExecutor

from actions import interview as interview_actions
from actions.interview import ActionConcludeInterview, ActionStopInterview
from bot import replies
from bot.ranking import rank_causes
from bot.symptoms import SymptomRecord

from .conftest import (
    EMERGENCY_NUMBER,
    FORM,
    URGENT_CONTACT,
    load_fixture,
    make_tracker,
    responses,
    slot_events,
    texts,
)

DISC = load_fixture("disc_interview_slots.json")
URGENT_REMINDER = f"Remember to get checked today: contact your GP or call {URGENT_CONTACT}."


def test_every_domain_action_is_registered(domain):
    executor = ActionExecutor()
    executor.register_package("actions")
    custom = {name for name in domain["actions"]}
    assert custom <= set(executor.actions), custom - set(executor.actions)


# ----------------------------------------------------------------- start
@pytest.mark.parametrize(
    "level, expected",
    [
        (None, ["utter_start_interview"]),
        ("routine", ["utter_start_interview"]),
        ("urgent", ["utter_start_interview"]),
        ("emergency", []),
    ],
)
async def test_start_interview_introduces_the_questions_except_after_an_emergency(dispatcher, domain, level, expected):
    action = interview_actions.ActionStartInterview()
    assert action.name() == "action_start_interview"
    events = await action.run(
        dispatcher, make_tracker("my back hurts", "describe_pain", {"triage_level": level}), domain
    )
    assert events == []
    assert responses(dispatcher) == expected


# ----------------------------------------------------------------- conclusion
async def conclude(dispatcher, domain, slots):
    tracker = make_tracker("8", "describe_pain", slots)
    return slot_events(await ActionConcludeInterview().run(dispatcher, tracker, domain))


async def test_disc_like_answers_give_a_slipped_disc_first(dispatcher, domain):
    changes = await conclude(dispatcher, domain, DISC)

    causes = changes["possible_causes"]
    assert causes[0] == "herniated_disc"
    assert 1 <= len(causes) <= 3
    # The slot is exactly the ranking of the recorded features (the public contract).
    assert causes == [c.condition_id for c in rank_causes(SymptomRecord.from_slots(DISC).features())]
    assert "triage_level" not in changes  # routine already
    said = texts(dispatcher)
    assert said[0].startswith("The best fit for what you described is slipped (herniated) disc")
    assert "not a diagnosis" in said[1]
    assert "1. Slipped (herniated) disc" in said[1]
    assert "why:" in said[1]
    assert any(t.startswith("What you can do meanwhile:") for t in said)
    summary = [t for t in said if t.startswith("You told me:")]
    assert len(summary) == 1
    assert "lower back" in summary[0] and "7/10" in summary[0]
    assert not any("get checked today" in t for t in said)
    # The only mention of the emergency number: what would change the advice (safety-netting).
    net = [t for t in said if t.startswith("What would change this advice")]
    assert len(net) == 1 and "trouble peeing" in net[0] and "both legs" in net[0]
    assert not any(EMERGENCY_NUMBER in t for t in said if t not in net)


async def test_emergency_stops_with_no_causes(dispatcher, domain):
    changes = await conclude(
        dispatcher, domain, {**DISC, "triage_level": "emergency", "red_flags": ["cauda_equina_screen"]}
    )

    assert changes == {"possible_causes": []}
    said = texts(dispatcher)
    assert "stop the routine questions" in said[0]
    assert f"call {EMERGENCY_NUMBER} now" in said[0]
    assert not any("possible causes" in t for t in said)
    assert not any(t.startswith("What you can do meanwhile") for t in said)
    assert said[-1].startswith("You told me:")


async def test_urgent_result_starts_with_the_urgent_instruction(dispatcher, domain):
    changes = await conclude(dispatcher, domain, {**DISC, "triage_level": "urgent", "red_flags": ["fever"]})

    assert changes["possible_causes"][0] == "herniated_disc"
    said = texts(dispatcher)
    assert said[0] == URGENT_REMINDER, "get checked today comes before causes and self-care"
    assert any("not a diagnosis" in t for t in said[1:])


async def test_nothing_recorded_gives_general_advice_and_sets_routine(dispatcher, domain):
    changes = await conclude(dispatcher, domain, {})
    assert changes == {"possible_causes": [], "triage_level": "routine"}
    said = texts(dispatcher)
    assert "doesn't clearly point to one particular cause" in said[0]
    assert not any("not a diagnosis" in t for t in said)
    assert said[-1] == "You haven't told me much about the pain yet."


async def test_previous_causes_are_replaced(dispatcher, domain):
    slots = {
        "pain_location": ["lower_back"],
        "pain_spreads": "no",
        "spread_to": [],
        "triage_level": "routine",
        "possible_causes": ["herniated_disc"],
    }
    changes = await conclude(dispatcher, domain, slots)
    expected = [c.condition_id for c in rank_causes(SymptomRecord.from_slots(slots).features())]
    assert expected != ["herniated_disc"]
    assert changes == {"possible_causes": expected}


# ----------------------------------------------------------------- stop
async def test_stop_summarises_what_was_told_and_resets_the_question(dispatcher, domain):
    tracker = make_tracker("stop", "stop", {**DISC, "requested_slot": "pain_severity"}, active_loop=FORM)
    events = await ActionStopInterview().run(dispatcher, tracker, domain)
    assert slot_events(events) == {"requested_slot": None}
    said = texts(dispatcher)
    assert said[0] == "No problem, let's stop the questions here."
    assert len(said) == 2 and said[1].startswith("You told me:") and "lower back" in said[1]


async def test_stop_with_nothing_recorded_has_no_summary(dispatcher, domain):
    tracker = make_tracker("stop", "stop", {"requested_slot": "pain_location"}, active_loop=FORM)
    events = await ActionStopInterview().run(dispatcher, tracker, domain)
    assert slot_events(events) == {"requested_slot": None}
    assert texts(dispatcher) == ["No problem, let's stop the questions here."]


# ----------------------------------------------------------------- after a result
async def test_more_about_the_pain_after_a_result_is_noted_not_introduced_as_questions(dispatcher, domain):
    action = interview_actions.ActionStartInterview()
    slots = {**DISC, "possible_causes": ["herniated_disc"], "triage_level": "routine"}
    await action.run(dispatcher, make_tracker("my lower back hurts", "describe_pain", slots), domain)
    assert responses(dispatcher) == ["utter_noted_after_result"]


async def test_the_same_result_again_is_said_briefly_with_the_summary(dispatcher, domain):
    ranked = [c.condition_id for c in rank_causes(SymptomRecord.from_slots(DISC).features())]
    changes = await conclude(dispatcher, domain, {**DISC, "possible_causes": ranked, "triage_level": "routine"})
    assert changes == {}
    assert responses(dispatcher) == ["utter_result_unchanged", None]
    assert texts(dispatcher)[1].startswith("You told me:"), texts(dispatcher)


async def test_the_same_result_at_urgent_level_still_starts_with_the_urgent_instruction(dispatcher, domain):
    slots = {**DISC, "triage_level": "urgent", "red_flags": ["fever"]}
    ranked = [c.condition_id for c in rank_causes(SymptomRecord.from_slots(slots).features())]
    await conclude(dispatcher, domain, {**slots, "possible_causes": ranked})
    assert texts(dispatcher)[0] == URGENT_REMINDER
    assert responses(dispatcher) == [None, "utter_result_unchanged", None]


@pytest.mark.parametrize("channel", ["telegram", "slack", "facebook", "socketio"])
async def test_the_more_about_buttons_only_where_the_platform_shows_them(dispatcher, domain, channel):
    """Telegram and Slack get a "More about <cause>" button per cause on the list of causes;
    Messenger, whose button titles are at most 20 characters, is told how to ask instead (a
    numbered list there could not be answered by number: a number picks from the reply's
    last buttons); the web widget gets the cards' data only."""
    tracker = make_tracker("8", "describe_pain", DISC)
    tracker.events[-1]["input_channel"] = channel
    await ActionConcludeInterview().run(dispatcher, tracker, domain)
    listing = next(m for m in dispatcher.messages if (m.get("metadata") or {}).get("kind") == "causes")
    causes = [card["id"] for card in listing["metadata"]["causes"]]
    hint = [m["text"] for m in dispatcher.messages if (m.get("text") or "").startswith("To hear more about one")]
    if channel in ("telegram", "slack"):
        assert [b["payload"] for b in listing["buttons"]] == [replies.more_about_payload(c) for c in causes]
        assert not hint
    elif channel == "facebook":
        assert not listing.get("buttons")
        assert hint == [
            f"To hear more about one of these, ask me, for example: \u201c{replies.more_about_payload(causes[0])}\u201d."
        ]
    else:
        assert not listing.get("buttons") and not hint
