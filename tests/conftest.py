"""Shared fixtures: a trained model, the real action server, an in-process Agent.

Conversation tests talk to the real trained model through ``rasa.core.agent.Agent``
with the real action server (a subprocess): nothing is stubbed.
"""

from __future__ import annotations

import os
import subprocess
import uuid
from pathlib import Path
from typing import Any, Dict, List

import pytest

from tests.support.stack import MODEL, ROOT, Stack

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")

CONSULT = "utter_consult_professional"
# What may follow the consult recommendation after a result (bot/offers.py): offers, not advice.
OFFER_RESPONSES = frozenset(
    {"utter_offer_handoff", "utter_offer_handoff_contact", "utter_offer_checkin", "utter_offer_feedback"}
)


def without_offers(responses: List[str]) -> List[str]:
    """The responses with the offers made after a result left off the end."""
    responses = list(responses)
    while responses and responses[-1] in OFFER_RESPONSES:
        responses.pop()
    return responses


# Lines a test wants shown at the end of the run (the explorer's coverage figures).
SUMMARY_LINES: List[str] = []


def pytest_terminal_summary(terminalreporter):
    for line in SUMMARY_LINES:
        terminalreporter.write_line(line)


def pytest_sessionfinish(session):
    # A pytest-xdist worker (scripts/test.sh runs two): its lines go to the controller.
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["summary_lines"] = list(SUMMARY_LINES)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    SUMMARY_LINES.extend(getattr(node, "workeroutput", {}).get("summary_lines", []))


UNIT = ROOT / "tests" / "unit"


def _unit_only(args: List[str]) -> bool:
    paths = [Path(arg.split("::")[0]).resolve() for arg in args]
    return bool(paths) and all(path == UNIT or UNIT in path.parents for path in paths)


def pytest_configure(config):
    # sanic.app (imported with Rasa) puts "once" for every DeprecationWarning in front of the
    # process's warning filters when it is first imported: during collection that would hide
    # pytest.ini's filters until collection ends. Imported here, where pytest keeps the
    # filters as they were once the hook returns, it changes nothing. Not for tests/unit alone.
    if not _unit_only(config.args):
        import sanic  # noqa: F401


def pytest_collection_finish(session):
    # In-process Rasa logs every action at debug level unless told otherwise, which
    # triples the time of a conversation test. Only for a run that has tests other than
    # tests/unit: the unit tests run without Rasa (tests/unit/conftest.py checks).
    if all(UNIT in Path(item.path).parents for item in session.items):
        return
    import logging

    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)
    logging.getLogger("rasa").setLevel(logging.WARNING)


@pytest.fixture(scope="session")
def trained_model() -> Path:
    """The model `make test` trained; trained here when pytest runs on its own."""
    if not MODEL.exists():
        subprocess.run([str(ROOT / "scripts" / "train.sh")], check=True, cwd=ROOT)
    return MODEL


@pytest.fixture(scope="session")
def action_server(tmp_path_factory, trained_model) -> Stack:
    stack = Stack(workdir=tmp_path_factory.mktemp("actions"))
    stack.start_actions()
    yield stack
    stack.stop()


@pytest.fixture(scope="session")
async def agent(trained_model, action_server):
    from rasa.core.agent import Agent
    from rasa.utils.endpoints import EndpointConfig

    import addons.rasa_server

    addons.rasa_server.install()  # the server's per-message repairs (addons/launch.py): conversations run as served
    return Agent.load(str(trained_model), action_endpoint=EndpointConfig(action_server.action_url))


class Conversation:
    """One person talking to the in-process assistant."""

    def __init__(self, agent, sender_id: str | None = None):
        self.agent = agent
        self.sender_id = sender_id or f"test-{uuid.uuid4().hex[:12]}"
        self.turns: List[Dict[str, Any]] = []

    async def say(self, text: str) -> List[Dict[str, Any]]:
        replies = await self.agent.handle_text(text, sender_id=self.sender_id)
        self.turns.append({"user": text, "bot": replies})
        return replies

    async def tracker(self):
        return await self.agent.tracker_store.retrieve(self.sender_id)

    async def slots(self) -> Dict[str, Any]:
        tracker = await self.tracker()
        return tracker.current_slot_values() if tracker else {}

    async def bot_events(self):
        from rasa.shared.core.events import BotUttered

        return [e for e in (await self.tracker()).events if isinstance(e, BotUttered)]

    async def responses(self) -> List[str]:
        """Names of the responses uttered, in order (from domain rules and from actions)."""
        return [e.metadata.get("utter_action") for e in await self.bot_events()]

    async def texts(self) -> List[str]:
        return [e.text or "" for e in await self.bot_events()]

    async def consult_after_last_answer(self) -> bool:
        """The last bot message of the conversation so far, before any offers made after a
        result, is the consult recommendation."""
        names = without_offers(await self.responses())
        return bool(names) and names[-1] == CONSULT


@pytest.fixture
def conversation(agent):
    return Conversation(agent)


@pytest.fixture
def new_conversation(agent):
    return lambda: Conversation(agent)
