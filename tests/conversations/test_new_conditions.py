"""Each condition added in issue 10 answers "what is ...?" from the content, through the
trained model and the real action server, and ends with the consult recommendation."""

import pytest

from bot.content import get_content
from tests.conftest import CONSULT, without_offers

# condition id -> how a person might ask about it
QUESTIONS = {
    "nonspecific_low_back_pain": "what is non-specific low back pain?",
    "axial_spondyloarthritis": "what is axial spondyloarthritis",
    "osteoporotic_fracture": "what is an osteoporotic fracture",
    "spondylolisthesis": "what's spondylolisthesis",
    "sacroiliac_joint_pain": "what is sacroiliac joint pain",
    "piriformis_syndrome": "what is piriformis syndrome?",
    "hip_osteoarthritis": "what is hip osteoarthritis",
    "peripheral_arterial_disease": "what is peripheral arterial disease",
    "deep_vein_thrombosis": "what is a dvt",
    "peripheral_neuropathy": "what is peripheral neuropathy",
    "meralgia_paraesthetica": "what is meralgia paraesthetica",
    "kidney_problem": "what is a kidney stone",
}


def test_every_new_condition_is_asked_about():
    content = get_content()
    new = [c.id for c in content.conditions.values()][15:]
    assert sorted(new) == sorted(QUESTIONS)


@pytest.mark.parametrize("condition_id", list(QUESTIONS))
async def test_what_is_answers_from_the_content_with_the_consult_advice(new_conversation, condition_id):
    condition = get_content().conditions[condition_id]
    conversation = new_conversation()
    await conversation.say(QUESTIONS[condition_id])
    tracker = await conversation.tracker()
    assert tracker.latest_message.intent["name"] == "ask_condition"
    texts = await conversation.texts()
    assert f"{condition.name}: {condition.summary}" in texts
    # When to get it checked; for a clot, a fracture or the kidneys that comes first.
    when = condition.professional_care[0]
    assert any(when in text for text in texts), texts
    if get_content().timeframes[condition.see_within].level != "routine":
        assert texts.index(when) == texts.index(f"{condition.name}: {condition.summary}") + 1
    responses = await conversation.responses()
    if responses[-1] == "utter_safety_question":
        # A question about a red-flag condition (a clot, a fracture): the safety screen adds
        # "Is this happening to you now?" after the answer and its consult advice (issue 8).
        assert CONSULT in responses
    else:
        assert without_offers(responses)[-1] == CONSULT
