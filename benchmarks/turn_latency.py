"""Time per conversation turn through the trained model and the real action server.

Usage: .venv/bin/python benchmarks/turn_latency.py [conversations]
"""

import asyncio
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rasa.utils.log_utils import configure_structlog  # noqa: E402

from tests.support.stack import MODEL, Stack  # noqa: E402

SCRIPT = [
    "hi",
    "what is sciatica",
    "my lower back hurts",
    "it goes down below the knee",
    "pins and needles",
    "no",
    "sitting",
    "after lifting",
    "3 weeks",
    "6",
    "no",
    "thanks",
    "bye",
]


async def main(conversations: int) -> None:
    from rasa.core.agent import Agent
    from rasa.utils.endpoints import EndpointConfig

    configure_structlog(logging.WARNING)
    logging.getLogger("rasa").setLevel(logging.WARNING)
    stack = Stack(workdir=Path(tempfile.mkdtemp()))
    stack.start_actions()
    try:
        agent = Agent.load(str(MODEL), action_endpoint=EndpointConfig(stack.action_url))
        await agent.handle_text("warm up", sender_id="warm-up")
        timings = []
        for number in range(conversations):
            for text in SCRIPT:
                started = time.perf_counter()
                await agent.handle_text(text, sender_id=f"bench-{number}")
                timings.append(time.perf_counter() - started)
        timings.sort()
        print(
            f"{len(timings)} turns: median {1000 * statistics.median(timings):.0f} ms, "
            f"p95 {1000 * timings[int(0.95 * len(timings))]:.0f} ms, max {1000 * timings[-1]:.0f} ms"
        )
    finally:
        stack.stop()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 20))
