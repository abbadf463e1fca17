"""No conversation text in the logs: log lines hold ids, sizes, intents, levels and timings.

``install()`` (called once the server starts, and by ``addons.launch`` before Rasa
configures logging) makes every log record, warning and exception trace of the process
pass through ``redact_for_log`` before it is written anywhere. Nothing there depends on
what people typed before (an earlier version blanked any earlier message wherever it
appeared, so a message "User is not authenticated." hid the next 401):

- the project's own log lines never include a message's text, only its size and ids;
- a quoted string in any line that is not a name (``'my back hurts'``, ``"Sam"`` is kept
  only as ``'[13 chars]'``) is withheld: Rasa and the libraries quote what they were given
  ("Received user message '...'", "Failed to parse arguments in line '...'"); quoted
  identifiers (intent, action and slot names) stay;
- an exception's message (the ``ValueError: ...`` lines of a trace) is withheld the same
  way; the frames, which are code, stay;
- personal details (``bot.redaction``) and ``token=`` query values are replaced;
- Rasa's structured logs drop the fields Rasa itself marks as user data (``text``,
  ``parse_data_text``, ``slot_values``, ...), and their exception traces are rendered
  without local variables (structlog's default shows them, with the message in them).
"""

from __future__ import annotations

import logging
import re
import threading
import traceback
import warnings
from typing import Any, Dict

from addons import patches
from bot.redaction import redact, warm_up

_TOKEN = re.compile(r"(?i)(token=)[^&\s'\"]+")
# A quoted string (opening quote not inside a word, so "owner's" is not a quote).
_QUOTED = re.compile(r"""(?<![\w'"])(['"])([^\n]*?)\1(?![\w])""")
_IDENTIFIER = re.compile(r"[\w./:-]{0,80}")
# Rasa lines known to quote pieces of a message (not only the whole of it).
_QUOTING = (re.compile(r"(Failed to parse arguments in line ).*", re.DOTALL),)
# The message line of an exception in a trace: "ValueError: ...", "rasa.x.Error: ...".
_EXCEPTION_LINE = re.compile(r"(?m)^([A-Za-z_][\w.]*(?:Error|Exception|Warning|Refused|Unavailable|Exit)\b:) (.+)$")

# Rasa's own list of structured-log fields that carry user data (rasa/utils/log_utils.py).
USER_DATA_FIELDS = frozenset(
    "text response_text user_text slot_values parse_data_text parse_data_entities prediction_events "
    "tracker_latest_message prefilled_slots message response slot_candidates rasa_event rasa_events "
    "tracker_states current_states old_states successes current_entity next_entity states entity "
    "token_text user_message json_message".split()
)


def withheld(text: str) -> str:
    return f"[{len(text)} chars]"


def _withhold_quoted(match: re.Match) -> str:
    quote, inner = match.group(1), match.group(2)
    if _IDENTIFIER.fullmatch(inner):
        return match.group(0)
    return f"{quote}{withheld(inner)}{quote}"


_busy = threading.local()


def redact_for_log(line: str) -> str:
    if not line or getattr(_busy, "active", False):
        return line  # a log line written while redacting (e.g. a warning from an import)
    _busy.active = True
    try:
        return _redact_for_log(line)
    finally:
        _busy.active = False


def _redact_for_log(line: str) -> str:
    for pattern in _QUOTING:
        line = pattern.sub(r"\1[message] (the details would quote it)", line)
    line = _QUOTED.sub(_withhold_quoted, line)
    return redact(_TOKEN.sub(r"\1[redacted]", line), uncued_names=False)


def redact_trace(text: str) -> str:
    """A formatted exception trace: frames kept, each exception's message withheld."""
    text = _EXCEPTION_LINE.sub(lambda m: f"{m.group(1)} {withheld(m.group(2))}", text)
    return redact_for_log(text)


class RedactedRecord(logging.LogRecord):
    def getMessage(self) -> str:  # noqa: N802 (logging's name)
        return redact_for_log(super().getMessage())


_installed = False


def _record_factory(base: Any) -> Any:
    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = base(*args, **kwargs)
        if type(record) is logging.LogRecord:
            record.__class__ = RedactedRecord
        if record.exc_info and record.exc_info[0] is not None:
            # Formatted now, redacted, so that no handler formats the raw one.
            text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
            record.exc_text = redact_trace(text)
        return record

    return factory


def _drop_user_data(_logger: Any, _name: str, event_dict: Dict[str, Any]) -> Dict[str, Any]:
    for key in USER_DATA_FIELDS & event_dict.keys():
        event_dict[key] = "[redacted]"
    return event_dict


def configure_structlog() -> None:
    """Rasa's structlog processors: its user-data fields dropped, traces without locals
    (registered in addons/patches.py: installed through ``patches.install``)."""
    try:
        import structlog
        from structlog.processors import ExceptionRenderer
        from structlog.tracebacks import ExceptionDictTransformer
    except ImportError:  # pragma: no cover - structlog comes with Rasa
        return
    processors = structlog.get_config()["processors"]
    # In place: loggers already cached by structlog hold this very list.
    if _drop_user_data not in processors:
        processors.insert(0, _drop_user_data)
    for index, processor in enumerate(processors):
        if processor is structlog.processors.dict_tracebacks:
            processors[index] = ExceptionRenderer(ExceptionDictTransformer(show_locals=False))


def install() -> None:
    """Idempotent; safe to call again after Rasa (re)configures logging."""
    global _installed
    patches.install("structlog.get_config()['processors']")  # configure_structlog, checked first
    if _installed:
        return
    _installed = True
    warm_up()  # loads the recognisers now, not inside the first log call
    logging.setLogRecordFactory(_record_factory(logging.getLogRecordFactory()))
    warnings.showwarning = redacting(warnings.showwarning)


def redacting(show: Any) -> Any:
    """``warnings.showwarning`` that redacts the message first (Rasa reports many problems as warnings)."""

    def showwarning(message: Any, category: Any, filename: str, lineno: int, file: Any = None, line: Any = None):
        return show(redact_for_log(str(message)), category, filename, lineno, file, line)

    return showwarning
