"""The SQL tracker store with the privacy and size rules (``endpoints.yml``: ``type: addons.tracker_store.ConversationStore``).

Rasa's ``SQLTrackerStore`` (SQLite by default, PostgreSQL the same way) plus:

- **redaction**: every stored event (the user's message, the bot's messages, slot values,
  metadata) is stored with personal details replaced (``bot/redaction.py``,
  ``redacted_event_data``); the assistant has already read the original; metadata over the
  channels' cap is not stored;
- **channel keys**: conversations stored before channel keys existed are moved to
  ``<channel>:<id>`` at start (``migrate_channel_keys``, addons/channels/keys.py);
- **a cap on events per session** (``max_events``): when a conversation's current
  session grows past it, a new session starts that carries over every slot and the
  running form, exactly like Rasa's own session start. Each turn loads only the latest
  session, so a very long conversation stays as fast as a short one;
- **"delete my conversation"**: a turn in which the assistant said
  ``utter_conversation_deleted`` deletes every stored event of that conversation
  instead of saving it; ``delete`` does the same for the widget's "Start over";
- **retention**: ``purge(days)`` deletes every event older than that, message by message,
  also inside a conversation that goes on (``scripts/purge.sh``, ``make purge``);
- **encryption** (optional, ``TRACKER_ENCRYPTION_KEYS``; on in the cluster profile): the
  fields of each event that can hold a person's words are stored encrypted
  (addons/encryption.py); ``rotate_key`` re-encrypts every row with the first key;
- **no copy left**: SQLite runs with ``secure_delete`` and its write-ahead log is
  checkpointed and truncated after every deletion;
- the SQLite file is made readable by its owner only;
- **no silent fallback**: Rasa wraps every tracker store in a ``FailSafeTrackerStore``
  that, when the database fails, answers from an empty conversation and keeps the turn in
  that process's memory only (lost for good, and the person's answers ignored). An agent
  given this store hands its errors on as ``StoreUnavailable`` instead, so the turn is
  refused whole (nothing stored, nothing answered from a blank conversation) and the
  channel says so (503 on REST, a kind reply on socket.io; addons/channels). The next
  message after the database is back is served as usual: no restart;
- **a cheaper turn** (docs/performance.md: Rasa's store took about a third of a message's
  time): the tracker a turn saved is kept in memory (``cache_size`` conversations) and
  handed to the conversation's next turn instead of being read back and replayed, when one
  indexed query (the conversation's highest event id) shows the table holds exactly what
  this process last wrote. Anything else -- another replica or worker writing to the
  conversation, a purge or deletion from another process, a failed turn, a new session, a
  message whose stored text was redacted -- falls back to Rasa's own read. A save that
  follows such a read knows how many events are stored (no count query) and inserts the
  new rows in one statement. SQLite runs in write-ahead-log mode with
  ``synchronous=NORMAL`` on pooled connections: a commit no longer waits for the disk; a
  crash of the process loses nothing, a power cut can lose the last moments' turns
  (https://www.sqlite.org/wal.html).

Everything goes through SQLAlchemy, so PostgreSQL works as well as SQLite.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Text

import sqlalchemy as sa
from rasa.core.tracker_store import FailSafeTrackerStore, SQLTrackerStore, TrackerStore, create_engine_kwargs
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from addons import checkins, encryption, metrics, patches
from addons.channels import keys
from addons.schema import schema_lock, store_url
from bot.contract import CONVERSATION_DELETED_RESPONSE, PENDING_OFFER, TRIAGE_LEVEL, TRIAGE_LEVELS
from bot.guard import metadata_problem
from bot.offers import HANDOFF_CONTACT as HANDOFF_CONTACT_OFFER
from bot.redaction import redact

logger = logging.getLogger(__name__)

DEFAULT_MAX_EVENTS = 400
DEFAULT_CACHE_SIZE = 500
# A cached tracker older than this is read again: it bounds how long a deletion by another
# process (a purge) could go unseen if the database reused the deleted rows' ids.
CACHE_SECONDS = 600.0


# Keys whose values are names the store and Rasa need as they are (never a person's words).
_STRUCTURAL_KEYS = frozenset(
    "event name timestamp input_channel message_id policy action_name utter_action intent_name "
    "kind confidence model_id assistant_id entity extractor processors role group "
    "action_text hide_rule_turn e2e_text".split()
)


def redact_tree(value: Any, key: Optional[Text] = None) -> Any:
    """Every string in a JSON value with personal details replaced (bot/redaction.py),
    except under the structural keys; intents keep their names."""
    if key in _STRUCTURAL_KEYS and not isinstance(value, (dict, list)):
        return value
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {k: (v if k == "intent" and isinstance(v, dict) else redact_tree(v, k)) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [redact_tree(item, key) for item in value]
    return value


def capped_metadata(data: Dict[Text, Any]) -> None:
    """An event's metadata over the channels' cap is not stored (a backstop for the HTTP API)."""
    metadata = data.get("metadata")
    if metadata and metadata_problem(metadata):
        data["metadata"] = {"dropped": "metadata over the size or depth cap"}


def redacted_event_data(event: Event) -> Dict[Text, Any]:
    """The event as stored: every text in it (the user's message and its parsed copy, the
    bot's messages, slot values, metadata) without personal details, metadata capped."""
    data = redact_tree(event.as_dict())
    capped_metadata(data)
    if isinstance(event, UserUttered):
        parse_data = data.get("parse_data")
        if isinstance(parse_data, dict) and isinstance(parse_data.get("text"), str):
            parse_data["text"] = data.get("text")
    return data


CONTACT_DETAILS = "[contact details]"


def contact_replies(events: List[Event]) -> set:
    """The ids of the user messages that answer the hand-off's contact question (issue 27):
    stored as ``[contact details]``, never as said (the action server has read them)."""
    pending: Any = None
    replies = set()
    for event in events:
        if isinstance(event, SlotSet) and event.key == PENDING_OFFER:
            pending = event.value
        elif isinstance(event, SessionStarted):
            pending = None
        elif isinstance(event, UserUttered) and pending == HANDOFF_CONTACT_OFFER:
            replies.add(id(event))
    return replies


def without_contact_details(data: Dict[Text, Any]) -> Dict[Text, Any]:
    data["text"] = CONTACT_DETAILS
    parse_data = data.get("parse_data")
    if isinstance(parse_data, dict):
        parse_data["text"] = CONTACT_DETAILS
        parse_data["entities"] = []
    data.pop("entities", None)
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


def _level_before(tracker: DialogueStateTracker, stored: int) -> Optional[str]:
    """The triage level the stored events had set (for counting a raised level)."""
    for event in reversed(list(tracker.events)[:stored]):
        if isinstance(event, SlotSet) and event.key == TRIAGE_LEVEL:
            return event.value
    return None


class StoreUnavailable(Exception):
    """The conversation store could not be read or written: the turn was refused."""


def refuse_turn(error: Exception) -> None:
    metrics.store_error()
    raise StoreUnavailable(f"The conversation store failed ({type(error).__name__}).") from error


def hand_on_store_errors() -> None:
    """From now on, an Agent given a ConversationStore wraps it in Rasa's fail-safe with
    ``on_tracker_store_error`` (its own hook, which Agent never sets) raising instead of
    falling back. Done when the first store is made, which Rasa does before creating the
    Agent, so it holds however Rasa is started (scripts, docker compose, Helm), and checked
    first against the Rasa it was written for (addons/patches.py)."""
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
    Agent._create_tracker_store = staticmethod(create_tracker_store)


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA secure_delete=ON")  # deleted rows are overwritten, not left in free pages
    cursor.close()


@dataclass
class _Cached:
    tracker: DialogueStateTracker
    last_id: Optional[int]  # the conversation's highest stored event id when it was saved
    saved_at: float


@dataclass
class _HandedOut:
    tracker_id: int  # id() of the tracker object a turn is working on
    stored_events: int  # how many of its events the table holds
    last_id: Optional[int]


class ConversationStore(SQLTrackerStore):
    engine: Any  # made by SQLTrackerStore; remade below for SQLite (pooled, WAL) and PostgreSQL (pre-ping)

    def __init__(
        self, *args: Any, max_events: Optional[int] = None, cache_size: Optional[int] = None, **kwargs: Any
    ) -> None:
        patches.install("rasa.core.agent.Agent._create_tracker_store")  # hand_on_store_errors, checked
        with schema_lock(store_url(kwargs)):  # replicas starting together (addons/schema.py)
            self._create(*args, max_events=max_events, cache_size=cache_size, **kwargs)

    def _create(
        self, *args: Any, max_events: Optional[int] = None, cache_size: Optional[int] = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.max_events = int(max_events or os.environ.get("TRACKER_MAX_EVENTS") or DEFAULT_MAX_EVENTS)
        if cache_size is None:
            cache_size = int(os.environ.get("TRACKER_CACHE_SIZE") or DEFAULT_CACHE_SIZE)
        # An event broker is handed each turn's new events by save (not Rasa's
        # stream_events, which reads the tracker back), so the cache works with one too.
        self.cache_size = cache_size
        self._cache: "OrderedDict[Text, _Cached]" = OrderedDict()
        self._handed_out: Dict[Text, _HandedOut] = {}
        if self.engine.url.get_backend_name() == "sqlite":
            self._use_wal_on_pooled_connections()
        elif self.engine.url.get_backend_name() == "postgresql":
            self._test_pooled_connections()
        checkins.create_table(self.engine)  # check-ins live beside the conversations (addons/checkins.py)
        database = self.engine.url.database
        if self.engine.url.get_backend_name() == "sqlite" and database and os.path.exists(database):
            os.chmod(database, 0o600)
        self.migrate_channel_keys()

    def migrate_channel_keys(self) -> int:
        """Conversations stored before channel keys existed move to them (addons/channels/keys.py)."""
        if not sa.inspect(self.engine).has_table(self.SQLEvent.__tablename__):
            return 0  # a new in-memory database (each pooled connection has its own)
        with self.session_scope() as session:
            moved = keys.migrate(session, self.SQLEvent.__table__)
            session.commit()
        return moved

    def _test_pooled_connections(self) -> None:
        # After a database restart every pooled connection is dead, and the first turn to take
        # one would be refused although the database is back: each connection is tested (one
        # round trip) as it is taken from the pool. Rasa's own engine settings are kept.
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
        self.sessionmaker = sa.orm.sessionmaker(bind=self.engine)

    def _use_wal_on_pooled_connections(self) -> None:
        # SQLAlchemy 1.4 opens a new SQLite connection for every session, and closing the last
        # one checkpoints the log to disk: keep a few open instead. Rasa calls the store from
        # its event loop's thread only.
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, poolclass=sa.pool.QueuePool, connect_args={"check_same_thread": False})
        sa.event.listen(self.engine, "connect", _sqlite_pragmas)
        self.sessionmaker = sa.orm.sessionmaker(bind=self.engine)

    def _last_event_id(self, connection: Any, sender_id: Text) -> Optional[int]:
        return connection.execute(self._last_id_query, {"sender_id": sender_id}).scalar()

    @functools.cached_property
    def _last_id_query(self) -> Any:
        # Asked up to three times per message: built once (building it cost three times
        # what running it does).
        table = self.SQLEvent.__table__
        return sa.select(sa.func.max(table.c.id)).where(table.c.sender_id == sa.bindparam("sender_id"))

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        cached = self._cache.pop(sender_id, None)
        if not self.cache_size:
            return await super().retrieve(sender_id)
        with self.session_scope() as session:
            # Read before the events: a write landing in between then shows up at save.
            last_id = self._last_event_id(session, sender_id)
        fresh = cached is not None and time.monotonic() - cached.saved_at < CACHE_SECONDS
        if cached is not None and fresh and cached.last_id == last_id:
            tracker: Optional[DialogueStateTracker] = cached.tracker
        else:
            tracker = await super().retrieve(sender_id)
        if tracker is not None:
            self._handed_out[sender_id] = _HandedOut(id(tracker), len(tracker.events), last_id)
        return tracker

    async def create_tracker(self, sender_id: Text, append_action_listen: bool = True) -> DialogueStateTracker:
        # Rasa calls this when the table holds no event of the conversation; afterwards it
        # holds exactly the new tracker's, so the turn's own save can skip the count.
        tracker = await super().create_tracker(sender_id, append_action_listen=append_action_listen)
        if self.cache_size:
            with self.session_scope() as session:
                last_id = self._last_event_id(session, sender_id)
            self._handed_out[sender_id] = _HandedOut(id(tracker), len(tracker.events), last_id)
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        sender_id = tracker.sender_id
        handed_out = self._handed_out.pop(sender_id, None)
        self._cache.pop(sender_id, None)
        with self.session_scope() as session:
            last_id = self._last_event_id(session, sender_id) if handed_out else None
            known = handed_out is not None and handed_out.tracker_id == id(tracker) and handed_out.last_id == last_id
            if known:
                stored = handed_out.stored_events  # type: ignore[union-attr]
            else:  # Rasa's own count of the latest session's stored events
                stored = self._event_query(session, sender_id, fetch_events_from_all_sessions=False).count()
            if deletion_requested(list(tracker.events)[stored:]):
                session.rollback()
                self.delete(sender_id)
                return
            if len(tracker.events) > self.max_events:
                tracker.update_with_events(rollover_events(tracker), self.domain)
            new_events = list(tracker.events)[stored:]
            contact = contact_replies(list(tracker.events))
            rows = [self._row(sender_id, event, id(event) in contact) for event in new_events]
            if rows:
                session.execute(
                    sa.insert(self.SQLEvent.__table__), [{k: v for k, v in r.items() if k != "plain"} for r in rows]
                )
            checkins.record(
                session, sender_id, tracker.get_latest_input_channel(), new_events, tracker.current_slot_values()
            )
            new_last_id = self._last_event_id(session, sender_id) if rows else last_id
            session.commit()
        try:
            self._publish(sender_id, rows)
        except sa.exc.SQLAlchemyError as error:
            # The turn is stored and its reply is due: refusing it now would have the person
            # send again a message already kept. The console's counts miss these events.
            logger.error("The console's feed could not take a stored turn's events (%s).", type(error).__name__)
            metrics.feed_error()
        metrics.turn_stored(new_events, _level_before(tracker, stored), TRIAGE_LEVELS)
        # Keep only a tracker that is exactly what Rasa would read back: the latest session
        # as read before this turn plus this turn's events, unchanged by redaction.
        if known and self.cache_size and self._reads_back_unchanged(new_events, rows):
            self._cache[sender_id] = _Cached(tracker, new_last_id, time.monotonic())
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)

    def _publish(self, sender_id: Text, rows: List[Dict[Text, Any]]) -> None:
        """Hands the event broker (the console's feed, addons/event_feed.py) the events
        just stored, redacted as stored."""
        if self.event_broker is None:
            return
        bodies = [{"sender_id": sender_id, **json.loads(row["plain"])} for row in rows]  # redacted, not encrypted
        publish_redacted = getattr(self.event_broker, "publish_redacted", None)
        if publish_redacted is not None:
            publish_redacted(bodies)
        else:
            for body in bodies:
                self.event_broker.publish(body)

    def _forget(self, sender_ids: List[Text]) -> None:
        delete = getattr(self.event_broker, "delete", None)
        if delete is not None and sender_ids:
            delete(sender_ids)

    @staticmethod
    def _reads_back_unchanged(new_events: List[Event], rows: List[Dict[Text, Any]]) -> bool:
        if any(isinstance(event, SessionStarted) for event in new_events):
            return False
        return all(row["plain"] == json.dumps(event.as_dict()) for event, row in zip(new_events, rows, strict=True))

    @staticmethod
    def _row(sender_id: Text, event: Event, contact_details: bool = False) -> Dict[Text, Any]:
        # The columns Rasa's SQLTrackerStore.save writes, redacted (and encrypted when keys are set).
        data = redacted_event_data(event)
        if contact_details:
            data = without_contact_details(data)
        return {
            "sender_id": sender_id,
            "type_name": event.type_name,
            "timestamp": data.get("timestamp"),
            "intent_name": (data.get("parse_data") or {}).get("intent", {}).get(INTENT_NAME_KEY),
            "action_name": data.get("name"),
            "data": encryption.stored_text(data),
            "plain": json.dumps(data),  # not a column: what the row reads back as
        }

    async def _retrieve(self, sender_id: Text, fetch_events_from_all_sessions: bool) -> Optional[DialogueStateTracker]:
        # Rasa's SQLTrackerStore._retrieve, reading each row through the decryption.
        with self.session_scope() as session:
            rows = self._event_query(
                session, sender_id, fetch_events_from_all_sessions=fetch_events_from_all_sessions
            ).all()
            events = [encryption.read_text(row.data) for row in rows]
        if self.domain and events:
            return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        return None

    def rotate_key(self, batch: int = 500) -> int:
        """Every stored event re-encrypted with the first key of TRACKER_ENCRYPTION_KEYS; returns how many."""
        keys = encryption.cipher()
        if keys is None:
            raise encryption.KeyMissing("Set TRACKER_ENCRYPTION_KEYS (the new key first) to rotate.")
        table = self.SQLEvent.__table__
        done, last_id = 0, 0
        with self.session_scope() as session:
            while True:
                rows = session.execute(
                    sa.select(table.c.id, table.c.data).where(table.c.id > last_id).order_by(table.c.id).limit(batch)
                ).all()
                if not rows:
                    break
                for row_id, text in rows:
                    again = encryption.reencrypt(text, keys)
                    if again is not None:
                        session.execute(sa.update(table).where(table.c.id == row_id).values(data=again))
                        done += 1
                    last_id = row_id
                session.commit()
        self._cache.clear()
        self.leave_no_copy()  # the old ciphertexts out of SQLite's log
        return done

    def delete(self, sender_id: Text) -> int:
        """Deletes every stored event of one conversation; returns how many."""
        self._cache.pop(sender_id, None)
        self._handed_out.pop(sender_id, None)
        with self.session_scope() as session:
            count = session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == sender_id).delete()
            checkins.forget(session, [sender_id])
            session.commit()
        self._forget([sender_id])
        self.leave_no_copy()
        logger.info("Deleted a conversation at its owner's request (%d events).", count)
        return count

    def leave_no_copy(self) -> None:
        """After a deletion: SQLite's write-ahead log still holds the deleted rows' pages until
        a checkpoint; copy it into the database (where ``secure_delete`` zeroed them) and
        truncate it. PostgreSQL: docs/security.md says what a clinic configures."""
        if self.engine.url.get_backend_name() != "sqlite":
            return
        try:
            with self.engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        except sa.exc.SQLAlchemyError as error:  # a reader holding the log: the next checkpoint will
            logger.warning("The write-ahead log could not be truncated after a deletion (%s).", type(error).__name__)

    def purge(self, days: float) -> int:
        """Deletes every stored event (message, slot, ...) older than ``days``, whatever the age
        of the rest of its conversation; returns how many conversations lost events."""
        cutoff = time.time() - days * 86400
        table = self.SQLEvent.__table__
        with self.session_scope() as session:
            senders = [
                sender
                for (sender,) in session.execute(
                    sa.select(table.c.sender_id).where(table.c.timestamp < cutoff).distinct()
                )
            ]
            for sender in senders:
                self._cache.pop(sender, None)
                self._handed_out.pop(sender, None)
            session.execute(sa.delete(table).where(table.c.timestamp < cutoff))
            # A conversation with nothing left keeps no check-in either.
            remaining = (
                {
                    s
                    for (s,) in session.execute(
                        sa.select(table.c.sender_id).where(table.c.sender_id.in_(senders)).distinct()
                    )
                }
                if senders
                else set()
            )
            checkins.forget(session, [s for s in senders if s not in remaining])
            session.commit()
        self._forget(senders)
        if senders:
            self.leave_no_copy()
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
