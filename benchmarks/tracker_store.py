"""Tracker store read and write per turn: Rasa's SQLTrackerStore against
addons.tracker_store.CachingSQLTrackerStore, on an SQLite file, as a conversation grows.

Each turn reads the tracker, adds the events one interview turn adds (a user message
with its parse data, slot sets, actions, three bot messages) and saves it, as Rasa's
processor does. Prints the median milliseconds of read and write over turns 1-20 and over
the last 20 turns.

Usage: .venv/bin/python benchmarks/tracker_store.py [--turns 200]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def turn_events(number: int) -> list:
    from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered

    intent = {"name": "describe_pain", "confidence": 0.91}
    parse_data = {
        "text": f"my lower back hurts, turn {number}",
        "intent": intent,
        "intent_ranking": [{"name": f"intent_{k}", "confidence": 0.01} for k in range(10)],
        "entities": [{"entity": "location", "value": "lower_back", "start": 3, "end": 13}],
    }
    return [
        UserUttered(parse_data["text"], intent, parse_data["entities"], parse_data),
        ActionExecuted("action_extract_slots"),
        SlotSet("reported_findings", ["lower_back_pain", f"finding_{number}"]),
        ActionExecuted("action_validate_slot_mappings"),
        SlotSet("triage_level", "routine"),
        ActionExecuted("symptom_form"),
        SlotSet("requested_slot", "pain_spread"),
        *[BotUttered(f"reply {k} " * 15, {"elements": None, "buttons": None}) for k in range(3)],
        ActionExecuted("action_listen"),
    ]


async def measure(store_class: type, turns: int, db: Path) -> Dict[str, List[float]]:
    from rasa.shared.core.domain import Domain

    store = store_class(domain=Domain.load(str(ROOT / "domain.yml")), dialect="sqlite", db=str(db))
    reads: List[float] = []
    writes: List[float] = []
    tracker = await store.get_or_create_tracker("bench", append_action_listen=True)
    for number in range(turns):
        started = time.perf_counter()
        tracker = await store.retrieve("bench") or tracker
        reads.append(1000 * (time.perf_counter() - started))
        for event in turn_events(number):
            tracker.update(event)
        started = time.perf_counter()
        await store.save(tracker)
        writes.append(1000 * (time.perf_counter() - started))
    return {"read": reads, "write": writes}


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--turns", type=int, default=200)
    args = parser.parse_args(argv)
    from rasa.core.tracker_store import SQLTrackerStore

    import addons.rasa_server
    from addons.tracker_store import CachingSQLTrackerStore

    window = min(20, args.turns // 2)
    print(f"median ms per turn: turns 1-{window} | last {window} of {args.turns}")
    for label, store_class, repaired in (
        ("Rasa SQLTrackerStore", SQLTrackerStore, False),
        ("Rasa SQLTrackerStore + addons/rasa_server.py", SQLTrackerStore, True),
        ("CachingSQLTrackerStore + addons/rasa_server.py", CachingSQLTrackerStore, True),
    ):
        if repaired:
            addons.rasa_server.install()
        with tempfile.TemporaryDirectory() as directory:
            times = asyncio.run(measure(store_class, args.turns, Path(directory) / "tracker.db"))
        cells = [
            f"{name} {statistics.median(values[:window]):.2f} | {statistics.median(values[-window:]):.2f}"
            for name, values in times.items()
        ]
        print(f"{label}: " + "; ".join(cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())
