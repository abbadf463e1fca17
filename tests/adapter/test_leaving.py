"""addons/leaving.py: a goodbye in any words is read as one, unless it is a question of its
own, a description of pain or a red flag."""

from __future__ import annotations

import pytest

from addons.leaving import leaving_intent


@pytest.mark.parametrize(
    "text, intent, leaving",
    [
        # Held-out set 5: taken for a question mid-interview, and the consult advice never came.
        ("gotta go, boss is calling me in. cheers for now", "ask_treatment", True),
        ("thanks, bye", "thank", True),
        ("ok I'll leave it there", "affirm", True),
        ("what exercises can I do before I go? bye", "ask_treatment", False),
        ("can I go to work tomorrow, got to go now", "ask_treatment", False),
        ("my back went, bye bye football for a while", "describe_pain", False),
        ("I can't pee, got to go", "report_red_flag", False),
    ],
)
def test_a_goodbye_in_any_words_unless_it_asks_or_tells(text, intent, leaving):
    assert leaving_intent(text, {"name": intent}) is leaving
