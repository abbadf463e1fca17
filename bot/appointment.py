"""The conversation's summary as one message, to keep for an appointment.

The web widget builds its own printable summary in the browser (docs/widget.md); on
messaging channels the person asks for it ("send me a summary") and gets this text, in
the order a clinician reads best: any urgent or emergency instruction first, the date,
what the person said, the possible causes shown and why, the advice given, the "not a
diagnosis" note and the recommendation to see a professional.
"""

from __future__ import annotations

from datetime import date
from typing import Any, List, Mapping, Optional

from bot import replies
from bot.contract import EMERGENCY, POSSIBLE_CAUSES, ROUTINE, TRIAGE_LEVEL, URGENT
from bot.ranking import rank_causes
from bot.symptoms import SymptomRecord

NOT_A_DIAGNOSIS = (
    "This is not a diagnosis: it is what you told a computer program and the general "
    "information it gave. Only a professional who examines you can tell what is causing your pain."
)
SEE_A_PROFESSIONAL = (
    "Please show this to a health professional (your GP, a physiotherapist or a pharmacist), "
    "especially if the pain isn't getting better, keeps coming back or worries you."
)
# After an urgent or emergency instruction the routine closing line ("if the pain isn't
# getting better") would contradict it: the instruction at the top stands.
SEE_A_PROFESSIONAL_NOW = (
    "Please do what the instruction at the top says first, and show this to the professional who sees you."
)


def appointment_summary(slots: Mapping[str, Any], today: Optional[date] = None) -> str:
    """The summary of a conversation from its slots (nothing that was not said or shown)."""
    today = today or date.today()
    record = SymptomRecord.from_slots(slots)
    level = slots.get(TRIAGE_LEVEL) or ROUTINE
    parts: List[str] = []
    if level in (URGENT, EMERGENCY):
        parts.append("IMPORTANT: " + replies.reminder(level))
    parts.append(f"Summary of your chat about back and leg pain, {today.day} {today:%B %Y}.")
    parts.append(replies.summary(record, slots))
    shown = slots.get(POSSIBLE_CAUSES)
    if shown is not None and level != EMERGENCY:
        # The result as it was said, minus its own "You told me" (already above).
        causes = [c for c in rank_causes(record.features()) if c.condition_id in shown]
        parts += replies.result(causes, record, level, slots)[:-1]
        parts += replies.activity_plan(shown, record, level)
    parts += [NOT_A_DIAGNOSIS, SEE_A_PROFESSIONAL_NOW if level in (URGENT, EMERGENCY) else SEE_A_PROFESSIONAL]
    return "\n\n".join(parts)
