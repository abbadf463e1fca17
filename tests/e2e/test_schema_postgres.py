"""Replicas starting together on one PostgreSQL (addons/schema.py): each creates the tables and
indexes it needs at start, and none may fail because another was creating the same ones (this
stopped a replica of `make cluster`: a duplicate ``ix_events_sender_id``)."""

from __future__ import annotations

import functools
import threading
import uuid
from typing import Any, Callable, List

import pytest
import sqlalchemy as sa

from addons.event_feed import RedactingSQLEventBroker
from addons.schema import schema_lock
from addons.tracker_store import ConversationStore
from tests.e2e.test_handoff_postgres import postgres  # noqa: F401  (the fixture: a throwaway server)

pytestmark = pytest.mark.e2e


def settings(url: str, db: str) -> dict:
    parsed = sa.engine.make_url(url)
    return {"dialect": "postgresql", "host": parsed.host, "port": parsed.port, "db": db, "username": parsed.username}


def fresh_database(url: str) -> str:
    name = f"race_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return name


def started_together(makers: List[Callable[[], Any]]) -> List[BaseException]:
    barrier = threading.Barrier(len(makers))
    errors: List[BaseException] = []

    def start(make: Callable[[], Any]) -> None:
        barrier.wait()
        try:
            make()
        except BaseException as error:  # noqa: BLE001  (each replica's failure is the finding)
            errors.append(error)

    threads = [threading.Thread(target=start, args=(make,)) for make in makers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return errors


def test_replicas_starting_together_each_create_the_store_and_the_feed(postgres):  # noqa: F811
    for _round in range(3):
        store_db, feed_db = fresh_database(postgres), fresh_database(postgres)
        makers: List[Callable[[], Any]] = []
        for _replica in range(4):
            makers.append(functools.partial(ConversationStore, **settings(postgres, store_db)))
            makers.append(functools.partial(RedactingSQLEventBroker, **settings(postgres, feed_db)))
        assert started_together(makers) == []
        store_tables = sa.inspect(sa.create_engine(postgres.rsplit("/", 1)[0] + f"/{store_db}")).get_table_names()
        assert {"events", "checkins"} <= set(store_tables)
        feed = sa.inspect(sa.create_engine(postgres.rsplit("/", 1)[0] + f"/{feed_db}"))
        assert "ix_events_sender_id" in {index["name"] for index in feed.get_indexes("events")}


def test_a_replica_waits_while_another_creates(postgres):  # noqa: F811
    db = fresh_database(postgres)
    done = threading.Event()
    with schema_lock(postgres.rsplit("/", 1)[0] + f"/{db}"):
        thread = threading.Thread(target=lambda: (ConversationStore(**settings(postgres, db)), done.set()))
        thread.start()
        assert not done.wait(3), "the store created its tables while another replica held the lock"
    thread.join(60)
    assert done.is_set()
