"""Every red-flag phrasing through the trained assistant, in several conversation states."""

import pytest

from tests.conftest import CONSULT
from tests.conversations.red_flag_phrasings import EMERGENCY, PHRASINGS, ROUTINE, URGENT

# How to reach each state before the phrasing is sent.
STATES = {
    "first message": [],
    "mid-interview": ["my lower back hurts"],
    "mid-FAQ": ["what is sciatica?"],
    "at a screening question": ["my lower back hurts", "it stays in my back", "no none of those"],
}


async def turn_responses(conversation):
    """(response name, text) of the bot messages after the latest user message."""
    from rasa.shared.core.events import BotUttered, UserUttered

    events = (await conversation.tracker()).events
    last_user = max(i for i, e in enumerate(events) if isinstance(e, UserUttered))
    return [
        (e.metadata.get("utter_action"), e.text or "") for e in list(events)[last_user:] if isinstance(e, BotUttered)
    ]


@pytest.mark.parametrize("state", list(STATES))
@pytest.mark.parametrize("text,level", PHRASINGS, ids=[p[0] for p in PHRASINGS])
async def test_red_flag_in_every_state(new_conversation, monkeypatch, state, text, level):
    conversation = new_conversation()
    for message in STATES[state]:
        await conversation.say(message)
    assert (await conversation.slots()).get("triage_level") in (None, ROUTINE)
    await conversation.say(text)
    slots = await conversation.slots()
    said = await turn_responses(conversation)
    texts = " ".join(t for _, t in said)
    assert slots["triage_level"] == level, f"{text!r} in state {state!r}: {slots['red_flags']}"
    if level == ROUTINE:
        assert not slots["red_flags"]
        assert "999" not in texts
        return
    assert slots["red_flags"]
    names = [name for name, _ in said]
    assert CONSULT in names, "the escalation ends with the consult advice"
    if level == EMERGENCY:
        assert "call 999 now" in texts.lower()
        assert (await conversation.tracker()).active_loop_name is None, "no routine questions after an emergency"
    else:
        assert "111" in texts and "today" in texts


async def test_emergency_after_the_result_and_it_is_repeated_afterwards(conversation):
    from tests.conversations.test_interview import answer_until_done

    await conversation.say("my lower back hurts")
    await answer_until_done(conversation)
    assert (await conversation.slots())["triage_level"] == ROUTINE
    await conversation.say("oh and i think i wet myself earlier without noticing")
    assert (await conversation.slots())["triage_level"] == EMERGENCY
    # Later questions are answered, but the instruction is repeated first.
    await conversation.say("what is sciatica")
    texts = " ".join(t for _, t in await turn_responses(conversation))
    assert "call 999" in texts.lower() and "sciatica" in texts.lower()
    # A new symptom description does not restart a normal interview.
    await conversation.say("my back still hurts")
    assert (await conversation.tracker()).active_loop_name is None
    assert (await conversation.slots())["triage_level"] == EMERGENCY
    assert (await turn_responses(conversation))[-1][0] == CONSULT


async def test_an_emergency_said_again_gets_the_instruction_and_the_consult_advice(conversation):
    """Found by the explorer: a repeated emergency once got the reminder alone."""
    await conversation.say("my chest feels tight and my upper back hurts")
    await conversation.say("my chest feels tight and my upper back hurts")
    said = await turn_responses(conversation)
    assert "call 999 now" in said[0][1]
    assert said[-1][0] == CONSULT


async def test_red_flags_said_in_separate_messages_combine(conversation):
    await conversation.say("i have osteoporosis")
    assert (await conversation.slots())["triage_level"] == ROUTINE
    await conversation.say("and yesterday i slipped and fell on the stairs")
    assert (await conversation.slots())["triage_level"] in (URGENT, EMERGENCY)


async def test_yes_to_the_screening_question_escalates(conversation):
    await conversation.say("my lower back hurts")
    await conversation.say("it stays in my back")
    await conversation.say("no none of those")
    assert "utter_ask_screen_cauda_equina" in await conversation.responses()
    await conversation.say("yes")
    slots = await conversation.slots()
    assert slots["triage_level"] == EMERGENCY
    assert "cauda_equina_screen" in slots["red_flags"]
    assert (await conversation.tracker()).active_loop_name is None
    assert (await conversation.responses())[-1] == CONSULT


async def test_level_never_goes_down(conversation):
    await conversation.say("i have a fever and back pain")
    assert (await conversation.slots())["triage_level"] == URGENT
    await conversation.say("no fever actually, i was wrong")
    assert (await conversation.slots())["triage_level"] == URGENT
