"""Every place the project replaces, or leans on, a third-party internal: one registry.

Each ``Patch`` names what it replaces or relies on (``target``), the package version it was
written for, and a sha256 of the source of the third-party code it was written against
(``reads``: the target, and the private helpers the patch copies or calls). Before anything
is replaced, that code is found again in the installed packages and compared:

- ``install(target, *args)`` checks the one patch, then runs its installer;
- ``check(process)`` checks every patch of a server at start-up (``addons/launch.py`` for the
  Rasa server, ``addons/action_server.py`` for the action server), so a server refuses to
  start with one message naming each patch that no longer fits, instead of running a
  repair written for other code.

Where the installed version or source differs, ``PatchRefused`` says which patch, what it was
written for and what was found, and what to do. ``python -m addons.patches`` prints each
patch with the installed version and hash (what to write here after reviewing a change).

Patches without an installer replace nothing at run time: the project's code subclasses a
third-party class and overrides or calls one of its private members, and is checked all the
same. tests/adapter/test_patches.py checks that every replacement in addons/ and actions/
is registered here, and that a changed version or hash refuses.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.metadata
import inspect
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

RASA = "rasa==3.6.21"
RASA_SDK = "rasa-sdk==3.6.2"
ENGINEIO = "python-engineio==4.15.1"
SOCKETIO = "python-socketio==5.8.0"
THINC = "thinc==8.1.12"


class PatchRefused(RuntimeError):
    """The installed third-party code is not what a patch was written for: nothing was replaced."""


@dataclass(frozen=True)
class Installer:
    """``module.function(*args, *more)``, imported when called (this module imports no framework)."""

    module: str
    function: str
    args: Tuple[Any, ...] = ()

    def __call__(self, *more: Any) -> Any:
        return getattr(importlib.import_module(self.module), self.function)(*self.args, *more)

    @property
    def site(self) -> str:
        return f"{self.module}.{self.function}"


@dataclass(frozen=True)
class Patch:
    target: str  # what is replaced or relied on
    written_for: str  # "<distribution>==<version>" the patch was written against
    original_sha256: str  # of the source of ``reads`` (see source_sha256)
    why: str
    used_in: str  # the project's file with the patch
    install: Optional[Installer] = None  # None: relied on (a subclass override or call), not replaced
    reads: Tuple[str, ...] = ()  # the third-party code the hash covers; default: the target
    process: str = "rasa"  # the server that checks it at start-up: "rasa" or "actions"
    sites: Tuple[str, ...] = ()  # functions that make the assignment; default: the installer

    @property
    def package(self) -> str:
        return self.written_for.split("==")[0]

    @property
    def version(self) -> str:
        return self.written_for.split("==")[1]

    @property
    def covered(self) -> Tuple[str, ...]:
        return self.reads or (self.target,)

    @property
    def assignment_sites(self) -> Tuple[str, ...]:
        return self.sites or ((self.install.site,) if self.install else ())


def _repair(target: str, installer: Installer, sha: str, why: str, reads: Tuple[str, ...] = ()) -> Patch:
    return Patch(target, RASA, sha, why, "addons/rasa_server.py", installer, reads)


_TRACKERS = "rasa.shared.core.trackers.DialogueStateTracker"
_DOMAIN = "rasa.shared.core.domain.Domain"
_DASK = "rasa.engine.runner.dask.DaskGraphRunner"
_ACTION = "rasa.core.actions.action.RemoteAction"

# The per-message repairs inside Rasa (addons/rasa_server.py, docs/performance.md), in the
# order addons.rasa_server.install() installs them.
REPAIRS: Tuple[Patch, ...] = (
    _repair(
        f"{_ACTION}._validate_action_result",
        Installer("addons.rasa_server", "install_response_check"),
        "67763f049baff745cbbaaef0b6fad991a4c3aa794b4a74dec09301acf88e1b95",
        "Rasa checks its own constant schema against the JSON-Schema meta-schema before every "
        "custom-action response (nine tenths of the check); checked once here, and an invalid "
        "response still gets Rasa's own check and error",
        (f"{_ACTION}._validate_action_result", f"{_ACTION}.action_response_format_spec"),
    ),
    _repair(
        "rasa.shared.core.events.Event.resolve_by_type",
        Installer("addons.rasa_server", "install_event_lookup"),
        "20dc4cae2c7cdd96be44e31cdd9d3acac17c65964f2f37886a235d32896ab573",
        "every event read back walks all Event subclasses to find its class; the answer is kept per type name",
    ),
    _repair(
        f"{_TRACKERS}.applied_events",
        Installer("addons.rasa_server", "replace_method", ("DialogueStateTracker", "applied_events")),
        "7762e05d9992861e7ecfb0527d3acbdc2c94272a1c59fc1aae84f1dffb50588c",
        "worked out again from the first event several times per prediction; carried on from the "
        "tracker's previous pass (with the two below: Rasa CPU 17.5 -> 14.7 ms per message)",
        (
            f"{_TRACKERS}.applied_events",
            f"{_TRACKERS}._undo_till_previous",
            f"{_TRACKERS}._first_loop_execution_or_unhappy_path",
            f"{_TRACKERS}._undo_till_previous_loop_execution",
        ),
    ),
    _repair(
        f"{_TRACKERS}.copy",
        Installer("addons.rasa_server", "replace_method", ("DialogueStateTracker", "copy")),
        "983ef708f88d2e37f041165e9caf2fd0f9876f9a2bda2b65f12d860079dd5378",
        "replays every event before each action; the copy takes the events and the state as they are "
        "(the state is every attribute __init__ and _reset set)",
        (
            f"{_TRACKERS}.copy",
            f"{_TRACKERS}.travel_back_in_time",
            f"{_TRACKERS}.init_copy",
            f"{_TRACKERS}.__init__",
            f"{_TRACKERS}._reset",
        ),
    ),
    _repair(
        f"{_DOMAIN}.states_for_tracker_history",
        Installer("addons.rasa_server", "replace_method", ("Domain", "states_for_tracker_history")),
        "5345055fa27c31557e66d5bc4bbcf6a2c54a38a0d947f5b9437eec04d4c27455",
        "replays every applied event into a fresh tracker for each prediction; carried on from the "
        "tracker's settled pass, one iteration of Rasa's loop at a time",
        (
            f"{_DOMAIN}.states_for_tracker_history",
            f"{_DOMAIN}._get_prev_action_sub_state",
            f"{_DOMAIN}.get_active_state",
            f"{_DOMAIN}._remove_rule_only_features",
            f"{_DOMAIN}._substitute_rule_only_user_input",
            f"{_DOMAIN}._clean_state",
        ),
    ),
    _repair(
        "rasa.shared.core.slots.Slot.__copy__",
        Installer("addons.rasa_server", "replace_method", ("Slot", "__copy__")),
        "fa0f86b0a638672e2b65c0e31615e7703582c4c6ae3b7f452b693456ba23d2f3",
        "every new tracker copies every slot with copy.copy's generic reduce path; the copy is what "
        "that path makes, as long as no slot class defines its own copy or reduce (the whole module "
        "is covered): 0.91x CPU per message",
        ("rasa.shared.core.slots",),
    ),
    _repair(
        f"{_DASK}.run",
        Installer("addons.rasa_server", "replace_method", ("DaskGraphRunner", "run")),
        "a7bd61f30ca635799ca255723ed0cd13f505e0809680943c19d7696a5e53c191",
        "dask's scheduler bookkeeping on every graph run (several per message); each node runs once "
        "after the nodes it needs, with Rasa's inputs, outputs and errors: 0.93x CPU per message",
        (
            f"{_DASK}.run",
            f"{_DASK}.__init__",
            f"{_DASK}._instantiate_nodes",
            f"{_DASK}._build_dask_graph",
            f"{_DASK}._add_inputs_to_graph",
            "rasa.engine.graph.GraphSchema.minimal_graph_schema",
        ),
    ),
)

PATCHES: List[Patch] = [
    *REPAIRS,
    Patch(
        "rasa.core.agent.Agent.load_model",
        RASA,
        "4941f37a607708edb4c866789a54da17c0c862bf0e25e5385a50f18cb8a8ad24",
        "what the model loads is frozen out of the cyclic garbage collector, whose full collections "
        "paused every conversation ~270 ms about every 400 messages",
        "addons/collector.py",
        Installer("addons.rasa_server", "freeze_after_model_load"),
        sites=("addons.collector.freeze_after",),
    ),
    Patch(
        "rasa.core.agent.Agent._create_tracker_store",
        RASA,
        "76c4205234d2ee3b24b7d8d6f02d182efe9a60cdf7c2539fe26e54fbf744730b",
        "Rasa's FailSafeTrackerStore answers from an empty conversation, kept in memory only, when the "
        "database fails; for ConversationStore its on_tracker_store_error hook raises StoreUnavailable "
        "and the turn is refused whole",
        "addons/tracker_store.py",
        Installer("addons.tracker_store", "hand_on_store_errors"),
        ("rasa.core.agent.Agent._create_tracker_store", "rasa.core.tracker_store.FailSafeTrackerStore"),
    ),
    Patch(
        "rasa.core.actions.action.DEFAULT_REQUEST_TIMEOUT",
        RASA,
        "eae6be5ea44bff718783e705165cc636ed775e837278f402e7b4aa1a4182fde4",
        "Rasa waits 300 s for the action server; lowered to ACTION_TIMEOUT (10 s) so that a slow action "
        "server cannot hold a turn. RemoteAction.run reads the module's constant at call time",
        "addons/safety.py",
        Installer("addons.safety", "apply_action_timeout"),
        (f"{_ACTION}.run",),
    ),
    Patch(
        "engineio.base_server.BaseServer.cors_allowed_origins",
        ENGINEIO,
        "b5810555eedff1fb662502f2700230fef018612f97e8f6ce4d80adc6a6c73357",
        "Rasa 3.6 builds its socket.io server with cors_allowed_origins=[], which skips engine.io's "
        "Origin check (any web site could open a WebSocket to the assistant); the channel's origins "
        "are given to engine.io after it is built, and it reads them on each request",
        "addons/channels/socketio.py",
        Installer("addons.channels.socketio", "accept_only"),
        (
            "engineio.async_server.AsyncServer.handle_request",
            "engineio.base_server.BaseServer._cors_allowed_origins",
        ),
    ),
    Patch(
        "engineio.base_server.BaseServer._cors_headers",
        ENGINEIO,
        "d89ce2b5d3d6bcae46a97bb29cde42f6bb628a184180b08cfd7ae6f98cc9fc88",
        "with the origins set, engine.io would add its own Access-Control-Allow-Origin beside "
        "sanic-cors's, and browsers reject two",
        "addons/channels/socketio.py",
        Installer("addons.channels.socketio", "without_engineio_cors_headers"),
        ("engineio.base_server.BaseServer._cors_headers", "engineio.async_server.AsyncServer._make_response"),
    ),
    Patch(
        "socketio.asyncio_server.AsyncServer._handle_eio_message",
        SOCKETIO,
        "f7937990bf729be346d1242adc497bf14e78343601ce748e7204fb4385027937",
        "a WebSocket frame reaches socket.io's decoder with no guard before it, and a frame nested "
        "10,000 deep is a RecursionError there; engine.io's message handler is re-registered with "
        "a depth check that closes the socket first, then calls socket.io's own",
        "addons/channels/socketio.py",
        Installer("addons.channels.socketio", "refuse_deep_frames"),
        ("socketio.asyncio_server.AsyncServer._handle_eio_message", "socketio.server.Server.__init__"),
    ),
    Patch(
        "structlog.get_config()['processors']",
        RASA,
        "929c2de0f7c903e8209dd73160144c2a51d9bbca2137f4828a14e344f7516596",
        "the processors Rasa configures for its structured logs keep user data in named fields and "
        "render exception traces with their local variables (the message among them): Rasa's own "
        "list of user-data fields is dropped and traces rendered without locals",
        "addons/privacy.py",
        Installer("addons.privacy", "configure_structlog"),
        ("rasa.utils.log_utils.configure_structlog", "rasa.utils.log_utils._anonymizer"),
    ),
    Patch(
        "rasa.core.channels.channel.CollectingOutputChannel._persist_message",
        RASA,
        "9916771e81fba44aa4b23c6278d39ddbffe3efc1e15af71241cdf121dbcc5138",
        "overridden: Rasa's REST output drops each message's metadata.kind, the override passes it "
        "on for every part of a message Rasa splits",
        "addons/channels/kinds.py",
        reads=("rasa.core.channels.channel.CollectingOutputChannel",),
    ),
    Patch(
        "rasa.core.channels.socketio.SocketIOOutput._send_message",
        RASA,
        "a95602c386cd22e243893956f4a2c31a94546d40dc0e2d02dad06c60f12c3da5",
        "overridden: the same for socket.io",
        "addons/channels/kinds.py",
        reads=("rasa.core.channels.socketio.SocketIOOutput",),
    ),
    Patch(
        "rasa.core.channels.slack.SlackBot._post_message",
        RASA,
        "86e45738c5041c3ad0251ef3c56dde2ff8c097b7d888a1dcc05794f2ab124d4f",
        "called: the Slack output posts its rendered blocks through Rasa's own poster",
        "addons/channels/connectors.py",
    ),
    Patch(
        "rasa.core.policies.policy.Policy._prediction",
        RASA,
        "c28abc40a4e59225d96589a28a24ec1e7aff5137dcd32d7ca40f05577c5850b6",
        "called: SafetyPolicy builds its predictions with the policies' own helper",
        "addons/safety.py",
    ),
    Patch(
        "rasa.core.tracker_store.SQLTrackerStore._event_query",
        RASA,
        "c35ffd4e6365d8db74835a4a0938041d871eb98cf259b84817da0de81ef24a19",
        "called, and save rewritten: ConversationStore.save writes the rows SQLTrackerStore.save "
        "writes (redacted, in one statement) and counts a session's stored events with Rasa's query",
        "addons/tracker_store.py",
        reads=(
            "rasa.core.tracker_store.SQLTrackerStore._event_query",
            "rasa.core.tracker_store.SQLTrackerStore.save",
        ),
    ),
    Patch(
        "rasa.core.tracker_store.SQLTrackerStore._retrieve",
        RASA,
        "b60acda8135611f799a60cdf25148cb0100e408c0aaffc9210f14b528a1a31c1",
        "overridden: ConversationStore._retrieve is Rasa's, reading each row through the decryption "
        "of addons/encryption.py",
        "addons/tracker_store.py",
    ),
    # The action server.
    Patch(
        "sys.modules['tensorflow']",
        THINC,
        "00014a881c6cd9107c073af85494b534fb81c2fea63ffc600357ab4459f05fc4",
        "spaCy's thinc imports TensorFlow whenever it can (about 475 MB and seconds of start-up) for "
        "nothing an action uses; marked absent, thinc's guarded import fails and it runs without it",
        "addons/action_server.py",
        Installer("addons.action_server", "without_tensorflow"),
        ("thinc.compat",),
        process="actions",
    ),
    Patch(
        "rasa_sdk.executor.ActionExecutor.register_package",
        RASA_SDK,
        "10281bb85961a27d454d832b443a2fe1e6f7240699371059f425c309da14d83d",
        "what the actions load is frozen out of the cyclic garbage collector (a full collection "
        "examined ~105,000 objects, ~65 ms)",
        "addons/collector.py",
        Installer("addons.action_server", "freeze_after_actions_load"),
        process="actions",
        sites=("addons.collector.freeze_after",),
    ),
    Patch(
        "rasa_sdk.executor.ActionExecutor.run",
        RASA_SDK,
        "402679bf7a6ae566ac42f76b0c607c192a3de43694bf096cd9caa86f2a5691ec",
        "each custom action's call, errors and time counted for the operators' metrics; the call "
        "itself is rasa_sdk's, unchanged",
        "addons/metrics.py",
        Installer("addons.metrics", "count_actions"),
        process="actions",
    ),
    Patch(
        "rasa_sdk.forms.FormValidationAction._extract_validation_events",
        RASA_SDK,
        "f25f4a3511db452132dc7f5692fef443fd2dc5f5dcfdab7d5b73c3380ebadfdd",
        "called: ValidateSymptomForm.run is rasa_sdk's run (also covered) plus the extracted slots "
        "the form no longer requires",
        "actions/interview.py",
        reads=(
            "rasa_sdk.forms.FormValidationAction.run",
            "rasa_sdk.forms.FormValidationAction._extract_validation_events",
        ),
        process="actions",
    ),
]


def registered(target: str) -> Patch:
    for patch in PATCHES:
        if patch.target == target:
            return patch
    raise KeyError(f"{target} is not registered in addons/patches.py")


# ------------------------------------------------------------------ checking


def _module_file(package: str, module: str) -> Optional[Path]:
    distribution = importlib.metadata.distribution(package)
    base = module.replace(".", "/")
    for name in (f"{base}.py", f"{base}/__init__.py"):
        path = Path(str(distribution.locate_file(name)))
        if path.is_file():
            return path
    return None


def source_of(package: str, name: str) -> str:
    """The source of ``name`` as installed: a module's file (read, not imported), or the
    definition of a class, function or method."""
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        path = _module_file(package, ".".join(parts[:cut]))
        if path is not None:
            break
    else:
        raise LookupError(f"{name} is not a module of the installed {package}")
    if cut == len(parts):
        return path.read_text(encoding="utf-8")
    found: Any = importlib.import_module(".".join(parts[:cut]))
    for attribute in parts[cut:]:
        found = inspect.getattr_static(found, attribute)  # as defined, not as looked up
    if isinstance(found, (staticmethod, classmethod)):
        found = found.__func__
    if isinstance(found, property):
        found = found.fget
    if getattr(inspect.unwrap(found), "__module__", "").split(".")[0] in ("addons", "actions", "bot"):
        raise LookupError(f"{name} is already replaced by the project's code: it is checked before it is replaced")
    return inspect.getsource(found)


def source_sha256(package: str, names: Sequence[str]) -> str:
    digest = hashlib.sha256()
    for name in names:
        digest.update(f"# {name}\n".encode())
        digest.update(source_of(package, name).encode())
    return digest.hexdigest()


_found: Dict[Tuple[str, Tuple[str, ...]], Tuple[str, str]] = {}
# Replicas started as threads in one process check and install at the same time: without the
# lock one thread can hash the source after another has already replaced it, and refuse.
_checking = threading.RLock()


def found(patch: Patch) -> Tuple[str, str]:
    """The installed version of the patch's package and the sha256 of what it covers; worked out
    once per process (the first time, before anything is replaced)."""
    key = (patch.package, patch.covered)
    with _checking:
        return _found_locked(patch, key)


def _found_locked(patch: Patch, key: Tuple[str, Tuple[str, ...]]) -> Tuple[str, str]:
    if key not in _found:
        try:
            version = importlib.metadata.version(patch.package)
        except importlib.metadata.PackageNotFoundError:
            version = "(not installed)"
        try:
            sha = source_sha256(patch.package, patch.covered)
        except (LookupError, OSError, TypeError, ImportError, AttributeError) as error:
            sha = f"(not found: {error})"
        _found[key] = (version, sha)
    return _found[key]


def mismatch(patch: Patch) -> Optional[Tuple[str, str]]:
    """(found version, found sha256) when either differs from what the patch was written for."""
    version, sha = found(patch)
    if version == patch.version and sha == patch.original_sha256:
        return None
    return version, sha


def refusal(mismatches: Sequence[Tuple[Patch, str, str]]) -> str:
    lines = [
        "Refusing to start: the third-party code these patches replace or rely on is not the code "
        "they were written for (addons/patches.py)."
    ]
    for patch, version, sha in mismatches:
        lines += [
            f"- {patch.target} ({patch.used_in})",
            f"    written for {patch.written_for}, source sha256 {patch.original_sha256}",
            f"    found       {patch.package}=={version}, source sha256 {sha}",
            f"    the hash covers: {', '.join(patch.covered)}",
        ]
    lines.append(
        "What to do: install the version the patch was written for (requirements.txt pins it); or "
        "read the installed source of what the hash covers against the patch in the file named, "
        "update the patch or remove it, and record the new version and sha256 in addons/patches.py "
        "(`python -m addons.patches` prints them)."
    )
    return "\n".join(lines)


def verify(patch: Patch) -> None:
    found_now = mismatch(patch)
    if found_now is not None:
        raise PatchRefused(refusal([(patch, *found_now)]))


def check(process: str) -> None:
    """Every patch of one server (``"rasa"`` or ``"actions"``), before any is installed."""
    mismatches = []
    for patch in PATCHES:
        if patch.process == process:
            found_now = mismatch(patch)
            if found_now is not None:
                mismatches.append((patch, *found_now))
    if mismatches:
        raise PatchRefused(refusal(mismatches))


def install(target: str, *args: Any) -> Any:
    """Checks the patch for ``target``, then installs it (``args`` go to its installer)."""
    patch = registered(target)
    if patch.install is None:
        raise ValueError(f"{target} has no installer: it is relied on, not replaced")
    with _checking:
        verify(patch)
        return patch.install(*args)


def main(argv: Sequence[str]) -> int:
    """Prints every patch with what is installed; exit status 1 if any differs."""
    different = 0
    for patch in PATCHES:
        version, sha = found(patch)
        ok = version == patch.version and sha == patch.original_sha256
        different += not ok
        print(f"{'ok  ' if ok else 'DIFF'} [{patch.process}] {patch.target}")
        if not ok or "-v" in argv:
            print(f"       written for {patch.written_for}  sha256 {patch.original_sha256}")
            print(f"       installed   {patch.package}=={version}  sha256 {sha}")
    print(f"{len(PATCHES)} patches, {different} different from what they were written for.")
    return 1 if different else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
