"""What the result and the "what is ...?" answers say, from the content (no Rasa)."""

from __future__ import annotations

import pytest

from bot import replies, safety
from bot.content import get_content
from bot.nlp import analyse
from bot.ranking import RankedCause, most_urgent_timeframe, rank_causes
from bot.symptoms import SymptomRecord, is_correction

CONTENT = get_content()
URGENT_IDS = [c.id for c in CONTENT.conditions.values() if CONTENT.timeframes[c.see_within].level != "routine"]
MEANWHILE = "What you can do meanwhile:"


@pytest.fixture(autouse=True)
def settings(monkeypatch):
    monkeypatch.setenv("EMERGENCY_NUMBER", "112")
    monkeypatch.setenv("URGENT_CARE_CONTACT", "the out-of-hours line")
    monkeypatch.setenv("CRISIS_CONTACTS", "the crisis team on 0800 000 000")


def record_of(*lines: str) -> SymptomRecord:
    record = SymptomRecord()
    for line in lines:
        record.update(analyse(line), correcting=is_correction(line))
    return record


def cause(condition_id: str, *reasons: str) -> RankedCause:
    return RankedCause(condition_id, 5.0, tuple(reasons))


# --------------------------------------------------------------------------- "what is ...?"
@pytest.mark.parametrize("condition_id", list(CONTENT.conditions))
def test_every_condition_answer_says_when_to_get_checked(condition_id):
    condition = CONTENT.conditions[condition_id]
    said = replies.condition_answer(condition_id)
    assert said[0] == f"{condition.name}: {condition.summary}"
    assert any(condition.professional_care[0] in text for text in said), said
    assert not any("{" in text for text in said)


@pytest.mark.parametrize("condition_id", URGENT_IDS)
def test_a_serious_cause_leads_with_what_to_do_and_offers_no_self_care(condition_id):
    said = replies.condition_answer(condition_id)
    assert said[1] == CONTENT.conditions[condition_id].professional_care[0]
    assert said[1].startswith("Get checked today")
    assert not any("often help" in text for text in said)


def test_urgent_conditions_include_a_clot_a_fracture_and_the_kidneys():
    assert {"deep_vein_thrombosis", "osteoporotic_fracture", "kidney_problem"} <= set(URGENT_IDS)


# --------------------------------------------------------------------------- overviews
def test_topics_overview_comes_from_the_content():
    said = replies.topics_overview()
    assert len(said) == 1
    assert said[0].startswith("I can tell you about: " + CONTENT.fallback_condition().name)
    first_treatments = [t.name.lower() for t in CONTENT.treatments.values()][:2]
    assert all(name in said[0] for name in first_treatments)
    assert f"and {len(CONTENT.conditions) - 8} more" in said[0]


def test_anatomy_overview_is_the_default_topic():
    assert replies.anatomy_overview() == replies.anatomy_answer(CONTENT.default_anatomy_topic().id)


# --------------------------------------------------------------------------- the result
def test_each_cause_says_why_and_the_result_gives_one_timeframe():
    record = record_of("my lower back hurts and it shoots down my leg below the knee", "coughing makes it worse")
    causes = rank_causes(record.features())
    said = replies.result(causes, record)
    listing = said[1]
    assert listing.startswith("These are possible causes")
    for number, ranked in enumerate(causes, start=1):
        condition = CONTENT.conditions[ranked.condition_id]
        line = next(line for line in listing.splitlines() if line.startswith(f"{number}. {condition.name}"))
        assert ranked.reasons[0] in line and condition.professional_care[0] not in line
    # The result leads with the best fit and how soon to be seen, once, when nothing is
    # urgent (issue 22: one timeframe, not one per cause; issue 26: the lead first).
    best = replies.in_sentence(CONTENT.conditions[causes[0].condition_id].name)
    assert said[0] == (
        f"The best fit for what you described is {best}, but this is not a diagnosis. "
        + replies._fill(most_urgent_timeframe(causes).advice)
    )
    assert replies.kind_of(said[0]) == "lead"
    assert sum("few weeks" in text for text in said) == 1
    assert any(text.startswith(MEANWHILE) for text in said)
    assert said[-1].startswith("You told me:")


def test_pain_that_has_lasted_six_weeks_is_not_told_to_wait_a_few_weeks():
    """Issue 26: four months of pain was told "see a GP if it is not getting better after a few weeks"."""
    record = record_of("my lower back aches, worse sitting at my desk", "I've had it for 4 months")
    causes = rank_causes(record.features())
    said = replies.result(causes, record)
    assert "more than six weeks" in said[0] and "after a few weeks" not in said[0], said[0]
    recent = record_of("my lower back aches, worse sitting at my desk", "I've had it for 5 days")
    assert "after a few weeks" in replies.result(rank_causes(recent.features()), recent)[0]


def test_a_serious_cause_leads_the_result_with_what_to_do():
    record = record_of("my calf is swollen and warm to touch", "since a long flight")
    causes = [cause("deep_vein_thrombosis", "swelling of one leg is a typical sign of a clot in a leg vein")]
    said = replies.result(causes, record, level="urgent")
    assert said[0].startswith("Please get checked today")
    assert "the out-of-hours line" in said[0] and "112" in said[0]
    clot = CONTENT.conditions["deep_vein_thrombosis"]
    # Then the lead, without a routine timeframe after the urgent one.
    assert (
        said[1]
        == f"The best fit for what you described is {replies.in_sentence(clot.name)}, but this is not a diagnosis."
    )
    assert f"1. {clot.name}: Get checked today" in said[2]
    assert said[2].index("Get checked today") < said[2].index("why it may fit")


def test_no_empty_self_care_heading_when_every_cause_is_urgent():
    record = record_of("my calf is swollen")
    said = replies.result([cause("deep_vein_thrombosis"), cause("kidney_problem")], record)
    assert not any(MEANWHILE in text for text in said)


def test_no_self_care_next_to_a_serious_cause():
    said = replies.result([cause("muscle_strain"), cause("deep_vein_thrombosis")], record_of("my calf hurts"))
    assert not any(MEANWHILE in text for text in said)
    assert said[0].startswith("Please get checked today")


def test_no_self_care_when_the_triage_level_is_urgent():
    said = replies.result([cause("muscle_strain")], record_of("i pulled my back"), level="urgent")
    assert not any(MEANWHILE in text for text in said)


def test_self_care_is_withheld_when_a_fever_goes_with_a_whole_body_illness():
    with_fever = record_of("my joints ache all over and my back hurts", "i have a fever")
    said = replies.result([cause("systemic_disease")], with_fever)
    assert not any(MEANWHILE in text for text in said)
    without = record_of("my joints ache all over and my back hurts")
    assert any(MEANWHILE in text for text in replies.result([cause("systemic_disease")], without))


def test_routine_advice_for_the_inflammatory_pattern():
    record = record_of(
        "i'm 26 and my lower back has hurt for 6 months",
        "i'm stiff for hours in the morning",
        "it's better with exercise and worse with rest",
        "it wakes me in the early hours",
    )
    causes = rank_causes(record.features())
    assert causes[0].condition_id == "axial_spondyloarthritis"
    advice = CONTENT.routine_advice["possible_axial_spondyloarthritis"]
    assert replies._fill(advice.advice) in replies.result(causes, record)
    assert "rheumatolog" in advice.advice
    # After a same-day instruction, "see your GP in the next few weeks" would contradict it.
    assert replies._fill(advice.advice) not in replies.result(causes, record, level="urgent")


@pytest.mark.parametrize(
    "feeling, lines",
    [
        ("low", ("my lower back has hurt for a year", "it's really getting me down")),
        ("frustrated", ("my lower back has hurt for 8 months", "i'm just fed up with it all")),
    ],
)
def test_a_feeling_said_in_passing_is_carried_into_the_result_and_the_summary(feeling, lines):
    """Usability review 4: after "fed up with it all" the result offered activity and heat
    only, and the summary left the mood out. It says who can help with both now."""
    record = record_of(*lines)
    record.add_feelings(analyse(lines[-1]))
    assert record.feelings == [feeling]
    said = replies.result(rank_causes(record.features()), record)
    advice = replies._fill(CONTENT.routine_advice["pain_affecting_mood"].advice)
    assert advice in said and "talking therap" in advice.lower()
    assert replies.MOOD_TOLD[feeling] in said[-1]
    # Not for a short spell of worry, and not said to someone who did not say it.
    calm = record_of(*lines[:-1])
    assert advice not in replies.result(rank_causes(calm.features()), calm)
    assert not any(told in replies.result([], calm)[-1] for told in replies.MOOD_TOLD.values())


def test_a_feeling_said_without_the_mood_is_not_recorded():
    record = record_of("my back hurts")
    for text in (
        "i'm not worried about it",
        "not fed up, just want it sorted",
        "my back hurts when i get down on the floor",
    ):
        assert not record.add_feelings(analyse(text)), text
    assert record.feelings is None


def test_nothing_specific_gives_the_usual_answer_and_its_self_care():
    record = record_of("it hurts")
    said = replies.result([], record)
    fallback = CONTENT.fallback_condition()
    assert said[0] == (
        "What you described doesn't clearly point to one particular cause. That is common. "
        + replies._fill(CONTENT.timeframes[fallback.see_within].advice)
    )
    assert said[1] == f"{fallback.name}: {fallback.summary}" and replies.kind_of(said[1]) == "causes"
    tips = next(text for text in said if text.startswith(MEANWHILE))
    for treatment_id in fallback.self_care[:3]:
        assert CONTENT.treatments[treatment_id].name in tips


def test_the_causes_come_as_cards_with_why_and_advice():
    """The list of causes also carries each cause as data for a card (issue 26): its name,
    why it may fit, when to be seen and the self-care shown; a serious cause says what to do
    on the card itself."""
    record = record_of("my lower back hurts and it shoots down my leg below the knee", "coughing makes it worse")
    causes = rank_causes(record.features())
    listing = next(m for m in replies.result(causes, record) if replies.kind_of(m) == "causes")
    cards = replies.cards_of(listing)
    assert [c["id"] for c in cards] == [c.condition_id for c in causes]
    first = CONTENT.conditions[causes[0].condition_id]
    assert cards[0]["name"] == first.name and cards[0]["why"] == list(causes[0].reasons[:3])
    assert cards[0]["advice"] == [first.professional_care[0]] and "when" not in cards[0]
    assert cards[0]["helps"] and all(isinstance(h, str) for h in cards[0]["helps"])
    clot = next(
        m
        for m in replies.result([cause("deep_vein_thrombosis", "a reason")], record_of("my calf is swollen"), "urgent")
        if replies.kind_of(m) == "causes"
    )
    card = replies.cards_of(clot)[0]
    assert card["when"].startswith("Get checked today") and "helps" not in card
    # After an escalation, no routine "if it is not getting better" on any card.
    mixed = replies.result([cause("muscle_strain", "a"), cause("deep_vein_thrombosis", "b")], record, "urgent")
    strain = replies.cards_of(next(m for m in mixed if replies.kind_of(m) == "causes"))[0]
    assert strain["advice"] == list(CONTENT.conditions["muscle_strain"].professional_care[1:2])
    assert not any("few weeks" in line or "not getting better" in line for line in strain["advice"])


def test_more_about_a_cause_says_why_then_what_the_content_says():
    ranked = cause("muscle_strain", "it started after lifting")
    said = replies.more_about(ranked)
    name = CONTENT.conditions["muscle_strain"].name
    assert said[0] == f"Why {name} may fit what you told me:\n• it started after lifting"
    assert said[1:] == replies.condition_answer("muscle_strain")
    buttons = replies.more_about_buttons([ranked])
    assert buttons == [{"title": f"More about {name}", "payload": replies.more_about_payload("muscle_strain")}]


@pytest.mark.parametrize("condition_id", list(CONTENT.conditions))
def test_a_more_about_payload_names_its_cause_and_the_safety_screen_lets_it_through(condition_id):
    """'tell me more about slipped disc' was asked about a fall: each payload is read as a
    question about its cause, and the screen neither asks nor escalates on it (an urgent
    cause: at most the urgent instruction again)."""
    payload = replies.more_about_payload(condition_id)
    analysis = analyse(payload)
    assert condition_id in analysis.topics("condition"), payload
    screened = safety.screen(safety.SafetyState(), analysis)
    if CONTENT.timeframes[CONTENT.conditions[condition_id].see_within].level == "urgent":
        # Every name of a fracture says "fracture": an urgent cause may get the urgent reply
        # again, never more.
        assert {say.kind for say in screened.say} <= {"urgent"} and not screened.ask_after, (payload, screened.say)
    else:
        assert not (screened.say or screened.ask_after or screened.new_flags), (payload, screened.say)


def test_crisis_contacts_are_filled_in_from_the_settings():
    assert replies._fill("Call {crisis_contacts}.") == "Call the crisis team on 0800 000 000."
    advice = " ".join(CONTENT.escalations["crisis"].messages)
    assert "the crisis team on 0800 000 000" in replies._fill(advice.replace("{reasons}", ""))


@pytest.mark.parametrize(
    "said, told",
    [
        ("an ache in both of my thighs when I walk, it eases when I sit", "pain in both legs"),
        ("my back hurts and goes down both legs", "it spreads to both legs"),
        ("pain down both legs below the knee", "pain in both legs below the knee"),
        ("my lower back hurts and it shoots down my left leg", "it spreads to your leg"),
    ],
)
def test_the_summary_says_both_legs_when_both_were_said(said, told):
    """A usability review: "both thighs" was summarised as "it spreads to your leg"."""
    record = SymptomRecord()
    record.update(analyse(said))
    assert told in replies.summary(record)
