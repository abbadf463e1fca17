"""The ground-truth red-flag table (tests/data/red_flag_phrasings.yml) through the trained
assistant and the real action server.

- Every single phrasing in three conversation states: the first message, mid-interview
  (a question pending) and after a result (a finished interview). Each state is reached
  once and copied for every test, so a test is one turn.
- Every emergency and urgent phrasing once more after one of the table's prefixes
  (rotating through all 24), after an answered question (FAQ).
- The table's conversations, long-standing symptoms and general questions.
The full cross-product of prefixes runs on the rule layer in tests/unit/test_safety_table.py.
"""

from __future__ import annotations

import itertools
import re
import uuid
from typing import Dict, List, Optional, Tuple

import pytest

from tests.conftest import CONSULT, Conversation, without_offers
from tests.support.safety_table import CRISIS, LEVELS, load_table
from tests.unit.test_safety_table import ELSEWHERE, NOT_ASKED

TABLE = load_table()
ESCALATIONS = {"utter_safety_emergency", "utter_safety_urgent", "utter_safety_crisis"}
# How each state is reached ("after a result": a whole interview, answered with taps).
STATES: Dict[str, List[str]] = {
    "first message": [],
    "mid-interview": ["my lower back hurts"],
    "after a result": ["my lower back hurts"],
    "after a question": ["what is sciatica?"],
}
_bases: Dict[str, str] = {}


async def reach(agent, state: str) -> Conversation:
    """A new conversation in ``state``: a copy of one that got there once."""
    from rasa.shared.core.trackers import DialogueStateTracker

    from tests.conversations.test_interview import answer_until_done

    if not STATES[state]:
        return Conversation(agent)
    if state not in _bases:
        base = Conversation(agent)
        for text in STATES[state]:
            await base.say(text)
        if state == "after a result":
            await answer_until_done(base)
        _bases[state] = base.sender_id
    original = await agent.tracker_store.retrieve(_bases[state])
    conversation = Conversation(agent, f"red-flags-{uuid.uuid4().hex[:12]}")
    copy = DialogueStateTracker.from_events(conversation.sender_id, list(original.events), slots=agent.domain.slots)
    await agent.tracker_store.save(copy)
    return conversation


async def turn(conversation: Conversation) -> List[Tuple[Optional[str], str, list]]:
    """(response name, text, buttons) of the bot messages after the latest user message."""
    from rasa.shared.core.events import BotUttered, UserUttered

    events = list((await conversation.tracker()).events)
    last_user = max(i for i, e in enumerate(events) if isinstance(e, UserUttered))
    return [
        (e.metadata.get("utter_action"), e.text or "", (e.data or {}).get("buttons") or [])
        for e in events[last_user:]
        if isinstance(e, BotUttered)
    ]


def at_least(level: Optional[str], expected: str) -> bool:
    target = "emergency" if expected == CRISIS else expected
    return LEVELS.index(level or "routine") >= LEVELS.index(target)


async def check(conversation: Conversation, text: str, expected: str) -> None:
    slots_before = await conversation.slots()
    await conversation.say(text)
    slots = await conversation.slots()
    said = await turn(conversation)
    names = [name for name, _, _ in said]
    texts = " ".join(t for _, t, _ in said)
    assert "What you describe" not in texts
    if expected == "routine":
        assert slots["triage_level"] == slots_before.get("triage_level", "routine") == "routine", slots["red_flags"]
        assert not ESCALATIONS & set(names), said
        return
    level = slots["triage_level"]
    assert at_least(level, expected), f"{text!r}: {level}, {slots['red_flags']}"
    assert names[0] in ESCALATIONS, f"the escalation comes first: {said}"
    assert CONSULT in names, "the escalation ends with the consult advice"
    if expected == CRISIS:
        assert "utter_safety_crisis" in names and "116 123" in texts and "999" in texts
        return
    assert "You mentioned:" in texts
    first = said[0][1]
    if level == "emergency":
        assert first.startswith("Please call 999 now"), first
        assert (await conversation.tracker()).active_loop_name is None, "no routine questions after an emergency"
    else:
        assert first.startswith("Please get checked today") and "NHS 111" in first, first


# Found when the safety, interview and content work met (a false alarm, the safe direction):
# a past, cleared-up urinary infection said after back pain was recorded counts towards the
# kidney-infection rule. As the first message it is read correctly; the states where it is
# not are listed, each a strict expected failure until the screen tells it apart.
OVER_TRIAGE_AFTER_MERGE: dict = {}


def _marks(text: str, state: str = ""):
    if text in ELSEWHERE:
        return [pytest.mark.xfail(strict=True, reason="rules from the content branch")]
    if state in OVER_TRIAGE_AFTER_MERGE.get(text, ()):
        return [
            pytest.mark.xfail(
                strict=True, reason="a cleared-up UTI said after back pain was recorded raises kidney_infection_signs"
            )
        ]
    return []


def _param(entry, state: str, prefix: str = ""):
    text = prefix + entry["text"]
    return pytest.param(text, entry["expect"], state, id=f"{state}: {text[:60]}", marks=_marks(entry["text"], state))


SINGLES = [
    _param(entry, state) for entry in TABLE["single"] for state in ("first message", "mid-interview", "after a result")
]
_prefixes = itertools.cycle(TABLE["prefixes"])
WITH_PREFIX = [
    _param(entry, "after a question", next(_prefixes))
    for entry in TABLE["single"]
    if entry["expect"] in ("emergency", "urgent")
]


@pytest.mark.parametrize("text,expected,state", SINGLES + WITH_PREFIX)
async def test_phrasing_in_a_conversation_state(agent, text, expected, state):
    await check(await reach(agent, state), text, expected)


@pytest.mark.parametrize("entry", [pytest.param(e, id=e["kind"]) for e in TABLE["sequences"]])
async def test_conversation_from_the_table(new_conversation, entry):
    conversation = new_conversation()
    names: List[Optional[str]] = []
    for text in entry["messages"]:
        await conversation.say(text)
        names += [name for name, _, _ in await turn(conversation)]
    level = (await conversation.slots())["triage_level"]
    if entry["expect"] == CRISIS:
        assert level == "emergency" and "utter_safety_crisis" in names
    else:
        assert level == entry["expect"], entry["messages"]


@pytest.mark.parametrize("entry", [pytest.param(e, id=e["text"][:60]) for e in TABLE["long_standing"]])
async def test_long_standing_symptom(new_conversation, entry):
    conversation = new_conversation()
    await conversation.say(entry["text"])
    assert (await conversation.slots())["triage_level"] != "emergency", "not an emergency at once"
    said = await turn(conversation)
    if entry["text"] not in NOT_ASKED:
        name, text, buttons = said[-1]
        assert name == "utter_safety_question" and "Is this new, or has it changed recently" in text
        assert [b["payload"] for b in buttons] == ["yes", "no"]
    await conversation.say(entry["new_or_changed_answer"])
    assert (await conversation.slots())["triage_level"] == entry["expect_after_answer"]


QUESTIONS = [
    pytest.param(e["text"], e["about"], id=e["text"][:60], marks=_marks(e["text"])) for e in TABLE["questions"]
]


@pytest.mark.parametrize("text,about", QUESTIONS)
async def test_general_question_then_yes(new_conversation, text, about):
    conversation = new_conversation()
    await conversation.say(text)
    said = await turn(conversation)
    texts = " ".join(t for _, t, _ in said)
    assert (await conversation.slots())["triage_level"] == "routine"
    assert "What you describe" not in texts and "You mentioned" not in texts
    name, last, buttons = said[-1]
    # What "this" is, named when nothing explained it first (usability review 10).
    assert name == "utter_safety_question" and re.match(r"^(About [^:]+: i|I)f this is happening to you now", last)
    assert last.endswith("Is this happening to you now?") and [b["title"] for b in buttons] == ["Yes", "No"]
    await conversation.say("yes")
    assert at_least((await conversation.slots())["triage_level"], about)


# ----------------------------------------------------------------- across turns
async def test_emergency_after_the_result_and_it_is_repeated_afterwards(conversation):
    from tests.conversations.test_interview import answer_until_done

    await conversation.say("my lower back hurts")
    await answer_until_done(conversation)
    assert (await conversation.slots())["triage_level"] == "routine"
    await conversation.say("oh and i think i wet myself earlier without noticing")
    assert (await conversation.slots())["triage_level"] == "emergency"
    # Later messages get the instruction again and the consult advice, nothing routine (#26); a
    # question about a condition is answered after the instruction (usability review 5).
    await conversation.say("what is sciatica")
    said = await turn(conversation)
    assert said[0][0] == "utter_safety_reminder" and "call 999" in said[0][1]
    assert [name for name, _, _ in said] == ["utter_safety_reminder", "utter_safety_followup", CONSULT], said
    assert said[1][1].startswith("Sciatica:") and "Things that often help" not in said[1][1]
    # A new symptom description does not restart a normal interview.
    await conversation.say("my back still hurts")
    assert (await conversation.tracker()).active_loop_name is None
    assert (await conversation.slots())["triage_level"] == "emergency"
    assert (await turn(conversation))[-1][0] == CONSULT


async def test_an_emergency_said_again_gets_the_instruction_and_the_consult_advice(conversation):
    await conversation.say("my chest feels tight and my upper back hurts")
    await conversation.say("my chest feels tight and my upper back hurts")
    said = await turn(conversation)
    assert "call 999 now" in said[0][1]
    assert said[-1][0] == CONSULT


async def test_yes_to_the_screening_question_escalates_in_the_rasa_process(conversation):
    await conversation.say("my lower back hurts")
    await conversation.say("it stays in my back")
    await conversation.say("no none of those")
    assert "utter_ask_screen_cauda_equina" in await conversation.responses()
    await conversation.say("yes")
    slots = await conversation.slots()
    assert slots["triage_level"] == "emergency"
    assert "cauda_equina_screen" in slots["red_flags"]
    assert (await conversation.tracker()).active_loop_name is None
    assert without_offers(await conversation.responses())[-1] == CONSULT


async def test_not_sure_to_the_screening_question_gets_a_safety_net_and_the_interview_goes_on(conversation):
    await conversation.say("my lower back hurts")
    await conversation.say("it stays in my back")
    await conversation.say("no none of those")
    await conversation.say("not sure")
    said = await turn(conversation)
    assert said[0][0] == "utter_safety_followup" and "when you wipe" in said[0][1]
    assert said[-1][0].startswith("utter_ask_"), "the interview goes on"
    assert (await conversation.slots())["triage_level"] == "routine"


async def test_level_never_goes_down(conversation):
    await conversation.say("i have a fever and back pain")
    assert (await conversation.slots())["triage_level"] == "urgent"
    await conversation.say("no fever actually, i was wrong")
    assert (await conversation.slots())["triage_level"] == "urgent"
