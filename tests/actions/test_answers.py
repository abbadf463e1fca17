"""action_answer_condition / _treatment / _anatomy and action_default_fallback."""

import re

import pytest

from actions.answers import ActionAnswerAnatomy, ActionAnswerCondition, ActionAnswerTreatment, ActionDefaultFallback
from bot.content import get_content

from .conftest import CONSULT, make_tracker, responses, texts

CONTENT = get_content()
# An amount of a medicine or a schedule for taking one: the assistant never gives doses.
DOSE = re.compile(
    r"\b\d+(?:[.,]\d+)?\s*(?:mg|mcg|µg|micrograms?|milligrams?|grams?|g|ml|millilitres?|tablets?|capsules?|pills?|doses?)\b"
    r"|\bevery\s+\d+\s*(?:-\s*\d+\s*)?hours?\b"
    r"|\b(?:one|two|three|four|\d+)\s+(?:tablets?|capsules?|pills?)\b",
    re.IGNORECASE,
)


async def answer(action, dispatcher, domain, text, intent, entities=None):
    events = await action.run(dispatcher, make_tracker(text, intent, entities=entities), domain)
    # A plain question touches no interview or triage slot: the only event says no offer was made.
    assert events == [{"event": "slot", "timestamp": None, "name": "interview_offered", "value": False}]
    assert all(r is None for r in responses(dispatcher))
    return texts(dispatcher)


# ----------------------------------------------------------------- the offer after an answer
async def test_a_question_that_describes_own_pain_is_answered_then_offered_the_questions(dispatcher, domain):
    tracker = make_tracker("what is sciatica? my lower back hurts and it goes down my leg", "ask_condition")
    events = await ActionAnswerCondition().run(dispatcher, tracker, domain)
    said, names = texts(dispatcher), responses(dispatcher)
    assert said[0].startswith("Sciatica:")
    assert names[-1] == "utter_offer_interview"  # the offer comes after the answer
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert slots["interview_offered"] is True
    assert slots["pain_location"]  # what it said is kept for the questions


async def test_a_question_about_pain_with_no_topic_is_offered_the_questions_not_the_menu(dispatcher, domain):
    tracker = make_tracker("is it normal to still have back ache a fortnight after moving a wardrobe?", "ask_condition")
    events = await ActionAnswerCondition().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_offer_interview"]
    assert not any(text and text.startswith("I can tell you about") for text in texts(dispatcher))
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert slots["interview_offered"] is True


async def test_during_the_interview_the_answer_is_all(dispatcher, domain):
    tracker = make_tracker(
        "what is sciatica? my lower back hurts",
        "ask_condition",
        slots={"interview_offered": True, "requested_slot": "pain_spreads"},
        active_loop="symptom_form",
    )
    events = await ActionAnswerCondition().run(dispatcher, tracker, domain)
    assert events == []  # the form asks its question again; the offer stays as it was
    assert texts(dispatcher)[0].startswith("Sciatica:")
    assert "utter_offer_interview" not in responses(dispatcher)


# ----------------------------------------------------------------- conditions
async def test_condition_named_in_the_message(dispatcher, domain):
    said = await answer(ActionAnswerCondition(), dispatcher, domain, "what is a slipped disc", "ask_condition")
    herniated = CONTENT.conditions["herniated_disc"]
    assert said[0] == f"{herniated.name}: {herniated.summary}"
    assert said[1].startswith("It often shows up as:")
    assert any(t.startswith("Things that often help:") for t in said)


async def test_condition_from_the_entity_when_the_text_names_none(dispatcher, domain):
    said = await answer(
        ActionAnswerCondition(),
        dispatcher,
        domain,
        "tell me more about that",
        "ask_condition",
        entities=[{"entity": "condition", "value": "sciatica", "start": 0, "end": 0}],
    )
    assert said[0].startswith("Sciatica:")
    assert CONTENT.conditions["sciatica"].summary in said[0]


async def test_the_message_wins_over_a_stale_entity(dispatcher, domain):
    said = await answer(
        ActionAnswerCondition(),
        dispatcher,
        domain,
        "what is spinal stenosis",
        "ask_condition",
        entities=[{"entity": "condition", "value": "sciatica"}],
    )
    assert CONTENT.conditions["spinal_stenosis"].summary in said[0]


async def test_unknown_condition_gets_the_overview(dispatcher, domain):
    said = await answer(ActionAnswerCondition(), dispatcher, domain, "what is a frozen shoulder", "ask_condition")
    assert len(said) == 1
    assert said[0].startswith("I can tell you about:")
    assert CONTENT.conditions["sciatica"].name in said[0]
    assert not any(c.summary in said[0] for c in CONTENT.conditions.values())


# ----------------------------------------------------------------- treatments
async def test_treatment_named_in_the_message(dispatcher, domain):
    said = await answer(ActionAnswerTreatment(), dispatcher, domain, "is ibuprofen good for back pain", "ask_treatment")
    medicines = CONTENT.treatments["pain_medicines"]
    assert said[0] == f"{medicines.name}: {medicines.advice}"
    assert said[1].startswith("Good to know:")
    assert not any(DOSE.search(t) for t in said), said


@pytest.mark.parametrize("treatment_id", list(CONTENT.treatments))
async def test_no_treatment_answer_gives_a_dose(dispatcher, domain, treatment_id):
    said = await answer(
        ActionAnswerTreatment(),
        dispatcher,
        domain,
        "and what about that one?",
        "ask_treatment",
        entities=[{"entity": "treatment", "value": treatment_id}],
    )
    assert said[0].startswith(CONTENT.treatments[treatment_id].name + ":")
    for text in said:
        assert not DOSE.search(text), DOSE.search(text)


def test_the_dose_pattern_catches_doses():
    assert DOSE.search("take 400 mg three times a day")
    assert DOSE.search("two tablets every 4 hours")
    assert not DOSE.search("at the lowest dose that works, for the shortest time")


async def test_unknown_treatment_gets_the_treatments_overview(dispatcher, domain):
    said = await answer(ActionAnswerTreatment(), dispatcher, domain, "what treatments are there", "ask_treatment")
    assert len(said) == 1 and said[0].startswith("I can tell you about ")
    assert "physiotherapy" in said[0] and "using heat" in said[0]


# ----------------------------------------------------------------- anatomy
@pytest.mark.parametrize("text", ["what is the coccyx", "where is my tailbone"])
async def test_anatomy_of_the_coccyx(dispatcher, domain, text):
    said = await answer(ActionAnswerAnatomy(), dispatcher, domain, text, "ask_anatomy")
    coccyx = CONTENT.anatomy["coccyx"]
    assert len(said) == 1
    assert said[0].startswith(f"{coccyx.name}:")
    assert "tailbone" in said[0].lower()
    assert coccyx.facts[0] in said[0]


async def test_anatomy_without_a_topic_explains_the_spine(dispatcher, domain):
    said = await answer(ActionAnswerAnatomy(), dispatcher, domain, "how is the back built", "ask_anatomy")
    assert said[0].startswith(CONTENT.anatomy["spine_sections"].name + ":")
    assert "vertebrae" in said[0]


# ----------------------------------------------------------------- fallback
async def test_fallback_says_sorry_then_recommends_a_professional(dispatcher, domain):
    events = await ActionDefaultFallback().run(dispatcher, make_tracker("asdf qwerty", "nlu_fallback"), domain)
    assert events == []
    assert responses(dispatcher) == ["utter_default", CONSULT]
    assert all(r in domain["responses"] for r in responses(dispatcher))


async def test_a_part_of_the_spine_asked_as_a_condition_is_answered_not_the_menu(dispatcher, domain):
    """A usability review: "What is a nerve root, if you don't mind me asking?" got the list of conditions."""
    said = await answer(
        ActionAnswerCondition(),
        dispatcher,
        domain,
        "What is a nerve root, if you don't mind me asking?",
        "ask_condition",
    )
    assert said[0].startswith(CONTENT.anatomy["spinal_nerves"].name)
    assert not any(text.startswith("I can tell you about") for text in said)


async def test_a_medicine_answer_says_no_dose_and_not_someone_elses_medicine(dispatcher, domain):
    said = " ".join(
        await answer(
            ActionAnswerTreatment(), dispatcher, domain, "my friend give me pregabalin, is good?", "ask_treatment"
        )
    )
    assert "given to someone else" in said and "can't tell you a dose" in said
    assert not DOSE.search(said)
