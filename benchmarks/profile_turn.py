"""Where one message's time goes, end to end, inside the real servers.

Starts this assistant through scripts/server.sh with the step timers of
benchmarks/profile_hooks.py installed in both processes, sends full interviews from one
sender over REST, and prints the mean milliseconds per message of each step: the channel
(HTTP, Sanic, REST JSON: what the client waited minus what Rasa spent), the lock, the
tracker store's read and write, each NLU component, the policies, and each action-server
round trip split into Rasa's side, the HTTP exchange and the action's own work.

Usage: .venv/bin/python benchmarks/profile_turn.py [--conversations 5] [--json out.json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any, Dict, List, Optional

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import servers  # noqa: E402
from benchmarks.load import INTERVIEW, run_load  # noqa: E402

CHANNEL = "channel: HTTP, Sanic, REST JSON (client wait - Rasa)"
ACTION_WORK = "action server: the action's own work (rasa_sdk executor): "
HTTP_ROUND_TRIP = "action server call, HTTP round trip: "
HTTP_ONLY = "action server call, HTTP + JSON both ends: "


def ours(env: Optional[Dict[str, str]] = None) -> servers.Bot:
    return servers.Bot(
        name="ours",
        model=ROOT / "models" / "backpain.tar.gz",
        endpoints=ROOT / "endpoints.yml",
        credentials=ROOT / "credentials.yml",
        actions=True,
        env=env or {},
    )


def profile(bot: servers.Bot, conversations: int, workdir: Path) -> Dict[str, Any]:
    rasa_out, actions_out = workdir / "rasa-steps.jsonl", workdir / "action-steps.jsonl"
    bot.env["PYTHONPATH"] = f"{ROOT / 'benchmarks' / 'profiling'}:{ROOT}"
    bot.role_env = {
        "rasa": {"BENCH_PROFILE_OUT": str(rasa_out), "BENCH_PROFILE_SIDE": "rasa"},
        "actions": {"BENCH_PROFILE_OUT": str(actions_out), "BENCH_PROFILE_SIDE": "actions"},
    }
    running = servers.start(bot, workdir)
    try:
        # One untimed conversation first: the first calls build caches and pipelines.
        asyncio.run(run_load(running.url, senders=1, messages=len(INTERVIEW), warm_up=False))
        skip_steps, skip_calls = _lines(rasa_out), _lines(actions_out)
        cpu_before = running.cpu_seconds()
        client: List[float] = []
        for _ in range(conversations):
            result = asyncio.run(run_load(running.url, senders=1, messages=len(INTERVIEW), warm_up=False))
            if result.errors:
                raise RuntimeError(f"errors while profiling: {dict(result.errors)}")
            client += [turn.seconds * 1000 for turn in result.turns]
        cpu_after = running.cpu_seconds()
    finally:
        running.stop()
    steps = [json.loads(line) for line in rasa_out.read_text().splitlines()[skip_steps:]]
    calls = [json.loads(line) for line in actions_out.read_text().splitlines()[skip_calls:]] if bot.actions else []
    summary = summarise(client, steps, calls)
    summary["cpu_ms_per_message"] = {
        role: 1000 * (cpu_after[role] - cpu_before[role]) / len(client) for role in cpu_after
    }
    return summary


def _lines(path: Path) -> int:
    return len(path.read_text().splitlines()) if path.exists() else 0


def summarise(client_ms: List[float], steps: List[Dict[str, Any]], calls: List[Dict[str, Any]]) -> Dict[str, Any]:
    messages = len(steps)
    per_message: Dict[str, float] = defaultdict(float)
    call_counts: Dict[str, float] = defaultdict(float)
    for step in steps:
        for label, ms in step["ms"].items():
            per_message[label] += ms / messages
            call_counts[label] += step["calls"][label] / messages
    rasa_total = statistics.fmean(step["total_ms"] for step in steps)
    per_message[CHANNEL] = statistics.fmean(client_ms) - rasa_total
    # Split each HTTP round trip into the action's own work and the exchange around it.
    work: Dict[str, float] = defaultdict(float)
    for call in calls:
        work[call["action"]] += call["ms"] / messages
    for label in list(per_message):
        if label.startswith(HTTP_ROUND_TRIP):
            action = label[len(HTTP_ROUND_TRIP) :]
            round_trip = per_message.pop(label)
            per_message[ACTION_WORK + action] = work.get(action, 0.0)
            per_message[HTTP_ONLY + action] = round_trip - work.get(action, 0.0)
            call_counts[ACTION_WORK + action] = call_counts[HTTP_ONLY + action] = call_counts.pop(label)
    return {
        "messages": messages,
        "client_mean_ms": statistics.fmean(client_ms),
        "client_median_ms": statistics.median(client_ms),
        "rasa_mean_ms": rasa_total,
        "steps_ms": dict(sorted(per_message.items(), key=lambda item: -item[1])),
        "calls_per_message": dict(call_counts),
    }


POLICY_NODES = ("Policy", "DefaultPolicyPredictionEnsemble", "RuleOnlyDataProvider", "DomainProvider")
ROUND_TRIPS = ("action_validate_slot_mappings", "validate_symptom_form")


def group(label: str) -> str:
    """The coarse step a timer belongs to (the breakdown in docs/performance.md)."""
    if label.startswith(("tracker store", "channel")):
        return label.split(" (")[0]
    if label.startswith("policies: ") or (label.startswith("graph: ") and any(n in label for n in POLICY_NODES)):
        return "policies (RulePolicy, ensemble, graph runner)"
    if label.startswith("graph: ") and "SymptomExtractor" in label:
        return "NLU: SymptomExtractor (spaCy rules)"
    if label.startswith("graph: ") and "LogisticRegressionClassifier" in label:
        return "NLU: LogisticRegressionClassifier"
    if label.startswith(("graph: ", "NLU: ")):
        return "NLU: tokenizer, featurizers, fallback, graph runner"
    for action in ROUND_TRIPS:
        if label.endswith(action):
            part = "Rasa side" if "Rasa side" in label else "HTTP + JSON" if "HTTP" in label else "the action's work"
            return f"round trip {action}: {part}"
    if label.startswith("action server"):
        return "round trips of the other actions (all parts)"
    return "Rasa: processor, action bookkeeping, slot extraction, form loop, responses, lock"


def grouped(summary: Dict[str, Any]) -> Dict[str, float]:
    groups: Dict[str, float] = defaultdict(float)
    for label, ms in summary["steps_ms"].items():
        groups[group(label)] += ms
    return dict(sorted(groups.items(), key=lambda item: -item[1]))


def table(summary: Dict[str, Any]) -> str:
    total = summary["client_mean_ms"]
    lines = [
        f"Mean over {summary['messages']} messages (one sender, full interviews): "
        f"{total:.1f} ms per message as the client saw it.",
        "",
        "| step | ms per message | share | calls per message |",
        "|---|---:|---:|---:|",
    ]
    for label, ms in summary["steps_ms"].items():
        calls = summary["calls_per_message"].get(label)
        lines.append(f"| {label} | {ms:.1f} | {100 * ms / total:.0f}% | {'' if calls is None else f'{calls:.1f}'} |")
    lines += ["", "| step (grouped) | ms per message | share |", "|---|---:|---:|"]
    for label, ms in grouped(summary).items():
        lines.append(f"| {label} | {ms:.1f} | {100 * ms / total:.0f}% |")
    return "\n".join(lines)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conversations", type=int, default=5)
    parser.add_argument("--json", type=Path, help="also write the summary here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-profile-") as workdir:
        summary = profile(ours(), args.conversations, Path(workdir))
    summary["loadavg"] = servers.loadavg()
    summary["grouped_ms"] = grouped(summary)
    print(table(summary))
    cpu = ", ".join(f"{role} {ms:.1f}" for role, ms in summary["cpu_ms_per_message"].items())
    print(f"\nCPU ms per message (timers included): {cpu}; load average: {summary['loadavg']}")
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
