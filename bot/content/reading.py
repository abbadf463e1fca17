"""Every text the assistant can say, for the plain-language check (issue 26).

One list shared by tests/unit/test_reading_grade.py and benchmarks/reading_grade.py: the content
module's spoken texts and every response text in domain.yml, with placeholders read as the words a
deployment usually puts there.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import List, Optional, Tuple

import yaml

from .loader import get_content

ROOT = Path(__file__).resolve().parents[2]
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
    """The text as a person reads it: placeholders replaced by typical words."""
    return re.sub(r"\{(\w+)\}", lambda m: PLACEHOLDER_WORDS.get(m.group(1), "it"), text)


def sentences(text: str) -> List[str]:
    return [s for s in re.split(r"(?<=[.!?:])\s+|\n+", readable(text)) if s.strip()]


def replies(domain_file: Optional[Path] = None) -> List[Tuple[str, str]]:
    """(where, text) for everything the content can say and every response in the domain."""
    found = list(get_content().spoken_texts())
    domain = yaml.safe_load((domain_file or ROOT / "domain.yml").read_text(encoding="utf-8"))
    for name, variants in domain["responses"].items():
        found.extend((f"response {name}", v["text"]) for v in variants if v.get("text"))
    return found
