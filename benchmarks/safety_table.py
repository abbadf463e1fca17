"""The red-flag rule layer on the whole ground-truth table (tests/data/red_flag_phrasings.yml).

No Rasa: bot.nlp analyses and the bot.safety screen, exactly as the assistant runs them,
message after message (tests/support/safety_table.py). Every emergency and urgent phrase
is tried alone and after each of the table's prefixes.

Usage: .venv/bin/python benchmarks/safety_table.py [--misses]

Figures (docs/evaluation.md keeps them):
- recall per level: the share of phrases whose screen reaches at least their level
  (crisis: the crisis reply is given);
- false alarms: routine look-alikes that escalate; long-standing symptoms sent to the
  emergency level at once; general questions treated as statements;
- sequences: the level after the last message of a conversation is the expected one.
Recall is also given without the classes whose rules another branch adds (CLASSES_ELSEWHERE).
"""

from __future__ import annotations

import os
import sys
from collections import defaultdict
from pathlib import Path
from typing import Dict, List, Tuple

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.safety_table import CRISIS, LEVELS, load_table, screen_conversation  # noqa: E402

# Conditions whose rules the content branch (w10-content) adds: blood clots, a cold pale
# leg, kidney infection.
CLASSES_ELSEWHERE = {"dvt", "dvt_breathless", "cold_pale_leg", "kidney_infection"}


def at_least(level: str, expected: str) -> bool:
    if expected == CRISIS:
        return level == CRISIS
    return level == CRISIS or LEVELS.index(level) >= LEVELS.index(expected)


class Tally:
    def __init__(self) -> None:
        self.hits: Dict[str, List[int]] = defaultdict(lambda: [0, 0])
        self.misses: List[Tuple[str, str, str]] = []

    def count(self, key: str, ok: bool, text: str = "", why: str = "") -> None:
        self.hits[key][0] += ok
        self.hits[key][1] += 1
        if not ok and text:
            self.misses.append((key, text, why))


def single(tally: Tally, table: Dict) -> None:
    for entry in table["single"]:
        text, expected = entry["text"], entry["expect"]
        level = screen_conversation([text]).level
        if expected == "routine":
            tally.count("false alarm: routine look-alikes", level == "routine", text, level)
            continue
        here = "" if entry["kind"] in CLASSES_ELSEWHERE else " [this branch's classes]"
        for suffix in {"", here}:
            tally.count(
                f"recall {expected}: alone{suffix}", at_least(level, expected), text if not suffix else "", level
            )
        if expected not in ("emergency", "urgent"):
            continue
        failed = []
        for prefix in table["prefixes"]:
            ok = at_least(screen_conversation([prefix + text]).level, expected)
            for suffix in {"", here}:
                tally.count(f"recall {expected}: after a prefix{suffix}", ok)
            if not ok:
                failed.append(prefix.strip())
        if failed:
            tally.misses.append((f"recall {expected}: after a prefix", text, f"missed after {len(failed)} prefixes"))


def conversations(tally: Tally, table: Dict) -> None:
    for entry in table["sequences"]:
        level = screen_conversation(entry["messages"]).level
        tally.count("sequences: final level exact", level == entry["expect"], " | ".join(entry["messages"]), level)
    for entry in table["long_standing"]:
        first = screen_conversation([entry["text"]])
        tally.count("long-standing: not emergency at once", first.level != "emergency", entry["text"], first.level)
        tally.count("long-standing: asks if new or changed", first.asks_if_new, entry["text"], "not asked")
        after = screen_conversation([entry["text"], entry["new_or_changed_answer"]])
        tally.count(
            "long-standing: level after the answer",
            after.level == entry["expect_after_answer"],
            f"{entry['text']} | {entry['new_or_changed_answer']}",
            after.level,
        )
    for entry in table["questions"]:
        result = screen_conversation([entry["text"]])
        tally.count("questions: not taken as a statement", result.level == "routine", entry["text"], result.level)
        tally.count("questions: conditional advice offered", result.asks_if_now, entry["text"], "not offered")


def report(tally: Tally, show_misses: bool) -> None:
    hits = tally.hits
    width = max(len(k) for k in hits)
    for key in sorted(hits):
        ok, total = hits[key]
        rate = ok / total if total else 0.0
        shown = f"{1 - rate:6.1%} ({total - ok}/{total})" if key.startswith("false") else f"{rate:6.1%} ({ok}/{total})"
        print(f"{key:<{width}}  {shown}")
    for expected in ("emergency", "urgent", "crisis"):
        for suffix in ("", " [this branch's classes]"):
            keys = [k for k in hits if k.startswith(f"recall {expected}") and ("[" in k) == bool(suffix)]
            ok, total = sum(hits[k][0] for k in keys), sum(hits[k][1] for k in keys)
            if total:
                print(f"{'recall ' + expected + ' (all)' + suffix:<{width}}  {ok / total:6.1%} ({ok}/{total})")
    if show_misses:
        print()
        for key, text, why in tally.misses:
            print(f"[{key}] {text!r}: {why}")


def main(show_misses: bool = False) -> None:
    table = load_table()
    tally = Tally()
    single(tally, table)
    conversations(tally, table)
    report(tally, show_misses)


if __name__ == "__main__":
    main(show_misses="--misses" in sys.argv)
