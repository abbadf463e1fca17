"""Deletes conversations older than the retention period from the tracker store.

    python -m addons.retention [--days N] [--endpoints endpoints.yml]
    python -m addons.retention --rotate-key   (TRACKER_ENCRYPTION_KEYS: the new key first)

Default period: RETENTION_DAYS (30). Every stored event older than that goes, message by
message, also from a conversation that is still going on; ``0`` keeps everything. Works on the tracker store that endpoints.yml
names (``addons.tracker_store.ConversationStore``, SQLite or PostgreSQL).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys


def main(argv: list) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=float, default=float(os.environ.get("RETENTION_DAYS") or 30))
    parser.add_argument("--endpoints", default=os.environ.get("ENDPOINTS") or "endpoints.yml")
    parser.add_argument(
        "--rotate-key",
        action="store_true",
        help="re-encrypt every stored event with the first key of TRACKER_ENCRYPTION_KEYS (no purge)",
    )
    args = parser.parse_args(argv)
    if args.days <= 0 and not args.rotate_key:
        print("RETENTION_DAYS is 0: conversations are kept.")
        return 0

    from rasa.core.brokers.broker import EventBroker
    from rasa.core.tracker_store import TrackerStore
    from rasa.core.utils import AvailableEndpoints

    from addons.tracker_store import ConversationStore

    endpoints = AvailableEndpoints.read_endpoints(args.endpoints)
    # The console's feed (addons/event_feed.py) forgets the purged conversations too.
    broker = asyncio.run(EventBroker.create(endpoints.event_broker)) if endpoints.event_broker else None
    store = TrackerStore.create(endpoints.tracker_store, event_broker=broker)
    store = getattr(store, "_tracker_store", store)
    if not isinstance(store, ConversationStore):
        print(f"The tracker store in {args.endpoints} is not addons.tracker_store.ConversationStore.", file=sys.stderr)
        return 1
    if args.rotate_key:
        print(f"Re-encrypted {store.rotate_key()} stored event(s) with the first key.")
        return 0
    deleted = store.purge(args.days)
    print(f"Deleted the events older than {args.days:g} days from {deleted} conversation(s).")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
