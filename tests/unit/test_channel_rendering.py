"""bot/rendering.py: splitting, buttons per platform, numbered replies, commands. No Rasa."""

from __future__ import annotations

import random

import pytest

from bot.rendering import (
    FACEBOOK,
    NUMBERED_HINT,
    PLAIN,
    SLACK,
    TELEGRAM,
    ChannelProfile,
    Choice,
    OutgoingMessage,
    call_for,
    choices_from_buttons,
    fits_natively,
    keyboard_rows,
    neutralize_command,
    numbered_options,
    render,
    resolve_numbered_reply,
    slack_escape,
    split_text,
    utf16_len,
)

LOCATION = [  # domain.yml utter_ask_pain_location
    {"title": "Lower back", "payload": "lower back"},
    {"title": "Upper back", "payload": "upper back"},
    {"title": "Neck", "payload": "neck"},
    {"title": "Buttock or hip", "payload": "buttock"},
    {"title": "Leg", "payload": "leg"},
]
SPREADS = [  # utter_ask_pain_spreads: "Into buttock or thigh" is 21 characters
    {"title": "No, it stays put", "payload": "no it doesn't spread"},
    {"title": "Into buttock or thigh", "payload": "it spreads into my thigh"},
    {"title": "Below the knee", "payload": "it goes down below the knee"},
    {"title": "Into the foot", "payload": "it goes down into my foot"},
]
SEVERITY = [
    {"title": t, "payload": p} for t, p in [("0-2", "2"), ("3-4", "4"), ("5-6", "6"), ("7-8", "8"), ("9-10", "10")]
]

ANSWER = (
    "Sciatica: Sciatica is pain, tingling or numbness that travels along the sciatic nerve, from the lower "
    "back and buttock down the back of the leg. It happens when a nerve root in the lower back is irritated "
    "or pressed on, most often by a slipped disc, and sometimes by narrowing of the spine. It usually gets "
    "better within 4 to 6 weeks, but it can last longer.\n\n"
    "It often shows up as:\n"
    "• Pain in the buttock and down the back of the leg, often below the knee and into the foot.\n"
    "• The leg pain is often worse than the back pain.\n"
    "• The pain can feel sharp, shooting or burning.\n"
    "• Numbness, tingling or weakness in the leg or foot."
)


def words(text: str) -> list:
    return text.split()


# --------------------------------------------------------------------------- split_text


def test_short_text_is_one_message_unchanged():
    assert split_text("Where do you feel the pain most?", 2000) == ["Where do you feel the pain most?"]


def test_empty_text_gives_no_message():
    assert split_text("", 100) == [] and split_text("  \n ", 100) == []


@pytest.mark.parametrize("limit", [60, 100, 150, 300, 400, 1000])
def test_parts_are_within_limit_and_lose_no_word(limit):
    parts = split_text(ANSWER, limit)
    assert all(len(part) <= limit for part in parts)
    assert words(" ".join(parts)) == words(ANSWER)


def test_cuts_at_paragraph_first():
    parts = split_text(ANSWER, 400)
    assert parts[0].startswith("Sciatica:") and parts[0].endswith("it can last longer.")
    assert parts[1].startswith("It often shows up as:")


def test_bullet_lines_stay_whole():
    parts = split_text(ANSWER, 120)
    bullets = [line for line in ANSWER.splitlines() if line.startswith("•")]
    for bullet in bullets:
        assert any(bullet in part.splitlines() for part in parts), bullet


def test_long_paragraph_is_cut_between_sentences():
    parts = split_text(ANSWER.split("\n\n")[0], 200)
    assert len(parts) >= 2
    assert all(part.endswith(".") for part in parts)


def test_overlong_word_is_cut_inside_only_as_last_resort():
    parts = split_text("see " + "x" * 25 + " now", 10)
    assert all(len(part) <= 10 for part in parts)
    assert "".join(parts).replace(" ", "") == "see" + "x" * 25 + "now"


def test_random_texts_respect_limits():
    rng = random.Random(7)
    vocabulary = ["pain", "back.", "leg,", "• numbness", "\n", "\n\n", "weakness!", "a" * 30, "ok?"]
    for _ in range(200):
        text = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(1, 80)))
        limit = rng.randint(5, 120)
        parts = split_text(text, limit)
        assert all(0 < len(p) <= limit for p in parts)
        assert "".join(words(" ".join(parts))) == "".join(words(text))


def test_telegram_counts_utf16_units():
    assert utf16_len("🙂") == 2
    parts = split_text("🙂 " * 10, 8, utf16_len)
    assert all(utf16_len(part) <= 8 for part in parts)


def test_limit_must_be_positive():
    with pytest.raises(ValueError):
        split_text("x", 0)


# --------------------------------------------------------------------------- buttons


def test_choices_from_rasa_buttons():
    assert choices_from_buttons([{"title": "Yes", "payload": "yes"}, {"payload": "no"}, {}]) == [
        Choice("Yes", "yes"),
        Choice("no", "no"),
    ]


def test_telegram_and_slack_show_buttons_natively():
    for profile in (TELEGRAM, SLACK):
        messages = render("Does the pain spread anywhere?", SPREADS, profile)
        assert messages == [OutgoingMessage("Does the pain spread anywhere?", tuple(choices_from_buttons(SPREADS)))]


def test_facebook_quick_replies_when_titles_fit():
    [message] = render("Where do you feel the pain most?", LOCATION, FACEBOOK)
    assert message.text == "Where do you feel the pain most?"
    assert [c.payload for c in message.choices] == ["lower back", "upper back", "neck", "buttock", "leg"]


def test_facebook_numbers_options_when_a_title_is_over_20_characters():
    [message] = render("Does the pain spread anywhere?", SPREADS, FACEBOOK)
    assert message.choices == ()
    assert message.text == (
        "Does the pain spread anywhere?\n\n"
        "1. No, it stays put\n2. Into buttock or thigh\n3. Below the knee\n4. Into the foot\n" + NUMBERED_HINT
    )


def test_facebook_numbers_options_beyond_13():
    many = [{"title": f"Option {i}", "payload": f"p{i}"} for i in range(14)]
    assert not fits_natively(choices_from_buttons(many), FACEBOOK)
    assert fits_natively(choices_from_buttons(many[:13]), FACEBOOK)


def test_telegram_numbers_options_when_payload_exceeds_64_bytes():
    long_payload = [{"title": "Yes", "payload": "y" * 65}]
    assert render("Sure?", long_payload, TELEGRAM)[0].choices == ()


def test_plain_channel_always_numbers():
    [message] = render(
        "Is it getting worse?", [{"title": "Yes", "payload": "yes"}, {"title": "No", "payload": "no"}], PLAIN
    )
    assert message.text.endswith("1. Yes\n2. No\n" + NUMBERED_HINT)


def test_buttons_go_on_the_last_part_of_a_long_text():
    profile = FACEBOOK.with_max_text(150)
    messages = render(ANSWER, LOCATION, profile)
    assert len(messages) > 2
    assert all(not m.choices for m in messages[:-1]) and messages[-1].choices
    assert all(len(m.text) <= 150 for m in messages)


def test_numbered_options_get_their_own_message_when_they_do_not_fit():
    profile = ChannelProfile("tiny", 60)
    messages = render("Does the pain spread anywhere, for example down a leg?", SPREADS, profile)
    assert messages[0].text == "Does the pain spread anywhere, for example down a leg?"
    assert "1. No, it stays put" in messages[1].text
    assert all(len(m.text) <= 60 for m in messages)


def test_buttons_without_text_still_send_something():
    [message] = render("", LOCATION, TELEGRAM)
    assert message.text and message.choices


def test_with_max_text_never_raises_the_platform_limit():
    assert FACEBOOK.with_max_text(5000).max_text == 2000
    assert FACEBOOK.with_max_text(None) is FACEBOOK
    assert FACEBOOK.with_max_text(300).max_text == 300


def test_numbered_options_text():
    assert numbered_options(choices_from_buttons(LOCATION[:2])) == "1. Lower back\n2. Upper back"


def test_keyboard_rows_keep_short_answers_together():
    yes_no = choices_from_buttons(
        [
            {"title": "Yes", "payload": "yes"},
            {"title": "No", "payload": "no"},
            {"title": "Not sure", "payload": "not sure"},
        ]
    )
    assert keyboard_rows(yes_no) == [yes_no]
    rows = keyboard_rows(choices_from_buttons(SPREADS))
    assert all(sum(len(c.title) for c in row) <= 30 or len(row) == 1 for row in rows)
    assert [c for row in rows for c in row] == choices_from_buttons(SPREADS)


def test_slack_escape():
    assert slack_escape("a < b & c > d") == "a &lt; b &amp; c &gt; d"


# --------------------------------------------------------------------------- numbered replies


@pytest.mark.parametrize(
    "reply, payload",
    [
        ("2", "it spreads into my thigh"),
        (" 4. ", "it goes down into my foot"),
        ("option 1", "no it doesn't spread"),
        ("#3", "it goes down below the knee"),
        ("into buttock or THIGH", "it spreads into my thigh"),
    ],
)
def test_numbered_reply_maps_to_payload(reply, payload):
    assert resolve_numbered_reply(reply, SPREADS, FACEBOOK) == payload


@pytest.mark.parametrize("reply", ["5", "0", "it goes to my foot", "", "2 weeks"])
def test_other_replies_are_left_alone(reply):
    assert resolve_numbered_reply(reply, SPREADS, FACEBOOK) is None


def test_native_choices_are_not_resolved():
    # Quick replies were shown: a typed "7" is a pain score, not option 7.
    assert resolve_numbered_reply("3", SEVERITY, FACEBOOK) is None
    assert resolve_numbered_reply("2", SPREADS, TELEGRAM) is None
    assert resolve_numbered_reply("2", None, FACEBOOK) is None


# --------------------------------------------------------------------------- commands


@pytest.mark.parametrize(
    "typed, sent",
    [
        ("/start", "hi"),
        ("/start@BackPainBot", "hi"),
        ("/start campaign-42", "hi"),
        ("/help", "what can you do"),
        ('/report_red_flag{"red_flag": "x"}', 'report_red_flag{"red_flag": "x"}'),
        ("//greet", "greet"),
        ("my lower back hurts", "my lower back hurts"),
        ("  hi  ", "hi"),
        (None, ""),
    ],
)
def test_neutralize_command(typed, sent):
    assert neutralize_command(typed) == sent


# --------------------------------------------------------------------------- calls (issue 26)
@pytest.fixture
def no_call_settings(monkeypatch):
    for name in ("EMERGENCY_NUMBER", "URGENT_CARE_NUMBER", "GP_NAME"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_the_number_to_call_for_each_kind_of_message(no_call_settings):
    emergency = call_for("emergency")
    assert emergency.as_metadata() == {"number": "999", "label": "Call 999"} and emergency.dial == "999"
    assert call_for("crisis") == emergency, "a crisis message gives the emergency number"
    urgent = call_for("urgent")
    assert urgent.as_metadata() == {
        "number": "111",
        "label": "Call 111",
        "route": "Or contact your GP for an urgent same-day appointment.",
    }
    for kind in ("reminder", "told", "causes", "advice", "consult", None, "other"):
        assert call_for(kind) is None, kind


def test_the_numbers_come_from_the_settings(no_call_settings):
    no_call_settings.setenv("EMERGENCY_NUMBER", "911")
    no_call_settings.setenv("URGENT_CARE_NUMBER", "+1 (555) 010-0199")
    no_call_settings.setenv("GP_NAME", "your doctor")
    assert call_for("emergency").as_metadata() == {"number": "911", "label": "Call 911"}
    urgent = call_for("urgent")
    assert urgent.number == "+1 (555) 010-0199" and urgent.dial == "+15550100199" and urgent.international
    assert urgent.route == "Or contact your doctor for an urgent same-day appointment."
    assert not call_for("emergency").international


@pytest.mark.parametrize("number", ["", "NHS 111", "9", "call 999", "1" * 16, "999; rm"])
def test_no_call_link_for_what_a_phone_cannot_dial(no_call_settings, number):
    no_call_settings.setenv("EMERGENCY_NUMBER", number)
    assert call_for("emergency") is None
