"""addons/patches.py: every replacement of (or reliance on) a third-party internal in addons/
and actions/ is registered; the installed packages are the ones the patches were written for;
and a changed version or source refuses, before anything is replaced, with a message that says
which patch, what it was written for, what was found and what to do."""

from __future__ import annotations

import ast
import importlib
import inspect
import subprocess
import sys
import threading
import time
from typing import Dict, List, Set

import pytest

from addons import patches
from tests.support.patch_sites import PROJECT, module_name, project_sites, sites_in
from tests.support.stack import ROOT

# Assignments the scan finds that change no third-party code, each with the reason.
NOT_PATCHES: Dict[tuple, str] = {
    ("addons.guard.guarded", "message.text"): "the message being handled, given its cleaned text before Rasa reads it",
    ("addons.guard.guarded", "message.sender_id"): (
        "the message being handled, given its channel's store key (addons/channels/keys.py) before Rasa reads it"
    ),
    ("addons.guard.check_request", "request.args['token']"): (
        "the request being handled: an API token sent as 'Authorization: Bearer' handed to Rasa's check as ?token="
    ),
    ("addons.guard.install", "app.ctx.guard_installed"): "Sanic's app.ctx is where an application keeps its own state",
    ("addons.guard.install", "app.config.REQUEST_MAX_SIZE"): "a documented Sanic setting",
    ("addons.launch.main", "sys.argv"): "the command line this process hands to Rasa's own main",
    ("addons.privacy.install", "warnings.showwarning"): "the standard library documents it as replaceable",
    ("addons.rasa_server._with_state_of", "twin._paused"): (
        "a tracker copy the registered repairs make (DialogueStateTracker.copy, states_for_tracker_history) "
        "given the state of the tracker it copies"
    ),
}


def _registered_sites() -> Set[str]:
    return {site for patch in patches.PATCHES for site in patch.assignment_sites}


def test_every_assignment_to_third_party_code_is_registered():
    unregistered = [
        f"{found.site} line {found.line}: {found.target}"
        for sites in project_sites(ROOT).values()
        for found in sites
        if found.site not in _registered_sites() and (found.site, found.target) not in NOT_PATCHES
    ]
    assert not unregistered, (
        "replacements of third-party code that addons/patches.py does not register (add a Patch whose "
        "installer or sites name the function, or, if it changes no third-party code, NOT_PATCHES here "
        "with the reason):\n" + "\n".join(unregistered)
    )


def test_every_registered_installer_makes_an_assignment_the_scan_sees():
    found = project_sites(ROOT)
    stale = [f"{p.target}: {site}" for p in patches.PATCHES for site in p.assignment_sites if site not in found]
    assert not stale, f"registered sites with no replacement in them: {stale}"
    assert all(key[0] in found for key in NOT_PATCHES), "NOT_PATCHES names a site that no longer assigns"


def test_the_scan_sees_each_kind_of_replacement():
    sample = """
import sys
import engineio
import rasa.core.actions.action as rasa_actions
from rasa.core.agent import Agent
from engineio import AsyncServer

from bot.settings import get_settings


def patching(eio: AsyncServer, owner, note):
    from rasa.shared.core.events import Event

    Agent._create_tracker_store = staticmethod(len)
    rasa_actions.DEFAULT_REQUEST_TIMEOUT = 10
    sys.modules["tensorflow"] = None
    Event.resolve_by_type += 1
    eio.cors_allowed_origins = ["x"]
    server = engineio.AsyncServer()
    server.eio._cors_headers = None
    note._private = 1
    setattr(owner, "load", len)


def harmless(self, settings, data):
    self._cache = {}
    self.value = 1
    settings = get_settings()
    settings.x = 1
    data["text"] = "redacted"
    local = {}
    local["a"] = 1
"""
    found = [(s.site, s.target) for s in sites_in(sample, "sample")]
    assert found == [
        ("sample.patching", "Agent._create_tracker_store"),
        ("sample.patching", "rasa_actions.DEFAULT_REQUEST_TIMEOUT"),
        ("sample.patching", "sys.modules['tensorflow']"),
        ("sample.patching", "Event.resolve_by_type"),
        ("sample.patching", "eio.cors_allowed_origins"),
        ("sample.patching", "server.eio._cors_headers"),
        ("sample.patching", "note._private"),
        ("sample.patching", "setattr(owner, 'load', len)"),
    ]


# ------------------------------------------------- overrides of and calls to private members


def _project_classes():
    for folder in ("addons", "actions"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            name = module_name(path, ROOT)
            if name in ("addons.patches",):
                continue
            module = importlib.import_module(name)
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                cls = getattr(module, node.name, None) if isinstance(node, ast.ClassDef) else None
                if inspect.isclass(cls) and cls.__module__ == name:
                    yield cls, node


def _third_party(cls: type) -> bool:
    return cls.__module__.split(".")[0] not in PROJECT + ("builtins", "abc", "typing")


def private_members_relied_on() -> Dict[str, List[str]]:
    """Private members of third-party base classes that a project class overrides or calls
    through ``self``, as '<module>.<Class>.<name>' of the class that defines them."""
    relied: Dict[str, List[str]] = {}
    for cls, node in _project_classes():
        own = {name for name in cls.__dict__ if name.startswith("_") and not name.startswith("__")}
        used = {
            n.attr
            for n in ast.walk(node)
            if isinstance(n, ast.Attribute)
            and isinstance(n.value, (ast.Name, ast.Call))
            and (getattr(n.value, "id", None) == "self" or isinstance(n.value, ast.Call))
            and n.attr.startswith("_")
            and not n.attr.startswith("__")
        }
        for name in own | used:
            if name == "_abc_impl" or "__" in name.lstrip("_"):  # abc's bookkeeping, name-mangled attributes
                continue
            definer = next((base for base in cls.__mro__[1:] if name in base.__dict__), None)
            if definer is not None and _third_party(definer):
                target = f"{definer.__module__}.{definer.__qualname__}.{name}"
                relied.setdefault(target, []).append(f"{cls.__module__}.{cls.__qualname__}")
    return relied


def test_every_private_member_of_a_third_party_class_we_override_or_call_is_registered():
    registered = {patch.target for patch in patches.PATCHES}
    missing = {target: users for target, users in private_members_relied_on().items() if target not in registered}
    assert not missing, f"private third-party members relied on but not registered in addons/patches.py: {missing}"


def test_every_registered_reliance_is_still_relied_on():
    relied = private_members_relied_on()
    stale = [p.target for p in patches.PATCHES if p.install is None and p.target not in relied]
    assert not stale, f"registered as relied on, but no project class overrides or calls them: {stale}"


# ------------------------------------------------------------------ the versions and hashes


def test_the_installed_packages_are_the_ones_every_patch_was_written_for():
    # A fresh process: nothing is replaced there yet, so each hash is of the installed source.
    run = subprocess.run(
        [sys.executable, "-m", "addons.patches"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"{len(patches.PATCHES)} patches, 0 different" in run.stdout


def test_each_patch_names_a_process_an_exact_version_and_a_full_hash():
    for patch in patches.PATCHES:
        assert patch.process in ("rasa", "actions"), patch.target
        assert patch.written_for.count("==") == 1 and patch.version, patch.target
        assert len(patch.original_sha256) == 64 and int(patch.original_sha256, 16) >= 0, patch.target
        assert patch.why and patch.used_in and (ROOT / patch.used_in).is_file(), patch.target
    targets = [patch.target for patch in patches.PATCHES]
    assert len(targets) == len(set(targets))
    assert [p.target for p in patches.REPAIRS] == [p.target for p in patches.PATCHES[: len(patches.REPAIRS)]]


REAL_LOAD_MODEL = patches.registered("rasa.core.agent.Agent.load_model")
INSTALLED = []


def record_install(*args):
    INSTALLED.append(args)


REPLACED = threading.Event()


def replace_for_test(*args):
    REPLACED.set()


def _fake(**changes) -> patches.Patch:
    """A patch registered as if written for other Rasa code than the installed one."""
    fields = dict(
        target="rasa.core.agent.Agent.load_model (a test's copy)",
        written_for=patches.RASA,
        original_sha256=REAL_LOAD_MODEL.original_sha256,
        why="a test",
        used_in="addons/collector.py",
        install=patches.Installer(__name__, "record_install"),
        reads=("rasa.core.agent.Agent.load_model",),
    )
    fields.update(changes)
    return patches.Patch(**fields)


def test_the_fake_patch_as_written_passes():
    patches.verify(_fake())


def test_a_changed_source_refuses_with_both_hashes_and_what_to_do():
    fake = _fake(original_sha256="0" * 64)
    with pytest.raises(patches.PatchRefused) as refused:
        patches.verify(fake)
    message = str(refused.value)
    assert "rasa.core.agent.Agent.load_model (a test's copy) (addons/collector.py)" in message
    assert f"written for rasa==3.6.21, source sha256 {'0' * 64}" in message
    assert f"found       rasa==3.6.21, source sha256 {REAL_LOAD_MODEL.original_sha256}" in message
    assert "the hash covers: rasa.core.agent.Agent.load_model" in message
    assert "What to do:" in message and "python -m addons.patches" in message


def test_a_changed_version_refuses():
    with pytest.raises(patches.PatchRefused) as refused:
        patches.verify(_fake(written_for="rasa==3.6.20"))
    message = str(refused.value)
    assert "written for rasa==3.6.20" in message and "found       rasa==3.6.21" in message


def test_code_that_is_gone_refuses():
    with pytest.raises(patches.PatchRefused, match=r"not found: .*no_such_method"):
        patches.verify(_fake(reads=("rasa.core.agent.Agent.no_such_method",)))
    with pytest.raises(patches.PatchRefused, match=r"found       not-installed-anywhere==\(not installed\)"):
        patches.verify(_fake(written_for="not-installed-anywhere==1.0"))


def test_a_refused_patch_is_not_installed(monkeypatch):
    good, bad = _fake(target="good"), _fake(target="bad", written_for="rasa==2.0.0")
    monkeypatch.setattr(patches, "PATCHES", [*patches.PATCHES, good, bad])
    INSTALLED.clear()
    patches.install("good", "argument")
    assert INSTALLED == [("argument",)]
    with pytest.raises(patches.PatchRefused):
        patches.install("bad", "argument")
    assert INSTALLED == [("argument",)]


def test_replicas_installing_at_once_each_see_the_code_as_it_was(monkeypatch):
    """Replicas started as threads of one process: a thread that checks while another installs
    must not hash the replaced code and refuse (a failure seen in CI)."""
    REPLACED.clear()

    def hash_taking_time(package, names):
        time.sleep(0.05)
        if REPLACED.is_set():
            raise LookupError("already replaced by the project's code")
        return REAL_LOAD_MODEL.original_sha256

    fake = _fake(target="installed by every replica", install=patches.Installer(__name__, "replace_for_test"))
    monkeypatch.setattr(patches, "PATCHES", [*patches.PATCHES, fake])
    monkeypatch.setattr(patches, "_found", {})
    monkeypatch.setattr(patches, "source_sha256", hash_taking_time)
    refusals: List[Exception] = []

    def replica(delay: float) -> None:
        time.sleep(delay)
        try:
            patches.install("installed by every replica")
        except patches.PatchRefused as refused:
            refusals.append(refused)

    threads = [threading.Thread(target=replica, args=(0.03 * n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert REPLACED.is_set() and refusals == []


def test_a_check_lists_every_refused_patch_of_its_process(monkeypatch):
    one, two = _fake(target="one", original_sha256="1" * 64), _fake(target="two", written_for="rasa==9")
    other = _fake(target="other process", original_sha256="2" * 64, process="actions")
    monkeypatch.setattr(patches, "PATCHES", [*patches.PATCHES, one, two, other])
    with pytest.raises(patches.PatchRefused) as refused:
        patches.check("rasa")
    message = str(refused.value)
    assert "- one (" in message and "- two (" in message and "other process" not in message
    assert message.count("What to do:") == 1


def test_the_rasa_launcher_refuses_to_start(monkeypatch):
    from addons import launch, rasa_server

    monkeypatch.setattr(patches, "PATCHES", [*patches.PATCHES, _fake(written_for="rasa==3.7.0")])
    monkeypatch.setattr(rasa_server, "prepare", lambda: pytest.fail("the repairs were installed"))
    monkeypatch.setenv("RASA_API_TOKEN", "a token")
    with pytest.raises(SystemExit) as stopped:
        launch.main(["--port", "5999"])
    assert "Refusing to start" in str(stopped.value.code) and "written for rasa==3.7.0" in str(stopped.value.code)


def test_the_action_server_refuses_to_start(monkeypatch):
    from addons import action_server

    refused = _fake(target="an action server patch", written_for="rasa-sdk==0.1", process="actions")
    monkeypatch.setattr(patches, "PATCHES", [*patches.PATCHES, refused])
    had_tensorflow = "tensorflow" in sys.modules
    with pytest.raises(SystemExit) as stopped:
        action_server.main()
    assert "an action server patch" in str(stopped.value.code)
    assert ("tensorflow" in sys.modules) == had_tensorflow, "nothing was installed"


def test_a_patched_target_is_not_hashed_as_the_original():
    """Checked after it was replaced, a target is reported as replaced, never hashed as Rasa's."""
    from rasa.shared.core.events import Event

    import addons.rasa_server

    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(Event, "resolve_by_type", Event.__dict__["resolve_by_type"])
        addons.rasa_server.install_event_lookup()
        with pytest.raises(LookupError, match="already replaced"):
            patches.source_of("rasa", "rasa.shared.core.events.Event.resolve_by_type")


def test_a_token_that_starts_with_a_dash_reaches_rasa_whole(monkeypatch):
    """token_urlsafe() gives a leading "-" one time in 64; Rasa's own parser must still read it as the token."""
    import rasa.__main__

    from addons import launch, metrics, privacy, rasa_server

    parsed = {}

    def rasa_main() -> None:
        parsed["args"] = rasa.__main__.create_argument_parser().parse_args(sys.argv[1:])

    monkeypatch.setattr(patches, "check", lambda process: None)
    monkeypatch.setattr(privacy, "install", lambda: None)
    monkeypatch.setattr(rasa_server, "prepare", lambda: None)
    monkeypatch.setattr(metrics, "serve", lambda name: None)
    monkeypatch.setattr(metrics, "prepare_multiprocess", lambda: None)
    monkeypatch.setattr(rasa.__main__, "main", rasa_main)
    monkeypatch.setattr(sys, "argv", list(sys.argv))
    token = "-" + "x" * 42
    monkeypatch.setenv("RASA_API_TOKEN", token)
    launch.main(["--port", "5999", "--enable-api"])
    assert parsed["args"].auth_token == token
