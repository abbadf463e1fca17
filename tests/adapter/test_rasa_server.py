"""addons/rasa_server.py's repairs leave Rasa's answers unchanged: every event type resolves
to the class Rasa's own lookup finds, action responses are accepted and refused exactly
as Rasa's own check does, with Rasa's error, and the tracker passes (applied events,
dialogue states, copies) answer as Rasa's own after every event of conversations built to
reach each rule of those passes. tests/conversations/test_rasa_repairs.py checks the same
through the trained assistant."""

from __future__ import annotations

from typing import List

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import (
    ActionExecuted,
    ActionExecutionRejected,
    ActionReverted,
    ActiveLoop,
    BotUttered,
    Event,
    FollowupAction,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.utils.common import all_subclasses

import addons.rasa_server
from tests.support.repairs import checking_repairs, restore_after
from tests.support.stack import ROOT

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
    restore_after(monkeypatch)
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


# --- the tracker passes: applied events, dialogue states, copies --------------------------
FORM = "symptom_form"


def _user(text: str, intent: str = "describe_pain") -> UserUttered:
    return UserUttered(text, intent={"name": intent, "confidence": 1.0})


def _form_turns() -> List[Event]:
    """A form run the way Rasa records it: activated, asked, answered, a question in between
    (an unhappy path: rejected, another action), resumed, finished."""
    return [
        ActionExecuted(ACTION_LISTEN_NAME),
        _user("my lower back hurts"),
        ActionExecuted(FORM),
        ActiveLoop(FORM),
        SlotSet("requested_slot", "pain_spreads"),
        BotUttered("Does it spread?"),
        ActionExecuted(ACTION_LISTEN_NAME),
        _user("down my leg", "inform"),
        ActionExecuted(FORM),
        SlotSet("pain_spreads", "below_knee"),
        SlotSet("requested_slot", "nerve_symptoms"),
        ActionExecuted(ACTION_LISTEN_NAME),
        _user("what is sciatica", "ask_condition"),
        ActionExecutionRejected(FORM),
        ActionExecuted("action_answer_condition"),
        BotUttered("Sciatica is..."),
        ActionExecuted(FORM),
        SlotSet("requested_slot", "nerve_symptoms"),
        ActionExecuted(ACTION_LISTEN_NAME),
        _user("pins and needles", "inform"),
        ActionExecuted(FORM),
        SlotSet("nerve_symptoms", ["tingling"]),
        SlotSet("requested_slot", None),
        ActiveLoop(None),
        ActionExecuted("action_conclude_interview"),
        BotUttered("Possible causes..."),
        ActionExecuted("utter_consult_professional"),
        ActionExecuted(ACTION_LISTEN_NAME),
    ]


def _rewinds() -> List[Event]:
    return [
        _user("asdf", "nlu_fallback"),
        ActionExecuted("action_not_understood"),
        UserUtteranceReverted(),
        ActionExecuted("utter_greet"),
        ActionReverted(),
        ActionExecuted(ACTION_LISTEN_NAME),
        _user("hi", "greet"),
        ActionExecuted("utter_greet"),
        FollowupAction("utter_consult_professional"),
        ActionExecuted("utter_consult_professional"),
        ActionExecuted(ACTION_LISTEN_NAME),
    ]


SEQUENCES = {
    "form": [ActionExecuted(ACTION_LISTEN_NAME)] + _form_turns(),
    "form twice": _form_turns() + _form_turns(),
    "rewinds": [ActionExecuted(ACTION_LISTEN_NAME)] + _rewinds() + _form_turns(),
    "restart and new session": _form_turns() + [Restarted()] + _rewinds() + [SessionStarted()] + _form_turns(),
    # A form's name seen only after actions of that name: the whole pass changes.
    "late form name": [ActionExecuted(ACTION_LISTEN_NAME), _user("hi"), ActionExecuted(FORM), ActionExecuted(FORM)]
    + _form_turns(),
}


@pytest.fixture(scope="module")
def domain():
    from rasa.shared.core.domain import Domain

    return Domain.load(str(ROOT / "domain.yml"))


@pytest.mark.parametrize("name", sorted(SEQUENCES))
def test_tracker_passes_agree_with_rasa_event_by_event(domain, name):
    """The tracker grows one event at a time, as in a conversation; after each event every
    replaced method answers as Rasa's own, with the options the policies use."""
    from rasa.shared.core.trackers import DialogueStateTracker

    rule_only = {"rule_only_slots": ["safety_step"], "rule_only_loops": []}
    with checking_repairs() as checks:
        tracker = DialogueStateTracker("someone", domain.slots)
        for event in SEQUENCES[name]:
            tracker.update(event, domain)
            tracker.applied_events()
            domain.states_for_tracker_history(tracker)
            domain.states_for_tracker_history(
                tracker, omit_unset_slots=True, ignore_rule_only_turns=True, rule_only_data=rule_only
            )
            tracker.copy()
    assert not checks.differences, "\n".join(checks.differences)
    assert checks.calls["states_for_tracker_history"] == 2 * len(SEQUENCES[name])


def test_a_pass_is_not_carried_on_over_replaced_events(domain):
    """Events replaced under a tracker (as a tracker store read does) start the pass again."""
    from rasa.shared.core.trackers import DialogueStateTracker

    with checking_repairs() as checks:
        tracker = DialogueStateTracker.from_events("someone", SEQUENCES["form"], slots=domain.slots)
        domain.states_for_tracker_history(tracker)
        tracker.events.clear()
        tracker._reset()
        for event in SEQUENCES["rewinds"]:
            tracker.update(event)
        domain.states_for_tracker_history(tracker)
        tracker.applied_events()
    assert checks.calls["states_for_tracker_history"] == 2
    assert not checks.differences, "\n".join(checks.differences)


def test_returned_states_are_the_callers_own(domain):
    """Rasa's featurizer edits the states it is given; the kept pass must not see that."""
    from rasa.shared.core.trackers import DialogueStateTracker

    with checking_repairs() as checks:
        tracker = DialogueStateTracker.from_events("someone", SEQUENCES["form"][:10], slots=domain.slots)
        for state in domain.states_for_tracker_history(tracker):
            for sub_state in state.values():
                sub_state.clear()
        for event in SEQUENCES["form"][10:]:
            tracker.update(event)
            domain.states_for_tracker_history(tracker)
    assert not checks.differences, "\n".join(checks.differences)


def test_a_bounded_history_is_copied_by_replaying(domain):
    from rasa.shared.core.trackers import DialogueStateTracker

    with checking_repairs() as checks:
        tracker = DialogueStateTracker.from_events("someone", SEQUENCES["form twice"], slots=domain.slots)
        tracker._max_event_history = 5
        tracker.copy()
    assert checks.calls["copy"] == 1 and not checks.differences


def test_slot_copies_are_as_pythons_own(domain):
    """Every slot of the domain, unset and set, copies as copy.copy's generic path copies it,
    and the copy is its own: setting it leaves the original as it was."""
    import copy

    with checking_repairs() as checks:
        for slot in domain.slots:
            twin = copy.copy(slot)
            twin.value = "changed"
            assert slot.value != "changed" and not slot.has_been_set
            slot_set = copy.copy(slot)
            slot_set.value = slot_set.initial_value if slot_set.initial_value is not None else "x"
            copy.copy(slot_set)
    assert checks.calls["__copy__"] == 3 * len(domain.slots)
    assert not checks.differences, "\n".join(checks.differences)


class _Step:
    """A toy graph component: adds its config's number to what it is given, counting runs."""

    runs: List[str] = []

    def __init__(self, config, execution_context):
        self._add = config.get("add", 0)
        self._raise = config.get("raise")
        self._name = execution_context.node_name

    @classmethod
    def create(cls, config, model_storage, resource, execution_context):
        return cls(config, execution_context)

    def step(self, **given):
        _Step.runs.append(self._name)
        if self._raise:
            raise self._raise("broken node")
        return self._add + sum(given.values())


def _graph_runner(tmp_path, nodes):
    from rasa.engine.graph import ExecutionContext, GraphComponent, GraphSchema, SchemaNode
    from rasa.engine.runner.dask import DaskGraphRunner
    from rasa.engine.storage.local_model_storage import LocalModelStorage

    component = type("Step", (_Step, GraphComponent), {})
    schema = GraphSchema(
        {
            name: SchemaNode(
                needs=needs, uses=component, constructor_name="create", fn="step", config=config, is_target=target
            )
            for name, (needs, config, target) in nodes.items()
        }
    )
    return DaskGraphRunner(schema, LocalModelStorage(tmp_path), ExecutionContext(schema, "model"))


# A diamond (two nodes need the same one), an input, a node no target needs, two targets.
DIAMOND = {
    "source": ({"given": "__input__"}, {"add": 1}, False),
    "left": ({"x": "source"}, {"add": 10}, False),
    "right": ({"x": "source"}, {"add": 100}, False),
    "joined": ({"a": "left", "b": "right"}, {}, True),
    "aside": ({}, {"add": 5}, True),
    "unused": ({"x": "joined"}, {}, False),
}


@pytest.mark.parametrize(
    "inputs, targets",
    [
        ({"__input__": 3}, None),
        ({"__input__": 3}, ["joined"]),
        ({"__input__": 3}, ["left", "unused"]),
        (None, ["aside"]),
        ({"__input__": 3, "left": 0}, ["joined"]),  # an input standing in for a node
    ],
)
def test_the_graph_runs_as_with_dask(tmp_path, inputs, targets):
    runner = _graph_runner(tmp_path, DIAMOND)
    with checking_repairs() as checks:
        _Step.runs.clear()
        outputs = runner.run(inputs=inputs, targets=targets)
        repaired_runs = _Step.runs[: len(_Step.runs) // 2]
    assert checks.calls["run"] == 1 and not checks.differences, "\n".join(checks.differences)
    # Each node needed ran once, in each of the two runs.
    assert sorted(repaired_runs) == sorted(set(repaired_runs)) and sorted(_Step.runs[len(repaired_runs) :]) == sorted(
        repaired_runs
    )
    if targets == ["joined"] and inputs == {"__input__": 3}:
        assert outputs == {"joined": (3 + 1 + 10) + (3 + 1 + 100)}


def test_graph_errors_are_rasas(tmp_path, monkeypatch):
    """An input named as a node, and a node that fails, raise what Rasa's runner raises."""
    from rasa.engine.exceptions import GraphComponentException, GraphRunError

    restore_after(monkeypatch)
    nodes = {
        **DIAMOND,
        "broken": ({"x": "source"}, {"raise": RuntimeError}, False),
        "failing": ({}, {"raise": KeyError}, False),
    }
    for repaired in (False, True):
        if repaired:
            addons.rasa_server.install()
        runner = _graph_runner(tmp_path, nodes)
        with pytest.raises(GraphRunError, match="clashes with a node name"):
            runner.run(inputs={"__input__": "source"}, targets=["joined"])
        with pytest.raises(GraphComponentException) as failed:
            runner.run(inputs={"__input__": 3}, targets=["broken"])
        assert isinstance(failed.value.__cause__, RuntimeError)
        with pytest.raises(GraphComponentException) as failed:
            runner.run(targets=["failing"])
        assert isinstance(failed.value.__cause__, KeyError)
