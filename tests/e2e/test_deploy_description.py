"""deploy/cluster.yml describes the cluster once: scripts/cluster.sh reads it (through
scripts/cluster_spec.py), and docker compose, the Helm values and the images are checked
against it here. No cluster is started: these run in seconds.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List

import pytest
import yaml

from tests.conftest import SUMMARY_LINES
from tests.support.stack import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import cluster_spec  # noqa: E402

pytestmark = [pytest.mark.e2e]

DEPLOY = ROOT / "deploy"
SPEC = cluster_spec.load()
LAUNCHER = ["/app/scripts/server.sh"]


def dockerfile_env(name: str) -> Dict[str, str]:
    text = re.sub(r"\\\n", " ", (DEPLOY / name).read_text())
    env: Dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith("ENV "):
            env.update(item.split("=", 1) for item in line[4:].split())
    return env


def dockerfile_start(name: str) -> List[str]:
    import json

    text = (DEPLOY / name).read_text()
    entrypoint = json.loads(re.search(r"^ENTRYPOINT (.*)$", text, re.M).group(1))
    cmd = json.loads(re.search(r"^CMD (.*)$", text, re.M).group(1))
    return entrypoint + cmd


# --- the description itself and scripts/cluster.sh ---------------------------------------------


def test_the_description_refuses_a_port_for_an_unknown_service(tmp_path):
    broken = yaml.safe_load(cluster_spec.SPEC.read_text())
    broken["local_ports"]["CLUSTER_PORT"]["service"] = "nginx-typo"
    (tmp_path / "cluster.yml").write_text(yaml.safe_dump(broken))
    with pytest.raises(ValueError, match="nginx-typo"):
        cluster_spec.load(tmp_path / "cluster.yml")


def test_cluster_sh_takes_its_services_and_ports_from_the_description(tmp_path):
    script = (ROOT / "scripts" / "cluster.sh").read_text()
    for setting, port in SPEC["local_ports"].items():
        assert not re.search(
            rf"\b{port['port']}\b", script.split("set -euo pipefail", 1)[1]
        ), f"{setting}'s default {port['port']} is written in cluster.sh instead of read from deploy/cluster.yml"
    env = {
        k: v for k, v in os.environ.items() if k not in SPEC["local_ports"] and k not in ("REPLICAS", "RASA_API_TOKEN")
    }
    env.update(CLUSTER_DIR=str(tmp_path / "cluster"), VENV=str(Path(sys.executable).parent.parent))
    out = subprocess.run(
        [str(ROOT / "scripts" / "cluster.sh"), "status"], env=env, capture_output=True, text=True, check=True
    ).stdout
    ports = {setting: port["port"] for setting, port in SPEC["local_ports"].items()}
    assert f"127.0.0.1:{ports['CLUSTER_PORT']} (public)" in out
    assert f"127.0.0.1:{ports['CLUSTER_ACTIONS_PORT']} (actions, internal)" in out
    for replica in range(1, SPEC["replicas"] + 1):
        assert f"rasa-{replica}" in out and f"http://127.0.0.1:{ports['CLUSTER_RASA_PORT'] + replica - 1}" in out
    assert f"rasa-{SPEC['replicas'] + 1}" not in out
    assert f"http://127.0.0.1:{ports['CLUSTER_ACTION_PORT']}" in out
    assert f"127.0.0.1:{ports['POSTGRES_PORT']} db rasa" in out and f"127.0.0.1:{ports['REDIS_PORT']}" in out
    assert "running" not in out  # nothing was started


# --- the images ----------------------------------------------------------------------------------


@pytest.mark.parametrize("service", ["rasa", "actions"])
def test_images_start_through_the_launcher_on_the_described_port(service):
    name = f"{service}.Dockerfile"
    text = (DEPLOY / name).read_text()
    assert dockerfile_start(name) == LAUNCHER + [service]
    port_setting = {"rasa": "RASA_PORT", "actions": "ACTION_PORT"}[service]
    assert dockerfile_env(name)[port_setting] == str(SPEC["services"][service]["port"])
    # The lock file, unchanged, with its hashes: no line picked out of it.
    runs = re.findall(r"^RUN (.*)$", text, re.M)
    assert runs and runs[0].startswith("pip install --no-cache-dir --require-hashes -r /app/requirements.txt")
    assert "grep" not in text and "--auth-token" not in text
    allowed = (DEPLOY / f"{name}.dockerignore").read_text().split()
    for needed in ("!scripts/server.sh", "!scripts/env.sh", "!requirements.txt"):
        assert needed in allowed, (name, needed)
    for copied in re.findall(r"^COPY (?:--\S+ )*(\S+) ", text, flags=re.M):
        assert copied == "." or f"!{copied}" in allowed, (name, copied)


def test_the_rasa_image_uses_the_described_stores():
    assert dockerfile_env("rasa.Dockerfile")["ENDPOINTS"] == f"/app/{SPEC['endpoints']}"
    stores = yaml.safe_load((ROOT / SPEC["endpoints"]).read_text())
    assert stores["tracker_store"]["type"] == SPEC["tracker_store"]


# --- docker compose ------------------------------------------------------------------------------


def compose_cli() -> List[str]:
    """`docker compose` (the plugin) or Debian's `docker-compose`, whichever works here."""
    for command in (["docker", "compose"], ["docker-compose"]):
        if shutil.which(command[0]) and subprocess.run([*command, "version"], capture_output=True).returncode == 0:
            return command
    return []


@pytest.fixture(scope="module")
def compose() -> Dict[str, Any]:
    path = DEPLOY / "docker-compose.yml"
    command = compose_cli()
    if command:
        # `config` validates the file against the Compose schema and resolves it; no engine needed.
        env = dict(os.environ, POSTGRES_PASSWORD="pw", REDIS_PASSWORD="pw", RASA_API_TOKEN="token")
        result = subprocess.run([*command, "-f", str(path), "config"], env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        SUMMARY_LINES.append(f"deploy/docker-compose.yml: valid for `{' '.join(command)} config`")
        return yaml.safe_load(result.stdout)
    SUMMARY_LINES.append("deploy/docker-compose.yml: structure checked only (no docker compose here)")
    return yaml.safe_load(path.read_text())


def environment(service: Dict[str, Any]) -> Dict[str, str]:
    env = service.get("environment", {})
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {key: str(value) for key, value in env.items()}


def test_compose_runs_the_described_services(compose):
    services = compose["services"]
    assert set(services) == set(SPEC["services"])
    public = [name for name, service in SPEC["services"].items() if service.get("public")]
    assert [name for name, service in services.items() if service.get("ports")] == public
    for name in ("rasa", "actions"):
        service = services[name]
        assert f"deploy/{name}.Dockerfile" == service["build"]["dockerfile"]
        # The image's own start command: no `rasa run --auth-token ...` in its place.
        assert "command" not in service and "entrypoint" not in service, name
    rasa = environment(services["rasa"])
    for key, value in SPEC["services"]["rasa"].get("env", {}).items():
        assert rasa.get(key) == str(value), key
    assert rasa["RASA_PORT"] == str(SPEC["services"]["rasa"]["port"]) and rasa["RASA_API_TOKEN"]
    needed = set(re.findall(r"\$\{(\w+)\}", (ROOT / SPEC["endpoints"]).read_text()))
    assert needed <= set(rasa), needed - set(rasa)
    actions_port = SPEC["services"]["actions"]["port"]
    assert rasa["ACTION_ENDPOINT_URL"] == f"http://actions:{actions_port}/webhook"
    assert environment(services["actions"])["ACTION_PORT"] == str(actions_port)
    assert rasa["POSTGRES_PORT"] == str(SPEC["services"]["postgres"]["port"])
    assert rasa["REDIS_PORT"] == str(SPEC["services"]["redis"]["port"])
    nginx = services["nginx"]
    published = nginx["ports"][0]
    target = published["target"] if isinstance(published, dict) else int(str(published).rsplit(":", 1)[1])
    assert int(target) == SPEC["services"]["nginx"]["port"]
    for volume in nginx["volumes"]:
        source = volume["source"] if isinstance(volume, dict) else volume.split(":")[0]
        assert (DEPLOY / source).resolve().exists(), source
    conf = (DEPLOY / "nginx" / "compose.conf").read_text()
    assert "hash $remote_addr consistent" in conf and "include /etc/nginx/backpain-locations.conf" in conf
    assert f"server rasa:{SPEC['services']['rasa']['port']} " in conf
    assert re.search(rf"listen {SPEC['services']['nginx']['port']}\b", conf)


# --- Helm ----------------------------------------------------------------------------------------


def chart_keys() -> Dict[str, str]:
    lines = (ROOT / "tests" / "support" / "rasa_helm_chart_keys.txt").read_text().splitlines()
    return dict(line.split() for line in lines if line and not line.startswith("#"))


# The chart writes every key of these two into the endpoints file (a `range` in its template).
CHART_PASSES_THROUGH = {"applicationSettings.endpoints.trackerStore", "applicationSettings.endpoints.lockStore"}


def unknown_chart_keys(node: Dict[str, Any], keys: Dict[str, str], prefix: str = "") -> List[str]:
    problems = []
    for key, value in node.items():
        path = prefix + key
        kind = keys.get(path)
        if kind is None:
            if prefix.rstrip(".") not in CHART_PASSES_THROUGH or isinstance(value, (dict, list)):
                problems.append(f"{path}: not a key of the chart")
        elif kind == "map":
            if not isinstance(value, dict):
                problems.append(f"{path}: the chart expects a map")
            else:
                problems.extend(unknown_chart_keys(value, keys, path + "."))
        elif kind == "scalar" and isinstance(value, (dict, list)):
            problems.append(f"{path}: the chart expects a single value")
        elif kind == "list" and not isinstance(value, list):
            problems.append(f"{path}: the chart expects a list")
        # ingress.extraPaths defaults to {} but the chart's template writes it out as a list of paths.
        elif kind == "open-map" and not isinstance(value, dict) and path != "ingress.extraPaths":
            problems.append(f"{path}: the chart expects a map")
    return problems


@pytest.fixture(scope="module")
def helm() -> Dict[str, Any]:
    return yaml.safe_load((DEPLOY / "helm" / "values.yaml").read_text())


def test_helm_values_fit_rasas_chart(helm):
    """helm cannot be installed from the registries reachable here, nor the chart fetched: the
    values are checked against the chart's own keys (tests/support/rasa_helm_chart_keys.txt)."""
    assert unknown_chart_keys(helm, chart_keys()) == []
    settings = helm["applicationSettings"]
    assert settings["endpoints"]["trackerStore"]["enabled"] and settings["endpoints"]["lockStore"]["enabled"]
    assert settings["endpoints"]["trackerStore"]["dialect"] == "postgresql"
    assert helm["postgresql"]["install"] and helm["redis"]["install"] and helm["rasa-action-server"]["install"]
    # The HTTP API stays inside: no proxy sidecar that forwards everything, and the ingress
    # routes the two public prefixes only.
    assert helm["nginx"]["enabled"] is False
    ingress = helm["ingress"]
    assert [ingress["path"]] + [p["path"] for p in ingress["extraPaths"]] == ["/webhooks/", "/socket.io/"]
    assert ingress["annotations"]["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    # Channels named as in credentials.yml, so a renamed connector cannot be forgotten here.
    channels = yaml.safe_load((ROOT / "credentials.yml").read_text())
    assert set(settings["credentials"]["additionalChannelCredentials"]) <= set(channels)


def test_helm_follows_the_description(helm):
    settings = helm["applicationSettings"]
    assert helm["replicaCount"] == SPEC["replicas"]
    assert settings["port"] == helm["service"]["port"] == SPEC["services"]["rasa"]["port"]
    stores = yaml.safe_load((ROOT / SPEC["endpoints"]).read_text())
    tracker, lock = settings["endpoints"]["trackerStore"], settings["endpoints"]["lockStore"]
    assert tracker["type"] == stores["tracker_store"]["type"] == SPEC["tracker_store"]
    assert tracker["dialect"] == stores["tracker_store"]["dialect"]
    assert lock["type"] == stores["lock_store"]["type"] and lock["key_prefix"] == stores["lock_store"]["key_prefix"]
    # The image's launcher, with the chart's token, endpoints and credentials.
    assert helm["command"] + helm["args"] == LAUNCHER + ["rasa"]
    env = {item["name"]: str(item["value"]) for item in helm["extraEnv"]}
    assert env["RASA_API_TOKEN"] == "$(RASA_TOKEN)"  # the chart's Secret, set just before extraEnv
    assert env["ENDPOINTS"] == "/app/endpoints.yml" and env["CREDENTIALS"] == "/app/credentials.yml"
    assert env["RASA_PORT"] == str(SPEC["services"]["rasa"]["port"])
    # The chart sets RASA_TELEMETRY_ENABLED itself, from applicationSettings.telemetry.
    chart_sets = {"RASA_TELEMETRY_ENABLED": str(settings["telemetry"]["enabled"]).lower()}
    for key, value in SPEC["services"]["rasa"].get("env", {}).items():
        assert env.get(key, chart_sets.get(key)) == str(value), key
    actions = helm["rasa-action-server"]
    assert actions["command"] + actions["args"] == LAUNCHER + ["actions"]
    assert actions["applicationSettings"]["port"] == SPEC["services"]["actions"]["port"]
    assert {item["name"]: str(item["value"]) for item in actions["extraEnv"]}["ACTION_PORT"] == str(
        SPEC["services"]["actions"]["port"]
    )
