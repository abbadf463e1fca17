"""What the assistant says, composed from the content module in chat-sized messages.

No Rasa here: actions call these and dispatch the strings. Wording never claims a
diagnosis and never gives doses; the content module is the only source of facts.
"""

from __future__ import annotations

from typing import List, Sequence

from bot import safety
from bot.content import get_content
from bot.contract import EMERGENCY, NO, UNKNOWN, YES
from bot.ranking import RankedCause
from bot.symptoms import SymptomRecord


def _join(items: Sequence[str]) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def reminder(level: str) -> str:
    return safety.reminder(level)


def condition_answer(condition_id: str) -> List[str]:
    content = get_content()
    condition = content.conditions[condition_id]
    messages = [f"{condition.name}: {condition.summary}"]
    messages.append("It often shows up as:\n" + "\n".join(f"• {f}" for f in condition.typical_features[:4]))
    helps = [content.treatments[t].name.lower() for t in condition.self_care[:4]]
    if helps:
        messages.append("Things that often help: " + _join(helps) + ". " + " ".join(condition.professional_care[:2]))
    return messages


def treatment_answer(treatment_id: str) -> List[str]:
    treatment = get_content().treatments[treatment_id]
    messages = [f"{treatment.name}: {treatment.advice}"]
    if treatment.caveats:
        messages.append("Good to know:\n" + "\n".join(f"• {c}" for c in treatment.caveats[:3]))
    return messages


def anatomy_answer(topic_id: str) -> List[str]:
    topic = get_content().anatomy[topic_id]
    return [f"{topic.name}:\n" + "\n".join(f"• {fact}" for fact in topic.facts[:5])]


def topics_overview() -> List[str]:
    content = get_content()
    names = [c.name for c in content.conditions.values()]
    return [
        "I can tell you about: " + _join(names[:8]) + ", and more. "
        "I can also explain treatments (exercise, heat, physiotherapy, medicines in general) "
        "and how the spine is built. Which would you like?"
    ]


def _label(finding_id: str) -> str:
    return get_content().findings[finding_id].label


def summary(record: SymptomRecord) -> str:
    """'You told me: ...', for the person to take to an appointment."""
    parts = []
    if record.pain_location:
        where = _join([_label(loc) if loc != "below_knee" else "leg below the knee" for loc in record.pain_location])
        side = _join([_label(s) for s in record.pain_side or [] if s != "both_legs"])
        parts.append(f"pain in your {where}" + (f" ({side})" if side else ""))
    if record.pain_spreads == YES:
        places = record.spread_to or []
        to = _join([_label(loc) for loc in places if loc != "below_knee"])
        parts.append(
            "it spreads" + (f" to your {to}" if to else "") + (" below the knee" if "below_knee" in places else "")
        )
    elif record.pain_spreads == NO:
        parts.append("it does not spread")
    if record.nerve_symptoms:
        parts.append(_join([_label(s) for s in record.nerve_symptoms]))
    elif record.nerve_symptoms == []:
        parts.append("no numbness, tingling or weakness")
    if record.other_symptoms:
        parts.append(_join([_label(s) for s in record.other_symptoms]))
    if record.aggravating_factors:
        parts.append("worse with " + _join([_label(a) for a in record.aggravating_factors]))
    if record.easing_factors:
        parts.append("easier with " + _join([_label(a) for a in record.easing_factors]))
    if record.pain_onset and record.pain_onset != UNKNOWN:
        parts.append(
            "it " + ("started " if not _label(record.pain_onset).startswith("came") else "") + _label(record.pain_onset)
        )
    if record.pain_duration_days is not None:
        parts.append("for " + _duration_words(record.pain_duration_days))
    if isinstance(record.pain_severity, (int, float)):
        parts.append(f"pain {record.pain_severity:g}/10 at worst")
    if record.age is not None:
        parts.append(f"age {record.age:g}")
    if record.risk_factors:
        parts.append("background: " + _join([_label(r) for r in record.risk_factors]))
    if not parts:
        return "You haven't told me much about the pain yet."
    return "You told me: " + "; ".join(parts) + ". You can show this to your physiotherapist or doctor."


def _duration_words(days: float) -> str:
    if days < 1:
        return "less than a day"
    if days < 14:
        return f"about {days:g} day" + ("s" if days != 1 else "")
    if days < 60:
        return f"about {round(days / 7):g} weeks"
    if days < 365:
        return f"about {round(days / 30):g} months"
    years = round(days / 365)
    return f"about {years:g} year" + ("s" if years != 1 else "")


def result(causes: Sequence[RankedCause], record: SymptomRecord) -> List[str]:
    content = get_content()
    messages = []
    if causes:
        lines = [
            "These are possible causes that fit what you described. They are not a diagnosis: only a professional who examines you can tell."
        ]
        for number, cause in enumerate(causes, start=1):
            name = content.conditions[cause.condition_id].name
            why = "; ".join(cause.reasons[:2])
            lines.append(f"{number}. {name}" + (f" (why: {why})" if why else ""))
        messages.append("\n".join(lines))
        advice_ids: List[str] = []
        for cause in causes[:2]:
            for treatment_id in content.conditions[cause.condition_id].self_care:
                if treatment_id not in advice_ids:
                    advice_ids.append(treatment_id)
        tips = [
            f"• {content.treatments[t].name}: {content.treatments[t].advice.split('. ')[0].rstrip('.')}."
            for t in advice_ids[:3]
        ]
        messages.append("What you can do meanwhile:\n" + "\n".join(tips))
    else:
        messages.append(
            "What you described doesn't clearly point to one particular cause. That is common with back pain, "
            "and most back pain improves within a few weeks."
        )
        general = [t for t in ("stay_active", "exercise", "heat") if t in content.treatments]
        messages.append(
            "What you can do meanwhile:\n"
            + "\n".join(
                f"• {content.treatments[t].name}: {content.treatments[t].advice.split('. ')[0].rstrip('.')}."
                for t in general
            )
        )
    messages.append(summary(record))
    return messages


DEFAULT_ANATOMY_TOPIC = "spine_sections"


def treatments_overview() -> List[str]:
    names = [t.name.lower() for t in get_content().treatments.values()]
    return ["I can tell you about " + _join(names) + ". Which one would you like to know about?"]


def emergency_stop(record: SymptomRecord) -> List[str]:
    """Instead of a result: after an emergency, the routine questions stop."""
    messages = ["Because of what you told me, I'll stop the routine questions here. " + reminder(EMERGENCY)]
    if record.has_anything():
        messages.append(summary(record))
    return messages
