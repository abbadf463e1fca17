"""Throughput and latency of the scale-out profile: 1 vs 2 Rasa replicas, 1 vs 2 Sanic workers.

Starts each layout with scripts/cluster.sh (real PostgreSQL, Redis, nginx; its own ports and
directory), drives it through nginx with benchmarks/load.py at each sender count, and prints
one table (the figures in docs/deploy.md). nginx's per-client rate limit is lifted for the
run: the point is the servers' capacity.

Usage: .venv/bin/python benchmarks/cluster_scaling.py [--senders 20 50] [--messages 20]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.load import run_load  # noqa: E402
from tests.support.cluster import Cluster  # noqa: E402

LAYOUTS = [("1 replica x 1 worker", 1, 1), ("2 replicas x 1 worker", 2, 1), ("1 replica x 2 workers", 1, 2)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--senders", type=int, nargs="+", default=[20, 50])
    parser.add_argument("--messages", type=int, default=20)
    args = parser.parse_args()
    rows = []
    for name, replicas, workers in LAYOUTS:
        cluster = Cluster(replicas=replicas, sanic_workers=workers, rate_limit=100000)
        failed = False
        try:
            cluster.up()
            for senders in args.senders:
                load_before = os.getloadavg()[0]
                result = asyncio.run(
                    run_load(
                        cluster.url,
                        senders=senders,
                        messages=args.messages,
                        distinct_clients=True,
                        max_seconds=240,
                        timeout=120,
                    )
                )
                summary = result.summary()
                rows.append((name, senders, summary, load_before, os.getloadavg()[0]))
                if result.errors:
                    failed = True
                    print(cluster.errors_in_logs(), flush=True)
                print(
                    f"{name}: {result.report()} (load average {load_before:.1f} -> {os.getloadavg()[0]:.1f})",
                    flush=True,
                )
        finally:
            cluster.down(remove=not failed)
            if failed:
                print(f"logs kept in {cluster.workdir}/log", flush=True)
    print(f"\n{os.cpu_count()} cores. Through nginx, {args.messages} messages per conversation, no think time.\n")
    print("| layout | senders | msg/s | p50 ms | p95 ms | p99 ms | errors | load avg before -> after |")
    print("|---|---|---|---|---|---|---|---|")
    for name, senders, s, before, after in rows:
        errors = sum(s["errors"].values())
        print(
            f"| {name} | {senders} | {s['messages_per_s']} | {s['p50_ms']} | {s['p95_ms']} | {s['p99_ms']} | "
            f"{errors} | {before:.1f} -> {after:.1f} |"
        )


if __name__ == "__main__":
    main()
