"""Check the content files: ``python -m bot.content [DIRECTORY]``.

Loads every content file (from ``bot/content/data`` or the directory given), prints a
one-line summary and exits 0, or prints the first problem found and exits 1.
"""

from __future__ import annotations

import sys
from typing import List, Optional

from .loader import DATA_DIR, ContentError, load_content


def main(argv: Optional[List[str]] = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) > 1 or (args and args[0] in ("-h", "--help")):
        print("usage: python -m bot.content [DIRECTORY]", file=sys.stderr)
        return 2
    directory = args[0] if args else DATA_DIR
    try:
        content = load_content(directory)
    except ContentError as error:
        print(f"Content error: {error}", file=sys.stderr)
        return 1
    indicators = sum(len(c.indicators) for c in content.conditions.values())
    print(
        f"Content OK ({directory}): {len(content.sources)} sources, "
        f"{len(content.findings)} findings, {len(content.conditions)} conditions "
        f"({indicators} indicators), {len(content.treatments)} treatments, "
        f"{len(content.anatomy)} anatomy topics, {len(content.red_flags)} red flags, "
        f"{len(content.escalations)} escalation levels, {len(content.timeframes)} timeframes, "
        f"{len(content.patterns)} patterns, {len(content.routine_advice)} routine advice rules"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
