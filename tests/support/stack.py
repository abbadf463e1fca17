"""Starts the real servers (action server, Rasa, demo page) for tests, on free ports."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Optional

import urllib.request

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
MODEL = ROOT / "models" / "backpain.tar.gz"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def base_env(**extra: str) -> dict:
    env = dict(os.environ)
    env.update(
        PYTHONPATH=str(ROOT),
        TF_CPP_MIN_LOG_LEVEL="3",
        RASA_TELEMETRY_ENABLED="false",
        SQLALCHEMY_SILENCE_UBER_WARNING="1",
    )
    env.update(extra)
    return env


def wait_for(url: str, process: subprocess.Popen, log: Path, timeout: float = 240) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited ({process.returncode}); log:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except Exception:
            time.sleep(0.5)
    raise RuntimeError(f"timed out waiting for {url}; log:\n{log.read_text()[-4000:]}")


@dataclass
class Stack:
    workdir: Path
    rasa_port: int = 0
    action_port: int = 0
    web_port: int = 0
    token: str = "test-token-please-change"
    credentials: Optional[Path] = None
    extra_env: dict = field(default_factory=dict)
    processes: List[subprocess.Popen] = field(default_factory=list)

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
        log = self.workdir / f"{name}.log"
        process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
        self.processes.append(process)
        return process

    def start_actions(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.action_port = self.action_port or free_port()
        env = base_env(**self.extra_env)
        process = self._spawn("actions", [str(VENV_BIN / "rasa"), "run", "actions", "--actions", "actions",
                                          "--port", str(self.action_port)], env)
        wait_for(f"http://localhost:{self.action_port}/health", process, self.workdir / "actions.log")

    def start(self, with_web: bool = True) -> "Stack":
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.start_actions()
        self.rasa_port = self.rasa_port or free_port()
        self.web_port = self.web_port or free_port()
        origins = [f"http://localhost:{self.web_port}", f"http://127.0.0.1:{self.web_port}"]
        env = base_env(
            ACTION_ENDPOINT_URL=self.action_url,
            TRACKER_DB=str(self.workdir / "tracker.db"),
            # The allowed browser origins, for --cors below and for the socket.io channel's
            # own Origin check (bot/channels/socketio.py reads CORS_ORIGINS, like serve.sh).
            CORS_ORIGINS=" ".join(origins),
            **self.extra_env,
        )
        process = self._spawn("rasa", [
            str(VENV_BIN / "rasa"), "run", "--model", str(MODEL), "--port", str(self.rasa_port),
            "--enable-api", "--auth-token", self.token, "--cors", *origins,
            "--credentials", str(self.credentials or ROOT / "credentials.yml"),
            "--endpoints", str(ROOT / "endpoints.yml"),
        ], env)
        wait_for(f"{self.rasa_url}/", process, self.workdir / "rasa.log")
        if with_web:
            web = self._spawn("web", [sys.executable, "-m", "http.server", str(self.web_port),
                                      "--bind", "127.0.0.1", "--directory", str(ROOT / "web")], env)
            wait_for(f"{self.web_url}/", web, self.workdir / "web.log")
        return self

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        self.processes.clear()
