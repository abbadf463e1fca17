"""Nothing personal at rest: a whole interview on the real servers (REST and the widget's
socket.io), with personal details typed as answers, leaves none of them in any file under
the run's directory: the tracker database, its write-ahead log, the servers' logs.

The stored events are checked to hold the placeholders instead (so the test fails if the
details were stored under another form, or if nothing was stored at all).
"""

from __future__ import annotations

import asyncio
import json
import re
import time
import uuid
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import pytest
import requests
import socketio

from tests.e2e import CHANNEL_ENV, CREDENTIALS_YML
from tests.support.stack import Stack

pytestmark = pytest.mark.e2e

TOKEN = f"at-rest-{uuid.uuid4().hex}"
TIMEOUT = 120


def luhn_complete(prefix: str) -> str:
    for last in "0123456789":
        digits = [int(d) for d in prefix + last][::-1]
        total = sum(d if i % 2 == 0 else (d * 2 - 9 if d * 2 > 9 else d * 2) for i, d in enumerate(digits))
        if total % 10 == 0:
            return prefix + last
    raise AssertionError


CARD = luhn_complete("453914880343646")
CANARIES = {
    "name": "Quattlebaum",
    "first name": "Zebedee",
    "uk phone": "07700 900873",
    "us phone": "(555) 201-7788",
    "email": "zeb.quattle@example.org",
    "street": "Marmalade Crescent",
    "card": f"{CARD[:4]} {CARD[4:8]} {CARD[8:12]} {CARD[12:]}",
    "date of birth": "14/09/1961",
    "nhs number": "943 476 5919",
}
# Names said without a cue (invented words: no word list knows them, as with many surnames).
UNCUED_NAMES = {
    "bare name": "Vexhollin Quarnstaby",
    "signature": "Yldrest Pomquiverton",
    "after a dash": "Tazmerrow Ulquenby",
    "before an age": "Brosketh Anvilquay",
}
for _form, _name in UNCUED_NAMES.items():
    for _part, _word in zip(("first", "last"), _name.split(), strict=True):
        CANARIES[f"{_form} ({_part})"] = _word
# Each question of the interview answered with a real answer and a personal detail.
ANSWERS: Dict[str, str] = {
    "pain_location": "my lower back. I'm Zebedee Quattlebaum by the way",
    "pain_spreads": "no it stays in my back, ring me on 07700 900873",
    "nerve_symptoms": "no tingling. my other number is (555) 201-7788",
    "screen_cauda_equina": "no, none of those",
    "screen_weakness_progression": "no",
    "age": "I'm 52, DOB 14/09/1961",
    "aggravating_factors": "bending and lifting at work at 27 Marmalade Crescent",
    "easing_factors": "lying down helps. email zeb.quattle@example.org",
    "pain_onset": f"it started when I lifted a box, my card {CANARIES['card']} was in my pocket\nYldrest Pomquiverton",
    "screen_major_trauma": "no, no fall or accident",
    "pain_duration": "about 3 weeks, NHS number 943 476 5919",
    "pain_severity": "6 out of 10",
    "screen_systemic": "no fever and no weight loss - Tazmerrow Ulquenby",
}
CLOSING = ["Vexhollin Quarnstaby", "Brosketh Anvilquay, 52"]  # after the interview, each a message of its own
OPENING = ["hello, my name is Zebedee Quattlebaum", "my lower back hurts, can you check my symptoms?", "yes"]
PLACEHOLDERS = ("[name]", "[phone number]", "[address]", "[card number]", "[date]", "[email]", "[NHS number]")


@pytest.fixture(scope="module")
def stack(trained_model, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("at-rest")
    credentials = workdir / "credentials.yml"
    credentials.write_text(CREDENTIALS_YML)
    env = {name: "" for name in CHANNEL_ENV}
    stack = Stack(workdir=workdir, token=TOKEN, credentials=credentials, extra_env=env)
    stack.start(with_web=False)
    yield stack
    stack.stop()


def tracker(stack: Stack, key: str) -> Dict:
    res = requests.get(f"{stack.rasa_url}/conversations/{key}/tracker", params={"token": TOKEN}, timeout=TIMEOUT)
    res.raise_for_status()
    return res.json()


def next_answer(slots: Dict, asked: List[str]) -> Optional[str]:
    question = slots.get("requested_slot")
    if question is None or question not in ANSWERS:
        return None
    asked.append(question)
    return ANSWERS[question] if asked.count(question) == 1 else ANSWERS[question].split(".")[0]


def rest_interview(stack: Stack) -> Tuple[str, List[str]]:
    sender, asked = uuid.uuid4().hex, []
    for text in OPENING:
        requests.post(
            f"{stack.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=TIMEOUT
        ).raise_for_status()
    for _ in range(30):
        answer = next_answer(tracker(stack, sender)["slots"], asked)
        if answer is None:
            break
        requests.post(
            f"{stack.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": answer}, timeout=TIMEOUT
        ).raise_for_status()
    for text in CLOSING:
        requests.post(
            f"{stack.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=TIMEOUT
        ).raise_for_status()
    return sender, asked


async def widget_interview(stack: Stack) -> Tuple[str, List[str]]:
    session, asked = uuid.uuid4().hex, []
    client = socketio.AsyncClient(reconnection=False)
    confirmed, replies = asyncio.Event(), []
    client.on("session_confirm", lambda *_: confirmed.set())
    client.on("bot_uttered", lambda data: replies.append(data))
    await client.connect(stack.rasa_url, transports=["polling"])

    async def say(text: str) -> None:
        stored = len([e for e in tracker(stack, f"socketio:{session}")["events"] if e["event"] == "user"])
        await client.emit("user_uttered", {"message": text, "session_id": session, "metadata": {"note": text}})
        deadline = time.monotonic() + TIMEOUT
        while len([e for e in tracker(stack, f"socketio:{session}")["events"] if e["event"] == "user"]) <= stored:
            assert time.monotonic() < deadline, f"no stored turn for {text!r}"
            await asyncio.sleep(0.3)

    try:
        await client.emit("session_request", {"session_id": session})
        await asyncio.wait_for(confirmed.wait(), 30)
        for text in OPENING:
            await say(text)
        for _ in range(30):
            answer = next_answer(tracker(stack, f"socketio:{session}")["slots"], asked)
            if answer is None:
                break
            await say(answer)
        for text in CLOSING:
            await say(text)
    finally:
        await client.disconnect()
    return f"socketio:{session}", asked


def files_holding(root: Path, needle: str) -> List[str]:
    """Every file under ``root`` whose bytes hold ``needle`` (as typed, or its digits run together)."""
    variants = {needle.encode(), needle.lower().encode()}
    digits = re.sub(r"\D", "", needle)
    if len(digits) >= 8:
        variants.add(digits.encode())
    found = []
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            lowered = data.lower()
            if any(v in data or v.lower() in lowered for v in variants):
                found.append(str(path.relative_to(root)))
    return found


async def test_an_interview_with_personal_details_leaves_none_at_rest(stack):
    rest_key, asked_rest = rest_interview(stack)
    widget_key, asked_widget = await widget_interview(stack)
    for asked in (asked_rest, asked_widget):
        assert {"age", "aggravating_factors", "pain_onset", "pain_duration"} <= set(asked), asked  # a whole interview

    assert (stack.workdir / "tracker.db-wal").exists()  # searched as it is while the server runs
    found = {name: files_holding(stack.workdir, canary) for name, canary in CANARIES.items()}
    assert not any(found.values()), {name: files for name, files in found.items() if files}

    stored = (stack.workdir / "tracker.db").read_bytes() + (stack.workdir / "tracker.db-wal").read_bytes()
    missing = [placeholder for placeholder in PLACEHOLDERS if placeholder.encode() not in stored]
    assert not missing, f"the details were not stored as placeholders: {missing}"

    for key in (rest_key, widget_key):  # nor through the HTTP API, and the messages were stored
        served = json.dumps(tracker(stack, key))
        assert not [name for name, canary in CANARIES.items() if canary.lower() in served.lower()], key
        users = [e["text"] for e in tracker(stack, key)["events"] if e["event"] == "user"]
        assert "[name]" in users[-2] and users[-1].startswith("[name]"), users[-2:]
