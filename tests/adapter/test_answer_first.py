"""addons/nlu.py: a reply that opens with "yes" or "no" and adds a remark answers the
question asked (usability reviews 8 and 9), unless it leaves or tells a red flag."""

from __future__ import annotations

import pytest

from addons.nlu import _no_first, _yes_first
from bot.nlp import analyse


def _intent(step, text, classified):
    intent = {"name": classified, "confidence": 0.7}
    return step(intent, [intent], text, analyse(text))[0]["name"]


@pytest.mark.parametrize(
    "text, classified",
    [
        (
            "No, none of those, thank goodness, although I am rather stiff in the mornings as one is at my age.",
            "out_of_scope",
        ),
        ("no, nothing like that, thanks", "thank"),
        ("nope. all good down there", "nlu_fallback"),
    ],
)
def test_a_no_with_a_remark_is_a_no(text, classified):
    assert _intent(_no_first, text, classified) == "deny"


@pytest.mark.parametrize(
    "text, classified",
    [
        ("no thanks, bye", "goodbye"),
        ("nope, I can't pee at all", "out_of_scope"),
        ("no idea, what is a facet?", "ask_condition"),
    ],
)
def test_a_no_that_leaves_tells_a_red_flag_or_asks_is_left_alone(text, classified):
    assert _intent(_no_first, text, classified) == classified


def test_a_yes_with_thanks_is_a_yes():
    assert _intent(_yes_first, "Yes please, that would be very kind of you. Thank you.", "thank") == "affirm"
