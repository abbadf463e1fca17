"""The conversation store (addons/tracker_store.py) with the real model and action server:
redaction before storage, "delete my conversation", retention, session expiry carrying
the safety state, the event cap, and a 1,000-turn conversation that stays fast."""

from __future__ import annotations

import json
import os
import sqlite3
import statistics
import subprocess
import time
import uuid
from pathlib import Path
from typing import List

import pytest
import yaml

from addons.tracker_store import ConversationStore
from tests.support.stack import ROOT, server_env

DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text())
ENDPOINTS = yaml.safe_load((ROOT / "endpoints.yml").read_text())


def make_agent(model: Path, action_url: str, db: Path, max_events=None):
    from rasa.core.agent import Agent
    from rasa.shared.core.domain import Domain
    from rasa.utils.endpoints import EndpointConfig

    agent = Agent.load(str(model), action_endpoint=EndpointConfig(action_url))
    store = ConversationStore(domain=agent.domain, dialect="sqlite", db=str(db), max_events=max_events)
    agent.tracker_store = store
    agent.processor.tracker_store = store
    assert isinstance(agent.domain, Domain)
    return agent


@pytest.fixture(scope="module")
def store_agent(trained_model, action_server, tmp_path_factory):
    db = tmp_path_factory.mktemp("store") / "tracker.db"
    return make_agent(trained_model, action_server.action_url, db), db


def rows(db: Path, sender: str) -> List[dict]:
    with sqlite3.connect(db) as connection:
        found = connection.execute("SELECT type_name, data FROM events WHERE sender_id = ?", (sender,)).fetchall()
    return [{"type": t, **json.loads(d)} for t, d in found]


async def say(agent, sender: str, text: str):
    return await agent.handle_text(text, sender_id=sender)


async def slots(agent, sender: str):
    return (await agent.tracker_store.retrieve(sender)).current_slot_values()


def test_the_project_uses_this_store_with_a_cap():
    store = ENDPOINTS["tracker_store"]
    assert store["type"] == "addons.tracker_store.ConversationStore"
    assert 50 <= int(store["max_events"]) <= 1000


async def test_personal_details_are_redacted_in_storage_and_the_interview_goes_on(store_agent):
    agent, db = store_agent
    sender = uuid.uuid4().hex
    await say(agent, sender, "hi, my name is Tamsin Quarrendon, email tamsin.q@example.org")
    await say(
        agent,
        sender,
        "my lower back hurts, call me on 07700 900461, NHS number 943 476 5919, born 14/02/1961, I live at SW1A 1AA",
    )
    stored = json.dumps(rows(db, sender))
    for detail in ("Quarrendon", "tamsin.q@example.org", "07700 900461", "943 476 5919", "14/02/1961", "SW1A 1AA"):
        assert detail not in stored, detail
    for placeholder in ("[name]", "[email]", "[phone number]", "[NHS number]", "[date]", "[postcode]"):
        assert placeholder in stored, placeholder
    values = await slots(agent, sender)
    assert values["pain_location"], "the interview read the original message"
    tracker = await agent.tracker_store.retrieve(sender)
    assert tracker.active_loop_name == "symptom_form"


async def test_delete_my_conversation_in_the_chat_erases_it(store_agent):
    agent, db = store_agent
    sender = uuid.uuid4().hex
    await say(agent, sender, "my lower back hurts")
    assert rows(db, sender)
    replies = await say(agent, sender, "please delete my conversation")
    assert any("deleted our conversation" in (r.get("text") or "") for r in replies)
    assert rows(db, sender) == []
    # The person can start again.
    replies = await say(agent, sender, "hi")
    assert replies and [e for e in rows(db, sender) if e["type"] == "user"][0]["text"] == "hi"


async def test_delete_request_outside_the_interview_too(store_agent):
    agent, db = store_agent
    sender = uuid.uuid4().hex
    await say(agent, sender, "what can you do")
    await say(agent, sender, "erase my data")
    assert rows(db, sender) == []


@pytest.mark.parametrize("asked", ["Please could you check my symptoms?", "could you check my symptoms please"])
async def test_a_request_that_asks_no_deletion_erases_nothing(store_agent, asked):
    """Usability review 8: after "Should I go to A&E?" and "No", a polite request for the
    questions was taken for a deletion (the classifier's low guess, moved up past the guard)."""
    agent, db = store_agent
    sender = uuid.uuid4().hex
    await say(agent, sender, "should I go to A&E?")
    await say(agent, sender, "No")
    replies = await say(agent, sender, asked)
    assert not any("deleted" in (r.get("text") or "") for r in replies), replies
    assert any(e["type"] == "user" for e in rows(db, sender)), "the conversation was erased"


def age_conversation(db: Path, sender: str, seconds: float) -> None:
    with sqlite3.connect(db) as connection:
        for event_id, data in connection.execute(
            "SELECT id, data FROM events WHERE sender_id = ?", (sender,)
        ).fetchall():
            event = json.loads(data)
            event["timestamp"] -= seconds
            connection.execute(
                "UPDATE events SET timestamp = ?, data = ? WHERE id = ?",
                (event["timestamp"], json.dumps(event), event_id),
            )


async def test_retention_purge_deletes_each_message_by_its_age(store_agent, tmp_path):
    agent, db = store_agent
    old, recent, going_on = uuid.uuid4().hex, uuid.uuid4().hex, uuid.uuid4().hex
    await say(agent, old, "hi")
    await say(agent, recent, "hi")
    await say(agent, going_on, "my lower back hurts")
    age_conversation(db, old, 31 * 86400)
    age_conversation(db, going_on, 31 * 86400)
    await say(agent, going_on, "what can you do")  # the conversation goes on: its old messages still go
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text((ROOT / "endpoints.yml").read_text())
    env = server_env(ENDPOINTS=str(endpoints), TRACKER_DB=str(db))
    result = subprocess.run(
        [str(ROOT / "scripts" / "purge.sh")], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "from 2 conversation(s)" in result.stdout
    assert rows(db, old) == [] and rows(db, recent)
    texts = [row.get("text") for row in rows(db, going_on) if row["event"] == "user"]
    assert texts == ["what can you do"]


async def test_after_an_hour_a_new_session_starts_and_keeps_the_safety_state(store_agent):
    assert DOMAIN["session_config"]["session_expiration_time"] == 60
    agent, db = store_agent
    sender = uuid.uuid4().hex
    await say(agent, sender, "my back hurts and I can't control my bladder since yesterday")
    before = await slots(agent, sender)
    assert before["triage_level"] == "emergency" and before["red_flags"]
    age_conversation(db, sender, 2 * 3600)
    await say(agent, sender, "hello")
    tracker = await agent.tracker_store.retrieve(sender)  # the latest session only
    assert tracker.events[0].type_name in ("action", "session_started")
    assert any(e.type_name == "session_started" for e in tracker.events), "no new session after an hour"
    values = tracker.current_slot_values()
    assert values["triage_level"] == "emergency"
    assert values["red_flags"] == before["red_flags"]


async def test_a_session_past_the_event_cap_rolls_over_without_losing_the_interview(
    trained_model, action_server, tmp_path
):
    agent = make_agent(trained_model, action_server.action_url, tmp_path / "cap.db", max_events=40)
    sender = uuid.uuid4().hex
    await say(agent, sender, "my lower back hurts")
    for _ in range(6):
        await say(agent, sender, "what can you do")  # questions during the interview add events
    tracker = await agent.tracker_store.retrieve(sender)
    assert len(tracker.events) <= 40 + 15
    assert tracker.active_loop_name == "symptom_form", "the form survives the rollover"
    assert tracker.current_slot_values()["pain_location"]
    await say(agent, sender, "no it stays put")
    assert (await slots(agent, sender))["pain_spreads"] is not None


async def test_a_thousand_turn_conversation_stays_fast(trained_model, action_server, tmp_path):
    """Turn 1,000 is not much slower than turn 10 (median of 20 turns each; generous ratio)."""
    turns = int(os.environ.get("LONG_CONVERSATION_TURNS", "1000"))
    agent = make_agent(trained_model, action_server.action_url, tmp_path / "long.db")
    sender = uuid.uuid4().hex
    messages = ["my lower back hurts", "what can you do", "what is sciatica", "thanks", "hi"]
    times = []
    for turn in range(turns):
        started = time.perf_counter()
        replies = await say(agent, sender, messages[turn % len(messages)])
        times.append(time.perf_counter() - started)
        assert replies, f"no reply at turn {turn}"
    early, late = statistics.median(times[5:25]), statistics.median(times[-20:])
    print(f"median turn: {early * 1000:.0f} ms at turns 5-25, {late * 1000:.0f} ms at the last 20")
    assert late < 2.5 * early + 0.02, (early, late)
    tracker = await agent.tracker_store.retrieve(sender)
    assert len(tracker.events) < 500
