"""The hand-off on real servers (issue 27): Rasa, the action server and a real local FHIR
receiver that is down at first, then slow, then up, across a restart of the action server.

A person who completes the interview and says Yes, then gives a phone number, is told the
summary will be sent when the clinic's system is back; once it is, the receiver gets exactly
one answered delivery of one valid R4 transaction Bundle with a QuestionnaireResponse (any
attempt it received while too slow to answer carries the same Bundle.identifier). A person
who says No causes no delivery. The phone number is never in the conversation store.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, List, Optional

import pytest
import requests
from fhir.resources.bundle import Bundle

from tests.conversations.test_interview import TAPS
from tests.e2e import CHANNEL_ENV, CREDENTIALS_YML
from tests.support.stack import Stack, free_port, wait_until

pytestmark = pytest.mark.e2e

TOKEN = f"handoff-test-{uuid.uuid4().hex}"
FHIR_TOKEN = f"fhir-{uuid.uuid4().hex}"
CLINIC = "Riverside Physio"
PHONE = "07700 900461, weekday evenings"


class Receiver:
    """A FHIR endpoint on a fixed local port, started and stopped by the test."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.delay = 0.0
        self.received: List[Dict[str, Any]] = []  # every request that arrived
        self.answered: List[Dict[str, Any]] = []  # those answered 201 in time
        self.server: Optional[ThreadingHTTPServer] = None

    def start(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                got = {"path": self.path, "headers": dict(self.headers), "body": body}
                receiver.received.append(got)
                delay = receiver.delay
                time.sleep(delay)
                self.send_response(201)
                self.send_header("Content-Length", "0")
                self.end_headers()
                if not delay:
                    receiver.answered.append(got)

            def log_message(self, *_: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


@pytest.fixture(scope="module")
def handoff(trained_model, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("handoff")
    credentials = workdir / "credentials.yml"
    credentials.write_text(CREDENTIALS_YML)
    receiver = Receiver(free_port())
    env = {name: "" for name in CHANNEL_ENV}
    env.update(
        HANDOFF_FHIR_URL=f"http://127.0.0.1:{receiver.port}/fhir/R4?clinic=riverside",
        HANDOFF_FHIR_TOKEN=FHIR_TOKEN,
        CLINIC_NAME=CLINIC,
        HANDOFF_OUTBOX_URL=f"sqlite:///{workdir / 'handoff.db'}",
        HANDOFF_TIMEOUT="2",
        HANDOFF_WORKER_SECONDS="1",
    )
    stack = Stack(workdir=workdir, token=TOKEN, credentials=credentials, extra_env=env)
    try:
        stack.start(with_web=False)
        yield stack, receiver
    finally:
        stack.stop()
        receiver.stop()


def say(stack: Stack, sender: str, text: str) -> List[str]:
    response = requests.post(
        f"{stack.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=120
    )
    response.raise_for_status()
    return [m.get("text") or "" for m in response.json()]


def tracker(stack: Stack, sender: str) -> Dict[str, Any]:
    response = requests.get(f"{stack.rasa_url}/conversations/{sender}/tracker", params={"token": TOKEN}, timeout=60)
    response.raise_for_status()
    return response.json()


def responses(stack: Stack, sender: str) -> List[str]:
    events = tracker(stack, sender)["events"]
    return [(e.get("metadata") or {}).get("utter_action") for e in events if e["event"] == "bot"]


def to_the_offer(stack: Stack, sender: str) -> None:
    say(stack, sender, "my back hurts")
    for _ in range(15):
        state = tracker(stack, sender)
        if (state.get("active_loop") or {}).get("name") != "symptom_form":
            break
        asked = [r for r in responses(stack, sender) if r and r.startswith("utter_ask_")]
        say(stack, sender, TAPS[asked[-1]])
    assert responses(stack, sender)[-1] == "utter_offer_handoff", responses(stack, sender)


def outbox_statuses(stack: Stack) -> List[str]:
    with sqlite3.connect(stack.workdir / "handoff.db") as db:
        return [row[0] for row in db.execute("SELECT status FROM handoff_outbox")]


def test_yes_delivers_one_valid_bundle_once_the_clinic_is_back_and_no_delivers_nothing(handoff):
    stack, receiver = handoff
    yes, no = uuid.uuid4().hex, uuid.uuid4().hex  # REST ids are 128-bit secrets (docs/api.md)

    to_the_offer(stack, no)
    say(stack, no, "no")
    assert "utter_offer_handoff_contact" not in responses(stack, no)

    to_the_offer(stack, yes)
    said = say(stack, yes, "yes")
    assert responses(stack, yes)[-1] == "utter_offer_handoff_contact", said
    said = say(stack, yes, PHONE)
    assert any("will be sent when it is back" in text for text in said), said  # the receiver is down
    assert outbox_statuses(stack) == ["pending"]

    # The action server goes down; the clinic's server comes back slow; the action server restarts.
    stack.stop_actions()
    receiver.delay = 4.0  # longer than HANDOFF_TIMEOUT: attempts time out
    receiver.start()
    stack.start_actions()
    assert wait_until(lambda: receiver.received, 90), "no retry reached the receiver after the restart"
    receiver.delay = 0.0
    assert wait_until(lambda: receiver.answered, 120), "never delivered once the receiver was up"
    assert wait_until(lambda: outbox_statuses(stack) == ["delivered"], 30), outbox_statuses(stack)
    time.sleep(3)  # a few more worker rounds: nothing more is sent

    assert len(receiver.answered) == 1
    bodies = {json.dumps(r["body"], sort_keys=True) for r in receiver.received}
    assert len(bodies) == 1, "every attempt carries the same document"
    delivered = receiver.answered[0]
    assert delivered["path"] == "/fhir/R4?clinic=riverside"
    assert delivered["headers"]["Content-Type"] == "application/fhir+json"
    assert delivered["headers"]["Authorization"] == f"Bearer {FHIR_TOKEN}"
    bundle = delivered["body"]
    Bundle.parse_obj(bundle)
    assert bundle["type"] == "transaction"
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert kinds == ["Patient", "QuestionnaireResponse", "RiskAssessment"]
    answers = {i["linkId"]: i["answer"] for i in bundle["entry"][1]["resource"]["item"]}
    assert answers["contact"] == [{"valueString": PHONE}]
    assert answers["pain_location"] == [{"valueString": "lower back"}]

    # Never in the conversation store: the contact reply is kept as "[contact details]".
    with sqlite3.connect(stack.workdir / "tracker.db") as db:
        stored = [row[0] for row in db.execute("SELECT data FROM events WHERE sender_id = ?", (yes,))]
    assert stored and not any("07700" in data or "weekday" in data for data in stored)
    assert any("[contact details]" in data for data in stored)
    with sqlite3.connect(stack.workdir / "handoff.db") as db:
        (payload,) = db.execute("SELECT payload FROM handoff_outbox").fetchone()
    assert payload is None  # deleted once delivered


def test_the_questionnaire_is_served_read_only(handoff):
    stack, _ = handoff
    base = stack.action_url.rsplit("/webhook", 1)[0]
    got = requests.get(f"{base}/fhir/Questionnaire/back-pain-intake", timeout=30)
    assert got.status_code == 200 and got.headers["Content-Type"].startswith("application/fhir+json")
    assert got.json()["resourceType"] == "Questionnaire"
    assert requests.get(f"{base}/fhir/Questionnaire/other", timeout=30).status_code == 404
    assert requests.post(f"{base}/fhir/Questionnaire/back-pain-intake", json={}, timeout=30).status_code >= 400
