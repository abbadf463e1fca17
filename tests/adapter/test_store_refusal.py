"""An agent given the project's store refuses a turn when the database fails, instead of
Rasa's fail-safe answering from an empty conversation kept in memory only
(addons/tracker_store.py, "no silent fallback"; the cluster tests do it with PostgreSQL)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from rasa.core.agent import Agent
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered

from addons.tracker_store import ConversationStore, StoreUnavailable


async def test_a_failing_database_refuses_the_turn_and_keeps_nothing_in_memory(tmp_path):
    store = ConversationStore(domain=Domain.empty(), dialect="sqlite", db=str(tmp_path / "tracker.db"))
    agent = Agent(domain=Domain.empty(), tracker_store=store)
    tracker = await agent.tracker_store.get_or_create_tracker("person")
    tracker.update(UserUttered("my back hurts"))
    await agent.tracker_store.save(tracker)
    assert [e.text for e in (await agent.tracker_store.retrieve("person")).events if isinstance(e, UserUttered)] == [
        "my back hurts"
    ]

    with store.engine.begin() as connection:  # the database loses its table: every query fails
        connection.execute(sa.text("DROP TABLE events"))
    with pytest.raises(StoreUnavailable):
        await agent.tracker_store.retrieve("person")
    with pytest.raises(StoreUnavailable):
        await agent.tracker_store.get_or_create_tracker("someone else")
    tracker.update(UserUttered("and my leg"))
    with pytest.raises(StoreUnavailable):
        await agent.tracker_store.save(tracker)
    assert agent.tracker_store._fallback_tracker_store is None  # no copy of the turn in memory


def test_other_stores_keep_rasas_fail_safe():
    store = InMemoryTrackerStore(Domain.empty())
    ConversationStore(domain=Domain.empty(), dialect="sqlite", db=":memory:")  # installs the hook
    agent = Agent(domain=Domain.empty(), tracker_store=store)
    assert agent.tracker_store._tracker_store is store and agent.tracker_store._on_tracker_store_error is None


async def test_a_feed_that_fails_after_the_turn_is_stored_does_not_refuse_the_turn(tmp_path):
    """The console's feed is written after the store's commit (another database): if it fails
    then, the turn stands (refusing it would have the person send again a message already kept)."""
    from addons.event_feed import RedactingSQLEventBroker
    from addons.metrics import _metrics

    feed = RedactingSQLEventBroker(dialect="sqlite", db=str(tmp_path / "events.db"))
    store = ConversationStore(
        domain=Domain.empty(), dialect="sqlite", db=str(tmp_path / "tracker.db"), event_broker=feed
    )
    tracker = await store.get_or_create_tracker("person")
    tracker.update(UserUttered("my back hurts"))
    await store.save(tracker)
    with feed.engine.begin() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM events")).scalar() > 0
        connection.execute(sa.text("DROP TABLE events"))  # the feed's database fails from now on
    errors_before = _metrics().feed_errors._value.get()

    tracker.update(UserUttered("and my leg"))
    await store.save(tracker)

    stored = [e.text for e in (await store.retrieve("person")).events if isinstance(e, UserUttered)]
    assert stored == ["my back hurts", "and my leg"]
    assert _metrics().feed_errors._value.get() == errors_before + 1
