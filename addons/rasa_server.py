"""Prepared by the Rasa server's launcher (addons/launch.py) before Rasa starts: repairs
to per-message costs that the profile in docs/performance.md found inside Rasa 3.6 (and one
to its start-up, in ``prepare``). None changes what Rasa decides or says;
tests/adapter/test_rasa_server.py checks the repairs. Each is registered in addons/patches.py
with the Rasa source it was written against: a Rasa whose source differs refuses to start.

- Every custom-action response is checked with ``jsonschema.validate``, which first checks
  Rasa's own constant schema against the JSON-Schema meta-schema: about nine tenths of the
  check, on every action call. Here the schema is checked once and a prepared validator
  accepts valid responses; an invalid one still goes through Rasa's own code and error.
- Every event read back (from the tracker store or an action's response) finds its class by
  walking all Event subclasses, for each event. Here the answer is kept per type name.
- ``DialogueStateTracker.applied_events`` (the conversation without the events that were
  undone: restarts, rewinds, a form's own earlier turns) is worked out again from the first
  event each time it is asked, several times per prediction, so a message's cost grew with
  the length of the conversation. It is a left-to-right pass over the events, so each
  tracker keeps where its last pass ended and carries on from there while the events it
  passed are still its first events, unchanged, and no new form name appeared (the pass
  treats a form's actions differently once the form has been seen anywhere in the
  conversation); otherwise it starts again from the first event as Rasa does.
- ``Domain.states_for_tracker_history`` (the dialogue state before every action so far, which
  the rules are matched against) replays every applied event into a fresh tracker for each
  prediction. It is a left-to-right pass too: each tracker keeps the pass up to the action
  before its latest user message (and before the running form's first step, since a form's
  later steps undo back to it); a later call that finds those same applied events first
  carries on from there on a copy, and replays only the rest.
- ``DialogueStateTracker.copy`` (made before every action is run) replays every event into a
  new tracker. A tracker's state is by Rasa's design what replaying its events gives, so
  the copy takes the events and that state as they are (not when the tracker keeps a
  bounded event history, where the two can differ).
- Every new tracker (several per message) makes its own copy of each of the domain's slots
  with ``copy.copy``, whose generic path (the object's reduce protocol) cost a tenth of a
  message. A slot's copy here is what that path makes: a new instance of the same class
  sharing the same attribute values.
- ``DaskGraphRunner.run`` (the NLU pipeline and the policies, several times per message)
  hands the graph to dask's scheduler, whose bookkeeping cost about a fifteenth of a
  message's time.
  Here each node runs once, after the nodes it needs, with the same inputs and the same
  outputs, errors and input-name check as Rasa's.
"""

from __future__ import annotations

import copy
import functools
import logging
import operator
from itertools import islice
from typing import Any, Dict, List, Optional, Set, Text, Type

_graph_logger = logging.getLogger("rasa.engine.runner.dask")  # where Rasa's runner logs


def _response_validator() -> Any:
    from jsonschema import validators
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def install() -> None:
    """The per-message repairs, each checked first against the Rasa it was written for
    (addons/patches.py: a Rasa that differs refuses to start)."""
    from addons import patches

    for patch in patches.REPAIRS:
        patches.install(patch.target)


def install_response_check() -> None:
    from rasa.core.actions.action import RemoteAction

    validator = _response_validator()
    rasa_validate = RemoteAction._validate_action_result

    @functools.wraps(rasa_validate)
    def validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
        return validator.is_valid(result) or rasa_validate(self, result)

    RemoteAction._validate_action_result = validate_action_result


def install_event_lookup() -> None:
    from rasa.shared.core.events import Event

    rasa_resolve = Event.resolve_by_type
    classes: Dict[Text, Type[Event]] = {}

    def resolve_by_type(type_name: Text, default: Optional[Type[Event]] = None) -> Optional[Type[Event]]:
        found = classes.get(type_name)
        if found is None:
            found = rasa_resolve(type_name, default)
            if found is not None and found.type_name == type_name:  # a match, not the default
                classes[type_name] = found
        return found

    Event.resolve_by_type = staticmethod(resolve_by_type)


def replace_method(class_name: str, name: str) -> None:
    """One of ``_replaced_methods()``: Rasa's own kept in RASA_ORIGINALS, the repair put in its place."""
    for cls, method_name, repaired in _replaced_methods():
        if (cls.__name__, method_name) == (class_name, name):
            RASA_ORIGINALS.setdefault((cls, name), cls.__dict__.get(name))
            setattr(cls, name, repaired)
            return
    raise LookupError(f"no repair of {class_name}.{name}")


def freeze_after_model_load() -> None:
    from rasa.core.agent import Agent

    from addons.collector import freeze_after

    freeze_after(Agent, "load_model")  # at start-up, and again when a model is replaced


def _replaced_methods() -> List[tuple]:
    from rasa.engine.runner.dask import DaskGraphRunner
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.slots import Slot
    from rasa.shared.core.trackers import DialogueStateTracker

    return [
        (DialogueStateTracker, "applied_events", applied_events),
        (DialogueStateTracker, "copy", copy_tracker),
        (Domain, "states_for_tracker_history", states_for_tracker_history),
        (Slot, "__copy__", copy_slot),
        (DaskGraphRunner, "run", run_graph),
    ]


# Rasa's own versions of the methods install() replaced, for comparing the repairs with them
# (tests/support/repairs.py); None where Rasa has none (``Slot.__copy__``: Python's generic
# copy applies).
RASA_ORIGINALS: Dict[tuple, Any] = {}


# What each event class does in the applied-events pass (Rasa asks isinstance, in this order).
_RESET, _ACTION_REVERTED, _UTTERANCE_REVERTED, _ACTION, _LOOP, _OTHER = range(6)
_PASS_STATE = "_applied_events_pass"  # tracker attribute: (events passed, form names, applied)


@functools.cache
def _role(event_class: type) -> int:
    from rasa.shared.core.events import (
        ActionExecuted,
        ActionReverted,
        ActiveLoop,
        Restarted,
        SessionStarted,
        UserUtteranceReverted,
    )

    for role, classes in (
        (_RESET, (Restarted, SessionStarted)),
        (_ACTION_REVERTED, ActionReverted),
        (_UTTERANCE_REVERTED, UserUtteranceReverted),
        (_ACTION, ActionExecuted),
        (_LOOP, ActiveLoop),
    ):
        if issubclass(event_class, classes):
            return role
    return _OTHER


def _loop_names(events: Any) -> Set[Text]:
    return {event.name for event in events if _role(event.__class__) == _LOOP and event.name}


def _undo_till(event_class: type, applied: List[Any]) -> None:
    """Rasa's ``_undo_till_previous`` without copying the list each time."""
    while applied:
        if isinstance(applied.pop(), event_class):
            return


def _undo_loop_turns(loop_name: Text, applied: List[Any]) -> None:
    """Rasa's ``_undo_till_previous_loop_execution`` without copying the list each time:
    back to the loop's previous execution, drop the actions and user messages, keep the rest."""
    from rasa.shared.core.events import ActionExecuted, DefinePrevUserUtteredFeaturization, UserUttered

    start = len(applied)
    while start > 0:
        event = applied[start - 1]
        if isinstance(event, ActionExecuted) and event.action_name == loop_name:
            break
        start -= 1
    dropped = (ActionExecuted, UserUttered, DefinePrevUserUtteredFeaturization)
    applied[start:] = [event for event in applied[start:] if not isinstance(event, dropped)]


def _applied_pass(tracker: Any, events: Any, applied: List[Any], loop_names: Set[Text]) -> List[Any]:
    """Rasa 3.6's ``applied_events`` loop over ``events``, starting from ``applied``."""
    from rasa.shared.core.events import ActionExecuted, UserUttered

    for event in events:
        role = _role(event.__class__)
        if role == _RESET:
            applied = []
        elif role == _ACTION_REVERTED:
            _undo_till(ActionExecuted, applied)
        elif role == _UTTERANCE_REVERTED:
            _undo_till(UserUttered, applied)
            _undo_till(ActionExecuted, applied)
        elif (
            role == _ACTION
            and event.action_name in loop_names
            and not tracker._first_loop_execution_or_unhappy_path(event.action_name, applied)
        ):
            _undo_loop_turns(event.action_name, applied)
        else:
            applied.append(event)
    return applied


def applied_events(self: Any) -> List[Any]:
    """``DialogueStateTracker.applied_events``, carried on from the tracker's previous pass."""
    events = self.events
    state = self.__dict__.get(_PASS_STATE)
    applied: Optional[List[Any]] = None
    if state is not None:
        passed, loop_names, passed_applied = state
        if len(passed) <= len(events) and all(map(operator.is_, passed, events)):
            new = list(islice(events, len(passed), None))
            if _loop_names(new) <= loop_names:
                applied = _applied_pass(self, new, list(passed_applied), loop_names)
    if applied is None:
        loop_names = _loop_names(events)
        applied = _applied_pass(self, events, [], loop_names)
    self.__dict__[_PASS_STATE] = (list(events), loop_names, applied)
    return list(applied)


_STATES_PASS = "_states_passes"  # tracker attribute: a _StatesPass per set of options


class _StatesPass:
    """``Domain.states_for_tracker_history``'s loop, stopped after ``len(events)`` applied events."""

    def __init__(self, domain: Any, options: tuple, rule_only_data: Any, replay: Any) -> None:
        self.domain, self.options, self.rule_only_data = domain, options, rule_only_data
        self.events: List[Any] = []
        self.replay = replay  # the tracker after ``events``; no one else holds it
        self.states: List[Dict[Text, Any]] = []
        self.last_ml_action_sub_state: Any = None
        self.turn_was_hidden = False

    def matches(self, domain: Any, options: tuple, rule_only_data: Any, applied: List[Any]) -> bool:
        return (
            self.domain is domain
            and self.options == options
            and self.rule_only_data == rule_only_data
            and len(self.events) <= len(applied)
            and all(map(operator.is_, self.events, applied))
        )

    def copy(self) -> "_StatesPass":
        twin = copy.copy(self)
        twin.events, twin.states, twin.replay = list(self.events), list(self.states), _replay_copy(self.replay)
        return twin

    def advance(self, events: List[Any]) -> None:
        from rasa.shared.core.events import ActionExecuted

        for event in events:
            if isinstance(event, ActionExecuted):
                self._add_state(event.hide_rule_turn)
            self.replay.update(event)
        self.events.extend(events)

    def finish(self) -> List[Dict[Text, Any]]:
        """The states, with the state after the last event; Rasa's callers change them, so
        they get their own copies."""
        self._add_state(False)
        return [{key: dict(sub_state) for key, sub_state in state.items()} for state in self.states]

    def _add_state(self, hide_rule_turn: bool) -> None:
        # Rasa 3.6's Domain.states_for_tracker_history, one iteration.
        from rasa.shared.core.constants import PREVIOUS_ACTION

        domain, tr = self.domain, self.replay
        omit_unset_slots, ignore_rule_only_turns = self.options
        if ignore_rule_only_turns:
            if not self.turn_was_hidden:
                self.last_ml_action_sub_state = domain._get_prev_action_sub_state(tr)
            if not tr.followup_action and tr.latest_action_name != tr.active_loop_name:
                self.turn_was_hidden = hide_rule_turn
            if self.turn_was_hidden:
                return
        state = domain.get_active_state(tr, omit_unset_slots=omit_unset_slots)
        if ignore_rule_only_turns:
            domain._remove_rule_only_features(state, self.rule_only_data)
            if self.states:
                domain._substitute_rule_only_user_input(state, self.states[-1])
            if self.last_ml_action_sub_state:
                state[PREVIOUS_ACTION] = self.last_ml_action_sub_state
        self.states.append(domain._clean_state(state))


def _replay_copy(replay: Any) -> Any:
    """A replay tracker's copy, for the states only (they never read its events)."""
    return _with_state_of(replay, replay.init_copy())


def _with_state_of(source: Any, twin: Any) -> Any:
    """``twin`` given what replaying ``source``'s events gave it; the slots and the active loop,
    which later events change in place, as copies."""
    twin.slots = {name: copy.copy(slot) for name, slot in source.slots.items()}
    twin._paused = source._paused
    twin.followup_action = source.followup_action
    twin.latest_action = dict(source.latest_action) if source.latest_action is not None else None
    twin.latest_message = source.latest_message
    twin.latest_bot_utterance = source.latest_bot_utterance
    twin.active_loop = copy.copy(source.active_loop)
    return twin


def _settled_length(applied: List[Any], loop_names: Set[Text]) -> int:
    """How many of the first applied events no later event is expected to undo: those before
    the action preceding the latest user message (a rewind goes back to it) and before the
    running form's first step (its later steps undo back to that one). A guess only: a pass
    is carried on only after checking that its events are still the first applied ones."""
    from rasa.shared.core.events import ActionExecuted, ActiveLoop, UserUttered

    settled = len(applied)
    latest_user = next((i for i in range(len(applied) - 1, -1, -1) if isinstance(applied[i], UserUttered)), None)
    if latest_user is not None:
        settled = next((i for i in range(latest_user - 1, -1, -1) if isinstance(applied[i], ActionExecuted)), 0)
    for index in range(len(applied) - 1, -1, -1):
        event = applied[index]
        if isinstance(event, ActiveLoop) and event.name is None:
            break  # a form that finished: nothing undoes back to its steps
        if isinstance(event, ActionExecuted) and event.action_name in loop_names:
            settled = min(settled, index)
    return settled


def states_for_tracker_history(
    self: Any,
    tracker: Any,
    omit_unset_slots: bool = False,
    ignore_rule_only_turns: bool = False,
    rule_only_data: Optional[Dict[Text, Any]] = None,
) -> List[Dict[Text, Any]]:
    """``Domain.states_for_tracker_history``, carried on from the tracker's settled pass."""
    applied = tracker.applied_events()
    options = (omit_unset_slots, ignore_rule_only_turns)
    passes = tracker.__dict__.setdefault(_STATES_PASS, {})
    saved = passes.get(options)
    if saved is None or not saved.matches(self, options, rule_only_data, applied):
        saved = passes[options] = _StatesPass(self, options, rule_only_data, tracker.init_copy())
    pass_state = tracker.__dict__.get(_PASS_STATE)
    loop_names = pass_state[1] if pass_state is not None else _loop_names(tracker.events)
    settled = _settled_length(applied, loop_names)
    if settled > len(saved.events):
        saved.advance(applied[len(saved.events) : settled])
    working = saved.copy()
    working.advance(applied[len(saved.events) :])
    return working.finish()


def copy_tracker(self: Any) -> Any:
    """``DialogueStateTracker.copy`` without replaying the events (see the module docstring)."""
    if self._max_event_history is not None:
        return self.travel_back_in_time(float("inf"))  # Rasa's copy
    twin = self.init_copy()  # as Rasa's copy: the sender, slot definitions, rule flag
    twin.events.extend(self.events)
    return _with_state_of(self, twin)


def copy_slot(self: Any) -> Any:
    """``copy.copy`` of a slot (see the module docstring)."""
    twin = self.__class__.__new__(self.__class__)
    twin.__dict__.update(self.__dict__)
    return twin


def run_graph(
    self: Any, inputs: Optional[Dict[Text, Any]] = None, targets: Optional[List[Text]] = None
) -> Dict[Text, Any]:
    """``DaskGraphRunner.run`` without dask's scheduler (see the module docstring)."""
    from rasa.engine.exceptions import GraphRunError

    run_targets = targets if targets else self._graph_schema.target_names
    needs = _needs_for(self, tuple(run_targets))
    outputs: Dict[Text, Any] = {}
    if inputs:
        graph = dict.fromkeys(needs)
        self._add_inputs_to_graph(inputs, graph)  # Rasa's own check: no input named as a node
        outputs = {name: graph[name] for name in inputs}
    _graph_logger.debug("Running graph with inputs: %s, targets: %s and %s.", inputs, targets, self._execution_context)

    def output_of(name: Text) -> Any:
        if name in outputs:
            return outputs[name]
        if name not in needs:
            return name  # as dask passes a name that is neither a node nor an input
        outputs[name] = self._instantiated_nodes[name](*(output_of(need) for need in needs[name]))
        return outputs[name]

    try:
        return dict(output_of(target) for target in run_targets)
    except RuntimeError as e:
        raise GraphRunError("Error running runner.") from e


def _needs_for(runner: Any, targets: tuple) -> Dict[Text, tuple]:
    """The nodes the targets need, each with the names of the nodes or inputs it is given:
    Rasa's minimal graph for those targets, kept per runner (its schema does not change)."""
    kept = runner.__dict__.setdefault("_needs_by_targets", {})
    if targets not in kept:
        schema = runner._graph_schema.minimal_graph_schema(list(targets))
        kept[targets] = {name: tuple(node.needs.values()) for name, node in schema.nodes.items()}
    return kept[targets]


def prepare() -> None:
    """Called by addons/launch.py before Rasa starts (once addons.patches.check("rasa") passed)."""
    # Start-up: loading the logistic-regression intent classifier imports skops.io, whose
    # import searches every loaded module for ~770 numpy/scipy/sklearn names. Imported
    # here, before Rasa brings in TensorFlow's thousands of modules, it takes a fraction
    # of the time (docs/performance.md).
    import skops.io  # noqa: F401

    from addons import patches

    install()
    patches.install("rasa.core.agent.Agent.load_model")
    patches.install("rasa.core.actions.action.DEFAULT_REQUEST_TIMEOUT")  # SafetyPolicy applies it again when loaded
