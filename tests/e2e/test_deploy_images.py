"""The images, built as far as a machine without a Docker daemon can: each Dockerfile's own
steps, run in a fresh virtual environment.

For each of deploy/rasa.Dockerfile and deploy/actions.Dockerfile: the files its .dockerignore
allow-list lets through are copied into a directory standing for /app, its RUN lines run as
written (with /app pointing there and the venv's pip first on PATH), and its ENTRYPOINT + CMD
start the server with its ENV. The server must answer. So the lock file must install unchanged
and hold every runtime dependency, and the allow-list must hold every file the server needs.

The venv is kept under /tmp, keyed on requirements.txt's hash: only the first run installs
(several minutes); later runs run the same pip command, which finds everything installed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Dict, List, Tuple

import pytest
import requests

from tests.support.cluster import free_port_range
from tests.support.stack import ROOT

# The first run installs the whole lock file (3-4 minutes measured here).
pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.timeout(1800)]

DEPLOY = ROOT / "deploy"
APP = "/app"


def instructions(dockerfile: Path) -> List[Tuple[str, str]]:
    """(INSTRUCTION, arguments) in order, continuation lines joined, comments dropped."""
    steps: List[Tuple[str, str]] = []
    pending = ""
    for line in dockerfile.read_text().splitlines():
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        text = (pending + line).strip()
        pending = ""
        word, _, rest = text.partition(" ")
        steps.append((word.upper(), rest.strip()))
    return steps


def copy_context(dockerfile: Path, app: Path) -> None:
    """What `COPY . /app` copies: the paths the allow-list (<Dockerfile>.dockerignore) names."""
    lines = (DEPLOY / f"{dockerfile.name}.dockerignore").read_text().splitlines()
    patterns = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    assert patterns[0] == "*", "the .dockerignore is an allow-list: it starts by leaving everything out"
    for pattern in patterns[1:]:
        if not pattern.startswith("!"):
            continue
        source = ROOT / pattern[1:]
        assert source.exists(), f"{dockerfile.name} lets through {pattern[1:]}, which does not exist"
        target = app / pattern[1:]
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"), dirs_exist_ok=True)
        else:
            shutil.copy2(source, target)


def fresh_venv() -> Path:
    """A venv made with the base Python, no packages; kept per requirements.txt (see the module doc)."""
    key = hashlib.sha256((ROOT / "requirements.txt").read_bytes()).hexdigest()[:16]
    venv = Path(tempfile.gettempdir()) / f"backpain-image-venv-{key}"
    if not (venv / ".installed").exists():
        shutil.rmtree(venv, ignore_errors=True)
        python = Path(sys.base_prefix) / "bin" / f"python{sys.version_info.major}.{sys.version_info.minor}"
        subprocess.run([str(python), "-m", "venv", str(venv)], check=True)
    return venv


def build(dockerfile: Path, venv: Path, app: Path) -> Tuple[Dict[str, str], List[str]]:
    """Runs the Dockerfile's steps; returns its ENV and its start command (ENTRYPOINT + CMD)."""
    env: Dict[str, str] = {}
    entrypoint: List[str] = []
    cmd: List[str] = []
    shell_env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "VENV")}
    shell_env["PATH"] = f"{venv / 'bin'}:{os.environ['PATH']}"
    for word, rest in instructions(dockerfile):
        here = rest.replace(APP, str(app))
        if word == "COPY":
            *flags_and_source, destination = rest.split()
            source = flags_and_source[-1]
            if source == ".":
                copy_context(dockerfile, app)
            else:
                target = Path(destination.replace(APP, str(app)))
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(ROOT / source, target)
        elif word == "RUN":
            result = subprocess.run(["bash", "-c", here], env=shell_env, cwd=app, capture_output=True, text=True)
            assert (
                result.returncode == 0
            ), f"{dockerfile.name}: RUN {rest}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
            (venv / ".installed").touch()  # installed: later runs keep this venv
        elif word == "ENV":
            for item in shlex.split(here):
                key, _, value = item.partition("=")
                env[key] = value
        elif word == "ENTRYPOINT":
            entrypoint = [part.replace(APP, str(app)) for part in json.loads(rest)]
        elif word == "CMD":
            cmd = [part.replace(APP, str(app)) for part in json.loads(rest)]
        elif word == "WORKDIR":
            assert rest == APP
        else:
            assert word in ("FROM", "USER"), f"{dockerfile.name}: {word} is not simulated by this test"
    return env, entrypoint + cmd


def start(command: List[str], env: Dict[str, str], app: Path, log: Path) -> subprocess.Popen:
    environment = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "VENV")}
    environment.update(env, TF_CPP_MIN_LOG_LEVEL="3")
    return subprocess.Popen(
        command, cwd=app, env=environment, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True
    )


def wait_answering(url: str, process: subprocess.Popen, log: Path, seconds: float = 300) -> requests.Response:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the server stopped ({process.returncode}):\n{log.read_text()[-4000:]}"
        try:
            return requests.get(url, timeout=5)
        except requests.ConnectionError:
            time.sleep(1)
    raise AssertionError(f"{url} did not answer in {seconds} s:\n{log.read_text()[-4000:]}")


def stop(process: subprocess.Popen) -> None:
    """Ends the server's process group (the server and anything it started)."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
            process.wait(30)
            return
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            continue


@pytest.fixture(scope="module")
def venv() -> Path:
    return fresh_venv()


def test_action_server_image_installs_the_lock_file_and_starts_through_the_launcher(venv, tmp_path):
    dockerfile = DEPLOY / "actions.Dockerfile"
    app = tmp_path / "app"
    app.mkdir()
    env, command = build(dockerfile, venv, app)
    assert command[:2] == [str(app / "scripts" / "server.sh"), "actions"]
    port = free_port_range(1)
    env.update(ACTION_PORT=str(port), ACTION_HOST="127.0.0.1")
    log = tmp_path / "actions.log"
    process = start(command, env, app, log)
    try:
        assert wait_answering(f"http://127.0.0.1:{port}/health", process, log).json()["status"] == "ok"
        names = {action["name"] for action in requests.get(f"http://127.0.0.1:{port}/actions", timeout=10).json()}
        assert "validate_symptom_form" in names, sorted(names)
    finally:
        stop(process)


def test_rasa_image_installs_the_lock_file_and_starts_through_the_launcher(venv, tmp_path):
    dockerfile = DEPLOY / "rasa.Dockerfile"
    app = tmp_path / "app"
    app.mkdir()
    env, command = build(dockerfile, venv, app)
    assert command[:2] == [str(app / "scripts" / "server.sh"), "rasa"]
    assert "--auth-token" not in command
    # The image's stores are endpoints/cluster.yml (PostgreSQL, Redis, given by compose or Helm);
    # here the default stores, with the image's own action endpoint setting.
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text("action_endpoint:\n  url: ${ACTION_ENDPOINT_URL}\n")
    port = free_port_range(1)
    token = "image-test-" + hashlib.sha256(str(tmp_path).encode()).hexdigest()[:12]
    env.update(
        RASA_PORT=str(port),
        RASA_HOST="127.0.0.1",
        ENDPOINTS=str(endpoints),
        RASA_API_TOKEN=token,
        ACTION_ENDPOINT_URL="http://127.0.0.1:9/webhook",
    )
    log = tmp_path / "rasa.log"
    process = start(command, env, app, log)
    try:
        wait_answering(f"http://127.0.0.1:{port}/", process, log)
        status = requests.get(f"http://127.0.0.1:{port}/status", params={"token": token}, timeout=30)
        assert status.status_code == 200 and status.json()["model_file"].endswith("backpain.tar.gz")
        assert requests.get(f"http://127.0.0.1:{port}/status", timeout=30).status_code == 401
        # The token stays out of the process list.
        cmdlines = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
        assert token not in cmdlines
        # Redaction (presidio) loads at start-up: a reply proves the whole Rasa side is installed.
        answer = requests.post(
            f"http://127.0.0.1:{port}/webhooks/rest/webhook",
            json={
                "sender": uuid.uuid4().hex,
                "message": "I can't control my bladder and my bum is numb",
            },
            timeout=120,
        )
        assert answer.status_code == 200 and answer.json(), answer.text
    finally:
        stop(process)
