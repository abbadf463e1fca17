"""Conversation keys by channel: a REST caller can never reach another channel's conversation.

Rasa's tracker store has one id space (``sender_id``) and no channel column, and the ids of
the other channels are not secret (a Telegram chat id, a Slack user id, a Messenger page-
scoped id; a socket.io session id is secret but lives in the browser). So:

- the conversations of socket.io, Telegram, Slack and Messenger are stored under
  ``<channel>:<platform id>`` (``store_key``): ``socketio:3f2a...``, ``telegram:12345``;
  ``guarded`` (addons/guard.py) puts the prefix on every message those channels pass on,
  and their output channels take it off again before calling the platform
  (``PlatformRecipient``);
- REST ids are stored as given, but may not start with one of those prefixes nor hold a
  colon, whitespace, a percent sign or any non-ASCII character (``sender_problem``: no
  look-alike of a prefixed key), and must be unguessable (``strong_rest_id``: the whole id
  is 32 hex digits, a UUID or 22+ random base64url characters) unless the request carries
  the HTTP API token (addons/auth.py);
- conversations stored before this existed are moved to their prefixed key once, when the
  store starts (``migrate``), by the channel their messages came in on.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import re
from typing import Any, Dict, Optional, Text

logger = logging.getLogger(__name__)

PREFIXED_CHANNELS = ("socketio", "telegram", "slack", "facebook")
_PREFIXES = tuple(f"{channel}:" for channel in PREFIXED_CHANNELS)

_HEX_128 = re.compile(r"[0-9a-fA-F]{32}")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_BASE64URL = re.compile(r"[A-Za-z0-9_-]{22,}")
MIN_DISTINCT_HEX = 8  # a random 32-digit hex id has about 14 distinct digits; "0000..." has 1
MIN_DISTINCT = 12  # a random 22-character base64url id has about 19 distinct characters


def _random_looking(run: str) -> bool:
    # Random base64url has both cases (all but ~1 in 100,000 ids of 22 characters); readable
    # names ("load-test-conversation-1") rarely do and have few distinct characters.
    return len(set(run)) >= MIN_DISTINCT and any(c.isupper() for c in run) and any(c.islower() for c in run)


def store_key(channel: Optional[Text], platform_id: Text) -> Text:
    """The tracker store's key of a conversation of ``channel`` with this platform id."""
    if channel in PREFIXED_CHANNELS and not platform_id.startswith(f"{channel}:"):
        return f"{channel}:{platform_id}"
    return platform_id


def platform_id(key: Text) -> Text:
    """The platform's own id of a stored conversation (the key without its channel prefix)."""
    for prefix in _PREFIXES:
        if key.startswith(prefix):
            return key[len(prefix) :]
    return key


def reserved(sender_id: Text) -> bool:
    """True for an id in another channel's key space (refused on REST), in any case."""
    return sender_id.strip().lower().startswith(_PREFIXES)


# A colon or anything like one (a fullwidth or other non-ASCII look-alike), whitespace, a
# percent-escape: refused on REST even with the API token, so no REST id resembles a key.
_FORBIDDEN_IN_SENDER = re.compile(r"[:%\s]|[^\x21-\x7e]")


def sender_problem(sender_id: Text) -> Optional[Text]:
    """Why a REST sender id is refused whoever sends it, or None."""
    if reserved(sender_id):
        return "'sender' may not start with another channel's prefix (socketio:, telegram:, slack:, facebook:)."
    if _FORBIDDEN_IN_SENDER.search(sender_id):
        return "'sender' may hold only printable ASCII characters, without ':', '%' or spaces."
    return None


def _patterned(run: str) -> bool:
    """True for an id made by a person or a counter rather than a random generator: it repeats
    itself ("deadbeefdeadbeef...", "1234-1234-1234") or counts ("0123456789abcdef").

    In a random id of n characters almost every 3-character window is new (a repeat among 30
    windows of 4,096 possible hex trigrams is ~10% likely; a quarter of them, never), and a
    step of exactly one to the next character happens about n/9 times in hex (half the id
    is ~7 standard deviations out; a counting id steps on most characters)."""
    windows = [run[i : i + 3] for i in range(len(run) - 2)]
    repeats = len(windows) - len(set(windows))
    steps = sum(1 for a, b in zip(run, run[1:], strict=False) if abs(ord(a) - ord(b)) == 1)
    return repeats > len(windows) // 4 or steps > len(run) // 2


def _encodes_text(run: str) -> bool:
    """True for base64url of readable text ("cGF0aWVudF8w..." is "patient_0..."): random bytes
    are printable ASCII only one time in ~4 each, all of 16 of them about never."""
    padded = run + "=" * (-len(run) % 4)
    try:
        data = base64.urlsafe_b64decode(padded)
    except (ValueError, binascii.Error):
        return False
    printable = sum(32 <= byte < 127 for byte in data)
    return bool(data) and printable >= 0.9 * len(data)


def strong_rest_id(sender_id: Text) -> bool:
    """At least 128 bits, the whole id: 32 hex digits (or a UUID), or 22+ base64url characters
    that look random. An id that merely contains such a run, or that repeats itself or counts
    (``_patterned``), is not one."""
    if _HEX_128.fullmatch(sender_id) or _UUID.fullmatch(sender_id):
        digits = sender_id.lower().replace("-", "")
        return len(set(digits)) >= MIN_DISTINCT_HEX and not _patterned(digits)
    return (
        bool(_BASE64URL.fullmatch(sender_id))
        and _random_looking(sender_id)
        and not _patterned(sender_id)
        and not _encodes_text(sender_id)
    )


class PlatformRecipient:
    """Mixed in before a Rasa output channel: Rasa sends to the tracker's key, the platform
    needs its own id (idempotent, so nested calls are safe)."""

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        await super().send_response(platform_id(recipient_id), message)  # type: ignore[misc]

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await super().send_text_message(platform_id(recipient_id), text, **kwargs)  # type: ignore[misc]


def _channel_of(data: Text) -> Optional[Text]:
    try:
        channel = json.loads(data).get("input_channel")
    except (ValueError, AttributeError):
        return None
    return channel if channel in PREFIXED_CHANNELS else None


def migrate(session: Any, table: Any) -> int:
    """Moves conversations stored under a platform's bare id to their channel key; returns how many.

    A conversation's channel is the ``input_channel`` of its first user message; REST
    conversations (and any without a message) stay as they are. Idempotent."""
    import sqlalchemy as sa

    unprefixed = sa.and_(*[sa.not_(table.c.sender_id.startswith(prefix)) for prefix in _PREFIXES])
    first_user = (
        sa.select(table.c.sender_id, sa.func.min(table.c.id).label("first"))
        .where(table.c.type_name == "user", unprefixed)
        .group_by(table.c.sender_id)
        .subquery()
    )
    rows = session.execute(
        sa.select(first_user.c.sender_id, table.c.data).join(table, table.c.id == first_user.c.first)
    ).all()
    moved = 0
    for sender_id, data in rows:
        channel = _channel_of(data)
        if channel is None:
            continue
        session.execute(
            sa.update(table).where(table.c.sender_id == sender_id).values(sender_id=store_key(channel, sender_id))
        )
        moved += 1
    if moved:
        logger.info("Moved %d stored conversation(s) to their channel's key.", moved)
    return moved
