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
with neither, Rasa's behaviour is unchanged. Use it in credentials.yml as::

    addons.channels.socketio.SocketIOInput:
      user_message_evt: user_uttered
      bot_message_evt: bot_uttered
      session_persistence: true
"""

from __future__ import annotations

import os
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text, Union

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.socketio import SocketIOInput as RasaSocketIOInput
from sanic import Blueprint


def parse_origins(value: Union[None, Text, List[Text]]) -> List[Text]:
    """``"http://a http://b"`` or ``["http://a"]`` -> origins without trailing slashes."""
    items = value.split() if isinstance(value, str) else list(value or [])
    return [str(item).strip().rstrip("/") for item in items if str(item).strip()]


class SocketIOInput(RasaSocketIOInput):
    """The socket.io channel (same name, events and session handling) plus an Origin check."""

    allowed_origins: List[Text] = []

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        credentials = credentials or {}
        channel = super().from_credentials(credentials)
        configured = credentials.get("cors_allowed_origins", os.environ.get("CORS_ORIGINS"))
        channel.allowed_origins = parse_origins(configured)
        return channel

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        if self.allowed_origins and "*" not in self.allowed_origins:
            engine = self.sio.eio
            engine.cors_allowed_origins = list(self.allowed_origins)
            # The CORS response headers stay sanic-cors's job (`rasa run --cors`): engine.io
            # adding its own would send Access-Control-Allow-Origin twice, which browsers reject.
            engine._cors_headers = lambda environ: []
        return blueprint
