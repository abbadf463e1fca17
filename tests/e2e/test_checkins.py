"""Check-ins end to end (issue 29): a real Rasa server with CHECKIN_DELAY=20, the check-in
poller from credentials.yml, the action server and the SQLite store.

- socket.io: a yes gets exactly one check-in about 20 s later; "worse, and now I can't feel
  when I need to pee" at the check-in gets the emergency instruction; a no gets none;
- across a restart of the Rasa server between the yes and the check-in: the widget comes
  back with its session and gets the check-in once;
- REST: the check-in is put in the conversation (REST cannot be sent to), and the next
  message is read as its reply.
The two-replica case (exactly one check-in) is in tests/e2e/test_cluster.py.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any, Dict, List

import pytest
import requests
import socketio

from tests.support.stack import Stack

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

DELAY = 20
TOKEN = "checkins-test-token"
QUESTION = "You asked me to check in"
OFFER = "Would you like me to check in with you"
EMERGENCY_NUMBER = "999"
# To the result, answering each question (the order the running assistant asks in).
INTERVIEW = [
    "hi",
    "my lower back hurts",
    "it goes down below the knee",
    "pins and needles",
    "no",
    "45",
    "sitting",
    "lying down",
    "after lifting, 3 weeks ago",
    "6",
    "no",
]


@pytest.fixture(scope="module")
def stack(trained_model, tmp_path_factory):
    stack = Stack(
        workdir=tmp_path_factory.mktemp("checkins"),
        token=TOKEN,
        extra_env={"CHECKIN_DELAY": str(DELAY), "CHECKIN_POLL": "1", "RATE_LIMIT_PER_SENDER": "600/60"},
    ).start(with_web=False)
    yield stack
    stack.stop()


class Widget:
    """The widget's socket.io events, with the replies as they arrive."""

    def __init__(self, url: str, session: str, origin: str = "") -> None:
        self.url = url
        self.origin = origin
        self.session = session
        self.client = socketio.AsyncClient(reconnection=False)
        self.replies: List[Dict[str, Any]] = []
        self.arrived = asyncio.Event()
        self.confirmed = asyncio.Event()
        self.client.on("session_confirm", lambda _sid: self.confirmed.set())
        self.client.on("bot_uttered", self._uttered)

    def _uttered(self, data: Dict[str, Any]) -> None:
        self.replies.append(data)
        self.arrived.set()

    async def open(self) -> "Widget":
        headers = {"Origin": self.origin} if self.origin else {}
        await self.client.connect(self.url, socketio_path="/socket.io", transports=["polling"], headers=headers)
        await self.client.emit("session_request", {"session_id": self.session})
        await asyncio.wait_for(self.confirmed.wait(), 30)
        return self

    async def quiet(self, first: float, quiet: float = 2.0) -> None:
        """Until ``quiet`` seconds pass without a message, after the first (waited up to ``first`` s)."""
        try:
            await asyncio.wait_for(self.arrived.wait(), first)
        except asyncio.TimeoutError:
            return
        while True:
            self.arrived.clear()
            try:
                await asyncio.wait_for(self.arrived.wait(), quiet)
            except asyncio.TimeoutError:
                return

    async def say(self, text: str) -> List[str]:
        before = len(self.replies)
        self.arrived.clear()
        await self.client.emit("user_uttered", {"message": text, "session_id": self.session})
        await self.quiet(60)
        return [r.get("text", "") for r in self.replies[before:]]

    def texts(self) -> List[str]:
        return [r.get("text", "") for r in self.replies]

    async def close(self) -> None:
        await self.client.disconnect()


async def to_the_check_in_offer(widget: Widget) -> None:
    said: List[str] = []
    for text in INTERVIEW:
        said = await widget.say(text)
    assert any(OFFER in t for t in said), said


def count(texts: List[str], part: str) -> int:
    return sum(part in t for t in texts)


async def test_yes_gets_exactly_one_check_in_and_a_red_flag_there_gets_the_emergency_instruction(stack):
    yes, no = Widget(stack.rasa_url, uuid.uuid4().hex), Widget(stack.rasa_url, uuid.uuid4().hex)
    await yes.open()
    await no.open()
    await asyncio.gather(to_the_check_in_offer(yes), to_the_check_in_offer(no))
    assert any("I'll check in with you" in t for t in await yes.say("yes"))
    answered = time.monotonic()
    assert not any("check in" in t for t in await no.say("no"))

    # Nothing before the delay; then the question once, within 10 s after it.
    yes_before, no_before = len(yes.replies), len(no.replies)
    await yes.quiet(first=DELAY + 15)
    assert DELAY - 1 <= time.monotonic() - answered <= DELAY + 15
    await asyncio.sleep(5)  # a second copy would have arrived by now (the poller looks every second)
    assert count(yes.texts()[yes_before:], QUESTION) == 1, yes.texts()[yes_before:]
    assert no.texts()[no_before:] == []

    said = await yes.say("worse, and now I can't feel when I need to pee")
    assert EMERGENCY_NUMBER in said[0], said
    await asyncio.sleep(DELAY / 2)
    assert count(yes.texts(), QUESTION) == 1 and count(no.texts(), QUESTION) == 0
    await yes.close()
    await no.close()


async def test_better_at_the_check_in_after_a_restart_of_the_rasa_server(stack):
    widget = await Widget(stack.rasa_url, uuid.uuid4().hex).open()
    await to_the_check_in_offer(widget)
    await widget.say("yes")
    await widget.close()
    stack.restart_rasa()  # between the yes and the check-in: nothing kept in the old process
    widget = await Widget(stack.rasa_url, widget.session).open()
    await widget.quiet(first=DELAY + 15)
    await asyncio.sleep(3)
    assert count(widget.texts(), QUESTION) == 1, widget.texts()
    said = await widget.say("much better, about a 2")
    assert any("Keep going with your exercises" in t for t in said), said
    await widget.close()


async def test_a_widget_closed_when_the_check_in_went_out_gets_it_on_its_next_visit(stack):
    widget = await Widget(stack.rasa_url, uuid.uuid4().hex).open()
    await to_the_check_in_offer(widget)
    await widget.say("yes")
    await widget.close()
    await asyncio.sleep(DELAY + 10)  # sent while no socket was there
    widget = await Widget(stack.rasa_url, widget.session).open()
    await widget.quiet(first=10)
    assert count(widget.texts(), QUESTION) == 1, widget.texts()
    said = await widget.say("stop check-ins")
    assert any("won't check in" in t for t in said), said
    await widget.close()


def rest(stack: Stack, sender: str, text: str) -> List[str]:
    res = requests.post(f"{stack.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60)
    assert res.status_code == 200, res.text
    return [m.get("text", "") for m in res.json()]


def bot_texts(stack: Stack, sender: str) -> List[str]:
    res = requests.get(f"{stack.rasa_url}/conversations/{sender}/tracker", params={"token": TOKEN}, timeout=30)
    assert res.status_code == 200, res.text
    return [e.get("text") or "" for e in res.json()["events"] if e["event"] == "bot"]


def test_rest_the_check_in_is_in_the_conversation_and_the_next_message_answers_it(stack):
    sender = uuid.uuid4().hex  # REST ids are 128-bit secrets (docs/api.md)
    said: List[str] = []
    for text in INTERVIEW:
        said = rest(stack, sender, text)
    assert any(OFFER in t for t in said), said
    rest(stack, sender, "yes")
    deadline = time.monotonic() + DELAY + 20
    while time.monotonic() < deadline and count(bot_texts(stack, sender), QUESTION) == 0:
        time.sleep(1)
    time.sleep(3)
    assert count(bot_texts(stack, sender), QUESTION) == 1
    said = rest(stack, sender, "about the same, 6 out of 10")
    assert any("Keep going with your exercises" in t for t in said), said
