"""Each bot message's kind goes to the web clients with it, as ``"metadata": {"kind": ...}``.

A response's kind is set in domain.yml (``metadata: {kind: ...}``) or by the action that
sends it (bot/replies.py ``Reply``); Rasa keeps it in the message but its REST and socket.io
outputs drop it. These outputs pass it on, for every part of a message Rasa splits, and only
the kinds of bot/contract.py MESSAGE_KINDS (docs/api.md).

An emergency, urgent or crisis message also carries the number to call, from the settings
(``bot.rendering.call_for``), as ``"metadata": {"kind": ..., "call": {"number": "999",
"label": "Call 999"}}`` (an urgent one with ``"route"``, the same-day alternative), for a
tap-to-call link: Rasa cannot fill a slot into a response's metadata, and the number is
configuration (``EMERGENCY_NUMBER``, ``URGENT_CARE_NUMBER``), not content.

The list of possible causes also carries them as data for cards (``"causes": [...]``), and
the "You told me" summary its statements as a list (``"told": [...]``; bot/replies.py
``data_of``); a client that shows text only ignores them.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.channels.socketio import SocketIOOutput

from addons.channels.keys import PlatformRecipient
from bot.contract import MESSAGE_KINDS
from bot.rendering import call_for


def message_kind(message: Dict[Text, Any]) -> Optional[Text]:
    metadata = message.get("metadata")
    kind = metadata.get("kind") if isinstance(metadata, dict) else None
    return kind if kind in MESSAGE_KINDS else None


# What a message may carry beside its kind: the possible causes as cards, the summary's
# statements as a list (bot/replies.py ``data_of``).
MESSAGE_DATA = ("causes", "told")


def message_data(message: Dict[Text, Any]) -> Dict[Text, List[Any]]:
    metadata = message.get("metadata")
    if not isinstance(metadata, dict):
        return {}
    return {key: metadata[key] for key in MESSAGE_DATA if isinstance(metadata.get(key), list) and metadata[key]}


class _KindMarking:
    _kind: Optional[Text] = None
    _data: Optional[Dict[Text, List[Any]]] = None

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        self._kind = message_kind(message)
        self._data = message_data(message) if self._kind else None
        try:
            await super().send_response(recipient_id, message)  # type: ignore[misc]
        finally:
            self._kind = self._data = None

    def _marked(self, payload: Any) -> Any:
        if self._kind and isinstance(payload, dict):
            return {**payload, "metadata": message_metadata(self._kind, self._data)}
        return payload


def message_metadata(kind: Text, data: Optional[Dict[Text, List[Any]]] = None) -> Dict[Text, Any]:
    """The metadata a message of this kind goes out with: its kind, a number to call, and
    its data (the possible causes as cards, the summary as a list)."""
    metadata: Dict[Text, Any] = {"kind": kind}
    call = call_for(kind)
    if call is not None:
        metadata["call"] = call.as_metadata()
    metadata.update(data or {})
    return metadata


class MarkedCollectingOutputChannel(_KindMarking, CollectingOutputChannel):
    async def _persist_message(self, message: Dict[Text, Any]) -> None:
        await super()._persist_message(self._marked(message))


class MarkedSocketIOOutput(PlatformRecipient, _KindMarking, SocketIOOutput):
    async def _send_message(self, socket_id: Text, response: Any) -> None:
        await super()._send_message(socket_id, self._marked(response))
