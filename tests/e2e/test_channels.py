"""Telegram, Slack and Facebook Messenger, end to end, the way Rasa tests its channels.

A Sanic app is built from a credentials file with the real connectors
(``rasa.core.run.create_http_input_channels`` + ``configure_app``) and the real Agent
(trained model, real action server). Each test posts the platform's own webhook payload
(Telegram update, Slack Events API / interactivity payload signed with a test signing
secret, Messenger ``page`` entry signed with a test app secret) to
``/webhooks/<channel>/webhook`` and captures what would go out to the platform: Telegram
and Slack at aiohttp (aioresponses), Messenger at requests' HTTP adapter. What went out
is compared with what the same assistant answers to the same words in a parallel
conversation, rendered for that platform.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import re
import time
import uuid
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

import pytest
import rasa.core.run
import rasa.shared.utils.io
import requests
from aioresponses import CallbackResult, aioresponses
from rasa.shared.core.events import UserUttered
from rasa.shared.exceptions import RasaException
from sanic import Sanic

from addons.channels.connectors import (
    TELEGRAM_SECRET_HEADER,
    DisabledChannel,
    FacebookChannel,
    SlackChannel,
    TelegramChannel,
    derived_telegram_secret,
    last_turn_buttons,
)
from bot.rendering import (
    FACEBOOK,
    NUMBERED_HINT,
    SLACK,
    TELEGRAM,
    ChannelProfile,
    Choice,
    keyboard_rows,
    render,
    slack_escape,
    utf16_len,
)
from bot.settings import get_settings
from tests.e2e import CHANNEL_ENV, CREDENTIALS_YML
from tests.support.stack import ROOT

pytestmark = [
    pytest.mark.e2e,
    # Sanic notes that before_server_start listeners run late under ASGI: expected here.
    pytest.mark.filterwarnings("ignore:You have set a listener:UserWarning"),
]

TELEGRAM_TOKEN = "123456789:AAE-test_token_for_the_e2e_tests"
TELEGRAM_URL = "https://bot.example.org/webhooks/telegram/webhook"
TELEGRAM_SECRET = derived_telegram_secret(TELEGRAM_TOKEN)
SLACK_TOKEN = "xoxb-0000000000-test"
SLACK_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
FB_TOKEN = "EAAtestpageaccesstoken"
FB_SECRET = "test-app-secret"
FB_VERIFY = "test-verify-token"

ENV = {
    "TELEGRAM_ACCESS_TOKEN": TELEGRAM_TOKEN,
    "TELEGRAM_WEBHOOK_URL": TELEGRAM_URL,
    "SLACK_BOT_TOKEN": SLACK_TOKEN,
    "SLACK_SIGNING_SECRET": SLACK_SECRET,
    "FACEBOOK_PAGE_ACCESS_TOKEN": FB_TOKEN,
    "FACEBOOK_APP_SECRET": FB_SECRET,
    "FACEBOOK_VERIFY_TOKEN": FB_VERIFY,
}
SMALL = 150  # max_message_length of the second app, to see real answers split

_ids = itertools.count(1)


# --------------------------------------------------------------------------- the app

# Several Sanic apps with the same name in one process (what sanic-testing sets too).
Sanic.test_mode = True


_dumps = json.dumps  # AsgiClient.request's ``json`` argument hides the module


class AsgiResponse:
    def __init__(self, status: int, headers: Dict[str, str], body: bytes) -> None:
        self.status, self.headers, self.body = status, headers, body
        self.text = body.decode("utf-8", "replace")

    @property
    def json(self) -> Any:
        return json.loads(self.body)


class AsgiClient:
    """Requests to a Sanic app in this process over ASGI: what Rasa's tests get from
    sanic-testing's ``app.asgi_client``. (sanic-testing releases that support Sanic 21.12
    need httpx<0.24, hence h11<0.15, which the project's lock cannot have: it pins h11
    0.16 for huggingface_hub. ASGI itself is simple enough to speak directly.)"""

    def __init__(self, app: Sanic) -> None:
        self.app = app
        self.started = False

    async def _start(self) -> None:
        # The ASGI lifespan startup (sanic/asgi.py Lifespan.startup): finalize the
        # routes and run the before/after_server_start listeners, once.
        if not self.started:
            self.app.asgi = True
            await self.app._startup()
            await self.app._server_event("init", "before")
            await self.app._server_event("init", "after")
            self.started = True

    async def request(
        self,
        method: str,
        url: str,
        *,
        json: Any = None,
        content: Optional[bytes] = None,
        headers: Optional[Dict[str, str]] = None,
    ) -> AsgiResponse:
        await self._start()
        body = content if content is not None else (b"" if json is None else _dumps(json).encode())
        header_map = {name.lower(): value for name, value in (headers or {}).items()}
        if json is not None:
            header_map.setdefault("content-type", "application/json")
        header_map.setdefault("host", "testserver")
        header_map["content-length"] = str(len(body))
        path, _, query = url.partition("?")
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": unquote(path),
            "raw_path": path.encode(),
            "root_path": "",
            "query_string": query.encode(),
            "client": ("127.0.0.1", 50000),
            "server": ("testserver", 80),
            "headers": [(k.encode("latin-1"), v.encode("latin-1")) for k, v in header_map.items()],
        }
        messages = [{"type": "http.request", "body": body, "more_body": False}]

        async def receive() -> Dict[str, Any]:
            return messages.pop(0) if messages else {"type": "http.disconnect"}

        status, response_headers, chunks = 500, {}, []

        async def send(message: Dict[str, Any]) -> None:
            nonlocal status, response_headers
            if message["type"] == "http.response.start":
                status = message["status"]
                response_headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in message["headers"]}
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, send)
        return AsgiResponse(status, response_headers, b"".join(chunks))

    async def get(self, url: str, **kwargs: Any) -> AsgiResponse:
        return await self.request("GET", url, **kwargs)

    async def post(self, url: str, **kwargs: Any) -> AsgiResponse:
        return await self.request("POST", url, **kwargs)


def client(app: Sanic) -> AsgiClient:
    if not hasattr(app.ctx, "test_client"):
        app.ctx.test_client = AsgiClient(app)
    return app.ctx.test_client


def build_app(agent, credentials: Path):
    channels = rasa.core.run.create_http_input_channels(None, str(credentials))
    app = rasa.core.run.configure_app(channels, enable_api=False)
    app.ctx.agent = agent
    return app, {channel.name(): channel for channel in channels}


def small_limit_credentials() -> str:
    text = CREDENTIALS_YML.replace(
        "addons.channels.connectors.TelegramChannel:\n",
        "addons.channels.connectors.TelegramChannel:\n  max_message_length: 150\n",
    )
    text = text.replace("  use_threads: false\n", "  use_threads: false\n  max_message_length: 150\n")
    return text.replace('  graph_api_version: "21.0"\n', '  graph_api_version: "21.0"\n  max_message_length: 150\n')


@pytest.fixture(scope="module")
def channel_env():
    with pytest.MonkeyPatch.context() as patch:
        for name in CHANNEL_ENV:
            patch.delenv(name, raising=False)
        for name, value in ENV.items():
            patch.setenv(name, value)
        yield ENV


@pytest.fixture(scope="module")
def served(agent, channel_env, tmp_path_factory):
    credentials = tmp_path_factory.mktemp("channels") / "credentials.yml"
    credentials.write_text(CREDENTIALS_YML)
    return build_app(agent, credentials)


@pytest.fixture(scope="module")
def served_small(agent, channel_env, tmp_path_factory):
    credentials = tmp_path_factory.mktemp("channels-small") / "credentials.yml"
    credentials.write_text(small_limit_credentials())
    return build_app(agent, credentials)


# --------------------------------------------------------------------------- the platforms


def form_fields(data: Any) -> Dict[str, str]:
    """aiogram posts aiohttp FormData; its fields as a dict."""
    return {options["name"]: value for options, _headers, value in data._fields}


class Platforms:
    """Everything that would have gone out to Telegram, Slack and Facebook."""

    def __init__(self) -> None:
        self.telegram: List[Tuple[str, Dict[str, str]]] = []  # (method, fields)
        self.slack: List[Dict[str, Any]] = []  # chat.postMessage JSON
        self.graph: List[requests.PreparedRequest] = []  # Graph API requests

    def telegram_calls(self, method: str) -> List[Dict[str, str]]:
        return [fields for name, fields in self.telegram if name == method]

    def graph_messages(self) -> List[Dict[str, Any]]:
        return [body for body in map(lambda r: json.loads(r.body), self.graph) if "message" in body]

    def clear(self) -> None:
        self.telegram.clear(), self.slack.clear(), self.graph.clear()

    @property
    def total(self) -> int:
        return len(self.telegram) + len(self.slack) + len(self.graph)


@pytest.fixture
def platforms(action_server, monkeypatch):
    captured = Platforms()

    def telegram(url, **kwargs):
        method = str(url).rsplit("/", 1)[-1]
        fields = form_fields(kwargs["data"])
        captured.telegram.append((method, fields))
        if method == "sendMessage":
            result: Any = {
                "message_id": next(_ids),
                "date": int(time.time()),
                "text": fields["text"],
                "chat": {"id": int(fields["chat_id"]), "type": "private"},
            }
        else:
            result = True
        return CallbackResult(status=200, payload={"ok": True, "result": result})

    def slack(url, **kwargs):
        captured.slack.append(kwargs["json"])
        return CallbackResult(
            status=200,
            payload={"ok": True, "channel": kwargs["json"]["channel"], "ts": f"{time.time():.6f}", "message": {}},
        )

    def graph_send(adapter, request, **kwargs):
        captured.graph.append(request)
        reply = requests.Response()
        reply.status_code, reply.url, reply.request = 200, request.url, request
        reply.headers["Content-Type"] = "application/json"
        recipient = json.loads(request.body)["recipient"]["id"]
        reply._content = json.dumps({"recipient_id": recipient, "message_id": f"m_{next(_ids)}"}).encode()
        return reply

    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", graph_send)
    # The agent calls the real action server through aiohttp too: let that through.
    with aioresponses(passthrough=[f"http://localhost:{action_server.action_port}"]) as mocked:
        mocked.post(re.compile(r"https://api\.telegram\.org/bot[^/]+/\w+"), callback=telegram, repeat=True)
        mocked.post("https://slack.com/api/chat.postMessage", callback=slack, repeat=True)
        yield captured


# --------------------------------------------------------------------------- the assistant


class Mirror:
    """The same assistant in a parallel conversation: what it answers, platform-free."""

    def __init__(self, agent) -> None:
        self.agent = agent
        self.sender_id = f"mirror-{uuid.uuid4().hex[:10]}"

    async def say(self, text: str) -> List[Dict[str, Any]]:
        return await self.agent.handle_text(text, sender_id=self.sender_id)


def consult_variants(agent) -> List[str]:
    """The consult advice's wordings, with the deployment's place names filled in."""
    from bot.turn import place_slots

    places = place_slots()
    texts = [r["text"] for r in agent.domain.responses.get("utter_consult_professional", [])]
    return [text.format(**places) for text in texts]


def _flat(text: str) -> str:
    return " ".join(text.split())


def expected(
    agent, replies: List[Dict[str, Any]], profile: ChannelProfile, sent: List[Tuple[str, list]]
) -> List[Tuple[str, list]]:
    """(text, [(title, payload)]) of each message the platform should have got for these
    replies. The consult advice has two wordings picked at random; the mirror's pick is
    replaced by the wording the channel's conversation got (if it got one)."""
    said = " ".join(_flat(text) for text, _ in sent)
    variants = consult_variants(agent)
    aligned = []
    for reply in replies:
        if reply.get("text") in variants:
            # By its opening words: a long message may have been split for the platform.
            reply = {**reply, "text": next((v for v in variants if _flat(v)[:60] in said), reply["text"])}
        aligned.append(reply)
    messages = [m for reply in aligned for m in render(reply.get("text"), reply.get("buttons"), profile)]
    return [(m.text, [(c.title, c.payload) for c in m.choices]) for m in messages]


def last_user_text(tracker) -> str:
    return [e for e in tracker.events if isinstance(e, UserUttered)][-1].text


def greeting(agent) -> str:
    return agent.domain.responses["utter_greet"][0]["text"]


def question_texts(agent) -> set:
    return {r[0]["text"] for name, r in agent.domain.responses.items() if name.startswith("utter_ask_")}


async def settle(channel) -> None:
    """Slack and Messenger answer the webhook at once and go on in the background."""
    while channel._background_tasks:
        await asyncio.gather(*list(channel._background_tasks))


# --------------------------------------------------------------------------- Telegram


def telegram_update(chat_id: int, text: Optional[str] = None, tap: Optional[str] = None) -> Dict[str, Any]:
    person = {"id": chat_id, "is_bot": False, "first_name": "Pat", "language_code": "en"}
    chat = {"id": chat_id, "first_name": "Pat", "type": "private"}
    if tap is None:
        return {
            "update_id": next(_ids),
            "message": {"message_id": next(_ids), "from": person, "chat": chat, "date": int(time.time()), "text": text},
        }
    return {
        "update_id": next(_ids),
        "callback_query": {
            "id": str(4382000000 + next(_ids)),
            "from": person,
            "message": {
                "message_id": next(_ids),
                "date": int(time.time()),
                "chat": chat,
                "text": "(question)",
                "from": {"id": 123456789, "is_bot": True, "first_name": "Back pain", "username": "BackPainBot"},
            },
            "chat_instance": "-42424242",
            "data": tap,
        },
    }


def telegram_sent(platforms: Platforms, chat_id: int) -> List[Tuple[str, list]]:
    sent = []
    for fields in platforms.telegram_calls("sendMessage"):
        assert fields["chat_id"] == str(chat_id)
        markup = json.loads(fields["reply_markup"]) if "reply_markup" in fields else None
        buttons = [(b["text"], b["callback_data"]) for row in (markup or {}).get("inline_keyboard", []) for b in row]
        sent.append((fields["text"], buttons))
    return sent


async def telegram_say(app, platforms, chat_id, text=None, tap=None, secret=TELEGRAM_SECRET):
    platforms.clear()
    res = await client(app).post(
        "/webhooks/telegram/webhook", json=telegram_update(chat_id, text, tap), headers={TELEGRAM_SECRET_HEADER: secret}
    )
    return res


async def test_telegram_start_gets_the_greeting_with_an_inline_keyboard(served, platforms, agent):
    app, channels = served
    chat = 700000000 + next(_ids)
    res = await telegram_say(app, platforms, chat, "/start")
    assert res.status == 200

    sent = telegram_sent(platforms, chat)
    assert sent == expected(agent, await Mirror(agent).say("hi"), TELEGRAM, sent)
    assert sent[0] == (greeting(agent), [])
    assert sent[-1][1] == [("Check my symptoms", "I have back pain"), ("Ask a question", "what can you do")]
    last = platforms.telegram_calls("sendMessage")[-1]
    assert json.loads(last["reply_markup"]) == {
        "inline_keyboard": [
            [{"text": "Check my symptoms", "callback_data": "I have back pain"}],
            [{"text": "Ask a question", "callback_data": "what can you do"}],
        ]
    }


async def test_telegram_interview_question_and_button_tap(served, platforms, agent):
    app, _ = served
    chat, mirror = 700000000 + next(_ids), Mirror(agent)
    await telegram_say(app, platforms, chat, "my lower back hurts")
    sent = telegram_sent(platforms, chat)
    assert sent == expected(agent, await mirror.say("my lower back hurts"), TELEGRAM, sent)
    question, buttons = sent[-1]
    assert question in question_texts(agent) and buttons, sent
    rows = json.loads(platforms.telegram_calls("sendMessage")[-1]["reply_markup"])["inline_keyboard"]
    assert [[b["text"] for b in row] for row in rows] == [
        [c.title for c in row] for row in keyboard_rows([Choice(t, p) for t, p in buttons])
    ]

    # The person taps the first button: Telegram sends a callback_query with its data.
    title, payload = buttons[0]
    res = await telegram_say(app, platforms, chat, tap=payload)
    assert res.status == 200
    answered = platforms.telegram_calls("answerCallbackQuery")
    assert len(answered) == 1 and answered[0]["callback_query_id"].startswith("43820")
    sent = telegram_sent(platforms, chat)
    assert sent == expected(agent, await mirror.say(payload), TELEGRAM, sent)
    assert last_user_text(await agent.tracker_store.retrieve(f"telegram:{chat}")) == payload


async def test_telegram_long_answer_within_limit(served, served_small, platforms, agent):
    for (app, _), limit in ((served, TELEGRAM.max_text), (served_small, SMALL)):
        chat = 700000000 + next(_ids)
        await telegram_say(app, platforms, chat, "what is sciatica?")
        sent = telegram_sent(platforms, chat)
        replies = await Mirror(agent).say("what is sciatica?")
        assert any("Sciatica" in (r.get("text") or "") for r in replies), replies
        assert all(0 < utf16_len(text) <= limit for text, _ in sent)
        assert sent == expected(agent, replies, TELEGRAM.with_max_text(limit), sent)
        whole = expected(agent, replies, TELEGRAM, sent)  # the same answer, not split
        assert " ".join(t for t, _ in sent).split() == " ".join(t for t, _ in whole).split()
        if limit == SMALL:
            assert len(sent) > len(replies)  # really split


async def test_telegram_refuses_updates_without_the_secret(served, platforms):
    app, _ = served
    for secret in ("wrong", ""):
        res = await telegram_say(app, platforms, 700000000 + next(_ids), "hi", secret=secret)
        assert res.status == 403
        assert platforms.telegram_calls("sendMessage") == []


async def test_telegram_registers_its_webhook_with_the_secret(agent, channel_env, platforms):
    channel = TelegramChannel.from_credentials(None)
    assert isinstance(channel, TelegramChannel) and not channel.webhook_registered
    app = rasa.core.run.configure_app([channel], enable_api=False)
    app.ctx.agent = agent
    res = await client(app).get("/webhooks/telegram/")
    assert res.json == {"status": "ok", "webhook_registered": True}
    assert platforms.telegram_calls("setWebhook") == [
        {
            "url": TELEGRAM_URL,
            "secret_token": TELEGRAM_SECRET,
            "allowed_updates": '["message", "callback_query"]',
        }
    ]


# --------------------------------------------------------------------------- Slack


def slack_signed(body: bytes, timestamp: Optional[int] = None, secret: str = SLACK_SECRET) -> Dict[str, str]:
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"v0:{timestamp}:".encode() + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": str(timestamp), "X-Slack-Signature": f"v0={digest}"}


def slack_event(user: str, channel: str, text: str) -> Dict[str, Any]:
    ts = f"{time.time():.6f}"
    return {
        "token": "legacy-verification-token",
        "team_id": "T0TEST",
        "api_app_id": "A0TEST",
        "event": {
            "client_msg_id": str(uuid.uuid4()),
            "type": "message",
            "text": text,
            "user": user,
            "ts": ts,
            "team": "T0TEST",
            "channel": channel,
            "event_ts": ts,
            "channel_type": "im",
        },
        "type": "event_callback",
        "event_id": f"Ev{next(_ids):08d}",
        "event_time": int(time.time()),
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": "T0TEST",
                "user_id": "U0BOT",
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
    }


def slack_click(user: str, channel: str, title: str, value: str) -> Dict[str, Any]:
    ts = f"{time.time():.6f}"
    return {
        "type": "block_actions",
        "user": {"id": user, "username": "pat", "name": "pat", "team_id": "T0TEST"},
        "api_app_id": "A0TEST",
        "token": "legacy-verification-token",
        "container": {"type": "message", "message_ts": ts, "channel_id": channel, "is_ephemeral": False},
        "trigger_id": "1.2.3",
        "team": {"id": "T0TEST", "domain": "test"},
        "channel": {"id": channel, "name": "directmessage"},
        "message": {"type": "message", "user": "U0BOT", "ts": ts, "text": "(question)"},
        "response_url": "https://hooks.slack.com/actions/T0TEST/1/abc",
        "actions": [
            {
                "action_id": "choice-1",
                "block_id": "b1",
                "type": "button",
                "value": value,
                "text": {"type": "plain_text", "text": title, "emoji": True},
                "action_ts": ts,
            }
        ],
    }


async def slack_post(app, channel_obj, body: bytes, content_type: str, headers: Dict[str, str]):
    res = await client(app).post(
        "/webhooks/slack/webhook", content=body, headers={"content-type": content_type, **headers}
    )
    await settle(channel_obj)
    return res


async def slack_say(app, channels, platforms, user, channel, text=None, click=None):
    platforms.clear()
    if click is None:
        body = json.dumps(slack_event(user, channel, text)).encode()
        return await slack_post(app, channels["slack"], body, "application/json", slack_signed(body))
    body = urlencode({"payload": json.dumps(slack_click(user, channel, *click))}).encode()
    return await slack_post(app, channels["slack"], body, "application/x-www-form-urlencoded", slack_signed(body))


def slack_sent(platforms: Platforms, channel: str) -> List[Tuple[str, list]]:
    sent = []
    for message in platforms.slack:
        assert message["channel"] == channel and "as_user" not in message and "thread_ts" not in message
        section, *rest = message["blocks"]
        assert section["type"] == "section" and section["text"]["type"] == "plain_text"
        assert message["text"] == slack_escape(section["text"]["text"])
        buttons = [
            (e["text"]["text"], e["value"])
            for block in rest
            if block["type"] == "actions"
            for e in block["elements"]
            if e["type"] == "button"
        ]
        sent.append((section["text"]["text"], buttons))
    return sent


async def test_slack_url_verification_echoes_the_challenge(served):
    app, _ = served
    body = json.dumps(
        {"token": "x", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", "type": "url_verification"}
    ).encode()
    res = await client(app).post(
        "/webhooks/slack/webhook", content=body, headers={"content-type": "application/json", **slack_signed(body)}
    )
    assert res.status == 200 and res.text == "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"


async def test_slack_greeting_with_buttons(served, platforms, agent):
    app, channels = served
    user, dm, mirror = f"U{next(_ids):08d}", f"D{next(_ids):08d}", Mirror(agent)
    res = await slack_say(app, channels, platforms, user, dm, "hi")
    assert res.status == 200
    sent = slack_sent(platforms, dm)
    assert sent == expected(agent, await mirror.say("hi"), SLACK, sent)
    assert sent[0] == (greeting(agent), [])
    assert sent[-1][1] == [("Check my symptoms", "I have back pain"), ("Ask a question", "what can you do")]
    actions = platforms.slack[-1]["blocks"][1]
    assert actions == {
        "type": "actions",
        "elements": [
            {
                "type": "button",
                "action_id": "choice-1",
                "value": "I have back pain",
                "text": {"type": "plain_text", "text": "Check my symptoms", "emoji": True},
            },
            {
                "type": "button",
                "action_id": "choice-2",
                "value": "what can you do",
                "text": {"type": "plain_text", "text": "Ask a question", "emoji": True},
            },
        ],
    }


async def test_slack_interview_question_and_button_click(served, platforms, agent):
    app, channels = served
    user, dm, mirror = f"U{next(_ids):08d}", f"D{next(_ids):08d}", Mirror(agent)
    await slack_say(app, channels, platforms, user, dm, "my lower back hurts")
    sent = slack_sent(platforms, dm)
    assert sent == expected(agent, await mirror.say("my lower back hurts"), SLACK, sent)
    question, buttons = sent[-1]
    assert question in question_texts(agent) and buttons

    # The person clicks the first button: Slack posts a signed block_actions payload.
    title, payload = buttons[0]
    res = await slack_say(app, channels, platforms, user, dm, click=(title, payload))
    assert res.status == 200
    sent = slack_sent(platforms, dm)
    assert sent == expected(agent, await mirror.say(payload), SLACK, sent)
    assert last_user_text(await agent.tracker_store.retrieve(f"slack:{user}")) == payload


async def test_slack_long_answer_within_limit(served, served_small, platforms, agent):
    for (app, channels), limit in ((served, SLACK.max_text), (served_small, SMALL)):
        user, dm = f"U{next(_ids):08d}", f"D{next(_ids):08d}"
        await slack_say(app, channels, platforms, user, dm, "what is sciatica?")
        sent = slack_sent(platforms, dm)
        replies = await Mirror(agent).say("what is sciatica?")
        assert all(0 < len(text) <= limit for text, _ in sent)
        assert sent == expected(agent, replies, SLACK.with_max_text(limit), sent)
        if limit == SMALL:
            assert len(sent) > len(replies)


async def test_slack_refuses_bad_signatures(served, platforms):
    app, channels = served
    body = json.dumps(slack_event("U0BAD", "D0BAD", "hi")).encode()
    for headers in (
        slack_signed(body, secret="not-the-signing-secret"),
        slack_signed(body, timestamp=int(time.time()) - 600),  # replayed: older than 5 minutes
        slack_signed(b"another body"),
        {},
    ):
        platforms.clear()
        res = await slack_post(app, channels["slack"], body, "application/json", headers)
        assert 400 <= res.status < 500
        assert platforms.total == 0


# --------------------------------------------------------------------------- Messenger


def fb_signed(body: bytes, sha256: bool = True, secret: str = FB_SECRET) -> Dict[str, str]:
    if sha256:
        return {"X-Hub-Signature-256": "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()}
    return {"X-Hub-Signature": "sha1=" + hmac.new(secret.encode(), body, hashlib.sha1).hexdigest()}


def fb_entry(psid: str, text: Optional[str] = None, quick_reply: Optional[Tuple[str, str]] = None) -> Dict[str, Any]:
    now = int(time.time() * 1000)
    message: Dict[str, Any] = {"mid": f"m_{uuid.uuid4().hex}", "text": text}
    if quick_reply:
        message = {"mid": message["mid"], "text": quick_reply[0], "quick_reply": {"payload": quick_reply[1]}}
    return {
        "object": "page",
        "entry": [
            {
                "id": "PAGE0TEST",
                "time": now,
                "messaging": [
                    {"sender": {"id": psid}, "recipient": {"id": "PAGE0TEST"}, "timestamp": now, "message": message},
                ],
            }
        ],
    }


async def fb_say(app, channels, platforms, psid, text=None, quick_reply=None, sha256=True):
    platforms.clear()
    body = json.dumps(fb_entry(psid, text, quick_reply)).encode()
    res = await client(app).post(
        "/webhooks/facebook/webhook",
        content=body,
        headers={"content-type": "application/json", **fb_signed(body, sha256)},
    )
    await settle(channels["facebook"])
    return res


def fb_sent(platforms: Platforms, psid: str) -> List[Tuple[str, list]]:
    proof = hmac.new(FB_SECRET.encode(), FB_TOKEN.encode(), hashlib.sha256).hexdigest()
    for request in platforms.graph:
        url = urlsplit(request.url)
        assert (url.scheme, url.netloc, url.path) == ("https", "graph.facebook.com", "/v21.0/me/messages")
        assert parse_qs(url.query) == {"access_token": [FB_TOKEN], "appsecret_proof": [proof]}
    sent = []
    for body in platforms.graph_messages():
        assert body["recipient"] == {"id": psid} and body["messaging_type"] == "RESPONSE"
        message = body["message"]
        assert set(message) <= {"text", "quick_replies"}
        replies = message.get("quick_replies", [])
        assert all(r["content_type"] == "text" and len(r["title"]) <= 20 for r in replies) and len(replies) <= 13
        sent.append((message["text"], [(r["title"], r["payload"]) for r in replies]))
    return sent


async def test_facebook_webhook_verification(served):
    app, _ = served
    query = {"hub.mode": "subscribe", "hub.verify_token": FB_VERIFY, "hub.challenge": "1158201444"}
    res = await client(app).get("/webhooks/facebook/webhook?" + urlencode(query))
    assert res.status == 200 and res.text == "1158201444"
    res = await client(app).get("/webhooks/facebook/webhook?" + urlencode({**query, "hub.verify_token": "x"}))
    assert res.status == 403


async def test_facebook_greeting_with_quick_replies_and_tap(served, platforms, agent):
    app, channels = served
    psid, mirror = str(6000000000000000 + next(_ids)), Mirror(agent)
    res = await fb_say(app, channels, platforms, psid, "hi")
    assert res.status == 200 and res.text == "EVENT_RECEIVED"
    sent = fb_sent(platforms, psid)
    assert sent == expected(agent, await mirror.say("hi"), FACEBOOK, sent)
    assert sent[0] == (greeting(agent), [])
    assert sent[-1][1] == [("Check my symptoms", "I have back pain"), ("Ask a question", "what can you do")]
    assert json.loads(platforms.graph[0].body) == {"recipient": {"id": psid}, "sender_action": "typing_on"}

    res = await fb_say(
        app, channels, platforms, psid, quick_reply=("Check my symptoms", "I have back pain"), sha256=True
    )
    assert res.status == 200
    sent = fb_sent(platforms, psid)
    assert sent == expected(agent, await mirror.say("I have back pain"), FACEBOOK, sent)
    # The payload went to the assistant, not the title the person saw.
    assert last_user_text(await agent.tracker_store.retrieve(f"facebook:{psid}")) == "I have back pain"


async def test_facebook_numbered_options_and_a_reply_by_number(served, platforms, agent):
    """Options Messenger cannot show as quick replies (a title over 20 characters) come
    as a numbered list, and "2" answers with the second option's payload."""
    app, channels = served
    psid, mirror = str(6000000000000000 + next(_ids)), Mirror(agent)
    said = "my lower back hurts"
    await fb_say(app, channels, platforms, psid, said)
    sent = fb_sent(platforms, psid)
    assert sent == expected(agent, await mirror.say(said), FACEBOOK, sent)
    for _ in range(6):  # tap the first quick reply until a question comes numbered
        text, quick = sent[-1]
        if NUMBERED_HINT in text:
            break
        assert quick, f"no question after {said!r}: {sent}"
        said = quick[0][1]
        res = await fb_say(app, channels, platforms, psid, quick_reply=quick[0])
        assert res.status == 200
        sent = fb_sent(platforms, psid)
        assert sent == expected(agent, await mirror.say(said), FACEBOOK, sent)
    else:
        pytest.fail(f"no question with numbered options came up: {sent}")
    assert "\n1. " in text and "\n2. " in text and not quick

    tracker = await agent.tracker_store.retrieve(f"facebook:{psid}")
    second = last_turn_buttons(tracker.events)[1]
    assert f"\n2. {second['title']}\n" in text
    await fb_say(app, channels, platforms, psid, "2")
    assert last_user_text(await agent.tracker_store.retrieve(f"facebook:{psid}")) == second["payload"]
    sent = fb_sent(platforms, psid)
    assert sent == expected(agent, await mirror.say(second["payload"]), FACEBOOK, sent)


async def test_facebook_long_answer_within_limit(served, served_small, platforms, agent):
    for (app, channels), limit in ((served, FACEBOOK.max_text), (served_small, SMALL)):
        psid = str(6000000000000000 + next(_ids))
        await fb_say(app, channels, platforms, psid, "what is sciatica?")
        sent = fb_sent(platforms, psid)
        replies = await Mirror(agent).say("what is sciatica?")
        assert all(0 < len(text) <= limit for text, _ in sent)
        assert sent == expected(agent, replies, FACEBOOK.with_max_text(limit), sent)
        if limit == SMALL:
            assert len(sent) > len(replies)


async def test_facebook_refuses_bad_signatures(served, platforms):
    app, channels = served
    body = json.dumps(fb_entry("6000000000000999", "hi")).encode()
    for headers in (
        fb_signed(body, sha256=False, secret="not-the-app-secret"),
        fb_signed(body, secret="not-the-app-secret"),
        fb_signed(body, sha256=False),  # a right SHA-1 signature: SHA-256 only
        {"X-Hub-Signature": "md5=" + hashlib.md5(FB_SECRET.encode() + body).hexdigest()},
        fb_signed(b"another body", sha256=True),
        {},
    ):
        platforms.clear()
        res = await client(app).post(
            "/webhooks/facebook/webhook", content=body, headers={"content-type": "application/json", **headers}
        )
        await settle(channels["facebook"])
        assert res.status == 403
        assert platforms.total == 0


# --------------------------------------------------------------------------- channel isolation


def user_texts_of(tracker) -> List[str]:
    return [e.text for e in (tracker.events if tracker else []) if isinstance(e, UserUttered)]


async def test_a_rest_caller_given_another_channels_id_gets_nothing_of_it(served, platforms, agent, monkeypatch):
    """Telegram chat ids, Slack user ids and Messenger ids are not secret: their conversations are
    stored under a channel prefix (addons/channels/keys.py), which REST cannot name, and a bare
    platform id is too guessable for REST without the API token; with the token it is a REST
    conversation of its own."""
    from addons import auth

    app, channels = served
    chat, user, dm, psid = (
        700000000 + next(_ids),
        f"U{next(_ids):08d}",
        f"D{next(_ids):08d}",
        str(6000000000000000 + next(_ids)),
    )
    await telegram_say(app, platforms, chat, "my lower back hurts")
    await slack_say(app, channels, platforms, user, dm, "my lower back hurts")
    await fb_say(app, channels, platforms, psid, "my lower back hurts")
    await settle(channels["facebook"])
    keys = {f"telegram:{chat}": str(chat), f"slack:{user}": user, f"facebook:{psid}": psid}
    before = {key: user_texts_of(await agent.tracker_store.retrieve(key)) for key in keys}
    assert all(texts == ["my lower back hurts"] for texts in before.values()), before

    monkeypatch.setattr(auth, "_token", "t" * 40)
    for key, bare in keys.items():
        for sender in (key, bare):
            res = await client(app).post(
                "/webhooks/rest/webhook", json={"sender": sender, "message": "delete my conversation"}
            )
            assert res.status == 400, (sender, res.text)
        res = await client(app).post(
            "/webhooks/rest/webhook?token=" + "t" * 40, json={"sender": bare, "message": "what can you do"}
        )
        assert res.status == 200, res.text
        assert user_texts_of(await agent.tracker_store.retrieve(bare)) == [
            "what can you do"
        ]  # a conversation of its own
    after = {key: user_texts_of(await agent.tracker_store.retrieve(key)) for key in keys}
    assert after == before


# --------------------------------------------------------------------------- the store down


@pytest.fixture(scope="module")
def served_store_down(trained_model, action_server, channel_env, tmp_path_factory):
    """The channels in front of an assistant whose conversation store has lost its table:
    every read and write fails, so every turn is refused (addons/tracker_store.py)."""
    import sqlalchemy as sa
    from rasa.core.agent import Agent
    from rasa.shared.core.domain import Domain
    from rasa.utils.endpoints import EndpointConfig

    from addons.tracker_store import ConversationStore

    workdir = tmp_path_factory.mktemp("store-down")
    store = ConversationStore(domain=Domain.empty(), dialect="sqlite", db=str(workdir / "tracker.db"))
    agent = Agent.load(
        str(trained_model), action_endpoint=EndpointConfig(action_server.action_url), tracker_store=store
    )
    with store.engine.begin() as connection:
        connection.execute(sa.text("DROP TABLE events"))
    credentials = workdir / "credentials.yml"
    credentials.write_text(CREDENTIALS_YML)
    return build_app(agent, credentials)


async def refused_turn_replies(platform: str, app, channels, platforms) -> List[str]:
    said = "I've wet myself and I can't feel between my legs"
    if platform == "telegram":
        chat = 700000000 + next(_ids)
        assert (await telegram_say(app, platforms, chat, said)).status == 200  # 5xx: Telegram would resend
        return [text for text, _ in telegram_sent(platforms, chat)]
    if platform == "slack":
        user, channel = f"U{next(_ids):08d}", f"D{next(_ids):08d}"
        assert (await slack_say(app, channels, platforms, user, channel, said)).status == 200
        return [text for text, _ in slack_sent(platforms, channel)]
    psid = str(6000000000000000 + next(_ids))
    assert (await fb_say(app, channels, platforms, psid, said)).status == 200
    return [text for text, _ in fb_sent(platforms, psid)]


@pytest.mark.parametrize("platform", ["telegram", "slack", "facebook"])
async def test_a_turn_the_store_refuses_is_answered_with_the_emergency_number_not_silence(
    platform, served_store_down, platforms
):
    from bot.guard import unavailable_reply

    app, channels = served_store_down
    sent = await refused_turn_replies(platform, app, channels, platforms)
    assert [_flat(text) for text in sent] == [_flat(unavailable_reply())], sent
    assert get_settings().emergency_number in sent[0]


# --------------------------------------------------------------------------- instructions (issue 26)
EMERGENCY = "I can't control my bladder and my bum is numb"
URGENT = "i have a fever and back pain"
ROUTINE_WORDING = ("few weeks", "isn't getting better")


async def reply_on(platform: str, app, channels, platforms, text: str) -> List[Tuple[str, list]]:
    """(text, buttons) of each message a new conversation on ``platform`` got for ``text``."""
    if platform == "telegram":
        chat = 700000000 + next(_ids)
        assert (await telegram_say(app, platforms, chat, text)).status == 200
        return telegram_sent(platforms, chat)
    if platform == "slack":
        user, channel = f"U{next(_ids):08d}", f"D{next(_ids):08d}"
        assert (await slack_say(app, channels, platforms, user, channel, text)).status == 200
        return slack_sent(platforms, channel)
    psid = str(6000000000000000 + next(_ids))
    assert (await fb_say(app, channels, platforms, psid, text)).status == 200
    return fb_sent(platforms, psid)


@pytest.mark.parametrize("platform", ["telegram", "slack", "facebook"])
async def test_an_emergency_instruction_is_the_first_message_and_stands_alone(platform, served, platforms, agent):
    app, channels = served
    sent = await reply_on(platform, app, channels, platforms, EMERGENCY)
    instruction = (await Mirror(agent).say(EMERGENCY))[0]["text"]
    assert instruction.startswith("Please call 999 now"), instruction
    # First, on its own: exactly the instruction, no buttons, nothing joined to it.
    assert sent[0] == (instruction, []), sent
    assert "999" in sent[0][0], "the number to call is in the text (tappable where the app detects it)"
    assert not [text for text, _ in sent for words in ROUTINE_WORDING if words in text], sent
    # 999 has no country code: Messenger's call button cannot dial it, so none is sent.
    assert platform != "facebook" or all("attachment" not in b["message"] for b in platforms.graph_messages())


async def test_messenger_adds_a_call_button_for_a_number_with_its_country_code(served, platforms, monkeypatch):
    monkeypatch.setenv("URGENT_CARE_NUMBER", "+44 1632 960000")
    app, channels = served
    psid = str(6000000000000000 + next(_ids))
    await fb_say(app, channels, platforms, psid, URGENT)
    messages = [body["message"] for body in platforms.graph_messages()]
    assert set(messages[0]) == {"text"} and messages[0]["text"].startswith("Please get checked today"), messages
    assert messages[1] == {
        "attachment": {
            "type": "template",
            "payload": {
                "template_type": "button",
                "text": "Tap to call +44 1632 960000.",
                "buttons": [{"type": "phone_number", "title": "Call +44 1632 960000", "payload": "+441632960000"}],
            },
        }
    }, messages
    assert sum("attachment" in m for m in messages) == 1, "one call button per reply"
    assert all(set(m) <= {"text", "quick_replies"} for m in messages[2:]), messages


# --------------------------------------------------------------------------- configuration


async def test_without_tokens_the_server_starts_with_channels_disabled(agent, tmp_path, monkeypatch):
    """A plain clone (no tokens in the environment) starts: REST and socket.io work, the
    three connectors stand by. Checked for the proposed file and the repository's one."""
    for name in CHANNEL_ENV:
        monkeypatch.delenv(name, raising=False)
    proposed = tmp_path / "credentials.yml"
    proposed.write_text(CREDENTIALS_YML)
    for credentials in (ROOT / "credentials.yml", proposed):
        app, channels = build_app(agent, credentials)
        assert {"rest", "socketio"} <= set(channels)
        res = await client(app).post("/webhooks/rest/webhook", json={"sender": uuid.uuid4().hex, "message": "hi"})
        assert res.status == 200 and res.json[0]["text"] == greeting(agent)

    assert {name: type(channel).__name__ for name, channel in channels.items()} == {
        "rest": "RestInput",
        "socketio": "SocketIOInput",
        "telegram": "DisabledChannel",
        "slack": "DisabledChannel",
        "facebook": "DisabledChannel",
        "checkins": "CheckinsInput",  # the check-in poller (addons/checkins.py), not a channel people use
    }
    res = await client(app).get("/webhooks/telegram/")
    assert res.json == {"status": "disabled", "missing": ["TELEGRAM_ACCESS_TOKEN", "TELEGRAM_WEBHOOK_URL"]}
    for name in ("telegram", "slack", "facebook"):
        res = await client(app).post(f"/webhooks/{name}/webhook", json={})
        assert res.status == 503


def test_a_half_configured_channel_stays_disabled(monkeypatch):
    for name in CHANNEL_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SLACK_BOT_TOKEN", SLACK_TOKEN)  # but no signing secret
    channel = SlackChannel.from_credentials(None)
    assert isinstance(channel, DisabledChannel) and channel.missing == ["SLACK_SIGNING_SECRET"]
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SLACK_SECRET)
    assert isinstance(SlackChannel.from_credentials({"use_threads": True}), SlackChannel)
    assert isinstance(FacebookChannel.from_credentials({}), DisabledChannel)


def test_why_not_dollar_variables_in_credentials(tmp_path, monkeypatch):
    """What the connectors avoid. Rasa expands ${VAR} only in plain (unquoted) YAML
    scalars, and refuses the whole file when that variable is unset; a quoted "${VAR}" is
    not expanded at all and arrives as the literal text."""
    monkeypatch.delenv("TELEGRAM_ACCESS_TOKEN", raising=False)
    credentials = tmp_path / "credentials.yml"
    credentials.write_text("telegram:\n  access_token: ${TELEGRAM_ACCESS_TOKEN}\n")
    with pytest.raises(RasaException, match="TELEGRAM_ACCESS_TOKEN"):
        rasa.shared.utils.io.read_config_file(str(credentials))

    monkeypatch.setenv("TELEGRAM_ACCESS_TOKEN", TELEGRAM_TOKEN)
    assert rasa.shared.utils.io.read_config_file(str(credentials)) == {"telegram": {"access_token": TELEGRAM_TOKEN}}
    credentials.write_text('telegram:\n  access_token: "${TELEGRAM_ACCESS_TOKEN}"\n')
    assert rasa.shared.utils.io.read_config_file(str(credentials)) == {
        "telegram": {"access_token": "${TELEGRAM_ACCESS_TOKEN}"}
    }
