"""The scale-out profile against the real servers: scripts/cluster.sh starts PostgreSQL, Redis,
two Rasa replicas, the action server and nginx on loopback (tests/support/cluster.py).

Conversations are checked where they live: the events table in PostgreSQL, and each
replica's internal HTTP API (with the token). The deployment files (docker-compose, Helm
values) are checked in test_deploy_description.py. docs/deploy.md describes all of it.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import re
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Dict, List, Tuple

import pytest
import requests

from benchmarks.load import LoadResult, run_load, script_for, severity_for
from bot.settings import get_settings
from tests.conftest import SUMMARY_LINES
from tests.support.cluster import Cluster
from tests.support.stack import wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.cluster, pytest.mark.slow]

CONSULT = "utter_consult_professional"
EMERGENCY = "I can't control my bladder and my bum is numb"
# The interview, and the form question each answer leads to (the order the running assistant
# asks in: age after the first safety question; an answer to "how did it start?" that says when as well fills both).
INTERVIEW_STEPS: List[Tuple[str, Any]] = [
    ("hi", None),
    ("my lower back hurts", "pain_spreads"),
    ("it goes down below the knee", "nerve_symptoms"),
    ("pins and needles", "screen_cauda_equina"),
    ("no", "age"),
    ("45", "aggravating_factors"),
    ("sitting", "easing_factors"),
    ("lying down", "pain_onset"),
    ("after lifting, 3 weeks ago", "pain_severity"),
    ("6", "screen_systemic"),
    ("no", None),
]


@pytest.fixture(scope="module")
def cluster(trained_model):
    started = time.monotonic()
    # The outage test's six people send each message as soon as the last is answered (or
    # refused): hundreds a minute, where the channel guard lets one person send 30.
    cluster = Cluster(replicas=2, settings={"RATE_LIMIT_PER_SENDER": "600/60"})
    try:
        output = cluster.up().stdout
    except Exception:
        cluster.down()
        raise
    SUMMARY_LINES.extend(line for line in output.splitlines() if line.startswith("cluster: installed"))
    SUMMARY_LINES.append(
        f"cluster: up in {time.monotonic() - started:.0f}s (packages, PostgreSQL, Redis, " f"2 Rasa replicas, nginx)"
    )
    yield cluster
    cluster.down()


def replies(res: requests.Response) -> List[Dict[str, Any]]:
    assert res.status_code == 200, res.text
    body = res.json()
    assert body, "an empty reply: Rasa failed to handle the message"
    return body


def raw_get(cluster: Cluster, path: str, source: str = "127.0.0.1") -> Tuple[int, Dict[str, str], bytes]:
    """A request sent exactly as written (no client-side path normalisation), from a chosen loopback address."""
    connection = http.client.HTTPConnection(
        "127.0.0.1", int(cluster.settings["CLUSTER_PORT"]), timeout=30, source_address=(source, 0)
    )
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


# --- nginx: what is public -------------------------------------------------------------------


def test_only_channels_socketio_and_static_files_are_public(cluster):
    token = cluster.state["RASA_API_TOKEN"]
    sender = f"public-{uuid.uuid4().hex[:8]}"
    replies(cluster.say(sender, "hi"))
    assert cluster.tracker(sender, replica=1)["sender_id"] == sender  # the API works, internally

    page = requests.get(cluster.url + "/", timeout=10)
    assert page.status_code == 200 and "widget.js" in page.text
    assert requests.get(cluster.url + "/widget.js", timeout=10).status_code == 200
    assert requests.get(cluster.url + "/webhooks/rest/", timeout=10).json() == {"status": "ok"}
    for path in ("/package.json", "/build.sh", "/node_modules/socket.io-client/package.json", "/.gitignore"):
        assert requests.get(cluster.url + path, timeout=10).status_code == 404, path
    for path in (f"/conversations/{sender}/tracker", "/status", "/domain", "/version", "/model/parse"):
        res = requests.get(f"{cluster.url}{path}", params={"token": token}, timeout=10)
        assert res.status_code == 404 and res.json() == {"error": "not_found"}, path
    status, _, body = raw_get(cluster, f"/webhooks/../conversations/{sender}/tracker?token={token}")
    assert status == 404 and sender.encode() not in body
    status, _, body = raw_get(cluster, f"/webhooks/rest/../../status?token={token}")
    assert status == 404 and b"model_file" not in body


def test_limits_message_size_and_request_rate_per_client(cluster):
    res = cluster.say(f"big-{uuid.uuid4().hex[:8]}", "my back hurts " * 2000)
    assert res.status_code == 413 and res.json()["error"] == "message_too_large"

    # 120 requests at once from one address: beyond the burst of 40, that client is refused ...
    with ThreadPoolExecutor(max_workers=40) as pool:
        answers = list(pool.map(lambda _: raw_get(cluster, "/webhooks/rest/", source="127.0.3.1"), range(120)))
    refused = [a for a in answers if a[0] == 429]
    assert refused and len(refused) < 120
    assert json.loads(refused[0][2])["error"] == "too_many_requests" and refused[0][1]["Retry-After"] == "5"
    # ... while another client, at its own address, is not.
    assert raw_get(cluster, "/webhooks/rest/", source="127.0.3.2")[0] == 200


# --- shared state across replicas ----------------------------------------------------------


def test_conversation_alternating_between_replicas_keeps_its_state(cluster):
    sender = f"alternate-{uuid.uuid4().hex[:8]}"
    for number, (text, next_question) in enumerate(INTERVIEW_STEPS):
        answering, other = (1, 2) if number % 2 == 0 else (2, 1)
        replies(cluster.say(sender, text, base_url=cluster.replica_url(answering)))
        tracker = cluster.tracker(sender, replica=other)
        assert tracker["latest_message"]["text"] == text
        # The form moves on to the next question even though the previous answer was taken
        # by the other replica.
        assert tracker["slots"]["requested_slot"] == next_question, (text, tracker["slots"])
        if next_question:
            assert tracker["active_loop"]["name"] == "symptom_form"

    slots = cluster.tracker(sender, replica=1)["slots"]
    assert slots["pain_location"] == ["lower_back"] and slots["spread_to"] == ["below_knee"]
    assert slots["nerve_symptoms"] == ["tingling"] and slots["age"] == 45.0
    assert slots["aggravating_factors"] == ["sitting"] and slots["easing_factors"] == ["lying_down"]
    assert slots["pain_onset"] == "lifting_injury" and slots["pain_duration_days"] == 21.0
    assert slots["pain_severity"] == 6.0
    assert slots["triage_level"] == "routine" and slots["possible_causes"]

    replies(cluster.say(sender, EMERGENCY, base_url=cluster.replica_url(1)))
    tracker = cluster.tracker(sender, replica=2)
    assert tracker["slots"]["triage_level"] == "emergency"
    sent = [text for text, _ in INTERVIEW_STEPS] + [EMERGENCY]
    assert cluster.user_messages([sender])[sender] == sent


async def test_socketio_through_nginx_polling_and_websocket(cluster):
    import socketio
    import websockets

    origin = {"Origin": cluster.url}
    # Long-polling is several HTTP requests: they only work if all reach the same replica.
    client = socketio.AsyncClient()
    answer: asyncio.Future = asyncio.get_running_loop().create_future()
    client.on("bot_uttered", lambda data: answer.done() or answer.set_result(data))
    await client.connect(cluster.url, headers=origin, transports=["polling"], wait_timeout=10)
    try:
        session = uuid.uuid4().hex
        await client.emit("session_request", {"session_id": session})
        await client.emit("user_uttered", {"message": "my lower back hurts", "session_id": session})
        assert (await asyncio.wait_for(answer, 30))["text"]
    finally:
        await client.disconnect()

    # A WebSocket through nginx's upgrade, speaking engine.io/socket.io frames directly.
    ws_url = cluster.url.replace("http", "ws") + "/socket.io/?EIO=4&transport=websocket"
    async with websockets.connect(ws_url, extra_headers=origin) as ws:
        assert (await ws.recv()).startswith("0{")
        await ws.send("40")
        assert (await ws.recv()).startswith("40")
        session = uuid.uuid4().hex
        await ws.send("42" + json.dumps(["session_request", {"session_id": session}]))
        assert json.loads((await ws.recv())[2:])[0] == "session_confirm"
        await ws.send("42" + json.dumps(["user_uttered", {"message": EMERGENCY, "session_id": session}]))
        event, data = json.loads((await asyncio.wait_for(ws.recv(), 30))[2:])
        assert event == "bot_uttered" and data["text"]
    # socket.io sends each reply as it is produced; the tracker is stored when the turn ends.
    deadline = time.monotonic() + 15
    while cluster.tracker(f"socketio:{session}", replica=1)["slots"]["triage_level"] != "emergency":
        assert time.monotonic() < deadline, "the emergency was not stored"
        await asyncio.sleep(0.2)


# --- load -------------------------------------------------------------------------------------


async def test_fifty_concurrent_conversations_no_errors_no_cross_talk(cluster):
    # Fifty people, each at their own address (nginx limits requests per client address).
    result = await run_load(cluster.url, senders=50, messages=20, distinct_clients=True, max_seconds=200, timeout=90)
    SUMMARY_LINES.append(f"cluster load through nginx (2 replicas): {result.report()}")
    assert not result.errors, f"{result.report()}\n{cluster.errors_in_logs()}"
    assert len(result.turns) == 50 * 20
    senders = sorted({turn.sender for turn in result.turns})
    stored = cluster.user_messages(senders)
    for sender in senders:
        index = int(sender.rsplit("-", 1)[1])
        # Exactly the messages this person sent, each once, in order: none lost, none
        # duplicated, none from another conversation.
        assert stored[sender] == script_for(index)[:20], sender
    rows = cluster.sql(
        "SELECT DISTINCT ON (sender_id) sender_id, data FROM events "
        "WHERE type_name = 'slot' AND data::json->>'name' = 'pain_severity' "
        "AND sender_id = ANY(%s) ORDER BY sender_id, id DESC",
        senders,
    )
    assert {s: float(cluster.decrypted(d)["value"]) for s, d in rows} == {
        s: severity_for(int(s.rsplit("-", 1)[1])) for s in senders
    }


# --- PostgreSQL or Redis restarted during traffic ---------------------------------------------


class SocketPerson:
    """Someone using the chat widget through nginx: socket.io (long-polling), the widget's events."""

    def __init__(self, cluster: Cluster) -> None:
        import socketio

        self.cluster = cluster
        self.client = socketio.AsyncClient(reconnection=False)
        self.session = uuid.uuid4().hex
        self.replies: List[Dict[str, Any]] = []
        self.events: Dict[str, asyncio.Event] = {"session_confirm": asyncio.Event(), "bot_uttered": asyncio.Event()}
        self.deleted: asyncio.Future = asyncio.get_running_loop().create_future()
        self.client.on("session_confirm", lambda _sid: self.events["session_confirm"].set())
        self.client.on("bot_uttered", self._uttered)
        self.client.on("conversation_deleted", lambda data: self.deleted.done() or self.deleted.set_result(data))

    def _uttered(self, data: Dict[str, Any]) -> None:
        self.replies.append(data)
        self.events["bot_uttered"].set()

    async def start(self) -> "SocketPerson":
        await self.client.connect(
            self.cluster.url, headers={"Origin": self.cluster.url}, transports=["polling"], wait_timeout=10
        )
        await self.client.emit("session_request", {"session_id": self.session})
        await asyncio.wait_for(self.events["session_confirm"].wait(), 20)
        return self

    async def say(self, text: str, quiet: float = 1.5) -> List[Dict[str, Any]]:
        """The replies to one message: the first within 30 s, then those until ``quiet`` seconds pass without one."""
        before = len(self.replies)
        self.events["bot_uttered"].clear()
        await self.client.emit("user_uttered", {"message": text, "session_id": self.session})
        await asyncio.wait_for(self.events["bot_uttered"].wait(), 30)
        while True:
            self.events["bot_uttered"].clear()
            try:
                await asyncio.wait_for(self.events["bot_uttered"].wait(), quiet)
            except asyncio.TimeoutError:
                return self.replies[before:]

    async def start_over(self) -> Dict[str, Any]:
        """The widget's "Start over": the conversation is deleted on the server."""
        await self.client.emit("delete_conversation", {})
        return await asyncio.wait_for(self.deleted, 30)

    async def close(self) -> None:
        await self.client.disconnect()


@dataclass
class Outage:
    part: str
    before: List[tuple]  # stored events of the earlier conversations, before the outage
    after: List[tuple] = field(default_factory=list)
    while_down: List[Tuple[int, Any]] = field(default_factory=list)  # (status, body) of messages sent while down
    load: LoadResult = None
    pids_before: Dict[str, int] = field(default_factory=dict)
    pids_after: Dict[str, int] = field(default_factory=dict)
    recovered: Dict[str, Dict[str, Any]] = field(default_factory=dict)  # sender -> slots after the next message
    live_after: Dict[str, int] = field(default_factory=dict)  # sender -> status of one more message
    socket_replies: List[Dict[str, Any]] = field(default_factory=list)  # to a message over socket.io while down
    traffic_during_outage: bool = False
    recovery_seconds: float = 0.0  # restart -> first answered turn


EARLIER_TURNS = ["hi", "my lower back hurts", "it goes down below the knee", "pins and needles"]
OUTAGES: Dict[str, Outage] = {}


async def outage_of(cluster: Cluster, part: str) -> Outage:
    """Stops PostgreSQL or Redis for a few seconds under traffic, once per module; the tests
    below check different things about the same outage."""
    if part not in OUTAGES:
        OUTAGES[part] = await run_outage(cluster, part)
    return OUTAGES[part]


async def run_outage(cluster: Cluster, part: str) -> Outage:
    prefix = f"{part}-outage-{uuid.uuid4().hex[:6]}"
    earlier = [f"{prefix}-earlier-{i}" for i in range(4)]
    for sender in earlier:
        for text in EARLIER_TURNS:
            replies(cluster.say(sender, text))
    events = "SELECT id, sender_id, type_name, data FROM events WHERE sender_id = ANY(%s) ORDER BY id"
    outage = Outage(part=part, before=cluster.sql(events, earlier))
    outage.pids_before = {f"rasa-{i}": cluster.pid(f"rasa-{i}") for i in (1, 2)}

    # Six people talking throughout: before, during and after the outage (bounded by time).
    load = asyncio.create_task(
        run_load(
            cluster.url,
            senders=6,
            messages=400,
            distinct_clients=True,
            max_seconds=12,
            timeout=30,
            sender_prefix=f"{prefix}-live",
            warm_up=False,
            error_backoff=0.5,
        )
    )
    widget_user = await SocketPerson(cluster).start()
    await asyncio.sleep(2)
    await asyncio.to_thread(cluster.stop, part)
    outage.traffic_during_outage = not load.done()
    # Someone with an emergency while it is down, and the others going on with the interview.
    for sender, text in zip(earlier, [EMERGENCY] + ["no"] * (len(earlier) - 1), strict=True):
        res = await asyncio.to_thread(cluster.say, sender, text, timeout=30)
        body = res.json() if res.headers.get("Content-Type", "").startswith("application/json") else res.text
        outage.while_down.append((res.status_code, body))
    try:
        outage.socket_replies = await widget_user.say(EMERGENCY)
    finally:
        await widget_user.close()
    await asyncio.sleep(1)
    await asyncio.to_thread(cluster.start, part)
    back = time.monotonic()
    outage.traffic_during_outage &= not load.done()
    outage.load = await load
    answered_after = [turn.finished for turn in outage.load.turns if turn.error is None and turn.finished > back]
    outage.recovery_seconds = min(answered_after) - back if answered_after else float("nan")

    # Recovery: the earlier conversations go on, without restarting Rasa.
    for sender in earlier:
        deadline = time.monotonic() + 30
        while True:
            res = await asyncio.to_thread(cluster.say, sender, "no", timeout=30)
            if res.status_code == 200 and res.json():
                break
            assert time.monotonic() < deadline, f"{sender} did not recover: {res.status_code} {res.text[:200]}"
            await asyncio.sleep(1)
        outage.recovered[sender] = cluster.tracker(sender, replica=2)["slots"]
    for sender in sorted({turn.sender for turn in outage.load.turns}):
        res = await asyncio.to_thread(cluster.say, sender, "thanks", timeout=30)
        outage.live_after[sender] = res.status_code if res.status_code != 200 or res.json() else 0
    outage.pids_after = {f"rasa-{i}": cluster.pid(f"rasa-{i}") for i in (1, 2)}
    outage.after = cluster.sql(events, earlier)
    SUMMARY_LINES.append(
        f"cluster {part} restart: traffic {outage.load.report()}; "
        f"first answer {outage.recovery_seconds:.1f}s after the restart"
    )
    return outage


@pytest.mark.parametrize("part", ["redis", "postgres"])
async def test_restart_recovers_without_restarting_rasa_and_loses_nothing_stored(cluster, part):
    outage = await outage_of(cluster, part)
    assert outage.traffic_during_outage, "the traffic ended before the outage did: the test proved nothing"
    assert outage.pids_after == outage.pids_before
    stored_before = {row[0]: row for row in outage.before}
    stored_after = {row[0]: row for row in outage.after}
    assert all(stored_after.get(key) == row for key, row in stored_before.items()), "stored events changed or vanished"
    for slots in outage.recovered.values():
        # Answers given before the outage are still the conversation's state.
        assert slots["pain_location"] == ["lower_back"] and slots["spread_to"] == ["below_knee"]
        assert slots["nerve_symptoms"] == ["tingling"]
    # The messages refused while it was down left nothing behind; the one answered after it is stored once.
    stored_texts: Dict[str, List[str]] = {}
    for _, sender, type_name, data in outage.after:
        if type_name == "user":
            stored_texts.setdefault(sender, []).append(cluster.decrypted(data)["text"])
    assert stored_texts == {sender: [*EARLIER_TURNS, "no"] for sender in outage.recovered}, stored_texts
    # After the outage every conversation of the traffic answers normally again.
    assert set(outage.live_after.values()) == {200}, outage.live_after


@pytest.mark.parametrize(
    "part",
    [
        pytest.param("redis"),
        pytest.param("postgres"),
    ],
)
async def test_every_answered_message_is_stored_once(cluster, part):
    outage = await outage_of(cluster, part)
    by_sender: Dict[str, List[Any]] = {}
    for turn in outage.load.turns:
        by_sender.setdefault(turn.sender, []).append(turn)
    stored = cluster.user_messages(sorted(by_sender))
    for sender, turns in by_sender.items():
        assert stored[sender][-1] == "thanks"  # sent after the recovery
        during = stored[sender][:-1]
        answered = [turn.text for turn in turns if turn.error is None]
        # Every answered message is stored once and in order; a refused one at most once (a
        # turn stored just before Redis went away can still fail to release its lock).
        remaining = iter(during)
        assert all(any(text == s for s in remaining) for text in answered), (sender, answered, during)
        assert len(during) <= len(turns), (sender, during)
        if part == "postgres":  # a turn is stored whole or refused whole: nothing refused is stored
            assert during == answered, (sender, [(turn.text, turn.error) for turn in turns], during)


@pytest.mark.parametrize("part", ["redis", "postgres"])
async def test_messages_while_down_get_a_clear_error(cluster, part):
    outage = await outage_of(cluster, part)
    number = get_settings().emergency_number
    # REST: 503 with a message a person can act on, the emergency number in it (the first of
    # these messages was an emergency); nothing of them was stored (test above).
    for status, body in outage.while_down:
        assert status == 503 and body["error"] == "unavailable", (status, body)
        assert "again" in body["message"] and f"call {number}" in body["message"], body
    # socket.io has no status code: the widget gets the same words as a reply.
    assert [reply["text"] for reply in outage.socket_replies] == [outage.while_down[0][1]["message"]]


def test_first_message_after_a_quiet_postgres_restart_is_answered(cluster):
    """No message came while it was down, so each replica still pools connections to the old
    server process: the next turn must not be refused for that."""
    sender = f"quiet-restart-{uuid.uuid4().hex[:8]}"
    texts = ["hi", "my lower back hurts", "it goes down below the knee", "pins and needles"]
    for replica, text in zip((1, 2), texts[:2], strict=True):
        replies(cluster.say(sender, text, base_url=cluster.replica_url(replica)))
    cluster.stop("postgres")
    cluster.start("postgres")
    for replica, text in zip((1, 2), texts[2:], strict=True):
        replies(cluster.say(sender, text, base_url=cluster.replica_url(replica)))
    assert cluster.user_messages([sender])[sender] == texts


# --- retention and "delete my conversation" on PostgreSQL (issue 12) -------------------------


def stored_events(cluster: Cluster, sender: str, database: str = "rasa") -> int:
    return cluster.sql("SELECT count(*) FROM events WHERE sender_id = %s", sender, database=database)[0][0]


def test_delete_my_conversation_in_the_chat_erases_it_from_postgres(cluster):
    sender = f"delete-{uuid.uuid4().hex[:8]}"
    for text in ("my lower back hurts", "it goes down below the knee"):
        replies(cluster.say(sender, text))
    assert stored_events(cluster, sender) > 0
    # The console's feed (its own PostgreSQL database) holds exactly what the store holds.
    assert stored_events(cluster, sender, "rasa_events") == stored_events(cluster, sender)
    answer = replies(cluster.say(sender, "please delete my conversation"))
    assert any("deleted our conversation" in (reply.get("text") or "") for reply in answer), answer
    assert stored_events(cluster, sender) == 0
    assert stored_events(cluster, sender, "rasa_events") == 0
    # Whichever replica takes the next message, the person starts again from nothing.
    for replica in (1, 2):
        replies(cluster.say(sender, "hi", base_url=cluster.replica_url(replica)))
    assert cluster.user_messages([sender])[sender] == ["hi", "hi"]
    assert not cluster.tracker(sender, replica=1)["slots"]["pain_location"]


async def test_start_over_in_the_widget_deletes_the_conversation_from_postgres(cluster):
    person = await SocketPerson(cluster).start()
    try:
        assert await person.say("my lower back hurts")
        deadline = time.monotonic() + 15  # socket.io sends each reply as it is produced; the turn is stored after
        while stored_events(cluster, f"socketio:{person.session}") == 0:
            assert time.monotonic() < deadline, "the turn was not stored"
            await asyncio.sleep(0.2)
        assert await person.start_over() == {"deleted": True}
    finally:
        await person.close()
    assert stored_events(cluster, f"socketio:{person.session}") == 0


async def test_a_rest_caller_with_a_widget_session_id_gets_nothing_of_it_from_postgres(cluster):
    """tests/e2e/test_channel_isolation.py on the cluster: PostgreSQL store, through nginx, a REST
    caller without the token who knows the widget's session id reaches a conversation of its own."""
    person = await SocketPerson(cluster).start()
    widget = f"socketio:{person.session}"
    try:
        assert await person.say("my lower back hurts")
        deadline = time.monotonic() + 15  # the turn is stored after its replies went out
        while stored_events(cluster, widget) == 0:
            assert time.monotonic() < deadline, "the turn was not stored"
            await asyncio.sleep(0.2)
    finally:
        await person.close()
    stored = stored_events(cluster, widget)
    assert cluster.tracker(widget)["slots"]["pain_location"]

    def rest(sender: str, text: str) -> requests.Response:
        return requests.post(
            f"{cluster.url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60
        )

    assert rest(person.session, "what have I told you so far?").status_code == 200
    assert not cluster.tracker(person.session)["slots"]["pain_location"]  # a conversation of its own
    assert rest(person.session, "please delete my conversation").status_code == 200
    assert stored_events(cluster, widget) == stored  # the widget's untouched, not deleted
    for key in (widget, f"telegram:{person.session}"):
        assert rest(key, "hello").status_code == 400


def age_by_31_days(cluster: Cluster, sender: str) -> None:
    """The conversation's last message as if 31 days ago (RETENTION_DAYS is 30)."""
    seconds = 31 * 86400
    aged = cluster.execute(
        "UPDATE events SET timestamp = timestamp - %s, "
        "data = jsonb_set(data::jsonb, '{timestamp}', to_jsonb((data::jsonb->>'timestamp')::float8 - %s))::text "
        "WHERE sender_id = %s",
        seconds,
        seconds,
        sender,
    )
    assert aged > 0


def test_the_cluster_purges_by_itself_at_start_and_then_on_its_interval(cluster):
    """`up` starts the purger (as `make run` purges at start and daily); here it is restarted
    with a 20 s interval instead of a day, then put back as `up` left it."""
    assert re.search(r"purger +running", cluster.run("status").stdout), "`up` did not start the purger"
    cluster.run("stop", "purger")
    at_start, later, recent = (f"purger-{name}-{uuid.uuid4().hex[:8]}" for name in ("start", "later", "recent"))
    for sender in (at_start, later, recent):
        replies(cluster.say(sender, "my lower back hurts"))
    age_by_31_days(cluster, at_start)
    cluster.settings["PURGE_INTERVAL_SECONDS"] = "20"
    try:
        cluster.run("start", "purger")
        assert wait_until(lambda: stored_events(cluster, at_start) == 0, 60), "not purged at start"
        age_by_31_days(cluster, later)
        assert wait_until(lambda: stored_events(cluster, later) == 0, 90), "not purged on the interval"
        assert stored_events(cluster, recent) > 0
        log = (cluster.workdir / "log" / "purger.log").read_text()
        assert log.count("Deleted the events older than 30 days from 1 conversation(s).") >= 2, log
    finally:
        cluster.run("stop", "purger")
        del cluster.settings["PURGE_INTERVAL_SECONDS"]
        cluster.run("start", "purger")
    assert re.search(r"purger +running", cluster.run("status").stdout)


def test_retention_purge_deletes_only_old_conversations_from_postgres(cluster):
    cluster.run("stop", "purger")  # the purge run by hand here, not by the purger
    old, recent = f"purge-old-{uuid.uuid4().hex[:8]}", f"purge-recent-{uuid.uuid4().hex[:8]}"
    for sender in (old, recent):
        replies(cluster.say(sender, "my lower back hurts"))
    age_by_31_days(cluster, old)
    try:
        output = cluster.run("purge").stdout
    finally:
        cluster.run("start", "purger")
    assert "Deleted the events older than 30 days from 1 conversation(s)." in output, output
    assert stored_events(cluster, old) == 0 and stored_events(cluster, recent) > 0
    # A replica that served the purged conversation does not bring it back.
    replies(cluster.say(old, "hi"))
    assert cluster.user_messages([old])[old] == ["hi"]


# --- nothing personal at rest on PostgreSQL (before the test that kills the replicas) ----------


async def test_an_interview_with_personal_details_leaves_none_in_postgres_or_the_cluster_files(cluster):
    """tests/e2e/test_privacy_at_rest.py on the cluster: the same answers over REST (through nginx)
    and the widget; then the events table as stored (redacted, and encrypted in this profile), and
    every file of the cluster (PostgreSQL's data directory with its WAL, the logs) hold none of them."""
    from tests.e2e.test_privacy_at_rest import ANSWERS, CANARIES, OPENING, files_holding

    sender = uuid.uuid4().hex
    for text in OPENING:
        replies(cluster.say(sender, text))
    asked: List[str] = []
    for _ in range(30):
        question = cluster.tracker(sender)["slots"].get("requested_slot")
        if question not in ANSWERS:
            break
        asked.append(question)
        replies(cluster.say(sender, ANSWERS[question] if asked.count(question) == 1 else "no"))
    assert {"age", "pain_onset", "pain_duration"} <= set(asked), asked
    person = await SocketPerson(cluster).start()
    try:
        for text in [*OPENING, *ANSWERS.values()]:
            await person.say(text)
    finally:
        await person.close()

    stored = "\n".join(data for (data,) in cluster.sql("SELECT data FROM events"))
    assert not [name for name, canary in CANARIES.items() if canary.lower() in stored.lower()]
    assert "fernet:" in stored  # encrypted in this profile
    decrypted = json.dumps([cluster.decrypted(data) for (data,) in cluster.sql("SELECT data FROM events")])
    assert "[phone number]" in decrypted and "[name]" in decrypted  # stored, redacted
    found = {name: files_holding(cluster.workdir, canary) for name, canary in CANARIES.items()}
    assert not any(found.values()), {name: files for name, files in found.items() if files}


# --- a replica crashes -------------------------------------------------------------------------


def test_replica_killed_mid_conversation_continues_on_another(cluster):
    """Last in this module: it leaves the cluster without replicas."""
    sender = f"crash-{uuid.uuid4().hex[:8]}"
    for text, _ in INTERVIEW_STEPS[:4]:
        replies(cluster.say(sender, text))
    cluster.kill("rasa-1")
    # The very next message, through nginx, is answered by the surviving replica.
    after_crash = ["no", "45", "sitting"]
    for text in after_crash:
        replies(cluster.say(sender, text))
    slots = cluster.tracker(sender, replica=2)["slots"]
    assert slots["pain_location"] == ["lower_back"] and slots["nerve_symptoms"] == ["tingling"]
    assert slots["age"] == 45.0 and slots["aggravating_factors"] == ["sitting"]
    assert slots["requested_slot"] == "easing_factors"
    # The safety screen still escalates.
    answer = replies(cluster.say(sender, EMERGENCY))
    tracker = cluster.tracker(sender, replica=2)
    assert tracker["slots"]["triage_level"] == "emergency"
    bot = [e for e in tracker["events"] if e["event"] == "bot"]
    assert answer[-1]["text"] == bot[-1]["text"] and bot[-1]["metadata"].get("utter_action") == CONSULT
    sent = [text for text, _ in INTERVIEW_STEPS[:4]] + after_crash + [EMERGENCY]
    assert cluster.user_messages([sender])[sender] == sent

    # With no replica left, nginx answers with a message a person can act on.
    cluster.kill("rasa-2")
    res = cluster.say(sender, "hello?")
    assert res.status_code == 503 and res.headers["Retry-After"] == "10"
    assert res.json()["error"] == "unavailable" and "emergency" in res.json()["message"]
