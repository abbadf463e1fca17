"""The held-out DEV set of issue 23 (tests/data/heldout/*.dev.yml) through the real assistant.

The targets of the issue that are met are asserted per case; the others are held to a floor a
little under the figure measured, so that a regression fails (raise a floor when the figure
rises). The sealed files are never run here: evaluation/heldout.py --set sealed, once, at the end.
"""

from __future__ import annotations

from typing import Any, Dict, List

import pytest

from tests.conftest import SUMMARY_LINES
from tests.support.heldout import (
    TARGET_MAX_ASKS,
    figures,
    load_messages,
    messages_file,
    patient_row,
    patients_file,
    run_message,
    table,
)
from tests.support.patients import load_cases, run_case

CASES = load_cases(patients_file("dev"))
MESSAGES = load_messages(messages_file("dev"))
ROWS: Dict[str, Dict[str, Any]] = {}
MESSAGE_ROWS: List[Dict[str, Any]] = []

# Floors, measured on the dev set (the figure measured is in the comment; before the #23
# fixes: 8 of 19 faithful, 17 of 23 causes, 155 of 196 intents, 61 of 69 own pain).
FLOOR_FAITHFUL = 10  # summaries with no contradicted or unsupported statement: 11 of 19
FLOOR_CAUSE_IN_TOP = 16  # an expected cause in the first three: 17 of 23
FLOOR_INTENT_RIGHT = 177  # intents right: 181 of 196 (0.923)
FLOOR_OWN_PAIN_REACHED = 66  # own-pain messages reaching the screen or the questions: 68 of 69


async def row_of(agent, case) -> Dict[str, Any]:
    if case.id not in ROWS:
        ROWS[case.id] = patient_row(await run_case(agent, case))
    return ROWS[case.id]


async def message_rows(agent) -> List[Dict[str, Any]]:
    if not MESSAGE_ROWS:
        MESSAGE_ROWS.extend([(await run_message(agent, m)).row() for m in MESSAGES])
    return MESSAGE_ROWS


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
async def test_heldout_patient_is_triaged_safely_and_ends_with_the_consult(agent, case):
    row = await row_of(agent, case)
    assert row["triage_safe"], f"triage {row['triage']}, expected {row['expected_triage']}\n{row['transcript']}"
    assert row["consult_at_end"], row["transcript"]
    assert row["max_asks"] <= TARGET_MAX_ASKS, f"asked {row['asked']}\n{row['transcript']}"
    assert row["most_sorry_in_a_turn"] <= 1, row["transcript"]


async def test_heldout_dev_figures_hold_their_floors(agent):
    patients = [await row_of(agent, case) for case in CASES]
    messages = await message_rows(agent)
    f = figures(patients, messages)
    SUMMARY_LINES.extend(["held-out dev:", *table(f).splitlines()])
    assert f["summaries_faithful"] >= FLOOR_FAITHFUL, [
        (p["id"], p["contradictions"], p["unsupported"], p["must_not_say"]) for p in patients if not p["faithful"]
    ]
    assert f["cause_in_top"] >= FLOOR_CAUSE_IN_TOP, [
        (p["id"], p["top_causes"]) for p in patients if p["cause_checked"] and not p["cause_in_top"]
    ]
    assert f["intent_right"] >= FLOOR_INTENT_RIGHT, [
        (m["text"], m["intent"]) for m in messages if m["intent"] != m["expected_intent"]
    ]
    assert f["own_pain_reached"] >= FLOOR_OWN_PAIN_REACHED, [
        (m["text"], m["responses"]) for m in messages if m["own_pain"] and not m["reached"]
    ]
    assert f["done_consult"] == f["done"], [m["text"] for m in messages if m["kind"] == "done"]
