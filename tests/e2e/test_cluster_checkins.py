"""Check-ins in the scale-out profile (issue 29): two Rasa replicas on PostgreSQL and Redis,
both running the check-in poller (scripts/cluster.sh, tests/support/cluster.py).

- through nginx, a yes gets exactly one check-in although both replicas poll the table;
- a socket held by replica 1, whose poller is off, gets the check-in that replica 2 claimed:
  the emit crosses replicas through python-socketio's Redis manager.
"""

from __future__ import annotations

import asyncio
import time
import uuid

import pytest
import requests

from tests.e2e.test_checkins import DELAY, QUESTION, Widget, count, to_the_check_in_offer
from tests.support.cluster import Cluster

pytestmark = [pytest.mark.e2e, pytest.mark.cluster, pytest.mark.slow]


@pytest.fixture(scope="module")
def cluster(trained_model):
    cluster = Cluster(
        replicas=2,
        settings={"CHECKIN_DELAY": str(DELAY), "CHECKIN_POLL": "1", "RATE_LIMIT_PER_SENDER": "600/60"},
    )
    try:
        cluster.up()
    except Exception:
        cluster.down()
        raise
    yield cluster
    cluster.down()


def polling(cluster: Cluster, replica: int) -> bool:
    res = requests.get(f"{cluster.replica_url(replica)}/webhooks/checkins/", timeout=10)
    assert res.status_code == 200, res.text
    return res.json()["polling"]


def states(cluster: Cluster, session: str):
    recipient = f"socketio:{session}"  # the conversation's store key (addons/channels/keys.py)
    return [row[0] for row in cluster.sql("SELECT state FROM checkins WHERE recipient = %s", recipient)]


async def test_two_replicas_polling_send_exactly_one_check_in(cluster):
    assert polling(cluster, 1) and polling(cluster, 2)
    widget = await Widget(cluster.url, uuid.uuid4().hex, origin=cluster.url).open()
    await to_the_check_in_offer(widget)
    await widget.say("yes")
    assert states(cluster, widget.session) == ["pending"]
    await widget.quiet(first=DELAY + 15)
    await asyncio.sleep(5)
    assert count(widget.texts(), QUESTION) == 1, widget.texts()
    assert states(cluster, widget.session) == ["sent"]
    await widget.close()


async def test_a_check_in_claimed_by_one_replica_reaches_a_socket_held_by_the_other(cluster):
    cluster.settings["CHECKINS"] = "off"  # replica 1 restarted without its poller
    try:
        cluster.stop("rasa-1")
        cluster.start("rasa-1")
    finally:
        del cluster.settings["CHECKINS"]
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{cluster.replica_url(1)}/", timeout=5).ok:
                break
        except requests.RequestException:
            pass
        time.sleep(1)
    assert not polling(cluster, 1) and polling(cluster, 2)
    widget = await Widget(cluster.replica_url(1), uuid.uuid4().hex, origin=cluster.url).open()
    await to_the_check_in_offer(widget)
    await widget.say("yes")
    await widget.quiet(first=DELAY + 15)
    await asyncio.sleep(3)
    assert count(widget.texts(), QUESTION) == 1, widget.texts()
    assert states(cluster, widget.session) == ["sent"]
    await widget.close()
