"""The activity and exercise plan shown with a result (issue 29; content: activity.yml).

Chosen from what was recorded: the first plan of the content whose ``when_any`` matches the
record's features (sciatica or back pain, gentler when the pain is severe or recent). None for
anyone escalated: after an emergency or urgent instruction, or when a cause shown means getting
checked soon, exercises would suggest there is time to wait (the same rule as the self-care
tips, bot/replies.py). The plan's text is adapted from NHS pages: its sources are shown with
their licence as the attribution. No Rasa here.
"""

from __future__ import annotations

from typing import Iterable, List, Optional
from urllib.parse import urlsplit

from bot.content import get_content
from bot.content.loader import ActivityPlan, Content
from bot.contract import ROUTINE

LICENCE_NAMES = {"OGL-3.0": "the Open Government Licence v3.0"}


def choose(features: Iterable[str], level: str, content: Optional[Content] = None) -> Optional[ActivityPlan]:
    """The plan for these features at this triage level, or None when it is not routine."""
    if level != ROUTINE:
        return None
    content = content or get_content()
    present = set(features)
    return next((plan for plan in content.plans if plan.matches(present)), None)


def plan_sources(plan: ActivityPlan, content: Optional[Content] = None) -> List[str]:
    """Ids of the plan's sources and its exercises', in order, once each."""
    content = content or get_content()
    ids: List[str] = []
    for source in list(plan.sources) + [s for name in plan.exercises for s in content.exercises[name].sources]:
        if source not in ids:
            ids.append(source)
    return ids


def messages(plan: ActivityPlan, content: Optional[Content] = None) -> List[str]:
    """The plan as chat messages: the exercises, then their sources with the attribution."""
    content = content or get_content()
    lines = [f"Your activity plan: {plan.title}", plan.intro]
    for name in plan.exercises:
        exercise = content.exercises[name]
        lines += [
            "",
            f"• {exercise.name}: {exercise.how}",
            f"How often: {exercise.how_often}",
            f"How it should feel: {exercise.should_feel}",
            f"When to stop: {exercise.stop_if}",
        ]
    sources = [content.sources[s] for s in plan_sources(plan, content)]
    # The site, not the whole address: a long address cannot wrap on a phone or in the PDF;
    # the full addresses are in sources.yml and docs/content.md.
    cited = [f"• {s.title} ({urlsplit(s.url).netloc.removeprefix('www.')})" for s in sources]
    licences = sorted({s.licence for s in sources if s.licence})
    note = " ".join(f"Adapted from NHS content under {LICENCE_NAMES.get(licence, licence)}." for licence in licences)
    return ["\n".join(lines), "Where this plan comes from:\n" + "\n".join(cited) + (f"\n{note}" if note else "")]
