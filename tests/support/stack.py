"""Starts the real servers (action server, Rasa, demo page) for tests, on free ports.

Each server is launched by scripts/server.sh, exactly as `make run` launches it; only the
ports, the tracker database and the files a test chooses differ.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, List, Optional

ROOT = Path(__file__).resolve().parents[2]
SERVER = ROOT / "scripts" / "server.sh"
MODEL = ROOT / "models" / "backpain.tar.gz"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(**settings: str) -> dict:
    """The environment for scripts/server.sh: this Python's venv, plus a test's settings."""
    env = dict(os.environ)
    env.update(VENV=str(Path(sys.executable).parent.parent), TF_CPP_MIN_LOG_LEVEL="3")
    env.update(settings)
    # Never the fixed ports or the shared var/ of `make run`: the metrics endpoints and the
    # console get free ports, the console's feed sits next to the test's tracker database.
    for name in ("METRICS_PORT", "ACTION_METRICS_PORT", "CONSOLE_PORT"):
        if name not in settings:
            env[name] = str(free_port())
    if "TRACKER_DB" in settings:
        folder = Path(settings["TRACKER_DB"]).parent
        for name, file in (("EVENTS_DB", "events.db"), ("CONSOLE_DB", "console.db")):
            if name not in settings:
                env[name] = str(folder / file)
    return env


def wait_until(condition: Callable[[], Any], seconds: float, every: float = 0.5) -> bool:
    """Whether ``condition()`` became true within ``seconds`` (asked every ``every`` s)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(every)
    return True


def wait_for(url: str, process: subprocess.Popen, log: Path, timeout: float = 240, answers: int = 200) -> None:
    """Waits until ``url`` answers (``answers``: the status that means up)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited ({process.returncode}); log:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError as error:
            if error.code == answers:
                return
            time.sleep(0.5)
        except Exception:
            time.sleep(0.5)
    raise RuntimeError(f"timed out waiting for {url}; log:\n{log.read_text()[-4000:]}")


@dataclass
class Stack:
    workdir: Path
    rasa_port: int = 0
    action_port: int = 0
    web_port: int = 0
    metrics_port: int = 0  # the Rasa process's Prometheus endpoint
    action_metrics_port: int = 0  # the action server's
    console_port: int = 0
    token: str = "test-token-please-change"
    credentials: Optional[Path] = None
    extra_env: dict = field(default_factory=dict)
    processes: List[subprocess.Popen] = field(default_factory=list)
    _rasa_env: dict = field(default_factory=dict)

    @property
    def rasa_url(self) -> str:
        return f"http://localhost:{self.rasa_port}"

    @property
    def web_url(self) -> str:
        return f"http://localhost:{self.web_port}"

    @property
    def action_url(self) -> str:
        return f"http://localhost:{self.action_port}/webhook"

    def _spawn(self, name: str, args: List[str], env: dict) -> subprocess.Popen:
        """``args``: scripts/server.sh and its arguments (subclasses may append more)."""
        log = self.workdir / f"{name}.log"
        process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
        self.processes.append(process)
        return process

    def start_actions(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.action_port = self.action_port or free_port()
        self.action_metrics_port = self.action_metrics_port or free_port()
        env = server_env(
            ACTION_PORT=str(self.action_port), ACTION_METRICS_PORT=str(self.action_metrics_port), **self.extra_env
        )
        process = self._spawn("actions", [str(SERVER), "actions"], env)
        wait_for(f"http://localhost:{self.action_port}/health", process, self.workdir / "actions.log")

    def start(self, with_web: bool = True) -> "Stack":
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.start_actions()
        self.rasa_port = self.rasa_port or free_port()
        self.web_port = self.web_port or free_port()
        self.metrics_port = self.metrics_port or free_port()
        self.console_port = self.console_port or free_port()
        origins = [f"http://localhost:{self.web_port}", f"http://127.0.0.1:{self.web_port}"]
        env = server_env(
            ACTION_ENDPOINT_URL=self.action_url,
            RASA_PORT=str(self.rasa_port),
            WEB_PORT=str(self.web_port),
            RASA_API_TOKEN=self.token,
            TRACKER_DB=str(self.workdir / "tracker.db"),
            EVENTS_DB=str(self.workdir / "events.db"),
            CONSOLE_DB=str(self.workdir / "console.db"),
            METRICS_PORT=str(self.metrics_port),
            ACTION_METRICS_PORT=str(self.action_metrics_port),
            CONSOLE_PORT=str(self.console_port),
            # The allowed browser origins, for --cors and for the socket.io channel's
            # own Origin check (addons/channels/socketio.py reads CORS_ORIGINS).
            CORS_ORIGINS=" ".join(origins),
            CREDENTIALS=str(self.credentials or ROOT / "credentials.yml"),
            MODEL_DIR=str(MODEL.parent),
            **self.extra_env,
        )
        self._rasa_env = env
        process = self._spawn("rasa", [str(SERVER), "rasa"], env)
        wait_for(f"{self.rasa_url}/", process, self.workdir / "rasa.log")
        if with_web:
            web = self._spawn("web", [str(SERVER), "web"], env)
            wait_for(f"{self.web_url}/", web, self.workdir / "web.log")
        return self

    @property
    def console_url(self) -> str:
        return f"http://127.0.0.1:{self.console_port}"

    def start_console(self) -> None:
        """The clinic console (console/), reading this stack's feed; after start()."""
        env = server_env(
            CONSOLE_PORT=str(self.console_port),
            EVENTS_DB=str(self.workdir / "events.db"),
            CONSOLE_DB=str(self.workdir / "console.db"),
            **self.extra_env,
        )
        process = self._spawn("console", [str(SERVER), "console"], env)
        # Nothing answers without a login: a 401 means it is up.
        wait_for(f"{self.console_url}/console/api/stats", process, self.workdir / "console.log", answers=401)

    def restart_rasa(self) -> None:
        """Stops the Rasa server (started second) and starts it again on the same port and database."""
        old = self.processes[1]
        old.terminate()
        try:
            old.wait(timeout=30)
        except subprocess.TimeoutExpired:
            old.kill()
        process = self._spawn("rasa-restarted", [str(SERVER), "rasa"], self._rasa_env)
        self.processes[1] = self.processes.pop()
        wait_for(f"{self.rasa_url}/", process, self.workdir / "rasa-restarted.log")

    def stop_actions(self) -> None:
        """Stops the action server alone (the first server started), as if it had crashed."""
        process = self.processes[0]
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        self.processes.clear()
