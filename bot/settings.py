"""Per-deployment settings, read from the environment (see docs/safety.md)."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    emergency_number: str
    urgent_care_contact: str
    crisis_contacts: str


def get_settings() -> Settings:
    # UK defaults, as the content follows NICE and NHS guidance; a deployment elsewhere
    # sets e.g. EMERGENCY_NUMBER=911 URGENT_CARE_CONTACT="your doctor's office".
    return Settings(
        emergency_number=os.environ.get("EMERGENCY_NUMBER", "999"),
        urgent_care_contact=os.environ.get("URGENT_CARE_CONTACT", "NHS 111"),
        crisis_contacts=os.environ.get("CRISIS_CONTACTS", "999 or Samaritans on 116 123"),
    )
