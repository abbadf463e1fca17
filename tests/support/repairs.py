"""Checks addons/rasa_server.py's replacements of Rasa methods against Rasa's own, call by call.

``checking_repairs()`` installs the repairs with a check around each replaced method: every
call also runs Rasa's original (with Rasa's own versions of all the replaced methods in
place, so the original never leans on a repair) and records any difference. The repaired
answer is the one returned, so a conversation runs exactly as it does on the server.
"""

from __future__ import annotations

import contextlib
import copy
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Iterator, List

import addons.rasa_server as rasa_server


@dataclass
class Checks:
    calls: Dict[str, int] = field(default_factory=dict)
    differences: List[str] = field(default_factory=list)

    def record(self, name: str, difference: str | None) -> None:
        self.calls[name] = self.calls.get(name, 0) + 1
        if difference and len(self.differences) < 50:
            self.differences.append(f"{name}: {difference}")


def tracker_state(tracker: Any) -> Dict[str, Any]:
    """Everything a tracker holds, comparable with ==: the events by identity."""
    return {
        "events": [id(event) for event in tracker.events],
        "slots": {name: (slot.value, slot.has_been_set) for name, slot in tracker.slots.items()},
        "paused": tracker._paused,
        "followup_action": tracker.followup_action,
        "latest_action": tracker.latest_action,
        "latest_message": tracker.latest_message,
        "latest_bot_utterance": tracker.latest_bot_utterance,
        "active_loop": tracker.active_loop,
        "sender": (tracker.sender_id, tracker.sender_source, tracker.is_rule_tracker),
        "ids": (tracker.model_id, tracker.assistant_id, tracker._max_event_history),
    }


def _difference(name: str, got: Any, expected: Any) -> str | None:
    if name == "applied_events":
        if len(got) != len(expected) or any(a is not b for a, b in zip(got, expected, strict=False)):
            return f"{[e.type_name for e in got]} != {[e.type_name for e in expected]}"
        return None
    if name == "copy":
        got, expected = tracker_state(got), tracker_state(expected)
        keys = [key for key in got if got[key] != expected[key]]
        return f"differs in {keys}" if keys else None
    if name == "__copy__":
        same = type(got) is type(expected) and _by_identity(got.__dict__) == _by_identity(expected.__dict__)
        return None if same else f"{type(got).__name__} {got.__dict__} != {type(expected).__name__} {expected.__dict__}"
    if name == "run":
        keys = [key for key in expected if not _same_output(got.get(key), expected[key])]
        return f"outputs differ for {keys}" if keys or got.keys() != expected.keys() else None
    return None if got == expected else f"{len(got)} states, first difference at {_first_difference(got, expected)}"


def _by_identity(attributes: Dict[str, Any]) -> Dict[str, int]:
    return {name: id(value) for name, value in attributes.items()}


def _same_output(got: Any, expected: Any) -> bool:
    """A graph node's outputs compared by value: messages by their data and features (Rasa's
    own Message equality compares a fingerprint cached before the pipeline ran)."""
    from rasa.shared.nlu.training_data.message import Message

    if isinstance(expected, (list, tuple)):
        return (
            type(got) is type(expected)
            and len(got) == len(expected)
            and all(_same_output(a, b) for a, b in zip(got, expected, strict=True))
        )
    if isinstance(expected, Message):
        return (
            isinstance(got, Message)
            and got.data == expected.data
            and len(got.features) == len(expected.features)
            and all(map(_same_features, got.features, expected.features))
        )
    return bool(got == expected)


def _same_features(got: Any, expected: Any) -> bool:
    """Rasa's own Features equality cannot compare matrices (their == is elementwise)."""
    import numpy as np

    if (got.type, got.attribute, got.origin) != (expected.type, expected.attribute, expected.origin):
        return False
    if got.is_dense() != expected.is_dense() or got.features.shape != expected.features.shape:
        return False
    if got.is_dense():
        return bool(np.array_equal(got.features, expected.features))
    return (got.features != expected.features).nnz == 0


def _first_difference(got: List[Any], expected: List[Any]) -> int:
    return next(
        (i for i, (a, b) in enumerate(zip(got, expected, strict=False)) if a != b), min(len(got), len(expected))
    )


@contextlib.contextmanager
def rasa_only() -> Iterator[None]:
    """Rasa's own versions of the replaced methods, for the duration of the block."""
    replaced = {key: key[0].__dict__.get(key[1]) for key in rasa_server.RASA_ORIGINALS}
    for (cls, name), original in rasa_server.RASA_ORIGINALS.items():
        _set_or_remove(cls, name, original)
    try:
        yield
    finally:
        for (cls, name), method in replaced.items():
            _set_or_remove(cls, name, method)


def _set_or_remove(cls: type, name: str, method: Any) -> None:
    if method is not None:
        setattr(cls, name, method)
    elif name in cls.__dict__:
        delattr(cls, name)


def restore_after(monkeypatch: Any) -> None:
    """Whatever the replaced methods are now, put back by ``monkeypatch`` after the test."""
    for cls, name, _ in rasa_server._replaced_methods():
        if name in cls.__dict__:
            monkeypatch.setattr(cls, name, cls.__dict__[name])
        else:
            monkeypatch.setattr(cls, name, None, raising=False)
            monkeypatch.delattr(cls, name)


def _checked(name: str, repaired: Callable, original: Callable, checks: Checks) -> Callable:
    def method(*args: Any, **kwargs: Any) -> Any:
        got = repaired(*args, **kwargs)
        with rasa_only():
            expected = original(*args, **kwargs)
        checks.record(name, _difference(name, got, expected))
        return got

    return method


@contextlib.contextmanager
def checking_repairs() -> Iterator[Checks]:
    """The repairs installed, each call checked against Rasa's own; unchecked again after."""
    rasa_server.install()
    checks = Checks()
    methods = rasa_server._replaced_methods()
    before = {(cls, name): cls.__dict__[name] for cls, name, _ in methods}
    for cls, name, repaired in methods:
        # Where Rasa has no such method, Python's own behaviour is the original: a slot's
        # copy by copy.copy's generic path.
        original = rasa_server.RASA_ORIGINALS[(cls, name)] or copy.copy
        setattr(cls, name, _checked(name, repaired, original, checks))
    try:
        yield checks
    finally:
        for (cls, name), method in before.items():
            setattr(cls, name, method)
