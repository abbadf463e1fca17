"""rasa_sdk-style fixtures for the custom actions (in the manner of RasaHQ/financial-demo).

A tracker is built from ``fixtures/empty_tracker.json`` with every slot of
``domain.yml`` present (None unless given), the latest user message and, as Rasa
does, the user event at the end of the event list. Actions run with a real
``CollectingDispatcher`` and the real content module; nothing is stubbed.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
FIXTURES = HERE / "fixtures"

EMERGENCY_NUMBER = "112"
URGENT_CONTACT = "the urgent care line"
CONSULT = "utter_consult_professional"
FORM = "symptom_form"


def load_fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


DOMAIN: Dict[str, Any] = yaml.safe_load((ROOT / "domain.yml").read_text())
EMPTY_TRACKER: Dict[str, Any] = load_fixture("empty_tracker.json")


def empty_slots() -> Dict[str, Any]:
    slots = {name: None for name in DOMAIN["slots"]}
    slots["requested_slot"] = None  # added by Rasa to every domain with a form
    return slots


def make_tracker(
    text: Optional[str],
    intent: Optional[str],
    slots: Optional[Dict[str, Any]] = None,
    active_loop: Optional[str] = None,
    entities: Optional[List[Dict[str, Any]]] = None,
    events: Optional[List[Dict[str, Any]]] = None,
) -> Tracker:
    """A tracker as the action server receives it right after the user's message.

    ``slots`` override the domain's (all None); ``entities`` are Rasa entity dicts,
    e.g. ``{"entity": "condition", "value": "sciatica"}``; ``events`` are appended
    after the user event (e.g. what Rasa adds before calling a form validator).
    """
    state = copy.deepcopy(EMPTY_TRACKER)
    state["slots"] = {**empty_slots(), **copy.deepcopy(slots or {})}
    latest_message = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.98} if intent else {},
        "intent_ranking": [{"name": intent, "confidence": 0.98}] if intent else [],
        "entities": copy.deepcopy(entities or []),
        "message_id": "m1",
        "metadata": {},
    }
    state["latest_message"] = latest_message
    state["events"].append(
        {
            "event": "user",
            "timestamp": 1700000001.0,
            "text": text,
            "parse_data": latest_message,
            "input_channel": "rest",
            "message_id": "m1",
            "metadata": {},
        }
    )
    state["events"].extend(copy.deepcopy(events or []))
    state["active_loop"] = {"name": active_loop} if active_loop else {}
    return Tracker(
        state["sender_id"],
        state["slots"],
        state["latest_message"],
        state["events"],
        state["paused"],
        state["followup_action"],
        state["active_loop"],
        state["latest_action_name"],
    )


def slot_events(events: List[Dict[str, Any]]) -> Dict[str, Any]:
    """The SlotSet events an action returned, as slot -> value (asserting there are no others)."""
    assert all(e["event"] == "slot" for e in events), events
    names = [e["name"] for e in events]
    assert len(names) == len(set(names)), f"a slot is set twice: {names}"
    return {e["name"]: e["value"] for e in events}


def texts(dispatcher: CollectingDispatcher) -> List[str]:
    return [m.get("text") or "" for m in dispatcher.messages]


def responses(dispatcher: CollectingDispatcher) -> List[Optional[str]]:
    return [m.get("response") for m in dispatcher.messages]


@pytest.fixture(autouse=True)
def deployment_settings(monkeypatch):
    """A deployment that is not in the UK, so the configured numbers are really used."""
    monkeypatch.setenv("EMERGENCY_NUMBER", EMERGENCY_NUMBER)
    monkeypatch.setenv("URGENT_CARE_CONTACT", URGENT_CONTACT)


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


@pytest.fixture
def domain() -> Dict[str, Any]:
    return copy.deepcopy(DOMAIN)
