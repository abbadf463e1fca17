"""The reply to the hand-off's contact question is stored as "[contact details]", never as
said (addons/tracker_store.py, issue 27); the messages around it are stored as usual."""

from __future__ import annotations

import sqlite3

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet, UserUttered

from addons.tracker_store import CONTACT_DETAILS, ConversationStore
from bot.contract import PENDING_OFFER

CONTACT = "ring me on 07700 900461 or jo.bloggs@example.org"


async def test_the_contact_reply_is_never_stored(tmp_path):
    db = tmp_path / "tracker.db"
    domain = Domain.from_dict({"slots": {PENDING_OFFER: {"type": "any", "mappings": [{"type": "custom"}]}}})
    store = ConversationStore(domain=domain, dialect="sqlite", db=str(db))
    tracker = await store.get_or_create_tracker("person")
    tracker.update(UserUttered("yes"))
    tracker.update(SlotSet(PENDING_OFFER, "handoff_contact"))
    await store.save(tracker)
    tracker = await store.retrieve("person")
    tracker.update(UserUttered(CONTACT, parse_data={"text": CONTACT, "intent": {"name": "inform"}, "entities": []}))
    tracker.update(SlotSet(PENDING_OFFER, None))
    tracker.update(UserUttered("thanks"))
    await store.save(tracker)

    with sqlite3.connect(db) as connection:
        stored = "\n".join(row[0] for row in connection.execute("SELECT data FROM events"))
    assert "07700" not in stored and "bloggs" not in stored
    texts = [
        e.text
        for e in (await ConversationStore(domain=domain, dialect="sqlite", db=str(db)).retrieve("person")).events
        if isinstance(e, UserUttered)
    ]
    assert texts == ["yes", CONTACT_DETAILS, "thanks"]
