"""Load driver for the REST channel: N people at once, each running a realistic interview.

Every sender is one conversation that sends its next message as soon as the previous reply
arrives (no think time), so the figures are the server's capacity, not a typing speed. It
reports latency percentiles, messages per second and errors (by kind). Bounded twice: each
sender sends at most ``messages`` messages, and the whole run stops after ``max_seconds``.
Targets loopback addresses only.

Function API (what ``make bench`` and the tests use)::

    from benchmarks.load import run_load
    result = asyncio.run(run_load("http://127.0.0.1:8000", senders=20, messages=20))
    print(result.report())           # one line; result.summary() is a dict

CLI::

    .venv/bin/python benchmarks/load.py http://127.0.0.1:8000 --senders 20 --messages 20 [--json]

``distinct_clients`` (``--distinct-clients``) gives each sender its own loopback source
address (127.0.1.1, 127.0.1.2, ...), as separate people would have: nginx limits requests
per client address, so without it all senders share one client's allowance.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import json
import math
import secrets
import socket
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence
from urllib.parse import urlsplit

import aiohttp

REST_PATH = "/webhooks/rest/webhook"
SEVERITY_MARK = "{severity}"

# A physio-style intake from greeting to goodbye, with questions around it (20 messages), in
# the order the interview asks (age after the first safety question, then worse / eases).
# The pain score differs per sender, so each conversation's stored answers are its own.
INTERVIEW: Sequence[str] = (
    "hi",
    "what is sciatica",
    "my lower back hurts",
    "it goes down below the knee",
    "pins and needles",
    "no",
    "45",
    "sitting",
    "lying down",
    "after lifting",
    "3 weeks",
    SEVERITY_MARK,
    "no",
    "thanks",
    "how is sciatica treated",
    "what can I do about it",
    "is it serious",
    "ok",
    "thank you",
    "bye",
)


def script_for(sender_index: int, script: Sequence[str] = INTERVIEW) -> List[str]:
    """The script with this sender's pain score (2..9) filled in."""
    severity = str(2 + sender_index % 8)
    return [severity if line == SEVERITY_MARK else line for line in script]


def severity_for(sender_index: int) -> float:
    return float(2 + sender_index % 8)


@dataclass
class Turn:
    sender: str
    text: str
    status: int  # HTTP status, 0 when there was no answer
    seconds: float
    replies: List[Dict[str, Any]] = field(default_factory=list)
    error: Optional[str] = None
    finished: float = 0.0  # time.monotonic() when the answer (or the error) came


@dataclass
class LoadResult:
    senders: int
    messages_per_sender: int
    seconds: float
    turns: List[Turn]
    stopped_by_time: bool = False

    @property
    def ok_turns(self) -> List[Turn]:
        return [t for t in self.turns if t.error is None]

    @property
    def errors(self) -> Counter:
        return Counter(t.error for t in self.turns if t.error is not None)

    def percentile(self, fraction: float) -> float:
        """Latency of successful turns at ``fraction`` (nearest rank), in seconds."""
        values = sorted(t.seconds for t in self.ok_turns)
        if not values:
            return float("nan")
        rank = min(len(values), max(1, math.ceil(fraction * len(values))))
        return values[rank - 1]

    def summary(self) -> Dict[str, Any]:
        ok = self.ok_turns
        return {
            "senders": self.senders,
            "messages_per_sender": self.messages_per_sender,
            "sent": len(self.turns),
            "ok": len(ok),
            "errors": dict(self.errors),
            "seconds": round(self.seconds, 2),
            "messages_per_s": round(len(ok) / self.seconds, 1) if self.seconds else 0.0,
            "p50_ms": round(1000 * self.percentile(0.50)),
            "p95_ms": round(1000 * self.percentile(0.95)),
            "p99_ms": round(1000 * self.percentile(0.99)),
            "mean_ms": round(1000 * statistics.fmean(t.seconds for t in ok)) if ok else None,
            "stopped_by_time": self.stopped_by_time,
        }

    def report(self) -> str:
        s = self.summary()
        errors = ", ".join(f"{k}={v}" for k, v in sorted(s["errors"].items())) or "none"
        return (
            f"{s['senders']} senders x {s['messages_per_sender']} msgs: {s['ok']}/{s['sent']} ok in {s['seconds']}s, "
            f"{s['messages_per_s']} msg/s, p50 {s['p50_ms']} ms, p95 {s['p95_ms']} ms, p99 {s['p99_ms']} ms; "
            f"errors: {errors}" + (" (stopped by the time limit)" if s["stopped_by_time"] else "")
        )


def check_loopback(base_url: str) -> None:
    """Refuse any target that is not this machine's loopback."""
    host = urlsplit(base_url).hostname
    if not host:
        raise ValueError(f"no host in {base_url!r}")
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except OSError as error:
        raise ValueError(f"cannot resolve {host}: {error}") from error
    if not addresses or not all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in addresses):
        raise ValueError(f"load tests only target loopback addresses; {host} is {sorted(addresses)}")


def client_address(sender_index: int) -> str:
    """127.0.1.1, 127.0.1.2, ... 127.0.1.250, 127.0.2.1, ...: one loopback address per sender."""
    return f"127.0.{1 + sender_index // 250}.{1 + sender_index % 250}"


async def _sender(
    index: int,
    base_url: str,
    script: Sequence[str],
    messages: int,
    prefix: str,
    deadline: float,
    timeout: float,
    distinct_client: bool,
    error_backoff: float,
    turns: List[Turn],
) -> None:
    sender = f"{prefix}-{index}"
    lines = script_for(index, script)
    connector = aiohttp.TCPConnector(limit=1, local_addr=(client_address(index), 0) if distinct_client else None)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=timeout)) as session:
        for number in range(messages):
            if time.monotonic() >= deadline:
                return
            text = lines[number % len(lines)]
            started = time.perf_counter()
            turn = Turn(sender=sender, text=text, status=0, seconds=0.0)
            try:
                async with session.post(base_url + REST_PATH, json={"sender": sender, "message": text}) as res:
                    turn.status = res.status
                    body = await res.read()
                turn.seconds = time.perf_counter() - started
                if turn.status != 200:
                    turn.error = f"http_{turn.status}"
                else:
                    turn.replies = json.loads(body)
                    if not turn.replies:
                        # Rasa's REST channel answers 200 [] when handling the message failed.
                        turn.error = "empty_reply"
                    elif any(reply.get("recipient_id") != sender for reply in turn.replies):
                        turn.error = "wrong_recipient"
            except asyncio.TimeoutError:
                turn.seconds, turn.error = time.perf_counter() - started, "timeout"
            except (aiohttp.ClientError, OSError, ValueError) as error:
                turn.seconds, turn.error = time.perf_counter() - started, type(error).__name__
            turn.finished = time.monotonic()
            turns.append(turn)
            if turn.error and error_backoff:
                await asyncio.sleep(error_backoff)


async def run_load(
    base_url: str,
    senders: int = 20,
    messages: int = 20,
    *,
    script: Sequence[str] = INTERVIEW,
    max_seconds: float = 300.0,
    timeout: float = 60.0,
    distinct_clients: bool = False,
    sender_prefix: Optional[str] = None,
    warm_up: bool = True,
    error_backoff: float = 0.0,
) -> LoadResult:
    """``senders`` conversations at once, ``messages`` messages each, through the REST channel.

    ``sender_prefix`` names the conversations ``<prefix>-<22 random base64url characters>-<index>`` (so runs
    never continue each other's conversations, and the ids are unguessable as REST requires). ``warm_up`` first sends one untimed message in
    a conversation of its own, so the first timed turn does not pay for lazy start-up.
    ``error_backoff`` is how long a sender waits after an error before its next message (as a
    person would), so that an outage does not turn the run into a retry storm.
    """
    check_loopback(base_url)
    if senders < 1 or messages < 1:
        raise ValueError("senders and messages must be at least 1")
    base_url = base_url.rstrip("/")
    # REST ids must be unguessable (at least 128 bits, addons/channels/keys.py): the whole id is
    # base64url with a random part.
    prefix = f"{sender_prefix or 'load'}-{secrets.token_urlsafe(16)}"
    if warm_up:
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as session,
            session.post(base_url + REST_PATH, json={"sender": f"{prefix}-warm-up", "message": "hi"}) as res,
        ):
            await res.read()
    turns: List[Turn] = []
    started = time.monotonic()
    deadline = started + max_seconds
    tasks = [
        asyncio.create_task(
            _sender(i, base_url, script, messages, prefix, deadline, timeout, distinct_clients, error_backoff, turns)
        )
        for i in range(senders)
    ]
    await asyncio.gather(*tasks)
    seconds = time.monotonic() - started
    return LoadResult(
        senders=senders,
        messages_per_sender=messages,
        seconds=seconds,
        turns=turns,
        stopped_by_time=len(turns) < senders * messages,
    )


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base_url", help="e.g. http://127.0.0.1:8000 (nginx) or http://127.0.0.1:5005 (one Rasa)")
    parser.add_argument("--senders", type=int, default=20, help="concurrent conversations (default 20)")
    parser.add_argument("--messages", type=int, default=20, help="messages per conversation (default 20)")
    parser.add_argument("--max-seconds", type=float, default=300.0, help="stop the run after this long (default 300)")
    parser.add_argument("--timeout", type=float, default=60.0, help="per-message timeout in seconds (default 60)")
    parser.add_argument("--distinct-clients", action="store_true", help="one loopback source address per sender")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    args = parser.parse_args(argv)
    result = asyncio.run(
        run_load(
            args.base_url,
            args.senders,
            args.messages,
            max_seconds=args.max_seconds,
            timeout=args.timeout,
            distinct_clients=args.distinct_clients,
        )
    )
    print(json.dumps(result.summary()) if args.json else result.report())
    return 1 if result.errors else 0


if __name__ == "__main__":
    sys.exit(main())
