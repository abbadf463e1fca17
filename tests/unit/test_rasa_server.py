"""addons/rasa_server.py's repairs leave Rasa's answers unchanged: every event type resolves
to the class Rasa's own lookup finds, and action responses are accepted and refused exactly
as Rasa's own check does, with Rasa's error."""

from __future__ import annotations

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses

import addons.rasa_server

VALID = [
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "triage_level", "value": "urgent"}], "responses": [{"text": "hi"}]},
    {"events": [{"event": "action", "name": "action_listen"}, {"event": "followup", "name": "utter_greet"}]},
]
INVALID = [
    {"events": "not a list"},
    {"events": [{"event": "slot"}]},  # a slot event without a name
    {"events": [], "responses": "not a list"},
]


@pytest.fixture
def repaired(monkeypatch):
    """Rasa with the repairs installed for one test, restored afterwards."""
    rasa_resolve = Event.__dict__["resolve_by_type"]
    monkeypatch.setattr(Event, "resolve_by_type", rasa_resolve)
    monkeypatch.setattr(RemoteAction, "_validate_action_result", RemoteAction._validate_action_result)
    expected = {cls.type_name: rasa_resolve.__func__(cls.type_name) for cls in all_subclasses(Event)}
    addons.rasa_server.install()
    return expected


def test_every_event_type_resolves_as_in_rasa(repaired):
    for type_name, cls in repaired.items():
        assert Event.resolve_by_type(type_name) is cls
        assert Event.resolve_by_type(type_name) is cls  # and again, from the kept answers


def test_unknown_event_types_behave_as_in_rasa(repaired):
    with pytest.raises(ValueError):
        Event.resolve_by_type("no_such_event")
    slot_set = Event.resolve_by_type("slot")
    assert Event.resolve_by_type("no_such_event", default=slot_set) is slot_set
    with pytest.raises(ValueError):  # the default was not kept as the answer
        Event.resolve_by_type("no_such_event")


@pytest.mark.parametrize("response", VALID)
def test_valid_action_responses_are_accepted(repaired, response):
    assert RemoteAction("action_x", None)._validate_action_result(response) is True


@pytest.mark.parametrize("response", INVALID)
def test_invalid_action_responses_get_rasas_error(repaired, response):
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        RemoteAction("action_x", None)._validate_action_result(response)
