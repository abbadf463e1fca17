"""Defaults that keep a slow turn from losing the next message (scripts/env.sh)."""

import os
import subprocess
from pathlib import Path

from rasa.core.constants import DEFAULT_REQUEST_TIMEOUT

ROOT = Path(__file__).resolve().parents[2]
# A turn calls the action server for the slot-mapping screen, the form's validation and
# one custom action at most: each call may take the action timeout.
CALLS_PER_TURN = 3


def env_value(name: str) -> str:
    env = {k: v for k, v in os.environ.items() if k != name}
    script = f'source "{ROOT}/scripts/env.sh" && printf %s "${name}"'
    return subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True, check=True).stdout


def test_lock_ticket_outlives_the_slowest_turn():
    timeout = float(os.environ.get("ACTION_TIMEOUT") or DEFAULT_REQUEST_TIMEOUT)
    assert int(env_value("TICKET_LOCK_LIFETIME")) >= CALLS_PER_TURN * timeout


def test_servers_listen_on_loopback_by_default():
    assert env_value("RASA_HOST") == "127.0.0.1"
    assert env_value("ACTION_HOST") == "127.0.0.1"
    assert env_value("RETENTION_DAYS") == "30"
