"""Thin Rasa connectors for Telegram, Slack and Facebook Messenger.

Named in credentials.yml by module path (``addons.channels.connectors.TelegramChannel:``),
they read their secrets from environment variables themselves, so credentials.yml holds
no secret and no ``${VAR}`` (Rasa refuses to start when a ``${VAR}`` in that file is
unset). A channel whose required variables are not all set starts *disabled*: its
``/webhooks/<channel>/`` route answers ``{"status": "disabled", "missing": [...]}``, its
webhook answers 503, and the rest of the server (REST, socket.io) runs as usual.

Everything that decides what a message looks like is in ``rendering.py``; here are only
the platform calls. Compared with Rasa's built-in connectors these also
- authenticate every webhook call: Telegram's secret-token header (registered with the
  webhook), Slack's signing secret, Messenger's X-Hub-Signature-256 (SHA-1 refused); a bad one gets a
  4xx and nothing is processed,
- split long answers within each platform's limit and send buttons as the platform's
  own choices, or as a numbered list the person can answer with "2",
- keep people from typing Rasa intents directly ("/greet"), and map "/start" to "hi",
- process each delivery once: a retried or replayed webhook call (same Telegram
  ``update_id``, Slack ``event_id`` / interaction ``trigger_id``, Messenger message
  ``mid``) is acknowledged and skipped, across replicas when Redis is configured
  (addons/deliveries.py),
- pass every message through the channel guard (length, rate limit; ``addons/guard.py``),
- answer a turn that fails (the conversation store unreachable, any error) with the
  unavailable reply and the emergency number rather than silence (``answering_failures``),
- give the number to call with an emergency, urgent or crisis instruction where the
  platform can make it tappable: the instruction is always the reply's first message, on
  its own (no buttons), with the number in its text; on Messenger a call button
  (``phone_number``, button template) follows it once per reply when the number is written
  with its country code, which is all Messenger's call button accepts. Telegram's URL
  buttons take only http(s) and tg:// links and Slack documents no phone links, so there
  the number stays in the text (docs/channels.md).

Environment variables (docs/channels.md):
    Telegram   TELEGRAM_ACCESS_TOKEN, TELEGRAM_WEBHOOK_URL [, TELEGRAM_WEBHOOK_SECRET]
    Slack      SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET [, SLACK_CHANNEL]
    Messenger  FACEBOOK_PAGE_ACCESS_TOKEN, FACEBOOK_APP_SECRET, FACEBOOK_VERIFY_TOKEN
Options in credentials.yml (not secret, all optional): ``max_message_length`` (any
channel, lowers the platform's limit), ``use_threads`` and ``conversation_granularity``
(Slack), ``graph_api_version`` (Messenger).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import io
import json
import logging
import os
import re
from typing import Any, Awaitable, Callable, Dict, Iterable, List, Optional, Set, Text, Tuple

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from aiogram.utils.exceptions import ValidationError as TelegramTokenError
from fbmessenger import MessengerClient
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.facebook import FacebookInput, MessengerBot
from rasa.core.channels.slack import SlackBot, SlackInput
from rasa.core.channels.telegram import TelegramInput, TelegramOutput
from rasa.shared.core.events import BotUttered, Event, UserUttered
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from addons.channels.keys import PlatformRecipient, store_key
from addons.channels.kinds import message_kind
from addons.deliveries import recent_ids
from addons.guard import answering_failures, guarded
from bot.rendering import (
    FACEBOOK,
    SLACK,
    TELEGRAM,
    ChannelProfile,
    call_for,
    keyboard_rows,
    neutralize_command,
    render,
    resolve_numbered_reply,
    slack_escape,
)

logger = logging.getLogger(__name__)

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]

TELEGRAM_ENV = ("TELEGRAM_ACCESS_TOKEN", "TELEGRAM_WEBHOOK_URL")
SLACK_ENV = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")
FACEBOOK_ENV = ("FACEBOOK_PAGE_ACCESS_TOKEN", "FACEBOOK_APP_SECRET", "FACEBOOK_VERIFY_TOKEN")

TELEGRAM_SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
FACEBOOK_BUTTON_TITLE = 20  # characters, Messenger's limit for a button's title
DEFAULT_GRAPH_API_VERSION = "21.0"


# --------------------------------------------------------------------------- shared


def _env(name: str) -> str:
    return (os.environ.get(name) or "").strip()


def _read_env(channel: str, names: Iterable[str]) -> Tuple[Dict[str, str], List[str]]:
    values = {name: _env(name) for name in names}
    missing = [name for name, value in values.items() if not value]
    if missing and len(missing) < len(values):
        logger.warning(
            "%s channel disabled: %s set but %s not.",
            channel,
            ", ".join(n for n in values if n not in missing),
            ", ".join(missing),
        )
    elif missing:
        logger.info("%s channel disabled (set %s to enable it).", channel, ", ".join(missing))
    return values, missing


class DisabledChannel(InputChannel):
    """Stands in for a channel whose environment variables are not set."""

    def __init__(self, channel_name: Text, missing: List[Text]) -> None:
        self.channel_name = channel_name
        self.missing = list(missing)

    def name(self) -> Text:  # per instance, not per class (Rasa's is a classmethod)
        return self.channel_name

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        blueprint = Blueprint(f"{self.channel_name}_disabled", __name__)

        @blueprint.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "disabled", "missing": self.missing})

        @blueprint.route("/webhook", methods=["GET", "POST"])
        async def webhook(_: Request) -> HTTPResponse:
            return response.text(f"The {self.channel_name} channel is not configured.", status=503)

        return blueprint


def last_turn_buttons(events: Iterable[Event]) -> Optional[List[Dict[Text, Any]]]:
    """The buttons of the latest bot message since the person last spoke, if any."""
    for event in reversed(list(events)):
        if isinstance(event, UserUttered):
            return None
        if isinstance(event, BotUttered) and (event.data or {}).get("buttons"):
            return event.data["buttons"]
    return None


async def resolve_reply(app: Sanic, sender_id: Text, text: Text, profile: ChannelProfile) -> Text:
    """``text``, or the payload it picks when the last question's options were numbered."""
    store = getattr(getattr(app.ctx, "agent", None), "tracker_store", None)
    if not text or store is None:
        return text
    try:
        tracker = await store.retrieve(store_key(profile.name, sender_id))
    except Exception:  # never lose the message over this convenience
        logger.debug("Could not read a tracker for a numbered reply.", exc_info=True)
        return text
    if tracker is None:
        return text
    payload = resolve_numbered_reply(text, last_turn_buttons(tracker.events), profile)
    return payload or text


def _max_length(credentials: Dict[Text, Any]) -> Optional[int]:
    value = credentials.get("max_message_length")
    return int(value) if value else None


class RenderedOutput:
    """Every bot message goes through ``render`` for the platform's profile, then
    ``_send_rendered`` makes the platform calls (mixed in before Rasa's output channel);
    after it, ``_send_call`` may add a way to call the number of an instruction."""

    profile: ChannelProfile

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self._send_rendered(recipient_id, text, None)
        await self._send_call(recipient_id, message_kind(kwargs))

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        await self._send_rendered(recipient_id, text, buttons)
        await self._send_call(recipient_id, message_kind(kwargs))

    async def _send_rendered(self, recipient_id: Text, text: Text, buttons: Optional[List[Dict[Text, Any]]]) -> None:
        raise NotImplementedError

    async def _send_call(self, recipient_id: Text, kind: Optional[Text]) -> None:
        """Nothing by default: the instruction's text has the number (Telegram, Slack)."""


class EnvironmentConfigured:
    """``from_credentials`` for a connector whose secrets are environment variables: the
    channel is built by ``from_environment`` when all of ``required_env`` are set, and is a
    ``DisabledChannel`` otherwise (mixed in before Rasa's input channel)."""

    platform: Text = ""
    required_env: Tuple[Text, ...] = ()

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        values, missing = _read_env(cls.platform, cls.required_env)
        if missing:
            return DisabledChannel(cls.name(), missing)  # type: ignore[attr-defined]
        return cls.from_environment(values, credentials or {})

    @classmethod
    def from_environment(cls, values: Dict[Text, Text], credentials: Dict[Text, Any]) -> InputChannel:
        raise NotImplementedError


# --------------------------------------------------------------------------- Telegram


def derived_telegram_secret(access_token: Text) -> Text:
    """The webhook secret used when TELEGRAM_WEBHOOK_SECRET is unset: unguessable
    without the bot token, stable across restarts, in Telegram's alphabet."""
    return hmac.new(access_token.encode(), b"telegram-webhook-secret", hashlib.sha256).hexdigest()


class TelegramOutputChannel(PlatformRecipient, RenderedOutput, TelegramOutput):
    """Sends rendered messages; buttons as an inline keyboard."""

    def __init__(self, access_token: Optional[Text], profile: ChannelProfile = TELEGRAM) -> None:
        super().__init__(access_token)
        self.profile = profile

    async def _send_rendered(self, recipient_id: Text, text: Text, buttons: Optional[List[Dict[Text, Any]]]) -> None:
        for message in render(text, buttons, self.profile):
            markup = None
            if message.choices:
                markup = InlineKeyboardMarkup(
                    inline_keyboard=[
                        [InlineKeyboardButton(choice.title, callback_data=choice.payload) for choice in row]
                        for row in keyboard_rows(message.choices)
                    ]
                )
            await self.send_message(recipient_id, message.text, reply_markup=markup)

    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any) -> None:
        """The summary PDF (actions/summary.py) as a document; anything else as Rasa does."""
        from bot.handoff.pdf import DOCUMENT_KEY

        if DOCUMENT_KEY in json_message:
            data = base64.b64decode(json_message[DOCUMENT_KEY])
            filename = str(json_message.get("filename") or "back-pain-summary.pdf")
            await self.send_document(recipient_id, InputFile(io.BytesIO(data), filename=filename))
            return
        await super().send_custom_json(recipient_id, json_message, **kwargs)


class TelegramChannel(EnvironmentConfigured, TelegramInput):
    """Telegram bot webhook. Enabled when TELEGRAM_ACCESS_TOKEN and TELEGRAM_WEBHOOK_URL are set."""

    platform, required_env = "Telegram", TELEGRAM_ENV

    @classmethod
    def from_environment(cls, values: Dict[Text, Text], credentials: Dict[Text, Any]) -> InputChannel:
        return cls(
            access_token=values["TELEGRAM_ACCESS_TOKEN"],
            webhook_url=values["TELEGRAM_WEBHOOK_URL"],
            secret_token=_env("TELEGRAM_WEBHOOK_SECRET") or None,
            max_message_length=_max_length(credentials),
        )

    def __init__(
        self,
        access_token: Text,
        webhook_url: Text,
        secret_token: Optional[Text] = None,
        max_message_length: Optional[int] = None,
    ) -> None:
        super().__init__(access_token, verify=None, webhook_url=webhook_url, debug_mode=False)
        self.secret_token = secret_token or derived_telegram_secret(access_token)
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", self.secret_token):
            raise RasaException("TELEGRAM_WEBHOOK_SECRET may only contain A-Z, a-z, 0-9, _ and - (1-256 characters).")
        self.profile = TELEGRAM.with_max_text(max_message_length)
        self.webhook_registered = False
        self.deliveries = recent_ids(self.name())

    def get_output_channel(self) -> TelegramOutputChannel:
        # Unlike Rasa's TelegramInput, no network call here: the webhook is registered
        # once the server runs (see ``register_webhook``).
        try:
            return TelegramOutputChannel(self.access_token, self.profile)
        except TelegramTokenError as error:
            raise RasaException(f"TELEGRAM_ACCESS_TOKEN does not look like a bot token: {error}") from error

    async def register_webhook(self, out_channel: TelegramOutputChannel) -> bool:
        """setWebhook with our secret token, so that Telegram signs every update it sends."""
        if self.webhook_registered:
            return True
        try:
            self.webhook_registered = bool(
                await out_channel.request(
                    "setWebhook",
                    {
                        "url": self.webhook_url,
                        "secret_token": self.secret_token,
                        "allowed_updates": json.dumps(["message", "callback_query"]),
                    },
                )
            )
        except Exception as error:
            logger.error("Telegram: could not register the webhook %s: %s", self.webhook_url, error)
            return False
        logger.info("Telegram: webhook registered at %s.", self.webhook_url)
        return self.webhook_registered

    @staticmethod
    def parse_update(update: Dict[Text, Any]) -> Optional[Tuple[Text, Text, Optional[Text]]]:
        """(chat id, text, callback query id) of an update we answer, else None."""
        callback = update.get("callback_query")
        if callback:
            chat = ((callback.get("message") or {}).get("chat") or {}).get("id") or (callback.get("from") or {}).get(
                "id"
            )
            data = callback.get("data")
            if chat is None or not data:
                return None
            return str(chat), neutralize_command(data), callback.get("id")
        message = update.get("message") or {}
        chat = (message.get("chat") or {}).get("id")
        text = message.get("text")
        if chat is None or not text:
            return None  # edits, stickers, photos, locations, channel posts...
        return str(chat), neutralize_command(text), None

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        blueprint = Blueprint("telegram_webhook", __name__)
        out_channel = self.get_output_channel()
        # Never raises: a 5xx would make Telegram resend the same update again and again.
        on_new_message = answering_failures(guarded(on_new_message), "Telegram")

        @blueprint.listener("after_server_start")
        async def register(_app: Sanic, _loop: Any) -> None:
            await self.register_webhook(out_channel)

        @blueprint.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok", "webhook_registered": self.webhook_registered})

        @blueprint.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            if not hmac.compare_digest(request.headers.get(TELEGRAM_SECRET_HEADER, ""), self.secret_token):
                logger.warning("Telegram: refused an update without the right secret token.")
                return response.text("forbidden", status=403)
            update = request.json if isinstance(request.json, dict) else {}
            if self.deliveries.seen_before(update.get("update_id")):
                return response.text("duplicate")
            parsed = self.parse_update(update)
            if parsed is None:
                return response.text("ignored")
            sender_id, text, callback_id = parsed
            if callback_id:
                try:  # stops the button's spinner in the person's app
                    await out_channel.answer_callback_query(callback_id)
                except Exception as error:
                    logger.debug("Telegram: answerCallbackQuery failed: %s", error)
            text = await resolve_reply(request.app, sender_id, text, self.profile)
            message = UserMessage(
                text, out_channel, sender_id, input_channel=self.name(), metadata=self.get_metadata(request)
            )
            await on_new_message(message)
            return response.text("success")

        return blueprint


# --------------------------------------------------------------------------- Slack


class SlackOutputChannel(PlatformRecipient, RenderedOutput, SlackBot):
    """Posts rendered messages as blocks; buttons as an actions block."""

    def __init__(
        self,
        token: Text,
        slack_channel: Optional[Text] = None,
        thread_id: Optional[Text] = None,
        proxy: Optional[Text] = None,
        profile: ChannelProfile = SLACK,
    ) -> None:
        super().__init__(token, slack_channel, thread_id, proxy)
        self.profile = profile

    async def _send_rendered(self, recipient_id: Text, text: Text, buttons: Optional[List[Dict[Text, Any]]]) -> None:
        recipient = self.slack_channel or recipient_id
        for message in render(text, buttons, self.profile):
            blocks: List[Dict[Text, Any]] = [
                {"type": "section", "text": {"type": "plain_text", "text": message.text, "emoji": True}}
            ]
            if message.choices:
                blocks.append(
                    {
                        "type": "actions",
                        "elements": [
                            {
                                "type": "button",
                                "action_id": f"choice-{number}",
                                "text": {"type": "plain_text", "text": choice.title, "emoji": True},
                                "value": choice.payload,
                            }
                            for number, choice in enumerate(message.choices, start=1)
                        ],
                    }
                )
            # ``text`` is the notification / fallback; the blocks are what is shown.
            await self._post_message(channel=recipient, text=slack_escape(message.text), blocks=blocks)


class SlackChannel(EnvironmentConfigured, SlackInput):
    """Slack app (Events API + Interactivity). Enabled when SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are set."""

    platform, required_env = "Slack", SLACK_ENV

    @classmethod
    def from_environment(cls, values: Dict[Text, Text], credentials: Dict[Text, Any]) -> InputChannel:
        return cls(
            slack_token=values["SLACK_BOT_TOKEN"],
            slack_channel=_env("SLACK_CHANNEL") or None,
            slack_retry_reason_header="x-slack-retry-reason",
            slack_retry_number_header="x-slack-retry-num",
            use_threads=bool(credentials.get("use_threads", False)),
            slack_signing_secret=values["SLACK_SIGNING_SECRET"],
            conversation_granularity=credentials.get("conversation_granularity", "sender"),
            max_message_length=_max_length(credentials),
        )

    def __init__(self, *args: Any, max_message_length: Optional[int] = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.profile = SLACK.with_max_text(max_message_length)
        self.deliveries = recent_ids(self.name())

    @staticmethod
    def delivery_id(request: Request) -> Optional[Text]:
        """Slack's id of this delivery: the event's ``event_id``, an interaction's ``trigger_id``
        and ``action_ts``."""
        if "json" in (request.headers.get("content-type") or ""):
            body = request.json if isinstance(request.json, dict) else {}
            return body.get("event_id")
        try:
            payload = json.loads(request.form.get("payload") or "{}")
        except ValueError:
            return None
        if not isinstance(payload, dict) or not payload.get("trigger_id"):
            return None
        # One trigger_id can carry several actions; each click has its own action_ts.
        actions = payload.get("actions") or [{}]
        return f"{payload['trigger_id']}:{(actions[0] or {}).get('action_ts', '')}"

    def get_output_channel(
        self, channel: Optional[Text] = None, thread_id: Optional[Text] = None
    ) -> SlackOutputChannel:
        return SlackOutputChannel(self.slack_token, channel or self.slack_channel, thread_id, self.proxy, self.profile)

    async def process_message(
        self,
        request: Request,
        on_new_message: OnNewMessage,
        text: Text,
        sender_id: Optional[Text],
        metadata: Optional[Dict],
    ) -> Any:
        if self.deliveries.seen_before(self.delivery_id(request)):
            return response.text("duplicate")
        text = neutralize_command(text)
        if sender_id:
            text = await resolve_reply(request.app, sender_id, text, self.profile)
        return await super().process_message(request, on_new_message, text, sender_id, metadata)

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        blueprint = super().blueprint(answering_failures(guarded(on_new_message), "Slack"))

        @blueprint.middleware("request")
        async def url_verification(request: Request) -> Optional[HTTPResponse]:
            # Slack checks the Request URL by sending a signed "url_verification" event
            # and expects the challenge back as plain text (Rasa answers it JSON-quoted).
            if request.method != "POST" or not request.path.endswith("/webhook"):
                return None
            if "json" not in (request.headers.get("content-type") or ""):
                return None
            body = request.json if isinstance(request.json, dict) else {}
            if body.get("type") == "url_verification" and self.is_request_from_slack_authentic(request):
                return response.text(str(body.get("challenge", "")))
            return None

        return blueprint


# --------------------------------------------------------------------------- Messenger


class FacebookOutputChannel(PlatformRecipient, RenderedOutput, MessengerBot):
    """Sends rendered messages through the Send API; buttons as quick replies.

    fbmessenger's client is synchronous (requests): calls run in a worker thread so the
    server's event loop never blocks on Facebook."""

    def __init__(self, messenger_client: MessengerClient, profile: ChannelProfile = FACEBOOK) -> None:
        super().__init__(messenger_client)
        self.profile = profile
        self.calls_sent: Set[Text] = set()  # one output channel per turn: a button once per reply

    async def send_quick_replies(
        self, recipient_id: Text, text: Text, quick_replies: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        await self._send_rendered(recipient_id, text, quick_replies)
        await self._send_call(recipient_id, message_kind(kwargs))

    async def _send_call(self, recipient_id: Text, kind: Optional[Text]) -> None:
        """A call button after the first message of an instruction, when Messenger can dial
        the number: its call button takes only "+<country code><number>"."""
        call = call_for(kind)
        if call is None or not call.international or call.dial in self.calls_sent:
            return
        self.calls_sent.add(call.dial)
        title = call.label if len(call.label) <= FACEBOOK_BUTTON_TITLE else "Call now"
        payload = {
            "attachment": {
                "type": "template",
                "payload": {
                    "template_type": "button",
                    "text": f"Tap to call {call.number}.",
                    "buttons": [{"type": "phone_number", "title": title, "payload": call.dial}],
                },
            }
        }
        result = await asyncio.to_thread(self.messenger_client.send, payload, recipient_id, "RESPONSE")
        if isinstance(result, dict) and result.get("error"):
            logger.error("Messenger: the Send API refused the call button: %s", result["error"])

    async def send_action(self, recipient_id: Text, sender_action: Text) -> None:
        await asyncio.to_thread(self.messenger_client.send_action, sender_action, recipient_id)

    async def _send_rendered(self, recipient_id: Text, text: Text, buttons: Optional[List[Dict[Text, Any]]]) -> None:
        for message in render(text, buttons, self.profile):
            payload: Dict[Text, Any] = {"text": message.text}
            if message.choices:
                payload["quick_replies"] = [
                    {"content_type": "text", "title": choice.title, "payload": choice.payload}
                    for choice in message.choices
                ]
            result = await asyncio.to_thread(self.messenger_client.send, payload, recipient_id, "RESPONSE")
            if isinstance(result, dict) and result.get("error"):
                logger.error("Messenger: the Send API refused a message: %s", result["error"])


class FacebookChannel(EnvironmentConfigured, FacebookInput):
    """Messenger webhook of a Facebook page. Enabled when FACEBOOK_PAGE_ACCESS_TOKEN,
    FACEBOOK_APP_SECRET and FACEBOOK_VERIFY_TOKEN are set."""

    platform, required_env = "Facebook Messenger", FACEBOOK_ENV

    @classmethod
    def from_environment(cls, values: Dict[Text, Text], credentials: Dict[Text, Any]) -> InputChannel:
        return cls(
            fb_verify=values["FACEBOOK_VERIFY_TOKEN"],
            fb_secret=values["FACEBOOK_APP_SECRET"],
            fb_access_token=values["FACEBOOK_PAGE_ACCESS_TOKEN"],
            graph_api_version=str(credentials.get("graph_api_version") or DEFAULT_GRAPH_API_VERSION),
            max_message_length=_max_length(credentials),
        )

    def __init__(
        self,
        fb_verify: Text,
        fb_secret: Text,
        fb_access_token: Text,
        graph_api_version: Text = DEFAULT_GRAPH_API_VERSION,
        max_message_length: Optional[int] = None,
    ) -> None:
        super().__init__(fb_verify, fb_secret, fb_access_token)
        self.graph_api_version = str(graph_api_version).lstrip("v")
        self.profile = FACEBOOK.with_max_text(max_message_length)
        self._background_tasks: Set[asyncio.Task] = set()
        self.deliveries = recent_ids(self.name())

    def first_delivery(self, event: Dict[Text, Any]) -> bool:
        """False for a messaging event whose message ``mid`` was processed already."""
        mid = ((event.get("message") or event.get("postback") or {}) or {}).get("mid")
        return not self.deliveries.seen_before(mid)

    def get_output_channel(self) -> FacebookOutputChannel:
        # app_secret adds appsecret_proof to every Graph API call.
        client = MessengerClient(self.fb_access_token, api_version=self.graph_api_version, app_secret=self.fb_secret)
        return FacebookOutputChannel(client, self.profile)

    @staticmethod
    def signature_is_valid(app_secret: Text, body: bytes, headers: Any) -> bool:
        """X-Hub-Signature-256 (sha256) only: SHA-1 signatures are refused."""
        signature = headers.get("X-Hub-Signature-256") or ""
        if not signature.startswith("sha256="):
            return False
        expected = hmac.new(app_secret.encode(), body or b"", hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, signature[len("sha256=") :])

    @staticmethod
    def parse_event(event: Dict[Text, Any]) -> Optional[Tuple[Text, Text]]:
        """(sender id, text) of a messaging event we answer, else None."""
        sender = (event.get("sender") or {}).get("id")
        if not sender:
            return None
        message = event.get("message")
        if message:
            if message.get("is_echo"):
                return None
            text = (message.get("quick_reply") or {}).get("payload") or message.get("text")
        else:
            text = (event.get("postback") or {}).get("payload")
        if not text:
            return None  # attachments, reactions, reads, deliveries...
        return str(sender), neutralize_command(text)

    async def _handle(
        self,
        app: Sanic,
        on_new_message: OnNewMessage,
        messages: List[Tuple[Text, Text]],
        metadata: Optional[Dict[Text, Any]],
    ) -> None:
        for sender_id, text in messages:
            out_channel = self.get_output_channel()
            try:
                await out_channel.send_action(sender_id, "typing_on")
            except Exception as error:  # a convenience: the message is still handled
                logger.warning("Messenger: could not show the typing indicator: %s", error)
            text = await resolve_reply(app, sender_id, text, self.profile)
            message = UserMessage(text, out_channel, sender_id, input_channel=self.name(), metadata=metadata)
            await on_new_message(message)

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        blueprint = Blueprint("fb_webhook", __name__)
        on_new_message = answering_failures(guarded(on_new_message), "Messenger")

        @blueprint.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @blueprint.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            token = request.args.get("hub.verify_token") or ""
            if request.args.get("hub.mode", "subscribe") == "subscribe" and hmac.compare_digest(token, self.fb_verify):
                return response.text(request.args.get("hub.challenge") or "")
            logger.warning("Messenger: webhook verification with a wrong verify token.")
            return response.text("forbidden", status=403)

        @blueprint.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            if not self.signature_is_valid(self.fb_secret, request.body, request.headers):
                logger.warning("Messenger: refused a webhook call with a wrong signature.")
                return response.text("forbidden", status=403)
            payload = request.json if isinstance(request.json, dict) else {}
            messages = [
                parsed
                for entry in (payload.get("entry") or [])
                if payload.get("object") == "page"
                for event in (entry.get("messaging") or [])
                if isinstance(event, dict) and self.first_delivery(event)
                for parsed in [self.parse_event(event)]
                if parsed
            ]
            if messages:
                # Answer Facebook at once; the conversation continues in the background
                # (messages of one call in order).
                task = asyncio.create_task(
                    self._handle(request.app, on_new_message, messages, self.get_metadata(request))
                )
                self._background_tasks.add(task)
                task.add_done_callback(self._background_tasks.discard)
            return response.text("EVENT_RECEIVED")

        return blueprint
