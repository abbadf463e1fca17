"""Webhook delivery ids seen, shared by every replica when Redis is configured.

A platform retries a webhook call it thinks failed, and an attacker can replay a signed one;
each connector (addons/channels/connectors.py) skips a delivery id it has seen. In one
process ``bot.guard.RecentIds`` remembers them; in the cluster profile a retry can reach
another replica, so ``recent_ids(channel)`` gives a ``SharedRecentIds`` in Redis (the lock
store's Redis: ``REDIS_HOST``, ``REDIS_PORT``, ``REDIS_DB``, ``REDIS_PASSWORD``): one
``SET key NX EX ttl`` per delivery, so of two replicas given the same id only the first
processes it. If Redis cannot be reached, that process falls back to its own memory (a
retry could then be processed once per replica) and logs it.
"""

from __future__ import annotations

import hashlib
import logging
import os
from typing import Any, Optional, Union

from bot.guard import RecentIds

logger = logging.getLogger(__name__)

KEY_PREFIX = "backpain:delivery"
TTL_SECONDS = 3600


class SharedRecentIds:
    def __init__(self, client: Any, channel: str, ttl: int = TTL_SECONDS) -> None:
        self.client, self.channel, self.ttl = client, channel, ttl
        self.local = RecentIds(ttl=ttl)

    def key(self, delivery_id: object) -> str:
        digest = hashlib.sha256(str(delivery_id).encode()).hexdigest()[:32]
        return f"{KEY_PREFIX}:{self.channel}:{digest}"

    def seen_before(self, delivery_id: object) -> bool:
        if delivery_id is None or delivery_id == "":
            return False
        try:
            return not self.client.set(self.key(delivery_id), 1, nx=True, ex=self.ttl)
        except Exception as error:  # Redis down: this process's memory, rather than refusing the message
            logger.warning("Delivery ids: Redis unreachable (%s); using this process's memory.", type(error).__name__)
            return self.local.seen_before(delivery_id)


def redis_client() -> Optional[Any]:
    host = (os.environ.get("REDIS_HOST") or "").strip()
    if not host:
        return None
    import redis  # type: ignore[import-untyped]

    return redis.Redis(
        host=host,
        port=int(os.environ.get("REDIS_PORT") or 6379),
        db=int(os.environ.get("REDIS_DB") or 0),
        password=os.environ.get("REDIS_PASSWORD") or None,
        socket_timeout=2,
        socket_connect_timeout=2,
    )


def recent_ids(channel: str) -> Union[RecentIds, SharedRecentIds]:
    client = redis_client()
    return SharedRecentIds(client, channel) if client is not None else RecentIds()
