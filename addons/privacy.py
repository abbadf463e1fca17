"""No conversation text in the logs: a redaction step under every log line of the process.

``install()`` (called once the server starts, and by ``addons.launch`` before Rasa
configures logging) makes every log record, warning and exception trace of the process
pass through ``redact_for_log`` before it is written anywhere:

- the texts of recent messages (``remember_text``, called by the channel guard for each
  message it passes on) are replaced by ``[message]``, wherever a log line quotes them,
  e.g. Rasa's "Failed to parse arguments in line '/...'" warning;
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
from collections import deque
from typing import Any, Deque, Dict, Set

from addons import patches
from bot.redaction import redact, warm_up

MIN_REMEMBERED = 5  # shorter texts ("yes", "8") would blank out ordinary log words
REMEMBERED = 2000
_recent: Deque[str] = deque(maxlen=REMEMBERED)
_recent_set: Set[str] = set()
_lock = threading.Lock()
_TOKEN = re.compile(r"(?i)(token=)[^&\s'\"]+")
# Rasa lines known to quote pieces of a message (not only the whole of it).
_QUOTING = (re.compile(r"(Failed to parse arguments in line ).*", re.DOTALL),)
MESSAGE = "[message]"

# Rasa's own list of structured-log fields that carry user data (rasa/utils/log_utils.py).
USER_DATA_FIELDS = frozenset(
    "text response_text user_text slot_values parse_data_text parse_data_entities prediction_events "
    "tracker_latest_message prefilled_slots message response slot_candidates rasa_event rasa_events "
    "tracker_states current_states old_states successes current_entity next_entity states entity "
    "token_text user_message json_message".split()
)


def remember_text(text: str) -> None:
    """Marks ``text`` as a person's words: from now on a log line quoting it gets ``[message]``."""
    text = (text or "").strip()
    if len(text) < MIN_REMEMBERED or text in _recent_set:
        return
    with _lock:
        if len(_recent) == _recent.maxlen:
            _recent_set.discard(_recent[0])
        _recent.append(text)
        _recent_set.add(text)


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
    for text in sorted((t for t in list(_recent) if len(t) <= len(line)), key=len, reverse=True):
        if text in line:
            line = line.replace(text, MESSAGE)
    return redact(_TOKEN.sub(r"\1[redacted]", line))


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
            record.exc_text = redact_for_log(text)
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
