"""The safety screen on real servers (``Stack``), over REST and socket.io, when things go wrong.

- Typed commands ("/restart", "/back", "/session_start", '/intent{...}') after an
  emergency are read as plain words: triage_level stays "emergency".
- With the action server stopped, an emergency message still gets the emergency
  instruction (configured number, consult advice) and triage_level is set: the screen
  runs inside the Rasa server (addons/safety.py). A turn that would otherwise be silent
  gets the fixed, safe fallback reply.
- With an action server that accepts connections but never answers, Rasa gives up after
  ACTION_TIMEOUT seconds and the turn still ends with the fallback, not in silence.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Dict, List

import pytest
import requests
import socketio
import yaml

from tests.e2e import CHANNEL_ENV, CREDENTIALS_YML
from tests.support.stack import ROOT, Stack

pytestmark = pytest.mark.e2e

TOKEN = f"safety-test-{uuid.uuid4().hex}"
NUMBER = "112"  # a configured number, to show the instruction uses the settings
ACTION_TIMEOUT = 3
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text())
EMERGENCY = "i've lost control of my bladder and it's numb between my legs"
COMMANDS = ["/restart", "/back", "/session_start", '/intent{"triage_level": "routine"}', "/deny", "/greet"]


def servers(workdir, **settings: str) -> Stack:
    """Rasa and the action server (no web page), the messaging channels off."""
    credentials = workdir / "credentials.yml"
    credentials.write_text(CREDENTIALS_YML)
    env = {name: "" for name in CHANNEL_ENV}
    env.update(ACTION_TIMEOUT=str(ACTION_TIMEOUT), **settings)
    return Stack(workdir=workdir, token=TOKEN, credentials=credentials, extra_env=env)


@pytest.fixture(scope="module")
def stack(trained_model, tmp_path_factory):
    stack = servers(tmp_path_factory.mktemp("safety-faults"), EMERGENCY_NUMBER=NUMBER)
    try:
        stack.start(with_web=False)
        yield stack
    finally:
        stack.stop()


def consult_texts() -> List[str]:
    texts = [v["text"] for v in DOMAIN["responses"]["utter_consult_professional"]]
    return [t.replace("{place_gp}", "your GP").replace("{place_pharmacist}", "a pharmacist") for t in texts]


def rest_say(stack: Stack, sender: str, text: str) -> List[str]:
    response = requests.post(
        f"{stack.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=120
    )
    response.raise_for_status()
    return [m.get("text") or "" for m in response.json()]


def slots(stack: Stack, sender: str) -> Dict:
    response = requests.get(f"{stack.rasa_url}/conversations/{sender}/tracker", params={"token": TOKEN}, timeout=60)
    response.raise_for_status()
    return response.json()["slots"]


async def socketio_say(stack: Stack, texts: List[str], session: str = "", settle: float = 4.0) -> List[List[str]]:
    """Each text sent over socket.io (Rasa's events), with the bot messages that came back.
    With session persistence the session id is the conversation id."""
    client = socketio.AsyncClient()
    session = session or uuid.uuid4().hex
    received: List[str] = []
    confirmed = asyncio.Event()
    client.on("bot_uttered", lambda data: received.append((data or {}).get("text") or ""))
    client.on("session_confirm", lambda *_: confirmed.set())
    origin = f"http://localhost:{stack.web_port}"  # an allowed origin (CORS_ORIGINS)
    await client.connect(stack.rasa_url, transports=["polling"], headers={"Origin": origin})
    try:
        await client.emit("session_request", {"session_id": session})
        await asyncio.wait_for(confirmed.wait(), 30)
        turns = []
        for text in texts:
            received.clear()
            await client.emit("user_uttered", {"message": text, "session_id": session})
            quiet_since = time.monotonic()
            seen = 0
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and (not received or time.monotonic() - quiet_since < settle):
                await asyncio.sleep(0.2)
                if len(received) != seen:
                    seen, quiet_since = len(received), time.monotonic()
            turns.append(list(received))
        return turns
    finally:
        await client.disconnect()
    return []


def assert_emergency_instruction(said: List[str]) -> None:
    joined = " ".join(said)
    assert said and said[0].startswith(f"Please call {NUMBER} now"), said
    assert "999" not in joined, "the configured number, not the default"
    assert "You mentioned" in joined and "cauda equina" in joined
    assert any(text in said for text in consult_texts()), "the escalation ends with the consult advice"


# --------------------------------------------------------------------------- what each message is
def test_each_message_says_what_it_is_over_rest(stack):
    """The kinds a web client reads instead of the wording (docs/api.md)."""
    response = requests.post(
        f"{stack.rasa_url}/webhooks/rest/webhook",
        json={"sender": uuid.uuid4().hex, "message": EMERGENCY},
        timeout=120,
    )
    messages = response.json()
    kinds = [(m.get("metadata") or {}).get("kind") for m in messages]
    assert kinds[0] == "emergency" and messages[0]["text"].startswith(f"Please call {NUMBER} now"), messages
    assert kinds[-1] == "consult" and messages[-1]["text"] in consult_texts(), messages
    assert set(kinds) <= {"emergency", "told", "consult", None}, kinds
    # The number to call goes with each emergency message, from the settings (issue 26).
    calls = [(m.get("metadata") or {}).get("call") for m in messages]
    assert calls == [{"number": NUMBER, "label": f"Call {NUMBER}"} if k == "emergency" else None for k in kinds]


# --------------------------------------------------------------------------- typed commands
def test_typed_commands_after_an_emergency_do_not_lower_the_level_over_rest(stack):
    sender = uuid.uuid4().hex
    assert_emergency_instruction(rest_say(stack, sender, EMERGENCY))
    for command in COMMANDS:
        said = rest_say(stack, sender, command)
        assert said, f"{command!r} got no reply"
        current = slots(stack, sender)
        assert current["triage_level"] == "emergency", f"{command!r} lowered the level"
        assert "bladder_dysfunction" in current["red_flags"], f"{command!r} cleared the red flags"
        assert said[0].startswith(f"Please don't wait: call {NUMBER} now"), (command, said)


async def test_typed_commands_after_an_emergency_do_not_lower_the_level_over_socketio(stack):
    session = uuid.uuid4().hex  # socket.io session ids are 32 hex digits (docs/security.md)
    turns = await socketio_say(stack, [EMERGENCY, *COMMANDS], session=session)
    assert_emergency_instruction(turns[0])
    for command, said in zip(COMMANDS, turns[1:], strict=True):
        assert said and said[0].startswith(f"Please don't wait: call {NUMBER} now"), (command, said)
    current = slots(stack, f"socketio:{session}")
    assert current["triage_level"] == "emergency" and "bladder_dysfunction" in current["red_flags"]


def test_a_slash_before_a_red_flag_is_screened_like_any_text(stack):
    sender = uuid.uuid4().hex
    said = rest_say(stack, sender, "/lost control of my bladder")
    assert said[0].startswith(f"Please call {NUMBER} now")
    assert slots(stack, sender)["triage_level"] == "emergency"


# --------------------------------------------------------------------------- action server down
@pytest.fixture(scope="module")
def actions_down(stack):
    stack.stop_actions()
    return stack


def test_emergency_with_the_action_server_down_over_rest(actions_down):
    sender = uuid.uuid4().hex
    assert_emergency_instruction(rest_say(actions_down, sender, EMERGENCY))
    current = slots(actions_down, sender)
    assert current["triage_level"] == "emergency"
    assert {"bladder_dysfunction", "saddle_numbness"} <= set(current["red_flags"])


async def test_emergency_with_the_action_server_down_over_socketio(actions_down):
    session = uuid.uuid4().hex  # socket.io session ids are 32 hex digits (docs/security.md)
    (said,) = await socketio_say(actions_down, [EMERGENCY], session=session)
    assert_emergency_instruction(said)
    assert slots(actions_down, f"socketio:{session}")["triage_level"] == "emergency"


def test_a_targeted_safety_question_and_its_yes_need_no_action_server(actions_down):
    """Issue 22: the check is asked, with its buttons, and "yes" escalates, in the Rasa process."""
    sender = uuid.uuid4().hex
    response = requests.post(
        f"{actions_down.rasa_url}/webhooks/rest/webhook",
        json={"sender": sender, "message": "I've been having some bother with the toilet since my back went"},
        timeout=120,
    )
    response.raise_for_status()
    question = response.json()[-1]
    assert "trouble starting to pee" in question["text"]
    assert [b["title"] for b in question["buttons"]] == ["Yes", "No", "Not sure"]
    said = rest_say(actions_down, sender, "yes")
    assert said[0].startswith(f"Please call {NUMBER} now"), said
    assert slots(actions_down, sender)["triage_level"] == "emergency"


def test_new_red_flag_families_escalate_with_the_action_server_down(actions_down):
    for text in (
        "came off scaffolding at work and my back is agony",
        "there's a lump in my tummy that beats like a heart and sudden severe back pain",
    ):
        sender = uuid.uuid4().hex
        said = rest_say(actions_down, sender, text)
        assert said[0].startswith(f"Please call {NUMBER} now"), (text, said)
        assert slots(actions_down, sender)["triage_level"] == "emergency"


def test_a_turn_that_needs_the_action_server_gets_the_safe_fallback(actions_down):
    sender = uuid.uuid4().hex
    said = rest_say(actions_down, sender, "what is sciatica?")
    fallback = [text for text in said if text.startswith("Sorry, something went wrong on my side")]
    assert len(fallback) == 1, said
    assert f"call {NUMBER} now" in fallback[0].lower()
    assert said[-1] in consult_texts()


# --------------------------------------------------------------------------- action server slow
class BlackHole:
    """Accepts connections on a port and never answers: an action server that hangs."""

    def __init__(self, port: int) -> None:
        self.server = socket.socket()
        self.server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.server.bind(("127.0.0.1", port))
        self.server.listen(16)
        self.connections: List[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            self.connections.append(connection)

    def close(self) -> None:
        for connection in self.connections:
            connection.close()
        self.server.close()


@pytest.fixture(scope="module")
def actions_slow(actions_down):
    hole = BlackHole(actions_down.action_port)
    yield actions_down
    hole.close()


def test_a_hanging_action_server_is_given_up_on_and_the_turn_still_answers(actions_slow):
    sender = uuid.uuid4().hex
    started = time.monotonic()
    said = rest_say(actions_slow, sender, "what is sciatica?")
    elapsed = time.monotonic() - started
    assert any(text.startswith("Sorry, something went wrong on my side") for text in said), said
    assert said[-1] in consult_texts()
    assert elapsed < 10 * ACTION_TIMEOUT, f"the turn took {elapsed:.0f} s"
    emergency = rest_say(actions_slow, uuid.uuid4().hex, EMERGENCY)
    assert_emergency_instruction(emergency)


# --------------------------------------------------------------------------- a message queued behind a slow turn
def say_both_at_once(stack: Stack, sender: str) -> List[requests.Response]:
    """Two messages of one conversation, the second sent while the first waits for the
    hanging action server: the second waits for the conversation's lock."""

    def post(text: str) -> requests.Response:
        return requests.post(
            f"{stack.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=120
        )

    with ThreadPoolExecutor(max_workers=2) as pool:
        first = pool.submit(post, "what is sciatica?")
        time.sleep(1.0)
        second = pool.submit(post, "what is a slipped disc?")
        return [first.result(), second.result()]


def user_texts(stack: Stack, sender: str) -> List[str]:
    response = requests.get(f"{stack.rasa_url}/conversations/{sender}/tracker", params={"token": TOKEN}, timeout=60)
    response.raise_for_status()
    return [e.get("text") for e in response.json()["events"] if e.get("event") == "user"]


def test_a_message_queued_behind_a_slow_turn_is_answered_not_dropped(actions_slow):
    """TICKET_LOCK_LIFETIME (scripts/env.sh) outlives the slowest turn, so the queued message
    is handled once the first turn ends (the next test shows what a short one does)."""
    sender = uuid.uuid4().hex
    first, second = say_both_at_once(actions_slow, sender)
    for response in (first, second):
        assert response.status_code == 200
        said = [m.get("text") or "" for m in response.json()]
        assert said and said[-1] in consult_texts(), said
    assert user_texts(actions_slow, sender) == ["what is sciatica?", "what is a slipped disc?"]


async def test_a_socket_that_joins_its_new_conversation_while_the_delete_waits_is_still_answered(actions_slow):
    """Start over during a slow turn: the delete waits for the conversation's lock, and the
    widget, tired of waiting, joins its new conversation meanwhile. The delete, when it ends,
    leaves the socket in its new conversation, whose messages are still handled."""
    client = socketio.AsyncClient()
    confirmed: asyncio.Queue = asyncio.Queue()
    deleted = asyncio.get_running_loop().create_future()
    client.on("session_confirm", lambda session: confirmed.put_nowait(session))
    client.on("conversation_deleted", lambda payload: deleted.done() or deleted.set_result(payload))
    old, new = uuid.uuid4().hex, uuid.uuid4().hex
    origin = f"http://localhost:{actions_slow.web_port}"
    await client.connect(actions_slow.rasa_url, transports=["polling"], headers={"Origin": origin})
    try:
        await client.emit("session_request", {"session_id": old})
        assert await asyncio.wait_for(confirmed.get(), 30) == old
        await client.emit("user_uttered", {"message": "what is sciatica?", "session_id": old})
        await asyncio.sleep(1.0)  # the turn now waits for the hanging action server
        await client.emit("delete_conversation", {})
        await asyncio.sleep(0.5)
        await client.emit("session_request", {"session_id": new})
        assert await asyncio.wait_for(confirmed.get(), 30) == new
        assert await asyncio.wait_for(deleted, 60) == {"deleted": True}
        await client.emit("user_uttered", {"message": "what is a slipped disc?", "session_id": new})
        deadline = time.monotonic() + 60
        while not user_texts(actions_slow, f"socketio:{new}") and time.monotonic() < deadline:
            await asyncio.sleep(0.5)
        assert user_texts(actions_slow, f"socketio:{new}") == [
            "what is a slipped disc?"
        ], "the new conversation's message was refused"
        assert user_texts(actions_slow, f"socketio:{old}") == []
    finally:
        await client.disconnect()


@pytest.fixture(scope="module")
def short_lock(trained_model, tmp_path_factory):
    """The same servers with a lock ticket that expires before a slow turn ends."""
    stack = servers(tmp_path_factory.mktemp("short-lock"), TICKET_LOCK_LIFETIME="1")
    try:
        stack.start(with_web=False)
        stack.stop_actions()
        hole = BlackHole(stack.action_port)
        yield stack
        hole.close()
    finally:
        stack.stop()


def test_a_lock_ticket_shorter_than_a_slow_turn_drops_the_queued_message(short_lock):
    """Why TICKET_LOCK_LIFETIME matters: with Rasa's lock ticket expiring while a slow turn
    still holds the conversation, the queued message is lost."""
    sender = uuid.uuid4().hex
    first, second = say_both_at_once(short_lock, sender)
    assert first.status_code == 200 and first.json()
    assert user_texts(short_lock, sender) == ["what is sciatica?"], "the queued message was handled after all"
