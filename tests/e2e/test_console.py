"""The clinic console (console/) and the operators' metrics (addons/metrics.py) against the
real servers: Rasa with the event feed (addons/event_feed.py), the action server and the
console, on free ports (tests/support/stack.py), with accounts made by the real command.

A scripted set of conversations (one emergency, one abandoned mid-interview, one finished
with a rating) must change the console's numbers by exactly that; nothing answers without a
login; every transcript view is in the audit log; the metrics endpoints serve the counters.
The page itself is driven in Debian's Chromium (login, charts, filter, export, transcript).
"""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

import pytest
import requests

from tests.conversations.test_interview import TAPS
from tests.support.stack import ROOT, Stack, wait_until

pytestmark = [pytest.mark.e2e]

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PASSWORDS = {"ada": "ada-admin-password-1", "cleo": "cleo-clinician-pass", "vic": "vic-viewer-password"}
ROLES = {"ada": "admin", "cleo": "clinician", "vic": "viewer"}
PHONE = "07700 900461"


def make_user(stack: Stack, name: str, role: str, password: str) -> subprocess.CompletedProcess:
    """``make console-user``'s command, with this stack's console database."""
    env = dict(os.environ, CONSOLE_DB=str(stack.workdir / "console.db"), PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "console", "user", name, role],
        input=password + "\n",
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


class Console:
    def __init__(self, url: str) -> None:
        self.url = url
        self.http = requests.Session()
        self.csrf = ""

    def login(self, name: str, password: Optional[str] = None) -> requests.Response:
        response = self.http.post(
            f"{self.url}/console/api/login",
            json={"username": name, "password": password or PASSWORDS[name]},
            timeout=10,
        )
        if response.status_code == 200:
            self.csrf = response.json()["csrf"]
        return response

    def get(self, path: str, **params: Any) -> requests.Response:
        return self.http.get(f"{self.url}{path}", params=params, timeout=30)

    def stats(self, start: date, end: date) -> Dict[str, Any]:
        response = self.get("/console/api/stats", **{"from": start.isoformat(), "to": end.isoformat()})
        assert response.status_code == 200, response.text
        return response.json()


class Patient:
    def __init__(self, stack: Stack, prefix: str) -> None:
        self.stack = stack
        self.sender = uuid.uuid4().hex  # REST ids are 128-bit secrets (docs/api.md); prefix names it in failures
        self.prefix = prefix
        self.sent = 0

    def say(self, text: str) -> List[dict]:
        response = requests.post(
            f"{self.stack.rasa_url}/webhooks/rest/webhook", json={"sender": self.sender, "message": text}, timeout=120
        )
        assert response.status_code == 200, response.text
        self.sent += 1
        return response.json()

    def tracker(self) -> Dict[str, Any]:
        response = requests.get(
            f"{self.stack.rasa_url}/conversations/{self.sender}/tracker",
            params={"token": self.stack.token},
            timeout=30,
        )
        response.raise_for_status()
        return response.json()


def metric(text: str, name: str, labels: str = "") -> float:
    match = re.search(rf"^{re.escape(name)}{re.escape(labels)} ([0-9.e+]+)$", text, re.M)
    return float(match.group(1)) if match else 0.0


@pytest.fixture(scope="module")
def stack(trained_model, tmp_path_factory) -> Iterator[Stack]:
    stack = Stack(workdir=tmp_path_factory.mktemp("console")).start(with_web=False)
    try:
        stack.start_console()
        for name, role in ROLES.items():
            made = make_user(stack, name, role, PASSWORDS[name])
            assert made.returncode == 0, made.stderr
        yield stack
    finally:
        stack.stop()


@pytest.fixture(scope="module")
def scripted(stack) -> Dict[str, Any]:
    """The numbers before and after the three scripted conversations."""
    admin = Console(stack.console_url)
    assert admin.login("ada").status_code == 200
    today = date.today()
    metrics_url = f"http://127.0.0.1:{stack.metrics_port}/metrics"
    before = admin.stats(today, today)
    metrics_before = requests.get(metrics_url, timeout=10).text

    emergency = Patient(stack, "emergency")
    emergency.say(f"I can't feel my bum and I wet myself, call me on {PHONE}")
    assert emergency.tracker()["slots"]["triage_level"] == "emergency"

    abandoned = Patient(stack, "abandoned")
    abandoned.say("my back hurts")
    tracker = abandoned.tracker()
    assert tracker["active_loop"].get("name") == "symptom_form"
    stopped_at = tracker["slots"]["requested_slot"]

    finished = Patient(stack, "finished")
    finished.say("my back hurts")
    for _ in range(20):
        tracker = finished.tracker()
        if not (tracker.get("active_loop") or {}).get("name"):
            break
        finished.say(TAPS["utter_ask_" + tracker["slots"]["requested_slot"]])
    slots = finished.tracker()["slots"]
    if slots["pending_offer"] == "checkin":  # check-ins are on by default; this test is about feedback
        finished.say("no")
        slots = finished.tracker()["slots"]
    assert slots["pending_offer"] == "feedback" and slots["triage_level"] == "routine", slots
    finished.say("yes")
    slots = finished.tracker()["slots"]
    assert slots["feedback"] == "yes", slots

    expected = before["conversations"] + 3
    assert wait_until(lambda: admin.stats(today, today)["conversations"] == expected, 5), "not current within 5 s"
    return {
        "before": before,
        "after": admin.stats(today, today),
        "stopped_at": stopped_at,
        "causes": slots["possible_causes"],
        "flags": emergency.tracker()["slots"]["red_flags"],
        "patients": {"emergency": emergency, "abandoned": abandoned, "finished": finished},
        "messages": emergency.sent + abandoned.sent + finished.sent,
        "metrics_before": metrics_before,
        "metrics_url": metrics_url,
        "today": today,
    }


# --------------------------------------------------------------------------- the numbers
def test_the_numbers_change_by_exactly_the_scripted_conversations(scripted):
    before, after = scripted["before"], scripted["after"]
    assert after["conversations"] - before["conversations"] == 3
    assert set(after["by_level"]) == {"emergency", "urgent", "routine"}
    assert {k: after["by_level"][k] - before["by_level"][k] for k in after["by_level"]} == {
        "emergency": 1,
        "urgent": 0,
        "routine": 2,
    }
    assert after["started_interview"] - before["started_interview"] == 2
    assert after["finished"] - before["finished"] == 1
    dropoff = {q["question"]: q["stopped"] for q in after["dropoff"]}
    dropoff_before = {q["question"]: q["stopped"] for q in before["dropoff"]}
    assert {q: dropoff[q] - dropoff_before[q] for q in dropoff if dropoff[q] != dropoff_before[q]} == {
        scripted["stopped_at"]: 1
    }
    assert {k: after["feedback"][k] - before["feedback"][k] for k in after["feedback"]} == {
        "yes": 1,
        "partly": 0,
        "no": 0,
    }
    causes = {c["id"]: c["count"] for c in after["causes"]}
    causes_before = {c["id"]: c["count"] for c in before["causes"]}
    assert scripted["causes"]
    assert {c: causes[c] - causes_before.get(c, 0) for c in causes if causes[c] != causes_before.get(c, 0)} == {
        c: 1 for c in scripted["causes"]
    }
    flags = {f["id"]: f["count"] for f in after["red_flags"]}
    flags_before = {f["id"]: f["count"] for f in before["red_flags"]}
    assert scripted["flags"]
    assert {f: flags[f] - flags_before.get(f, 0) for f in flags if flags[f] != flags_before.get(f, 0)} == {
        f: 1 for f in scripted["flags"]
    }
    today = scripted["today"].isoformat()
    day = next(d for d in after["per_day"] if d["date"] == today)
    assert day["conversations"] == after["conversations"]


def test_the_date_range_is_inclusive_local_dates(stack, scripted):
    admin = Console(stack.console_url)
    admin.login("ada")
    today = scripted["today"]
    yesterday = today - timedelta(days=1)
    assert admin.stats(yesterday, yesterday)["conversations"] == 0
    week = admin.stats(today - timedelta(days=6), today)
    assert week["conversations"] == scripted["after"]["conversations"]
    assert [d["date"] for d in week["per_day"]][-1] == today.isoformat() and len(week["per_day"]) == 7
    assert admin.get("/console/api/stats", **{"from": "2026-13-01"}).status_code == 400


def test_csv_export_carries_the_same_numbers(stack, scripted):
    admin = Console(stack.console_url)
    admin.login("ada")
    today = scripted["today"].isoformat()
    response = admin.get("/console/api/export.csv", **{"from": today, "to": today})
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    by_level = {r["key"]: int(r["value"]) for r in rows if r["section"] == "by_level"}
    assert by_level == scripted["after"]["by_level"]
    assert {r["key"]: int(r["value"]) for r in rows if r["section"] == "feedback"} == scripted["after"]["feedback"]
    assert PHONE not in response.text and "wet myself" not in response.text  # no message text


# --------------------------------------------------------------------------- access
ROUTES = [
    ("GET", "/"),
    ("GET", "/static/console.js"),
    ("GET", "/static/vendor/chart.umd.js"),
    ("GET", "/console/api/me"),
    ("GET", "/console/api/stats"),
    ("GET", "/console/api/export.csv"),
    ("GET", "/console/api/conversations"),
    ("GET", "/console/api/transcript/anything"),
    ("GET", "/console/api/audit"),
    ("POST", "/console/api/logout"),
    ("GET", "/no/such/page"),
]


def test_no_route_answers_without_a_login(stack):
    for method, path in ROUTES:
        response = requests.request(method, f"{stack.console_url}{path}", timeout=10)
        assert response.status_code == 401, (method, path, response.status_code)
        assert "conversations" not in response.text or path == "/", (method, path)
    stranger = Console(stack.console_url)
    assert stranger.login("ada", "not-the-password").status_code == 401
    assert stranger.login("nobody", "whatever-password").status_code == 401
    assert stranger.get("/console/api/stats").status_code == 401


def test_the_session_cookie_is_http_only_and_forms_need_the_csrf_token(stack):
    viewer = Console(stack.console_url)
    response = viewer.login("vic")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Max-Age=" in cookie
    assert "Secure" not in cookie  # plain http on loopback; over https it is Secure
    assert viewer.http.post(f"{stack.console_url}/console/api/logout", timeout=10).status_code == 403
    response = viewer.http.post(
        f"{stack.console_url}/console/api/logout", headers={"X-CSRF-Token": viewer.csrf}, timeout=10
    )
    assert response.status_code == 200
    assert viewer.get("/console/api/stats").status_code == 401


def test_failed_logins_are_throttled(stack):
    made = make_user(stack, "tess", "viewer", "tess-viewer-password")
    assert made.returncode == 0, made.stderr
    console = Console(stack.console_url)
    for _ in range(5):
        assert console.login("tess", "wrong-password-here").status_code == 401
    assert console.login("tess", "tess-viewer-password").status_code == 429


def test_an_empty_password_is_generated_and_printed_once(stack):
    made = make_user(stack, "gen", "viewer", "")
    assert made.returncode == 0, made.stderr
    password = re.search(r"Password \(shown once\): (\S+)", made.stdout).group(1)
    assert Console(stack.console_url).login("gen", password).status_code == 200
    assert make_user(stack, "bad", "superuser", "some-long-password").returncode != 0


def test_transcripts_are_for_clinicians_and_every_view_is_audited(stack, scripted):
    sender = scripted["patients"]["emergency"].sender
    today = scripted["today"].isoformat()
    viewer = Console(stack.console_url)
    viewer.login("vic")
    assert viewer.get(f"/console/api/transcript/{sender}").status_code == 403
    assert viewer.get("/console/api/conversations").status_code == 403
    assert viewer.get("/console/api/audit").status_code == 403

    clinician = Console(stack.console_url)
    clinician.login("cleo")
    listing = clinician.get("/console/api/conversations", **{"from": today, "to": today}).json()["conversations"]
    assert sender in [c["id"] for c in listing] and all("text" not in c for c in listing)
    transcript = clinician.get(f"/console/api/transcript/{sender}")
    assert transcript.status_code == 200
    person = [m["text"] for m in transcript.json()["messages"] if m["who"] == "person"]
    assert person and "[phone number]" in person[0] and PHONE not in person[0]  # redacted as stored
    assert clinician.get("/console/api/audit").status_code == 403

    admin = Console(stack.console_url)
    admin.login("ada")
    audit = admin.get("/console/api/audit").json()["audit"]
    assert audit[0]["who"] == "cleo" and audit[0]["conversation"] == sender
    count = len(audit)
    admin.get(f"/console/api/transcript/{sender}")
    assert len(admin.get("/console/api/audit").json()["audit"]) == count + 1


def test_the_feed_holds_no_unredacted_text(stack, scripted):
    import sqlite3

    database = sqlite3.connect(stack.workdir / "events.db")
    rows = " ".join(data for (data,) in database.execute("select data from events"))
    assert "[phone number]" in rows and PHONE not in rows


# --------------------------------------------------------------------------- metrics
def test_the_metrics_endpoints_serve_the_counters(stack, scripted):
    text = requests.get(scripted["metrics_url"], timeout=10).text
    before = scripted["metrics_before"]
    assert metric(text, "backpain_messages_total") - metric(before, "backpain_messages_total") == scripted["messages"]
    emergency = '{level="emergency"}'
    assert (
        metric(text, "backpain_triage_outcomes_total", emergency)
        - metric(before, "backpain_triage_outcomes_total", emergency)
        == 1
    )
    assert metric(text, "backpain_message_seconds_count") >= scripted["messages"]
    assert "backpain_store_errors_total" in text and "backpain_action_failures_total" in text
    actions = requests.get(f"http://127.0.0.1:{stack.action_metrics_port}/metrics", timeout=10).text
    assert metric(actions, "backpain_actions_total", '{action="action_conclude_interview"}') >= 1


def listening_addresses(port: int) -> List[str]:
    """The IPv4 addresses a socket listens on at ``port`` (from /proc/net/tcp)."""
    found = []
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, hex_port = local.split(":")
        if state == "0A" and int(hex_port, 16) == port:  # LISTEN
            found.append(".".join(str(int(address[i : i + 2], 16)) for i in (6, 4, 2, 0)))
    return found


def test_metrics_and_the_console_listen_on_loopback_only(stack):
    for port in (stack.metrics_port, stack.action_metrics_port, stack.console_port):
        assert listening_addresses(port) == ["127.0.0.1"], port


def test_the_cluster_proxy_does_not_route_metrics_or_the_console():
    for conf in (ROOT / "deploy" / "nginx").rglob("*"):
        if conf.is_file():
            text = conf.read_text()
            assert "9105" not in text and "9106" not in text and "8090" not in text and "/metrics" not in text


# --------------------------------------------------------------------------- the page
@pytest.mark.browser
def test_the_page_in_a_browser(stack, scripted, tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: run scripts/install-browser.sh (Debian's chromium)")
    from playwright.sync_api import sync_playwright

    today = scripted["today"]
    sender = scripted["patients"]["finished"].sender
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--headless"])
        try:
            page = browser.new_context(accept_downloads=True).new_page()
            errors: List[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            response = page.goto(stack.console_url + "/")
            assert response.status == 401  # the login form
            page.fill("input[name=username]", "ada")
            page.fill("input[name=password]", PASSWORDS["ada"])
            page.click("button[type=submit]")
            page.wait_for_selector("body[data-loaded]")
            assert page.inner_text("#n-conversations") == str(scripted["after"]["conversations"])
            assert page.inner_text("#n-emergency") == str(scripted["after"]["by_level"]["emergency"])
            # Chart.js drew every chart, with pixels on its canvas.
            drawn = page.evaluate(
                """() => [...document.querySelectorAll('canvas')].map(c => {
                    const chart = Chart.getChart(c);
                    const pixels = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                    return !!chart && pixels.some(v => v !== 0);
                })"""
            )
            assert drawn and all(drawn), drawn

            # Filter: a day with nothing, then today again.
            yesterday = (today - timedelta(days=1)).isoformat()
            page.fill("#from", yesterday)
            page.fill("#to", yesterday)
            page.click("#range button[type=submit]")
            page.wait_for_selector(f"body[data-loaded='{yesterday}..{yesterday}']")
            assert page.inner_text("#n-conversations") == "0"
            page.fill("#from", today.isoformat())
            page.fill("#to", today.isoformat())
            page.click("#range button[type=submit]")
            page.wait_for_selector(f"body[data-loaded='{today.isoformat()}..{today.isoformat()}']")
            assert page.inner_text("#n-conversations") == str(scripted["after"]["conversations"])

            # Export: the CSV of the range shown.
            with page.expect_download() as download:
                page.click("#export")
            saved = tmp_path / "export.csv"
            download.value.save_as(saved)
            rows = list(csv.DictReader(saved.open()))
            assert {r["key"]: int(r["value"]) for r in rows if r["section"] == "by_level"} == scripted["after"][
                "by_level"
            ]

            # Transcript: opened from the list, then in the audit log on the same page.
            page.wait_for_selector(f"button[data-conversation='{sender}']")
            page.click(f"button[data-conversation='{sender}']")
            page.wait_for_selector("#transcript .person")
            page.wait_for_function(
                "s => [...document.querySelectorAll('#audit-rows tr')].some(r => r.textContent.includes(s))", arg=sender
            )
            assert "ada" in page.inner_text("#audit-rows tr:first-child")
            assert not errors, errors
        finally:
            browser.close()


# --------------------------------------------------------------------------- several workers
@pytest.fixture
def redis_port(tmp_path) -> Iterator[int]:
    from tests.support.stack import free_port

    port = free_port()
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
    )
    try:
        yield port
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_with_several_sanic_workers_the_metrics_count_every_worker(trained_model, tmp_path, redis_port):
    """SANIC_WORKERS=2 (endpoints/workers.yml): each worker writes its numbers to the
    multiprocess directory and the launcher's endpoint serves their sum."""
    stack = Stack(
        workdir=tmp_path / "workers",
        extra_env={
            "SANIC_WORKERS": "2",
            "ENDPOINTS": str(ROOT / "endpoints" / "workers.yml"),
            "REDIS_HOST": "127.0.0.1",
            "REDIS_PORT": str(redis_port),
            "RUN_DIR": str(tmp_path / "run"),
        },
    )
    try:
        stack.start(with_web=False)
        for n in range(6):
            Patient(stack, f"worker{n}").say("hello")
        text = requests.get(f"http://127.0.0.1:{stack.metrics_port}/metrics", timeout=10).text
        assert metric(text, "backpain_messages_total") == 6, text[:2000]
        assert list((tmp_path / "run").glob("metrics-*/*.db")), "no multiprocess files"
    finally:
        stack.stop()
