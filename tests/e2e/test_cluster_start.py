"""How `make cluster` (scripts/cluster.sh up) starts: it refuses when another program holds
one of its ports, never calls a part running when another program answers on its port, and
works as root after `make run` left var/ private (0700)."""

from __future__ import annotations

import os
import shutil
import socket
import stat
import subprocess
import sys
import uuid

import pytest

from tests.support.cluster import Cluster
from tests.support.stack import ROOT, wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.cluster]


def _free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def test_a_taken_port_stops_up_with_a_message_before_anything_starts(trained_model):
    cluster = Cluster(replicas=2)
    port = int(cluster.settings["CLUSTER_RASA_PORT"]) + 1  # the second replica's
    with socket.socket() as other_program:
        other_program.bind(("127.0.0.1", port))
        other_program.listen()
        result = cluster.attempt("up", timeout=120)
    try:
        assert result.returncode != 0
        assert (
            f"port {port} (rasa-2, CLUSTER_RASA_PORT) is taken by another program (pid {os.getpid()}" in result.stderr
        )
        assert "nothing started" in result.stderr
        # Nothing was started: no state, no database, no process.
        assert not (cluster.workdir / "postgres").exists() and not list(cluster.workdir.glob("run/*.pid"))
    finally:
        shutil.rmtree(cluster.workdir, ignore_errors=True)


def test_another_program_answering_on_a_parts_port_is_not_reported_running(tmp_path):
    cluster = Cluster(replicas=1)
    port = int(cluster.settings["CLUSTER_RASA_PORT"])
    # A process recorded as rasa-1, which is not what answers on rasa-1's port ...
    recorded = subprocess.Popen(["sleep", "300"])
    other = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(tmp_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        (cluster.workdir / "run").mkdir(parents=True)
        (cluster.workdir / "log").mkdir()
        (cluster.workdir / "run" / "rasa-1.pid").write_text(str(recorded.pid))
        assert wait_until(lambda: not _free(port), 30), "the other program did not start"
        # ... so starting it does not end in "running", though the port answers HTTP.
        result = cluster.attempt("start", "rasa-1", timeout=120)
        assert result.returncode != 0
        assert f"port {port} is held by another program (pid {other.pid}" in result.stderr, result.stderr
        status = cluster.attempt("status").stdout
        line = next(line for line in status.splitlines() if line.strip().startswith("rasa-1 "))
        assert "running" not in line and f"CONFLICT(another program holds {port})" in line
    finally:
        recorded.kill()
        other.kill()
        shutil.rmtree(cluster.workdir, ignore_errors=True)


@pytest.mark.slow
@pytest.mark.skipif(os.geteuid() != 0, reason="the as-root case: run the tests as root to check it")
def test_as_root_after_make_run_the_cluster_starts(trained_model):
    var = ROOT / "var"
    var.mkdir(exist_ok=True)
    mode = stat.S_IMODE(var.stat().st_mode)
    var.chmod(0o700)  # what `make run` leaves (scripts/serve.sh creates it under umask 077)
    cluster = Cluster(replicas=1, workdir=var / f"test-cluster-{uuid.uuid4().hex[:8]}")
    try:
        result = cluster.up()
        assert "enterable (o+x) for PostgreSQL" in result.stdout
        # Only entering var/ was allowed to others, not listing it.
        assert stat.S_IMODE(var.stat().st_mode) == 0o701
        res = cluster.say(f"root-{uuid.uuid4().hex[:8]}", "hi")
        assert res.status_code == 200 and res.json(), res.text
        status = cluster.attempt("status").stdout
        for part in ("nginx", "rasa-1", "actions-1", "postgres", "redis"):
            line = next(line for line in status.splitlines() if line.strip().startswith(part + " "))
            assert " running " in line, line
    finally:
        cluster.down()
        var.chmod(mode)
