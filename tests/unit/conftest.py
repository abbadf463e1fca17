"""tests/unit is plain Python: no test here may import Rasa, rasa_sdk or addons/.

Tests that need them are in tests/adapter (run with Rasa). This conftest fails the run when a
unit test module (while it is collected) or a unit test (while it runs, fixtures included)
imports one of them, naming the test and the packages. When the run holds unit tests only
(``pytest tests/unit``, as scripts/test.sh and ``make test-fast`` run them), it also fails if
any of them is loaded at all at the end, whoever imported it.

In a run that mixes folders, a package another folder imported first is already loaded when
a unit test imports it again, and cannot be seen: run tests/unit on its own to be sure.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Dict, List, Set

import pytest

FORBIDDEN = ("rasa", "rasa_sdk", "addons")
HERE = Path(__file__).resolve().parent

_imported_by: Dict[str, Set[str]] = {}  # unit test module or test id -> forbidden packages it imported


def loaded() -> Set[str]:
    return {name.split(".")[0] for name in list(sys.modules) if name.split(".")[0] in FORBIDDEN}


def _in_unit(path: object) -> bool:
    return HERE in Path(str(path)).resolve().parents


def _record(who: str, before: Set[str]) -> None:
    new = loaded() - before
    if new:
        _imported_by.setdefault(who, set()).update(new)


def _report(found: Dict[str, Set[str]]) -> str:
    lines = [f"  {who}: {', '.join(sorted(names))}" for who, names in sorted(found.items())]
    return (
        "tests/unit must run without Rasa, rasa_sdk and addons/ (tests/unit/conftest.py); imported by:\n"
        + "\n".join(lines)
        + "\nMove such a test to tests/adapter, or test the plain-Python part (bot/) instead."
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    before = loaded()
    yield
    if isinstance(collector, pytest.Module) and _in_unit(collector.path):
        _record(str(Path(collector.path).relative_to(HERE.parents[1])), before)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    before = loaded()
    yield
    if _in_unit(item.path):
        _record(item.nodeid, before)


def _unit_only(session: pytest.Session) -> bool:
    return bool(session.items) and all(_in_unit(item.path) for item in session.items)


def pytest_collection_finish(session):
    if _imported_by:
        pytest.exit(_report(_imported_by), returncode=pytest.ExitCode.TESTS_FAILED)
    if _unit_only(session) and loaded():
        found = {"(collection: a conftest or plugin)": loaded()}
        pytest.exit(_report(found), returncode=pytest.ExitCode.TESTS_FAILED)


def pytest_sessionfinish(session, exitstatus):
    found: Dict[str, Set[str]] = dict(_imported_by)
    if _unit_only(session) and loaded() and not found:
        found["(a unit test run, whoever imported it)"] = loaded()
    if not found:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    lines: List[str] = _report(found).splitlines()
    if reporter is not None:
        reporter.ensure_newline()
        reporter.write_sep("=", "unit tests imported Rasa", red=True)
        for line in lines:
            reporter.write_line(line)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED
