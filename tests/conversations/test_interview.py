"""The symptom interview through the trained assistant (issue: symptom interview)."""

import pytest

from bot.content import get_content
from tests.conftest import CONSULT, without_offers

# Button payloads as the widget sends them, one per question.
TAPS = {
    "utter_ask_pain_location": "lower back",
    "utter_ask_pain_spreads": "it goes down below the knee",
    "utter_ask_nerve_symptoms": "pins and needles",
    "utter_ask_screen_cauda_equina": "no",
    "utter_ask_screen_weakness_progression": "no",
    "utter_ask_age": "45",
    "utter_ask_aggravating_factors": "sitting",
    "utter_ask_easing_factors": "walking helps",
    "utter_ask_pain_onset": "after lifting",
    "utter_ask_screen_major_trauma": "no",
    "utter_ask_pain_duration": "3 weeks",
    "utter_ask_pain_severity": "6",
    "utter_ask_screen_systemic": "no",
}


def asked(responses):
    return [r for r in responses if r and r.startswith("utter_ask_")]


async def answer_until_done(conversation, taps=TAPS, limit=15):
    for _ in range(limit):
        pending = asked(await conversation.responses())
        if (await conversation.tracker()).active_loop_name != "symptom_form":
            return
        await conversation.say(taps[pending[-1]])
    raise AssertionError("the interview did not finish")


async def test_full_interview_ends_with_causes_summary_and_consult(conversation):
    await conversation.say("my back hurts")
    await answer_until_done(conversation)
    responses = await conversation.responses()
    slots = await conversation.slots()
    assert without_offers(responses)[-1] == CONSULT
    # Tapping a button answers one part of a two-part question, so a person who only taps
    # gets the second part asked too (free text usually answers both: about eight).
    assert len(asked(responses)) <= 11
    assert slots["triage_level"] == "routine"
    assert slots["possible_causes"], "no cause was shown"
    assert "herniated_disc" in slots["possible_causes"][:2]
    texts = await conversation.texts()
    names = [get_content().conditions[c].name for c in slots["possible_causes"]]
    result = next(t for t in texts if "possible causes" in t)
    for name in names:
        assert name in result
    assert "why:" in result
    assert "not a diagnosis" in result
    assert any(t.startswith("You told me:") for t in texts)


async def test_describing_the_pain_again_after_the_result_is_noted_not_a_new_interview(conversation):
    """Found by the benchmark's long conversation: each new description after a result got
    "I'll ask a few quick questions" and no question, and the whole result again."""
    await conversation.say("my back hurts")
    await answer_until_done(conversation)
    before = len(await conversation.responses())
    for text in ("my lower back hurts", "it still goes down below the knee"):
        replies = await conversation.say(text)
        said = [m.get("text") or "" for m in replies]
        names = (await conversation.responses())[before:]
        before += len(names)
        assert "utter_start_interview" not in names and not asked(names), (text, names)
        assert names[0] == "utter_noted_after_result" and "utter_result_unchanged" in names, (text, names)
        assert not any("possible causes that fit" in t for t in said), said
        # The next offer may follow (the description counts as no to the check-in).
        assert any(t.startswith("You told me:") for t in said) and without_offers(names)[-1] == CONSULT, said


async def test_facts_given_up_front_are_not_asked_again(conversation):
    await conversation.say(
        "my lower back hurts and it shoots down my left leg below the knee with pins and needles, "
        "worse when sitting, started 3 weeks ago after lifting a box"
    )
    slots = await conversation.slots()
    assert slots["pain_location"] == ["lower_back"]
    assert slots["pain_spreads"] == "yes" and "below_knee" in slots["spread_to"]
    assert slots["nerve_symptoms"] == ["tingling"]
    assert slots["aggravating_factors"] == ["sitting"]
    assert slots["pain_onset"] == "lifting_injury"
    assert slots["pain_duration_days"] == 21
    await answer_until_done(conversation)
    questions = asked(await conversation.responses())
    for already_said in (
        "utter_ask_pain_location",
        "utter_ask_pain_spreads",
        "utter_ask_nerve_symptoms",
        "utter_ask_aggravating_factors",
        "utter_ask_pain_onset",
        "utter_ask_pain_duration",
    ):
        assert already_said not in questions
    assert without_offers(await conversation.responses())[-1] == CONSULT


async def test_several_answers_in_one_message_mid_interview(conversation):
    await conversation.say("i have back pain")
    await conversation.say("lower back, it started gradually about 2 months ago and it's a 5 out of 10")
    slots = await conversation.slots()
    assert slots["pain_location"] == ["lower_back"]
    assert slots["pain_onset"] == "gradual"
    assert slots["pain_duration_days"] == 60
    assert slots["pain_severity"] == 5


async def test_correction_replaces_the_earlier_answer(conversation):
    await conversation.say("pain in my lower back going down my right leg")
    assert (await conversation.slots())["pain_side"] == ["right_side"]
    await conversation.say("actually it's my left leg")
    assert (await conversation.slots())["pain_side"] == ["left_side"]
    await conversation.say("it started 2 weeks ago")
    await conversation.say("no, sorry, it started 2 months ago")
    assert (await conversation.slots())["pain_duration_days"] == 60


async def test_dont_know_moves_the_interview_on(conversation):
    await conversation.say("my lower back hurts")
    question = asked(await conversation.responses())[-1]
    assert question == "utter_ask_pain_spreads"
    await conversation.say("i'm not sure")
    slots = await conversation.slots()
    assert slots["pain_spreads"] == "unknown"
    assert asked(await conversation.responses())[-1] != question
    assert (await conversation.tracker()).active_loop_name == "symptom_form"


async def test_question_mid_interview_is_answered_then_the_interview_resumes(conversation):
    await conversation.say("my lower back hurts")
    before = asked(await conversation.responses())
    await conversation.say("wait, what is sciatica?")
    texts = " ".join(await conversation.texts())
    assert get_content().conditions["sciatica"].summary in texts
    after = asked(await conversation.responses())
    assert after[-1] == before[-1], "the same question is asked again after the answer"
    assert (await conversation.tracker()).active_loop_name == "symptom_form"


async def test_an_answer_then_a_question_mid_interview_moves_the_interview_on(conversation):
    """Usability review 10: "no none of that. but should i go to work tmrw??" got the work
    answer and then the same safety check again."""
    await conversation.say("my lower back hurts")
    for _ in range(4):
        if asked(await conversation.responses())[-1] == "utter_ask_screen_cauda_equina":
            break
        await conversation.say(TAPS[asked(await conversation.responses())[-1]])
    assert asked(await conversation.responses())[-1] == "utter_ask_screen_cauda_equina"
    seen = len(await conversation.responses())
    await conversation.say("no none of that. but should i go to work tmrw??")
    reply = (await conversation.responses())[seen:]
    texts = " ".join(await conversation.texts())
    assert "work" in texts
    assert "utter_ask_screen_cauda_equina" not in reply and asked(reply), reply
    assert (await conversation.slots())["screen_cauda_equina"] == "no"


async def test_stopping_early_still_gives_the_consult_advice(conversation):
    await conversation.say("my lower back hurts")
    await conversation.say("stop")
    responses = await conversation.responses()
    assert without_offers(responses)[-1] == CONSULT
    assert (await conversation.tracker()).active_loop_name is None
    assert any(t.startswith("You told me:") for t in await conversation.texts())


async def test_goodbye_mid_interview(conversation):
    await conversation.say("my neck is stiff")
    await conversation.say("bye")
    assert without_offers(await conversation.responses())[-1] == CONSULT
    assert (await conversation.tracker()).active_loop_name is None


async def test_result_fits_a_different_story(conversation):
    """Spinal stenosis: older person, legs ache when walking, better sitting or bending forward."""
    await conversation.say("i'm 72 and my legs ache when i walk, it eases when i sit down or lean forward")
    taps = dict(
        TAPS,
        **{
            "utter_ask_pain_spreads": "it spreads into my thigh",
            "utter_ask_nerve_symptoms": "no none of those",
            "utter_ask_pain_onset": "gradually",
            "utter_ask_pain_duration": "for 6 months",
        },
    )
    await answer_until_done(conversation, taps)
    slots = await conversation.slots()
    assert "spinal_stenosis" in slots["possible_causes"][:2], slots["possible_causes"]


@pytest.mark.parametrize("goodbye", ["bye", "thanks, bye", "ok I'll leave it there", "cheers, got to go"])
async def test_a_goodbye_in_any_words_ends_the_interview_with_the_consult_advice(new_conversation, goodbye):
    conversation = new_conversation()
    await conversation.say("my lower back hurts")
    await conversation.say("no it doesn't spread")
    await conversation.say(goodbye)
    responses = await conversation.responses()
    assert responses[-2:] == ["utter_goodbye", CONSULT]
    assert (await conversation.tracker()).active_loop_name is None
    assert any(t.startswith("You told me: pain in your lower back") for t in await conversation.texts())


async def test_thanks_bye_outside_the_interview_is_a_goodbye(conversation):
    await conversation.say("thanks, bye")
    assert (await conversation.responses())[-2:] == ["utter_goodbye", CONSULT]


async def test_a_bare_yes_to_several_options_asks_which(conversation):
    await conversation.say("my lower back hurts")
    await conversation.say("no")
    await conversation.say("yes")
    tracker = await conversation.tracker()
    assert tracker.get_slot("requested_slot") == "nerve_symptoms"
    assert (await conversation.texts())[-1].startswith("Which of these?")
    await conversation.say("pins and needles in my toes")
    assert (await conversation.slots())["nerve_symptoms"] == ["tingling"]


async def test_a_question_is_asked_at_most_three_times(conversation):
    await conversation.say("my lower back hurts")
    for _ in range(4):
        await conversation.say("blorp")
    assert asked(await conversation.responses()).count("utter_ask_pain_spreads") == 3
    assert (await conversation.tracker()).get_slot("requested_slot") != "pain_spreads"


async def test_an_unrelated_request_mid_interview_gets_the_out_of_scope_reply(conversation):
    await conversation.say("my lower back hurts")
    await conversation.say("can you book me a taxi?")
    responses = await conversation.responses()
    assert responses[-2:] == ["utter_out_of_scope_in_interview", "utter_ask_pain_spreads"]


async def test_a_description_of_pain_the_classifier_misses_is_offered_the_questions(conversation):
    await conversation.say("my lower back aches all the time at work")
    responses = await conversation.responses()
    if "utter_start_interview" not in responses:  # the classifier took it for something else
        assert "utter_offer_interview" in responses
        assert without_offers(responses)[-1] == CONSULT
        await conversation.say("yes")
    tracker = await conversation.tracker()
    assert tracker.active_loop_name == "symptom_form"
    assert tracker.get_slot("pain_location") == ["lower_back"], "what was said before the offer is kept"


async def test_after_an_urgent_instruction_the_questions_carry_on(conversation):
    """The instruction and the consult advice first; then the questions go on (the person can
    say "stop"), so they still get the possible causes and the summary."""
    await conversation.say("back pain and I've got a fever")
    responses = await conversation.responses()
    assert (await conversation.slots())["triage_level"] == "urgent"
    assert responses[0] == "utter_safety_urgent"
    assert responses.index(CONSULT) < responses.index("utter_start_interview")
    await answer_until_done(conversation)
    slots = await conversation.slots()
    assert slots["triage_level"] == "urgent" and slots["possible_causes"] is not None
    assert without_offers(await conversation.responses())[-1] == CONSULT
