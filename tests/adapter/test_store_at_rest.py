"""The project's store at rest (addons/tracker_store.py, addons/encryption.py, addons/channels/keys.py),
on a real SQLite file: every event redacted, text encrypted with TRACKER_ENCRYPTION_KEYS and
rotated by ``scripts/purge.sh --rotate-key``, no copy left in the write-ahead log after a
deletion, and conversations stored before channel keys moved to them."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, SlotSet, UserUttered

from addons import encryption
from addons.tracker_store import ConversationStore
from tests.support.stack import ROOT, server_env

SECRET_WORD = "Marzipanwhistle"  # not a personal detail: only encryption hides it
DOMAIN = Domain.from_dict({"slots": {"own_words": {"type": "any", "mappings": [{"type": "custom"}]}}})


def raw_bytes(db: Path) -> bytes:
    wal = Path(f"{db}-wal")
    return db.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


async def save_turn(store: ConversationStore, sender: str, text: str) -> None:
    tracker = await store.get_or_create_tracker(sender)
    tracker.update(UserUttered(text, metadata={"note": text}))
    tracker.update(SlotSet("own_words", text))
    tracker.update(BotUttered(f"In your words: {text}"))
    await store.save(tracker)


def texts(tracker) -> list:
    return [e.text for e in tracker.events if isinstance(e, (UserUttered, BotUttered))]


async def test_every_event_is_redacted_slots_bot_text_and_metadata(tmp_path, monkeypatch):
    monkeypatch.delenv("TRACKER_ENCRYPTION_KEYS", raising=False)
    db = tmp_path / "tracker.db"
    store = ConversationStore(domain=DOMAIN, dialect="sqlite", db=str(db))
    await save_turn(store, "person", "my name is Zebedee Quattlebaum, call 07700 900873")
    stored = raw_bytes(db)
    assert b"Quattlebaum" not in stored and b"900873" not in stored
    tracker = await store.retrieve("person")
    assert tracker.get_slot("own_words") == "my name is [name], call [phone number]"
    assert texts(tracker)[-1] == "In your words: my name is [name], call [phone number]"
    assert tracker.events[-3].metadata == {"note": "my name is [name], call [phone number]"}


async def test_encrypted_text_is_read_back_and_rotated_to_a_new_key(tmp_path, monkeypatch):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    monkeypatch.setenv("TRACKER_ENCRYPTION_KEYS", old)
    db = tmp_path / "tracker.db"
    store = ConversationStore(domain=DOMAIN, dialect="sqlite", db=str(db))
    await save_turn(store, "person", f"the word is {SECRET_WORD}")
    assert SECRET_WORD.encode() not in raw_bytes(db)
    assert texts(await store.retrieve("person")) == [
        f"the word is {SECRET_WORD}",
        f"In your words: the word is {SECRET_WORD}",
    ]

    # Rotation: the new key first, the old one still listed; then the old key dropped.
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text((ROOT / "endpoints.yml").read_text())
    env = server_env(ENDPOINTS=str(endpoints), TRACKER_DB=str(db), TRACKER_ENCRYPTION_KEYS=f"{new},{old}")
    result = subprocess.run(
        [str(ROOT / "scripts" / "purge.sh"), "--rotate-key"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Re-encrypted" in result.stdout
    monkeypatch.setenv("TRACKER_ENCRYPTION_KEYS", new)
    fresh = ConversationStore(domain=DOMAIN, dialect="sqlite", db=str(db))
    assert texts(await fresh.retrieve("person"))[0] == f"the word is {SECRET_WORD}"
    monkeypatch.setenv("TRACKER_ENCRYPTION_KEYS", old)  # the old key alone reads nothing any more
    with pytest.raises(encryption.KeyMissing):
        await ConversationStore(domain=DOMAIN, dialect="sqlite", db=str(db)).retrieve("person")


async def test_a_deletion_leaves_no_copy_in_the_database_or_its_log(tmp_path, monkeypatch):
    monkeypatch.delenv("TRACKER_ENCRYPTION_KEYS", raising=False)
    db = tmp_path / "tracker.db"
    store = ConversationStore(domain=DOMAIN, dialect="sqlite", db=str(db))
    await save_turn(store, "person", f"the word is {SECRET_WORD}")
    assert SECRET_WORD.encode() in raw_bytes(db)
    assert store.delete("person") > 0
    assert SECRET_WORD.encode() not in raw_bytes(db)


def test_conversations_stored_before_channel_keys_move_to_them(tmp_path, monkeypatch):
    monkeypatch.delenv("TRACKER_ENCRYPTION_KEYS", raising=False)
    db = tmp_path / "tracker.db"
    ConversationStore(domain=DOMAIN, dialect="sqlite", db=str(db))
    with sqlite3.connect(db) as connection:
        for sender, channel in (("a" * 32, "socketio"), ("12345", "telegram"), ("b" * 32, "rest")):
            data = json.dumps({"event": "user", "timestamp": 1.0, "text": "hi", "input_channel": channel})
            connection.execute(
                "INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (?, 'user', 1.0, ?)", (sender, data)
            )
    store = ConversationStore(domain=DOMAIN, dialect="sqlite", db=str(db))
    assert store.migrate_channel_keys() == 0  # moved when the store started; a second run moves nothing
    with sqlite3.connect(db) as connection:
        senders = {row[0] for row in connection.execute("SELECT sender_id FROM events")}
    assert senders == {f"socketio:{'a' * 32}", "telegram:12345", "b" * 32}
    assert os.stat(db).st_mode & 0o077 == 0
