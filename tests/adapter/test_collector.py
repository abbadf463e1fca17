"""addons/collector.py: what a server loads is frozen out of the collector's examinations,
and what a later load replaces can still be collected."""

from __future__ import annotations

import gc
import weakref

import pytest

from addons.collector import freeze_after


class _Model:
    """Something loaded, holding a reference cycle (only the collector can free those)."""

    def __init__(self) -> None:
        self.parts = [{"owner": self} for _ in range(100)]


class _Server:
    loads = 0

    def __init__(self) -> None:
        self.model: _Model | None = None

    def load(self) -> str:
        type(self).loads += 1
        self.model = _Model()
        return "loaded"


@pytest.fixture
def server(monkeypatch):
    monkeypatch.setattr(_Server, "load", _Server.__dict__["load"])
    yield _Server()
    gc.unfreeze()  # the rest of the test run collects as usual


def _is_frozen(thing) -> bool:
    # Frozen objects are in the permanent generation, which gc.get_objects() leaves out.
    return gc.is_tracked(thing) and not any(found is thing for found in gc.get_objects())


def test_what_is_loaded_is_frozen(server):
    freeze_after(_Server, "load")
    assert server.load() == "loaded"
    assert gc.get_freeze_count() > 0
    assert _is_frozen(server.model) and _is_frozen(server.model.parts[0])
    # What is made afterwards (a conversation's objects) is examined as usual.
    later = _Model()
    assert not _is_frozen(later)


def test_a_replaced_model_is_still_collected(server):
    freeze_after(_Server, "load")
    server.load()
    first = weakref.ref(server.model)
    server.load()
    assert first() is None  # freed with its cycle, not kept frozen for ever
    assert _is_frozen(server.model)


def test_a_failed_load_still_freezes_what_is_there(server, monkeypatch):
    def failing(self):
        self.model = _Model()
        raise OSError("no model here")

    monkeypatch.setattr(_Server, "load", failing)
    freeze_after(_Server, "load")
    with pytest.raises(OSError, match="no model here"):
        server.load()
    assert _is_frozen(server.model)


def test_wrapping_twice_loads_once(server):
    freeze_after(_Server, "load")
    freeze_after(_Server, "load")
    before = _Server.loads
    server.load()
    assert _Server.loads == before + 1


def test_the_action_server_freezes_once_its_actions_are_loaded():
    """The action server's entry point, run up to the point where rasa_sdk would serve."""
    import subprocess
    import sys

    from tests.support.stack import ROOT

    script = (
        "import gc, rasa_sdk.__main__ as sdk\n"
        "sdk.main = lambda: None\n"  # stop where rasa_sdk would start serving
        "import addons.action_server\n"
        "addons.action_server.main()\n"
        "from rasa_sdk.executor import ActionExecutor\n"
        "ActionExecutor().register_package('actions')\n"
        "print(gc.get_freeze_count(), len(gc.get_objects()))\n"
    )
    run = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    frozen, examined = map(int, run.stdout.split()[-2:])
    assert frozen > 50_000 and examined < frozen / 10
