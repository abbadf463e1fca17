"""Reading grade (Flesch-Kincaid, textstat) of every reply: the content module and domain.yml.

    python benchmarks/reading_grade.py [--over 8]

Issue 26 asks for every reply at or below grade 8 and a conversation's median at 7 or below;
this prints the median, the count over the limit and the worst texts of the list the test
checks (bot/content/reading.py), so that the content can be rewritten towards it
(docs/evaluation.md keeps the figures).
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

import textstat

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.content.reading import readable, replies  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--over", type=float, default=8.0)
    parser.add_argument("--worst", type=int, default=10)
    args = parser.parse_args()
    graded = sorted(((textstat.flesch_kincaid_grade(readable(text)), where) for where, text in replies()), reverse=True)
    grades = [grade for grade, _ in graded]
    over = [g for g in grades if g > args.over]
    print(f"{len(grades)} texts, median grade {statistics.median(grades):.1f}, {len(over)} over {args.over:g}")
    for grade, where in graded[: args.worst]:
        print(f"  {grade:5.1f}  {where}")


if __name__ == "__main__":
    main()
