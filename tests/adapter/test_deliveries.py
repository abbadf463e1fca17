"""addons/deliveries.py: two replicas given the same webhook delivery process it once, through a
real Redis server (started here on a free port); without Redis each process remembers its own."""

from __future__ import annotations

import os
import shutil
import subprocess
import time

import pytest
import redis

from addons.deliveries import SharedRecentIds, recent_ids
from bot.guard import RecentIds
from tests.support.stack import free_port


@pytest.fixture
def redis_server(tmp_path):
    binary = shutil.which("redis-server")
    if binary is None:
        # make test installs it first; a developer's quick loop may not have it.
        if os.environ.get("CI"):
            pytest.fail("redis-server is not installed: scripts/test.sh runs scripts/cluster.sh install first")
        pytest.skip("redis-server is not installed (scripts/cluster.sh install)")
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    client = redis.Redis(host="127.0.0.1", port=port)
    deadline = time.monotonic() + 20
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.1)
    yield port
    process.terminate()
    process.wait(timeout=10)


def test_a_delivery_is_processed_once_across_replicas(redis_server, monkeypatch):
    monkeypatch.setenv("REDIS_HOST", "127.0.0.1")
    monkeypatch.setenv("REDIS_PORT", str(redis_server))
    replica_1, replica_2 = recent_ids("telegram"), recent_ids("telegram")
    assert isinstance(replica_1, SharedRecentIds)
    assert not replica_1.seen_before(4711)
    assert replica_2.seen_before(4711) and replica_1.seen_before(4711)
    assert not recent_ids("slack").seen_before(4711)  # each channel its own ids
    assert not replica_2.seen_before(None) and not replica_2.seen_before(None)


def test_without_redis_each_process_remembers_its_own(monkeypatch):
    monkeypatch.delenv("REDIS_HOST", raising=False)
    ids = recent_ids("telegram")
    assert isinstance(ids, RecentIds)
    assert not ids.seen_before("m1") and ids.seen_before("m1")


def test_redis_unreachable_falls_back_to_this_process(monkeypatch):
    monkeypatch.setenv("REDIS_HOST", "127.0.0.1")
    monkeypatch.setenv("REDIS_PORT", str(free_port()))  # nothing listens there
    ids = recent_ids("facebook")
    assert not ids.seen_before("mid.1") and ids.seen_before("mid.1")
