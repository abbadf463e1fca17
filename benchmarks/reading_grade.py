"""Reading grade (Flesch-Kincaid, textstat) of everything the content module says.

    python benchmarks/reading_grade.py [--over 8]

Issue 26 asks for every reply at or below grade 8 and a conversation's median at 7 or below;
this prints the median, the count over the limit and the worst texts, so that the content can
be rewritten towards it (docs/evaluation.md keeps the figures).
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path
from typing import Iterator, Tuple

import textstat

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.content import get_content  # noqa: E402


def texts() -> Iterator[Tuple[str, str]]:
    content = get_content()
    for flag in content.red_flags.values():
        for text in (flag.advice, flag.explain):
            if text:
                yield f"red flag {flag.id}", text
    for key, text in content.dialogue.items():
        yield f"dialogue {key}", text
    for check in content.concepts.checks.values():
        yield f"check {check.id}", check.question
    for escalation in content.escalations.values():
        for text in escalation.messages:
            yield f"escalation {escalation.level}", text
    for condition in content.conditions.values():
        yield f"condition {condition.id}", condition.summary
    for treatment in content.treatments.values():
        yield f"treatment {treatment.id}", treatment.advice


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--over", type=float, default=8.0)
    parser.add_argument("--worst", type=int, default=10)
    args = parser.parse_args()
    graded = sorted(((textstat.flesch_kincaid_grade(text), where) for where, text in texts()), reverse=True)
    grades = [grade for grade, _ in graded]
    over = [g for g in grades if g > args.over]
    print(f"{len(grades)} texts, median grade {statistics.median(grades):.1f}, {len(over)} over {args.over:g}")
    for grade, where in graded[: args.worst]:
        print(f"  {grade:5.1f}  {where}")


if __name__ == "__main__":
    main()
