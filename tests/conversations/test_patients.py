"""The simulated-patient suite: 69 people written from published cases talk to the assistant.

Each case's conversation runs once (real model, real action server, tests/support/patients.py)
and is then checked four ways: triage never below the expected level; the conversation
(consult recommendation at the end, no question asked more than three times, an end
reached, a summary given); a summary that nothing the person said contradicts; and,
when the case runs to the end, an expected cause among those shown.

Some checks wait on work that other branches are adding. Those are marked expected to
fail, with the reason, computed from the code and the content as they are: a cause whose
condition is not in the content, a red-flag rule not in the content yet, a known language
limit that a probe still shows, a known defect without a probe, a case over-triaged to an
emergency by choice (docs/safety.md). Each mark is strict, so it turns into a failure to
remove the mark as soon as the missing piece lands and the case passes. A case escalated to
an emergency that is not listed fails its summary and cause checks. The figures over all
cases are printed at the end of the run.
"""

from __future__ import annotations

import os
import statistics
from typing import Callable, Dict, List, Optional, Tuple

import pytest

from bot.content import get_content
from bot.nlp import analyse
from bot.ranking import rank_causes
from tests.conftest import SUMMARY_LINES
from tests.support.patients import (
    CONSULT,
    MAX_ASKS,
    Case,
    Outcome,
    check_summary,
    level_at_least,
    load_cases,
    run_case,
)

CASES = load_cases()
OUTCOMES: Dict[str, Outcome] = {}
MAX_QUESTIONS = 11  # distinct questions in any one case; the typical case is held to 9 (the figures test)
# 9 since issue 23: "What makes it worse?" and "what eases it?" are asked apart (one thing
# per question), which added one question to the typical case (median 8 before). 10 since
# set 6: the serious-accident question is asked unless the pain came on gradually or from a
# strain the person told (a fall from a ladder came out only there).
TYPICAL_QUESTIONS = 10

# Cases whose triage needs a red-flag rule another branch is adding (#8 safety, #10 content).
AWAITING_RED_FLAGS: Dict[str, Tuple[str, ...]] = {
    "kidney_stone_38": ("kidney_infection_signs",),
    "fracture_steroids_copd_71": ("possible_fragility_fracture",),
    "fracture_cough_85": ("possible_fragility_fracture",),
    "fracture_prednisolone_59": ("possible_fragility_fracture",),
    "dvt_long_flight_48": ("suspected_dvt",),
    "dvt_car_journey_33": ("suspected_dvt",),
    "aaa_sudden_72": ("possible_aortic_aneurysm",),
    "cold_pale_leg_78": ("cold_pale_leg",),
}


# Known limits of other parts, each with a probe that shows whether the limit is still
# there (None: no probe, the limit stands until the case passes). While the probe shows
# it, the case's check is a strict expected failure with the reason; once the probe stops
# showing it, the check counts.
def _not_found(text: str, finding: str) -> bool:
    """The language layer does not find ``finding`` (as present) in ``text``."""
    return finding not in analyse(text).findings()


def _systemic_sign_not_enough() -> bool:
    return "systemic_disease" not in [c.condition_id for c in rank_causes({"location:lower_back", "symptom:fever"})]


SYSTEMIC = (
    "one systemic warning sign (fever, cancer history, weight loss) does not bring systemic_disease "
    "into the list (content weights, #10)",
    _systemic_sign_not_enough,
)
KNOWN_LIMITS: Dict[Tuple[str, str], Tuple[str, Optional[Callable[[], bool]]]] = {
    ("axspa_morning_24", "summary"): (
        "a correction's 'no' negates what follows: 'wait no i got that wrong, resting makes it worse' (negation, #8)",
        lambda: _not_found("wait no i got that wrong, resting makes it worse", "rest"),
    ),
    ("phantom_foot_63", "cause"): (
        "the lexicon does not know 'had my leg off' or 'the missing foot' (#10)",
        lambda: _not_found("had my leg off below the knee", "phantom_sensation"),
    ),
    ("cancer_history_breast_62", "cause"): SYSTEMIC,
    ("infection_after_back_op_47", "cause"): SYSTEMIC,
}


# Cases the screen escalates to an emergency although a clinician would not, by the choices
# docs/safety.md lists ("Over-triage by choice"): the interview stops there, so there is no
# summary and no cause to check. Strict: once a case is no longer escalated, its checks count.
OVER_TRIAGED: Dict[str, str] = {
    "fever_injecting_43": (
        "a fever with a spinal-infection risk (injecting drugs) is an emergency since issue 22: NHS back pain "
        "pathways send suspected spinal infection to A&E when the spinal team cannot see the person that day"
    ),
    "transplant_immune_55": (
        "a fever with a weakened immune system is an emergency since issue 22 (suspected spinal infection, "
        "as fever_injecting_43)"
    ),
    "neuropathy_diabetic_71": (
        "over-triage by choice: numb, tingling 'both feet' count as both legs, a possible cauda equina "
        "sign, so the interview stops at the emergency instruction (docs/safety.md)"
    ),
}


def known_limit(case: Case, check: str) -> Optional[str]:
    """The reason the check is expected to fail, while its known limit is still there."""
    if case.id in OVER_TRIAGED and check in ("summary", "cause"):
        return OVER_TRIAGED[case.id]
    reason, probe = KNOWN_LIMITS.get((case.id, check), ("", lambda: False))
    return reason if probe is None or probe() else None


def over_triaged_to_emergency(outcome: Outcome) -> bool:
    """The screen went above the expected level, to an emergency ("my feet" counts as both
    legs: docs/safety.md lists where it over-triages); the figures count these."""
    return outcome.triage == "emergency" and outcome.case.expect_triage != "emergency"


def check_not_over_triaged(outcome: Outcome, what: str) -> None:
    """An emergency above the expected level leaves nothing to check: a listed case is an
    expected failure (OVER_TRIAGED), any other a failure."""
    assert not over_triaged_to_emergency(outcome), (
        f"escalated to an emergency (expected {outcome.case.expect_triage}): the interview stopped, {what}. "
        "If docs/safety.md chose this over-triage, list the case in OVER_TRIAGED with the reason.\n"
        + outcome.transcript()
    )


async def outcome_of(agent, case: Case) -> Outcome:
    if case.id not in OUTCOMES:
        OUTCOMES[case.id] = await run_case(agent, case)
    return OUTCOMES[case.id]


def _param(case: Case, *reasons: Optional[str]):
    reason = "; ".join(r for r in reasons if r)
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(case, id=case.id, marks=marks)


def _missing_causes(case: Case) -> Optional[str]:
    known = set(get_content().conditions)
    missing = [c for c in case.expect_causes if c not in known]
    if missing and len(missing) == len(case.expect_causes):
        return "expected cause not in the content yet: " + ", ".join(missing)
    return None


def _missing_red_flags(case: Case) -> Optional[str]:
    needed = AWAITING_RED_FLAGS.get(case.id, ())
    if needed and not set(needed) & set(get_content().red_flags):
        return "awaiting the red-flag rule " + " or ".join(needed)
    return None


def conversation_problems(outcome: Outcome) -> List[str]:
    case = outcome.case
    problems = []
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
    if outcome.summary is None and not case.ends_early and case.expect_triage != "emergency":
        problems.append("no summary")
    return problems


def summary_problems(outcome: Outcome) -> List[str]:
    if outcome.summary is None:
        return []
    check = check_summary(outcome.case, outcome.summary, [t.user for t in outcome.turns])
    return [f"summary: {c}" for c in check.contradictions]


@pytest.mark.parametrize("case", [_param(c, _missing_red_flags(c)) for c in CASES])
async def test_patient_triage_never_below_the_expected_level(agent, case):
    outcome = await outcome_of(agent, case)
    assert level_at_least(outcome.triage, case.expect_triage), (
        f"triage {outcome.triage}, expected at least {case.expect_triage}\n" + outcome.transcript()
    )


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
async def test_patient_conversation_ends_with_the_consult_and_never_loops(agent, case):
    outcome = await outcome_of(agent, case)
    problems = conversation_problems(outcome)
    if over_triaged_to_emergency(outcome) and case.id in OVER_TRIAGED:
        problems = [p for p in problems if p != "no summary"]  # the interview stopped by choice
    assert not problems, "\n".join(problems) + "\n" + outcome.transcript()


# An emergency or an early goodbye ends before there is anything to summarise.
SUMMARY_CASES = [c for c in CASES if not c.ends_early and c.expect_triage != "emergency"]


@pytest.mark.parametrize("case", [_param(c, known_limit(c, "summary")) for c in SUMMARY_CASES])
async def test_patient_summary_is_faithful(agent, case):
    outcome = await outcome_of(agent, case)
    if outcome.summary is None:
        check_not_over_triaged(outcome, "no summary")
    assert outcome.summary is not None, "no summary\n" + outcome.transcript()
    problems = summary_problems(outcome)
    assert not problems, "\n".join(problems) + f"\n{outcome.summary}\n" + outcome.transcript()


CAUSE_CASES = [c for c in CASES if c.expect_causes and not c.ends_early]


@pytest.mark.parametrize("case", [_param(c, _missing_causes(c), known_limit(c, "cause")) for c in CAUSE_CASES])
async def test_patient_sees_an_expected_cause(agent, case):
    outcome = await outcome_of(agent, case)
    check_not_over_triaged(outcome, "no causes were shown")
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
    asks = [o.asks for o in completed]
    messages = [len(o.turns) for o in outcomes]
    loops = sum(max(o.asked.values(), default=0) > MAX_ASKS for o in outcomes)

    def hit(group: List[Outcome]) -> int:
        return sum(bool(set(o.causes) & set(o.case.expect_causes)) for o in group)

    return [
        f"patients: {len(outcomes)} cases; triage exact {sum(o.triage == o.case.expect_triage for o in outcomes)}, "
        f"safe (never below) {sum(level_at_least(o.triage, o.case.expect_triage) for o in outcomes)}; "
        f"consult at the end {sum(o.last_response == CONSULT for o in outcomes)}",
        f"patients: causes hit {hit(checkable)}/{len(checkable)} (conditions in the content), "
        f"{hit(pending)}/{len(pending)} awaiting new conditions",
        f"patients: summaries faithful {sum(c.faithful for _, c in summaries)}/{len(summaries)}, "
        f"with an unsupported statement {sum(bool(c.unsupported) for _, c in summaries)}; "
        f"no summary {len(outcomes) - len(summaries)}",
        f"patients: loops (a question asked >{MAX_ASKS} times) {loops}; never ended {sum(o.gave_up for o in outcomes)}",
        f"patients: questions per completed case median {statistics.median(questions) if questions else 0:g}, "
        f"max {max(questions, default=0)} (asked again included: median {statistics.median(asks) if asks else 0:g}, "
        f"max {max(asks, default=0)}); messages per case median {statistics.median(messages):g}, max {max(messages)}",
    ]


async def test_patient_figures(agent):
    """Figures over every case; a typical case is held to about nine questions."""
    outcomes = [await outcome_of(agent, case) for case in CASES]
    SUMMARY_LINES.extend(figures(outcomes))
    dump = os.environ.get("PATIENTS_DUMP")
    if dump:
        with open(dump, "w") as out:
            for o in outcomes:
                out.write(f"== {o.case.id} triage={o.triage} causes={o.causes} asked={dict(o.asked)}\n")
                out.write("".join(f"!! {p}\n" for p in conversation_problems(o) + summary_problems(o)))
                if o.summary:
                    unsupported = check_summary(o.case, o.summary, [t.user for t in o.turns]).unsupported
                    out.write("".join(f"?? unsupported {u}\n" for u in unsupported))
                out.write(o.transcript(limit=100000) + "\n\n")
    completed = [o.questions for o in outcomes if not o.case.ends_early and o.case.expect_triage != "emergency"]
    assert statistics.median(completed) <= TYPICAL_QUESTIONS
