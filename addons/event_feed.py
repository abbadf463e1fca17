"""The clinic console's feed: Rasa's SQL event broker with the store's redaction
(``endpoints.yml``: ``event_broker: type: addons.event_feed.RedactingSQLEventBroker``).

Rasa's ``SQLEventBroker`` writes every new event of a conversation to a table named
``events``, as does its SQL tracker store, so the broker keeps its own database
(``EVENTS_DB``, ``var/events.db`` by default; on the cluster a separate PostgreSQL
database). The tracker store (addons/tracker_store.py) hands it exactly the events it
stores, redacted the same way (``bot/redaction.py``), and deletes a conversation here too
when it is deleted there ("delete my conversation", retention). The console
(``console/``) reads this database only.
"""

from __future__ import annotations

import json
import logging
import os
from asyncio import AbstractEventLoop
from typing import Any, Dict, Iterable, Optional, Text

import sqlalchemy as sa
from rasa.core.brokers.sql import SQLEventBroker
from rasa.utils.endpoints import EndpointConfig

from addons.schema import schema_lock, store_url
from bot.redaction import redact

logger = logging.getLogger(__name__)


def redacted(event: Dict[Text, Any]) -> Dict[Text, Any]:
    """A published event (``Event.as_dict()`` plus ``sender_id``) with user text redacted."""
    data = dict(event)
    if data.get("event") == "user" and isinstance(data.get("text"), str):
        data["text"] = redact(data["text"])
        parse_data = data.get("parse_data")
        if isinstance(parse_data, dict) and isinstance(parse_data.get("text"), str):
            data["parse_data"] = {**parse_data, "text": data["text"]}
    return data


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # the console reads while Rasa writes
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


# Made once: each Index() joins the table's definition, so a second one (a second broker in
# the process) made create_all issue the same CREATE INDEX twice on a new database.
SENDER_INDEX = sa.Index("ix_events_sender_id", SQLEventBroker.SQLBrokerEvent.__table__.c.sender_id)


class RedactingSQLEventBroker(SQLEventBroker):
    """Rasa's SQL broker: redacted events, a private SQLite file, deletion on request."""

    engine: Any  # made by SQLEventBroker; remade below for SQLite (WAL, shared across threads)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        with schema_lock(store_url(kwargs)):  # replicas starting together (addons/schema.py)
            self._create(*args, **kwargs)

    def _create(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.engine.url.get_backend_name() == "sqlite":
            url = self.engine.url
            self.engine.dispose()
            self.engine = sa.create_engine(url, connect_args={"check_same_thread": False})
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
            self.sessionmaker = sa.orm.sessionmaker(bind=self.engine)
            self.Base.metadata.create_all(self.engine)
            database = url.database
            if database and os.path.exists(database):
                os.chmod(database, 0o600)
        else:
            # As the store's (addons/tracker_store.py): after a database restart every pooled
            # connection is dead, and the turn that publishes to the feed would be refused.
            url = self.engine.url
            self.engine.dispose()
            self.engine = sa.create_engine(url, pool_pre_ping=True)
            self.sessionmaker = sa.orm.sessionmaker(bind=self.engine)
        SENDER_INDEX.create(self.engine, checkfirst=True)  # a feed made before the index existed

    @classmethod
    async def from_endpoint_config(
        cls, broker_config: EndpointConfig, event_loop: Optional[AbstractEventLoop] = None
    ) -> "RedactingSQLEventBroker":
        return cls(host=broker_config.url, **broker_config.kwargs)

    def publish(self, event: Dict[Text, Any]) -> None:
        super().publish(redacted(event))

    def publish_redacted(self, events: Iterable[Dict[Text, Any]]) -> None:
        """A turn's events, already redacted by the tracker store, in one transaction."""
        rows = [self.SQLBrokerEvent(sender_id=event.get("sender_id"), data=json.dumps(event)) for event in events]
        if rows:
            with self.session_scope() as session:
                session.add_all(rows)
                session.commit()

    def delete(self, sender_ids: Iterable[Text]) -> int:
        """Deletes every event of these conversations; returns how many."""
        senders = list(sender_ids)
        count = 0
        with self.session_scope() as session:
            for start in range(0, len(senders), 500):
                batch = senders[start : start + 500]
                count += (
                    session.query(self.SQLBrokerEvent)
                    .filter(self.SQLBrokerEvent.sender_id.in_(batch))
                    .delete(synchronize_session=False)
                )
            session.commit()
        return count
