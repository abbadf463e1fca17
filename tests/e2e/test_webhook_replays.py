"""A retried or replayed webhook delivery is processed once (Telegram update_id, Slack
event_id / interaction, Messenger mid), on the real connectors and assistant.

Uses the channel test harness of test_channels.py (Sanic app over ASGI, platform calls
captured)."""

from __future__ import annotations

import json
import uuid
from urllib.parse import urlencode

import pytest

from tests.e2e.test_channels import (  # noqa: F401  (fixtures)
    TELEGRAM_SECRET,
    TELEGRAM_SECRET_HEADER,
    _ids,
    channel_env,
    client,
    fb_entry,
    fb_signed,
    platforms,
    served,
    settle,
    slack_click,
    slack_event,
    slack_post,
    slack_signed,
    telegram_update,
)

pytestmark = [pytest.mark.e2e, pytest.mark.filterwarnings("ignore:You have set a listener:UserWarning")]


async def user_turns(agent, sender_id: str) -> int:
    tracker = await agent.tracker_store.retrieve(sender_id)
    return len([e for e in tracker.events if e.type_name == "user"]) if tracker else 0


async def test_telegram_update_delivered_twice_is_answered_once(served, platforms, agent):  # noqa: F811 (fixtures)
    app, _ = served
    chat = 710000000 + next(_ids)
    update = telegram_update(chat, "hi")
    for _ in range(3):
        res = await client(app).post(
            "/webhooks/telegram/webhook", json=update, headers={TELEGRAM_SECRET_HEADER: TELEGRAM_SECRET}
        )
        assert res.status == 200
    assert await user_turns(agent, f"telegram:{chat}") == 1
    greetings = [c for c in platforms.telegram_calls("sendMessage") if c["text"].startswith("Hi")]
    assert len(greetings) == 1
    # A new update from the same chat is still answered.
    await client(app).post(
        "/webhooks/telegram/webhook",
        json=telegram_update(chat, "hello"),
        headers={TELEGRAM_SECRET_HEADER: TELEGRAM_SECRET},
    )
    assert await user_turns(agent, f"telegram:{chat}") == 2


async def test_slack_event_retried_is_answered_once(served, platforms, agent):  # noqa: F811 (fixtures)
    app, channels = served
    user, channel = f"U{uuid.uuid4().hex[:8].upper()}", f"D{uuid.uuid4().hex[:8].upper()}"
    body = json.dumps(slack_event(user, channel, "hi")).encode()
    for _ in range(2):
        res = await slack_post(app, channels["slack"], body, "application/json", slack_signed(body))
        assert res.status == 200
    assert await user_turns(agent, f"slack:{user}") == 1
    click = urlencode({"payload": json.dumps(slack_click(user, channel, "Ask a question", "what can you do"))})
    for _ in range(2):
        await slack_post(
            app, channels["slack"], click.encode(), "application/x-www-form-urlencoded", slack_signed(click.encode())
        )
    assert await user_turns(agent, f"slack:{user}") == 2


async def test_messenger_message_redelivered_is_answered_once(served, platforms, agent):  # noqa: F811 (fixtures)
    app, channels = served
    psid = f"{next(_ids)}{uuid.uuid4().int % 10**10}"
    body = json.dumps(fb_entry(psid, "hi")).encode()
    for _ in range(2):
        res = await client(app).post(
            "/webhooks/facebook/webhook", content=body, headers={"content-type": "application/json", **fb_signed(body)}
        )
        assert res.status == 200
        await settle(channels["facebook"])
    assert await user_turns(agent, f"facebook:{psid}") == 1
