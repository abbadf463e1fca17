"""The hand-off's outbox (bot/handoff/outbox.py) against a real local HTTP receiver and a real
SQLite file: what is retried, what is given up, what stays encrypted and what is deleted,
and one delivery per consent however many outboxes (replicas) share the database.
Time is a clock the test moves, so backing off needs no waiting."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, List

import pytest

from bot.handoff import fhir, outbox
from bot.handoff.outbox import DELIVERED, EXPIRED, PENDING, REFUSED, Config, Outbox


class Receiver:
    """A FHIR endpoint on a free local port: answers ``self.status`` and records each POST."""

    def __init__(self) -> None:
        self.status = 200
        self.delay = 0.0
        self.received: List[Dict[str, Any]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                time.sleep(receiver.delay)
                receiver.received.append({"path": self.path, "headers": dict(self.headers), "body": json.loads(body)})
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/fhir/r4?tenant=a"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    running = Receiver()
    yield running
    running.close()


class Clock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


def make(tmp_path, url: str, clock: Clock, token: str = "", timeout: float = 2.0) -> Outbox:
    config = Config(url, "Riverside Physio", token, f"sqlite:///{tmp_path / 'handoff.db'}", "", timeout)
    return Outbox(config, clock=clock)


def a_bundle(consent: str = "c-1") -> Dict[str, Any]:
    slots = {"pain_location": ["lower_back"], "triage_level": "routine"}
    return fhir.bundle(slots, consent, 1_700_000_000.0, "call me on 07700 900123", "Summary", {})


def test_delivered_once_as_given_with_the_token_and_then_forgotten(tmp_path, receiver):
    clock = Clock()
    box = make(tmp_path, receiver.url, clock, token="s3cret")
    assert box.add("c-1", a_bundle()) is True
    assert box.add("c-1", a_bundle()) is False  # one consent, one row
    assert box.deliver("c-1") == DELIVERED
    assert box.deliver("c-1") == DELIVERED and box.run_due() == 0  # nothing sent twice
    assert len(receiver.received) == 1
    got = receiver.received[0]
    assert got["path"] == "/fhir/r4?tenant=a"
    assert got["headers"]["Content-Type"] == "application/fhir+json"
    assert got["headers"]["Authorization"] == "Bearer s3cret"
    assert got["body"] == a_bundle()
    (row,) = box.rows()
    assert row["payload"] is None and row["status"] == DELIVERED  # personal details deleted


def test_stored_encrypted(tmp_path, receiver):
    box = make(tmp_path, receiver.url, Clock())
    box.add("c-1", a_bundle())
    raw = (tmp_path / "handoff.db").read_bytes()
    assert b"07700" not in raw and b"lower back" not in raw
    assert (tmp_path / "handoff.key").stat().st_mode & 0o077 == 0
    assert (tmp_path / "handoff.db").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize("status", [408, 429, 500, 503])
def test_retryable_answers_back_off_then_deliver(tmp_path, receiver, status):
    clock = Clock()
    box = make(tmp_path, receiver.url, clock)
    box.add("c-1", a_bundle())
    receiver.status = status
    assert box.deliver("c-1") == PENDING
    clock.now += 14
    assert box.run_due() == 0  # not due yet
    clock.now += 16  # the first retry within 30 s
    receiver.status = 201
    assert box.run_due() == 1 and box.status("c-1") == DELIVERED
    assert len(receiver.received) == 2
    assert receiver.received[0]["body"]["identifier"] == receiver.received[1]["body"]["identifier"]


def test_down_then_slow_then_up(tmp_path, receiver):
    clock = Clock()
    url = receiver.url
    receiver.close()  # down: nothing listens
    box = make(tmp_path, url, clock, timeout=0.5)
    box.add("c-1", a_bundle())
    assert box.deliver("c-1") == PENDING
    up = Receiver()
    try:
        box.config = Config(up.url, "Riverside Physio", "", box.config.database, "", 0.5)
        up.delay = 1.5  # slow: the attempt times out and counts as not delivered
        clock.now += 30
        assert box.run_due() == 1 and box.status("c-1") == PENDING
        up.delay = 0.0
        clock.now += 60
        assert box.run_due() == 1 and box.status("c-1") == DELIVERED
        # The slow one may have been received too: the same document, which a receiver drops.
        assert {json.dumps(r["body"]) for r in up.received} == {json.dumps(a_bundle())}
    finally:
        up.close()


def test_other_4xx_is_given_up_and_logged(tmp_path, receiver, caplog):
    box = make(tmp_path, receiver.url, Clock())
    box.add("c-1", a_bundle())
    receiver.status = 400
    assert box.deliver("c-1") == REFUSED
    assert outbox.told(REFUSED) == outbox.REFUSED
    assert "HTTP 400" in caplog.text and "07700" not in caplog.text
    assert box.rows()[0]["payload"] is None


def test_backs_off_doubling_to_an_hour_and_gives_up_after_48_hours(tmp_path, receiver):
    assert [outbox.retry_delay(n) for n in (1, 2, 3)] == [15, 30, 60]
    assert outbox.retry_delay(20) == 3600
    clock = Clock()
    box = make(tmp_path, receiver.url, clock)
    box.add("c-1", a_bundle())
    receiver.status = 503
    while box.status("c-1") == PENDING:
        clock.now += 3600
        box.run_due()
    assert box.status("c-1") == EXPIRED
    assert 47 <= len(receiver.received) <= 60  # hourly for two days, not more
    assert box.rows()[0]["payload"] is None


def test_several_replicas_deliver_one_consent_once(tmp_path, receiver):
    clock = Clock()
    boxes = [make(tmp_path, receiver.url, clock) for _ in range(4)]
    boxes[0].add("c-1", a_bundle())
    receiver.delay = 0.3  # all four try while the first is still sending
    threads = [threading.Thread(target=box.run_due) for box in boxes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(receiver.received) == 1 and boxes[3].status("c-1") == DELIVERED


def test_clinic_name_is_required_with_the_url():
    with pytest.raises(outbox.HandoffConfigError):
        Config("https://fhir.example.org/r4", "", "", "sqlite://", "", 5).check()
    Config("", "", "", "sqlite://", "", 5).check()  # no hand-off: nothing required
