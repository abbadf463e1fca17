"""The per-message safety screen, inside the Rasa server process.

``SafetyPolicy`` is Rasa's RulePolicy with the screen in front of it. On every user
message, before any other action, it runs ``bot.turn.plan_turn`` (the red-flag decision
is bot/safety.py's) and
- sets the slots the screen keeps (triage_level, red_flags, the symptom record...) as
  events of its first prediction, which Rasa applies before the action runs;
- speaks first when the screen has something to say: each message is a domain response
  (``utter_safety_*``, text from the slot ``safety_text``), so nothing it says needs the
  action server. An emergency ends the turn there (instruction, consult advice, the
  interview stopped); otherwise the rules carry on as if the screen had been silent:
  they are shown the conversation without the screen's own steps;
- ends any turn that would otherwise be silent (an action server that is down or slow)
  with a fixed, safe reply and the consult advice.

It replaces ``action_validate_slot_mappings`` on the action server, so a turn needs no
round trip to the action server unless a rule's own action does.

Rasa waits ``rasa.core.actions.action.DEFAULT_REQUEST_TIMEOUT`` seconds for the action
server (300 s, read at call time); this module lowers it to ``ACTION_TIMEOUT``
(bot/settings.py, 10 s by default) when the policy is loaded.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

import rasa.core.actions.action as rasa_actions
from rasa.core.policies.policy import PolicyPrediction
from rasa.core.policies.rule_policy import RulePolicy
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from addons import metrics
from bot.contract import CONSULT_PROFESSIONAL, SAFETY_PLAN, SAFETY_STEP, SAFETY_TEXT
from bot.settings import get_settings
from bot.turn import LISTEN, Step, TurnPlan, fallback_step, plan_turn

logger = logging.getLogger(__name__)

# Step numbers (slot safety_step) of the steps after the rules, and of the fallback.
AFTER_BASE = 100
FALLBACK_BASE = 200


def apply_action_timeout() -> None:
    """A slow action server must not hold a turn for Rasa's default five minutes."""
    rasa_actions.DEFAULT_REQUEST_TIMEOUT = get_settings().action_timeout  # type: ignore[attr-defined]


def _turn_events(tracker: DialogueStateTracker) -> List[Event]:
    """The events since the latest user message (empty if there is none)."""
    events = list(tracker.events)
    for index in range(len(events) - 1, -1, -1):
        if isinstance(events[index], UserUttered):
            return events[index + 1 :]
    return []


def _slot_events(events: List[Event], name: Text) -> List[Any]:
    return [e.value for e in events if isinstance(e, SlotSet) and e.key == name]


def _without_screen_steps(tracker: DialogueStateTracker, domain: Domain) -> DialogueStateTracker:
    """The conversation as the rules should see it: the actions the screen ran (each one
    follows a SlotSet of safety_step) and their messages left out."""
    kept: List[Event] = []
    skipping = False
    marked = False
    for event in tracker.events:
        if isinstance(event, SlotSet) and event.key == SAFETY_STEP:
            marked = True
            continue
        if isinstance(event, ActionExecuted):
            skipping, marked = marked, False
            if skipping:
                continue
        elif isinstance(event, UserUttered):
            skipping = marked = False
        if skipping and isinstance(event, BotUttered):
            continue
        kept.append(event)
    return DialogueStateTracker.from_events(tracker.sender_id, kept, slots=domain.slots, domain=domain)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class SafetyPolicy(RulePolicy):
    """RulePolicy with the safety screen in front of it (see the module docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        apply_action_timeout()

    # -- predictions ---------------------------------------------------------------
    def _predict_action(self, name: Text, domain: Domain, events: List[Event]) -> PolicyPrediction:
        probabilities = [0.0] * domain.num_actions
        probabilities[domain.index_for_action(name)] = 1.0
        return self._prediction(probabilities, events=events)

    def _step(self, step: Step, number: int, domain: Domain, events: Optional[List[Event]] = None) -> PolicyPrediction:
        events = list(events or []) + [SlotSet(SAFETY_STEP, number)]
        if step.text is not None:
            events.append(SlotSet(SAFETY_TEXT, step.text))
        return self._predict_action(step.action, domain, events)

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: Optional[Dict[Text, Any]] = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        turn = _turn_events(tracker)
        if tracker.latest_message is None or not any(isinstance(e, UserUttered) for e in tracker.events):
            return super().predict_action_probabilities(tracker, domain, rule_only_data, **kwargs)
        if not any(isinstance(e, ActionExecuted) for e in turn):
            return self._first_step(tracker, domain, rule_only_data, **kwargs)
        return self._next_step(tracker, turn, domain, rule_only_data, **kwargs)

    def _first_step(self, tracker: DialogueStateTracker, domain: Domain, rule_only_data, **kwargs) -> PolicyPrediction:
        message = tracker.latest_message
        intent = (message.intent or {}).get("name")
        plan = plan_turn(tracker.current_slot_values(), message.text or "", intent, tracker.active_loop_name)
        events: List[Event] = [SlotSet(name, value) for name, value in plan.slots.items()]
        if plan.before or plan.after:
            events.append(SlotSet(SAFETY_PLAN, plan.as_slot()))
        if plan.before:
            return self._step(plan.before[0], 0, domain, events)
        prediction = super().predict_action_probabilities(tracker, domain, rule_only_data, **kwargs)
        prediction.events = events + list(prediction.events)
        return prediction

    def _next_step(self, tracker, turn: List[Event], domain: Domain, rule_only_data, **kwargs) -> PolicyPrediction:
        plans = _slot_events(turn, SAFETY_PLAN)
        plan = TurnPlan.from_slot(plans[-1] if plans else None)
        done = [n for n in _slot_events(turn, SAFETY_STEP) if isinstance(n, int)]
        if not plans and tracker.sender_source is not None:
            # `rasa test` replays a story's own events, without this policy's: the plan is
            # worked out again, and the story's actions so far are its steps.
            message = tracker.latest_message
            plan = plan_turn(
                tracker.current_slot_values(),
                message.text or "",
                (message.intent or {}).get("name"),
                tracker.active_loop_name,
            )
            done = list(range(len([e for e in turn if isinstance(e, ActionExecuted)])))
        before_done = len([n for n in done if n < AFTER_BASE])
        if before_done < len(plan.before):
            return self._step(plan.before[before_done], before_done, domain)
        if plan.then == LISTEN:
            return self._predict_action(ACTION_LISTEN_NAME, domain, [])
        view = _without_screen_steps(tracker, domain) if done else tracker
        prediction = super().predict_action_probabilities(view, domain, rule_only_data, **kwargs)
        if _predicted(prediction, domain) not in (ACTION_LISTEN_NAME, None):
            return prediction
        # The rules are done with this turn.
        after_done = len([n for n in done if AFTER_BASE <= n < FALLBACK_BASE])
        if after_done < len(plan.after):
            return self._step(plan.after[after_done], AFTER_BASE + after_done, domain)
        # A story replayed by `rasa test` (its tracker names its story file) has no bot
        # messages: nothing was lost there.
        replayed = tracker.sender_source is not None
        failed = _failed_actions(turn, domain)
        silent = not any(isinstance(e, BotUttered) for e in turn)
        if (silent or failed) and FALLBACK_BASE not in done and not replayed:
            logger.warning("A turn of %s lost its reply (%s); sending the safe fallback.", tracker.sender_id, failed)
            metrics.action_failures(len(failed))
            return self._step(fallback_step(), FALLBACK_BASE, domain)
        if FALLBACK_BASE in done and FALLBACK_BASE + 1 not in done:
            return self._step(Step(CONSULT_PROFESSIONAL), FALLBACK_BASE + 1, domain)
        return prediction


def _failed_actions(turn: List[Event], domain: Domain) -> List[Text]:
    """Custom actions of this turn that left no trace at all: Rasa logs them and carries on
    when the action server is down or times out. (Every custom action here says something
    or sets a slot when it works.)"""
    custom = {name for name in domain.user_actions if not name.startswith("utter_")} | set(domain.form_names)
    failed = []
    for index, event in enumerate(turn):
        if not (isinstance(event, ActionExecuted) and event.action_name in custom):
            continue
        results = []
        for later in turn[index + 1 :]:
            if isinstance(later, ActionExecuted):
                break
            if not (isinstance(later, SlotSet) and later.key in (SAFETY_STEP, SAFETY_TEXT)):
                results.append(later)
        if not any(isinstance(e, (BotUttered, SlotSet)) or e.type_name in ("active_loop", "followup") for e in results):
            failed.append(event.action_name)
    return failed


def _predicted(prediction: PolicyPrediction, domain: Domain) -> Optional[Text]:
    if not prediction.probabilities or max(prediction.probabilities) <= 0:
        return None
    return domain.action_names_or_texts[prediction.max_confidence_index]
