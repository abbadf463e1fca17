"""No conversation is reachable from another channel (real Rasa and action servers).

A socket.io conversation is stored as ``socketio:<session id>`` (addons/channels/keys.py):
a REST caller who knows the session id (32 hex digits, so a REST id it may use) reaches a
conversation of its own, never the widget's, and cannot delete it; a REST id in another
channel's key space is refused. REST ids must be unguessable unless the API token comes
with the request. (Telegram, Slack and Messenger: tests/e2e/test_channels.py.)
"""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any, Dict, List

import pytest
import requests
import socketio

from tests.e2e import CHANNEL_ENV, CREDENTIALS_YML
from tests.support.ids import run_uuid
from tests.support.stack import Stack

pytestmark = pytest.mark.e2e

TOKEN = f"isolation-{uuid.uuid4().hex}"
TIMEOUT = 60


@pytest.fixture(scope="module")
def stack(trained_model, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("isolation")
    credentials = workdir / "credentials.yml"
    credentials.write_text(CREDENTIALS_YML)
    stack = Stack(workdir=workdir, token=TOKEN, credentials=credentials, extra_env={n: "" for n in CHANNEL_ENV})
    stack.start(with_web=False)
    yield stack
    stack.stop()


def rest(stack: Stack, sender: str, text: str, **params: str) -> requests.Response:
    return requests.post(
        f"{stack.rasa_url}/webhooks/rest/webhook",
        params=params,
        json={"sender": sender, "message": text},
        timeout=TIMEOUT,
    )


def tracker(stack: Stack, key: str) -> Dict[str, Any]:
    res = requests.get(f"{stack.rasa_url}/conversations/{key}/tracker", params={"token": TOKEN}, timeout=TIMEOUT)
    res.raise_for_status()
    return res.json()


def user_texts(stack: Stack, key: str) -> List[str]:
    return [e["text"] for e in tracker(stack, key)["events"] if e["event"] == "user"]


async def widget_conversation(stack: Stack, session: str, texts: List[str]) -> None:
    client = socketio.AsyncClient(reconnection=False)
    confirmed, replies = asyncio.Event(), []
    client.on("session_confirm", lambda *_: confirmed.set())
    client.on("bot_uttered", lambda data: replies.append(data))
    await client.connect(stack.rasa_url, transports=["polling"])
    try:
        await client.emit("session_request", {"session_id": session})
        await asyncio.wait_for(confirmed.wait(), 30)
        for text in texts:
            before = len(replies)
            await client.emit("user_uttered", {"message": text, "session_id": session})
            deadline = time.monotonic() + 60
            while len(replies) == before and time.monotonic() < deadline:
                await asyncio.sleep(0.2)
            assert len(replies) > before, f"no reply to {text!r}"
    finally:
        await client.disconnect()
    deadline = time.monotonic() + 15  # the turn is stored after its replies went out
    while len(user_texts(stack, f"socketio:{session}")) < len(texts):
        assert time.monotonic() < deadline, "the widget's turns were not stored"
        await asyncio.sleep(0.2)


async def test_a_rest_caller_with_a_widget_session_id_gets_nothing_of_that_conversation(stack):
    session = uuid.uuid4().hex
    said = ["my lower back hurts", "it goes down my left leg"]
    await widget_conversation(stack, session, said)

    assert tracker(stack, f"socketio:{session}")["slots"]["pain_location"]  # the widget's answers are stored
    res = rest(stack, session, "what have I told you so far?")
    assert res.status_code == 200
    assert not tracker(stack, session)["slots"]["pain_location"]  # a conversation of its own
    res = rest(stack, session, "delete my conversation")
    assert res.status_code == 200

    assert user_texts(stack, f"socketio:{session}") == said  # untouched, not deleted
    assert "my lower back hurts" not in user_texts(stack, session)
    for key in (f"socketio:{session}", f"telegram:{session}", f"slack:U{session}", f"facebook:{session}"):
        res = rest(stack, key, "hello")
        assert res.status_code == 400 and "prefix" in res.json()["message"], res.text[:200]
    res = requests.post(
        f"{stack.rasa_url}/webhooks/rest/webhook",
        json={"sender": session, "message": "hello", "input_channel": "socketio"},
        timeout=TIMEOUT,
    )
    assert res.status_code == 400  # a REST conversation that would pass for the widget's
    assert user_texts(stack, f"socketio:{session}") == said


@pytest.mark.parametrize(
    "sender",
    [
        "12345678",
        "U0123ABCD",
        "user-1",
        "a" * 40,
        "0" * 31,
        f"alice-{run_uuid('alice').hex}",
        f"visit-{run_uuid('visit')}",
    ],
)
def test_a_guessable_rest_id_is_refused_without_the_api_token(stack, sender):
    res = rest(stack, sender, "hello")
    assert res.status_code == 400 and "unguessable" in res.json()["message"], res.text[:200]
    assert rest(stack, sender, "hello", token=TOKEN).status_code == 200  # a back office with the token may


WIDGET_ID = run_uuid("widget").hex
LOOK_ALIKES = [
    f"SOCKETIO:{WIDGET_ID}",
    f" socketio:{WIDGET_ID}",
    f"socketio :{WIDGET_ID}",
    f"socketio\uff1a{WIDGET_ID}",  # fullwidth colon
    f"socketio%3A{WIDGET_ID}",
    f"hello world {WIDGET_ID}",
    f"{WIDGET_ID}; drop",
    f"{WIDGET_ID}\u00e9",
]


@pytest.mark.parametrize("sender", LOOK_ALIKES)
def test_look_alikes_of_another_channels_key_are_refused_even_with_the_token(stack, sender):
    for params in ({}, {"token": TOKEN}):
        res = rest(stack, sender, "hello", **params)
        assert res.status_code == 400, (params, res.status_code, res.text[:200])
    events = requests.get(  # nothing was stored under it
        f"{stack.rasa_url}/conversations/{requests.utils.quote(sender, safe='')}/tracker",
        params={"token": TOKEN},
        timeout=TIMEOUT,
    ).json()["events"]
    assert not [e for e in events if e["event"] == "user"], events


@pytest.mark.parametrize("sender", [run_uuid("hex").hex, str(run_uuid("dashed")), "Zk3_q9-TbXw1LmA0pR7sYc"])
def test_unguessable_rest_ids_are_served(stack, sender):
    res = rest(stack, sender, "hello")
    assert res.status_code == 200 and res.json(), res.text[:200]
