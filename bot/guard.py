"""What every channel checks before a message reaches the assistant (pure Python).

- ``clean_text`` makes any text safe to process and store: control characters and
  lone surrogates (from invalid UTF-8 or JSON escapes) go, Unicode is normalised.
- ``check_text`` decides whether a message goes to the assistant at all: too long,
  empty, or in a script the assistant cannot read get a kind reply instead (nothing
  is stored, so the conversation loses nothing).
- ``RateLimiter`` counts messages per key (sender, client address) in fixed windows.
- ``RecentIds`` remembers webhook delivery ids so a retried delivery is processed once.

Limits come from the environment (docs/security.md lists them with their defaults).
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass
from typing import Callable, Optional, Tuple

from bot.settings import get_settings


def _int_env(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, "").strip() or default)
    except ValueError:
        return default


def _rate_env(name: str, default: str) -> Tuple[int, float]:
    """``"20/60"`` -> (20 messages, per 60 seconds); ``0`` switches the limit off."""
    value = (os.environ.get(name) or default).strip()
    count, _, seconds = value.partition("/")
    try:
        return max(0, int(count)), float(seconds or 60)
    except ValueError:
        count, _, seconds = default.partition("/")
        return int(count), float(seconds)


@dataclass(frozen=True)
class Limits:
    max_message_chars: int
    max_sender_chars: int
    max_request_bytes: int
    per_sender: Tuple[int, float]
    per_address: Tuple[int, float]


def get_limits() -> Limits:
    return Limits(
        max_message_chars=_int_env("MAX_MESSAGE_CHARS", 2000),
        max_sender_chars=_int_env("MAX_SENDER_ID_CHARS", 128),
        max_request_bytes=_int_env("MAX_REQUEST_BYTES", 1_000_000),
        per_sender=_rate_env("RATE_LIMIT_PER_SENDER", "30/60"),
        per_address=_rate_env("RATE_LIMIT_PER_ADDRESS", "120/60"),
    )


# ------------------------------------------------------------------ replies


def too_long_reply(limit: int) -> str:
    return (
        f"Sorry, that message is too long for me: I can read up to {limit:,} characters at a time. "
        "Could you send it in shorter parts, or tell me the main thing that's bothering you? " + _urgent_line()
    )


def empty_reply() -> str:
    return "I didn't get any words there. Tell me where it hurts, or say hello to start."


def english_only_reply() -> str:
    return "Sorry, I can only understand English for now. If you can, please write to me in English. " + _urgent_line()


def too_fast_reply() -> str:
    return (
        "You're sending messages faster than I can read them. Please wait a few seconds and try again. "
        + _urgent_line()
    )


def unavailable_reply() -> str:
    """When the conversation store cannot be reached: the message was not taken, so ask for it again."""
    return (
        "Sorry, I'm temporarily unavailable and couldn't take that message. Please send it again in a minute; "
        "nothing you told me before is lost. " + _urgent_line()
    )


def _urgent_line() -> str:
    settings = get_settings()
    return (
        f"If you feel very unwell or it's an emergency, call {settings.emergency_number} now; "
        f"for urgent advice contact {settings.urgent_care_contact}."
    )


# ------------------------------------------------------------------ text checks

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def clean_text(text: str) -> str:
    """The text without control and bidi-override characters or lone surrogates, NFC."""
    text = text.encode("utf-8", errors="replace").decode("utf-8")
    text = _CONTROL.sub(" ", text)
    return unicodedata.normalize("NFC", text).strip()


def mostly_unreadable_script(text: str) -> bool:
    """Whether most letters are in a script other than Latin (Cyrillic, Arabic, CJK...):
    the assistant's language understanding is English only."""
    letters = [char for char in text if char.isalpha()]
    if len(letters) < 2:
        return False
    latin = sum(1 for char in letters if unicodedata.name(char, "").startswith("LATIN"))
    return latin / len(letters) < 0.5


@dataclass(frozen=True)
class Verdict:
    """``text`` to hand on, or ``reply`` to send instead (and nothing handed on)."""

    text: str = ""
    reply: Optional[str] = None
    reason: str = "ok"


def check_text(raw: object, limits: Optional[Limits] = None) -> Verdict:
    limits = limits or get_limits()
    if not isinstance(raw, str):
        return Verdict(reply=empty_reply(), reason="not text")
    # The length is checked before any other work, on the raw text: a huge message costs nothing.
    if len(raw) > limits.max_message_chars:
        return Verdict(reply=too_long_reply(limits.max_message_chars), reason="too long")
    text = clean_text(raw)
    if not text:
        return Verdict(reply=empty_reply(), reason="empty")
    if mostly_unreadable_script(text):
        return Verdict(reply=english_only_reply(), reason="not english")
    return Verdict(text=text)


# ------------------------------------------------------------------ rate limits


class RateLimiter:
    """At most ``count`` hits per key in each ``seconds``-long window (fixed windows).

    Memory stays bounded: at most ``max_keys`` keys, the least recently seen dropped
    first. ``count == 0`` switches the limit off."""

    def __init__(
        self, count: int, seconds: float, max_keys: int = 100_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.count, self.seconds, self.max_keys, self.clock = count, seconds, max_keys, clock
        self._windows: "OrderedDict[str, Tuple[float, int]]" = OrderedDict()
        self._lock = threading.Lock()

    def hit(self, key: str) -> Tuple[bool, bool]:
        """(allowed, first refusal in this window): tell the person once, then stay quiet."""
        if not self.count:
            return True, False
        now = self.clock()
        with self._lock:
            start, hits = self._windows.pop(key, (now, 0))
            if now - start >= self.seconds:
                start, hits = now, 0
            hits += 1
            self._windows[key] = (start, hits)
            while len(self._windows) > self.max_keys:
                self._windows.popitem(last=False)
        return hits <= self.count, hits == self.count + 1

    def retry_after(self, key: str) -> int:
        start, _ = self._windows.get(key, (self.clock(), 0))
        return max(1, int(self.seconds - (self.clock() - start)) + 1)


class RecentIds:
    """Ids seen in the last ``ttl`` seconds (at most ``max_ids``): a webhook delivery
    that comes again (a platform's retry, or a replay) is recognised and skipped."""

    def __init__(self, ttl: float = 3600, max_ids: int = 50_000, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl, self.max_ids, self.clock = ttl, max_ids, clock
        self._seen: "OrderedDict[str, float]" = OrderedDict()
        self._lock = threading.Lock()

    def seen_before(self, delivery_id: object) -> bool:
        """True if this id came already; records it otherwise. ``None``/empty ids are never duplicates."""
        if delivery_id is None or delivery_id == "":
            return False
        key, now = str(delivery_id), self.clock()
        with self._lock:
            while self._seen:
                oldest, at = next(iter(self._seen.items()))
                if now - at < self.ttl and len(self._seen) < self.max_ids:
                    break
                self._seen.popitem(last=False)
            if key in self._seen:
                return True
            self._seen[key] = now
        return False


# Deleting a conversation cannot be undone: the classifier's guess is not enough, the words
# must ask for it ("can you remind me to take my tablets?" was once taken for a deletion).
DELETION_WORDS = re.compile(
    r"\b(delete[sd]?|deleting|erased?|erasing|remove[sd]?|removing|forget (me|it|this|that|everything|all|what|my)|"
    r"wipe[sd]?|wiping|destroy|get rid of|scrub|scrap|(right|want|like) to be forgotten|"
    r"clear (it|this|that|everything|all|my|the|our)( (chat|conversation|data|history|messages|details|record))?\b|"
    r"bin (it|this|that|everything|my)|throw away|(don't|dont|do not) (keep|store|save) (any|this|that|it|my|what))\b",
    re.I,
)
# "Please don't forget what I told you", "I didn't ask you to delete anything" (usability review 6:
# both deleted the conversation).
DELETION_DENIED = re.compile(
    r"\b(don'?t|do not|didn'?t|did not|never|not|no need to|without)( \w+){0,4} "
    r"(delete|erase|remove|forget|wipe|clear|destroy|bin|throw)",
    re.I,
)


def asks_for_deletion(text: str) -> bool:
    text = text or ""
    return bool(DELETION_WORDS.search(text)) and not DELETION_DENIED.search(text)


# The summary likewise, when asked for in words ("yo pulled summat in my back at the gym" was
# once taken for a request for the summary: set 7).
SUMMARY_WORDS = re.compile(
    r"\b(summar\w*|sumary|recap|cop(y|ies)|print\w*|pdf|download\w*|save|report|record|notes?|letter|"
    r"e-?mail|send (it|me|this|that)|write[- ]?(it |that |this |it all |all this )?(up|down)|"
    r"remind me|one message|(what|everything) i('ve| have)? (told|said|say)|"
    r"(what|everything) (you|we) (talked|spoke|discussed|went through)|go(ne)? over|list|overview|show (me )?(it|that|what))\b",
    re.I,
)


def asks_for_summary(text: str) -> bool:
    return bool(SUMMARY_WORDS.search(text or ""))


# ------------------------------------------------------------------ nesting and metadata

MAX_JSON_DEPTH = 32  # a real request nests a few levels; Python's parser fails near 1,000
MAX_METADATA_BYTES = 4096
MAX_METADATA_DEPTH = 8
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(rb"[\[\]{}]")


def json_too_deep(raw: object, limit: int = MAX_JSON_DEPTH) -> bool:
    """True when a JSON text nests more than ``limit`` levels (read without parsing it)."""
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogatepass")
    if not isinstance(raw, (bytes, bytearray)) or raw.count(b"[") + raw.count(b"{") <= limit:
        return False
    depth = 0
    for bracket in _BRACKETS.findall(_JSON_STRING.sub(b'""', bytes(raw))):
        depth += 1 if bracket in (b"[", b"{") else -1
        if depth > limit:
            return True
    return False


def depth_of(value: object) -> int:
    """How deeply a decoded JSON value nests (iteratively: no recursion limit)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in item)
    return deepest


def metadata_problem(metadata: object) -> Optional[str]:
    """What is wrong with a message's metadata (too deep, too large), if anything."""
    if metadata is None:
        return None
    if depth_of(metadata) > MAX_METADATA_DEPTH:
        return f"'metadata' nests more than {MAX_METADATA_DEPTH} levels."
    try:
        size = len(json.dumps(metadata, ensure_ascii=False).encode("utf-8", "surrogatepass"))
    except (TypeError, ValueError):
        return "'metadata' must be JSON."
    if size > MAX_METADATA_BYTES:
        return f"'metadata' is larger than {MAX_METADATA_BYTES} bytes."
    return None
