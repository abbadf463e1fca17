"""addons.tracker_store.CachingSQLTrackerStore keeps Rasa's SQLTrackerStore's table and what
it reads back, whatever happens between turns: a real SQLite file, Rasa's own store as the
reference, no mocks."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import List

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SessionStarted, SlotSet, UserUttered

from addons.tracker_store import CachingSQLTrackerStore

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(ROOT / "domain.yml"))


def turn(text: str) -> List[Event]:
    intent = {"name": "describe_pain", "confidence": 0.9}
    return [
        UserUttered(text, intent, [], {"text": text, "intent": intent, "entities": []}),
        ActionExecuted("action_validate_slot_mappings"),
        SlotSet("triage_level", "routine"),
        BotUttered(f"you said {text}"),
        ActionExecuted("action_listen"),
    ]


async def run_turn(store, sender: str, text: str, save: bool = True):
    """What Rasa's processor does with the store in one turn."""
    tracker = await store.get_or_create_tracker(sender, append_action_listen=False)
    if not tracker.events:  # a new conversation starts with a session
        for event in [SessionStarted(), ActionExecuted("action_session_start"), ActionExecuted("action_listen")]:
            tracker.update(event)
    for event in turn(text):
        tracker.update(event)
    if save:
        await store.save(tracker)
    return tracker


def dumped(tracker) -> List[dict]:
    return [event.as_dict() for event in tracker.events]


async def rasa_reads(db: Path, domain: Domain, sender: str):
    return await SQLTrackerStore(domain=domain, dialect="sqlite", db=str(db)).retrieve(sender)


def rows(db: Path) -> List[tuple]:
    with sqlite3.connect(db) as connection:
        return connection.execute(
            "SELECT sender_id, type_name, timestamp, intent_name, action_name, data FROM events ORDER BY id"
        ).fetchall()


async def test_writes_the_rows_rasa_writes(tmp_path, domain):
    ours = CachingSQLTrackerStore(domain=domain, dialect="sqlite", db=str(tmp_path / "ours.db"))
    for text in ("my back hurts", "below the knee", "no"):
        tracker = await run_turn(ours, "a", text)
    rasa = SQLTrackerStore(domain=domain, dialect="sqlite", db=str(tmp_path / "rasa.db"))
    await rasa.save(tracker)
    assert rows(tmp_path / "ours.db") == rows(tmp_path / "rasa.db")
    assert dumped(await rasa_reads(tmp_path / "ours.db", domain, "a")) == dumped(tracker)


async def test_hands_a_saved_tracker_to_the_next_turn(tmp_path, domain):
    store = CachingSQLTrackerStore(domain=domain, dialect="sqlite", db=str(tmp_path / "t.db"))
    await run_turn(store, "a", "one")
    assert store.cached_conversations() == []  # its first turn began a session
    second = await run_turn(store, "a", "two")  # read from the table, then cached on save
    assert store.cached_conversations() == ["a"]
    third = await run_turn(store, "a", "three")
    assert third is second
    assert dumped(third) == dumped(await rasa_reads(tmp_path / "t.db", domain, "a"))


async def test_another_writer_is_seen(tmp_path, domain):
    db = tmp_path / "t.db"
    store = CachingSQLTrackerStore(domain=domain, dialect="sqlite", db=str(db))
    for text in ("one", "two"):
        await run_turn(store, "a", text)
    other = SQLTrackerStore(domain=domain, dialect="sqlite", db=str(db))  # another worker
    await run_turn(other, "a", "from elsewhere")
    tracker = await run_turn(store, "a", "three")
    texts = [e.text for e in tracker.events if isinstance(e, UserUttered)]
    assert texts == ["one", "two", "from elsewhere", "three"]
    assert dumped(tracker) == dumped(await rasa_reads(db, domain, "a"))


async def test_a_turn_that_never_saved_is_forgotten(tmp_path, domain):
    db = tmp_path / "t.db"
    store = CachingSQLTrackerStore(domain=domain, dialect="sqlite", db=str(db))
    for text in ("one", "two"):
        await run_turn(store, "a", text)
    await run_turn(store, "a", "failed turn", save=False)
    tracker = await run_turn(store, "a", "three")
    assert [e.text for e in tracker.events if isinstance(e, UserUttered)] == ["one", "two", "three"]
    assert dumped(tracker) == dumped(await rasa_reads(db, domain, "a"))


async def test_a_new_session_reads_like_rasa(tmp_path, domain):
    db = tmp_path / "t.db"
    store = CachingSQLTrackerStore(domain=domain, dialect="sqlite", db=str(db))
    for text in ("one", "two"):
        await run_turn(store, "a", text)
    tracker = await store.retrieve("a")
    for event in [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")]:
        tracker.update(event)
    for event in turn("new session"):
        tracker.update(event)
    await store.save(tracker)
    assert store.cached_conversations() == []  # the saved tracker spans two sessions
    read = await store.retrieve("a")
    assert dumped(read) == dumped(await rasa_reads(db, domain, "a"))
    assert [e.text for e in read.events if isinstance(e, UserUttered)] == ["new session"]


async def test_keeps_at_most_cache_size_conversations(tmp_path, domain):
    store = CachingSQLTrackerStore(domain=domain, dialect="sqlite", db=str(tmp_path / "t.db"), cache_size=2)
    for sender in ("a", "b", "c"):
        for text in ("one", "two"):
            await run_turn(store, sender, text)
    assert store.cached_conversations() == ["b", "c"]


async def test_sqlite_runs_in_wal_mode(tmp_path, domain):
    db = tmp_path / "t.db"
    store = CachingSQLTrackerStore(domain=domain, dialect="sqlite", db=str(db))
    await run_turn(store, "a", "one")
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
