"""The rule layer on the whole ground-truth table, tests/data/red_flag_phrasings.yml (no Rasa).

Every single phrasing at its level; every emergency and urgent phrasing also after each
of the table's 24 prefixes (negated or unrelated clauses); conversations; long-standing
symptoms (not an emergency at once, the right level after "is it new?"); general
questions (never a statement, conditional advice offered). The conversation tests
(tests/conversations/test_red_flags.py) run a sample of the same table through the
trained assistant.

Entries whose rules another branch is adding (blood clots, a cold pale leg, kidney
infection: w10-content) are expected to fail here, strictly: when those rules arrive
the test says so, and the entry leaves ELSEWHERE.
"""

from __future__ import annotations

import pytest

from tests.support.safety_table import CRISIS, LEVELS, load_table, screen_conversation

TABLE = load_table()
# Phrasings whose red-flag rules belong to conditions the content branch adds.
ELSEWHERE: set = set()
# Long-standing mentions that no red-flag rule involves are not asked about (the
# interview goes on, and a change said later is screened as usual; docs/safety.md).
NOT_ASKED = {
    "i've had IBS for years so my bowels are all over the place",
    "i've had ibs for years",
    "i've had back pain for 20 years",
    "back pain on and off for 20 years",
    "my feet are always cold and a bit purple, i have raynauds",
    "i've had pain in both legs when i walk for years, spinal stenosis",
}


def _marks(text: str):
    reason = "rules for this condition come from the content branch (w10-content)"
    return [pytest.mark.xfail(strict=True, reason=reason)] if text in ELSEWHERE else []


def at_least(level: str, expected: str) -> bool:
    if expected == CRISIS:
        return level == CRISIS
    return level == CRISIS or LEVELS.index(level) >= LEVELS.index(expected)


SINGLES = [pytest.param(e["text"], e["expect"], id=e["text"][:60], marks=_marks(e["text"])) for e in TABLE["single"]]


@pytest.mark.parametrize("text,expected", SINGLES)
def test_single_phrasing(text, expected):
    level = screen_conversation([text]).level
    if expected == "routine":
        assert level == "routine", f"false alarm: {text!r} -> {level}"
    else:
        assert at_least(level, expected), f"{text!r}: expected {expected}, got {level}"


ESCALATING = [p for p in SINGLES if p.values[1] in ("emergency", "urgent")]


@pytest.mark.parametrize("text,expected", ESCALATING)
def test_phrasing_after_every_prefix(text, expected):
    missed = [
        prefix for prefix in TABLE["prefixes"] if not at_least(screen_conversation([prefix + text]).level, expected)
    ]
    assert not missed, f"{text!r} missed after {missed}"


@pytest.mark.parametrize(
    "messages,expected", [pytest.param(e["messages"], e["expect"], id=e["kind"]) for e in TABLE["sequences"]]
)
def test_conversation(messages, expected):
    assert screen_conversation(messages).level == expected


LONG_STANDING = [pytest.param(e, id=e["text"][:60]) for e in TABLE["long_standing"]]


@pytest.mark.parametrize("entry", LONG_STANDING)
def test_long_standing_is_not_an_emergency_at_once_and_the_answer_decides(entry):
    first = screen_conversation([entry["text"]])
    assert first.level != "emergency"
    assert first.asks_if_new == (entry["text"] not in NOT_ASKED)
    if first.asks_if_new:
        assert "Is this new, or has it changed recently" in first.said
    after = screen_conversation([entry["text"], entry["new_or_changed_answer"]])
    assert after.level == entry["expect_after_answer"]


QUESTIONS = [
    pytest.param(e["text"], e["about"], id=e["text"][:60], marks=_marks(e["text"])) for e in TABLE["questions"]
]


@pytest.mark.parametrize("text,about", QUESTIONS)
def test_general_question_gets_conditional_advice_and_a_yes_no(text, about):
    result = screen_conversation([text])
    assert result.level == "routine", "a question is not a report"
    assert "What you describe" not in result.said and "You mentioned" not in result.said
    assert result.asks_if_now and result.said.endswith("Is this happening to you now?")
    assert ("999" in result.said) == (about in ("emergency", CRISIS))
    if about == CRISIS:
        assert "116 123" in result.said
    yes = screen_conversation([text, "yes"])
    assert at_least(yes.level, about), f"'yes' to 'is this happening now?' after {text!r}"
    assert screen_conversation([text, "no"]).level == "routine"
