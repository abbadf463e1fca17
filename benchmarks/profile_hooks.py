"""Timers around Rasa's and rasa_sdk's steps, installed inside the real servers for a profile.

``benchmarks/profile_turn.py`` starts the servers through scripts/server.sh with
``benchmarks/profiling`` on PYTHONPATH; its ``sitecustomize`` calls :func:`install`, which
wraps the steps below. Nothing here runs in a normal start.

Rasa side, per message, one JSON line: the *exclusive* milliseconds of each step (a step's
time minus the time of the steps timed inside it), so the parts add up to the message's
total inside Rasa. Action-server side, per action call: the milliseconds inside rasa_sdk's
executor (tracker parsing + the action + event validation).
"""

from __future__ import annotations

import contextvars
import functools
import json
import time
from collections import defaultdict
from typing import Any, Callable, Dict, List, Optional

# The open timers of the message being handled: [label, started, time spent in children].
_stack: contextvars.ContextVar[Optional[List[list]]] = contextvars.ContextVar("bench_stack", default=None)
_record: contextvars.ContextVar[Optional[Dict[str, Any]]] = contextvars.ContextVar("bench_record", default=None)
_action: contextvars.ContextVar[str] = contextvars.ContextVar("bench_action", default="?")


def _enter(label: str) -> Optional[list]:
    stack = _stack.get()
    if stack is None:
        return None
    frame = [label, time.perf_counter(), 0.0]
    stack.append(frame)
    return frame


def _leave(frame: Optional[list]) -> None:
    if frame is None:
        return
    stack, record = _stack.get(), _record.get()
    assert stack is not None and record is not None
    stack.pop()
    spent = time.perf_counter() - frame[1]
    if stack:
        stack[-1][2] += spent
    record["ms"][frame[0]] += 1000 * (spent - frame[2])
    record["calls"][frame[0]] += 1


def _timed(label: Callable[..., str]) -> Callable:
    """Wrap a sync or async method; ``label(self, *args)`` names the step."""

    def decorate(function: Callable) -> Callable:
        import inspect

        if inspect.iscoroutinefunction(function):

            @functools.wraps(function)
            async def async_wrapper(*args, **kwargs):
                frame = _enter(label(*args))
                try:
                    return await function(*args, **kwargs)
                finally:
                    _leave(frame)

            return async_wrapper

        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            frame = _enter(label(*args))
            try:
                return function(*args, **kwargs)
            finally:
                _leave(frame)

        return wrapper

    return decorate


def _patch(owner: Any, name: str, label: Callable[..., str]) -> None:
    setattr(owner, name, _timed(label)(getattr(owner, name)))


def install_rasa(out_path: str) -> None:
    from rasa.core.actions import action as rasa_action
    from rasa.core.actions.action import ActionExtractSlots, RemoteAction
    from rasa.core.actions.forms import FormAction
    from rasa.core.agent import Agent
    from rasa.core.processor import MessageProcessor
    from rasa.core.tracker_store import FailSafeTrackerStore
    from rasa.engine.graph import GraphNode
    from rasa.utils.endpoints import EndpointConfig

    original_handle = Agent.handle_message

    @functools.wraps(original_handle)
    async def handle_message(self, message):
        record: Dict[str, Any] = {"text": message.text, "ms": defaultdict(float), "calls": defaultdict(int)}
        stack: List[list] = []
        _stack.set(stack)
        _record.set(record)
        frame = _enter("Rasa: lock and agent")
        try:
            return await original_handle(self, message)
        finally:
            _leave(frame)
            record["total_ms"] = 1000 * (time.perf_counter() - frame[1]) if frame else None
            with open(out_path, "a") as out:
                out.write(json.dumps(record) + "\n")
            _stack.set(None)

    Agent.handle_message = handle_message
    _patch(MessageProcessor, "handle_message", lambda *a: "Rasa: processor (glue)")
    _patch(MessageProcessor, "_parse_message_with_graph", lambda *a: "NLU: graph runner (glue)")
    _patch(MessageProcessor, "_predict_next_with_tracker", lambda *a: "policies: graph runner (glue)")
    _patch(MessageProcessor, "_run_action", lambda *a: "actions: Rasa-side bookkeeping")
    _patch(FailSafeTrackerStore, "retrieve", lambda *a: "tracker store: read")
    _patch(FailSafeTrackerStore, "save", lambda *a: "tracker store: write")
    _patch(GraphNode, "__call__", lambda self, *a: f"graph: {self._component_class.__name__}")
    _patch(ActionExtractSlots, "run", lambda *a: "action_extract_slots (in Rasa)")
    _patch(FormAction, "run", lambda *a: "form loop (in Rasa)")
    _patch(rasa_action.ActionBotResponse, "run", lambda *a: "responses (utter_*)")

    original_remote_run = RemoteAction.run

    @functools.wraps(original_remote_run)
    async def remote_run(self, *args, **kwargs):
        token = _action.set(self.name())
        frame = _enter(f"action server call, Rasa side (tracker+domain to JSON, checks): {self.name()}")
        try:
            return await original_remote_run(self, *args, **kwargs)
        finally:
            _leave(frame)
            _action.reset(token)

    RemoteAction.run = remote_run
    _patch(EndpointConfig, "request", lambda *a: f"action server call, HTTP round trip: {_action.get()}")


def install_actions(out_path: str) -> None:
    from rasa_sdk.executor import ActionExecutor

    original_run = ActionExecutor.run

    @functools.wraps(original_run)
    async def run(self, action_call):
        started = time.perf_counter()
        try:
            return await original_run(self, action_call)
        finally:
            line = {"action": action_call.get("next_action"), "ms": 1000 * (time.perf_counter() - started)}
            with open(out_path, "a") as out:
                out.write(json.dumps(line) + "\n")

    ActionExecutor.run = run


def install(out_path: str, side: str) -> None:
    (install_rasa if side == "rasa" else install_actions)(out_path)
