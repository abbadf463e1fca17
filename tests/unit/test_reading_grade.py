"""Plain language (issue 26): every reply the assistant can give reads at grade 8 or below.

The Flesch-Kincaid grade is textstat's (syllables counted offline with pyphen). It checks the
content module's texts and every response in domain.yml; placeholders are read as the words a
deployment usually puts there. Sentences stay under 25 words.
"""

from __future__ import annotations

import statistics

import pytest
import textstat

from bot.content.reading import readable, replies, sentences

MAX_GRADE = 8.0
MAX_SENTENCE_WORDS = 24
MAX_MEDIAN_GRADE = 7.0


REPLIES = replies()


def test_every_reply_is_checked():
    wheres = {where.split(" ")[0] for where, _ in REPLIES}
    assert {"response", "condition", "treatment", "red", "dialogue", "check", "escalation"} <= wheres
    assert len(REPLIES) > 300


@pytest.mark.parametrize("where,text", REPLIES, ids=[f"{w}#{i}" for i, (w, _) in enumerate(REPLIES)])
def test_reply_reads_at_grade_8_or_below(where, text):
    grade = textstat.flesch_kincaid_grade(readable(text))
    assert grade <= MAX_GRADE, f"{where}: grade {grade:.1f}: {text}"
    longest = max(sentences(text), key=lambda s: len(s.split()))
    assert len(longest.split()) <= MAX_SENTENCE_WORDS, f"{where}: {len(longest.split())} words: {longest}"


def test_the_replies_read_at_a_median_of_grade_7_or_below():
    grades = [textstat.flesch_kincaid_grade(readable(text)) for _, text in REPLIES]
    assert statistics.median(grades) <= MAX_MEDIAN_GRADE
