"""`make run` as a person runs it (scripts/serve.sh), on free ports and a temporary var/:
who can reach the servers, where the token is, private files, logs without conversation
text, supervision (a killed server comes back and the conversation continues) and a Rasa
restart mid-conversation on the SQLite store."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import time
import uuid
from pathlib import Path
from typing import Dict, List

import pytest
import requests

from tests.support.stack import MODEL, ROOT, free_port, server_env

pytestmark = pytest.mark.e2e

SECRET_WORD = f"Quokka{uuid.uuid4().hex[:6]}"  # in every message below: grep the logs for it
PERSONAL = "my name is Tamsin Quarrendon, 07700 900461, tamsin.q@example.org, born 14/02/1961"


class Run:
    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.ports = {
            name: free_port()
            for name in ("RASA_PORT", "ACTION_PORT", "WEB_PORT", "CONSOLE_PORT", "METRICS_PORT", "ACTION_METRICS_PORT")
        }
        self.var = tmp / "var"
        self.env = server_env(
            **{k: str(v) for k, v in self.ports.items()},
            TRACKER_DB=str(self.var / "tracker.db"),
            LOG_DIR=str(self.var / "log"),
            RUN_DIR=str(self.var / "run"),
            RASA_API_TOKEN_FILE=str(self.var / "api-token"),
            MODEL_DIR=str(MODEL.parent),
            CORS_ORIGINS=f"http://localhost:{self.ports['WEB_PORT']}",
        )
        for name in ("RASA_API_TOKEN", "ACTION_ENDPOINT_URL", "RASA_HOST", "ACTION_HOST"):
            self.env.pop(name, None)
        self.output = tmp / "serve.out"
        self.process = subprocess.Popen(
            [str(ROOT / "scripts" / "serve.sh")],
            cwd=ROOT,
            env=self.env,
            stdout=self.output.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.time() + 300
        while "Press Ctrl+C" not in self.output.read_text():
            if self.process.poll() is not None or time.time() > deadline:
                raise RuntimeError(self.output.read_text()[-3000:])
            time.sleep(1)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.ports['RASA_PORT']}"

    @property
    def token(self) -> str:
        return (self.var / "api-token").read_text().strip()

    def pid(self, server: str) -> int:
        return int((self.var / "run" / f"{server}.pid").read_text())

    def say(self, sender: str, text: str) -> List[Dict]:
        res = requests.post(f"{self.url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=120)
        assert res.status_code == 200, res.text
        return res.json()

    def tracker(self, sender: str) -> Dict:
        res = requests.get(f"{self.url}/conversations/{sender}/tracker", params={"token": self.token}, timeout=60)
        assert res.status_code == 200, res.text
        return res.json()

    def wait_until_up(self, url: str, timeout: float = 240) -> None:
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                if requests.get(url, timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise AssertionError(f"{url} did not come back; supervisor log:\n{self.supervisor_log()}")

    def supervisor_log(self) -> str:
        path = self.var / "log" / "supervisor.log"
        return path.read_text() if path.exists() else ""

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def run(trained_model, tmp_path_factory):
    started = Run(tmp_path_factory.mktemp("serve"))
    yield started
    started.stop()
    # Everything make run started stops with it (the console and the metrics endpoints too).
    for name, port in started.ports.items():
        assert not listening_addresses(port), f"{name} still listening after make run stopped"


def listening_addresses(port: int) -> List[str]:
    """Local addresses with a listening TCP socket on ``port`` (from /proc/net/tcp{,6})."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:
                found.append(address)
    return found


def test_servers_listen_on_the_loopback_interface_only(run):
    for name in ("RASA_PORT", "ACTION_PORT", "CONSOLE_PORT", "METRICS_PORT", "ACTION_METRICS_PORT"):
        addresses = listening_addresses(run.ports[name])
        assert addresses == ["0100007F"], (name, addresses)  # 127.0.0.1, nothing else


def test_make_run_starts_the_clinic_console_and_the_metrics(run):
    console = f"http://127.0.0.1:{run.ports['CONSOLE_PORT']}"
    assert requests.get(f"{console}/console/api/stats", timeout=10).status_code == 401
    run.say(uuid.uuid4().hex, "hello")
    metrics = requests.get(f"http://127.0.0.1:{run.ports['METRICS_PORT']}/metrics", timeout=10).text
    assert "backpain_messages_total" in metrics
    assert (run.var / "events.db").exists()  # the console's feed, beside the tracker database


def test_the_token_is_in_a_private_file_never_printed_nor_in_the_process_list(run):
    token = run.token
    assert len(token) >= 32
    assert stat.S_IMODE((run.var / "api-token").stat().st_mode) == 0o600
    output = run.output.read_text()
    assert token not in output and str(run.var / "api-token") in output
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            assert token.encode() not in cmdline.read_bytes(), cmdline
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    assert requests.get(f"{run.url}/status", params={"token": token}, timeout=30).status_code == 200
    assert requests.get(f"{run.url}/status", timeout=30).status_code == 401


def test_conversation_data_and_logs_are_private(run):
    run.say(uuid.uuid4().hex, "hi")
    for database in ("tracker.db", "events.db", "console.db"):
        assert stat.S_IMODE((run.var / database).stat().st_mode) == 0o600, database
    logs = list((run.var / "log").glob("*.log"))
    assert {p.name for p in logs} >= {"rasa.log", "actions.log", "web.log", "console.log"}
    for path in logs:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_no_message_text_in_the_logs(run):
    sender = uuid.uuid4().hex
    for text in (
        f"my lower back hurts {SECRET_WORD} and {PERSONAL}",
        f'/ask_condition{{"condition": "{SECRET_WORD}',  # Rasa warns "Failed to parse arguments in line ..."
        f"/greet{{{SECRET_WORD}}}",
        f"{SECRET_WORD} " * 30,
    ):
        run.say(sender, text)
    res = requests.post(
        f"{run.url}/model/parse",
        params={"token": run.token},
        json={"text": f"/out_of_scope{{{SECRET_WORD}"},
        timeout=30,
    )
    assert res.status_code == 200
    time.sleep(1)
    for path in (run.var / "log").glob("*.log*"):
        text = path.read_text(errors="replace")
        assert SECRET_WORD not in text, f"{path.name} holds message text"
        for detail in ("Quarrendon", "07700 900461", "tamsin.q@example.org", "14/02/1961"):
            assert detail not in text, f"{path.name} holds a personal detail"


def test_a_killed_action_server_is_restarted_and_the_conversation_continues(run):
    sender = uuid.uuid4().hex
    run.say(sender, "my lower back hurts")
    before = run.tracker(sender)["slots"]
    assert before["pain_location"]
    os.kill(run.pid("actions"), signal.SIGKILL)
    # Rasa and the web page keep serving meanwhile.
    assert requests.get(f"{run.url}/", timeout=10).status_code == 200
    assert requests.get(f"http://127.0.0.1:{run.ports['WEB_PORT']}/", timeout=10).status_code == 200
    run.wait_until_up(f"http://127.0.0.1:{run.ports['ACTION_PORT']}/health", timeout=120)
    assert "actions server stopped" in run.supervisor_log() and "actions server restarted" in run.supervisor_log()
    replies = run.say(sender, "it spreads into my thigh")
    after = run.tracker(sender)["slots"]
    assert after["pain_location"] == before["pain_location"]
    assert after["pain_spreads"] not in (None, before["pain_spreads"]), replies
    assert after["triage_level"] == before["triage_level"]


def test_rasa_restart_mid_conversation_continues_it_from_the_sqlite_store(run):
    sender = uuid.uuid4().hex
    run.say(sender, "my lower back hurts")
    run.say(sender, "no it stays put")
    before = run.tracker(sender)
    os.kill(run.pid("rasa"), signal.SIGKILL)
    run.wait_until_up(f"{run.url}/", timeout=300)
    assert "rasa server restarted" in run.supervisor_log()
    after = run.tracker(sender)
    assert after["slots"] == before["slots"] and after["active_loop"] == before["active_loop"]
    run.say(sender, "no tingling or numbness")
    assert run.tracker(sender)["slots"]["nerve_symptoms"] == []
