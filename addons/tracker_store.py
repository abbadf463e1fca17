"""The SQL tracker store with the privacy and size rules (``endpoints.yml``: ``type: addons.tracker_store.ConversationStore``).

Rasa's ``SQLTrackerStore`` (SQLite by default, PostgreSQL the same way) plus:

- **redaction**: the text of every user message is stored with personal details
  replaced (``bot/redaction.py``); the assistant has already read the original;
- **a cap on events per session** (``max_events``): when a conversation's current
  session grows past it, a new session starts that carries over every slot and the
  running form, exactly like Rasa's own session start. Each turn loads only the latest
  session, so a very long conversation stays as fast as a short one;
- **"delete my conversation"**: a turn in which the assistant said
  ``utter_conversation_deleted`` deletes every stored event of that conversation
  instead of saving it; ``delete`` does the same for the widget's "Start over";
- **retention**: ``purge(days)`` deletes conversations whose last event is older
  (``scripts/purge.sh``, ``make purge``);
- the SQLite file is made readable by its owner only;
- **no silent fallback**: Rasa wraps every tracker store in a ``FailSafeTrackerStore``
  that, when the database fails, answers from an empty conversation and keeps the turn in
  that process's memory only (lost for good, and the person's answers ignored). An agent
  given this store hands its errors on as ``StoreUnavailable`` instead, so the turn is
  refused whole (nothing stored, nothing answered from a blank conversation) and the
  channel says so (503 on REST, a kind reply on socket.io; addons/channels). The next
  message after the database is back is served as usual: no restart.

Everything goes through SQLAlchemy, so PostgreSQL works as well as SQLite.
"""

from __future__ import annotations

import json
import logging
import os
import time
from typing import Any, Dict, List, Optional, Text

import sqlalchemy as sa
from rasa.core.tracker_store import FailSafeTrackerStore, SQLTrackerStore, TrackerStore, create_engine_kwargs
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from bot.contract import CONVERSATION_DELETED_RESPONSE
from bot.redaction import redact

logger = logging.getLogger(__name__)

DEFAULT_MAX_EVENTS = 400


def redacted_event_data(event: Event) -> Dict[Text, Any]:
    """The event as stored: user text (and the parsed copy of it) without personal details."""
    data = event.as_dict()
    if isinstance(event, UserUttered):
        if isinstance(data.get("text"), str):
            data["text"] = redact(data["text"])
        parse_data = data.get("parse_data")
        if isinstance(parse_data, dict) and isinstance(parse_data.get("text"), str):
            parse_data["text"] = data["text"]
    return data


def deletion_requested(events: List[Event]) -> bool:
    return any(
        isinstance(event, BotUttered) and (event.metadata or {}).get("utter_action") == CONVERSATION_DELETED_RESPONSE
        for event in events
    )


def rollover_events(tracker: DialogueStateTracker) -> List[Event]:
    """A new session carrying over the current state: slots, and the form if one is running."""
    last = max((event.timestamp for event in tracker.events), default=0.0)
    now = max(time.time(), last + 0.001)
    events: List[Event] = [SessionStarted(timestamp=now)]
    for name, slot in tracker.slots.items():
        if slot.value != slot.initial_value:
            events.append(SlotSet(name, slot.value, timestamp=now))
    if tracker.active_loop_name:
        events.append(ActiveLoop(tracker.active_loop_name, timestamp=now))
    events.append(ActionExecuted(ACTION_LISTEN_NAME, timestamp=now))
    return events


class StoreUnavailable(Exception):
    """The conversation store could not be read or written: the turn was refused."""


def refuse_turn(error: Exception) -> None:
    raise StoreUnavailable(f"The conversation store failed ({type(error).__name__}).") from error


def hand_on_store_errors() -> None:
    """From now on, an Agent given a ConversationStore wraps it in Rasa's fail-safe with
    ``on_tracker_store_error`` (its own hook, which Agent never sets) raising instead of
    falling back. Done when the first store is made, which Rasa does before creating the
    Agent, so it holds however Rasa is started (scripts, docker compose, Helm)."""
    from rasa.core.agent import Agent

    rasa_create = Agent._create_tracker_store
    if getattr(rasa_create, "hands_on_store_errors", False):
        return

    def create_tracker_store(store: Optional[TrackerStore], domain: Any) -> TrackerStore:
        if isinstance(store, ConversationStore):
            store.domain = domain
            return FailSafeTrackerStore(store, on_tracker_store_error=refuse_turn)
        return rasa_create(store, domain)

    create_tracker_store.hands_on_store_errors = True  # type: ignore[attr-defined]
    Agent._create_tracker_store = staticmethod(create_tracker_store)  # type: ignore[method-assign, assignment]


class ConversationStore(SQLTrackerStore):
    def __init__(self, *args: Any, max_events: Optional[int] = None, **kwargs: Any) -> None:
        hand_on_store_errors()
        super().__init__(*args, **kwargs)
        self.max_events = int(max_events or os.environ.get("TRACKER_MAX_EVENTS") or DEFAULT_MAX_EVENTS)
        if self.engine.url.get_backend_name() == "postgresql":
            self._test_pooled_connections()
        database = self.engine.url.database
        if self.engine.url.get_backend_name() == "sqlite" and database and os.path.exists(database):
            os.chmod(database, 0o600)

    def _test_pooled_connections(self) -> None:
        # After a database restart every pooled connection is dead, and the first turn to take
        # one would be refused although the database is back: each connection is tested (one
        # round trip) as it is taken from the pool. Rasa's own engine settings are kept.
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
        self.sessionmaker = sa.orm.sessionmaker(bind=self.engine)

    async def save(self, tracker: DialogueStateTracker) -> None:
        with self.session_scope() as session:
            new_events = list(self._additional_events(session, tracker))
        if deletion_requested(new_events):
            self.delete(tracker.sender_id)
            return
        if len(tracker.events) > self.max_events:
            tracker.update_with_events(rollover_events(tracker), self.domain)
        await self.stream_events(tracker)
        with self.session_scope() as session:
            for event in self._additional_events(session, tracker):
                data = redacted_event_data(event)
                session.add(
                    self.SQLEvent(
                        sender_id=tracker.sender_id,
                        type_name=event.type_name,
                        timestamp=data.get("timestamp"),
                        intent_name=(data.get("parse_data") or {}).get("intent", {}).get(INTENT_NAME_KEY),
                        action_name=data.get("name"),
                        data=json.dumps(data),
                    )
                )
            session.commit()

    def delete(self, sender_id: Text) -> int:
        """Deletes every stored event of one conversation; returns how many."""
        with self.session_scope() as session:
            count = session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == sender_id).delete()
            session.commit()
        logger.info("Deleted a conversation at its owner's request (%d events).", count)
        return count

    def purge(self, days: float) -> int:
        """Deletes the conversations whose last event is more than ``days`` old; returns how many."""
        cutoff = time.time() - days * 86400
        with self.session_scope() as session:
            old = (
                session.query(self.SQLEvent.sender_id)
                .group_by(self.SQLEvent.sender_id)
                .having(sa.func.max(self.SQLEvent.timestamp) < cutoff)
            )
            senders = [sender for (sender,) in old.all()]
            for start in range(0, len(senders), 500):
                batch = senders[start : start + 500]
                session.query(self.SQLEvent).filter(self.SQLEvent.sender_id.in_(batch)).delete(
                    synchronize_session=False
                )
            session.commit()
        return len(senders)


async def delete_conversation(agent: Any, sender_id: Text) -> bool:
    """Deletes a conversation from the agent's tracker store (under its lock)."""
    store = agent.tracker_store
    store = getattr(store, "_tracker_store", store)  # Rasa wraps stores in a FailSafeTrackerStore
    async with agent.lock_store.lock(sender_id):
        if isinstance(store, ConversationStore):
            store.delete(sender_id)
            return True
        if hasattr(store, "store") and isinstance(store.store, dict):  # InMemoryTrackerStore
            store.store.pop(sender_id, None)
            return True
    logger.warning("This tracker store (%s) cannot delete a conversation.", type(store).__name__)
    return False
