"""The HTTP API is locked; the REST channel is open. Against the real server (``Stack``).

``rasa run --enable-api --auth-token <token>`` (what ``make run`` does): every API route
needs ``?token=<token>``; the channels under /webhooks/ do not. The same server also gets
``--jwt-secret`` to show the JWT option: a token signed with that secret as
``Authorization: Bearer <jwt>``, whose payload ``{"user": {"username": <conversation id>,
"role": "user"}}`` opens one conversation only, and ``"role": "admin"`` everything.
"""

from __future__ import annotations

import time
import uuid
from typing import Any, Dict, List, Optional

import jwt
import pytest
import requests
import yaml

from tests.e2e import CHANNEL_ENV, CREDENTIALS_YML
from tests.support.stack import ROOT, Stack

pytestmark = pytest.mark.e2e

TOKEN = f"api-test-{uuid.uuid4().hex}"
JWT_SECRET = f"jwt-test-{uuid.uuid4().hex}"
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text())
GREETING = DOMAIN["responses"]["utter_greet"][0]["text"]
PUBLIC_SLOTS = ("triage_level", "possible_causes", "red_flags")


class JwtStack(Stack):
    """The project's Stack, with the Rasa server also given --jwt-secret."""

    def _spawn(self, name: str, args: List[str], env: dict):
        if name == "rasa":
            args = [*args, "--jwt-secret", JWT_SECRET, "--jwt-method", "HS256"]
        return super()._spawn(name, args, env)


@pytest.fixture(scope="module")
def server(trained_model, tmp_path_factory) -> Stack:
    workdir = tmp_path_factory.mktemp("api")
    credentials = workdir / "credentials.yml"
    credentials.write_text(CREDENTIALS_YML)
    # No channel tokens: the server must start with the connectors disabled.
    stack = JwtStack(
        workdir=workdir,
        token=TOKEN,
        credentials=credentials,
        # Every refusal below comes from this machine: the failed-token throttle (tests/e2e/test_abuse.py) stays out of it.
        extra_env={**{name: "" for name in CHANNEL_ENV}, "AUTH_FAILURES_PER_ADDRESS": "1000"},
    )
    stack.start(with_web=False)
    yield stack
    stack.stop()


def call(
    server: Stack, method: str, path: str, token: Optional[str] = None, bearer: Optional[str] = None, json: Any = None
) -> requests.Response:
    params = {"token": token} if token is not None else None
    headers = {"Authorization": f"Bearer {bearer}"} if bearer is not None else None
    return requests.request(method, server.rasa_url + path, params=params, headers=headers, json=json, timeout=60)


def locked_routes(conversation_id: str) -> List[Dict[str, Any]]:
    return [
        {"method": "GET", "path": "/status"},
        {"method": "GET", "path": f"/conversations/{conversation_id}/tracker"},
        {
            "method": "POST",
            "path": f"/conversations/{conversation_id}/messages",
            "json": {"text": "hello", "sender": "user"},
        },
        {"method": "POST", "path": "/model/parse", "json": {"text": "my lower back hurts"}},
    ]


def user_jwt(username: str, role: str = "user", secret: str = JWT_SECRET, expires_in: int = 300) -> str:
    payload = {"user": {"username": username, "role": role}, "exp": int(time.time()) + expires_in}
    return jwt.encode(payload, secret, algorithm="HS256")


def rest(server: Stack, sender: str, message: str) -> List[Dict[str, Any]]:
    res = requests.post(
        f"{server.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=60
    )
    assert res.status_code == 200, res.text
    return res.json()


@pytest.mark.parametrize("route", range(4), ids=["status", "tracker", "messages", "parse"])
def test_api_routes_need_the_token(server, route):
    spec = locked_routes(f"api-{uuid.uuid4().hex[:8]}")[route]
    method, path, body = spec["method"], spec["path"], spec.get("json")

    for refused in (
        call(server, method, path, json=body),  # no token
        call(server, method, path, token="wrong-token", json=body),  # wrong token
        call(server, method, path, token="", json=body),  # empty token
        call(server, method, path, bearer="wrong-token", json=body),  # a wrong bearer token
    ):
        assert refused.status_code in (401, 403), (refused.status_code, refused.text)
        assert refused.json()["reason"] in ("NotAuthenticated", "NotAuthorized")

    for allowed in (
        call(server, method, path, token=TOKEN, json=body),
        call(server, method, path, bearer=TOKEN, json=body),
    ):
        assert allowed.status_code == 200, allowed.text  # ?token= or Authorization: Bearer (Rasa's convention)


def test_public_routes(server):
    assert requests.get(server.rasa_url + "/", timeout=10).status_code == 200
    # The connectors without tokens stand by; their webhooks refuse work.
    for channel in ("telegram", "slack", "facebook"):
        res = requests.get(f"{server.rasa_url}/webhooks/{channel}/", timeout=10)
        assert res.json()["status"] == "disabled"
        assert requests.post(f"{server.rasa_url}/webhooks/{channel}/webhook", json={}, timeout=10).status_code == 503


def test_rest_channel_is_open_and_its_conversation_readable_with_the_token(server):
    sender = uuid.uuid4().hex
    replies = rest(server, sender, "hi")
    assert replies[0] == {"recipient_id": sender, "text": GREETING}
    assert any(r.get("buttons") for r in replies)
    replies += rest(server, sender, "my lower back hurts")

    assert call(server, "GET", f"/conversations/{sender}/tracker").status_code == 401
    res = call(server, "GET", f"/conversations/{sender}/tracker", token=TOKEN)
    assert res.status_code == 200
    tracker = res.json()
    assert tracker["sender_id"] == sender
    user_texts = [e["text"] for e in tracker["events"] if e["event"] == "user"]
    bot_texts = [e["text"] for e in tracker["events"] if e["event"] == "bot"]
    assert user_texts == ["hi", "my lower back hurts"]
    assert bot_texts == [r["text"] for r in replies]
    assert all(slot in tracker["slots"] for slot in PUBLIC_SLOTS)
    # Every message is screened by a custom action: a triage level means the server
    # reached the action server through endpoints.yml.
    assert tracker["slots"]["triage_level"] in ("routine", "urgent", "emergency"), (
        "triage_level not set: the action server was not reached (is ${ACTION_ENDPOINT_URL} "
        "expanded in endpoints.yml?)"
    )
    assert tracker["latest_message"]["intent"]["name"]


def test_jwt_user_token_opens_its_own_conversation_only(server):
    mine, other = uuid.uuid4().hex, uuid.uuid4().hex
    rest(server, mine, "hi")
    token = user_jwt(mine)
    assert call(server, "GET", f"/conversations/{mine}/tracker", bearer=token).status_code == 200
    assert call(server, "GET", f"/conversations/{other}/tracker", bearer=token).status_code == 403
    assert call(server, "GET", "/status", bearer=token).status_code == 403

    admin = user_jwt("ops", role="admin")
    assert call(server, "GET", "/status", bearer=admin).status_code == 200
    assert call(server, "GET", f"/conversations/{other}/tracker", bearer=admin).status_code == 200

    for bad in (user_jwt(mine, secret="not-the-secret"), user_jwt(mine, expires_in=-600), "not.a.jwt"):
        assert call(server, "GET", f"/conversations/{mine}/tracker", bearer=bad).status_code == 401
