"""How one bot reply (text and buttons) becomes messages a messaging platform accepts.

Pure functions, no Rasa and no I/O, shared by the connectors in ``connectors.py``:

- ``split_text`` cuts a long text into parts within a platform's length limit, at the
  largest boundary that works: paragraph, then line (bullet lists stay whole lines),
  then sentence, then word; only a single overlong word is cut inside.
- ``render`` turns text + buttons into the messages to send: the buttons go on the last
  message as native choices (Telegram inline keyboard, Slack buttons, Messenger quick
  replies) when the platform can show all of them, and otherwise become a numbered list
  ("1. Lower back") appended to the text.
- ``resolve_numbered_reply`` maps a reply such as "2" (or an option's exact title) back
  to that option's payload, but only for options that were shown as a numbered list:
  when native choices were shown, "7" stays a 7 (e.g. a pain score).
- ``neutralize_command`` keeps what people type from being read by Rasa as a direct
  intent ("/greet"): platform commands map to plain text, other leading slashes go.
- ``call_for`` is the number an emergency, urgent or crisis message asks the person to
  call, for a tap-to-call link (the web widget) or button (Messenger), from the settings.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from bot.contract import KIND_CRISIS, KIND_EMERGENCY, KIND_URGENT
from bot.settings import get_settings

Measure = Callable[[str], int]

NUMBERED_HINT = "Reply with a number, or in your own words."


def utf16_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units: most emoji count 2)."""
    return len(text.encode("utf-16-le")) // 2


def utf8_len(text: str) -> int:
    return len(text.encode("utf-8"))


@dataclass(frozen=True)
class Choice:
    title: str
    payload: str


@dataclass(frozen=True)
class ChannelProfile:
    """What a platform accepts in one message.

    ``max_choices == 0`` means the platform has no native buttons: options are always
    numbered. ``max_title`` / ``max_payload_bytes`` of None mean no limit that matters.
    """

    name: str
    max_text: int
    max_choices: int = 0
    max_title: Optional[int] = None
    max_payload_bytes: Optional[int] = None
    measure: Measure = len

    def with_max_text(self, max_text: Optional[int]) -> "ChannelProfile":
        """The same profile with a lower text limit (never above the platform's)."""
        if not max_text:
            return self
        if max_text < 1:
            raise ValueError("max_text must be at least 1")
        return dataclasses.replace(self, max_text=min(int(max_text), self.max_text))


# Telegram sendMessage: 4096 characters after entity parsing (UTF-16 units);
# callback_data 1-64 bytes; an inline keyboard holds up to 100 buttons.
TELEGRAM = ChannelProfile("telegram", 4096, max_choices=100, max_payload_bytes=64, measure=utf16_len)
# Slack: a section block's text is at most 3000 characters; an actions block holds up to
# 25 elements; a button's text at most 75 characters and its value at most 2000.
SLACK = ChannelProfile("slack", 3000, max_choices=25, max_title=75, max_payload_bytes=2000)
# Messenger: text at most 2000 characters; at most 13 quick replies, each title at most
# 20 characters and payload at most 1000.
FACEBOOK = ChannelProfile("facebook", 2000, max_choices=13, max_title=20, max_payload_bytes=1000)
# A channel without buttons (e.g. SMS-like): options are always numbered.
PLAIN = ChannelProfile("plain", 1600)
PROFILES: Dict[str, ChannelProfile] = {p.name: p for p in (TELEGRAM, SLACK, FACEBOOK, PLAIN)}


@dataclass(frozen=True)
class OutgoingMessage:
    """One message to send: text, and native choices to attach (possibly none)."""

    text: str
    choices: Tuple[Choice, ...] = ()


# --------------------------------------------------------------------------- splitting

_SENTENCE_BREAK = re.compile(r"(?<=[.!?…:;])\s+(?=\S)")


def _paragraphs(text: str) -> Tuple[List[str], str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()], "\n\n"


def _lines(text: str) -> Tuple[List[str], str]:
    return [line.strip() for line in text.split("\n") if line.strip()], "\n"


def _sentences(text: str) -> Tuple[List[str], str]:
    return [s for s in _SENTENCE_BREAK.split(text) if s], " "


def _words(text: str) -> Tuple[List[str], str]:
    return text.split(), " "


_SPLITTERS = (_paragraphs, _lines, _sentences, _words)


def _hard_cut(text: str, limit: int, measure: Measure) -> List[str]:
    parts, current = [], ""
    for char in text:
        if current and measure(current + char) > limit:
            parts.append(current)
            current = ""
        current += char
    if current:
        parts.append(current)
    return parts


def _split(text: str, limit: int, measure: Measure, level: int) -> List[str]:
    if measure(text) <= limit:
        return [text]
    if level >= len(_SPLITTERS):
        return _hard_cut(text, limit, measure)
    pieces, joiner = _SPLITTERS[level](text)
    if len(pieces) <= 1:
        return _split(pieces[0] if pieces else text, limit, measure, level + 1)
    # Every piece becomes one or more chunks within the limit; then neighbouring chunks
    # of different pieces are packed together again with this level's joiner. Chunks of
    # one piece that had to be split are never rejoined: they were packed already.
    packed: List[str] = []
    for piece in pieces:
        for index, chunk in enumerate(_split(piece, limit, measure, level + 1)):
            if index == 0 and packed and measure(packed[-1] + joiner + chunk) <= limit:
                packed[-1] = packed[-1] + joiner + chunk
            else:
                packed.append(chunk)
    return packed


def split_text(text: str, limit: int, measure: Measure = len) -> List[str]:
    """``text`` in parts of at most ``limit`` (as ``measure`` counts), cut at the largest
    boundary possible: paragraph, line, sentence, word, and only then inside a word."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    text = (text or "").strip()
    if not text:
        return []
    return [part.strip() for part in _split(text, limit, measure, 0) if part.strip()]


# --------------------------------------------------------------------------- choices


def choices_from_buttons(buttons: Optional[Iterable[Mapping[str, Any]]]) -> List[Choice]:
    """Rasa-style buttons ({"title", "payload"}) as choices; a missing title or payload
    is taken from the other, buttons with neither are dropped."""
    choices = []
    for button in buttons or []:
        title = str(button.get("title") or "").strip()
        payload = str(button.get("payload") or "").strip()
        if title or payload:
            choices.append(Choice(title=title or payload, payload=payload or title))
    return choices


def fits_natively(choices: Sequence[Choice], profile: ChannelProfile) -> bool:
    """Whether the platform can show all these choices as its own buttons."""
    if not choices or len(choices) > profile.max_choices:
        return False
    for choice in choices:
        if profile.max_title is not None and profile.measure(choice.title) > profile.max_title:
            return False
        if profile.max_payload_bytes is not None and utf8_len(choice.payload) > profile.max_payload_bytes:
            return False
    return True


def numbered_options(choices: Sequence[Choice]) -> str:
    return "\n".join(f"{number}. {choice.title}" for number, choice in enumerate(choices, start=1))


def render(
    text: Optional[str],
    buttons: Optional[Iterable[Mapping[str, Any]]],
    profile: ChannelProfile,
) -> List[OutgoingMessage]:
    """The messages to send for one bot reply, in order, each within the profile's limits."""
    limit, measure = profile.max_text, profile.measure
    chunks = split_text(text or "", limit, measure)
    choices = choices_from_buttons(buttons)
    if not choices:
        return [OutgoingMessage(chunk) for chunk in chunks]
    if fits_natively(choices, profile):
        if not chunks:
            chunks = ["Please choose:"]
        return [OutgoingMessage(chunk) for chunk in chunks[:-1]] + [OutgoingMessage(chunks[-1], tuple(choices))]
    block = numbered_options(choices) + "\n" + NUMBERED_HINT
    if chunks and measure(chunks[-1] + "\n\n" + block) <= limit:
        chunks[-1] = chunks[-1] + "\n\n" + block
    else:
        chunks.extend(split_text(block, limit, measure))
    return [OutgoingMessage(chunk) for chunk in chunks]


_NUMBER_REPLY = re.compile(r"\s*(?:option|number|no\.?|#)?\s*(\d{1,3})\s*[.)]?\s*", re.IGNORECASE)


def _comparable(text: str) -> str:
    return re.sub(r"[^\w]+", " ", text.casefold()).strip()


def resolve_numbered_reply(
    text: Optional[str],
    buttons: Optional[Iterable[Mapping[str, Any]]],
    profile: ChannelProfile,
) -> Optional[str]:
    """The payload a reply picks from options shown as a numbered list, else None.

    "2", "2.", "option 2" pick the second option; a reply equal to an option's title
    (ignoring case and punctuation) picks that option. Options the platform showed as
    its own buttons are never resolved here (their taps carry the payload already, and
    a typed "7" must stay a 7)."""
    choices = choices_from_buttons(buttons)
    if not text or not choices or fits_natively(choices, profile):
        return None
    match = _NUMBER_REPLY.fullmatch(text)
    if match:
        number = int(match.group(1))
        return choices[number - 1].payload if 1 <= number <= len(choices) else None
    wanted = _comparable(text)
    for choice in choices:
        if wanted and _comparable(choice.title) == wanted:
            return choice.payload
    return None


# --------------------------------------------------------------------------- platform bits


def keyboard_rows(choices: Sequence[Choice], max_per_row: int = 3, max_row_chars: int = 30) -> List[List[Choice]]:
    """Choices packed into rows for a Telegram inline keyboard: short answers side by side
    ("Yes | No | Not sure"), longer ones on rows of their own so they are not cut off."""
    rows: List[List[Choice]] = []
    for choice in choices:
        row = rows[-1] if rows else None
        if (
            row is not None
            and len(row) < max_per_row
            and sum(len(c.title) for c in row) + len(choice.title) <= max_row_chars
        ):
            row.append(choice)
        else:
            rows.append([choice])
    return rows


def slack_escape(text: str) -> str:
    """Text for a Slack mrkdwn field (the message's fallback ``text``): &, <, > escaped."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


DEFAULT_COMMANDS: Mapping[str, str] = {"start": "hi", "help": "what can you do"}


def neutralize_command(text: Optional[str], commands: Mapping[str, str] = DEFAULT_COMMANDS) -> str:
    """What a person typed, safe to hand to Rasa.

    Rasa reads a message starting with "/" as an intent given directly ("/greet",
    '/report_red_flag{"red_flag": ...}'), skipping NLU. People on public channels should
    not be able to do that, and platform commands are not intents: "/start" (Telegram's
    first message) becomes "hi", "/help" becomes "what can you do", "/start@MyBot"
    counts as "/start", and any other leading slashes are dropped.
    """
    text = (text or "").strip()
    if not text.startswith("/"):
        return text
    command = text.lstrip("/").split(" ", 1)[0]
    name = command.split("@", 1)[0].casefold()
    if name in commands:
        return commands[name]
    return text.lstrip("/").strip()


# --------------------------------------------------------------------------- calls

_DIALLABLE = re.compile(r"\+?[0-9]{2,15}")


@dataclass(frozen=True)
class Call:
    """A number to call: as written (``number``), as dialled (``dial``: digits, maybe a
    leading +), the link's words, and for an urgent message the same-day route."""

    number: str
    dial: str
    label: str
    route: Optional[str] = None

    def as_metadata(self) -> Dict[str, str]:
        """What goes to the web clients as ``metadata.call`` (docs/api.md)."""
        data = {"number": self.number, "label": self.label}
        if self.route:
            data["route"] = self.route
        return data

    @property
    def international(self) -> bool:
        """Written with its country code (+44...): what Messenger's call button needs."""
        return self.dial.startswith("+")


def call_for(kind: Optional[str]) -> Optional[Call]:
    """The number to call for a message of this kind (bot/contract.py MESSAGE_KINDS):
    ``EMERGENCY_NUMBER`` for an emergency or a crisis, ``URGENT_CARE_NUMBER`` for an urgent
    message; None for any other kind, or when the number is not one a phone can dial."""
    settings = get_settings()
    if kind in (KIND_EMERGENCY, KIND_CRISIS):
        number, route = settings.emergency_number, None
    elif kind == KIND_URGENT:
        number = settings.urgent_care_number
        route = f"Or contact {settings.gp} for an urgent same-day appointment."
    else:
        return None
    number = (number or "").strip()
    dial = re.sub(r"[\s().-]", "", number)
    if not _DIALLABLE.fullmatch(dial):
        return None
    return Call(number=number, dial=dial, label=f"Call {number}", route=route)
