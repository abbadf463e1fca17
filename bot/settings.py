"""Per-deployment settings, read from the environment (see docs/safety.md).

Numbers and place names are both configuration: the defaults are the UK's (the content
follows NICE and NHS guidance); docs/safety.md lists US and EU examples.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Dict

# Seconds Rasa waits for the action server before giving up on an action (Rasa's own
# default is 300 s); the turn then ends with a safe fallback reply (addons/safety.py).
DEFAULT_ACTION_TIMEOUT = 10.0
DEFAULT_CHECKIN_DELAY = 604800  # a week, in seconds (issue 29)


@dataclass(frozen=True)
class Settings:
    emergency_number: str
    urgent_care_contact: str
    urgent_care_number: str  # what a tap-to-call link dials for an urgent message (issue 26)
    gp: str
    emergency_department: str
    pharmacist: str
    crisis_contacts: str
    action_timeout: float
    clinic_name: str  # the clinic that deployed the assistant (issue 27)
    handoff_fhir_url: str  # where a consented summary goes as FHIR; empty: no hand-off offered
    checkins: bool  # offer a check-in after a result (issue 29); on unless CHECKINS=off
    checkin_delay: int  # seconds from the yes to the check-in (CHECKIN_DELAY, a week)

    def placeholders(self) -> Dict[str, str]:
        """The values of the placeholders the safety wording may use."""
        return {
            "emergency_number": self.emergency_number,
            "urgent_contact": self.urgent_care_contact,
            "gp": self.gp,
            "emergency_department": self.emergency_department,
            "pharmacist": self.pharmacist,
            "crisis_contacts": self.crisis_contacts,
        }


def _timeout(value: str | None) -> float:
    try:
        seconds = float(value) if value else DEFAULT_ACTION_TIMEOUT
    except ValueError:
        return DEFAULT_ACTION_TIMEOUT
    return seconds if seconds > 0 else DEFAULT_ACTION_TIMEOUT


def _seconds(value: str | None, default: int) -> int:
    try:
        seconds = int(value) if value else default
    except ValueError:
        return default
    return seconds if seconds > 0 else default


def get_settings() -> Settings:
    env = os.environ.get
    return Settings(
        emergency_number=env("EMERGENCY_NUMBER", "999"),
        urgent_care_contact=env("URGENT_CARE_CONTACT", "NHS 111"),
        urgent_care_number=env("URGENT_CARE_NUMBER", "111"),
        gp=env("GP_NAME", "your GP"),
        emergency_department=env("EMERGENCY_DEPARTMENT", "A&E (the emergency department)"),
        pharmacist=env("PHARMACIST_NAME", "a pharmacist"),
        crisis_contacts=env("CRISIS_CONTACTS", "Samaritans on 116 123 (free, day or night)"),
        action_timeout=_timeout(env("ACTION_TIMEOUT")),
        clinic_name=env("CLINIC_NAME", "").strip(),
        handoff_fhir_url=env("HANDOFF_FHIR_URL", "").strip(),
        checkins=env("CHECKINS", "on").strip().lower() not in ("0", "off", "false", "no"),
        checkin_delay=_seconds(env("CHECKIN_DELAY"), DEFAULT_CHECKIN_DELAY),
    )
