"""Scores the safety screen on red-flag statements written by people who never saw the code.

    python benchmarks/red_flag_eval.py            # the development halves
    python benchmarks/red_flag_eval.py --sealed   # the sealed halves (run once, at the end)
    python benchmarks/red_flag_eval.py --misses   # also list what was missed (dev only)

The sets: tests/data/heldout/redflags_*.{dev,sealed}.yml (tests/support/statement_eval.py
says how each statement is scored). docs/evaluation.md keeps the figures.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.statement_eval import HELDOUT, load, score  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sealed", action="store_true", help="score the sealed halves instead")
    parser.add_argument("--misses", action="store_true", help="list the statements scored wrong (dev only)")
    args = parser.parse_args()
    part = "sealed" if args.sealed else "dev"
    for path in sorted(HELDOUT.glob(f"redflags_*.{part}.yml")):
        scores = score(load(path))
        print(f"## {path.name}\n\n{scores.table()}\n\n{scores.by_family()}\n")
        if args.misses and not args.sealed:
            for o in scores.outcomes:
                wrong = o.silent_miss or (o.expect != "routine" and not o.escalated_first)
                false_alarm = o.expect == "routine" and o.first != "routine"
                if wrong or false_alarm:
                    print(f"- [{o.expect} -> {o.first}, asked {o.asked}, after yes {o.after_yes}] {o.text}")
            print()


if __name__ == "__main__":
    main()
