"""Rasa's SQL tracker store with a cheaper read and write per message (endpoints.yml).

Measured per message (docs/performance.md), Rasa's SQLTrackerStore took more time than the
NLU and the policies together: each turn it loads every event of the conversation, parses
each from JSON and replays it into a new tracker; each save counts the conversation's
stored events with a subquery, adds the new ones one ORM object at a time, and commits a
transaction that SQLite syncs to disk on a connection opened for that save alone. This
store keeps Rasa's table, rows and reads, and changes the rest:

- SQLite runs in write-ahead-log mode with ``synchronous=NORMAL`` on connections kept
  open: a commit no longer waits for the disk. A crash of the process loses nothing; a
  power cut can lose the last moments' turns (https://www.sqlite.org/wal.html). Other
  databases keep their settings.
- The tracker a turn saved is kept in memory (the ``cache_size`` most recent conversations)
  and handed to the conversation's next turn instead of being rebuilt, when one indexed
  query (the conversation's highest event id) shows the table holds exactly what this
  process last wrote. A cached tracker is handed out once: the turn owns it until it saves.
- A save that follows such a read knows how many events are stored, so it skips the count
  and inserts the new rows in one statement.

Anything else falls back to Rasa's own read and count: another worker or replica writing to
the conversation, a turn that failed before saving, a turn that began a new session (the
first one included), an event broker (which reads trackers back).
"""

from __future__ import annotations

import json
import logging
from collections import OrderedDict
from typing import Any, Dict, List, Optional, Text, Tuple

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

logger = logging.getLogger(__name__)


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class CachingSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, cache_size: int = 200, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name == "sqlite":
            # SQLAlchemy 1.4 opens and closes a connection per session on an SQLite file,
            # and closing the last one checkpoints the log to disk: keep a few open instead.
            # Rasa calls the store from its event loop's thread only.
            url = self.engine.url
            self.engine.dispose()
            self.engine = sa.create_engine(url, poolclass=sa.pool.QueuePool, connect_args={"check_same_thread": False})
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
            self.sessionmaker = sa.orm.sessionmaker(bind=self.engine)
        self.cache_size = cache_size if self.event_broker is None else 0
        # sender -> (the conversation's highest event id, the tracker as saved)
        self._cache: OrderedDict[Text, Tuple[Optional[int], DialogueStateTracker]] = OrderedDict()
        # sender -> (id() of the tracker handed out, its number of events, highest event id then)
        self._handed_out: Dict[Text, Tuple[int, int, Optional[int]]] = {}

    def _last_event_id(self, connection: Any, sender_id: Text) -> Optional[int]:
        table = self.SQLEvent.__table__
        return connection.execute(sa.select(sa.func.max(table.c.id)).where(table.c.sender_id == sender_id)).scalar()

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        cached = self._cache.pop(sender_id, None)
        with self.engine.connect() as connection:
            # Read before the events: a write landing in between then shows up at save.
            last_id = self._last_event_id(connection, sender_id)
        if cached is not None and cached[0] == last_id:
            tracker: Optional[DialogueStateTracker] = cached[1]
        else:
            tracker = await super().retrieve(sender_id)
        if tracker is not None and self.cache_size:
            self._handed_out[sender_id] = (id(tracker), len(tracker.events), last_id)
        return tracker

    async def create_tracker(self, sender_id: Text, append_action_listen: bool = True) -> DialogueStateTracker:
        # Called when the table holds no event of the conversation, so after this save it
        # holds exactly the new tracker's: the turn's own save can skip the count.
        tracker = await super().create_tracker(sender_id, append_action_listen=append_action_listen)
        if self.cache_size:
            with self.engine.connect() as connection:
                last_id = self._last_event_id(connection, sender_id)
            self._handed_out[sender_id] = (id(tracker), len(tracker.events), last_id)
        return tracker

    async def exists(self, conversation_id: Text) -> bool:
        return conversation_id in self._cache or await super().retrieve(conversation_id) is not None

    async def save(self, tracker: DialogueStateTracker) -> None:
        sender_id = tracker.sender_id
        handed_out = self._handed_out.pop(sender_id, None)
        await self.stream_events(tracker)
        with self.session_scope() as session:
            last_id = self._last_event_id(session, sender_id)
            known = handed_out is not None and handed_out[0] == id(tracker) and handed_out[2] == last_id
            if known:
                stored = handed_out[1]  # type: ignore[index]
            else:  # Rasa's own count of the latest session's stored events
                stored = self._event_query(session, sender_id, fetch_events_from_all_sessions=False).count()
            new_events = list(tracker.events)[stored:]
            rows = [self._row(sender_id, event) for event in new_events]
            if rows:
                session.execute(sa.insert(self.SQLEvent.__table__), rows)
            new_last_id = self._last_event_id(session, sender_id) if rows else last_id
            session.commit()
        # Keep only a tracker that is exactly what Rasa would read back: the latest session
        # as read before this turn, plus this turn's events, with no session begun in them.
        if known and self.cache_size and not any(isinstance(e, SessionStarted) for e in new_events):
            self._cache[sender_id] = (new_last_id, tracker)
            self._cache.move_to_end(sender_id)
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)

    @staticmethod
    def _row(sender_id: Text, event: Any) -> Dict[Text, Any]:
        # The same columns Rasa's SQLTrackerStore.save writes.
        data = event.as_dict()
        return {
            "sender_id": sender_id,
            "type_name": event.type_name,
            "timestamp": data.get("timestamp"),
            "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            "action_name": data.get("name"),
            "data": json.dumps(data),
        }

    def cached_conversations(self) -> List[Text]:
        return list(self._cache)
