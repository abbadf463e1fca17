"""The screen on red-flag statements that people who never saw the code wrote (issue 22).

The targets are the issue's: every emergency and urgent statement escalates on first
mention or, at worst, right after "yes" to the targeted question asked in the same reply
(no silent miss); at least 95% of emergencies on first mention; at most 1 in 20 routine
look-alikes sent to 999 and at most 2 in 20 to same-day care.

The development halves are what the screen was developed against; the sealed halves were
run once, when the work was done (docs/evaluation.md has both scores). Both stay here as
regression tests at the targets they reached.
"""

from __future__ import annotations

import pytest

from bot.contract import EMERGENCY, ROUTINE, URGENT
from tests.support.statement_eval import CRISIS, HELDOUT, load, score

DEV = sorted(HELDOUT.glob("redflags_*.dev.yml"))
# Known misses, each with its reason. Strict: a known miss that starts to pass fails the
# test, so the list is kept true.
KNOWN_SILENT_MISSES: dict = {
    # Set L (dev). Both say the symptom is stable and one-sided; the interview's next
    # questions ask whether weakness is getting worse. NHS sciatica advice makes one-sided
    # weakness or tingling urgent only when severe or getting worse. A first-message check would
    # then ask the interview's progression question twice: a check's "no" cannot yet fill
    # a screening answer.
    "sciatica in my right leg and my big toe feels weak when I try to lift it, been like that since Monday, "
    "no change": "stable one-sided weakness, said to be unchanged",
    "pins and needles in my right foot since the back twinge a week ago, not spreading, just still there": (
        "tingling in one foot, unchanged for a week"
    ),
}


def _scores(paths):
    return score([entry for path in paths for entry in load(path)])


@pytest.fixture(scope="module")
def dev():
    assert DEV, "the development halves are missing"
    return _scores(DEV)


def _misses(outcomes):
    return "\n".join(
        f"  [{o.expect} -> {o.first}, asked {o.asked}, after yes {o.after_yes}] {o.text}" for o in outcomes
    )


def test_development_statements_meet_the_targets(dev):
    escalating = [o for o in dev.outcomes if o.expect in (EMERGENCY, URGENT, CRISIS)]
    silent = [o for o in escalating if o.silent_miss]
    unexpected = [o for o in silent if o.text not in KNOWN_SILENT_MISSES]
    assert not unexpected, f"silent misses:\n{_misses(unexpected)}"
    fixed = set(KNOWN_SILENT_MISSES) - {o.text for o in silent}
    assert not fixed, f"known misses that now pass (take them off the list): {sorted(fixed)}"
    emergencies = [o for o in dev.outcomes if o.expect == EMERGENCY]
    late = [o for o in emergencies if not o.escalated_first]
    assert len(late) <= 0.05 * len(emergencies), f"emergencies not escalated on first mention:\n{_misses(late)}"
    routine = [o for o in dev.outcomes if o.expect == ROUTINE]
    to_999 = [o for o in routine if o.first in (EMERGENCY, CRISIS)]
    same_day = [o for o in routine if o.first == URGENT]
    assert len(to_999) <= len(routine) / 20, f"routine sent to 999:\n{_misses(to_999)}"
    assert len(same_day) <= 2 * len(routine) / 20, f"routine sent to same-day care:\n{_misses(same_day)}"


# The sealed sets were each run once (docs/evaluation.md has those scores); since then they
# are development data too, held here at what they reached. A fresh sealed set measures next.
SPENT_FLOORS = {
    # file: (emergencies on first mention, silent misses at most, routine sent to 999 at most)
    "redflags_A.sealed.yml": (0.94, 5, 0.07),
    "redflags_B.sealed.yml": (0.91, 2, 0.06),
    "redflags_C.sealed.yml": (0.81, 22, 0.05),
    # Set E, sealed until 2026-12-05: 94% emergencies first, 24 silent (3 emergency, 10 urgent, 11 crisis), 14% routine to 999.
    "redflags_E.sealed.yml": (0.94, 24, 0.15),
    # Set F, sealed until 2026-12-05 (run once after the set E fixes): 90% emergencies first, 27 silent
    # (7 emergency, 9 urgent, 11 crisis), 12.5% routine to 999, 7.5% to same-day care. After the
    # fixes by class (who and when, oblique crisis, progression, combinations): 97%, 4 silent, 0%.
    "redflags_F.sealed.yml": (0.97, 4, 0.0),
    # Set G, sealed until 2026-12-05 (run once after the set F fixes): 96% emergencies first, 13 silent
    # (1 emergency, 6 urgent, 6 crisis), 5% routine to 999, 0% to same-day care. After the fixes by
    # class (shingles, on purpose, others better off, a baby moving less): 97%, 1 silent, 5%.
    "redflags_G.sealed.yml": (0.97, 1, 0.05),
    # Set H, sealed until 2026-12-05 (run once after the set G fixes): 89% emergencies first, 18 silent
    # (8 emergency, 4 urgent, 6 crisis), 2.5% routine to 999, 4% to same-day care. After the fixes by
    # class (stroke and meningitis families, pain on breathing after an operation, "nearly passed out",
    # a crisis put as a condition, "what's", a relative's age, sport strains): 99%, 2 silent, 0%.
    "redflags_H.sealed.yml": (0.98, 2, 0.0),
    # Set I, sealed until 2026-12-05 (run once after the set H fixes): 89% emergencies first, 21 silent
    # (6 emergency, 3 urgent, 12 crisis), 5% routine to 999, 2.5% to same-day care. After the fixes by
    # class (crisis said as finality, a way out, affairs settled or a goodbye, asked when not certain;
    # weakness down one side and a thunderclap headache as stroke; sweating with arm, shoulder or
    # sickness; cancer abbreviated; a fall is not weakness): 97%, 1 silent, 1%.
    "redflags_I.sealed.yml": (0.97, 1, 0.02),
    # Set J, sealed until 2026-12-06 (run once on 1d525d2): 86% emergencies first, 16 silent
    # (6 emergency, 3 urgent, 7 crisis), 6% routine to 999, 2.5% same-day. After the fixes by class
    # (any two crisis signs of different kinds, a crisis put as a question, "both legs" within
    # one sentence, collisions named by their word, pain with every breath, a bone out of shape
    # after a fall): 93%, 6 silent, 4%.
    "redflags_J.sealed.yml": (0.92, 6, 0.04),
    # Set K, sealed until 2026-12-06 (run once on 35906dd): 89% emergencies first, 10 silent
    # (3 emergency, 1 urgent, 6 crisis), 7.5% routine to 999, 10% same-day. After the fixes by
    # class (an injury kept up until the body shows it, a medicine asked about with what would stop
    # breathing, car exhaust, peace made with not being around, sight doubled or lost with a limb
    # gone numb): 90%, 3 silent, 7.5%.
    "redflags_K.sealed.yml": (0.9, 3, 0.075),
    # Set L, sealed until 2026-12-07 (run once on 36a09fa): 91% emergencies first, 5 silent (3 emergency,
    # 2 urgent), 8% routine to 999, 2.5% same-day. Since: a fall from a ladder asked about when only the
    # ladder is said; a condition checked for and found fine. Open: a heart attack told of someone else
    # partly in the past tense; foot drop told as what the foot can no longer do; a question about
    # what the saddle area is; stable one-sided weakness or numbness (labelled urgent by the writers).
    "redflags_L.sealed.yml": (0.91, 5, 0.05),
    "redflags_M.sealed.yml": (0.82, 9, 0.05),
    # Set N, sealed until 2026-12-07 (run once on 86ccac4): 94% emergencies first, 9 silent (1
    # emergency, 6 urgent, 2 crisis), 5% routine to 999, 2.5% same-day. After the fixes by class
    # (a plan is no joke whatever the laugh; "it's gone right into my foot" is spread; sepsis as
    # "hot then freezing" with slurred words or blotches; a red hot calf; bone tablets named;
    # "round my kidney"): 97%, 3 silent, 5%. Open: a first back pain at 67 there all the time;
    # a brother giving his things away; a numb bum after cycling.
    "redflags_N.sealed.yml": (0.97, 3, 0.05),
    # Set O, sealed until 2026-12-07 (run once on a2afb1b plus the set O dev fixes): 94% emergencies
    # first, 6 silent (3 urgent, 3 crisis), 0% routine to 999, 2.5% same-day. After the fixes by class
    # (changed pee with loin pain and shaking, a young person's pain at rest, an old person's fall
    # told by pronoun, unwell after a spinal procedure, retention across "but", wind passed unaware,
    # a written sorry and goodbye, goodbyes said; weight lost on purpose): 100%, 2 silent, 0%. Open:
    # (the "not scared of dying anymore, I've started planning how" of then is read since review 7) pain
    # at 3am eased by pacing (the inflammatory pattern, GP not same day here, by design).
    "redflags_O.sealed.yml": (1.0, 2, 0.0),
    # Set P, all sealed (120), run once on 379bd44: 97% emergencies first, 4 silent (1 emergency,
    # 2 urgent, 1 crisis), 7.5% routine to 999, 5% same-day. After the fixes by class ("gone" as
    # become, worse since a spinal injection, a crash in any verb, "better I am not here", letters
    # "just in case", legs tired from a run, a spin class or a shift, night work): 100%, 1 silent,
    # 2.5%. Open: a myeloma picture (anaemia, rib and back ache); a numb bum that came back on standing.
    "redflags_P.sealed.yml": (1.0, 1, 0.025),
    # Set Q, sealed until 2026-12-07 (120, run once on 2b0a503): 92% emergencies first, 11 silent
    # (3 emergency, 2 urgent, 6 crisis), 2.5% look-alikes to 999. Fixed by class (Scots and
    # Caribbean negation, a breath taken with a swollen leg, the most serious check first, pain at
    # rest in the young, a child kept awake, a fever long gone, "putting" read as put, things given
    # away however many, tablets kept aside or "for when the time comes", "finish everything" with
    # a means, "God take me", the net's indirect warning signs): 97%, 0 silent, 2.5%. Open: a numb
    # bum that "went away once I'd had a walk about" (999).
    "redflags_Q.sealed.yml": (0.97, 0, 0.025),
    # Set R, sealed until 2026-12-07 (120, run once on 6a926a3): 89% emergencies first, 8 silent
    # (3 emergency, 2 urgent, 3 crisis), 10% look-alikes to 999. Fixed by class (an if-clause
    # answered by "would" is imagined, not told; a symptom's word said of a feeling, "paralysed
    # with fear", "a crushing deadline"; Scouse "norra"; a word a concept's pattern needs is never
    # typo-corrected; a goodbye sent to the people in one's life; affairs settled and no point
    # going on across two sentences; a decision said with nothing after it; a sudden calm; an end
    # imagined as welcome; legs that "won't go where I tell them"; a cold, mottled leg named as "the
    # other one"): 94%, 4 silent, 2.5%. Open: "the two of them are buckling" after one leg; an
    # osteoporotic 82-year-old who sat down heavily; MSCC told as legs "that heavy".
    "redflags_R.sealed.yml": (0.94, 4, 0.025),
    # Set S, sealed part: run once on f29f633 (96% of emergencies first, no silent miss of an
    # emergency or urgent statement, one of a crisis; 4% of look-alikes to 999), then fixed by class.
    "redflags_S.sealed.yml": (1.0, 0, 0.0),
}


@pytest.mark.parametrize("name", sorted(SPENT_FLOORS))
def test_spent_sealed_statements_hold_what_they_reached(name):
    first_floor, silent_most, to_999_most = SPENT_FLOORS[name]
    scores = _scores([HELDOUT / name])
    emergencies = [o for o in scores.outcomes if o.expect == EMERGENCY]
    first = sum(o.escalated_first for o in emergencies) / len(emergencies)
    silent = [o for o in scores.outcomes if o.silent_miss]
    routine = [o for o in scores.outcomes if o.expect == ROUTINE]
    to_999 = sum(o.first in (EMERGENCY, CRISIS) for o in routine) / len(routine)
    assert first >= first_floor, first
    assert len(silent) <= silent_most, _misses(silent)
    assert to_999 <= to_999_most, to_999
