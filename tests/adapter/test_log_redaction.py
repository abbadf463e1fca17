"""addons/privacy.py: no message text or personal detail in log lines, warnings, exception
traces or Rasa's structured logs, once installed (as the Rasa server does at start)."""

import io
import logging
import uuid

import pytest
import structlog

from addons import privacy


@pytest.fixture
def log():
    privacy.install()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger = logging.getLogger(f"test-{uuid.uuid4().hex}")
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    yield logger, stream
    logger.removeHandler(handler)


def test_quoted_text_exception_messages_and_personal_details_never_reach_a_log_line(log):
    logger, stream = log
    secret = f"my back hurts, Wombat{uuid.uuid4().hex[:6]}"
    logger.debug("Received user message '%s' with intent '%s'", secret, "inform_pain")
    logger.warning('Parsed "%s" from ?token=abc123&x=1', secret)
    logger.warning("call 07700 900461 or tamsin.q@example.org")
    try:
        raise ValueError(f"could not handle {secret}")
    except ValueError:
        logger.exception("failed")
    out = stream.getvalue()
    assert "Wombat" not in out and f"'[{len(secret)} chars]'" in out
    assert "'inform_pain'" in out  # identifiers (intents, actions) stay
    assert "abc123" not in out and "token=[redacted]" in out
    assert "07700 900461" not in out and "tamsin.q@example.org" not in out
    assert "Traceback" in out and "ValueError: [" in out  # the trace is kept, without the text


def test_what_someone_typed_earlier_cannot_hide_a_later_log_line(log):
    logger, stream = log
    logger.debug("Received user message '%s'", "User is not authenticated.")
    logger.warning("401 GET /status from 203.0.113.9 (wrong token).")
    logger.warning("Rate limit reached for a sender.")
    out = stream.getvalue()
    assert "401 GET /status from 203.0.113.9 (wrong token)." in out
    assert "Rate limit reached for a sender." in out


def test_rasa_parse_warning_does_not_quote_the_message():
    privacy.install()
    secret = f"Platypus{uuid.uuid4().hex[:6]}"
    shown = []
    message = f"Failed to parse arguments in line '/greet{{{secret}'. Continuing without {{{secret}."
    # pytest swaps warnings.showwarning while a test runs, so the wrapper is called directly.
    privacy.redacting(lambda text, *args: shown.append(text))(message, UserWarning, "io.py", 100)
    assert secret not in shown[0] and shown[0].startswith("Failed to parse arguments")


def test_structured_logs_drop_user_data_and_local_variables():
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.INFO)
    privacy.install()
    processors = structlog.get_config()["processors"]
    assert structlog.processors.dict_tracebacks not in processors
    event = processors[0](None, "info", {"event": "rest.message.received", "text": "my name is Sam", "sender": "x"})
    assert event["text"] == "[redacted]" and event["sender"] == "x"
