"""Red-flag rules, triage levels and the one-way ratchet (no Rasa)."""

import pytest

from bot import safety, triage
from bot.nlp import PRESENT, UNCERTAIN, analyse
from tests.conversations.red_flag_phrasings import PHRASINGS


@pytest.mark.parametrize("text,level", PHRASINGS, ids=[p[0] for p in PHRASINGS])
def test_rule_layer_on_its_own_gets_every_phrasing_right(text, level):
    findings = analyse(text).findings((PRESENT, UNCERTAIN))
    assert triage.level_of([f.id for f in triage.red_flags_in(findings, findings)]) == level


@pytest.mark.parametrize(
    "current,new,expected",
    [
        (None, "routine", "routine"),
        ("routine", "urgent", "urgent"),
        ("urgent", "routine", "urgent"),
        ("emergency", "urgent", "emergency"),
        ("emergency", "routine", "emergency"),
        ("urgent", "emergency", "emergency"),
    ],
)
def test_level_only_moves_up(current, new, expected):
    assert triage.raise_level(current, new) == expected


def test_findings_across_messages_combine():
    first = analyse("i have osteoporosis").findings()
    assert triage.level_of([f.id for f in triage.red_flags_in(first)]) == "routine"
    both = first | analyse("and yesterday i slipped and fell").findings()
    assert triage.level_of([f.id for f in triage.red_flags_in(both)]) == "urgent"


def test_screening_answers_raise_flags():
    flags = triage.red_flags_screened({"screen_cauda_equina": "yes"})
    assert [f.level for f in flags] == ["emergency"]
    assert triage.red_flags_screened({"screen_cauda_equina": "no", "screen_systemic": "unknown"}) == []
    assert [f.id for f in triage.red_flags_screened({"screen_weakness_progression": "slowly"})] == [
        "progressive_weakness"
    ]


def _screen(text, state=None, **kwargs):
    return safety.screen(state or safety.SafetyState(), analyse(text), **kwargs)


def test_screen_speaks_new_flags_once_and_reminds_after_an_emergency(monkeypatch):
    monkeypatch.setenv("EMERGENCY_NUMBER", "112")
    first = _screen("i can't pee")
    assert first.level == "emergency" and first.new_flags == ["bladder_dysfunction"]
    assert first.say[0].text.startswith("Please call 112 now"), "the instruction comes first"
    assert any("You mentioned" in s.text and "can't pee" in s.text for s in first.say)
    again = _screen("i can't pee", first.state)
    assert again.new_flags == [] and again.level == "emergency"
    assert len(again.say) == 1 and again.say[0].kind == "reminder" and "112" in again.say[0].text
    quiet = _screen("my back hurts")
    assert quiet.say == [] and quiet.level == "routine"


def test_urgent_message_uses_the_configured_places(monkeypatch):
    monkeypatch.setenv("URGENT_CARE_CONTACT", "your doctor's office")
    monkeypatch.setenv("GP_NAME", "your doctor")
    result = _screen("i have a fever and back pain")
    assert result.level == "urgent"
    assert result.say[0].text.startswith("Please get checked today: contact your doctor")
    assert "your doctor's office" in result.say[0].text


def test_same_message_combinations_do_not_build_up_over_a_conversation():
    legs = analyse("my legs ache when i walk").findings()
    spreading = analyse("it spreads into my thigh").findings()
    assert triage.red_flags_in(legs | spreading, spreading) == []
    together = analyse("pain shooting down both legs").findings()
    assert [f.id for f in triage.red_flags_in(together, together)] == ["bilateral_leg_symptoms"]


def test_an_exception_said_earlier_in_the_conversation_counts_for_a_conversation_flag():
    # Night waking at 4am eased by getting up (NICE NG65's inflammatory pattern), said before.
    conversation = {"night_pain", "wakes_late_night", "eased_by_getting_up"}
    assert "night_or_constant_pain" not in [f.id for f in triage.red_flags_in(conversation, {"night_pain"})]
    assert "night_or_constant_pain" in [f.id for f in triage.red_flags_in({"night_pain"}, {"night_pain"})]
