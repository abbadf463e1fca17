"""Summarises Rasa's NLU reports in results/ as Markdown tables (for docs/evaluation.md)."""

import json
import sys
from pathlib import Path


def load(path: Path):
    return json.loads(path.read_text()) if path.exists() else None


def table(report, title, skip=("accuracy", "macro avg", "weighted avg", "micro avg")):
    lines = [f"**{title}**", "", "| label | precision | recall | f1 | support |", "|---|---|---|---|---|"]
    for label, scores in sorted(report.items()):
        if label in skip or not isinstance(scores, dict):
            continue
        lines.append(
            f"| {label} | {scores['precision']:.3f} | {scores['recall']:.3f} | "
            f"{scores['f1-score']:.3f} | {scores['support']} |"
        )
    for label in ("weighted avg", "macro avg"):
        if label in report:
            s = report[label]
            lines.append(
                f"| *{label}* | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1-score']:.3f} | {s['support']} |"
            )
    if "accuracy" in report:
        lines.append(f"\naccuracy: {report['accuracy']:.3f}")
    return "\n".join(lines)


def main(results: Path) -> None:
    for name in ("chosen", "diet"):
        for kind in ("cv", "holdout"):
            folder = results / f"{kind}-{name}"
            intents = load(folder / "intent_report.json")
            if intents:
                print(table(intents, f"{name}, {kind}: intents"), "\n")
            for entity_report in sorted(folder.glob("*_report.json")):
                if entity_report.name in ("intent_report.json", "response_selection_report.json"):
                    continue
                print(table(load(entity_report), f"{name}, {kind}: entities ({entity_report.stem})"), "\n")
        for timing in sorted(results.glob(f"*-{name}/seconds.txt")):
            print(timing.read_text().strip(), "  ")
        print()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "results"))
