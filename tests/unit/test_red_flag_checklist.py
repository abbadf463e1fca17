"""Behavioural tests in the style of CheckList (Ribeiro et al., ACL 2020) for the safety screen.

Seeds are the development statements (tests/data/heldout/*.dev.yml) that the screen gets
right on first mention; every perturbation is generated from them by rule, with a fixed
random seed, not hand-picked:
- invariance (INV): a filler prefix, lower or upper case, other spellings of contractions,
  no punctuation, a typo in a long word, a question added at the end, a past-tense turn
  of phrase. The level must stay what it was.
- directional (DIR): the same words said of someone else long ago ("years ago my dad told
  me he ..., but he recovered fully"), or as a hypothetical about someone ("what happens
  if someone says he ...?"). The person's own level must not be raised to an emergency.
  (Someone else's symptoms said as happening now are passed on as an instruction: a carer
  asking for a relative; bot/safety.py.)
"""

from __future__ import annotations

import random
import re
from typing import Callable, List, Tuple

import pytest

from bot.contract import EMERGENCY, ROUTINE
from tests.support.statement_eval import CRISIS, HELDOUT, load, screen_statement

RNG_SEED = 22
MAX_WORDS = 25


def _seeds() -> Tuple[List[Tuple[str, str]], List[str]]:
    entries = [e for path in sorted(HELDOUT.glob("redflags_*.dev.yml")) for e in load(path)]
    escalating, routine = [], []
    for entry in entries:
        if len(entry["text"].split()) > MAX_WORDS:
            continue
        outcome = screen_statement(entry["text"], entry["expect"])
        if entry["expect"] in (EMERGENCY, "urgent") and outcome.escalated_first and outcome.first == entry["expect"]:
            escalating.append((entry["text"], entry["expect"]))
        elif entry["expect"] == ROUTINE and outcome.first == ROUTINE:
            routine.append(entry["text"])
    return escalating, routine


ESCALATING, ROUTINE_SEEDS = _seeds()

# -- invariance perturbations -----------------------------------------------------------
FILLERS = ("hi, ", "sorry to bother you but ", "ok so ", "quick question, ", "hello there. ", "um ")
CONTRACTIONS = {
    r"\bcan'?t\b": ("cant", "cannot", "can not", "can't"),
    r"\bcouldn'?t\b": ("couldnt", "could not", "couldn't"),
    r"\bdon'?t\b": ("dont", "do not", "don't"),
    r"\bdidn'?t\b": ("didnt", "did not", "didn't"),
    r"\bi'?m\b": ("im", "i am", "I'm"),
    r"\bi'?ve\b": ("ive", "i have", "I've"),
    r"\bwon'?t\b": ("wont", "will not"),
}
ENDINGS = (" what should i do?", " is heat or ice better?", " any advice?", " thanks")


def _contractions(text: str, rng: random.Random) -> str:
    for pattern, options in CONTRACTIONS.items():
        text = re.sub(pattern, lambda m, choices=options: rng.choice(choices), text, flags=re.I)
    return text


def _typo(text: str, rng: random.Random) -> str:
    words = text.split()
    long_words = [i for i, w in enumerate(words) if len(w) >= 7 and w.isalpha()]
    if not long_words:
        return text
    i = rng.choice(long_words)
    w = words[i]
    j = rng.randrange(1, len(w) - 2)
    words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]  # two inner letters swapped
    return " ".join(words)


INVARIANT: List[Tuple[str, Callable[[str, random.Random], str]]] = [
    ("filler prefix", lambda t, r: r.choice(FILLERS) + t[0].lower() + t[1:]),
    ("lower case", lambda t, r: t.lower()),
    ("upper case", lambda t, r: t.upper()),
    ("contractions", _contractions),
    ("no punctuation", lambda t, r: re.sub(r"(?<!\d)[^\w\s'](?!\d)|(?<=\d)[^\w\s'.](?=\d)", "", t)),
    ("typo", _typo),
    ("question added", lambda t, r: t.rstrip() + r.choice(ENDINGS)),
]

# -- directional perturbations ----------------------------------------------------------
THIRD_PERSON = [
    (r"\bi'?m\b", "he's"),
    (r"\bi'?ve\b", "he's"),
    (r"\bi'?d\b", "he'd"),
    (r"\bi'?ll\b", "he'll"),
    (r"\bi\b", "he"),
    (r"\bmy\b", "his"),
    (r"\bme\b", "him"),
    (r"\bmyself\b", "himself"),
    (r"\bam\b", "is"),
]


def third_person(text: str) -> str:
    text = text[0].lower() + text[1:]
    for pattern, replacement in THIRD_PERSON:
        text = re.sub(pattern, replacement, text, flags=re.I)
    return text.rstrip(" .!?")


DIRECTIONAL = [
    ("someone else, long ago", lambda t: f"years ago my dad told me {third_person(t)}, but he recovered fully"),
    ("a hypothetical about someone", lambda t: f"what happens if someone says {third_person(t)}?"),
]


def _cases(seeds, perturbations):
    rng = random.Random(RNG_SEED)
    cases = []
    for text, expect in seeds:
        for name, perturb in perturbations:
            changed = perturb(text, rng)
            if changed != text:
                cases.append(pytest.param(changed, expect, id=f"{name}: {text[:50]}"))
    return cases


@pytest.mark.parametrize("text,expect", _cases(ESCALATING, INVARIANT))
def test_a_red_flag_survives_wording_that_does_not_change_its_meaning(text, expect):
    outcome = screen_statement(text, expect)
    assert outcome.escalated_first, f"{text!r}: expected {expect}, got {outcome.first}"


@pytest.mark.parametrize("text,expect", _cases([(t, ROUTINE) for t in ROUTINE_SEEDS], INVARIANT))
def test_a_look_alike_stays_routine_whatever_the_wording(text, expect):
    assert screen_statement(text).first not in (EMERGENCY, CRISIS), text


def _directional_cases():
    cases = []
    for text, _expect in ESCALATING:
        for name, perturb in DIRECTIONAL:
            cases.append(pytest.param(perturb(text), id=f"{name}: {text[:50]}"))
    return cases


DIRECTIONAL_CASES = _directional_cases()


def test_said_of_someone_else_or_as_a_hypothetical_it_is_not_the_persons_emergency():
    """Directional: the person's own level is not raised to 999 by someone else's words.
    The threshold is the measured rate (docs/evaluation.md); every failure is listed."""
    raised = [p.values[0] for p in DIRECTIONAL_CASES if screen_statement(p.values[0]).first == EMERGENCY]
    rate = len(raised) / len(DIRECTIONAL_CASES)
    assert rate <= DIRECTIONAL_FALSE_999_RATE, f"{len(raised)}/{len(DIRECTIONAL_CASES)} raised:\n" + "\n".join(raised)


# Measured when the screen was built (issue 22): 36 of 332. What fails is long, several-sentence
# seeds: the context of "years ago my dad told me" or "what happens if someone says" reaches
# the end of its own sentence, not the later ones. A rise is a regression.
DIRECTIONAL_FALSE_999_RATE = 0.12


def test_the_perturbations_are_many_and_varied():
    assert len(ESCALATING) >= 100 and len(ROUTINE_SEEDS) >= 50
    assert len(_cases(ESCALATING, INVARIANT)) >= 600
