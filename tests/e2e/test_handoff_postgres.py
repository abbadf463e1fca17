"""The hand-off's outbox on PostgreSQL (the cluster's database): several replicas sharing one
outbox deliver each consent once, and a second add of a consent is a no-op. A throwaway
PostgreSQL server (Debian's binaries, as scripts/cluster.sh uses) on a free port."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from bot.handoff.outbox import DELIVERED, PENDING, Config, Outbox
from tests.support.stack import free_port
from tests.unit.test_handoff_outbox import Clock, Receiver, a_bundle

pytestmark = pytest.mark.e2e

PG_BIN = sorted(glob.glob("/usr/lib/postgresql/*/bin"))


def as_pg(*args: str) -> list:
    return ["runuser", "-u", "postgres", "--", *args] if os.getuid() == 0 else list(args)


@pytest.fixture(scope="module")
def postgres():
    if not PG_BIN:
        pytest.fail("PostgreSQL is not installed (apt-get install postgresql)")
    bin_dir = Path(PG_BIN[-1])
    home = Path(tempfile.mkdtemp(prefix="handoff-pg-"))
    data = home / "data"
    if os.getuid() == 0:
        subprocess.run(["id", "postgres"], check=True, capture_output=True)
        shutil.chown(home, "postgres")
    home.chmod(0o700)
    subprocess.run(
        as_pg(str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale"),
        check=True,
        capture_output=True,
    )
    port = free_port()
    subprocess.run(
        as_pg(
            str(bin_dir / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(home / "log"),
            "-o",
            f"-p {port} -k {home}",
            "-w",
            "start",
        ),
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(as_pg(str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"), capture_output=True)
        shutil.rmtree(home, ignore_errors=True)


def test_replicas_on_postgresql_deliver_each_consent_once(postgres):
    receiver = Receiver()
    try:
        key = Fernet.generate_key().decode()
        clock = Clock()
        boxes = [
            Outbox(Config(receiver.url, "Riverside Physio", "", postgres, key, 2.0), clock=clock) for _ in range(4)
        ]
        assert boxes[0].add("c-1", a_bundle()) is True
        assert boxes[1].add("c-1", a_bundle()) is False
        receiver.delay = 0.3
        threads = [threading.Thread(target=box.run_due) for box in boxes]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(receiver.received) == 1 and boxes[2].status("c-1") == DELIVERED
        assert boxes[3].rows()[0]["payload"] is None

        receiver.status = 503
        boxes[0].add("c-2", a_bundle("c-2"))
        assert boxes[1].deliver("c-2") == PENDING
        receiver.status = 201
        clock.now += 14  # times keep their seconds (double precision): not due yet
        assert sum(box.run_due() for box in boxes) == 0
        clock.now += 2
        assert sum(box.run_due() for box in boxes) == 1 and boxes[0].status("c-2") == DELIVERED
    finally:
        receiver.close()
