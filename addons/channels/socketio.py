"""Rasa's socket.io channel with the browser Origin checked on every socket.io request.

Rasa 3.6 builds its ``socketio.AsyncServer`` with ``cors_allowed_origins=[]``, which tells
python-engineio to skip its Origin check entirely. HTTP long-polling is still covered by
``rasa run --cors`` (sanic-cors adds ``Access-Control-Allow-Origin`` only for the listed
origins), but browsers apply no CORS to WebSockets: any web site could open a socket.io
WebSocket to the assistant and talk to it (docs/widget.md, "CORS").

This subclass gives engine.io the allowed origins, so a request whose ``Origin`` header is
not listed gets "400 Not an accepted origin" (polling and WebSocket alike). Requests with no
``Origin`` header (server-side clients, curl) are not affected. The origins come from the
credentials key ``cors_allowed_origins`` (a list, or a space-separated string) or else from
the ``CORS_ORIGINS`` environment variable that scripts/serve.sh also passes to ``--cors``;
with neither, Rasa's behaviour is unchanged. It also keeps one person's conversation to that person (docs/security.md):

- the session id is the conversation's only credential, so it must be unguessable: a
  ``session_request`` for anything but 32 hex digits (128 random bits, what the widget
  makes with ``crypto.getRandomValues``) gets a new random id from the server instead;
- a socket may only use the session id it was confirmed: Rasa's channel takes the
  ``session_id`` of every ``user_uttered`` at face value, so one socket could write into,
  and receive the replies of, any conversation; here a message naming another session
  is refused;
- conversations are stored under ``socketio:<session id>`` (addons/channels/keys.py), so a
  REST caller given the session id reaches nothing; a frame is at most ``MAX_REQUEST_BYTES``,
  a frame nested too deep closes its socket before it is decoded (``refuse_deep_frames``),
  and metadata too deep or too large is dropped;
- messages go through the channel guard (length, rate limits per session and per client
  address, kind replies; ``addons/guard.py``);
- a message that could not be handled (the conversation store or Redis unreachable) gets
  a kind reply saying to send it again and, for an emergency, which number to call:
  Rasa's channel says nothing at all (socket.io has no status code to carry it);
- ``delete_conversation`` (the widget's "Start over") deletes the socket's conversation
  from the tracker store and answers ``conversation_deleted``;
- a check-in (addons/checkins.py) reaches the session's room from any replica: with
  ``SOCKETIO_REDIS_URL`` set (the cluster), python-socketio's Redis manager carries an emit
  to the replica holding the socket (``LocalFirstRedisManager``: replies stay local); a check-in question still unanswered is sent
  again when the session is confirmed (the widget's next visit).

Use it in credentials.yml as::

    addons.channels.socketio.SocketIOInput:
      user_message_evt: user_uttered
      bot_message_evt: bot_uttered
      session_persistence: true
"""

from __future__ import annotations

import inspect
import logging
import os
import re
import secrets
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text, TypeGuard, Union

from engineio import AsyncServer as EngineIOServer
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage, decode_bearer_token
from rasa.core.channels.socketio import SocketBlueprint
from rasa.core.channels.socketio import SocketIOInput as RasaSocketIOInput
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncRedisManager, AsyncServer

from addons import checkins, patches
from addons.channels.keys import store_key
from addons.channels.kinds import MarkedSocketIOOutput
from addons.channels.pdf import register_summary_pdf
from addons.guard import answering_failures, client_address, guarded, install
from addons.tracker_store import delete_conversation
from bot import checkins as checkin_rules
from bot import safety
from bot.guard import get_limits, json_too_deep, metadata_problem

logger = logging.getLogger(__name__)

SESSION_ID = re.compile(r"[0-9a-f]{32}")
DELETE_EVENT = "delete_conversation"
DELETED_EVENT = "conversation_deleted"


def parse_origins(value: Union[None, Text, List[Text]]) -> List[Text]:
    """``"http://a http://b"`` or ``["http://a"]`` -> origins without trailing slashes."""
    items = value.split() if isinstance(value, str) else list(value or [])
    return [str(item).strip().rstrip("/") for item in items if str(item).strip()]


def accept_only(eio: EngineIOServer, origins: List[Text]) -> None:
    """engine.io's Origin check, on: a request from any other origin gets 400."""
    eio.cors_allowed_origins = list(origins)


def without_engineio_cors_headers(eio: EngineIOServer) -> None:
    """The CORS response headers stay sanic-cors's job (`rasa run --cors`): engine.io adding
    its own would send Access-Control-Allow-Origin twice, which browsers reject."""
    eio._cors_headers = lambda environ: []


def refuse_deep_frames(sio: AsyncServer) -> None:
    """A socket.io frame nested deeper than ``MAX_JSON_DEPTH`` closes its socket before socket.io
    decodes it: over WebSocket nothing else sees the frame first (a polling POST is refused with
    400 by the request guard), and decoding it is a RecursionError in socket.io's handler."""
    dispatch = sio._handle_eio_message

    async def checked(eio_sid: Text, data: Any) -> None:
        if isinstance(data, (str, bytes)) and json_too_deep(data):
            logger.warning("socket.io: closed a socket that sent a frame nested too deep (%d bytes).", len(data))
            await sio.eio.disconnect(eio_sid)
            return
        await dispatch(eio_sid, data)

    sio.eio.handlers["message"] = checked  # what engine.io's on("message") sets


def new_session_id() -> str:
    return secrets.token_hex(16)


def valid_session_id(value: Any) -> TypeGuard[str]:
    return isinstance(value, str) and SESSION_ID.fullmatch(value) is not None


async def _maybe_await(result: Any) -> None:
    if inspect.isawaitable(result):  # python-socketio >= 5.9 made room calls coroutines
        await result


class LocalFirstRedisManager(AsyncRedisManager):
    """python-socketio's Redis manager sends every emit through Redis, even to a socket this
    replica holds, so a Redis outage silenced every reply, the emergency instruction included.
    An emit to a room with a socket here is delivered here; only one with none here (a check-in
    claimed by another replica's poller) goes through Redis. A session open in two tabs on two
    replicas gets a reply in the tab that asked, as without Redis."""

    async def emit(
        self,
        event: Text,
        data: Any,
        namespace: Optional[Text] = None,
        room: Optional[Text] = None,
        skip_sid: Any = None,
        callback: Any = None,
        **kwargs: Any,
    ) -> Any:
        if callback is None and room is not None and self.rooms.get(namespace or "/", {}).get(room):
            kwargs["ignore_queue"] = True
        return await super().emit(
            event, data, namespace=namespace, room=room, skip_sid=skip_sid, callback=callback, **kwargs
        )


class SocketIOInput(RasaSocketIOInput):
    """The socket.io channel (same name, events and session handling) plus an Origin check,
    sessions bound to sockets, and the channel guard."""

    allowed_origins: List[Text] = []

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        credentials = credentials or {}
        channel = super().from_credentials(credentials)
        configured = credentials.get("cors_allowed_origins", os.environ.get("CORS_ORIGINS"))
        channel.allowed_origins = parse_origins(configured)
        return channel

    def get_output_channel(self) -> Optional[OutputChannel]:
        # What a check-in is sent through (addons/checkins.py): Rasa's would drop the kinds.
        sio = getattr(self, "sio", None)
        return MarkedSocketIOOutput(sio, self.bot_message_evt) if sio is not None else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        # A frame is capped like an HTTP body (a long message still gets the kind "too long" reply).
        redis_url = os.environ.get("SOCKETIO_REDIS_URL", "").strip()
        manager = LocalFirstRedisManager(redis_url, channel="backpain-socketio") if redis_url else None
        sio = AsyncServer(
            async_mode="sanic",
            cors_allowed_origins=[],
            client_manager=manager,
            max_http_buffer_size=get_limits().max_request_bytes,
        )
        patches.install("socketio.asyncio_server.AsyncServer._handle_eio_message", sio)
        if self.allowed_origins and "*" not in self.allowed_origins:
            # Both checked first against the engine.io they were written for (addons/patches.py).
            patches.install("engineio.base_server.BaseServer.cors_allowed_origins", sio.eio, self.allowed_origins)
            patches.install("engineio.base_server.BaseServer._cors_headers", sio.eio)
        blueprint = SocketBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)
        self.sio = sio
        sessions: Dict[Text, Text] = {}  # socket id -> the session id it was confirmed
        addresses: Dict[Text, Text] = {}  # socket id -> client address
        state: Dict[Text, Any] = {}

        @blueprint.listener("before_server_start")
        async def remember_app(app: Sanic, _loop: Any) -> None:
            install(app)
            state["app"] = app

        @blueprint.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        self._connection_handlers(sio, sessions, addresses, state)
        self._message_handlers(sio, on_new_message, sessions, addresses, state)
        register_summary_pdf(sio, self.namespace, sessions, state)  # "Download PDF" (addons/channels/pdf.py)
        return blueprint

    def _connection_handlers(
        self, sio: AsyncServer, sessions: Dict[Text, Text], addresses: Dict[Text, Text], state: Dict[Text, Any]
    ) -> None:
        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: Text, environ: Dict, auth: Optional[Dict]) -> bool:
            request = environ.get("sanic.request")
            if request is not None:
                addresses[sid] = client_address(request)
            if self.jwt_key:
                token = auth.get("token") if isinstance(auth, dict) else None
                return bool(token and decode_bearer_token(token, self.jwt_key, self.jwt_algorithm))
            return True

        @sio.on("disconnect", namespace=self.namespace)
        async def disconnect(sid: Text) -> None:
            sessions.pop(sid, None)
            addresses.pop(sid, None)

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: Text, data: Any = None) -> None:
            requested = data.get("session_id") if isinstance(data, dict) else None
            session_id = requested if valid_session_id(requested) else new_session_id()
            previous = sessions.get(sid)
            if previous and previous != session_id:
                await _maybe_await(sio.leave_room(sid, previous, namespace=self.namespace))
            sessions[sid] = session_id
            if self.session_persistence:
                await _maybe_await(sio.enter_room(sid, session_id, namespace=self.namespace))
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)
            if requested == session_id:
                await self._unanswered_checkin(sio, sid, session_id, state)

    async def _unanswered_checkin(self, sio: AsyncServer, sid: Text, session_id: Text, state: Dict[Text, Any]) -> None:
        """A check-in sent while the widget was closed: asked again on its next visit."""
        app = state.get("app")
        agent = getattr(getattr(app, "ctx", None), "agent", None) if app else None
        store = checkins.conversation_store(agent) if agent is not None else None
        key = store_key(self.name(), session_id)  # check-ins and trackers are kept under the store key
        try:
            if store is None or not checkins.was_sent(store.engine, key):
                return
            tracker = await store.retrieve(key)
            if tracker is None or not checkin_rules.awaiting_reply(tracker.current_slot_values()):
                return
        except Exception:  # the store away: the question waits for the next visit
            logger.exception("socket.io: could not look for an unanswered check-in.")
            return
        text = safety.dialogue("checkin_question")
        await sio.emit(self.bot_message_evt, {"text": text}, room=sid, namespace=self.namespace)

    def _message_handlers(
        self,
        sio: AsyncServer,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        sessions: Dict[Text, Text],
        addresses: Dict[Text, Text],
        state: Dict[Text, Any],
    ) -> None:
        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: Text, data: Any = None) -> None:
            output_channel = MarkedSocketIOOutput(sio, self.bot_message_evt)
            if not isinstance(data, dict):
                return
            if self.session_persistence:
                sender_id = sessions.get(sid)
                if sender_id is None or data.get("session_id") not in (None, sender_id):
                    logger.warning("socket.io: refused a message for a session this socket was not confirmed.")
                    return
            else:
                sender_id = sid
            metadata = data.get(self.metadata_key)
            if not isinstance(metadata, dict) or metadata_problem(metadata):
                if metadata is not None:
                    logger.warning("socket.io: dropped a message's metadata (not an object, too deep or too large).")
                metadata = None
            message = UserMessage(
                data.get("message") if isinstance(data.get("message"), str) else "",
                output_channel,
                sender_id,
                input_channel=self.name(),
                metadata=metadata,
            )
            await answering_failures(guarded(on_new_message, addresses.get(sid)), "socket.io")(message)

        @sio.on(DELETE_EVENT, namespace=self.namespace)
        async def delete(sid: Text, _data: Any = None) -> None:
            sender_id = sessions.get(sid)
            app = state.get("app")
            agent = getattr(getattr(app, "ctx", None), "agent", None) if app else None
            deleted = False
            if sender_id and agent is not None:
                try:
                    deleted = await delete_conversation(agent, store_key(self.name(), sender_id))
                except Exception:  # a store down: say so ("deleted": false) rather than nothing
                    logger.exception("socket.io: could not delete a conversation.")
            if sender_id:
                await _maybe_await(sio.leave_room(sid, sender_id, namespace=self.namespace))
                if sessions.get(sid) == sender_id:  # not a session the socket joined meanwhile
                    sessions.pop(sid, None)
            await sio.emit(DELETED_EVENT, {"deleted": deleted}, room=sid, namespace=self.namespace)
