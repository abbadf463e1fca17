"""The red-flag rule layer on the whole ground-truth table (tests/data/red_flag_phrasings.yml).

No Rasa: bot.nlp analyses and the bot.safety screen, exactly as the assistant runs them.
Every emergency and urgent phrase is tried alone and after each of the table's prefixes.

Usage: .venv/bin/python benchmarks/safety_table.py [--misses]

Figures (docs/safety.md):
- recall per level: the share of phrases whose screen reaches at least their level
  (crisis: the crisis reply is given);
- false alarms: routine look-alikes that escalate, long-standing symptoms sent to the
  emergency level at once, general questions treated as statements;
- sequences: the level after the last message of a conversation is the expected one.
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


def at_least(level: str, expected: str) -> bool:
    if expected == CRISIS:
        return level == CRISIS
    return level == CRISIS or LEVELS.index(level) >= LEVELS.index(expected)


def main(show_misses: bool = False) -> None:
    table = load_table()
    hits: Dict[str, List[int]] = defaultdict(lambda: [0, 0])
    misses: List[Tuple[str, str, str]] = []

    def count(key: str, ok: bool, text: str, expected: str, got: str) -> None:
        hits[key][0] += ok
        hits[key][1] += 1
        if not ok:
            misses.append((key, text, f"expected {expected}, got {got}"))

    for entry in table["single"]:
        text, expected = entry["text"], entry["expect"]
        level = screen_conversation([text]).level
        if expected == "routine":
            count("false alarm: routine look-alikes", level == "routine", text, expected, level)
            continue
        count(f"recall {expected}: alone", at_least(level, expected), text, expected, level)
        if expected in ("emergency", "urgent"):
            for prefix in table["prefixes"]:
                level = screen_conversation([prefix + text]).level
                count(f"recall {expected}: after a prefix", at_least(level, expected), prefix + text, expected, level)
    for entry in table["sequences"]:
        level = screen_conversation(entry["messages"]).level
        count(
            "sequences: final level exact",
            level == entry["expect"],
            " | ".join(entry["messages"]),
            entry["expect"],
            level,
        )
    for entry in table["long_standing"]:
        first = screen_conversation([entry["text"]])
        count(
            "long-standing: not emergency at once", first.level != "emergency", entry["text"], "<emergency", first.level
        )
        count("long-standing: asks if new or changed", first.asks_if_new, entry["text"], "asks", str(first.asks_if_new))
        after = screen_conversation([entry["text"], entry["new_or_changed_answer"]])
        count(
            "long-standing: level after the answer",
            after.level == entry["expect_after_answer"],
            f"{entry['text']} | {entry['new_or_changed_answer']}",
            entry["expect_after_answer"],
            after.level,
        )
    for entry in table["questions"]:
        result = screen_conversation([entry["text"]])
        count("questions: not taken as a statement", result.level == "routine", entry["text"], "routine", result.level)
        count(
            "questions: conditional advice offered", result.asks_if_now, entry["text"], "asks", str(result.asks_if_now)
        )

    width = max(len(k) for k in hits)
    for key in sorted(hits):
        ok, total = hits[key]
        rate = ok / total if total else 0.0
        shown = (
            f"{1 - rate:6.1%} ({total - ok}/{total})"
            if key.startswith("false alarm")
            else f"{rate:6.1%} ({ok}/{total})"
        )
        print(f"{key:<{width}}  {shown}")
    for expected in ("emergency", "urgent", "crisis"):
        ok = sum(hits[k][0] for k in hits if k.startswith(f"recall {expected}"))
        total = sum(hits[k][1] for k in hits if k.startswith(f"recall {expected}"))
        if total:
            print(f"{'recall ' + expected + ' (all)':<{width}}  {ok / total:6.1%} ({ok}/{total})")
    if show_misses:
        print()
        for key, text, why in misses:
            print(f"[{key}] {text!r}: {why}")


if __name__ == "__main__":
    main(show_misses="--misses" in sys.argv)
