"""Every public intent through the trained model and the real action server."""

import pytest

from tests.conftest import CONSULT, without_offers

# message -> (expected intent, responses that must appear, must it end with the consult advice?)
CASES = [
    ("hello", "greet", ["utter_greet", "utter_not_a_doctor"], False),
    ("bye", "goodbye", ["utter_goodbye", CONSULT], True),
    ("thanks a lot", "thank", ["utter_you_are_welcome"], False),
    ("are you a real person?", "bot_challenge", ["utter_iamabot"], False),
    ("what can you do", "ask_help", ["utter_capabilities"], False),
    ("what's the weather like tomorrow", "out_of_scope", ["utter_out_of_scope", CONSULT], True),
    ("i don't know", "dont_know", ["utter_dont_know"], False),
    ("yes", "affirm", ["utter_capabilities"], False),
    ("no", "deny", [CONSULT], True),
    ("what is sciatica", "ask_condition", [CONSULT], True),
    ("does heat help back pain", "ask_treatment", [CONSULT], True),
    ("how many vertebrae are in the spine", "ask_anatomy", [CONSULT], True),
    ("my lower back hurts", "describe_pain", ["utter_start_interview", "utter_ask_pain_spreads"], False),
]


@pytest.mark.parametrize("message,intent,responses,ends_with_consult", CASES, ids=[c[1] for c in CASES])
async def test_intent_gets_its_reply(new_conversation, message, intent, responses, ends_with_consult):
    conversation = new_conversation()
    await conversation.say(message)
    tracker = await conversation.tracker()
    assert tracker.latest_message.intent["name"] == intent
    said = await conversation.responses()
    for response in responses:
        assert response in said, f"{response} missing from {said}"
    if ends_with_consult:
        assert said[-1] == CONSULT


async def test_condition_answer_comes_from_the_content_module(conversation):
    from bot.content import get_content

    await conversation.say("what is a slipped disc?")
    texts = " ".join(await conversation.texts())
    condition = get_content().conditions["herniated_disc"]
    assert condition.summary in texts
    assert without_offers(await conversation.responses())[-1] == CONSULT


async def test_treatment_answer_never_gives_doses(conversation):
    await conversation.say("can i take ibuprofen for my back?")
    texts = " ".join(await conversation.texts())
    assert "pharmacist" in texts.lower()
    import re

    assert not re.search(r"\d+\s*(mg|milligrams?|tablets?)\b", texts, re.I)


async def test_anatomy_answer(conversation):
    await conversation.say("what is the coccyx")
    texts = " ".join(await conversation.texts()).lower()
    assert "tailbone" in texts


async def test_greeting_says_it_is_not_a_doctor(conversation):
    await conversation.say("hi")
    assert "not a doctor" in " ".join(await conversation.texts()).lower()
