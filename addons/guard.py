"""Input limits and validation for the Rasa server (the Sanic side of ``bot/guard.py``).

Two hooks, both installed without changing how Rasa is started:

- ``guarded(on_new_message)`` wraps the handler every channel calls: a message that is
  too long, empty or unreadable gets a kind reply and never reaches the assistant; a
  sender over the rate limit gets one kind reply per window, later messages are dropped.
  The connectors in ``addons/channels`` all use it.
- ``answering_failures(on_new_message, channel)`` wraps it for the channels that answer
  through an output channel (socket.io, Telegram, Slack, Messenger): a turn that fails (the
  conversation store unreachable, any error) is logged and answered with
  ``unavailable_reply()`` (send it again; the emergency number) instead of silence. REST
  answers 503 with the same text itself.
- ``guarded`` also gives each message of socket.io, Telegram, Slack and Messenger its
  channel's store key (``socketio:<id>``, ...; addons/channels/keys.py).
- ``install(app)`` (from a ``before_server_start`` listener of the REST and socket.io
  channels, the only hook a channel connector has on the whole app) sets Sanic's request
  size limit and adds ``check_request`` before every route: on the channels a body nested
  too deeply gets 400 before anything parses it; on the HTTP API an address with too many
  failed token attempts gets 429, a wrong token (``?token=`` or ``Authorization: Bearer``)
  401 before the body is looked at, then a body nested too deeply or malformed (parse data
  of the wrong shape included) a clean 400 instead of Rasa's 500. A request without a token is left to Rasa's 401; every 401
  is logged with the client's address and counted against it (addons/auth.py).
"""

from __future__ import annotations

import json
import logging
import os
import re
from typing import Any, Awaitable, Callable, Dict, Optional, Sequence, Tuple

import rasa
import yaml
from rasa.core.channels.channel import UserMessage
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import BaseHTTPResponse, HTTPResponse

from addons import auth, privacy
from addons.channels.keys import store_key
from addons.tracker_store import StoreUnavailable
from bot.guard import (
    MAX_JSON_DEPTH,
    MAX_METADATA_DEPTH,
    Limits,
    RateLimiter,
    Verdict,
    check_text,
    depth_of,
    get_limits,
    json_too_deep,
    metadata_problem,
    too_fast_reply,
    unavailable_reply,
)

logger = logging.getLogger(__name__)

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


class MessageGuard:
    """The limits and the per-sender / per-address rate limiters of this process."""

    def __init__(self, limits: Optional[Limits] = None) -> None:
        self.limits = limits or get_limits()
        self.senders = RateLimiter(*self.limits.per_sender)
        self.addresses = RateLimiter(*self.limits.per_address)

    def screen(self, text: object, sender_id: str, address: Optional[str] = None) -> Tuple[Verdict, bool]:
        """(verdict, silent): ``silent`` means drop without a reply (already told once)."""
        checks = [(self.senders, f"sender:{sender_id}")]
        if address:
            checks.append((self.addresses, f"address:{auth.rate_key(address)}"))
        for limiter, key in checks:
            allowed, first_refusal = limiter.hit(key)
            if not allowed:
                logger.warning("Rate limit reached for a %s.", key.split(":", 1)[0])
                return Verdict(reply=too_fast_reply(), reason="rate limited"), not first_refusal
        verdict = check_text(text, self.limits)
        if verdict.reply is not None:
            logger.info("Message not passed on (%s).", verdict.reason)
        return verdict, False


_guard: Optional[MessageGuard] = None


def get_guard() -> MessageGuard:
    global _guard
    if _guard is None:
        _guard = MessageGuard()
    return _guard


def guarded(on_new_message: OnNewMessage, address: Optional[str] = None) -> OnNewMessage:
    """``on_new_message`` behind the checks: what reaches it is clean and within limits."""

    async def handler(message: UserMessage) -> Any:
        # Stored under the channel's own key space (addons/channels/keys.py); the output
        # channels take the prefix off again.
        message.sender_id = store_key(message.input_channel, message.sender_id)
        verdict, silent = get_guard().screen(message.text, message.sender_id, address)
        if verdict.reply is not None:
            if not silent and message.output_channel is not None:
                await message.output_channel.send_text_message(message.sender_id, verdict.reply)
            return None
        message.text = verdict.text
        return await on_new_message(message)

    return handler


def answering_failures(on_new_message: OnNewMessage, channel: str) -> OnNewMessage:
    """``on_new_message`` whose failures are logged and answered (see the module docstring)."""

    async def handler(message: UserMessage) -> Any:
        try:
            return await on_new_message(message)
        except Exception as failure:
            if isinstance(failure, StoreUnavailable):
                logger.error("%s: refused a message: %s", channel, failure)
            else:
                logger.exception("%s: failed to handle a message.", channel)
            if message.output_channel is not None:
                try:
                    await message.output_channel.send_text_message(message.sender_id, unavailable_reply())
                except Exception as unsent:
                    logger.error("%s: could not send the unavailable reply either: %s", channel, unsent)
            return None

    return handler


# ------------------------------------------------------------------ the HTTP API


def error(message: str, status: int = 400) -> HTTPResponse:
    """An error in the shape of Rasa's own (rasa.server.ErrorResponse)."""
    reason = {400: "BadRequest", 413: "PayloadTooLarge", 429: "TooManyRequests"}.get(status, "BadRequest")
    body = {
        "version": rasa.__version__,
        "status": "failure",
        "message": message,
        "reason": reason,
        "details": {},
        "help": None,
        "code": status,
    }
    return response.json(body, status=status)


Field = Tuple[str, Any, bool]  # name, allowed type(s), required

_TEXT: Tuple[type, ...] = (str,)
_NUMBER: Tuple[type, ...] = (int, float)
_CONVERSATION = r"/conversations/(?P<id>.+?)"

# Routes of rasa/server.py that read fields of a JSON body, and what each field must be.
JSON_ROUTES: Sequence[Tuple[str, re.Pattern, Sequence[Field]]] = (
    ("POST", re.compile(r"/model/parse"), (("text", _TEXT, True), ("message_id", _TEXT, False))),
    (
        "POST",
        re.compile(_CONVERSATION + r"/messages"),
        (("text", _TEXT, True), ("sender", _TEXT, True), ("parse_data", (dict,), False)),
    ),
    (
        "POST",
        re.compile(_CONVERSATION + r"/trigger_intent"),
        (("name", _TEXT, True), ("entities", (dict, list), False)),
    ),
    (
        "POST",
        re.compile(_CONVERSATION + r"/execute"),
        (("name", _TEXT, True), ("policy", _TEXT, False), ("confidence", _NUMBER, False)),
    ),
    ("PUT", re.compile(r"/model"), (("model_file", _TEXT, False), ("model_server", (dict,), False))),
)
EVENT_ROUTES: Sequence[Tuple[Sequence[str], re.Pattern]] = (
    (("POST", "PUT"), re.compile(_CONVERSATION + r"/tracker/events")),
    (("POST",), re.compile(r"/model/predict")),
)
EVENT_FIELDS: Dict[str, Sequence[Field]] = {
    # Rasa reads a user event's parse_data without checking it is there (a 500 without it).
    "user": (("text", _TEXT + (type(None),), False), ("parse_data", (dict,), True)),
    "bot": (("text", _TEXT + (type(None),), False),),
    "slot": (("name", _TEXT, True),),
    "action": (("name", _TEXT, True),),
    "active_loop": (("name", _TEXT + (type(None),), False),),
    "reminder": (("intent", _TEXT, True), ("date_time", _TEXT, True)),
}
CONVERSATION_ID = re.compile(r"/conversations/(?P<id>[^?]+?)/(?:tracker|story|execute|trigger_intent|predict|messages)")
MAX_CONVERSATION_ID = 255  # the tracker store's sender_id column


def _type_ok(value: Any, types: Tuple[type, ...]) -> bool:
    if isinstance(value, bool) and bool not in types:
        return False  # JSON true is not a number
    return isinstance(value, types)


def _type_names(types: Tuple[type, ...]) -> str:
    names = {str: "a string", int: "a number", float: "a number", dict: "an object", list: "a list"}
    return " or ".join(dict.fromkeys(names.get(t, "null") for t in types))


def check_fields(body: Any, fields: Sequence[Field], where: str = "the body") -> Optional[str]:
    if not isinstance(body, dict):
        return f"{where[:1].upper()}{where[1:]} must be a JSON object."
    for name, types, required in fields:
        if name not in body or body[name] is None and type(None) not in types:
            if required:
                return f"'{name}' is missing from {where}."
            continue
        if not _type_ok(body[name], types):
            return f"'{name}' in {where} must be {_type_names(types)}."
    return None


MAX_PARSE_DATA_BYTES = 16_384  # Rasa's own parse of a message with ten ranked intents is about 2 kB
MAX_ENTITIES = 50
_ENTITY_FIELDS: Sequence[Field] = (
    ("entity", _TEXT, True),
    ("start", (int,), False),
    ("end", (int,), False),
    ("role", _TEXT, False),
    ("group", _TEXT, False),
    ("confidence_entity", _NUMBER, False),
)


def check_parse_data(parse_data: Any, domain: Any, where: str, complete: bool) -> Optional[str]:
    """What is wrong with parse data a caller gives instead of the NLU's (``/messages``, a user
    event), if anything: Rasa reads ``intent`` and ``entities`` from it without checking, so a
    wrong shape was a 500 (``KeyError: 'intent'``). ``complete``: both must be there (a message;
    a stored event may leave them out). The intent and entities must be the domain's."""
    if parse_data is None:
        return None
    if not isinstance(parse_data, dict):
        return f"{where} must be an object."
    if depth_of(parse_data) > MAX_METADATA_DEPTH:
        return f"{where} nests more than {MAX_METADATA_DEPTH} levels."
    try:
        size = len(json.dumps(parse_data, ensure_ascii=False).encode("utf-8", "surrogatepass"))
    except (TypeError, ValueError):
        return f"{where} must be JSON."
    if size > MAX_PARSE_DATA_BYTES:
        return f"{where} is larger than {MAX_PARSE_DATA_BYTES} bytes."
    if complete or "intent" in parse_data:
        problem = check_fields(parse_data.get("intent"), (("name", _TEXT, True), ("confidence", _NUMBER, False)))
        if problem:
            return f"{where} needs 'intent': an object with a 'name' (a string) and a 'confidence' (a number)."
        name = parse_data["intent"]["name"]
        if domain is not None and name not in domain.intents:
            return f"'{name[:80]}' is not an intent of this assistant."
    if complete or "entities" in parse_data:
        problem = _entities_problem(parse_data.get("entities"), domain, where)
        if problem:
            return problem
    if "text" in parse_data and not isinstance(parse_data["text"], (str, type(None))):
        return f"'text' in {where} must be a string."
    return None


def _entities_problem(entities: Any, domain: Any, where: str) -> Optional[str]:
    if not isinstance(entities, list) or len(entities) > MAX_ENTITIES:
        return f"{where} needs 'entities': a list of at most {MAX_ENTITIES} objects."
    for entity in entities:
        problem = check_fields(entity, _ENTITY_FIELDS, f"an entity of {where}")
        if problem:
            return problem
        if "value" not in entity:
            return f"an entity of {where} needs a 'value'."
        if domain is not None and entity["entity"] not in domain.entities:
            return f"'{entity['entity'][:80]}' is not an entity of this assistant."
    return None


def _domain(request: Request) -> Any:
    return getattr(getattr(request.app.ctx, "agent", None), "domain", None)


def check_events(body: Any, domain: Any = None) -> Optional[str]:
    events = body if isinstance(body, list) else [body]
    for index, event in enumerate(events):
        if not isinstance(event, dict) or not isinstance(event.get("event"), str):
            return f"event {index} must be an object with an 'event' name."
        problem = check_fields(event, EVENT_FIELDS.get(event["event"], ()), f"event {index}")
        if problem is None and event["event"] == "user":
            problem = check_parse_data(event.get("parse_data"), domain, f"the parse_data of event {index}", False)
        if problem is None and event["event"] in ("user", "bot"):
            problem = metadata_problem(event.get("metadata"))
        if problem is None and event["event"] == "reminder" and not _readable(event):
            problem = f"the date_time of event {index} is not a date and time."
        if problem:
            return problem
    return None


def _readable(event: Dict[str, Any]) -> bool:
    """Rasa can build the event (a reminder's date_time is read when it is built)."""
    from rasa.shared.core.events import Event

    try:
        Event.from_parameters(event)
    except (ValueError, OverflowError, TypeError):
        return False
    return True


UTF8_BOM = b"\xef\xbb\xbf"


def check_api_request(request: Request, limits: Limits) -> Optional[str]:
    """What is wrong with this HTTP API request's body or conversation id, if anything."""
    path = request.path
    if (request.body or b"").startswith(UTF8_BOM):
        return "The body starts with a byte order mark: send UTF-8 without one."
    match = CONVERSATION_ID.match(path)
    if match and len(match.group("id")) > MAX_CONVERSATION_ID:
        return f"The conversation id is longer than {MAX_CONVERSATION_ID} characters."
    if request.method == "POST" and (path == "/model/train" or path.startswith("/model/test/")):
        return check_training_body(request)
    fields = next((f for m, p, f in JSON_ROUTES if m == request.method and p.fullmatch(path)), None)
    events = any(request.method in methods and pattern.fullmatch(path) for methods, pattern in EVENT_ROUTES)
    if fields is None and not events:
        return None
    try:
        body = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        return "The body is not valid JSON."
    if events:
        return check_events(body, _domain(request))
    assert fields is not None  # not an events route, so a JSON route matched
    problem = check_fields(body, fields)
    if problem is None and path.endswith("/messages"):
        problem = check_parse_data(body.get("parse_data"), _domain(request), "'parse_data'", True)
        problem = problem or metadata_problem(body.get("metadata"))
    if problem is None and path.endswith("/trigger_intent") and body.get("entities"):
        entities = body["entities"]
        if isinstance(entities, dict):  # Rasa's short form {"entity": "value"}
            entities = [{"entity": name, "value": value} for name, value in entities.items()]
        wrapped = {"entities": entities}
        problem = check_parse_data(wrapped, _domain(request), "the body", False)
    if problem is None and isinstance(body.get("text"), str) and len(body["text"]) > limits.max_message_chars:
        return f"'text' is longer than {limits.max_message_chars} characters."
    if problem is None and path.endswith("/execute"):
        return check_action_name(request, body["name"])
    return problem


TRAINING_DATA_KEYS = ("nlu", "stories", "rules")


def check_training_body(request: Request) -> Optional[str]:
    """Training and test uploads: UTF-8 text that Rasa can read. A training request is one YAML
    mapping (JSON is YAML, and Rasa 3.6 reads every content type as YAML) holding training data
    of the shape Rasa's own schemas describe; an intent test in JSON is Rasa's NLU JSON. Rasa
    would otherwise train or test on what it cannot read, and answer 500."""
    try:
        text = (request.body or b"").decode("utf-8")
    except UnicodeDecodeError:
        return "The body is not UTF-8 text."
    content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if request.path.startswith("/model/test/intents") and "yaml" not in content_type:
        try:
            body = json.loads(text or "null")
        except ValueError:
            return "The body is not valid JSON."
        if not isinstance(body, dict) or not isinstance(body.get("rasa_nlu_data"), dict):
            return "An intent test in JSON is an object with 'rasa_nlu_data'."
        return None
    if request.path != "/model/train":
        return None
    try:
        body = yaml.safe_load(text)
    except yaml.YAMLError:
        return "The body is not valid YAML."
    if not isinstance(body, dict):
        return "A training request is a YAML mapping (config, domain and training data in one file)."
    if not any(isinstance(body.get(key), list) and body[key] for key in TRAINING_DATA_KEYS):
        return "A training request needs training data: 'nlu', 'stories' or 'rules'."
    return _training_data_problem(text)


def _training_data_problem(text: str) -> Optional[str]:
    """Rasa's own schema checks of stories, rules and NLU data, run before training."""
    from rasa.shared.core.training_data.story_reader.yaml_story_reader import CORE_SCHEMA_FILE
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader
    from rasa.shared.utils.validation import validate_yaml_schema

    try:
        validate_yaml_schema(text, CORE_SCHEMA_FILE)
        RasaYAMLReader().validate(text)
    except Exception as error:  # Rasa's YamlValidationException and what its readers raise
        return f"The training data is not in Rasa's format: {str(error)[:200]}"
    return None


def check_action_name(request: Request, name: str) -> Optional[str]:
    agent = getattr(request.app.ctx, "agent", None)
    domain = getattr(agent, "domain", None)
    if domain is not None and name not in domain.action_names_or_texts:
        return f"'{name}' is not an action of this assistant."
    return None


PUBLIC_API = ("/", "/version")


def unauthorized(request: Request, why: str) -> HTTPResponse:
    """A 401 in Rasa's shape, logged with the client's address (never the token)."""
    key = auth.rate_key(client_address(request)) or "unknown"
    auth.failed_auth.failed(key)
    logger.warning("401 %s %s from %s (%s).", request.method, request.path, client_address(request), why)
    body = {
        "version": rasa.__version__,
        "status": "failure",
        "message": "User is not authenticated.",
        "reason": "NotAuthenticated",
        "details": {},
        "help": None,
        "code": 401,
    }
    return response.json(body, status=401)


def _too_large(request: Request, limits: Limits) -> Optional[HTTPResponse]:
    """A body over MAX_REQUEST_BYTES is a 413 on every route (a privacy review found the HTTP
    API answering 400 "must be a JSON object" for a 1.1 MB body)."""
    declared = request.headers.get("content-length", "")
    size = max(len(request.body or b""), int(declared) if declared.isdigit() else 0)
    if size > limits.max_request_bytes:
        return error(f"The body is larger than {limits.max_request_bytes} bytes.", 413)
    return None


def _too_deep(request: Request) -> Optional[HTTPResponse]:
    if request.body and json_too_deep(request.body):
        return error(f"The body nests more than {MAX_JSON_DEPTH} levels.")
    return None


def _api_protected(request: Request) -> bool:
    """True when this server asks for a token or JWT on the HTTP API (it always does under
    ``make run``; a server started without either has an open API)."""
    return bool(auth.api_token() or request.app.config.get("USE_JWT"))


async def check_request(request: Request, limits: Limits) -> Optional[HTTPResponse]:
    """Every request, before any other work: on the channels the nesting; on the API the token
    first (throttled per address), then the nesting, then the body."""
    if request.path.startswith(("/webhooks/", "/socket.io")) or request.path in PUBLIC_API:
        return _too_deep(request)
    key = auth.rate_key(client_address(request)) or "unknown"
    if auth.failed_auth.blocked(key):
        logger.warning("429 %s %s from %s (too many failed token attempts).", request.method, request.path, key)
        res = error("Too many failed attempts: try again later.", 429)
        res.headers["Retry-After"] = str(auth.failed_auth.retry_after(key))
        return res
    presented = auth.presented_token(request)
    if presented is None:
        if _api_protected(request):
            return None  # Rasa answers 401 itself before reading the body (logged by ``log_unauthorized``)
        return _too_deep(request)
    if auth.is_api_token(presented):
        if "token" not in request.args:  # Authorization: Bearer <the API token>
            request.args["token"] = [presented]
    elif not await auth.valid_jwt(request):
        return unauthorized(request, "wrong token")
    refused = _too_large(request, limits) or _too_deep(request)
    if refused is not None:
        return refused
    problem = check_api_request(request, limits)
    if problem:
        return error(problem)
    return None


async def log_unauthorized(request: Request, res: BaseHTTPResponse) -> None:
    # Not counted as a failed attempt: a request without a token guesses nothing, and counting
    # it would let one misbehaving client lock an operator at the same address out.
    if res is not None and res.status == 401 and auth.presented_token(request) is None:
        logger.warning("401 %s %s from %s (no token).", request.method, request.path, client_address(request))


def install(app: Sanic) -> None:
    """App-wide limits, once per app (several channels call it)."""
    if getattr(app.ctx, "guard_installed", False):
        return
    app.ctx.guard_installed = True
    limits = get_guard().limits
    app.config.REQUEST_MAX_SIZE = limits.max_request_bytes
    privacy.install()

    async def validate_request(request: Request) -> Optional[HTTPResponse]:
        return await check_request(request, limits)

    app.register_middleware(validate_request, "request")
    app.register_middleware(log_unauthorized, "response")


def install_on_start(blueprint: Any) -> None:
    """Registers ``install`` to run when the server that serves ``blueprint`` starts."""

    @blueprint.listener("before_server_start")
    async def _install(app: Sanic, _loop: Any) -> None:
        install(app)


def client_address(request: Request) -> str:
    """The client's address: the proxy's X-Forwarded-For when ``TRUST_PROXY`` says so."""
    if os.environ.get("TRUST_PROXY", "").lower() in ("1", "true", "yes"):
        forwarded = (request.headers.get("x-forwarded-for") or "").split(",")[0].strip()
        if forwarded:
            return forwarded
    return request.ip or "unknown"
