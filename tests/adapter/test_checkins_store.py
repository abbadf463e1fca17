"""Check-ins kept in the conversation store's database (addons/checkins.py, issue 29): written
with the turn that said yes, removed by "stop check-ins", an emergency or deletion, and each
claimed by exactly one of several replicas. A real SQLite file; the cluster tests use PostgreSQL."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import List

import pytest
import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet, UserUttered

from addons import checkins
from addons.tracker_store import ConversationStore

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = Domain.load(str(ROOT / "domain.yml"))


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("CHECKIN_DELAY", "30")
    return ConversationStore(domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "tracker.db"))


def rows(store, recipient=None) -> List[dict]:
    query = sa.select(checkins.CHECKINS)
    if recipient:
        query = query.where(checkins.CHECKINS.c.recipient == recipient)
    with store.engine.connect() as connection:
        return [dict(row._mapping) for row in connection.execute(query)]


async def turn(store, sender: str, *events, channel: str = "socketio") -> None:
    tracker = await store.get_or_create_tracker(sender)
    tracker.update(UserUttered("yes", input_channel=channel), DOMAIN)
    for event in events:
        tracker.update(event, DOMAIN)
    await store.save(tracker)


async def test_a_yes_keeps_one_pending_check_in_with_the_channel_and_the_delay(store):
    before = time.time()
    await turn(store, "a" * 32, SlotSet("triage_level", "routine"), SlotSet("checkin_consent", True))
    [row] = rows(store)
    assert row["recipient"] == "a" * 32 and row["channel"] == "socketio" and row["state"] == "pending"
    assert before + 30 <= row["due_at"] <= time.time() + 30
    await turn(store, "a" * 32, SlotSet("checkin_consent", True))  # asked again: still one
    assert len(rows(store)) == 1


async def test_a_no_keeps_nothing(store):
    await turn(store, "person", SlotSet("triage_level", "routine"), SlotSet("checkin_consent", False))
    assert rows(store) == []


@pytest.mark.parametrize(
    "event",
    [
        SlotSet("checkin_consent", False),
        SlotSet("triage_level", "emergency"),
        SlotSet("red_flags", ["suicidal_intent"]),
    ],
    ids=["stop-check-ins", "emergency", "crisis"],
)
async def test_stop_an_emergency_or_the_crisis_reply_removes_it(store, event):
    await turn(store, "person", SlotSet("triage_level", "routine"), SlotSet("checkin_consent", True))
    await turn(store, "other", SlotSet("triage_level", "routine"), SlotSet("checkin_consent", True))
    await turn(store, "person", event)
    assert rows(store, "person") == [] and len(rows(store, "other")) == 1


async def test_deleting_or_purging_the_conversation_deletes_its_check_in(store):
    await turn(store, "deleted", SlotSet("checkin_consent", True))
    await turn(store, "old", SlotSet("checkin_consent", True))
    await turn(store, "kept", SlotSet("checkin_consent", True))
    store.delete("deleted")
    with store.engine.begin() as connection:  # "old" was last heard from 40 days ago
        connection.execute(sa.text("UPDATE events SET timestamp = timestamp - 40 * 86400 WHERE sender_id = 'old'"))
    assert store.purge(30) == 1
    assert [row["recipient"] for row in rows(store)] == ["kept"]


async def test_each_due_check_in_is_claimed_by_exactly_one_replica(store, tmp_path):
    senders = [f"person-{n}" for n in range(40)]
    for sender in senders:
        await turn(store, sender, SlotSet("checkin_consent", True))
    assert checkins.claim_due(store.engine, "early") == []  # not due yet
    replicas = [ConversationStore(domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "tracker.db")) for _ in range(3)]
    later = time.time() + 31
    with ThreadPoolExecutor(3) as pool:
        claims = list(pool.map(lambda n: checkins.claim_due(replicas[n].engine, f"replica-{n}", later), range(3)))
    claimed = [due.recipient for claim in claims for due in claim]
    assert sorted(claimed) == sorted(senders)  # every one, none twice
    assert all(row["state"] == "sent" for row in rows(store))
    assert checkins.claim_due(store.engine, "again", later + 60) == []


def test_the_channel_id_is_the_store_key_without_its_channel_prefix():
    assert checkins.address("telegram:12345", "telegram") == "12345"
    assert checkins.address("0123456789abcdef0123456789abcdef", "socketio") == "0123456789abcdef0123456789abcdef"
    assert checkins.address("rest-person", "rest") == "rest-person"
