"""Check-ins kept outside the Rasa process's memory and delivered exactly once (issue 29).

Rasa's reminders (``ReminderScheduled``) live in APScheduler's memory: a restart loses them
and they fire on the replica that set them. Here a check-in is a row of the ``checkins``
table, in the conversation store's own database (SQLite ``var/tracker.db``, PostgreSQL in
the cluster):

- **written with the turn** that said yes (``checkin_consent`` set to true), in the same
  transaction as the turn's events (``ConversationStore.save`` calls ``record``): keyed by
  the conversation's store key (``recipient``) and the channel the person used, due
  ``CHECKIN_DELAY`` seconds later. At most one pending per conversation;
- **removed** when the person says "stop check-ins" (``checkin_consent`` false), after an
  emergency instruction or the crisis reply, and with the conversation (deletion, retention);
- **delivered** by ``CheckinsInput``, listed in credentials.yml like a channel so that it
  runs inside every Rasa server: every ``poll`` seconds it claims the due rows one by one
  with ``UPDATE ... WHERE state = 'pending'`` (only one replica's update succeeds), then,
  under the conversation's lock, triggers the intent ``EXTERNAL_checkin`` on the output
  channel of the channel the person used (Rasa's own ``trigger_intent`` path). The screen
  (bot/turn.py) asks the check-in question and reads the reply (bot/checkins.py).

socket.io: the question goes to the session's room; in the cluster python-socketio's Redis
manager (``SOCKETIO_REDIS_URL``, addons/channels/socketio.py) carries it to the replica that
holds the socket. A widget that was closed gets the question on its next visit while it is
unanswered (``unanswered_question``). The REST channel cannot be sent to: the question is in
the conversation, and the next REST message is read as its reply.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import time
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

import sqlalchemy as sa
from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, OutputChannel, UserMessage
from rasa.shared.core.events import Event, SlotSet
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import checkins
from bot.contract import CHECKIN_CONSENT, RED_FLAGS, TRIAGE_LEVEL
from bot.settings import get_settings

logger = logging.getLogger(__name__)

PENDING, SENT = "pending", "sent"
DEFAULT_POLL_SECONDS = 2.0
BATCH = 50

METADATA = sa.MetaData()
CHECKINS = sa.Table(
    "checkins",
    METADATA,
    sa.Column("id", sa.Integer, sa.Sequence("checkins_id_seq"), primary_key=True),
    sa.Column("recipient", sa.String(255), nullable=False, index=True),  # the conversation's store key
    sa.Column("channel", sa.String(64), nullable=True),  # the input channel the person used
    sa.Column("due_at", sa.Float, nullable=False, index=True),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("sent_at", sa.Float, nullable=True),
    sa.Column("sent_by", sa.String(128), nullable=True),
)
# The slots whose change may start or end a check-in.
WATCHED = frozenset({CHECKIN_CONSENT, TRIAGE_LEVEL, RED_FLAGS})


def create_table(engine: Any) -> None:
    METADATA.create_all(engine, tables=[CHECKINS])


def address(recipient: Text, channel: Optional[Text]) -> Text:
    """The id a channel sends to, from a store key: ``<channel>:<id>`` keys (docs/security.md)
    give the id after the prefix; a plain key is the id itself."""
    prefix = f"{channel}:" if channel else None
    return recipient[len(prefix) :] if prefix and recipient.startswith(prefix) else recipient


def record(
    connection: Any, recipient: Text, channel: Optional[Text], new_events: List[Event], slots: Dict[Text, Any]
) -> None:
    """Called with the turn's events before they are committed: a yes schedules the
    check-in (replacing any pending one); "stop check-ins", an emergency instruction or the
    crisis reply removes it."""
    changed = [e for e in new_events if isinstance(e, SlotSet) and e.key in WATCHED]
    if not changed:
        return
    said_yes = any(e.key == CHECKIN_CONSENT and e.value is True for e in changed)
    pending = CHECKINS.c.state == PENDING
    if said_yes or not checkins.may_check_in(slots):
        connection.execute(CHECKINS.delete().where(CHECKINS.c.recipient == recipient, pending))
    if said_yes and checkins.may_check_in(slots):
        now = time.time()
        connection.execute(
            CHECKINS.insert().values(
                recipient=recipient,
                channel=channel,
                due_at=now + get_settings().checkin_delay,
                state=PENDING,
                created_at=now,
            )
        )


def forget(connection: Any, recipients: List[Text]) -> None:
    """The conversations were deleted: their check-ins go with them."""
    if recipients:
        connection.execute(CHECKINS.delete().where(CHECKINS.c.recipient.in_(recipients)))


@dataclass(frozen=True)
class Due:
    id: int
    recipient: Text
    channel: Optional[Text]


def claim_due(engine: Any, worker: Text, now: Optional[float] = None) -> List[Due]:
    """The due check-ins this worker claimed: each row is claimed by exactly one worker
    (an update that finds it no longer pending changes nothing)."""
    now = time.time() if now is None else now
    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(CHECKINS.c.id, CHECKINS.c.recipient, CHECKINS.c.channel)
            .where(CHECKINS.c.state == PENDING, CHECKINS.c.due_at <= now)
            .order_by(CHECKINS.c.due_at)
            .limit(BATCH)
        ).all()
    claimed: List[Due] = []
    for row in rows:
        with engine.begin() as connection:
            result = connection.execute(
                CHECKINS.update()
                .where(CHECKINS.c.id == row.id, CHECKINS.c.state == PENDING)
                .values(state=SENT, sent_at=now, sent_by=worker)
            )
        if result.rowcount == 1:
            claimed.append(Due(row.id, row.recipient, row.channel))
    return claimed


def was_sent(engine: Any, recipient: Text) -> bool:
    with engine.connect() as connection:
        return (
            connection.execute(
                sa.select(CHECKINS.c.id).where(CHECKINS.c.recipient == recipient, CHECKINS.c.state == SENT).limit(1)
            ).first()
            is not None
        )


def conversation_store(agent: Any) -> Any:
    from addons.tracker_store import ConversationStore

    store = getattr(agent, "tracker_store", None)
    store = getattr(store, "_tracker_store", store)  # Rasa wraps stores in a FailSafeTrackerStore
    return store if isinstance(store, ConversationStore) else None


def output_channel(app: Sanic, channel: Optional[Text]) -> OutputChannel:
    """The output channel of the input channel the person used, as Rasa's HTTP API finds it
    for ``output_channel=latest``; a collecting one when it has none (REST)."""
    for input_channel in getattr(app.ctx, "input_channels", None) or []:
        if input_channel.name() == channel:
            found = input_channel.get_output_channel()
            if found is not None:
                return found
    return CollectingOutputChannel()


async def deliver(app: Sanic, agent: Any, due: Due) -> None:
    """The check-in's turn: the intent EXTERNAL_checkin, under the conversation's lock."""
    output = output_channel(app, due.channel)
    async with agent.lock_store.lock(due.recipient):
        tracker = await agent.processor.fetch_tracker_and_update_session(due.recipient, output)
        if not checkins.may_check_in(tracker.current_slot_values()):
            return  # stopped, or an emergency, after the row was claimed
        await agent.processor.trigger_external_user_uttered(checkins.CHECKIN_INTENT, {}, tracker, output)


def worker_name() -> Text:
    return f"{socket.gethostname()}:{os.getpid()}"


async def poll_once(app: Sanic, worker: Text) -> int:
    agent = getattr(app.ctx, "agent", None)
    store = conversation_store(agent) if agent is not None and agent.is_ready() else None
    if store is None:
        return 0
    delivered = 0
    for due in claim_due(store.engine, worker):
        try:
            await deliver(app, agent, due)
            delivered += 1
        except Exception:  # the row stays sent: never twice, and logged for the operator
            logger.exception("Could not deliver a check-in (row %s).", due.id)
    return delivered


class CheckinsInput(InputChannel):
    """Not a channel people talk to: the check-in poller, run inside each Rasa server.

    credentials.yml::

        addons.checkins.CheckinsInput:
          poll: 2   # seconds between looks at the table (a check-in goes out within it)
    """

    def __init__(self, poll: float = DEFAULT_POLL_SECONDS) -> None:
        self.poll = poll
        self._task: Optional[asyncio.Task] = None

    @classmethod
    def name(cls) -> Text:
        return "checkins"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        poll = float((credentials or {}).get("poll") or os.environ.get("CHECKIN_POLL") or DEFAULT_POLL_SECONDS)
        return cls(poll if poll > 0 else DEFAULT_POLL_SECONDS)

    def get_output_channel(self) -> Optional[OutputChannel]:
        return None

    async def _run(self, app: Sanic) -> None:
        worker = worker_name()
        while True:
            try:
                await poll_once(app, worker)
            except asyncio.CancelledError:
                raise
            except Exception:  # the database away: try again at the next poll
                logger.exception("The check-in poller could not read the table.")
            await asyncio.sleep(self.poll)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = Blueprint("checkins_poller", __name__)

        @blueprint.listener("after_server_start")
        async def start(app: Sanic, _loop: Any) -> None:
            if get_settings().checkins:
                self._task = asyncio.ensure_future(self._run(app))

        @blueprint.listener("before_server_stop")
        async def stop(_app: Sanic, _loop: Any) -> None:
            if self._task is not None:
                self._task.cancel()

        @blueprint.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok", "polling": self._task is not None and not self._task.done()})

        return blueprint
