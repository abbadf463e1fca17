"""How messages from usability review 7 and set 7's sealed run are read (issues 23 and 26):
one word for the pain and the place, "my back went", a worry about overreacting asked about
one's own pain, and questions about daily jobs (the garden) read as questions about them."""

from __future__ import annotations

import pytest

from bot import interview
from bot.nlp import analyse


@pytest.mark.parametrize(
    "text", ["I've had backache for six weeks", "Bad Backache since monday", "backpain for 2 weeks"]
)
def test_one_word_for_the_pain_and_the_place_records_the_back(text):
    assert "lower_back" in analyse(text).ids("body_location"), text


@pytest.mark.parametrize(
    "text",
    [
        "Can I still go to work tomorrow? I'm a care worker and my back went this morning",
        "my back's gone, can i still drive?",
        "I'm so anxious, I keep reading about tumours. I've had backache for six weeks. Am I overreacting?",
        "my leg has been tingling for 2 weeks, should i be worried?",
    ],
)
def test_a_question_about_ones_own_pain_is_a_description_of_it(text):
    analysis = analyse(text)
    own = interview.is_statement_of_own_pain("ask_treatment", text, analysis)
    assert own or interview.asks_what_to_do_about_own_pain(text, analysis), text


@pytest.mark.parametrize(
    "text", ["can I dig in garden or not?", "is it ok to do some gardening with my back?", "can i do the hoovering?"]
)
@pytest.mark.parametrize("intent", ["dont_know", "deny", "nlu_fallback"])
def test_a_question_about_daily_jobs_is_a_question_about_them(text, intent):
    assert analyse(text).topics("treatment") == ["workplace_and_daily_life"]
    assert interview.question_about_a_topic(intent, text, analyse(text)) == "ask_treatment", text


def test_a_short_answer_that_is_no_question_stays_an_answer():
    text = "not sure, maybe the gardening"
    assert interview.question_about_a_topic("dont_know", text, analyse(text)) is None


# ---------------------------------------------------------------- answers, as the record keeps them
from bot.turn import plan_turn  # noqa: E402
from tests.unit.test_turn import FORM, SETTLED  # noqa: E402


def answered(question: str, text: str, **known):
    slots = {**SETTLED, "requested_slot": question, **known}
    return plan_turn(slots, text, "describe_pain", FORM).slots


@pytest.mark.parametrize(
    "text,days",
    [
        ("came on yesterday out of nowhere. had cystitis last week that i didnt bother getting seen for", 1.0),
        ("came on slowly, I've had diabetes 15 years. About a year", 365.0),
        ("it started 3 weeks ago lifting a box", 21.0),
    ],
)
def test_how_long_is_when_the_pain_began_not_another_illness(text, days):
    """Set 8: "for about 7 days" from the cystitis of last week; the pain came on yesterday."""
    assert answered("pain_onset", text).get("pain_duration_days") == days


@pytest.mark.parametrize("text", ["since yday!!", "since yesterday", "yday"])
def test_yesterday_in_text_speak_is_a_day(text):
    assert answered("pain_duration", text).get("pain_duration_days") == 1.0


@pytest.mark.parametrize("text", ["only back. not go in leg", "only back", "it stays in my back, not in the leg"])
def test_a_spread_answer_that_keeps_the_pain_where_it_is_is_no(text):
    assert answered("pain_spreads", text, pain_location=["lower_back"]).get("pain_spreads") == "no"


def test_a_spread_answer_naming_a_limb_is_yes():
    slots = answered("pain_spreads", "down my leg, not the foot", pain_location=["lower_back"])
    assert slots.get("pain_spreads") == "yes" and slots.get("spread_to") == ["leg"]


@pytest.mark.parametrize("question", ["aggravating_factors", "easing_factors"])
def test_a_list_goes_on_in_the_direction_it_began(question):
    """Usability review 7: "... helps, and a hot water bottle" filed heat as what makes it worse."""
    slots = answered(question, "getting up and walking around helps, and a hot water bottle")
    assert "heat" in slots.get("easing_factors", []) and "heat" not in (slots.get("aggravating_factors") or [])


def test_sitting_for_a_long_time_is_what_makes_it_worse():
    assert answered("aggravating_factors", "sitting for a long time at my desk").get("aggravating_factors") == [
        "sitting"
    ]


@pytest.mark.parametrize("who", ["My late husband", "my elderly mum", "My dear old dad"])
def test_someone_elses_history_with_a_word_before_them_is_theirs(who):
    analysis = analyse(f"{who} had poor circulation in the legs")
    assert all(m.status == "other" for m in analysis.mentions if m.label == "risk_factor"), analysis.mentions


def test_yes_to_the_systemic_question_with_a_temperature_names_only_what_was_said():
    """Set 8: "yeah ive got a temp, 38.9" was told it had mentioned weight loss and cancer."""
    slots = {**SETTLED, "requested_slot": "screen_systemic"}
    turn = plan_turn(slots, "yeah ive got a temp, 38.9, n i was shivering last night", "affirm", FORM)
    text = " ".join(step.text or "" for step in turn.before)
    assert "38.9" in text and "weight loss" not in text and "cancer" not in text, text


@pytest.mark.parametrize(
    "text",
    [
        "Would you be able to tell me whether I ought to be seen by someone about my back, or will it settle?",
        "should I see a doctor about my sciatica?",
    ],
)
def test_asking_whom_to_see_about_ones_own_back_is_about_ones_own_pain(text):
    assert interview.asks_what_to_do_about_own_pain(text, analyse(text))


@pytest.mark.parametrize(
    "text,own",
    [
        ("I'm honestly scared this is something serious like cancer", True),
        ("im worried it could be a slipped disc", True),
        ("I'm afraid I cannot be more precise", False),
        ("is cancer a cause of back pain?", False),
    ],
)
def test_a_fear_about_what_ones_own_pain_is(text, own):
    assert interview.fears_what_own_pain_is("ask_condition", text) is own


# ---------------------------------------------------------------- set 8's sealed part, run once
@pytest.mark.parametrize(
    "text", ["Sorry, my son is calling me for the car. I will come back later. Thank you.", "I'll be back tomorrow"]
)
def test_leaving_to_come_back_later_is_a_goodbye(text):
    assert interview.is_leaving(text)


def test_legs_troublesome_on_walking_tell_of_ones_own_pain():
    text = "Good afternoon. I hope you can help me. My legs have become very troublesome when I go out walking."
    assert interview.is_statement_of_own_pain("ask_treatment", text, analyse(text))


@pytest.mark.parametrize(
    "known,text,slot,value",
    [
        ({"age": 96.0}, "69. Typo, sorry.", "age", 69.0),
        ({"pain_duration_days": 3.0}, "3 wks actually not days sorry", "pain_duration_days", 21.0),
    ],
)
def test_a_number_corrected_out_of_turn_replaces_the_first(known, text, slot, value):
    assert answered("aggravating_factors", text, **known).get(slot) == value


def test_a_question_about_the_gym_with_this_sciatica_is_about_ones_own_pain():
    text = "is it ok to keep going to the gym with this sciatica"
    assert interview.asks_what_to_do_about_own_pain(text, analyse(text))


def test_a_fear_of_where_ones_own_pain_leads():
    text = "i'm terrified i'll end up in a wheelchair like my dad did with his back"
    assert interview.fears_what_own_pain_is("out_of_scope", text)


@pytest.mark.parametrize(
    "text,intent",
    [
        ("Non-specific low back pain", "ask_condition"),
        ("Slipped (herniated) disc", "ask_condition"),
        ("Staying active", "ask_treatment"),
        ("low back pain", None),
    ],
)
def test_a_menu_item_typed_back_is_a_question_about_it(text, intent):
    """Usability review 7: typing the topic menu's own "Non-specific low back pain" got "noted"."""
    assert interview.question_about_a_topic("describe_pain", text, analyse(text)) == intent
