"""Plain language (issue 26): every reply the assistant can give reads at grade 8 or below.

The Flesch-Kincaid grade is textstat's (syllables counted offline with pyphen). It checks the
content module's texts and every response in domain.yml; placeholders are read as the words a
deployment usually puts there. Sentences stay under 25 words.
"""

from __future__ import annotations

import re
import statistics
from pathlib import Path
from typing import List, Tuple

import pytest
import textstat
import yaml

from bot.content import get_content

ROOT = Path(__file__).resolve().parents[2]
MAX_GRADE = 8.0
MAX_SENTENCE_WORDS = 24
MAX_MEDIAN_GRADE = 7.0
PLACEHOLDER_WORDS = {
    "emergency_number": "999",
    "urgent_contact": "111",
    "urgent_care_number": "111",
    "emergency_department": "A&E",
    "gp": "your GP",
    "place_gp": "your GP",
    "place_pharmacist": "a pharmacist",
    "clinic_name": "the clinic",
    "crisis_contacts": "Samaritans on 116 123",
}


def readable(text: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: PLACEHOLDER_WORDS.get(m.group(1), "it"), text)


def sentences(text: str) -> List[str]:
    return [s for s in re.split(r"(?<=[.!?:])\s+|\n+", readable(text)) if s.strip()]


def replies() -> List[Tuple[str, str]]:
    found = list(get_content().spoken_texts())
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    for name, variants in domain["responses"].items():
        found.extend((f"response {name}", v["text"]) for v in variants if v.get("text"))
    return found


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
