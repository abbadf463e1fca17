"""Reads deploy/cluster.yml, the one description of the scale-out profile.

    python scripts/cluster_spec.py shell   # bash assignments for scripts/cluster.sh (eval'd)

The tests import ``load`` to check docker compose and the Helm values against the same file.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import Any, Dict, List

import yaml

SPEC = Path(__file__).resolve().parent.parent / "deploy" / "cluster.yml"


def load(path: Path = SPEC) -> Dict[str, Any]:
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    services = spec["services"]
    for setting, port in spec["local_ports"].items():
        if port["service"] not in services:
            raise ValueError(f"{path}: {setting} names an unknown service {port['service']!r}")
    return spec


def shell(spec: Dict[str, Any]) -> str:
    """Defaults (the environment wins), the port settings and what each serves, the Rasa env."""
    q = shlex.quote
    lines: List[str] = [f'REPLICAS="${{REPLICAS:-{int(spec["replicas"])}}}"']
    for setting, port in spec["local_ports"].items():
        lines.append(f'{setting}="${{{setting}:-{int(port["port"])}}}"')
    lines.append(f"PORT_SETTINGS={q(' '.join(spec['local_ports']))}")
    for setting, port in spec["local_ports"].items():
        lines.append(f"PORT_SERVICE_{setting}={q(port['service'])}")
        lines.append(f"PORT_COUNT_{setting}={q(port.get('count', ''))}")
    lines.append(f"SPEC_ENDPOINTS={q(spec['endpoints'])}")
    env = " ".join(f"{name}={q(str(value))}" for name, value in spec["services"]["rasa"].get("env", {}).items())
    lines.append(f"SPEC_RASA_ENV={q(env)}")
    return "\n".join(lines) + "\n"


def main(argv: List[str]) -> int:
    if argv != ["shell"]:
        print(__doc__, file=sys.stderr)
        return 2
    sys.stdout.write(shell(load()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
