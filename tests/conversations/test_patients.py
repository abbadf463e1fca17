"""The simulated-patient suite: 69 people written from published cases talk to the assistant.

Each case's conversation runs once (real model, real action server) and is then checked:
triage never below the expected level, the consult recommendation at the end, no
question asked more than three times, a summary that nothing the person said
contradicts, and (when the case runs to the end) an expected cause among those shown.
A cause check whose expected conditions are all missing from the content is marked
expected-to-fail, naming the missing ids; it turns into a pass when the content lands.
The figures over all cases are printed at the end of the run.
"""

from __future__ import annotations

import os
import statistics
from typing import Dict, List

import pytest

from bot.content import get_content
from tests.conftest import SUMMARY_LINES
from tests.support.patients import CONSULT, MAX_ASKS, Case, Outcome, check_summary, level_at_least, load_cases, run_case

CASES = load_cases()
OUTCOMES: Dict[str, Outcome] = {}
MAX_QUESTIONS = 12  # in any one case; the typical case is held to about 8 (see the figures test)
TYPICAL_QUESTIONS = 8


async def outcome_of(agent, case: Case) -> Outcome:
    if case.id not in OUTCOMES:
        OUTCOMES[case.id] = await run_case(agent, case)
    return OUTCOMES[case.id]


def _cause_case(case: Case):
    known = set(get_content().conditions)
    missing = [c for c in case.expect_causes if c not in known]
    marks = []
    if len(missing) == len(case.expect_causes):
        reason = "expected cause not in the content yet: " + ", ".join(missing)
        marks.append(pytest.mark.xfail(strict=True, reason=reason))
    return pytest.param(case, id=case.id, marks=marks)


def problems_of(outcome: Outcome) -> List[str]:
    case = outcome.case
    problems = []
    if not level_at_least(outcome.triage, case.expect_triage):
        problems.append(f"triage {outcome.triage}, expected at least {case.expect_triage}")
    if outcome.last_response != CONSULT:
        problems.append(f"the conversation ends with {outcome.last_response}, not the consult recommendation")
    loops = {q: n for q, n in outcome.asked.items() if n > MAX_ASKS}
    if loops:
        problems.append(f"asked more than {MAX_ASKS} times: {loops}")
    if outcome.gave_up:
        problems.append("the interview never ended")
    if outcome.unmapped:
        problems.append(f"questions no fact answers: {outcome.unmapped}")
    if outcome.questions > MAX_QUESTIONS:
        problems.append(f"{outcome.questions} questions")
    summary = outcome.summary
    if summary is None:
        if not case.ends_early and case.expect_triage != "emergency":
            problems.append("no summary")
    else:
        check = check_summary(case, summary, [t.user for t in outcome.turns])
        problems.extend(f"summary: {c}" for c in check.contradictions)
    return problems


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
async def test_patient_conversation(agent, case):
    outcome = await outcome_of(agent, case)
    problems = problems_of(outcome)
    assert not problems, "\n".join(problems) + "\n" + outcome.transcript()


CAUSE_CASES = [c for c in CASES if c.expect_causes and not c.ends_early]


@pytest.mark.parametrize("case", [_cause_case(c) for c in CAUSE_CASES])
async def test_patient_sees_an_expected_cause(agent, case):
    outcome = await outcome_of(agent, case)
    shown = outcome.causes
    assert set(shown) & set(case.expect_causes), (
        f"shown {shown}, expected one of {list(case.expect_causes)}\n" + outcome.transcript()
    )


def figures(outcomes: List[Outcome]) -> List[str]:
    completed = [o for o in outcomes if not o.case.ends_early]
    known = set(get_content().conditions)
    checkable = [o for o in completed if set(o.case.expect_causes) & known]
    pending = [o for o in completed if o.case.expect_causes and not set(o.case.expect_causes) & known]
    summaries = [(o, check_summary(o.case, o.summary, [t.user for t in o.turns])) for o in outcomes if o.summary]
    questions = [o.questions for o in completed]
    messages = [len(o.turns) for o in outcomes]
    hit = lambda group: sum(bool(set(o.causes) & set(o.case.expect_causes)) for o in group)  # noqa: E731
    return [
        f"patients: {len(outcomes)} cases; triage exact {sum(o.triage == o.case.expect_triage for o in outcomes)}, "
        f"safe (never below) {sum(level_at_least(o.triage, o.case.expect_triage) for o in outcomes)}; "
        f"consult at the end {sum(o.last_response == CONSULT for o in outcomes)}",
        f"patients: causes hit {hit(checkable)}/{len(checkable)} (conditions in the content), "
        f"{hit(pending)}/{len(pending)} awaiting new conditions",
        f"patients: summaries faithful {sum(c.faithful for _, c in summaries)}/{len(summaries)}, "
        f"with an unsupported statement {sum(bool(c.unsupported) for _, c in summaries)}; "
        f"no summary {len(outcomes) - len(summaries)}",
        f"patients: loops (a question asked >{MAX_ASKS} times) {sum(max(o.asked.values(), default=0) > MAX_ASKS for o in outcomes)}; "
        f"never ended {sum(o.gave_up for o in outcomes)}",
        f"patients: questions per completed case median {statistics.median(questions) if questions else 0:g}, "
        f"max {max(questions, default=0)}; messages per case median {statistics.median(messages):g}, "
        f"max {max(messages)}",
    ]


async def test_patient_figures(agent):
    """Figures over every case; a typical case is held to about eight questions."""
    outcomes = [await outcome_of(agent, case) for case in CASES]
    SUMMARY_LINES.extend(figures(outcomes))
    dump = os.environ.get("PATIENTS_DUMP")
    if dump:
        with open(dump, "w") as out:
            for o in outcomes:
                out.write(f"== {o.case.id} triage={o.triage} causes={o.causes} asked={dict(o.asked)}\n")
                out.write("".join(f"!! {p}\n" for p in problems_of(o)))
                out.write(o.transcript(limit=100000) + "\n\n")
    completed = [o.questions for o in outcomes if not o.case.ends_early and o.case.expect_triage != "emergency"]
    assert statistics.median(completed) <= TYPICAL_QUESTIONS
