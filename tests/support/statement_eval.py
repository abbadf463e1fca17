"""Red-flag statements written by people who never saw the code, scored through the screen.

Each statement is a first message (no Rasa: bot.nlp and bot.safety, as the Rasa process
runs them). What counts (issue 22):
- escalated on first mention: the level reached on that message;
- after "yes": when the screen asked a targeted check in the same reply instead, the level
  once the person answers "yes" (the worst acceptable outcome for a real red flag);
- a silent miss: neither escalated nor asked;
- for routine look-alikes: sent to 999 (emergency), to same-day care (urgent), or asked.

The sets live in tests/data/heldout/: ``*.dev.yml`` (developed against) and
``*.sealed.yml`` (run once, when the work is done; docs/evaluation.md has both scores).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterable, List, Optional

import yaml

from bot import safety
from bot.contract import AFFIRM, EMERGENCY, ROUTINE, URGENT
from bot.nlp import analyse

HELDOUT = Path(__file__).resolve().parents[1] / "data" / "heldout"
CRISIS = "crisis"
ORDER = (ROUTINE, URGENT, EMERGENCY, CRISIS)


@dataclass
class Outcome:
    text: str
    expect: str
    family: str
    first: str  # routine / urgent / emergency / crisis after the message
    asked: Optional[str] = None  # the targeted check asked, if any
    after_yes: Optional[str] = None  # the level after "yes" to it

    @property
    def escalated_first(self) -> bool:
        return _reaches(self.first, self.expect)

    @property
    def escalated_at_worst_after_yes(self) -> bool:
        return self.escalated_first or (self.after_yes is not None and _reaches(self.after_yes, self.expect))

    @property
    def silent_miss(self) -> bool:
        return self.expect != ROUTINE and not self.escalated_at_worst_after_yes


def _reaches(level: str, expected: str) -> bool:
    if expected == CRISIS:
        return level == CRISIS
    if expected == ROUTINE:
        return True
    return level == CRISIS or ORDER.index(level) >= ORDER.index(expected)


def _level(state: safety.SafetyState) -> str:
    from bot.content import get_content

    if any(get_content().red_flags[f].crisis for f in state.flags):
        return CRISIS
    return state.level or ROUTINE


def screen_statement(text: str, expect: str = ROUTINE, family: str = "") -> Outcome:
    result = safety.screen(safety.SafetyState(), analyse(text))
    outcome = Outcome(text, expect, family, _level(result.state))
    # The screen's own questions asked in the same reply: a targeted check, "is this
    # happening to you now?" after a general question, "is this new?" after a long-standing one.
    pending = result.state.pending_question or ""
    if pending:
        outcome.asked = pending[len(safety.CHECK_PREFIX) :] if pending.startswith(safety.CHECK_PREFIX) else pending
        answered = safety.screen(result.state, analyse("yes"), AFFIRM)
        outcome.after_yes = _level(answered.state)
    return outcome


def load(path: Path) -> List[Dict]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    return list(document.get("statements") or [])


def split(entries: Iterable[Dict], salt: str) -> Dict[str, List[Dict]]:
    """Half and half by a hash of the text: the same statement always lands on the same side."""
    parts: Dict[str, List[Dict]] = {"dev": [], "sealed": []}
    for entry in entries:
        digest = hashlib.sha256((salt + entry["text"]).encode("utf-8")).digest()
        parts["dev" if digest[0] % 2 == 0 else "sealed"].append(entry)
    return parts


@dataclass
class Scores:
    outcomes: List[Outcome] = field(default_factory=list)

    def _of(self, expect: str) -> List[Outcome]:
        return [o for o in self.outcomes if o.expect == expect]

    def rate(self, items: List[Outcome], test) -> str:
        hits = sum(1 for o in items if test(o))
        return f"{hits}/{len(items)} ({100 * hits / len(items):.0f}%)" if items else "-"

    def table(self) -> str:
        rows = ["| expected | n | first mention | at worst after 'yes' | silent misses |", "|---|---:|---:|---:|---:|"]
        for expect in (EMERGENCY, URGENT, CRISIS):
            items = self._of(expect)
            rows.append(
                f"| {expect} | {len(items)} | {self.rate(items, lambda o: o.escalated_first)} | "
                f"{self.rate(items, lambda o: o.escalated_at_worst_after_yes)} | "
                f"{sum(1 for o in items if o.silent_miss)} |"
            )
        routine = self._of(ROUTINE)
        rows += [
            "",
            "| routine look-alikes | n | sent to 999 | sent to same-day care | asked a check |",
            "|---|---:|---:|---:|---:|",
            f"| all | {len(routine)} | {self.rate(routine, lambda o: o.first in (EMERGENCY, CRISIS))} | "
            f"{self.rate(routine, lambda o: o.first == URGENT)} | {self.rate(routine, lambda o: o.asked is not None)} |",
        ]
        return "\n".join(rows)

    def by_family(self) -> str:
        counts: Dict[str, Counter] = {}
        for o in self.outcomes:
            c = counts.setdefault(o.family or "-", Counter())
            c["n"] += 1
            if o.expect == ROUTINE:
                c["false_999"] += o.first in (EMERGENCY, CRISIS)
            else:
                c["first"] += o.escalated_first
                c["yes"] += o.escalated_at_worst_after_yes
                c["red"] += 1
        rows = [
            "| family | n | red flags | first mention | at worst after yes | routine sent to 999 |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for family, c in sorted(counts.items()):
            rows.append(f"| {family} | {c['n']} | {c['red']} | {c['first']} | {c['yes']} | {c['false_999']} |")
        return "\n".join(rows)


def score(entries: Iterable[Dict]) -> Scores:
    return Scores([screen_statement(e["text"], e["expect"], e.get("family", "")) for e in entries])
