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


def test_screen_speaks_new_flags_once_and_reminds_after_an_emergency(monkeypatch):
    monkeypatch.setenv("EMERGENCY_NUMBER", "112")
    first = safety.screen({"bladder_problem"}, {}, "routine", [])
    assert first.triage_level == "emergency" and first.new_red_flags == ["bladder_dysfunction"]
    assert any("112" in m for m in first.messages)
    again = safety.screen({"bladder_problem"}, {}, first.triage_level, first.red_flags)
    assert again.new_red_flags == [] and again.triage_level == "emergency"
    assert len(again.messages) == 1 and "112" in again.messages[0]
    quiet = safety.screen(set(), {}, "routine", [])
    assert quiet.messages == [] and quiet.triage_level == "routine"


def test_urgent_message_uses_the_configured_contact(monkeypatch):
    monkeypatch.setenv("URGENT_CARE_CONTACT", "your doctor's office")
    result = safety.screen({"fever"}, {}, "routine", [])
    assert result.triage_level == "urgent"
    assert any("your doctor's office" in m for m in result.messages)


def test_same_message_combinations_do_not_build_up_over_a_conversation():
    legs = analyse("my legs ache when i walk").findings()
    spreading = analyse("it spreads into my thigh").findings()
    assert triage.red_flags_in(legs | spreading, spreading) == []
    together = analyse("pain shooting down both legs").findings()
    assert [f.id for f in triage.red_flags_in(together, together)] == ["bilateral_leg_symptoms"]
