"""Creating tables and indexes when several Rasa replicas start at once.

Each replica creates what it needs at start (Rasa's SQL tracker store and event broker, the
check-in table, the feed's index). On PostgreSQL "create if missing" is not atomic: two
replicas both find an index missing, and the second ``CREATE INDEX`` fails on the catalogue's
unique index (``pg_class_relname_nsp_index``), which stopped a replica of ``make cluster``.
Rasa's tracker store retries that; its event broker and our own tables did not. So every
start-up creation runs under one PostgreSQL advisory lock, taken on its own connection and
held until the creating is done; the other replicas wait, then find everything there.
SQLite (one process) needs nothing.
"""

from __future__ import annotations

import logging
import time
from contextlib import contextmanager
from typing import Any, Iterator, Optional

import sqlalchemy as sa
from sqlalchemy.pool import NullPool

logger = logging.getLogger(__name__)
RETRY_SECONDS = 2
# pg_advisory_lock takes a bigint; any fixed number the project owns will do ("backpain").
SCHEMA_LOCK_KEY = int.from_bytes(b"backpain", "big") & 0x7FFFFFFFFFFFFFFF


@contextmanager
def schema_lock(url: Optional[Any]) -> Iterator[None]:
    """Held around start-up DDL against ``url``; a no-op for anything but PostgreSQL."""
    if url is None or sa.engine.make_url(url).get_backend_name() != "postgresql":
        yield
        return
    engine = sa.create_engine(url, poolclass=NullPool)
    try:
        with _connect_when_up(engine) as connection:
            connection.execute(sa.text("SELECT pg_advisory_lock(:key)"), {"key": SCHEMA_LOCK_KEY})
            try:
                yield
            finally:
                connection.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": SCHEMA_LOCK_KEY})
    finally:
        engine.dispose()


def _connect_when_up(engine: Any) -> Any:
    # The database may still be starting: wait for it, as Rasa's own tracker store does.
    while True:
        try:
            return engine.connect()
        except sa.exc.OperationalError as error:
            logger.warning("Waiting for the database to create tables: %s", str(error).splitlines()[0])
            time.sleep(RETRY_SECONDS)


def store_url(kwargs: dict) -> Optional[Any]:
    """The database URL Rasa's SQL tracker store or event broker builds from its settings
    (``endpoints.yml``), or None when it is not PostgreSQL. With ``login_db`` the lock is taken
    there: the working database may not exist yet."""
    if kwargs.get("dialect") != "postgresql":
        return None
    from rasa.core.tracker_store import SQLTrackerStore

    return SQLTrackerStore.get_db_url(
        "postgresql",
        kwargs.get("host"),
        kwargs.get("port"),
        kwargs.get("db") or "rasa.db",
        kwargs.get("username"),
        kwargs.get("password"),
        kwargs.get("login_db"),
        kwargs.get("query"),
    )
