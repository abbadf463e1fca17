"""Injuries told in everyday words (issue 22, set J): a collision named by its own word, and a
bone or leg out of shape after a fall (NHS broken leg, hip fracture: call 999)."""

from __future__ import annotations

import pytest

from bot.contract import EMERGENCY, ROUTINE
from tests.support.statement_eval import screen_statement


@pytest.mark.parametrize(
    "text",
    [
        "slipped on icy steps, my ankle is pointing the wrong way and my back hurts too",
        "I'm 82 and slipped in the bath, my leg looks shorter and turned outwards and I can't get up",
        "fell off my bike and there's a bone sticking out of my arm, back hurts",
        "Got t-boned on the way home, now my neck is agony and my hands have gone numb",
        "rear-ended on the motorway an hour ago, pins and needles down both arms now",
    ],
)
def test_an_injury_with_a_deformity_or_a_deficit_is_an_emergency(text):
    assert screen_statement(text, EMERGENCY).escalated_first


@pytest.mark.parametrize(
    "text",
    [
        "my posture is bent the wrong way from sitting all day",
        "I'm so out of shape, my back aches after the gym",
        "it turned out to be a muscle strain, the physio said",
        "my car got rear-ended at walking pace in a car park last month, back is a bit stiff",
    ],
)
def test_look_alikes_of_injury_signs_stay_out_of_999(text):
    assert screen_statement(text, ROUTINE).first != EMERGENCY
