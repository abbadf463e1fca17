"""The consult advice that ends every path takes its emergency or urgent form after an
emergency or urgent instruction (issue 26): conditional variations of
``utter_consult_professional`` in domain.yml on the slot ``triage_level``, chosen by Rasa's
own response selection, through the trained assistant and the real action server.

The routine wordings ("if the pain lasts more than a few weeks", "especially if it isn't
getting better") must never follow an emergency or urgent instruction in the same reply.
"""

from __future__ import annotations

from typing import Dict, List, Optional, Tuple

import pytest

from bot.content import get_content
from tests.conftest import CONSULT, Conversation

EMERGENCY = "I can't control my bladder and my bum is numb"
URGENT = "i have a fever and back pain"
CRISIS = "i want to kill myself"
ROUTINE_WORDING = ("few weeks", "getting better", "isn't getting better")
DRAWS = 40  # Rasa picks among matching variations at random: enough draws to see any other


def variations(agent, after_result: bool = False) -> Dict[Optional[str], List[str]]:
    """The consult advice's texts by the triage level of their condition (None: unconditional);
    those for after the result (condition ``result_given``) only with ``after_result``."""
    found: Dict[Optional[str], List[str]] = {}
    for variant in agent.domain.responses[CONSULT]:
        conditions = variant.get("condition") or []
        if any(c.get("name") == "result_given" for c in conditions) != after_result:
            continue
        if any(c.get("name") == "crisis_only" and c.get("value") for c in conditions):
            continue  # the crisis reply's own form (test_the_crisis_reply_has_its_own_consult_form)
        levels = [c["value"] for c in conditions if c.get("name") == "triage_level"]
        found.setdefault(levels[0] if levels else None, []).append(variant["text"])
    return found


async def turn(conversation: Conversation) -> List[Tuple[Optional[str], str]]:
    """(response name, text) of the bot messages after the latest user message."""
    from rasa.shared.core.events import BotUttered, UserUttered

    events = list((await conversation.tracker()).events)
    last_user = max(i for i, e in enumerate(events) if isinstance(e, UserUttered))
    return [(e.metadata.get("utter_action"), e.text or "") for e in events[last_user:] if isinstance(e, BotUttered)]


def test_the_domain_has_an_emergency_and_an_urgent_form_and_keeps_the_routine_ones(agent):
    found = variations(agent)
    assert set(found) == {"emergency", "urgent", None}, found
    # Several wordings of the emergency form (usability review 5: one line after every answer).
    assert len(found["emergency"]) >= 2 and len(found["urgent"]) == 1
    assert any("few weeks" in text for text in found[None]), "the routine wordings are kept for routine paths"
    for level in ("emergency", "urgent"):
        assert not any(words in text for text in found[level] for words in ROUTINE_WORDING), found[level]


@pytest.mark.parametrize("level", ["emergency", "urgent", "routine", None])
def test_rasa_selects_the_variation_by_triage_level(agent, level):
    """The trained model's own response generator (what every utterance goes through)."""
    from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator

    nlg = TemplatedNaturalLanguageGenerator(agent.domain.responses)
    # crisis_only as the tracker holds it (initial value false; true only after the crisis reply alone)
    slots = {"triage_level": level, "crisis_only": False, "place_gp": "your GP", "place_pharmacist": "a pharmacist"}
    said = {nlg.generate_from_slots(CONSULT, slots, "socketio")["text"] for _ in range(DRAWS)}
    found = variations(agent)
    if level in ("emergency", "urgent"):
        assert said == set(found[level]), said
    else:
        routine = {text.format(**slots) for text in found[None]}
        assert said <= routine and said, said


def test_the_crisis_reply_has_its_own_consult_form_and_it_alone_matches_a_crisis(agent):
    """After the crisis reply alone the consult advice speaks of talking to someone and the GP,
    not of "the professionals I mentioned"; Rasa picks among every matching variation, so
    exactly one may match each state."""
    from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator

    nlg = TemplatedNaturalLanguageGenerator(agent.domain.responses)
    crisis = {"triage_level": "emergency", "crisis_only": True}
    emergency = {"triage_level": "emergency", "crisis_only": False}
    said = {nlg.generate_from_slots(CONSULT, crisis, "socketio")["text"] for _ in range(DRAWS)}
    assert len(said) == 1 and "talk to someone" in said.pop()
    said = {nlg.generate_from_slots(CONSULT, emergency, "socketio")["text"] for _ in range(DRAWS)}
    assert said == set(variations(agent)["emergency"])


async def test_the_emergency_reply_ends_with_the_emergency_form(conversation):
    await conversation.say(EMERGENCY)
    said = await turn(conversation)
    assert (await conversation.slots())["triage_level"] == "emergency"
    assert said[0][0] == "utter_safety_emergency" and "call 999 now" in said[0][1], said
    assert said[-1][0] == CONSULT and said[-1][1] in variations(conversation.agent)["emergency"], said
    after = " ".join(text for _, text in said[1:])
    assert not any(words in after for words in ROUTINE_WORDING), said


async def test_the_urgent_reply_ends_its_consult_advice_in_the_urgent_form(conversation):
    await conversation.say(URGENT)
    said = await turn(conversation)
    assert (await conversation.slots())["triage_level"] == "urgent"
    assert said[0][0] == "utter_safety_urgent", said
    consults = [text for name, text in said if name == CONSULT]
    assert consults == variations(conversation.agent)["urgent"], said
    after = " ".join(text for _, text in said[1:])
    assert not any(words in after for words in ROUTINE_WORDING), said


async def test_after_an_emergency_every_later_consult_advice_is_the_emergency_form(conversation):
    # (An answer to a question asked after it, e.g. what sciatica is, keeps its own content,
    # "see a GP if it is not getting better after a few weeks" included: only the consult
    # advice is checked here.)
    await conversation.say(EMERGENCY)
    for text in ("what is sciatica", "my back still hurts", "bye"):
        await conversation.say(text)
        said = await turn(conversation)
        consults = [t for name, t in said if name == CONSULT]
        assert consults and set(consults) <= set(variations(conversation.agent)["emergency"]), (text, said)


async def test_a_crisis_reply_ends_with_the_crisis_form(conversation):
    """A usability review: "the professionals I mentioned" and "a routine appointment" after the
    crisis reply read wrong; its own form speaks of talking to someone and the GP."""
    await conversation.say(CRISIS)
    said = await turn(conversation)
    assert said[0][0] == "utter_safety_crisis", said
    assert said[-1][0] == CONSULT and "talk to someone" in said[-1][1], said
    assert not any(words in said[-1][1] for words in ROUTINE_WORDING + ("professionals I mentioned",)), said


async def test_a_routine_path_keeps_the_routine_wordings(conversation):
    await conversation.say("what is sciatica")
    said = await turn(conversation)
    assert said[-1][0] == CONSULT
    routine = [
        t.format(place_gp="your GP", place_pharmacist="a pharmacist") for t in variations(conversation.agent)[None]
    ]
    assert said[-1][1] in routine, said


async def test_safe_after_the_crisis_reply_the_pain_can_still_be_talked_about(conversation):
    """ "No, I'm not going to hurt myself, I was just venting": heard, the contacts kept, and the
    symptom questions offered and run (issue 26: the crisis reply was a dead end)."""
    await conversation.say(CRISIS)
    await conversation.say("no I'm not going to hurt myself, I was just venting")
    said = await turn(conversation)
    names = [name for name, _ in said]
    assert "116 123" in said[0][1] and "999" in said[0][1], said
    assert names[-1] == "utter_offer_interview", said
    await conversation.say("yes")
    said = await turn(conversation)
    tracker = await conversation.tracker()
    assert tracker.active_loop_name == "symptom_form", said
    assert not any(name == "utter_safety_reminder" for name, _ in said), said
    await conversation.say("it spreads down my left leg to the knee")
    assert (await conversation.tracker()).active_loop_name == "symptom_form"


async def test_a_crisis_said_again_after_saying_safe_gets_the_crisis_reply_again(conversation):
    await conversation.say(CRISIS)
    await conversation.say("I'm safe, I was just venting")
    await conversation.say("actually I've got the pills lined up and I want to take them all tonight")
    said = await turn(conversation)
    assert "116 123" in " ".join(text for _, text in said) and "999" in said[0][1], said


ANSWERS = {
    "pain_location": "lower back",
    "pain_spreads": "no, it stays put",
    "nerve_symptoms": "none of these",
    "screen_cauda_equina": "no",
    "screen_weakness_progression": "no",
    "aggravating_factors": "bending",
    "easing_factors": "lying down",
    "pain_onset": "lifting a box",
    "screen_major_trauma": "no",
    "pain_duration": "5 days",
    "pain_severity": "5",
    "age": "40",
    "screen_systemic": "no",
}


async def to_the_result(conversation: Conversation) -> None:
    """A lifting strain told, then each question answered from ANSWERS until the result."""
    await conversation.say("my lower back hurts after lifting a box")
    for _ in range(len(ANSWERS) + 2):
        slots = await conversation.slots()
        if slots.get("possible_causes") is not None:
            break
        await conversation.say(ANSWERS.get(slots.get("requested_slot"), "no"))


async def test_after_the_result_the_consult_advice_is_short_not_the_paragraph_again(conversation):
    """Issue 26: the full advice ended every message after the result (five times for one person)."""
    await to_the_result(conversation)
    slots = await conversation.slots()
    assert slots.get("possible_causes") and slots.get("triage_level") == "routine", [
        (t["user"], [b.get("text", "")[:80] for b in t["bot"]]) for t in conversation.turns
    ]
    result_consults = [t for name, t in await turn(conversation) if name == CONSULT]
    full = [t.format(place_gp="your GP", place_pharmacist="a pharmacist") for t in variations(conversation.agent)[None]]
    assert result_consults and result_consults[-1] in full, result_consults
    short = {t.format(place_gp="your GP") for t in variations(conversation.agent, after_result=True)["routine"]}
    # Usability review 4: the same "As I said..." line closed every answer; it varies now.
    assert len(short) >= 3 and not any("as i said" in t.lower() for t in short), short
    for question in ("what is sciatica", "does heat help", "what is a slipped disc"):
        await conversation.say(question)
        later = [t for name, t in await turn(conversation) if name == CONSULT]
        assert len(later) == 1 and later[0] in short, later


async def test_the_plan_offered_with_the_result_comes_when_asked_and_again(conversation):
    """Usability reviews: the result was too long for a phone with the plan in it, so it is
    offered; "show me my exercise plan" (the widget's button) and "can i get the exercise
    plan again" bring it, not the topic menu."""
    await to_the_result(conversation)
    result_texts = [t for _, t in await turn(conversation)]
    offer = get_content().dialogue["plan_offer"]
    assert offer in result_texts and not any(t.startswith("Your activity plan:") for t in result_texts), result_texts
    await conversation.say("show me my exercise plan")
    plans = [t for _, t in await turn(conversation) if t.startswith("Your activity plan:")]
    assert plans, conversation.turns[-1]
    await conversation.say("can i get the exercise plan again")
    again = await turn(conversation)
    assert any(t == plans[0] for _, t in again), again
    names = [name for name, _ in again]
    # The consult advice ends the answer; the offer left unanswered is followed by the next one.
    assert CONSULT in names and all(
        name and name.startswith("utter_offer") for name in names[names.index(CONSULT) + 1 :]
    )
