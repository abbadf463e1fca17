"""action_conclude_interview: how soon to be seen follows the causes shown."""

from actions.interview import ActionConcludeInterview
from bot.content import get_content

from .conftest import URGENT_CONTACT, make_tracker, slot_events, texts

CLOT = {
    "pain_location": ["calf"],
    "pain_side": ["left_side"],
    "pain_spreads": "no",
    "spread_to": [],
    "nerve_symptoms": [],
    "other_symptoms": ["leg_swelling", "warm_red_skin"],
    "risk_factors": ["recent_immobility"],
    "pain_duration_days": 3.0,
    "pain_duration": "acute",
    "triage_level": "routine",
}


async def conclude(dispatcher, domain, slots):
    tracker = make_tracker("5", "describe_pain", slots)
    return slot_events(await ActionConcludeInterview().run(dispatcher, tracker, domain))


async def test_a_cause_to_be_seen_today_raises_the_level_and_leads_with_what_to_do(dispatcher, domain):
    changes = await conclude(dispatcher, domain, CLOT)
    assert changes["possible_causes"][0] == "deep_vein_thrombosis"
    assert changes["triage_level"] == "urgent"
    said = texts(dispatcher)
    assert said[0].startswith("Please get checked today") and URGENT_CONTACT in said[0]
    assert said[1].startswith("The best fit for what you described is a blood clot")  # the lead, no routine timeframe
    assert "1. A blood clot in a leg vein (deep vein thrombosis): Get checked today" in said[2]
    assert not any(t.startswith("What you can do meanwhile") for t in said)


async def test_the_level_is_never_lowered(dispatcher, domain):
    changes = await conclude(dispatcher, domain, {**CLOT, "triage_level": "urgent"})
    assert "triage_level" not in changes


async def test_a_routine_cause_says_how_soon_in_the_lead(dispatcher, domain):
    slots = {"pain_location": ["lower_back"], "pain_spreads": "no", "spread_to": [], "nerve_symptoms": []}
    changes = await conclude(dispatcher, domain, {**slots, "triage_level": "routine"})
    assert "triage_level" not in changes
    said = texts(dispatcher)
    advice = get_content().timeframes["if_not_better"].advice
    assert said[0].startswith("The best fit for what you described is ") and said[0].endswith(advice)
    assert said[1].startswith("These are possible causes")
    assert any(t.startswith("What you can do meanwhile") for t in said)
