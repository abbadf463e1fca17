"""Runs scripts/cluster.sh (the real PostgreSQL, Redis, Rasa replicas and nginx) for tests.

Each ``Cluster`` gets its own directory and free loopback ports, so tests never touch a
``make cluster`` or ``make run`` already running on the machine.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

import requests

from tests.support.stack import ROOT, server_env

SCRIPT = ROOT / "scripts" / "cluster.sh"


def _port_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port_range(count: int, taken: Sequence[int] = ()) -> int:
    """The first of ``count`` consecutive free loopback ports (cluster.sh numbers replicas from a base)."""
    for _ in range(200):
        # Below the ephemeral range (32768+), where outgoing connections could take a port meanwhile.
        base = random.randint(20000, 32000)
        ports = range(base, base + count)
        if not set(ports) & set(taken) and all(_port_free(p) for p in ports):
            return base
    raise RuntimeError("no free port range")


@dataclass
class Cluster:
    replicas: int = 2
    sanic_workers: int = 1
    rate_limit: int = 10
    workdir: Optional[Path] = None
    settings: Dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.workdir is None:
            # PostgreSQL runs as the `postgres` user when tests run as root: the directory
            # must be reachable by it (pytest's tmp_path is private to root).
            self.workdir = Path(tempfile.mkdtemp(prefix="backpain-cluster-"))
            self.workdir.chmod(0o755)
        taken: List[int] = []
        for name, count in (
            ("CLUSTER_PORT", 1),
            ("CLUSTER_ACTIONS_PORT", 1),
            ("POSTGRES_PORT", 1),
            ("REDIS_PORT", 1),
            ("CLUSTER_RASA_PORT", self.replicas),
            ("CLUSTER_ACTION_PORT", 1),
        ):
            base = free_port_range(count, taken)
            taken.extend(range(base, base + count))
            self.settings[name] = str(base)
        self.settings.update(
            CLUSTER_DIR=str(self.workdir),
            REPLICAS=str(self.replicas),
            ACTION_SERVERS="1",
            SANIC_WORKERS=str(self.sanic_workers),
            CLUSTER_RATE_LIMIT=str(self.rate_limit),
        )

    # --- running the script -------------------------------------------------------------
    def run(self, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
        result = self.attempt(*args, timeout=timeout)
        if result.returncode != 0:
            raise RuntimeError(
                f"cluster.sh {' '.join(args)} failed ({result.returncode}):\n"
                f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}\n{self.logs_tail()}"
            )
        return result

    def attempt(self, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
        """cluster.sh with these arguments, whether it succeeds or not."""
        env = server_env(**self.settings)
        for name in ("RASA_API_TOKEN", "POSTGRES_PASSWORD", "REDIS_PASSWORD", "ACTION_ENDPOINT_URL"):
            env.pop(name, None)
        return subprocess.run([str(SCRIPT), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)

    def up(self) -> subprocess.CompletedProcess:
        return self.run("up")

    def down(self, remove: bool = True) -> None:
        try:
            self.run("down", timeout=180)
        finally:
            if remove:
                shutil.rmtree(self.workdir, ignore_errors=True)

    def start(self, part: str) -> None:
        self.run("start", part)

    def stop(self, part: str) -> None:
        self.run("stop", part)

    @property
    def state(self) -> Dict[str, str]:
        values = {}
        for line in (self.workdir / "cluster.env").read_text().splitlines():
            if "=" in line and not line.startswith("#"):
                key, value = line.split("=", 1)
                values[key] = value
        return values

    def logs_tail(self, lines: int = 15) -> str:
        out = []
        for log in sorted((self.workdir / "log").glob("*.log")) if self.workdir else []:
            text = log.read_text(errors="replace").splitlines()[-lines:]
            out.append(f"--- {log.name}\n" + "\n".join(text))
        return "\n".join(out)

    def errors_in_logs(self, limit: int = 40) -> str:
        """The Rasa and action server log lines that report an error (for failure messages)."""
        found = []
        for log in sorted((self.workdir / "log").glob("*.log")):
            if log.name.startswith(("rasa-", "actions-")):
                found += [
                    f"{log.name}: {line}"
                    for line in log.read_text(errors="replace").splitlines()
                    if "ERROR" in line or "Error" in line or "Traceback" in line
                ]
        return "\n".join(found[-limit:])

    # --- addresses ------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.settings['CLUSTER_PORT']}"

    def replica_url(self, number: int) -> str:
        return f"http://127.0.0.1:{int(self.settings['CLUSTER_RASA_PORT']) + number - 1}"

    def pid(self, part: str) -> int:
        return int((self.workdir / "run" / f"{part}.pid").read_text())

    def kill(self, part: str) -> None:
        """A crash, not a shutdown: SIGKILL to the whole process group."""
        pid = self.pid(part)
        os.killpg(pid, signal.SIGKILL)
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)

    # --- talking to it --------------------------------------------------------------------
    def say(self, sender: str, text: str, base_url: Optional[str] = None, **kwargs: Any) -> requests.Response:
        # With the API token (as a back office would): the tests name conversations readably,
        # and REST ids without the token must be unguessable (addons/channels/keys.py).
        headers = {"Authorization": f"Bearer {self.state['RASA_API_TOKEN']}", **kwargs.pop("headers", {})}
        return requests.post(
            f"{base_url or self.url}/webhooks/rest/webhook",
            json={"sender": sender, "message": text},
            headers=headers,
            timeout=kwargs.pop("timeout", 60),
            **kwargs,
        )

    def tracker(self, sender: str, replica: int = 1) -> Dict[str, Any]:
        """The conversation as one replica reads it from PostgreSQL, through the internal HTTP API."""
        res = requests.get(
            f"{self.replica_url(replica)}/conversations/{sender}/tracker",
            params={"token": self.state["RASA_API_TOKEN"]},
            timeout=30,
        )
        res.raise_for_status()
        return res.json()

    def _connect(self, database: str = "rasa") -> Any:
        import psycopg2

        state = self.state
        return psycopg2.connect(
            host="127.0.0.1",
            port=state["POSTGRES_PORT"],
            dbname=database,
            user="rasa",
            password=state["POSTGRES_PASSWORD"],
            connect_timeout=5,
        )

    def sql(self, query: str, *params: Any, database: str = "rasa") -> List[tuple]:
        """``database``: "rasa" (the tracker store) or "rasa_events" (the console's feed)."""
        connection = self._connect(database)
        try:
            with connection.cursor() as cursor:
                cursor.execute(query, params)
                return cursor.fetchall()
        finally:
            connection.close()

    def execute(self, statement: str, *params: Any) -> int:
        """Runs and commits one statement straight on PostgreSQL; returns the number of rows it changed."""
        connection = self._connect()
        try:
            with connection, connection.cursor() as cursor:
                cursor.execute(statement, params)
                return cursor.rowcount
        finally:
            connection.close()

    def user_messages(self, senders: Sequence[str]) -> Dict[str, List[str]]:
        """Every stored user message of these conversations, in order, straight from PostgreSQL."""
        rows = self.sql(
            "SELECT sender_id, data FROM events WHERE type_name = 'user' AND sender_id = ANY(%s) ORDER BY id",
            list(senders),
        )
        stored: Dict[str, List[str]] = {sender: [] for sender in senders}
        for sender, data in rows:
            stored[sender].append(self.decrypted(data).get("text"))
        return stored

    def decrypted(self, data: str) -> Dict[str, Any]:
        """A stored event's data, its text decrypted with the cluster's key (addons/encryption.py)."""
        from addons.encryption import decrypt_event, parse_keys

        return decrypt_event(json.loads(data), parse_keys(self.state.get("TRACKER_ENCRYPTION_KEYS")))
