"""Prometheus metrics for operators (prometheus_client), on the loopback interface only.

The Rasa process serves them at http://127.0.0.1:$METRICS_PORT/metrics (9105), the action
server at http://127.0.0.1:$ACTION_METRICS_PORT/metrics (9106); ``0`` turns one off. They
are never routed through the cluster's nginx (deploy/nginx). With several Sanic workers
(``SANIC_WORKERS`` > 1) every worker writes its numbers to files in
``PROMETHEUS_MULTIPROC_DIR`` (set here under ``RUN_DIR`` before prometheus_client is
imported) and the launcher's process serves their sum.

Rasa process (counted where the project already sees each turn, no Rasa internal replaced):
- ``backpain_messages_total``: user messages answered (the tracker store's save);
- ``backpain_message_seconds``: from a message's arrival to its turn being stored;
- ``backpain_triage_outcomes_total{level}``: a conversation's triage level set or raised;
- ``backpain_action_failures_total``: custom actions that left no trace (the action server
  down or too slow; addons/safety.py sends the safe fallback then);
- ``backpain_store_errors_total``: turns refused because the conversation store failed.
Action server: ``backpain_actions_total{action}``, ``backpain_action_errors_total{action}``
and ``backpain_action_seconds``.
"""

from __future__ import annotations

import functools
import logging
import os
import shutil
import time
from pathlib import Path
from typing import Any, Callable, Optional

logger = logging.getLogger(__name__)

LATENCY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0)


def prepare_multiprocess() -> None:
    """With several Sanic workers: a fresh directory for their metric files (before import)."""
    if int(os.environ.get("SANIC_WORKERS") or 1) <= 1 or os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return
    # One directory per server (several replicas may share RUN_DIR on one machine).
    folder = Path(os.environ.get("RUN_DIR") or "var/run") / f"metrics-{os.environ.get('METRICS_PORT') or 0}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", str(folder))  # read by prometheus_client at import


@functools.cache
def _metrics() -> Any:
    from prometheus_client import Counter, Histogram

    class Metrics:
        messages = Counter("backpain_messages", "User messages answered")
        latency = Histogram(
            "backpain_message_seconds", "From a message's arrival to its turn being stored", buckets=LATENCY_BUCKETS
        )
        triage = Counter("backpain_triage_outcomes", "A conversation's triage level set or raised", ["level"])
        action_failures = Counter("backpain_action_failures", "Custom actions that left no trace (action server)")
        store_errors = Counter("backpain_store_errors", "Turns refused because the conversation store failed")
        feed_errors = Counter("backpain_feed_errors", "Stored turns the console's feed could not take")
        actions = Counter("backpain_actions", "Custom actions run by the action server", ["action"])
        action_errors = Counter("backpain_action_errors", "Custom actions that raised on the action server", ["action"])
        action_seconds = Histogram("backpain_action_seconds", "Time to run a custom action", buckets=LATENCY_BUCKETS)

    return Metrics


def _safely(count: Callable[..., None]) -> Callable[..., None]:
    """Counting never breaks a turn."""

    @functools.wraps(count)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            count(*args, **kwargs)
        except Exception:  # pragma: no cover - a metrics bug must not cost a reply
            logger.exception("Counting a metric failed.")

    return wrapper


@_safely
def turn_stored(events: Any, previous_level: Optional[str], levels: tuple) -> None:
    """A turn's new events were stored: its messages, their latency and a raised level."""
    from rasa.shared.core.events import SlotSet, UserUttered

    metrics = _metrics()
    now = time.time()
    rank = levels.index(previous_level) if previous_level in levels else -1
    for event in events:
        if isinstance(event, UserUttered):
            metrics.messages.inc()
            metrics.latency.observe(max(0.0, now - event.timestamp))
        elif isinstance(event, SlotSet) and event.key == "triage_level" and event.value in levels:
            if levels.index(event.value) > rank:
                rank = levels.index(event.value)
                metrics.triage.labels(event.value).inc()


@_safely
def action_failures(count: int) -> None:
    _metrics().action_failures.inc(count)


@_safely
def store_error() -> None:
    _metrics().store_errors.inc()


@_safely
def feed_error() -> None:
    _metrics().feed_errors.inc()


def count_actions() -> None:
    """The action server: each custom action's call, errors and time (ActionExecutor.run)."""
    from rasa_sdk.executor import ActionExecutor

    run = ActionExecutor.run

    @functools.wraps(run)
    async def counted_run(self: Any, action_call: Any) -> Any:
        metrics = _metrics()
        name = str(action_call.get("next_action") or "?")
        started = time.perf_counter()
        try:
            return await run(self, action_call)
        except Exception:
            metrics.action_errors.labels(name).inc()
            raise
        finally:
            metrics.actions.labels(name).inc()
            metrics.action_seconds.observe(time.perf_counter() - started)

    ActionExecutor.run = counted_run


def serve(port_variable: str) -> Optional[int]:
    """Starts the metrics endpoint on 127.0.0.1:$port_variable (in a thread); 0 or unset: off."""
    port = int(os.environ.get(port_variable) or 0)
    if not port:
        return None
    _metrics()
    from prometheus_client import CollectorRegistry, start_http_server

    registry = None
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    try:
        if registry is not None:
            start_http_server(port, addr="127.0.0.1", registry=registry)
        else:
            start_http_server(port, addr="127.0.0.1")
    except OSError as error:  # the assistant serves on without its metrics
        logger.error("The metrics endpoint could not listen on 127.0.0.1:%d (%s).", port, error)
        return None
    logger.info("Metrics at http://127.0.0.1:%d/metrics", port)
    return port
