"""The targeted safety questions and the new red-flag families through the trained assistant
(issue 22): in the Rasa process, in every state of a conversation.

- A red-flag concept mentioned but neither confirmed nor ruled out gets its question in the
  same reply, with Yes / No / Not sure: "yes" escalates, "not sure" gets the cautious advice,
  "no" carries on (the interview starts, or its question is asked again).
- Each new family escalates as a first message, mid-interview, after a result and after a
  question.
- After an escalation, "can it wait until Monday?" gets a direct no and the consult advice.
"""

from __future__ import annotations

import pytest

from tests.conversations.test_red_flags import reach, turn

CHECKS = {
    "bladder_bowel": "I've been having some bother with the toilet since my back went",
    "fever": "my temperature was up and down last night",
    "chest_breathing": "my chest feels funny",
    "weight_loss": "my weight has been going up and down",
    "fall_blow": "I had a fall",
    "pregnancy": "I'm 30 weeks pregnant and my back aches",
}
STATES = ("first message", "mid-interview", "after a result", "after a question")
ESCALATIONS = {"utter_safety_emergency", "utter_safety_urgent", "utter_safety_crisis"}


def _last(said):
    return said[-1] if said else (None, "", [])


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("check", sorted(CHECKS))
async def test_a_mention_gets_its_targeted_question_and_yes_escalates(agent, check, state):
    conversation = await reach(agent, state)
    await conversation.say(CHECKS[check])
    name, text, buttons = _last(await turn(conversation))
    assert name == "utter_safety_check", await turn(conversation)
    assert [b["title"] for b in buttons] == ["Yes", "No", "Not sure"]
    assert (await conversation.slots())["pending_question"].startswith(f"check:{check}")
    await conversation.say("yes")
    said = await turn(conversation)
    assert any(name in ESCALATIONS for name, _, _ in said), said
    slots = await conversation.slots()
    assert slots["triage_level"] in ("urgent", "emergency")
    names = [name for name, _, _ in said]
    assert "utter_consult_professional" in names
    # After an urgent instruction the interview goes on with its next question (or, when the
    # check stood before the questions, they are offered); after an emergency nothing follows
    # the consult advice.
    after = names[names.index("utter_consult_professional") + 1 :]
    assert not after or (
        slots["triage_level"] == "urgent"
        and all(n.startswith("utter_ask_") or n in ("utter_start_interview", "utter_offer_interview") for n in after)
    ), said


async def test_no_to_a_question_asked_before_the_interview_offers_the_interview(agent):
    conversation = await reach(agent, "first message")
    await conversation.say(CHECKS["bladder_bowel"])
    await conversation.say("no")
    said = await turn(conversation)
    assert [name for name, _, _ in said] == ["utter_safety_followup", "utter_offer_interview"], said
    assert "reassuring" in said[0][1]
    await conversation.say("yes")
    slots = await conversation.slots()
    said = await turn(conversation)
    assert slots["triage_level"] == "routine" and slots["requested_slot"], slots
    assert said[-1][0] == f"utter_ask_{slots['requested_slot']}", said


async def test_no_mid_interview_asks_the_same_question_again_and_records_nothing(agent):
    conversation = await reach(agent, "mid-interview")
    question = (await conversation.slots())["requested_slot"]
    await conversation.say(CHECKS["fever"])
    await conversation.say("no")
    said = await turn(conversation)
    slots = await conversation.slots()
    assert slots["requested_slot"] == question and slots.get(question) is None, said
    assert said[-1][0] == f"utter_ask_{question}", said


async def test_not_sure_gets_the_cautious_advice(agent):
    conversation = await reach(agent, "first message")
    await conversation.say(CHECKS["chest_breathing"])
    await conversation.say("not sure")
    said = await turn(conversation)
    assert said[0][0] == "utter_safety_followup" and "chest pain" in said[0][1], said
    assert (await conversation.slots())["triage_level"] == "routine"


async def test_each_question_is_asked_once(agent):
    conversation = await reach(agent, "first message")
    await conversation.say(CHECKS["weight_loss"])
    await conversation.say("no")
    await conversation.say("my weight is still going up and down")
    assert all(name != "utter_safety_check" for name, _, _ in await turn(conversation))


NEW_FAMILIES = {
    "came off scaffolding at work this morning and my back is agony": "emergency",
    "pressure in my chest going through to my back and I feel sick": "emergency",
    "my foot has gone cold and grey and waxy and i cant move my toes": "emergency",
    "thermometer says 38.9 and my back is killing me": "urgent",
    "I'm 28 weeks pregnant with back pain and some bleeding": "emergency",
    "there's no point going on with this pain": "emergency",
}


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("text,level", sorted(NEW_FAMILIES.items()))
async def test_new_red_flag_families_escalate_in_every_state(agent, text, level, state):
    conversation = await reach(agent, state)
    await conversation.say(text)
    said = await turn(conversation)
    assert said and said[0][0] in ESCALATIONS, said
    slots = await conversation.slots()
    assert slots["triage_level"] == level or slots["triage_level"] == "emergency", slots["triage_level"]
    names = [name for name, _, _ in said]
    after = names[names.index("utter_consult_professional") + 1 :]
    # Nothing after an emergency; after an urgent instruction only the interview's questions.
    assert not after or (
        slots["triage_level"] == "urgent"
        and all(n.startswith("utter_ask_") or n == "utter_start_interview" for n in after)
    ), said


@pytest.mark.parametrize(
    "question", ["can it wait until Monday?", "can I just take paracetamol and wait?", "do I really need to go?"]
)
async def test_after_an_emergency_waiting_is_refused_directly(agent, question):
    """ "This can't wait", first: not "No, ...", which answers "do I really need to go?" the
    wrong way round (usability review 7), nor "yes, ...", which heard after "can it wait until
    Monday?" sounds like "yes, it can" (usability review 9)."""
    conversation = await reach(agent, "first message")
    await conversation.say("I can't pee and my bum is numb")
    await conversation.say(question)
    said = await turn(conversation)
    assert said[0][0] == "utter_safety_reminder" and said[0][1].startswith("This can't wait: you need help now."), said
    assert [name for name, _, _ in said] == ["utter_safety_reminder", "utter_consult_professional"]


async def test_asking_about_cauda_equina_gets_its_signs_then_the_direct_check(agent):
    conversation = await reach(agent, "first message")
    await conversation.say("what are the symptoms of cauda equina syndrome?")
    said = await turn(conversation)
    assert [name for name, _, _ in said] == ["utter_safety_followup", "utter_safety_question"], said
    assert "numbness or tingling around your bottom" in said[0][1] and "Is this happening to you now?" in said[1][1]
    await conversation.say("yes")
    assert (await conversation.slots())["triage_level"] == "emergency"


@pytest.mark.parametrize("state", STATES)
async def test_should_i_go_to_a_and_e_gets_an_answer_not_the_menu(agent, state):
    conversation = await reach(agent, state)
    await conversation.say("should I go to A&E?")
    said = await turn(conversation)
    assert said[-1][0] == "utter_safety_check", said
    assert "go to A&E or call" in said[-1][1] and "Do you have any of these signs now?" in said[-1][1]
    assert not any(text.startswith("I can tell you about") for _, text, _ in said)
    await conversation.say("no")
    assert (await conversation.slots())["triage_level"] in ("routine", "urgent")


async def test_fear_is_acknowledged_before_the_next_question(agent):
    conversation = await reach(agent, "mid-interview")
    question = (await conversation.slots())["requested_slot"]
    await conversation.say("it really hurts and im scared")
    said = await turn(conversation)
    assert said[0][0] == "utter_safety_followup" and "natural to feel worried" in said[0][1], said
    assert said[-1][0] and said[-1][0].startswith("utter_ask_"), f"the interview goes on after {question}: {said}"
