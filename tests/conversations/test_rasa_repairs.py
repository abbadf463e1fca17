"""addons/rasa_server.py's replacements of Rasa methods (the tracker passes, the slot copy, the
graph runner) answer as Rasa's own through the trained assistant.

Every call of a replaced method during these conversations also runs Rasa's original and
the two answers are compared (tests/support/repairs.py): the simulated patients' whole
interviews (questions, slips, goodbyes half-way, red flags), the explorer's systematic and
random conversations, and one long conversation on the project's own conversation store,
whose sessions roll over at the event cap.
"""

from __future__ import annotations

import pytest

from benchmarks.load import INTERVIEW, script_for
from tests.conversations.explorer import Explorer
from tests.support.patients import load_cases, run_case
from tests.support.repairs import checking_repairs


@pytest.mark.timeout(1800)
async def test_patients_and_explored_conversations(agent):
    with checking_repairs() as checks:
        for case in load_cases():
            await run_case(agent, case)
        explorer = Explorer(agent, seed=20261122)
        await explorer.systematic()
        while explorer.report.conversations < 150:
            await explorer.conversation()
    assert not checks.differences, "\n".join(checks.differences)
    # Each method was really exercised, many times over.
    replaced = ("applied_events", "copy", "states_for_tracker_history", "__copy__", "run")
    assert min(checks.calls.get(name, 0) for name in replaced) > 1000, checks.calls


@pytest.mark.timeout(900)
async def test_long_conversation_across_session_rollovers(trained_model, action_server, tmp_path, monkeypatch):
    from rasa.core.agent import Agent
    from rasa.core.tracker_store import TrackerStore
    from rasa.utils.endpoints import EndpointConfig, read_endpoint_config

    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "conversations.db"))
    monkeypatch.setenv("ACTION_ENDPOINT_URL", action_server.action_url)
    config = read_endpoint_config("endpoints.yml", "tracker_store")
    config.kwargs["max_events"] = 120  # several rollovers in the conversation
    agent = Agent.load(str(trained_model), action_endpoint=EndpointConfig(action_server.action_url))
    agent.tracker_store = agent.processor.tracker_store = TrackerStore.create(config, agent.domain)
    script = script_for(3)
    with checking_repairs() as checks:
        for turn in range(8 * len(INTERVIEW)):
            assert await agent.handle_text(script[turn % len(script)], sender_id="long")
    assert not checks.differences, "\n".join(checks.differences)
    assert checks.calls["states_for_tracker_history"] > len(script) * 8


def test_the_launchers_model_load_is_frozen_and_a_replaced_model_collected(trained_model, monkeypatch):
    """addons/launch.py prepares the process (addons/collector.py): the loaded model is out of
    the collector's examinations, and a model replaced by another load is freed."""
    import gc
    import weakref

    from rasa.core.agent import Agent

    import addons.rasa_server

    monkeypatch.setattr(Agent, "load_model", Agent.__dict__["load_model"])
    try:
        addons.rasa_server.prepare()
        agent = Agent.load(str(trained_model))
        assert gc.get_freeze_count() > 100_000 and len(gc.get_objects()) < gc.get_freeze_count() / 10
        replaced = weakref.ref(agent.processor)
        agent.load_model(str(trained_model))
        assert replaced() is None
    finally:
        gc.unfreeze()
