"""The HTTP API token as this process knows it, and who is asking (addons/guard.py uses it).

- ``set_api_token`` is called by the launcher (addons/launch.py), which takes the token out
  of the environment; ``api_token()`` falls back to ``RASA_API_TOKEN`` for other launchers.
- ``presented_token(request)``: ``?token=`` or ``Authorization: Bearer <token>`` (Rasa's
  convention for its JWTs, accepted here for the plain token too).
- ``carries_api_token(request)``: the request holds the token, or a JWT Rasa accepts.
- ``check_token_length``: a token shorter than ``MIN_TOKEN_CHARS`` is a warning at start-up
  and a refusal in the cluster profile.
- ``rate_key(address)``: the key rate limits count under: an IPv6 address by its /64 (one
  subscriber's whole network), an IPv4 one as itself.
- ``FailedAuth``: failed token attempts per address; over the limit, 429 before any check.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
import threading
import time
from collections import OrderedDict
from pathlib import Path
from typing import Any, Callable, Optional, Tuple

logger = logging.getLogger(__name__)

MIN_TOKEN_CHARS = 32
_token: Optional[str] = None


def set_api_token(token: Optional[str]) -> None:
    global _token
    _token = token or None


def api_token() -> Optional[str]:
    return _token or (os.environ.get("RASA_API_TOKEN") or "").strip() or None


def cluster_profile() -> bool:
    """True when this server runs the scale-out profile (endpoints/cluster.yml, or PROFILE=cluster)."""
    if (os.environ.get("PROFILE") or "").strip().lower() == "cluster":
        return True
    return Path(os.environ.get("ENDPOINTS") or "").name == "cluster.yml"


def check_token_length(token: str) -> Optional[str]:
    """A refusal message for the cluster profile, None otherwise (a short token is logged)."""
    if len(token) >= MIN_TOKEN_CHARS:
        return None
    message = f"The HTTP API token has {len(token)} characters; use at least {MIN_TOKEN_CHARS} (random)."
    if cluster_profile():
        return message + " The cluster profile refuses to start with it."
    logger.warning(message)
    return None


def presented_token(request: Any) -> Optional[str]:
    token = request.args.get("token")
    if token:
        return str(token)
    header = request.headers.get("authorization") or ""
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def is_api_token(value: Optional[str]) -> bool:
    token = api_token()
    return bool(token and value and hmac.compare_digest(value.encode(), token.encode()))


async def valid_jwt(request: Any) -> bool:
    """A JWT Rasa's own check accepts (only when Rasa runs with ``--jwt-secret``)."""
    app = request.app
    if not app.config.get("USE_JWT") or not getattr(app.ctx, "auth", None):
        return False
    try:
        result = app.ctx.auth.is_authenticated(request)
        if hasattr(result, "__await__"):
            result = await result
        return bool(result)
    except Exception:
        return False


async def carries_api_token(request: Any) -> bool:
    return is_api_token(presented_token(request)) or await valid_jwt(request)


def rate_key(address: Optional[str]) -> Optional[str]:
    """An IPv6 address by its /64; an IPv4 (or IPv4-mapped) address as itself."""
    if not address:
        return address
    try:
        ip = ipaddress.ip_address(address.strip("[]"))
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


class FailedAuth:
    """At most ``count`` failed token attempts per key in ``seconds``; then refused until the window ends."""

    def __init__(
        self, count: int = 10, seconds: float = 300, max_keys: int = 50_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.count, self.seconds, self.max_keys, self.clock = count, seconds, max_keys, clock
        self._failures: "OrderedDict[str, Tuple[float, int]]" = OrderedDict()
        self._lock = threading.Lock()

    def _window(self, key: str) -> Tuple[float, int]:
        start, failures = self._failures.get(key, (self.clock(), 0))
        if self.clock() - start >= self.seconds:
            return self.clock(), 0
        return start, failures

    def blocked(self, key: str) -> bool:
        with self._lock:
            return bool(self.count) and self._window(key)[1] >= self.count

    def retry_after(self, key: str) -> int:
        with self._lock:
            start, _ = self._window(key)
        return max(1, int(self.seconds - (self.clock() - start)) + 1)

    def failed(self, key: str) -> None:
        with self._lock:
            start, failures = self._window(key)
            self._failures.pop(key, None)
            self._failures[key] = (start, failures + 1)
            while len(self._failures) > self.max_keys:
                self._failures.popitem(last=False)


def _int_env(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name) or default)
    except ValueError:
        return default


failed_auth = FailedAuth(_int_env("AUTH_FAILURES_PER_ADDRESS", 10), _int_env("AUTH_FAILURE_WINDOW_SECONDS", 300))
