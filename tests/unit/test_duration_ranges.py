"""A duration said as a range or a bound is kept as said (usability review 7, the duration
buttons): "1 to 6 weeks" was read as 6 weeks, summarised as "for about 6 weeks" and led with
"as it has lasted more than six weeks"; "about 4-6 weeks" gave a pain score of 4."""

from __future__ import annotations

import pytest

from bot import replies
from bot.nlp import analyse
from bot.replies import summary
from bot.symptoms import SymptomRecord

RANGES = [
    # (what was said, days read: the middle of a range, the bound itself)
    ("1 to 6 weeks", 24.5),
    ("6 to 12 weeks", 63.0),
    ("2-3 weeks", 17.5),
    ("between 2 and 3 months", 75.0),
    ("2 or 3 days", 2.5),
    ("about 4-6 weeks", 35.0),
    ("more than 3 months", 90.0),
    ("over a year", 365.0),
    ("less than a week", 7.0),
]


@pytest.mark.parametrize("said, days", RANGES)
@pytest.mark.parametrize("frame", ["{}", "it's been {}", "lower back pain, {} now", "{} i think"])
def test_a_range_or_a_bound_is_read_and_quoted_as_said(said, days, frame):
    analysis = analyse(frame.format(said))
    assert analysis.duration_days == pytest.approx(days)
    assert analysis.duration_as_said and said in analysis.duration_as_said.lower()
    assert analysis.severity is None, "a number of a duration is not a pain score"


@pytest.mark.parametrize("said, days", RANGES)
def test_the_summary_says_the_range_not_one_number(said, days):
    record = SymptomRecord()
    record.update(analyse("my lower back hurts"), question="pain_location")
    record.update(analyse(said), question="pain_duration")
    told = summary(record)
    assert f"for {said}" in told.lower() or f"for {said.removeprefix('for ')}" in told.lower(), told
    assert "about" not in told.replace(said, "") and "in your words" not in told, told


@pytest.mark.parametrize("said", ["3 weeks", "for 6 months", "2 weeks ago"])
def test_a_single_number_is_not_a_range(said):
    analysis = analyse(said)
    assert analysis.duration_days and analysis.duration_as_said is None


def test_a_short_range_is_not_lasting_pain():
    record = SymptomRecord()
    record.update(analyse("1 to 6 weeks"), question="pain_duration")
    assert not replies.lasting(record) and record.pain_duration == "acute"


def test_for_years_is_how_long_not_how_it_started():
    """'For years' says how long, not that it came on gradually (a summary said "it came on
    gradually" of "had low back ache for years")."""
    record = SymptomRecord()
    record.update(analyse("had low back ache for years"))
    told = summary(record)
    assert "gradually" not in told and "for years" in told, told


def test_the_summary_carries_its_statements_as_a_list():
    record = SymptomRecord()
    for text, question in (
        ("my lower back hurts", "pain_location"),
        ("2 weeks", "pain_duration"),
        ("worse when i sit", "aggravating_factors"),
    ):
        record.update(analyse(text), question=question)
    told = summary(record)
    assert told.told == ["pain in your lower back", "worse with sitting", "for about 2 weeks"], told.told
    assert replies.data_of(told) == {"told": told.told}
    assert (
        str(told) == "You told me: " + "; ".join(told.told) + ". You can show this to your physiotherapist or doctor."
    )
