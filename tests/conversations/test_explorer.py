"""Runs the dialogue explorer against the trained assistant and the real action server.

The count is bounded for `make test` (EXPLORE_CONVERSATIONS, default 1000);
`make explore` runs a larger budget. The seed makes a run reproducible.
"""

import os

import pytest

from tests.conftest import SUMMARY_LINES
from tests.conversations.explorer import Explorer

pytestmark = pytest.mark.slow  # hundreds of explored conversations (EXPLORE_CONVERSATIONS)


@pytest.mark.timeout(3600)
async def test_explorer_finds_no_invariant_violation(agent):
    count = int(os.environ.get("EXPLORE_CONVERSATIONS", "1000"))
    seed = int(os.environ.get("EXPLORE_SEED", "20261121"))
    explorer = Explorer(agent, seed=seed)
    await explorer.systematic()
    while explorer.report.conversations < count:
        await explorer.conversation()
    SUMMARY_LINES.append(explorer.report.summary())
    assert explorer.report.injected_red_flags > 0
    assert not explorer.report.failures, "\n".join(explorer.report.failures[:20])
