"""The conversation store's kept trackers (addons/tracker_store.py), with the real model and
action server: a turn handed a kept tracker sees exactly what Rasa's own read would give,
and anything written or deleted elsewhere (another replica, a purge) is read again."""

from __future__ import annotations

import json
import uuid
from typing import Any, Dict, List

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import ActionExecuted

from benchmarks.load import INTERVIEW, script_for
from tests.conversations.test_privacy_and_sessions import make_agent

SCRIPT = script_for(3, INTERVIEW)


async def read_by_rasa(store, sender: str):
    return await SQLTrackerStore._retrieve(store, sender, fetch_events_from_all_sessions=False)


def comparable(tracker) -> List[Dict[str, Any]]:
    """The events as the table holds them (JSON: tuples become lists, numpy floats floats)."""
    return [json.loads(json.dumps(event.as_dict())) for event in tracker.events]


def actions(tracker) -> List[str]:
    return [event.action_name for event in tracker.events if isinstance(event, ActionExecuted)]


@pytest.fixture
def rasa_reads(monkeypatch):
    """Counts the turns that read the conversation back from the database."""
    counted: List[str] = []
    original = SQLTrackerStore._retrieve

    async def counting(self, sender_id, fetch_events_from_all_sessions):
        counted.append(sender_id)
        return await original(self, sender_id, fetch_events_from_all_sessions)

    monkeypatch.setattr(SQLTrackerStore, "_retrieve", counting)
    return counted


async def test_a_kept_tracker_is_exactly_what_rasa_would_read_back(trained_model, action_server, tmp_path, rasa_reads):
    agent = make_agent(trained_model, action_server.action_url, tmp_path / "cache.db")
    store = agent.tracker_store
    sender = uuid.uuid4().hex
    kept_turns = 0
    for text in SCRIPT:
        assert await agent.handle_text(text, sender_id=sender), text
        kept = store._cache.get(sender)
        if kept is None:
            continue
        kept_turns += 1
        assert comparable(kept.tracker) == comparable(await read_by_rasa(store, sender)), text
    # The comparisons above read the table too: count only the turns' own reads.
    turn_reads = len(rasa_reads) - kept_turns
    assert kept_turns >= len(SCRIPT) - 3, "the tracker was kept after most turns"
    assert turn_reads <= 3, f"{turn_reads} of {len(SCRIPT)} turns read the conversation back"


async def test_replicas_taking_turns_on_one_database_end_in_the_same_state(trained_model, action_server, tmp_path):
    """Two stores on one database (two replicas) answering alternate messages of one
    conversation: each must notice the other's writes and not answer from its own copy."""
    db = tmp_path / "shared.db"
    first, second = (make_agent(trained_model, action_server.action_url, db) for _ in range(2))
    alone = make_agent(trained_model, action_server.action_url, tmp_path / "alone.db")
    shared_sender, alone_sender = uuid.uuid4().hex, uuid.uuid4().hex
    for turn, text in enumerate(SCRIPT):
        replica = (first, second)[turn % 2]
        assert len(await replica.handle_text(text, sender_id=shared_sender)) == len(
            await alone.handle_text(text, sender_id=alone_sender)
        ), (turn, text)
        # (Responses with several wordings pick one at random: compare what was done.)
        shared = await read_by_rasa(first.tracker_store, shared_sender)
        single = await read_by_rasa(alone.tracker_store, alone_sender)
        assert actions(shared) == actions(single), (turn, text)
        assert shared.current_slot_values() == single.current_slot_values(), (turn, text)


async def test_a_conversation_deleted_elsewhere_is_not_answered_from_memory(trained_model, action_server, tmp_path):
    db = tmp_path / "deleted.db"
    agent = make_agent(trained_model, action_server.action_url, db)
    sender = uuid.uuid4().hex
    for text in SCRIPT[:5]:
        await agent.handle_text(text, sender_id=sender)
    assert sender in agent.tracker_store._cache
    before = (await read_by_rasa(agent.tracker_store, sender)).current_slot_values()
    assert before["pain_location"], "the interview had started"

    # Another process (a purge, another replica) deletes it.
    from addons.tracker_store import ConversationStore

    assert ConversationStore(domain=agent.domain, dialect="sqlite", db=str(db)).delete(sender) > 0
    await agent.handle_text("hi", sender_id=sender)
    after = (await read_by_rasa(agent.tracker_store, sender)).current_slot_values()
    assert not after["pain_location"], "the deleted answers came back from memory"


async def test_a_message_stored_redacted_is_read_back_redacted(trained_model, action_server, tmp_path):
    agent = make_agent(trained_model, action_server.action_url, tmp_path / "redacted.db")
    sender = uuid.uuid4().hex
    for text in ("hi", "what can you do"):  # (the first turn starts a session: not kept)
        await agent.handle_text(text, sender_id=sender)
    assert sender in agent.tracker_store._cache
    await agent.handle_text("I'm John, call me on 07700 900123, my lower back hurts", sender_id=sender)
    assert sender not in agent.tracker_store._cache
    tracker = await agent.tracker_store.retrieve(sender)
    assert "07700 900123" not in " ".join(e.text or "" for e in tracker.events if hasattr(e, "text") and e.text)


async def test_with_the_console_feed_trackers_are_still_kept_and_the_feed_holds_what_is_stored(
    trained_model, action_server, tmp_path
):
    """The event broker (addons/event_feed.py) gets each turn's events as stored (redacted),
    without the store giving up its kept trackers; a deletion empties the feed too."""
    import sqlalchemy as sa

    from addons.event_feed import RedactingSQLEventBroker

    agent = make_agent(trained_model, action_server.action_url, tmp_path / "fed.db")
    store = agent.tracker_store
    store.event_broker = RedactingSQLEventBroker(db=str(tmp_path / "events.db"))
    sender = uuid.uuid4().hex
    for text in ("hi", "what can you do", "my lower back hurts, call me on 07700 900123", *SCRIPT[1:4]):
        await agent.handle_text(text, sender_id=sender)
    assert sender in store._cache, "the tracker was kept with a broker configured"

    def rows(engine: Any, table: Any) -> List[Dict[str, Any]]:
        with engine.connect() as connection:
            query = sa.select(table.c.data).where(table.c.sender_id == sender).order_by(table.c.id)
            return [json.loads(data) for (data,) in connection.execute(query)]

    stored = rows(store.engine, store.SQLEvent.__table__)
    fed = rows(store.event_broker.engine, store.event_broker.SQLBrokerEvent.__table__)
    assert [{k: v for k, v in event.items() if k != "sender_id"} for event in fed] == stored
    assert "07700 900123" not in json.dumps(fed) and "[phone number]" in json.dumps(fed)
    store.delete(sender)
    assert rows(store.event_broker.engine, store.event_broker.SQLBrokerEvent.__table__) == []
