"""After a result: one offer at a time, after the consult recommendation (bot/offers.py).

A deployment that configures no clinic hand-off offers a check-in (issue 29, on unless
CHECKINS=off), then "Was this helpful?" (issue 28); the hand-off has tests of its own, and the
check-in's delivery is tested against a running server (tests/e2e/test_checkins.py)."""

from tests.conftest import CONSULT
from tests.conversations.test_interview import answer_until_done


async def test_the_result_closes_with_the_consult_then_offers_a_check_in_then_asks_if_it_helped(conversation):
    await conversation.say("my back hurts")
    await answer_until_done(conversation)
    responses = await conversation.responses()
    assert responses[-2:] == [CONSULT, "utter_offer_checkin"], responses
    await conversation.say("no thanks")
    assert (await conversation.slots())["checkin_consent"] is False
    assert (await conversation.responses())[-1] == "utter_offer_feedback"
    bot = (await conversation.bot_events())[-1]
    assert [b["title"] for b in bot.data["buttons"]] == ["Yes", "Partly", "No"]
    await conversation.say("partly")
    slots = await conversation.slots()
    assert slots["feedback"] == "partly" and slots["pending_offer"] is None
    assert (await conversation.responses())[-1] == "utter_feedback_thanks"
    # Asked once: more about the pain afterwards does not ask again.
    await conversation.say("it is worse when I sit for long")
    assert (await conversation.responses()).count("utter_offer_feedback") == 1


async def test_yes_to_the_check_in_is_kept_and_stop_check_ins_cancels_it(conversation):
    await conversation.say("my back hurts")
    await answer_until_done(conversation)
    await conversation.say("yes please")
    assert (await conversation.slots())["checkin_consent"] is True
    assert (await conversation.responses())[-2:] == ["utter_checkin_set", "utter_offer_feedback"]
    await conversation.say("stop check-ins")
    assert (await conversation.slots())["checkin_consent"] is False
    assert "won't check in" in (await conversation.texts())[-1]


async def test_a_goodbye_instead_of_an_answer_ends_with_the_consult(conversation):
    await conversation.say("my back hurts")
    await answer_until_done(conversation)
    await conversation.say("bye")
    responses = await conversation.responses()
    assert responses[-2:] == ["utter_goodbye", CONSULT], responses
    assert (await conversation.slots())["feedback"] is None


async def test_a_question_instead_of_an_answer_is_answered(conversation):
    await conversation.say("my back hurts")
    await answer_until_done(conversation)
    before = len(await conversation.responses())
    await conversation.say("what is sciatica?")
    texts = await conversation.texts()
    assert any("sciatic" in t.lower() for t in texts[before:]), texts[before:]
    # The question counts as no to the check-in, and the next offer follows the answer.
    responses = await conversation.responses()
    assert CONSULT in responses[before:] and responses[-1] == "utter_offer_feedback", responses[before:]
    assert (await conversation.slots())["checkin_consent"] is False


async def test_nothing_is_offered_after_an_emergency(conversation):
    await conversation.say("my back hurts")
    await conversation.say("I can't feel anything when I wipe and I've wet myself without knowing")
    responses = await conversation.responses()
    assert not any(r and r.startswith("utter_offer_") and r != "utter_offer_interview" for r in responses)
