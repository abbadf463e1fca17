"""Rasa's REST channel with its input checked (``addons.channels.rest.RestInput`` in credentials.yml).

Same route, body and answer as Rasa's ``rest:`` channel (``POST /webhooks/rest/webhook``
with ``{"sender": ..., "message": ...}``, a JSON list of replies), and also:

- a body that is not a JSON object, a missing or non-string ``sender`` (Rasa would file
  every such message under one shared conversation, "default"), a sender id longer than
  ``MAX_SENDER_ID_CHARS``, or a ``message``/``metadata``/``input_channel`` of the wrong
  type gets a 400 with a message saying what is wrong;
- too long, empty or non-English-script messages get a kind reply (``bot/guard.py``) and
  do not reach the assistant;
- a sender or a client address over its rate limit gets 429 with ``Retry-After`` and the
  kind reply as the body's only message;
- a message that could not be handled (typically the conversation store or the lock
  store unreachable: ``StoreUnavailable``, a Redis error) gets 503 with
  ``{"error": "unavailable", "message": ...}`` and ``Retry-After``, where Rasa's channel
  answers ``200 []``; the message is not stored, and the kind message says to send it
  again and, for an emergency, which number to call. The error is logged without the
  message's text.

The sender id is the conversation's only key: anyone who knows it can continue that
conversation here. So it must be unguessable (at least 128 bits: 32 hex digits or 22
base64url characters, the whole id) unless the request carries the API token, and it may not name
or resemble another channel's conversation key (no ``:``, ``%``, space or non-ASCII
character, whoever sends it; addons/channels/keys.py). Metadata is
capped in size and depth (``bot.guard.metadata_problem``): 400 over it.
"""

from __future__ import annotations

import json
import logging
from asyncio import CancelledError
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput as RasaRestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from addons import auth
from addons.channels import keys
from addons.channels.kinds import MarkedCollectingOutputChannel
from addons.guard import client_address, error, get_guard, install_on_start
from addons.tracker_store import StoreUnavailable
from bot.guard import metadata_problem, unavailable_reply

logger = logging.getLogger(__name__)

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


def read_body(request: Request, max_sender: int) -> tuple[Optional[Dict[Text, Any]], Optional[str]]:
    """(body, None) for a usable body, else (None, what is wrong)."""
    try:
        body = json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError):
        return None, 'The body must be JSON: {"sender": "<conversation id>", "message": "<text>"}.'
    if not isinstance(body, dict):
        return None, "The body must be a JSON object with 'sender' and 'message'."
    sender = body.get("sender")
    if not isinstance(sender, str) or not sender.strip():
        return None, "'sender' (the conversation id, a non-empty string) is required."
    if len(sender) > max_sender or not sender.isprintable():
        return None, f"'sender' must be at most {max_sender} printable characters."
    if "message" in body and body["message"] is not None and not isinstance(body["message"], str):
        return None, "'message' must be a string."
    if body.get("metadata") is not None and not isinstance(body["metadata"], dict):
        return None, "'metadata' must be an object."
    if body.get("input_channel") is not None and not isinstance(body["input_channel"], str):
        return None, "'input_channel' must be a string."
    problem = metadata_problem(body.get("metadata"))
    if problem:
        return None, problem
    if body.get("input_channel") in keys.PREFIXED_CHANNELS:
        return None, "'input_channel' may not name another channel (its conversations have their own keys)."
    sender_problem = keys.sender_problem(sender)
    if sender_problem:
        return None, sender_problem
    return body, None


WEAK_SENDER = (
    "'sender' must be unguessable: at least 128 random bits, e.g. 32 hex digits or 22 base64url "
    "characters (docs/api.md), unless the request carries the API token."
)


RETRY_AFTER_SECONDS = 10


def unavailable() -> HTTPResponse:
    """The answer to a message that was not taken (the same shape nginx gives when no replica answers)."""
    return response.json(
        {"error": "unavailable", "message": unavailable_reply()},
        status=503,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


class RestInput(RasaRestInput):
    @classmethod
    def name(cls) -> Text:
        return "rest"

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        blueprint = Blueprint("custom_webhook_RestInput", __name__)
        install_on_start(blueprint)

        @blueprint.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @blueprint.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            guard = get_guard()
            body, problem = read_body(request, guard.limits.max_sender_chars)
            if body is None:
                return error(problem or "Bad request.")
            sender_id = body["sender"]
            if not keys.strong_rest_id(sender_id) and not await auth.carries_api_token(request):
                return error(WEAK_SENDER)
            verdict, _silent = guard.screen(body.get("message") or "", sender_id, client_address(request))
            if verdict.reason == "rate limited":
                retry = guard.senders.retry_after(f"sender:{sender_id}")
                return response.json(
                    [{"recipient_id": sender_id, "text": verdict.reply}],
                    status=429,
                    headers={"Retry-After": str(retry)},
                )
            if verdict.reply is not None:
                return response.json([{"recipient_id": sender_id, "text": verdict.reply}])
            collector = MarkedCollectingOutputChannel()
            message = UserMessage(
                verdict.text,
                collector,
                sender_id,
                input_channel=body.get("input_channel") or self.name(),
                metadata=body.get("metadata"),
            )
            try:
                await on_new_message(message)
            except CancelledError:
                logger.error("REST: the reply took too long (conversation kept).")
            except StoreUnavailable as refused:
                logger.error("REST: refused a message: %s", refused)
                return unavailable()
            except Exception:
                logger.exception("REST: failed to handle a message.")
                return unavailable()
            return response.json(collector.messages)

        return blueprint
