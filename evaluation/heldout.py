"""The held-out evaluation of issue 23: patients and messages written by a helper who never saw
the code, through the real assistant (the trained model in models/, the real action server).

    source scripts/env.sh; .venv/bin/python evaluation/heldout.py --set dev

prints the figures and the cases that miss a target, and writes results/heldout-<set>.json
(every case: transcript, summary and its problems, causes; every message: intents, replies).
The sealed set is run once, when the work is done (docs/evaluation.md).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

from tests.support.heldout import SETS, TARGET_MAX_ASKS, evaluate, table  # noqa: E402
from tests.support.stack import MODEL, Stack  # noqa: E402


def misses(results: dict) -> list:
    lines = []
    for p in results["patients"]:
        problems = []
        if not p["triage_safe"]:
            problems.append(f"triage {p['triage']} < {p['expected_triage']}")
        elif p["over_triage"]:
            problems.append(f"over-triage {p['triage']} > {p['expected_triage']}")
        if not p["consult_at_end"]:
            problems.append("no consult at the end")
        if p["max_asks"] > TARGET_MAX_ASKS:
            problems.append(f"asked {p['asked']}")
        if p["most_sorry_in_a_turn"] > 1:
            problems.append(f"{p['most_sorry_in_a_turn']} 'didn't catch' in one turn")
        for kind in ("contradictions", "unsupported", "must_not_say"):
            problems += [f"summary {kind}: {x}" for x in p[kind]]
        if p["cause_checked"] and not p["cause_in_top"]:
            problems.append(f"causes {p['top_causes']}, expected {p['expected_causes']}")
        if problems:
            lines.append(f"- {p['id']}: " + "; ".join(problems))
    for m in results["messages"]:
        wrong = m["intent"] != m["expected_intent"]
        stuck = m["own_pain"] and not m["reached"]
        if wrong or stuck:
            what = f"intent {m['intent']} (expected {m['expected_intent']})" if wrong else ""
            if stuck:
                what += ("; " if what else "") + f"own pain, replies {m['responses']}"
            lines.append(f"- {m['text']!r}: {what}")
    return lines


async def main(which: str, out: Path) -> dict:
    from rasa.core.agent import Agent
    from rasa.utils.endpoints import EndpointConfig
    from rasa.utils.log_utils import configure_structlog

    import addons.rasa_server

    configure_structlog(logging.WARNING)
    logging.getLogger("rasa").setLevel(logging.WARNING)
    if not MODEL.exists():
        raise SystemExit(f"no model at {MODEL}: run scripts/train.sh")
    with tempfile.TemporaryDirectory() as workdir:
        stack = Stack(workdir=Path(workdir))
        stack.start_actions()
        try:
            addons.rasa_server.install()  # as tests/conftest.py: conversations run as served
            agent = Agent.load(str(MODEL), action_endpoint=EndpointConfig(stack.action_url))
            results = await evaluate(agent, which)
        finally:
            stack.stop()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1))
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=SETS, default="dev")
    args = parser.parse_args()
    path = ROOT / "results" / f"heldout-{args.set}.json"
    results = asyncio.run(main(args.set, path))
    print(f"held-out {args.set}\n" + table(results["figures"]))
    print("\nmisses:\n" + "\n".join(misses(results)))
    print(f"\nwritten: {path}")
