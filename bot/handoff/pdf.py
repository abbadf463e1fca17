"""The summary as a PDF the person keeps (issue 27), made with fpdf2.

The same text as the summary message (bot/appointment.py), in the same order: an emergency
or urgent instruction first, then the clinic's name and the date, what the person said, the
result and the advice, "not a diagnosis" and the recommendation to see a professional.
The core PDF fonts cover Latin-1 only: typographic quotes, dashes and bullets are written as
their plain equivalents and anything else outside Latin-1 as "?".
"""

from __future__ import annotations

from datetime import date
from typing import Any, Mapping, Optional

from fpdf import FPDF

from bot.appointment import appointment_summary

PLAIN = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "•": "-", "…": "...", "\u00a0": " "})
TITLE = "Your back and leg pain chat: summary"
# A bot message whose custom payload has this key carries the PDF (base64) for a messaging
# channel that takes documents (actions/summary.py -> addons/channels/connectors.py).
DOCUMENT_KEY = "summary_pdf"


def file_name(today: Optional[date] = None) -> str:
    return f"back-pain-summary-{(today or date.today()):%Y-%m-%d}.pdf"


IMPORTANT = "IMPORTANT: "


def _latin1(text: str) -> str:
    return text.translate(PLAIN).encode("latin-1", "replace").decode("latin-1")


def summary_pdf(slots: Mapping[str, Any], clinic_name: str = "", today: Optional[date] = None) -> bytes:
    """The PDF of a conversation's summary, from its slots."""
    today = today or date.today()
    paragraphs = appointment_summary(slots, today).split("\n\n")
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_title(TITLE)
    pdf.set_creator("Back and leg pain assistant")
    pdf.add_page()
    width = pdf.epw
    if paragraphs and paragraphs[0].startswith(IMPORTANT):
        # The instruction stands first, in a box, before anything else on the page.
        pdf.set_font("Helvetica", "B", 13)
        pdf.set_fill_color(255, 235, 235)
        pdf.multi_cell(width, 7, _latin1(paragraphs.pop(0)), border=1, fill=True, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(width, 8, _latin1(TITLE), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 11)
    header = f"{today.day} {today:%B %Y}" + (f"  -  for {clinic_name}" if clinic_name else "")
    pdf.multi_cell(width, 6, _latin1(header), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    for paragraph in paragraphs:
        pdf.set_font("Helvetica", "", 11)
        pdf.multi_cell(width, 6, _latin1(paragraph), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    return bytes(pdf.output())
