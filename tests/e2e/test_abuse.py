"""Bad input and abuse against the real servers: REST, socket.io and the HTTP API.

Every case gets a clear reply or a clean 4xx: never a 500, never a hang. Meanwhile a
control conversation in the middle of the interview loses nothing, floods are refused
kindly, and other people keep being served.

The server trusts X-Forwarded-For here (TRUST_PROXY=1, as behind the documented proxy),
so each case can come from its own client address without sending any traffic off the
machine; the rate limits are lowered to keep the flood tests short.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from typing import Any, Dict, List, Optional

import pytest
import requests
import socketio

from tests.support.stack import Stack

pytestmark = pytest.mark.e2e

TOKEN = f"abuse-{uuid.uuid4().hex}"
PER_SENDER, PER_ADDRESS = 8, 40
AUTH_FAILURES = 5
TIMEOUT = 60
MAX_MESSAGE = 2000  # MAX_MESSAGE_CHARS default


@pytest.fixture(scope="module")
def server(trained_model, tmp_path_factory):
    stack = Stack(
        workdir=tmp_path_factory.mktemp("abuse"),
        token=TOKEN,
        extra_env={
            "TRUST_PROXY": "1",
            "RATE_LIMIT_PER_SENDER": f"{PER_SENDER}/60",
            "RATE_LIMIT_PER_ADDRESS": f"{PER_ADDRESS}/60",
            "AUTH_FAILURES_PER_ADDRESS": str(AUTH_FAILURES),
        },
    )
    stack.start(with_web=False)
    yield stack
    stack.stop()


_addresses = iter(range(1, 60000))


def new_address() -> str:
    n = next(_addresses)
    return f"198.51.{n // 250}.{n % 250 + 1}"  # TEST-NET-2: header values only, never contacted


def new_sender() -> str:
    return uuid.uuid4().hex


def rest_raw(server: Stack, data: bytes, content_type: str = "application/json", address: Optional[str] = None):
    headers = {"Content-Type": content_type, "X-Forwarded-For": address or new_address()}
    return requests.post(f"{server.rasa_url}/webhooks/rest/webhook", data=data, headers=headers, timeout=TIMEOUT)


def rest(server: Stack, body: Any, address: Optional[str] = None):
    return rest_raw(server, json.dumps(body).encode(), address=address)


def texts(res) -> List[str]:
    return [m.get("text") or "" for m in res.json()]


# --------------------------------------------------------------------------- REST

REST_TEXTS = {
    "empty": "",
    "whitespace": " \t\n  ",
    "100 kB": "my back hurts " * 7500,
    "just over the cap": "a" * (MAX_MESSAGE + 1),
    "control characters": "my back\x00 hurts\x07\x1b[31m\x7f",
    "lone surrogate": "my back hurts \ud800",
    "bidi override": "my back \u202ehurts\u202c",
    "emoji only": "😭😭😭🙏",
    "cyrillic": "у меня болит спина и нога",
    "chinese": "我的背很痛，腿也麻",
    "arabic": "أشعر بألم في ظهري",
    "spanish": "me duele mucho la espalda y la pierna",
    "html and script": "<img src=x onerror=alert(1)><script>alert(2)</script>",
    "slash intent with broken json": '/report_red_flag{"red_flag": ',
    "sql-looking": "'; DROP TABLE events; --",
    "only punctuation": "?!?!?! ... ///",
}


@pytest.mark.parametrize("case", list(REST_TEXTS))
def test_rest_bad_text_gets_a_clear_reply(server, case):
    started = time.monotonic()
    res = rest(server, {"sender": new_sender(), "message": REST_TEXTS[case]})
    assert res.status_code == 200, res.text
    replies = texts(res)
    assert any(t.strip() for t in replies), f"no reply to {case}"
    assert all("<script" not in t and "onerror" not in t for t in replies)
    assert time.monotonic() - started < 30


@pytest.mark.parametrize(
    "case, expected",
    [
        ("100 kB", "too long"),
        ("just over the cap", "too long"),
        ("empty", "didn't get any words"),
        ("whitespace", "didn't get any words"),
        ("cyrillic", "only understand English"),
        ("chinese", "only understand English"),
        ("arabic", "only understand English"),
    ],
)
def test_rest_kind_replies_say_what_is_wrong(server, case, expected):
    replies = texts(rest(server, {"sender": new_sender(), "message": REST_TEXTS[case]}))
    assert any(expected in t for t in replies), replies


REST_BODIES = {
    "malformed json": b'{"sender": "x", "message": ',
    "invalid utf-8": b'{"sender": "x", "message": "my back \xff\xfe hurts"}',
    "json array": b'["hi"]',
    "json string": b'"hi"',
    "json null": b"null",
    "empty body": b"",
    "missing sender": json.dumps({"message": "hi"}).encode(),
    "null sender": json.dumps({"sender": None, "message": "hi"}).encode(),
    "empty sender": json.dumps({"sender": "", "message": "hi"}).encode(),
    "numeric sender": json.dumps({"sender": 42, "message": "hi"}).encode(),
    "list sender": json.dumps({"sender": ["a"], "message": "hi"}).encode(),
    "huge sender": json.dumps({"sender": "s" * 10_000, "message": "hi"}).encode(),
    "control character sender": json.dumps({"sender": "abc\ndef", "message": "hi"}).encode(),
    "numeric message": json.dumps({"sender": "x", "message": 5}).encode(),
    "boolean message": json.dumps({"sender": "x", "message": True}).encode(),
    "object message": json.dumps({"sender": "x", "message": {"text": "hi"}}).encode(),
    "list message": json.dumps({"sender": "x", "message": ["hi"]}).encode(),
    "string metadata": json.dumps({"sender": "x", "message": "hi", "metadata": "{oops"}).encode(),
    "list metadata": json.dumps({"sender": "x", "message": "hi", "metadata": [1]}).encode(),
    "numeric input_channel": json.dumps({"sender": "x", "message": "hi", "input_channel": 7}).encode(),
}


@pytest.mark.parametrize("case", list(REST_BODIES))
def test_rest_bad_body_gets_a_clean_400(server, case):
    res = rest_raw(server, REST_BODIES[case])
    assert res.status_code == 400, (res.status_code, res.text[:300])
    assert res.json()["message"]


def test_rest_form_encoded_and_oversized_bodies_are_refused_cleanly(server):
    assert rest_raw(server, b"sender=x&message=hi", "application/x-www-form-urlencoded").status_code == 400
    huge = json.dumps({"sender": "x", "message": "a" * 2_000_000}).encode()
    assert rest_raw(server, huge).status_code == 413  # Sanic's REQUEST_MAX_SIZE (MAX_REQUEST_BYTES)


# --------------------------------------------------------------------------- HTTP API


def api(
    server: Stack,
    method: str,
    path: str,
    body: Any = None,
    raw: Optional[bytes] = None,
    content_type: str = "application/json",
):
    data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
    return requests.request(
        method,
        server.rasa_url + path,
        params={"token": TOKEN},
        data=data,
        headers={"Content-Type": content_type},
        timeout=TIMEOUT,
    )


API_CASES = [
    ("POST", "/model/parse", {"text": True}),
    ("POST", "/model/parse", {"text": None}),
    ("POST", "/model/parse", {}),
    ("POST", "/model/parse", []),
    ("POST", "/model/parse", "hello"),
    ("POST", "/model/parse", {"text": 5}),
    ("POST", "/model/parse", {"text": ["hi"]}),
    ("POST", "/model/parse", {"text": "hi", "message_id": 5}),
    ("POST", "/model/parse", {"text": "x" * (MAX_MESSAGE + 1)}),
    ("POST", "/model/parse", b'{"text": '),
    ("POST", "/conversations/{id}/messages", {"text": 1, "sender": "user"}),
    ("POST", "/conversations/{id}/messages", {"text": "hi"}),
    ("POST", "/conversations/{id}/messages", {"sender": "user"}),
    ("POST", "/conversations/{id}/messages", {"text": "hi", "sender": "user", "parse_data": "x"}),
    ("POST", "/conversations/{id}/messages", {"text": "x" * (MAX_MESSAGE + 1), "sender": "user"}),
    ("POST", "/conversations/{id}/trigger_intent", {}),
    ("POST", "/conversations/{id}/trigger_intent", {"name": 5}),
    ("POST", "/conversations/{id}/trigger_intent", {"name": "greet", "entities": "x"}),
    ("POST", "/conversations/{id}/execute", {"name": []}),
    ("POST", "/conversations/{id}/execute", {"name": "utter_greet", "confidence": "high"}),
    ("POST", "/conversations/{id}/execute", {"name": "utter_greet", "policy": 3}),
    ("POST", "/conversations/{id}/tracker/events", [{"event": "user", "text": 5}]),
    ("POST", "/conversations/{id}/tracker/events", [1, 2]),
    ("POST", "/conversations/{id}/tracker/events", {"event": 3}),
    ("PUT", "/conversations/{id}/tracker/events", "not events"),
    ("POST", "/model/predict", [{"event": "slot", "name": None}]),
    ("PUT", "/model", {"model_file": 5}),
    ("POST", "/conversations/{id}/execute", {"name": "action_that_does_not_exist"}),
    ("POST", "/model/train", {}),
    ("POST", "/model/train", b"\xff\xfe not utf-8"),
    ("POST", "/model/train", b"::: not yaml ["),
    ("POST", "/model/train", {"config": "pipeline: []", "domain": "intents: []"}),
    ("POST", "/model/train", {"nlu": []}),
    ("POST", "/model/train", {"stories": [1, 2]}),
    ("POST", "/model/train", {"rules": [{"rule": "x", "steps": "not a list"}]}),
    ("POST", "/model/parse", b'\xef\xbb\xbf{"text": "hi"}'),
    ("POST", "/conversations/{id}/tracker/events", [{"event": "user", "text": "hi"}]),
    ("POST", "/conversations/{id}/tracker/events", [{"event": "reminder", "intent": "greet"}]),
    ("POST", "/conversations/{id}/tracker/events", [{"event": "reminder", "intent": "greet", "date_time": "notadate"}]),
    ("POST", "/model/test/intents", {"rasa_nlu_data": 5}),
    ("POST", "/model/test/intents", [1]),
    ("POST", "/model/test/intents", "a string"),
    ("GET", "/conversations/" + "c" * 300 + "/tracker", None),
    # parse data given instead of the NLU's: Rasa reads its intent and entities unchecked (a 500)
    ("POST", "/conversations/{id}/messages", {"text": "hi", "sender": "user", "parse_data": {"x": ["y" * 900_000]}}),
    ("POST", "/conversations/{id}/messages", {"text": "hi", "sender": "user", "parse_data": {"x": 1}}),
    ("POST", "/conversations/{id}/messages", {"text": "hi", "sender": "user", "parse_data": {"intent": "greet"}}),
    ("POST", "/conversations/{id}/messages", {"text": "hi", "sender": "user", "parse_data": {"intent": {}}}),
    (
        "POST",
        "/conversations/{id}/messages",
        {"text": "hi", "sender": "user", "parse_data": {"intent": {"name": "greet"}, "entities": "x"}},
    ),
    (
        "POST",
        "/conversations/{id}/messages",
        {"text": "hi", "sender": "user", "parse_data": {"intent": {"name": "no_such_intent"}, "entities": []}},
    ),
    (
        "POST",
        "/conversations/{id}/messages",
        {"text": "hi", "sender": "user", "parse_data": {"intent": {"name": "greet"}, "entities": [{"value": 1}]}},
    ),
    (
        "POST",
        "/conversations/{id}/messages",
        {"text": "hi", "sender": "user", "parse_data": {"intent": {"name": "greet", "confidence": "high"}}},
    ),
    ("POST", "/conversations/{id}/messages", {"text": "hi", "sender": "user", "metadata": {"x": "y" * 900_000}}),
    ("POST", "/conversations/{id}/tracker/events", [{"event": "user", "text": "hi", "parse_data": {"intent": 5}}]),
    ("POST", "/conversations/{id}/tracker/events", [{"event": "user", "text": "hi", "metadata": {"x": "y" * 900_000}}]),
    ("POST", "/model/predict", [{"event": "user", "text": "hi", "parse_data": {"entities": [[]]}}]),
    ("POST", "/conversations/{id}/trigger_intent", {"name": "greet", "entities": [1, 2]}),
    ("POST", "/conversations/{id}/trigger_intent", {"name": "greet", "entities": {"x": "y" * 900_000}}),
]


@pytest.mark.parametrize("index", range(len(API_CASES)), ids=[f"{m} {p[:40]} {str(b)[:30]}" for m, p, b in API_CASES])
def test_api_bad_body_gets_a_clean_400(server, index):
    method, path, body = API_CASES[index]
    path = path.replace("{id}", new_sender())
    res = api(
        server,
        method,
        path,
        raw=body if isinstance(body, bytes) else None,
        body=None if isinstance(body, bytes) else body,
    )
    assert res.status_code == 400, (res.status_code, res.text[:300])
    assert res.json()["reason"] == "BadRequest" and res.json()["message"]


@pytest.mark.parametrize("content_type", ["application/x-yaml", "text/yaml", "text/plain"])
@pytest.mark.parametrize("raw", [b"::: not yaml [", b"- a\n- b\n", b"version: '3.1'\nintents: [greet]\n"])
def test_a_training_upload_rasa_cannot_train_on_is_a_400_before_training(server, content_type, raw):
    res = api(server, "POST", "/model/train", raw=raw, content_type=content_type)
    assert res.status_code == 400, (res.status_code, res.text[:300])


def test_api_events_of_rasas_shape_are_still_accepted(server):
    conversation = new_sender()
    user = {"event": "user", "text": "hi", "parse_data": {"intent": {"name": "greet"}, "entities": []}}
    assert api(server, "POST", f"/conversations/{conversation}/tracker/events", [user]).status_code == 200
    minimal = {"event": "user", "text": "hi", "parse_data": {}}  # a stored event may leave them out
    assert api(server, "POST", f"/conversations/{conversation}/tracker/events", [minimal]).status_code == 200


def test_api_without_token_is_still_refused_before_the_body_is_read(server):
    res = requests.post(server.rasa_url + "/model/parse", json={"text": True}, timeout=TIMEOUT)
    assert res.status_code == 401


def test_api_good_bodies_still_work(server):
    assert api(server, "POST", "/model/parse", {"text": "my back hurts"}).status_code == 200
    conversation = new_sender()
    res = api(server, "POST", f"/conversations/{conversation}/messages", {"text": "hi", "sender": "user"})
    assert res.status_code == 200, res.text
    for text in ("hello", "my lower back hurts and the pain goes down my left leg to my foot"):
        parse = api(server, "POST", "/model/parse", {"text": text}).json()  # Rasa's own parse data is accepted
        body = {"text": text, "sender": "user", "parse_data": parse}
        res = api(server, "POST", f"/conversations/{conversation}/messages", body)
        assert res.status_code == 200, res.text
        assert res.json()["latest_message"]["intent"]["name"] == parse["intent"]["name"]
    minimal = {"text": "hello", "sender": "user", "parse_data": {"intent": {"name": "greet"}, "entities": []}}
    assert api(server, "POST", f"/conversations/{conversation}/messages", minimal).status_code == 200


# --------------------------------------------------------------------------- socket.io


class SocketUser:
    """One socket.io client speaking the widget's protocol."""

    def __init__(self, server: Stack) -> None:
        self.server = server
        self.client = socketio.AsyncClient(reconnection=False)
        self.replies: List[Dict[str, Any]] = []
        self.session_id: Optional[str] = None
        self.confirmed = asyncio.Event()
        self.deleted = asyncio.Event()

        @self.client.on("session_confirm")
        async def confirm(session_id):
            self.session_id = session_id
            self.confirmed.set()

        @self.client.on("bot_uttered")
        async def uttered(message):
            self.replies.append(message)

        @self.client.on("conversation_deleted")
        async def deleted(_payload):
            self.deleted.set()

    async def connect(self, session_id: Any = None) -> "SocketUser":
        await self.client.connect(self.server.rasa_url, socketio_path="/socket.io", transports=["polling"])
        await self.client.emit("session_request", {"session_id": session_id} if session_id is not None else None)
        await asyncio.wait_for(self.confirmed.wait(), 20)
        return self

    async def say(self, message: Any, session_id: Any = "mine", wait: float = 20) -> List[Dict[str, Any]]:
        before = len(self.replies)
        sid = self.session_id if session_id == "mine" else session_id
        await self.client.emit("user_uttered", {"message": message, "session_id": sid})
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            await asyncio.sleep(0.2)
            if len(self.replies) > before and time.monotonic() > deadline - wait + 1.5:
                break
        return self.replies[before:]

    async def close(self) -> None:
        await self.client.disconnect()


SOCKET_TEXTS = [
    "",
    "   ",
    "a" * 100_000,
    "😭😭😭",
    "у меня болит спина",
    "<script>alert(1)</script>",
    "my back\x00 hurts",
]


@pytest.mark.parametrize(
    "index", range(len(SOCKET_TEXTS)), ids=["empty", "spaces", "100k", "emoji", "cyrillic", "html", "control"]
)
async def test_socketio_bad_text_gets_a_reply(server, index):
    user = await SocketUser(server).connect(uuid.uuid4().hex)
    try:
        replies = await user.say(SOCKET_TEXTS[index])
        assert any((r.get("text") or "").strip() for r in replies), f"no reply to case {index}"
    finally:
        await user.close()


@pytest.mark.parametrize(
    "payload",
    [None, "not an object", 42, ["x"], {"message": 5}, {"message": ["hi"]}, {"message": "hi", "metadata": "{oops"}],
)
async def test_socketio_malformed_events_do_not_break_the_socket(server, payload):
    user = await SocketUser(server).connect(uuid.uuid4().hex)
    try:
        await user.client.emit("user_uttered", payload)
        user.confirmed.clear()
        await user.client.emit("session_request", payload)
        await asyncio.wait_for(user.confirmed.wait(), 20)  # a new random session when the request is unusable
        replies = await user.say("hi")  # the same socket still works afterwards
        assert any("virtual assistant" in (r.get("text") or "") for r in replies)
    finally:
        await user.close()


@pytest.mark.parametrize("requested", ["alice", "1234", "x" * 5000, 42, {"a": 1}, "0" * 31, "G" * 32])
async def test_socketio_weak_or_invalid_session_ids_are_replaced_by_random_ones(server, requested):
    user = await SocketUser(server).connect(requested)
    try:
        assert user.session_id != requested
        assert len(user.session_id) == 32 and int(user.session_id, 16) >= 0
    finally:
        await user.close()


async def test_socketio_a_socket_cannot_write_into_or_read_another_session(server):
    victim = await SocketUser(server).connect(uuid.uuid4().hex)
    attacker = await SocketUser(server).connect(uuid.uuid4().hex)
    try:
        await victim.say("my lower back hurts")
        before = len(victim.replies)
        stolen = await attacker.say("what can you do", session_id=victim.session_id, wait=6)
        await asyncio.sleep(1)
        assert stolen == [], "the attacker got replies for another session"
        assert len(victim.replies) == before, "replies to the attacker's message reached the victim"
        res = api(server, "GET", f"/conversations/socketio:{victim.session_id}/tracker")
        user_texts = [e["text"] for e in res.json()["events"] if e["event"] == "user"]
        assert user_texts == ["my lower back hurts"]
    finally:
        await victim.close()
        await attacker.close()


async def test_socketio_delete_conversation_removes_it_from_the_server(server):
    user = await SocketUser(server).connect(uuid.uuid4().hex)
    try:
        await user.say("my lower back hurts")
        session = user.session_id
        await user.client.emit("delete_conversation", {})
        await asyncio.wait_for(user.deleted.wait(), 20)
        events = api(server, "GET", f"/conversations/socketio:{session}/tracker").json()["events"]
        assert not [e for e in events if e["event"] == "user"]
    finally:
        await user.close()


DEEP_FRAME = '42["user_uttered",{"message":"my back hurts","customData":' + "[" * 10_000 + "]" * 10_000 + "}]"


def recursion_errors(server: Stack) -> int:
    return (server.workdir / "rasa.log").read_text(errors="replace").count("RecursionError")


async def test_socketio_a_websocket_frame_nested_too_deep_closes_the_socket_before_it_is_decoded(server):
    import websockets

    before = recursion_errors(server)
    url = server.rasa_url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
    async with websockets.connect(url, open_timeout=20, max_size=None) as ws:
        assert (await ws.recv()).startswith("0{")
        await ws.send("40")
        assert (await ws.recv()).startswith("40")
        await ws.send("42" + json.dumps(["session_request", {"session_id": uuid.uuid4().hex}]))
        assert json.loads((await ws.recv())[2:])[0] == "session_confirm"
        await ws.send(DEEP_FRAME)
        closed = False
        while not closed:  # engine.io's CLOSE packet ("1") or the WebSocket closing; nothing else
            try:
                frame = await asyncio.wait_for(ws.recv(), 10)
            except websockets.exceptions.ConnectionClosed:
                break
            assert not frame.startswith("42"), frame[:200]
            closed = frame == "1"
    assert recursion_errors(server) == before
    again = await SocketUser(server).connect(uuid.uuid4().hex)  # the server still serves
    try:
        assert await again.say("hi")
    finally:
        await again.close()


def test_socketio_a_polling_frame_nested_too_deep_is_a_400(server):
    before = recursion_errors(server)
    handshake = requests.get(f"{server.rasa_url}/socket.io/?EIO=4&transport=polling", timeout=TIMEOUT)
    sid = json.loads(handshake.text[1:])["sid"]
    url = f"{server.rasa_url}/socket.io/?EIO=4&transport=polling&sid={sid}"
    assert requests.post(url, data="40", timeout=TIMEOUT).status_code == 200
    res = requests.post(url, data=DEEP_FRAME, timeout=TIMEOUT)
    assert res.status_code == 400, (res.status_code, res.text[:200])
    assert recursion_errors(server) == before


# --------------------------------------------------------------------------- floods


def test_a_flooding_sender_is_told_kindly_and_others_are_still_served(server):
    flooder, address = new_sender(), new_address()
    statuses = []
    for _ in range(PER_SENDER + 4):
        res = rest(server, {"sender": flooder, "message": "hi"}, address=address)
        statuses.append(res.status_code)
    assert statuses[:PER_SENDER] == [200] * PER_SENDER
    assert set(statuses[PER_SENDER:]) == {429}
    refused = rest(server, {"sender": flooder, "message": "hi"}, address=address)
    assert refused.headers["Retry-After"].isdigit()
    assert "faster than I can read" in texts(refused)[0]
    started = time.monotonic()
    other = rest(server, {"sender": new_sender(), "message": "hi"})
    assert other.status_code == 200 and "virtual assistant" in texts(other)[0]
    assert time.monotonic() - started < 10


def test_a_flooding_address_is_limited_but_other_addresses_are_served(server):
    address = new_address()
    codes = [
        rest(server, {"sender": new_sender(), "message": "?"}, address=address).status_code
        for _ in range(PER_ADDRESS + 3)
    ]
    assert codes.count(429) >= 3 and 500 not in codes
    assert rest(server, {"sender": new_sender(), "message": "hi"}).status_code == 200


async def test_concurrent_flood_does_not_stall_other_people(server):
    async def post(sender: str, message: str):
        return await asyncio.to_thread(rest, server, {"sender": sender, "message": message})

    flood = [post(new_sender(), "my back hurts " * 140) for _ in range(20)]
    started = time.monotonic()
    results = await asyncio.gather(*flood, post(new_sender(), "hi"))
    assert all(r.status_code in (200, 429) for r in results)
    assert results[-1].status_code == 200
    assert time.monotonic() - started < 60


# --------------------------------------------------------------------------- nothing lost


def test_bad_input_mid_interview_loses_nothing(server):
    sender, address = new_sender(), new_address()
    rest(server, {"sender": sender, "message": "my lower back hurts and it goes down below my knee"}, address=address)
    before = api(server, "GET", f"/conversations/{sender}/tracker").json()
    for body in (
        {"sender": sender, "message": "x" * 50_000},
        {"sender": sender, "message": ""},
        {"sender": sender, "message": "болит"},
    ):
        assert rest(server, body, address=address).status_code == 200
    assert rest_raw(server, b'{"sender": "' + sender.encode() + b'", "message": ', address=address).status_code == 400
    after = api(server, "GET", f"/conversations/{sender}/tracker").json()
    assert after["slots"] == before["slots"]
    assert after["active_loop"] == before["active_loop"]
    assert len(after["events"]) == len(before["events"]), "refused messages must not be stored"


# --------------------------------------------------------------------------- nesting, token, addresses

DEEP = (
    b'{"sender": "' + uuid.uuid4().hex.encode() + b'", "message": "hi", "metadata": ' + b"[" * 5000 + b"]" * 5000 + b"}"
)


def test_deep_nesting_is_a_400_on_rest_and_on_the_api_after_the_token(server):
    assert rest_raw(server, DEEP).status_code == 400
    assert api(server, "POST", "/model/parse", raw=b'{"text": ' + b"[" * 5000 + b"]" * 5000 + b"}").status_code == 400
    address = new_address()
    res = requests.post(  # no token: refused as such, nothing said about the body
        server.rasa_url + "/model/parse", data=b"[" * 5000, headers={"X-Forwarded-For": address}, timeout=TIMEOUT
    )
    assert res.status_code == 401, res.text[:200]


@pytest.mark.parametrize(
    "metadata", [{"a": "x" * 5000}, {"a": [[[[[[[[[["deep"]]]]]]]]]]}], ids=["too large", "too deep"]
)
def test_rest_metadata_over_the_cap_is_a_400(server, metadata):
    res = rest(server, {"sender": new_sender(), "message": "hi", "metadata": metadata})
    assert res.status_code == 400 and "metadata" in res.json()["message"]


def test_a_wrong_token_is_a_401_before_the_body_is_read(server):
    address = new_address()
    res = requests.post(
        server.rasa_url + "/model/parse",
        params={"token": "wrong"},
        json={"text": True},
        headers={"X-Forwarded-For": address},
        timeout=TIMEOUT,
    )
    assert res.status_code == 401, res.text[:200]  # not the 400 that would show the token was read as right


@pytest.mark.parametrize(
    "body",
    [b"[" * 10_000 + b"]" * 10_000, b'{"text": ' + b"[" * 5000, b"\xff\xfe", b'{"text": true}', b"x" * 900_000],
    ids=["nested", "nested unclosed", "not utf-8", "wrong type", "large"],
)
@pytest.mark.parametrize("how", ["query", "bearer"])
def test_a_wrong_token_is_a_401_whatever_the_body(server, body, how):
    auth = {"params": {"token": "wrong"}} if how == "query" else {"headers": {"Authorization": "Bearer wrong"}}
    headers = {"X-Forwarded-For": new_address(), **auth.get("headers", {})}
    for path in (
        "/model/parse",
        f"/conversations/{new_sender()}/messages",
        f"/conversations/{new_sender()}/tracker/events",
    ):
        res = requests.post(
            server.rasa_url + path, params=auth.get("params"), data=body, headers=headers, timeout=TIMEOUT
        )
        assert res.status_code == 401, (path, res.status_code, res.text[:200])


def test_the_api_token_is_accepted_as_a_bearer_token(server):
    res = requests.get(server.rasa_url + "/status", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=TIMEOUT)
    assert res.status_code == 200, res.text[:200]
    res = requests.get(server.rasa_url + "/status", headers={"Authorization": "Bearer nope"}, timeout=TIMEOUT)
    assert res.status_code == 401


def test_failed_token_attempts_are_throttled_per_address(server):
    guesser, other = new_address(), new_address()
    statuses = [
        requests.get(
            server.rasa_url + "/status", params={"token": f"guess{n}"}, headers={"X-Forwarded-For": guesser}
        ).status_code
        for n in range(AUTH_FAILURES + 1)
    ]
    assert statuses[:AUTH_FAILURES] == [401] * AUTH_FAILURES and statuses[-1] == 429, statuses
    right = requests.get(server.rasa_url + "/status", params={"token": TOKEN}, headers={"X-Forwarded-For": guesser})
    assert right.status_code == 429 and right.headers.get("Retry-After")  # no oracle while throttled
    elsewhere = requests.get(server.rasa_url + "/status", params={"token": TOKEN}, headers={"X-Forwarded-For": other})
    assert elsewhere.status_code == 200


def test_requests_without_a_token_do_not_lock_the_address_out(server):
    shared = new_address()
    for _ in range(AUTH_FAILURES + 5):
        res = requests.get(server.rasa_url + "/status", headers={"X-Forwarded-For": shared}, timeout=TIMEOUT)
        assert res.status_code == 401
    res = requests.get(server.rasa_url + "/status", params={"token": TOKEN}, headers={"X-Forwarded-For": shared})
    assert res.status_code == 200, res.status_code


def test_the_address_rate_limit_counts_an_ipv6_64_as_one_address(server):
    statuses = [
        rest(server, {"sender": new_sender(), "message": ""}, address=f"2001:db8:0:7::{n + 1:x}").status_code
        for n in range(PER_ADDRESS + 1)
    ]
    assert statuses[:PER_ADDRESS] == [200] * PER_ADDRESS and statuses[-1] == 429, statuses
    assert rest(server, {"sender": new_sender(), "message": ""}, address="2001:db8:0:8::1").status_code == 200


@pytest.mark.parametrize(
    "path", ["/model/parse", "/conversations/{id}/messages", "/conversations/{id}/tracker/events", "/model/predict"]
)
def test_api_a_body_over_the_limit_is_a_413_on_every_route(server, path):
    """A privacy review: a valid 1.1 MB JSON body got 400 "must be a JSON object" on the API."""
    body = {"text": "x" * 1_100_000, "sender": "user"}
    res = api(server, "POST", path.replace("{id}", new_sender()), body)
    assert res.status_code == 413, (res.status_code, res.text[:300])
    assert api(server, "POST", "/model/parse", {"text": "my back hurts"}).status_code == 200
