"""The summary as a PDF (bot/handoff/pdf.py), read back with pypdf."""

from __future__ import annotations

import io
from datetime import date

from pypdf import PdfReader

from bot.appointment import NOT_A_DIAGNOSIS
from bot.handoff.pdf import summary_pdf

DAY = date(2026, 3, 4)


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def test_routine_summary_holds_what_was_said_the_clinic_the_date_and_not_a_diagnosis():
    slots = {"pain_location": ["lower_back"], "pain_duration": "weeks_1_6", "age": 45.0, "triage_level": "routine"}
    pdf = summary_pdf(slots, "Riverside Physio", DAY)
    assert pdf.startswith(b"%PDF-")
    text = text_of(pdf)
    assert "Riverside Physio" in text and "4 March 2026" in text
    assert "You told me" in text and "lower back" in text
    assert " ".join(NOT_A_DIAGNOSIS.split()) in text
    assert "health professional" in text  # the recommendation to see one
    assert "IMPORTANT" not in text


def test_an_urgent_instruction_comes_first():
    slots = {"pain_location": ["lower_back"], "triage_level": "urgent", "red_flags": ["fever_with_back_pain"]}
    text = text_of(summary_pdf(slots, "Riverside Physio", DAY))
    assert text.startswith("IMPORTANT:")
    assert text.index("IMPORTANT:") < text.index("summary") < text.index("not a diagnosis")
