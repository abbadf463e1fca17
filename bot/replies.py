"""What the assistant says, composed from the content module in chat-sized messages.

No Rasa here: actions call these and dispatch the strings. Wording never claims a
diagnosis and never gives doses; the content module is the only source of facts.
A message a client may want to show or keep differently (an escalation, the causes, the
"You told me" summary...) is a ``Reply``: a string that also knows its kind.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence

from bot import plan as activity
from bot import safety
from bot.content import get_content
from bot.content.loader import Condition, Treatment
from bot.contract import (
    EMERGENCY,
    KIND_CAUSES,
    KIND_LEAD,
    KIND_PLAN,
    KIND_PLAN_OFFER,
    KIND_SELF_CARE,
    KIND_TOLD,
    NO,
    POSSIBLE_CAUSES,
    QUESTIONS,
    ROUTINE,
    SCREENING_SLOTS,
    SPREADS,
    SPREADS_BELOW_KNEE,
    TRIAGE_LEVEL,
    UNKNOWN,
    YES,
)
from bot.nlp import analyse
from bot.ranking import RankedCause, most_urgent_timeframe, with_patterns
from bot.settings import get_settings
from bot.symptoms import NERVE_UNSPECIFIED, SCORE_RANGE, SymptomRecord


class Reply(str):
    """A message's text and its kind (bot/contract.py MESSAGE_KINDS; None for a plain one).

    ``cards``: the same message as data a client can show as cards (the possible causes,
    each with why and advice), sent as ``metadata.causes``; ``told``: the "You told me"
    summary's statements, one per item, sent as ``metadata.told`` (a list, not one long
    sentence cut anywhere on a phone). The text says it all for a client that shows text only."""

    kind: Optional[str]
    cards: Optional[List[Dict[str, Any]]]
    told: Optional[List[str]]

    def __new__(
        cls,
        text: str,
        kind: Optional[str] = None,
        cards: Optional[List[Dict[str, Any]]] = None,
        told: Optional[List[str]] = None,
    ) -> "Reply":
        reply = super().__new__(cls, text)
        reply.kind = kind
        reply.cards = cards
        reply.told = told
        return reply


def kind_of(message: str) -> Optional[str]:
    return getattr(message, "kind", None)


def cards_of(message: str) -> Optional[List[Dict[str, Any]]]:
    return getattr(message, "cards", None)


def data_of(message: str) -> Dict[str, Any]:
    """What a message carries beside its kind, as metadata keys (docs/api.md)."""
    data: Dict[str, Any] = {}
    if cards_of(message):
        data["causes"] = cards_of(message)
    if getattr(message, "told", None):
        data["told"] = list(message.told)  # type: ignore[attr-defined]
    return data


def _fill(template: str) -> str:
    return template.format(**get_settings().placeholders())


def _join(items: Sequence[str]) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def reminder(level: str) -> Reply:
    return Reply(safety.reminder(level), level)


def _is_urgent(condition: Condition) -> bool:
    return get_content().timeframes[condition.see_within].level != ROUTINE


def condition_answer(condition_id: str) -> List[str]:
    content = get_content()
    condition = content.conditions[condition_id]
    messages = [f"{condition.name}: {condition.summary}"]
    features = "It often shows up as:\n" + "\n".join(f"• {f}" for f in condition.typical_features[:4])
    if _is_urgent(condition):
        # A serious cause leads with what to do, and offers no self-care.
        return messages + [condition.professional_care[0], features, *condition.professional_care[1:2]]
    messages.append(features)
    helps = [content.treatments[t].name.lower() for t in condition.self_care[:4]]
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


def anatomy_overview() -> List[str]:
    """A question about how the back is built that names no part of it."""
    return anatomy_answer(get_content().default_anatomy_topic().id)


# The answer to a question about each kind of topic (the labels of Analysis.topics).
TOPIC_ANSWERS = {"condition": condition_answer, "treatment": treatment_answer, "anatomy_topic": anatomy_answer}

OVERVIEW_CONDITIONS, OVERVIEW_TREATMENTS = 8, 4


def topics_overview() -> List[str]:
    content = get_content()
    # The usual answer first, then the content's order.
    fallback = content.fallback_condition()
    names = [fallback.name] + [c.name for c in content.conditions.values() if c is not fallback]
    shown = names[:OVERVIEW_CONDITIONS]
    treatments = [t.name.lower() for t in content.treatments.values()][:OVERVIEW_TREATMENTS]
    return [
        "I can tell you about: " + ", ".join(shown) + f", and {len(names) - len(shown)} more causes of back "
        "and leg pain. I can also explain treatments, such as " + _join(treatments) + ", and how the spine "
        "is built. Which would you like?"
    ]


def _label(finding_id: str) -> str:
    return get_content().findings[finding_id].label


# What each question is about, for "not sure about ..." in the summary.
QUESTION_TOPICS = {
    "pain_location": "where the pain is",
    "pain_spreads": "whether it spreads",
    "nerve_symptoms": "numbness, tingling or weakness",
    "screen_cauda_equina": "changes in bladder or bowel control, numbness down below or in both legs",
    "screen_weakness_progression": "whether the weakness is getting worse",
    "age": "your age",
    "aggravating_factors": "what makes it worse",
    "easing_factors": "what eases it",
    "pain_onset": "how it started",
    "screen_major_trauma": "whether it was a serious accident",
    "pain_duration": "how long you've had it",
    "pain_severity": "how bad it is",
    "screen_systemic": "fever, weight loss, cancer or a weakened immune system",
}


def _quote(words: str) -> str:
    return "\u201c" + " ".join(words.split()) + "\u201d"


def summary(record: SymptomRecord, screening: Optional[Mapping[str, Any]] = None) -> Reply:
    """'You told me: ...', for the person to take to an appointment.

    Only what the person said, in words close to theirs: "not sure" stays "not sure"
    (never "no"), an unanswered question is left out, and an answer that was not
    understood is quoted as they wrote it. ``screening``: the red-flag questions'
    answers (slot -> answer), for the ones the person was not sure about.
    """
    own_words = dict(record.own_words or {})
    parts = _where(record) + _what(record, own_words) + _when(record, own_words)
    parts += [MOOD_TOLD[mood] for mood in record.feelings or [] if mood in MOOD_TOLD]
    for question, words in own_words.items():
        if words and question in QUESTION_TOPICS:
            parts.append(f"{QUESTION_TOPICS[question]}, in your words: {_quote(words)}")
    unsure_screening = [q for q in SCREENING_SLOTS if (screening or {}).get(q) == UNKNOWN]
    unsure = [q for q in QUESTIONS if q in _unsure_questions(record) + unsure_screening and q not in own_words]
    if unsure:
        parts.append("not sure about " + _join([QUESTION_TOPICS[q] for q in unsure]))
    if not parts:
        return Reply("You haven't told me much about the pain yet.", KIND_TOLD)
    return Reply(
        "You told me: " + "; ".join(parts) + ". You can show this to your physiotherapist or doctor.",
        KIND_TOLD,
        told=parts,
    )


# How the pain makes the person feel, as a clinician reads it in the summary.
MOOD_TOLD = {
    "low": "the pain is getting you down",
    "worried": "you are worried about it",
    "frustrated": "you are fed up with it",
}


def _unsure_questions(record: SymptomRecord) -> List[str]:
    """Questions the person could not answer and has not answered since."""
    unsure = [q for q in record.unsure_about or [] if getattr(record, q, None) in (None, UNKNOWN)]
    for question in ("pain_spreads", "pain_onset", "pain_duration", "pain_severity"):
        if getattr(record, question) == UNKNOWN and question not in unsure:
            unsure.append(question)
    return unsure


# Where a leg symptom was said on both sides, the place is said for both ("both thighs").
BOTH_SIDES = {
    "buttock": "both buttocks",
    "hip": "both hips",
    "thigh": "both thighs",
    "knee": "both knees",
    "below_knee": "both legs below the knee",
    "calf": "both calves or shins",
    "foot": "both feet",
    "leg": "both legs",
    "outer_thigh": "both outer thighs",
}


def _places(places: Sequence[str], both_legs: bool = False) -> str:
    def named(place: str) -> str:
        if both_legs and place in BOTH_SIDES:
            return BOTH_SIDES[place]
        return _label(place) if place != "below_knee" else "leg below the knee"

    legs = [p for p in places if p in BOTH_SIDES and p != "leg"]
    # "Both legs below the knee" already says both legs.
    shown = [p for p in places if not (both_legs and p == "leg" and legs)]
    return _join([named(p) for p in shown])


def _your(places: str) -> str:
    return places if places.startswith("both ") else f"your {places}"


def _where(record: SymptomRecord) -> List[str]:
    parts = []
    both_legs = "both_legs" in (record.pain_side or [])
    if record.pain_location:
        side = _join([_label(s) for s in record.pain_side or [] if s != "both_legs"])
        parts.append(f"pain in {_your(_places(record.pain_location, both_legs))}" + (f" ({side})" if side else ""))
    if record.pain_spreads == YES:
        places = record.spread_to or []
        to = _places([loc for loc in places if loc != "below_knee"], both_legs)
        below = " below the knee" if to else " to both legs below the knee" if both_legs else " below the knee"
        parts.append("it spreads" + (f" to {_your(to)}" if to else "") + (below if "below_knee" in places else ""))
    elif record.pain_spreads == NO:
        parts.append("it does not spread")
    return parts


def _what(record: SymptomRecord, own_words: dict) -> List[str]:
    parts = []
    nerve = record.nerve_symptoms
    if nerve:
        named = [_label(s) for s in nerve if s != NERVE_UNSPECIFIED]
        text = _join(named) if named else "numbness, tingling or weakness"
        if record.nerve_places:
            text += f" in your {_places(record.nerve_places)}"
        words = own_words.pop("nerve_symptoms", None)
        parts.append(text + (f" ({_quote(words)})" if words and not named else ""))
    elif nerve == [] and "nerve_symptoms" not in (record.unsure_about or []):
        parts.append("no numbness, tingling or weakness")
    if record.other_symptoms:
        parts.append(_join([_label(s) for s in record.other_symptoms]))
    if record.aggravating_factors:
        parts.append("worse with " + _join([_label(a) for a in record.aggravating_factors]))
    elif record.aggravating_factors == []:
        parts.append("nothing in particular makes it worse")
    if record.easing_factors:
        parts.append("easier with " + _join([_label(a) for a in record.easing_factors]))
    elif record.easing_factors == []:
        parts.append("nothing much eases it")
    return parts


def _when(record: SymptomRecord, own_words: Optional[Dict[str, Any]] = None) -> List[str]:
    parts = []
    if record.pain_onset and record.pain_onset != UNKNOWN:
        label = _label(record.pain_onset)
        parts.append("it " + ("started " if not label.startswith("came") else "") + label)
    how_long = (own_words or {}).get("pain_duration")
    if record.pain_duration_days is not None and how_long and re.search(r"\d|\b(a|an)\b", how_long):
        # A range or a bound, as said ("for 1 to 6 weeks", "for more than 3 months").
        parts.append("for " + re.sub(r"^for\s+", "", " ".join(how_long.lower().split())))
        (own_words or {}).pop("pain_duration")
    elif record.pain_duration_days is not None and not how_long:
        parts.append("for " + _duration_words(record.pain_duration_days))
    said = (own_words or {}).get("pain_severity")
    if isinstance(record.pain_severity, (int, float)) and said and SCORE_RANGE.fullmatch(said):
        parts.append(f"pain {said}/10 at worst")  # a range tapped or typed, as said ("7-8")
        (own_words or {}).pop("pain_severity")
    elif isinstance(record.pain_severity, (int, float)) and not said:
        parts.append(f"pain {record.pain_severity:g}/10 at worst")
    if record.age is not None:
        parts.append(f"age {record.age:g}")
    if record.risk_factors:
        said = [r for r in record.risk_factors if IMPLIED_BY.get(r) not in record.risk_factors]
        parts.append("background: " + _join([_label(r) for r in said]))
    return parts


# A risk factor the reader infers from another one the person said ("steroid tablets for years"
# weakens the immune system): the summary says what they said, not the inference (set 9).
IMPLIED_BY = {"immunosuppressed": "steroid_use"}


def _duration_words(days: float) -> str:
    if days < 1 / 24:
        minutes = max(1, round(days * 1440))
        return f"about {minutes:g} minute" + ("s" if minutes != 1 else "")
    if days < 0.25:
        hours = round(days * 24)
        return f"about {hours:g} hour" + ("s" if hours != 1 else "")
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


def _tip(treatment: Treatment) -> str:
    return f"• {treatment.name}: {treatment.advice.split('. ')[0].rstrip('.')}."


def _cause_line(number: int, cause: RankedCause) -> str:
    """The cause and why it may fit what the person said. How soon to be seen is said once,
    for the whole result; only a serious cause leads with what to do about it."""
    condition = get_content().conditions[cause.condition_id]
    why = "; ".join(cause.reasons[:2])
    if _is_urgent(condition):
        when = condition.professional_care[0]
        return f"{number}. {condition.name}: {when}" + (f" (why it may fit: {why})" if why else "")
    return f"{number}. {condition.name}" + (f" (why: {why})" if why else "") + "."


def _self_care_withheld(conditions: Sequence[Condition], features: Iterable[str], level: str) -> bool:
    """When the triage level or any cause shown means getting checked soon, or a cause's
    `withhold_self_care_if` is present: self-care would suggest there is time to wait."""
    present = set(features)
    return level != ROUTINE or any(_is_urgent(c) or present & set(c.withhold_self_care_if) for c in conditions)


def _self_care(conditions: Sequence[Condition], features: Iterable[str], level: str) -> List[str]:
    """Treatment ids to suggest meanwhile; none when self-care is withheld."""
    if _self_care_withheld(conditions, features, level):
        return []
    advice_ids: List[str] = []
    for condition in conditions[:2]:
        advice_ids += [t for t in condition.self_care if t not in advice_ids]
    return advice_ids[:3]


def _card(cause: RankedCause, self_care: Sequence[str], escalated: bool) -> Dict[str, Any]:
    """One possible cause as data for a card: its name, for a serious cause what to do
    (always shown), why it may fit, and the advice (when to be seen, what may help). After
    an escalation (``escalated``) a routine cause's "worth seeing a GP if it is not getting
    better" is left out: nothing routine about timing follows an instruction."""
    content = get_content()
    condition = content.conditions[cause.condition_id]
    card: Dict[str, Any] = {"id": condition.id, "name": condition.name, "why": list(cause.reasons[:3])}
    if _is_urgent(condition):
        card["when"] = condition.professional_care[0]
        card["advice"] = list(condition.professional_care[1:2])
    else:
        helps = [content.treatments[t].name for t in condition.self_care if t in self_care]
        card["advice"] = list(condition.professional_care[1:2] if escalated else condition.professional_care[:1])
        if helps:
            card["helps"] = helps
    return card


def in_sentence(name: str) -> str:
    """A name as it reads inside a sentence: "is slipped (herniated) disc", not "is Slipped";
    a name that starts with an abbreviation or a proper name ("NHS") stays as it is."""
    first = name.split()[0] if name.split() else name
    return name if len(first) > 1 and first.isupper() else name[0].lower() + name[1:]


def lead(causes: Sequence[RankedCause], what_to_do: Optional[str]) -> Reply:
    """The result in one or two sentences: the best fit, and what to do (None when an
    escalation has said it already, first)."""
    if causes:
        name = in_sentence(get_content().conditions[causes[0].condition_id].name)
        first = f"The best fit for what you described is {name}, but this is not a diagnosis."
    else:
        first = "What you described doesn't clearly point to one particular cause. That is common."
    return Reply(first + (" " + what_to_do if what_to_do else ""), KIND_LEAD)


# Pain this long is past "see someone if it is not getting better after a few weeks" (NICE NG59).
LASTING_DAYS = 42


def lasting(record: SymptomRecord) -> bool:
    return (record.pain_duration_days or 0) >= LASTING_DAYS


def result(
    causes: Sequence[RankedCause],
    record: SymptomRecord,
    level: str = ROUTINE,
    screening: Optional[Mapping[str, Any]] = None,
    offer_plan: bool = False,
) -> List[str]:
    """The result, shortest first: one or two sentences (the best fit and what to do), the
    possible causes with reasons (as cards in ``Reply.cards``), routine advice, the safety
    net, self-care meanwhile and the summary. An urgent timeframe comes before all of it.
    ``level``: the triage level; ``screening``: the conversation's slots, for what the
    summary may say of the safety answers. The activity plan is not part of it (a phone
    screen and a screen reader get the result in a few messages): with ``offer_plan``, a
    routine result offers it, and it is sent when asked (``activity_plan``)."""
    content = get_content()
    features = with_patterns(record.features(), content)
    if causes:
        shown = [content.conditions[c.condition_id] for c in causes]
        timeframe = most_urgent_timeframe(causes, content)
    else:
        # Nothing specific fits: the usual answer, said as what most back pain is.
        shown = [content.fallback_condition()]
        timeframe = content.timeframes[shown[0].see_within]
    advice_ids = _self_care(shown, features, level)
    messages: List[str] = []
    urgent = timeframe.level != ROUTINE
    if urgent:
        # How soon to be seen, when it is today or now: an escalation, first.
        messages.append(Reply(_fill(timeframe.advice), timeframe.level))
    # After an escalation (here or before the result), what to do has been said: a routine
    # "if it is not getting better" must not follow it.
    when = timeframe.advice_if_lasting if lasting(record) and timeframe.advice_if_lasting else timeframe.advice
    messages.append(lead(causes, None if urgent or level != ROUTINE else _fill(when)))
    if causes:
        lines = [
            "These are possible causes that fit what you described. They are not a diagnosis: only a professional who examines you can tell."
        ]
        lines += [_cause_line(number, cause) for number, cause in enumerate(causes, start=1)]
        cards = [_card(cause, advice_ids, urgent or level != ROUTINE) for cause in causes]
        messages.append(Reply("\n".join(lines), KIND_CAUSES, cards))
    else:
        fallback = shown[0]
        messages.append(Reply(f"{fallback.name}: {fallback.summary}", KIND_CAUSES))
    # The advice (kind "advice", docs/api.md): routine advice, what would change it (the safety
    # net), self-care meanwhile and the activity plan; the widget's summary keeps all of it.
    if level == ROUTINE and not urgent:
        # Routine advice has its own timeframe ("see your GP in the next few weeks"): after a
        # same-day instruction it would contradict it, so it is said only in a routine result.
        messages += [
            Reply(_fill(a.advice), KIND_SELF_CARE) for a in content.routine_advice.values() if a.applies(features)
        ]
    if level == ROUTINE and not urgent:
        messages.append(Reply(_fill(content.dialogue[_safety_net_key(features)]), KIND_SELF_CARE))
    tips = [_tip(content.treatments[t]) for t in advice_ids]
    if tips:
        messages.append(Reply("What you can do meanwhile:\n" + "\n".join(tips), KIND_SELF_CARE))
    if offer_plan and not _self_care_withheld(shown, features, level) and activity.choose(features, level, content):
        messages.append(Reply(content.dialogue["plan_offer"], KIND_PLAN_OFFER))
    messages.append(summary(record, screening))
    return messages


def activity_plan(condition_ids: Sequence[str], record: SymptomRecord, level: str = ROUTINE) -> List[str]:
    """The activity plan that fits the record, as messages; none when self-care is withheld
    (after an escalation, or a cause to be checked soon: exercises would suggest there is
    time to wait)."""
    content = get_content()
    features = with_patterns(record.features(), content)
    shown = [content.conditions[c] for c in condition_ids if c in content.conditions] or [content.fallback_condition()]
    if _self_care_withheld(shown, features, level):
        return []
    chosen = activity.choose(features, level, content)
    return [Reply(m, KIND_PLAN) for m in activity.messages(chosen, content)] if chosen else []


def is_it_answer(condition_id: str, possible_causes: Sequence[str]) -> str:
    """ "Is it a slipped disc?" after a result: how the cause asked about compares with the
    best fit, before what may fit and the content (usability review 8: asked twice, it got
    only why a disc may fit, never that a strain fitted better)."""
    conditions = get_content().conditions
    name = in_sentence(conditions[condition_id].name)
    best = in_sentence(conditions[possible_causes[0]].name) if possible_causes else None
    sure = "Only someone who examines you can say for sure."
    if best is None:
        return f"I can't tell from what you told me. {sure}"
    if condition_id == possible_causes[0]:
        return f"From what you told me, {name} is the best fit. {sure}"
    if condition_id in possible_causes:
        return f"It could be. But from what you told me, {best} fits better. {sure}"
    return f"From what you told me, {name} is less likely than {best}. {sure}"


def is_it_answer_before_result(asked: str) -> str:
    """ "Is it a slipped disc?" before the questions (in the person's words): not yet known,
    and what will tell."""
    return f"It may be {asked}, or something else: I can't tell yet. Only someone who examines you " "can say for sure."


def more_about(cause: RankedCause) -> List[str]:
    """'Tell me more about <cause>' after a result: why it may fit what the person said,
    then what the content says about it (``condition_answer``)."""
    why = "\n".join(f"• {reason}" for reason in cause.reasons[:3])
    name = get_content().conditions[cause.condition_id].name
    said = [f"Why {name} may fit what you told me:\n{why}"] if why else []
    return said + condition_answer(cause.condition_id)


@cache
def more_about_payload(condition_id: str) -> str:
    """What a "More about <cause>" button sends: a question about the cause in words the
    reader takes for that cause and the safety screen lets through unasked ("slipped disc"
    would be asked about a fall): the first of its synonyms, then its name, that do."""
    condition = get_content().conditions[condition_id]
    named = []
    for words in (*condition.synonyms, condition.name.lower()):
        question = f"tell me more about {words}"
        analysis = analyse(question)
        if condition_id not in analysis.topics("condition"):
            continue
        screened = safety.screen(safety.SafetyState(), analysis)
        if not (screened.say or screened.ask_after or screened.new_flags):
            return question
        named.append(question)
    # Every name of a serious cause can be one the screen acts on ("fracture"): then the
    # first that names it (its result was urgent already).
    return named[0] if named else f"tell me more about {condition.name.lower()}"


def more_about_hint(causes: Sequence[RankedCause]) -> Reply:
    """Where the "More about" buttons cannot be shown as buttons (Messenger's titles are
    short): how to ask instead."""
    example = more_about_payload(causes[0].condition_id)
    return Reply(f"To hear more about one of these, ask me, for example: “{example}”.")


def more_about_buttons(causes: Sequence[RankedCause]) -> List[Dict[str, str]]:
    """A button per possible cause for a channel without cards: its payload is asked
    like a question and answered from the content (``more_about``)."""
    return [
        {
            "title": f"More about {get_content().conditions[c.condition_id].name}",
            "payload": more_about_payload(c.condition_id),
        }
        for c in causes
    ]


# Pain or nerve symptoms down the leg: the safety net names the cauda equina signs.
LEG_FEATURES = frozenset(
    {SPREADS, SPREADS_BELOW_KNEE, "symptom:pain_spreading", "symptom:numbness", "symptom:tingling"}
)


def _safety_net_key(features: Iterable[str]) -> str:
    """What would change the advice: with leg pain or sciatica, the cauda equina signs."""
    return "result_safety_net_leg" if LEG_FEATURES & set(features) else "result_safety_net"


def treatments_overview() -> List[str]:
    names = [t.name.lower() for t in get_content().treatments.values()]
    return ["I can tell you about " + _join(names) + ". Which one would you like to know about?"]


def emergency_stop(record: SymptomRecord, screening: Optional[Mapping[str, Any]] = None) -> List[str]:
    """Instead of a result: after an emergency, the routine questions stop."""
    messages: List[str] = [
        Reply("Because of what you told me, I'll stop the routine questions here. " + reminder(EMERGENCY), EMERGENCY)
    ]
    if record.has_anything():
        messages.append(summary(record, screening))
    return messages


def plan_again(slots: Mapping[str, Any]) -> List[str]:
    """The activity plan of the result, when asked ("show me my exercise plan"), or why there
    is none."""
    record = SymptomRecord.from_slots(slots)
    plan = activity_plan(slots.get(POSSIBLE_CAUSES) or [], record, slots.get(TRIAGE_LEVEL) or ROUTINE)
    return plan or [_fill(get_content().dialogue["no_plan"])]
