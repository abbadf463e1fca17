"""What happens on every user message before the dialogue rules: the per-message screen.

``plan_turn`` takes the conversation's slots and the new message and returns
- the slot values that change (the symptom record, the screening answer to the question
  just asked, the safety slots and the place names the responses use), and
- what the screen must say, as steps (a response name and its text), with what comes
  after them: the dialogue's own rules ("rules") or nothing more ("listen").

addons/safety.py runs this inside the Rasa server process for every message, so the
screen and its escalation never depend on the action server. No Rasa here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from bot import checkins, clarify, interview, offers, proxy, replies, safety
from bot.content import get_content
from bot.contract import (
    AFFIRM,
    AGE,
    ASK_ANATOMY,
    ASK_CONDITION,
    CHECKIN_CONSENT,
    CONSULT_PROFESSIONAL,
    CRISIS_ONLY,
    CRISIS_SAFE_SAID,
    DELETE_CONVERSATION,
    DENY,
    DESCRIBE_PAIN,
    EMERGENCY,
    GOODBYE,
    INTERVIEW_OFFERED,
    KIND_PLAN,
    NO,
    OFFER_ANSWERED,
    OWN_WORDS,
    PENDING_OFFER,
    PENDING_QUESTION,
    POSSIBLE_CAUSES,
    QUESTION_INTENTS,
    QUESTIONS,
    REASK,
    REASK_AGAIN,
    REASK_PLAIN,
    REASK_UNCLEAR,
    RED_FLAGS,
    REPORT_RED_FLAG,
    REQUEST_SUMMARY,
    REQUESTED_SLOT,
    SAFETY_RESPONSES,
    SCREEN_ANSWERED,
    SCREENING_SLOTS,
    SINGLE_ANSWER_SLOTS,
    SYMPTOM_FORM,
    SYMPTOM_INTENTS,
    TOPIC_LABELS,
    TRIAGE_LEVEL,
    UNDO_INTENTS,
    UNSURE_ABOUT,
    URGENT,
    YES,
)
from bot.nlp import Analysis, analyse
from bot.settings import get_settings
from bot.symptoms import SymptomRecord, is_correction

RULES, LISTEN = "rules", "listen"
DEACTIVATE_LOOP = "action_deactivate_loop"
OFFER_INTERVIEW = "utter_offer_interview"
NEXT_OFFER = "action_next_offer"


@dataclass
class Step:
    action: str
    text: Optional[str] = None  # the text of an utter_safety_* response


@dataclass
class TurnPlan:
    slots: Dict[str, Any] = field(default_factory=dict)
    before: List[Step] = field(default_factory=list)
    then: str = RULES
    after: List[Step] = field(default_factory=list)

    def as_slot(self) -> Dict[str, Any]:
        """The plan as a slot value (plain data), for the policy's later steps in the turn."""
        return {
            "before": [[s.action, s.text] for s in self.before],
            "then": self.then,
            "after": [[s.action, s.text] for s in self.after],
        }

    @staticmethod
    def from_slot(value: Any) -> "TurnPlan":
        value = value if isinstance(value, dict) else {}
        steps = lambda key: [Step(a, t) for a, t in value.get(key) or []]  # noqa: E731
        return TurnPlan(before=steps("before"), then=value.get("then") or RULES, after=steps("after"))


def place_slots() -> Dict[str, str]:
    settings = get_settings()
    return {
        "place_gp": settings.gp,
        "place_pharmacist": settings.pharmacist,
        "clinic_name": settings.clinic_name or "the clinic",
        "checkin_after": in_words(settings.checkin_delay),
    }


def in_words(seconds: int) -> str:
    """A check-in delay as the offer says it: "in a week", "in 3 days", "tomorrow", "in 2 hours"."""
    days, hours, minutes = seconds // 86400, seconds // 3600, max(1, seconds // 60)
    if days and seconds % 604800 == 0:
        weeks = seconds // 604800
        return "in a week" if weeks == 1 else f"in {weeks} weeks"
    if days == 1 and seconds < 2 * 86400:
        return "tomorrow"
    if days:
        return f"in {days} days"
    if hours:
        return "in an hour" if hours == 1 else f"in {hours} hours"
    return "in a minute" if minutes == 1 else f"in {minutes} minutes"


def _record_update(
    slots: Mapping[str, Any], analysis: Analysis, intent: Optional[str], in_form: bool
) -> Dict[str, Any]:
    """The symptom record with this message folded in. Mid-interview, a message is an
    answer unless it is a question about a topic ("what is sciatica?"); a one-word answer
    the classifier took for a question ("sitting") is still an answer."""
    asks_about_topic = intent in QUESTION_INTENTS and any(analysis.topics(label) for label in TOPIC_LABELS)
    if in_form and asks_about_topic:
        # "hot water bottle helps and walking around a bit. so should i go into work?": the
        # answer told before the question is kept (usability review 8: asked again).
        told = interview.told_before_a_question(analysis.text)
        if not told:
            return {}
        analysis = proxy.as_the_patients(analyse(told), slots)
    elif intent not in SYMPTOM_INTENTS and not in_form:
        return {}
    record = SymptomRecord.from_slots(slots)
    question = slots.get(REQUESTED_SLOT) if in_form else None
    correcting = is_correction(analysis.text)
    record.update(analysis, correcting=correcting, question=question)
    updated = record.to_slots()
    if slots.get(POSSIBLE_CAUSES) is not None and not correcting:
        # After the result, an answer already given is changed only by a correction ("actually
        # it's been 3 weeks"): "today or few weeks? i dont understand" asks, it does not tell.
        updated = {
            k: (slots[k] if k in SINGLE_ANSWER_SLOTS and slots.get(k) is not None else v) for k, v in updated.items()
        }
    return updated


def _screening_answer(slots: Mapping[str, Any], text: str, intent: Optional[str], in_form: bool) -> Dict[str, Any]:
    """A bare answer ("yes", "not sure") to the screening question just asked."""
    question = slots.get(REQUESTED_SLOT) if in_form else None
    if question not in SCREENING_SLOTS:
        return {}
    record = SymptomRecord.from_slots(slots)
    return interview.interpret_answer(question, intent, text, record)


def _screening_told(slots: Mapping[str, Any], analysis: Analysis, in_form: bool) -> Dict[str, Any]:
    """A screening question answered by telling, not by yes or no ("I had breast cancer six
    years ago and I've lost half a stone"; "it burns when I pee, but no numbness or
    accidents"): recorded, so the question is not asked again."""
    question = slots.get(REQUESTED_SLOT) if in_form else None
    flags = get_content().red_flags
    if question not in {flag.answers_screening for flag in flags.values()}:
        return {}
    if any(flags[f].answers_screening == question for f in safety.message_red_flags(analysis)):
        return {question: YES}
    return {question: NO} if safety.denies_red_flag(analysis) else {}


def _answered_age(slots: Mapping[str, Any], analysis: Analysis, in_form: bool) -> Optional[int]:
    """A bare number answering "How old are you?" ("34", "i'm 34", "aged 34")."""
    if not in_form or slots.get(REQUESTED_SLOT) != AGE:
        return None
    lowered = " ".join(analysis.text.lower().split())
    bare = interview.BARE_NUMBER.match(lowered)
    if bare:
        return int(bare.group(2))
    in_words = interview.age_in_words(lowered)  # "seventy-nine" (usability review 8)
    return int(in_words) if in_words is not None else None


# The oldest age taken from a bare number; above it the number is something else.
OLDEST_AGE = 110


def _with_bare_age(slots: Mapping[str, Any], analysis: Analysis, in_form: bool) -> Analysis:
    """A bare number answering "How old are you?" is the age: the age red-flag rules
    (new back pain over 50 or under 20) need it on this turn, not the next. An age under 16
    gets the under-16 reply instead (``_under_16``), not a red flag."""
    if analysis.age is not None:
        return analysis
    age = _answered_age(slots, analysis, in_form)
    if age is not None and ADULT_AGE <= age <= OLDEST_AGE:
        return replace(analysis, age=age)
    return analysis


def _step(say: safety.Say) -> Step:
    return Step(SAFETY_RESPONSES[say.kind], say.text)


# "Should I go to A&E?" asked in the message that raised a same-day flag: answered in so many
# words (the emergency instruction itself says "go to A&E").
WHERE_TO_GO = "where_to_go"
WHO_TO_SEE = "who_to_see"
# Questions answered in so many words once there is something to answer from: the result or
# a same-day instruction (concepts.yml; dialogue <concept>_routine and <concept>_urgent).
# Before that, "should I see a GP?" gets the where_to_go check (the signs that mean A&E), and
# "is it dangerous?" the reason for the questions. The first that applies answers.
ASKS_IF_SERIOUS = "asks_if_serious"
ASKS_HOW_LONG = "asks_how_long"
ASKS_ABOUT_MOOD_HELP = "asks_about_mood_help"
# "can i still go gym?" (usability review 9: asked four times, answered with a menu).
ASKS_ABOUT_GYM = "asks_about_gym"
ASKS_ABOUT_WORK = "asks_about_work"  # "should I go into work tomorrow??" (the same review)
DIRECT_QUESTIONS = (
    WHO_TO_SEE,
    ASKS_IF_SERIOUS,
    ASKS_HOW_LONG,
    ASKS_ABOUT_WORK,
    ASKS_ABOUT_GYM,
    ASKS_ABOUT_MOOD_HELP,
    WHERE_TO_GO,
)
ANSWERED_BEFORE_RESULT = {
    ASKS_IF_SERIOUS: "asks_if_serious_unknown",
    ASKS_HOW_LONG: "asks_how_long_unknown",
    ASKS_ABOUT_WORK: "asks_about_work_unknown",
    ASKS_ABOUT_GYM: "asks_about_gym_unknown",
}
# "Is it dangerous?" / "how long til it gets better?" mid-interview: what the questions are for,
# then the question again (never taken as the answer to it). "Should I see a GP?" there gets
# the where_to_go check.
ANSWERED_IN_INTERVIEW = {
    ASKS_IF_SERIOUS: "asks_if_serious_interview",
    ASKS_HOW_LONG: "asks_how_long_interview",
    ASKS_ABOUT_WORK: "asks_about_work_interview",
    ASKS_ABOUT_GYM: "asks_about_gym_interview",
}
# Answers that differ once the pain has lasted six weeks or more (bot/symptoms.py durations).
LASTING_ANSWERS = (ASKS_IF_SERIOUS, ASKS_HOW_LONG)
LASTING = ("subacute", "chronic")


def _direct_question(slots: Mapping[str, Any], analysis: Analysis, in_form: bool) -> Optional[str]:
    """The dialogue key that answers "GP or physio?" / "is it dangerous?", or None."""
    level = slots.get(TRIAGE_LEVEL)
    if level == EMERGENCY:
        return None
    if in_form:
        concept = next((c for c in ANSWERED_IN_INTERVIEW if c in analysis.concepts), None)
        if concept is None and level == URGENT:
            # "Am I to go to A&E tonight, or do I telephone my surgery?" while the questions go on
            # after a same-day instruction (usability review 10: read as disputing the advice).
            going = next((c for c in (WHO_TO_SEE, WHERE_TO_GO) if c in analysis.concepts), None)
            return f"{going}_urgent" if going else None
        if concept is None:
            return None
        return f"{concept}_urgent" if level == URGENT else ANSWERED_IN_INTERVIEW[concept]
    asked = [concept for concept in DIRECT_QUESTIONS if concept in analysis.concepts]
    if level == URGENT:
        return f"{asked[0]}_urgent" if asked else None
    if WHERE_TO_GO in asked:
        return None  # the where_to_go check: the signs that mean A&E, and "do you have any?"
    if slots.get(POSSIBLE_CAUSES) is None:
        return next((ANSWERED_BEFORE_RESULT[c] for c in asked if c in ANSWERED_BEFORE_RESULT), None)
    if asked and asked[0] in LASTING_ANSWERS and slots.get("pain_duration") in LASTING:
        # Pain of months is past "most back pain gets better within a few weeks" (usability
        # review 8: a year of stenosis was told so, beside "see your GP in a week or two").
        return f"{asked[0]}_routine_lasting"
    return f"{asked[0]}_routine" if asked else None


def _read(slots: Mapping[str, Any], text: str, in_form: bool) -> Analysis:
    """The message as the turn reads it: a bare age as the age, and a direct question the
    turn answers itself not put to the where_to_go check as well."""
    analysis = _with_bare_age(slots, proxy.as_the_patients(analyse(text or ""), slots), in_form)
    if _direct_question(slots, analysis, in_form) is not None:
        analysis = replace(analysis, checks=[check for check in analysis.checks if check.id != WHERE_TO_GO])
    return analysis


def _escalation(
    plan: TurnPlan,
    result: safety.ScreenResult,
    slots: Mapping[str, Any],
    intent: Optional[str],
    in_form: bool,
    analysis: Analysis,
) -> TurnPlan:
    """The instruction, then the consult advice. After an emergency the routine questions
    stop; after an urgent flag the conversation goes on. A crisis check asked with the
    instruction comes last, and is waited for."""
    crisis_check = [_step(say) for say in result.say if say.kind == "check"]
    if in_form and result.level == URGENT and not result.crisis:
        plan.slots.update(_answer_to_open_question(slots, plan.slots, intent, analysis))
    plan.before = [_step(say) for say in result.say if say.kind != "check"]
    if result.level == URGENT and WHERE_TO_GO in analysis.concepts:
        plan.before.append(Step(SAFETY_RESPONSES["followup"], safety.dialogue("where_to_go_urgent")))
    elif result.level == URGENT and WHO_TO_SEE in analysis.concepts:
        plan.before.append(Step(SAFETY_RESPONSES["followup"], safety.dialogue("who_to_see_urgent")))
    plan.before.append(Step(CONSULT_PROFESSIONAL))
    if result.level == EMERGENCY or result.crisis:
        if in_form:
            plan.before[-2].text = f"{plan.before[-2].text} {safety.dialogue('stop_questions')}"
            plan.before.append(Step(DEACTIVATE_LOOP))
        plan.then = LISTEN
    elif interview.is_leaving(analysis.text):
        # "got to go, bye" that raised a same-day flag: the instruction and the consult
        # advice are the last word, not the next question.
        if in_form:
            plan.before.append(Step(DEACTIVATE_LOOP))
        plan.then = LISTEN
    elif not in_form and slots.get(POSSIBLE_CAUSES) is not None and intent in (REPORT_RED_FLAG, DESCRIBE_PAIN):
        plan.then = LISTEN  # the interview is over: its result is not given again
    elif not in_form and intent not in (REPORT_RED_FLAG, DESCRIBE_PAIN):
        # A red flag said in passing before a question ("... is heat or ice better?"):
        # nothing routine after the instruction; the question can be asked again.
        plan.then = LISTEN
        if safety.resumes_interview(slots.get(PENDING_QUESTION)) and slots.get(POSSIBLE_CAUSES) is None:
            # A check asked instead of starting the questions, answered with an urgent sign
            # ("sweating at night" - "yes, a temperature"): after the instruction, the
            # questions it stood in front of are offered (no dead end).
            plan.before.append(Step(OFFER_INTERVIEW))
            plan.slots[INTERVIEW_OFFERED] = True
    if crisis_check:
        # A check asked with a same-day instruction that the interview would have followed:
        # after its answer, the questions are offered (the foot-drop patient's "no" was a
        # dead end).
        goes_on = plan.then != LISTEN and not in_form and slots.get(POSSIBLE_CAUSES) is None
        plan.before += crisis_check
        plan.then = LISTEN
        pending = result.state.pending_question or ""
        if goes_on and not result.crisis and pending.startswith(safety.CHECK_PREFIX):
            plan.slots[PENDING_QUESTION] = pending + safety.RESUME_SEPARATOR + "interview"
    return plan


# Feelings said alongside the pain, the most pressing first (concepts.yml; dialogue feeling_*).
FEELINGS = ("feeling_low", "feeling_worried", "feeling_frustrated")


def _acknowledged(analysis: Analysis, level: Optional[str] = None) -> List[Step]:
    """ "8 its relly bad im scared": a short, human acknowledgement before the next question.
    After an emergency or same-day instruction it backs the instruction up, never "most back
    pain gets better" (dialogue ``feeling_*_escalated``)."""
    feeling = next((f for f in FEELINGS if f in analysis.affirmed_concepts), None)
    if not feeling:
        return []
    key = f"{feeling}_escalated" if level in (EMERGENCY, URGENT) else feeling
    return [Step(SAFETY_RESPONSES["followup"], safety.dialogue(key))]


def _told(
    slots: Mapping[str, Any],
    analysis: Analysis,
    intent: Optional[str],
    in_form: bool,
    answering: bool,
    clarifying: bool,
) -> Tuple[Dict[str, Any], Dict[str, Any]]:
    """(slots, screening answers) this message tells. Nothing when it asks what a word means;
    only a feeling when it answers the screen's own question or an offer."""
    values: Dict[str, Any] = {}
    answers: Dict[str, Any] = {}
    if clarifying:
        return values, answers
    if not answering:
        values.update(_record_update(slots, analysis, intent, in_form))
        answers = _screening_answer(slots, analysis.text, intent, in_form) or _screening_told(slots, analysis, in_form)
        values.update(answers)
    values.update(_feelings_told(slots, values, analysis))
    return values, answers


def _tells_more(analysis: Analysis) -> bool:
    """More than a yes or no: where it hurts, or what makes it worse or better."""
    return len(analysis.text.split()) > 4 and bool(analysis.ids("body_location") or analysis.ids("activity"))


def _feelings_told(slots: Mapping[str, Any], values: Mapping[str, Any], analysis: Analysis) -> Dict[str, Any]:
    """A feeling is kept whatever the message answered ("8 its relly bad im scared"), so the
    result and the summary can come back to it."""
    record = SymptomRecord.from_slots({**slots, **values})
    return {"feelings": record.feelings} if record.add_feelings(analysis) else {}


def _only_a_feeling_after_result(
    slots: Mapping[str, Any], result: safety.ScreenResult, analysis: Analysis, in_form: bool
) -> Optional[str]:
    """ "im so fed up with it all" after a routine result: the feeling's after-result reply
    (what may help, who can), not the result or the topic menu again. None otherwise."""
    if in_form or result.owns_turn or result.say or slots.get(POSSIBLE_CAUSES) is None:
        return None
    if slots.get(TRIAGE_LEVEL) in (EMERGENCY, URGENT) or analysis.findings() or analysis.text.rstrip().endswith("?"):
        return None
    if any(analysis.topics(label) for label in TOPIC_LABELS):
        return None
    feeling = next((f for f in FEELINGS if f in analysis.affirmed_concepts), None)
    return f"{feeling}_after_result" if feeling else None


def _meaning_to_explain(analysis: Analysis) -> Optional[str]:
    """The words of "what does <word> mean?" when the glossary explains them, or when no
    topic answers them either ("what does spondylolisthesis mean?" is a condition's)."""
    words = clarify.meaning_asked(analysis.text)
    if words is None or clarify.glossary_term(words) is not None:
        return words
    return None if any(analysis.topics(label) for label in TOPIC_LABELS) else words


def _clarified(
    plan: TurnPlan, result: safety.ScreenResult, meaning: Optional[str], question: Optional[str]
) -> Optional[TurnPlan]:
    """A word's meaning, or the open question in simpler words; then that question again
    (outside the interview, the consult advice). A red flag's name asked about ("what does
    foot drop mean?") gets the screen's "is this happening to you now?" after the meaning
    the glossary has, and the usual path (None) when it has none."""
    known = meaning is not None and clarify.glossary_term(meaning) is not None
    if result.ask_after and not known:
        return None
    plan.before = [_step(say) for say in result.say]
    if meaning is not None:
        plan.before.append(Step(SAFETY_RESPONSES["followup"], clarify.definition(meaning)))
    if result.ask_after:
        plan.before += [_step(say) for say in result.ask_after]
    elif question in QUESTIONS:
        plan.before.append(Step(f"utter_ask_{question}"))
        plan.slots[REASK] = REASK_AGAIN if meaning is not None else REASK_PLAIN
    else:
        plan.before.append(Step(CONSULT_PROFESSIONAL))
    plan.then = LISTEN
    return plan


# After an emergency instruction these still get their own reply: a goodbye (with the
# consult advice), deleting the conversation, the summary to show at A&E.
KEPT_AFTER_EMERGENCY = frozenset({GOODBYE, DELETE_CONVERSATION, REQUEST_SUMMARY})


def _plan_asked_again(slots: Mapping[str, Any], result: safety.ScreenResult, analysis: Analysis, in_form: bool) -> bool:
    """ "Show me my exercise plan again" after the result: the plan, not the topic menu."""
    asked = "plan_request" in analysis.concepts and slots.get(POSSIBLE_CAUSES) is not None
    return asked and not in_form and not result.owns_turn


def _help_on_the_way(slots: Mapping[str, Any], result: safety.ScreenResult, analysis: Analysis) -> bool:
    """ "I already called them, the ambulance is coming" after an emergency or same-day
    instruction: the instruction has been acted on; saying it again contradicts the
    ambulance service (a usability review)."""
    level = slots.get(TRIAGE_LEVEL)
    if level not in (EMERGENCY, URGENT) or result.new_flags or "help_on_the_way" not in analysis.concepts:
        return False
    if safety.DELAY_CONCEPT in analysis.concepts and "?" in analysis.text:
        return False  # "Do I really need to call 999?" asks; it has not been done (usability review 5)
    return LATER_DAY not in analysis.concepts  # "the GP can see me next Tuesday" is not today


LATER_DAY = "later_day"


# What a person asks about going where they were sent, and the answer (red_flags.yml dialogue).
GOING_THERE_QUESTIONS = (("asks_what_to_bring", "what_to_bring"), ("asks_what_happens", "what_happens_there"))


def _asks_about_going_there(slots: Mapping[str, Any], result: safety.ScreenResult, analysis: Analysis) -> Optional[str]:
    """ "What will they do to me there?", "what should I bring?" after an emergency or same-day
    instruction: the answer (its dialogue key), not the instruction again (usability reviews 5
    and 7). Not after the crisis reply alone."""
    level = slots.get(TRIAGE_LEVEL)
    if level not in (EMERGENCY, URGENT) or result.new_flags or result.owns_turn:
        return None
    if safety.crisis_only(slots.get(RED_FLAGS) or []):
        return None
    return next((key for concept, key in GOING_THERE_QUESTIONS if concept in analysis.concepts), None)


def _what_to_do_next(
    plan: TurnPlan,
    slots: Mapping[str, Any],
    result: safety.ScreenResult,
    analysis: Analysis,
    intent: Optional[str],
    in_form: bool,
    answering_offer: bool,
    question: Optional[str] = None,
) -> Optional[TurnPlan]:
    """What the person said about what to do next: a direct question ("GP or physio?"), help
    on its way after an instruction, safe after the crisis reply, or the result's plan asked
    for again. None otherwise."""
    direct = _direct_question(slots, analysis, in_form)
    if direct is not None and not result.new_flags and not result.owns_turn and not result.ask_after:
        # ("Should I worry if it feels numb when I wipe?" is the screen's: "is this happening now?")
        # Before "help is on its way": "GP normal appointment? or call 111 today?" asks.
        return _answered_directly(plan, direct, question if in_form else None)
    if "how_to_print" in analysis.concepts and not result.new_flags and not result.owns_turn:
        return _answered_directly(plan, "how_to_print", question if in_form else None)
    if direct is None and _alarm_disputed(slots, result, analysis):
        # A question about where to go is answered, not taken for a dispute ("I am still not
        # quite sure. Am I to go to A&E tonight, or do I telephone my surgery?": review 10).
        return _dispute_answered(plan, slots, result)
    if _help_on_the_way(slots, result, analysis):
        return _help_acknowledged(plan, slots)
    going_there = _asks_about_going_there(slots, result, analysis)
    if going_there is not None:
        return _answered_directly(plan, going_there)
    if not result.new_flags and not result.owns_turn and _under_16(slots, analysis, in_form):
        plan.slots.pop(AGE, None)
        return _answered_directly(plan, UNDER_16, question if in_form else None)
    feeling = _only_a_feeling_after_result(slots, result, analysis, in_form)
    if feeling is not None:
        return _answered_directly(plan, feeling)
    appointment = _appointment_made(slots, result, analysis, in_form)
    if appointment is not None:
        return _answered_directly(plan, appointment)
    if _says_safe_after_crisis(slots, result, analysis, intent) and not answering_offer:
        return _safe_after_crisis(plan, slots, in_form)
    if _thanks_with_nothing_asked(slots, intent, analysis.text, in_form, result):
        # "ok thank you very much" after the result: "you're welcome", not the list of what
        # the assistant can do (usability review 9; "ok" read it as a yes).
        plan.before = [Step("utter_you_are_welcome")]
        plan.then = LISTEN
        return plan
    if _plan_asked_again(slots, result, analysis, in_form):
        plan.before = [
            Step(SAFETY_RESPONSES["plan" if replies.kind_of(text) == KIND_PLAN else "followup"], text)
            for text in replies.plan_again(slots)
        ]
        plan.before.append(Step(CONSULT_PROFESSIONAL))
        plan.then = LISTEN
        return plan
    return None


# NICE NG59 and this assistant's advice are for people aged 16 and over (docs/safety-case.md,
# scope): a younger age is not taken; the reply says who can help a child.
UNDER_16 = "under_16"
ADULT_AGE = 16


def _under_16(slots: Mapping[str, Any], analysis: Analysis, in_form: bool) -> bool:
    age = analysis.age if analysis.age is not None else _answered_age(slots, analysis, in_form)
    return age is not None and age < ADULT_AGE


def _appointment_made(
    slots: Mapping[str, Any], result: safety.ScreenResult, analysis: Analysis, in_form: bool
) -> Optional[str]:
    """ "They can see me Thursday": after a routine result, a sensible next step; after a
    same-day instruction (and not said to be today: help_on_the_way), the same day again."""
    named = {"appointment_made", "help_on_the_way"} & analysis.concepts
    if in_form or result.new_flags or result.owns_turn or not named:
        return None
    level = slots.get(TRIAGE_LEVEL)
    if level == URGENT:
        return f"{WHO_TO_SEE}_urgent"
    return "appointment_made_routine" if level != EMERGENCY and slots.get(POSSIBLE_CAUSES) is not None else None


def _answered_directly(plan: TurnPlan, key: str, question: Optional[str] = None) -> TurnPlan:
    plan.before = [Step(SAFETY_RESPONSES["followup"], safety.dialogue(key))]
    if question in QUESTIONS and plan.slots.get(question) is not None:
        # "no none of that. but should i go to work tmrw??": the open question answered too,
        # so the interview goes on (usability review 10: the safety check was asked again).
        plan.then = RULES
        return plan
    if question in QUESTIONS:
        plan.before.append(Step(f"utter_ask_{question}"))  # mid-interview: the question again
        plan.slots[REASK] = REASK_AGAIN
    elif key in ANSWERED_BEFORE_RESULT.values():
        plan.before.append(Step(OFFER_INTERVIEW))  # the questions that can tell
        plan.slots[INTERVIEW_OFFERED] = True
    else:
        plan.before.append(Step(CONSULT_PROFESSIONAL))
    plan.then = LISTEN
    return plan


def _alarm_disputed(slots: Mapping[str, Any], result: safety.ScreenResult, analysis: Analysis) -> bool:
    """ "I did say there is no numbness at all" after an emergency or same-day instruction: the
    person says the advice rests on a misreading (usability review 5: it was taken for "I have
    called them"). Not after the crisis reply alone, and not with anything new."""
    if slots.get(TRIAGE_LEVEL) not in (EMERGENCY, URGENT) or result.new_flags:
        return False
    if result.owns_turn and not result.holds_line:
        return False  # the screen's own question ("is this new?") waits for its answer
    flags = slots.get(RED_FLAGS) or []
    return "alarm_disputed" in analysis.concepts and bool(flags) and not safety.crisis_only(flags)


def _dispute_answered(plan: TurnPlan, slots: Mapping[str, Any], result: safety.ScreenResult) -> TurnPlan:
    """What the advice rested on, the instruction for if it is true, and a person to check with
    if it is not (NHS 111): triage never goes down on the assistant's own say-so."""
    level = slots.get(TRIAGE_LEVEL)
    reasons = safety.flag_reasons(slots.get(RED_FLAGS) or [], result.state.findings)
    key = "alarm_disputed_emergency" if level == EMERGENCY else "alarm_disputed_urgent"
    plan.before = [Step(SAFETY_RESPONSES["followup"], safety.dialogue(key, reasons)), Step(CONSULT_PROFESSIONAL)]
    plan.then = LISTEN
    return plan


def _information_after_emergency(analysis: Analysis, intent: Optional[str]) -> List[str]:
    """ "Could it be my circulation?" after an emergency instruction: what the condition or the
    part of the spine is, never self-care or a timeframe (usability review 5: every question
    got the instruction alone, and the person was locked in)."""
    if intent == ASK_CONDITION and analysis.topics("condition"):
        condition = get_content().conditions[analysis.topics("condition")[0]]
        return [f"{condition.name}: {condition.summary}"]
    if intent in (ASK_CONDITION, ASK_ANATOMY) and analysis.topics("anatomy_topic"):
        return replies.anatomy_answer(analysis.topics("anatomy_topic")[0])
    return []


def _help_acknowledged(plan: TurnPlan, slots: Mapping[str, Any]) -> TurnPlan:
    key = "help_on_the_way_emergency" if slots.get(TRIAGE_LEVEL) == EMERGENCY else "help_on_the_way_urgent"
    plan.before = [Step(SAFETY_RESPONSES["followup"], safety.dialogue(key)), Step(CONSULT_PROFESSIONAL)]
    plan.then = LISTEN
    return plan


def _says_safe_after_crisis(
    slots: Mapping[str, Any], result: safety.ScreenResult, analysis: Analysis, intent: Optional[str]
) -> bool:
    """ "No, I'm not going to hurt myself, I was just venting" after the crisis reply, when the
    crisis is the only emergency: heard, and the pain can be talked about (no dead end)."""
    if slots.get(TRIAGE_LEVEL) != EMERGENCY or slots.get(CRISIS_SAFE_SAID) or result.new_flags:
        return False
    return safety.crisis_only(result.state.flags) and ("safe_now" in analysis.concepts or intent == DENY)


def _safe_after_crisis(plan: TurnPlan, slots: Mapping[str, Any], in_form: bool) -> TurnPlan:
    plan.before = [Step(SAFETY_RESPONSES["followup"], safety.dialogue("crisis_safe")), Step(CONSULT_PROFESSIONAL)]
    plan.slots[CRISIS_SAFE_SAID] = True
    if not in_form and slots.get(POSSIBLE_CAUSES) is None:
        plan.before.append(Step(OFFER_INTERVIEW))
        plan.slots[INTERVIEW_OFFERED] = True
    plan.then = LISTEN
    return plan


def _after_emergency(
    slots: Mapping[str, Any], result: safety.ScreenResult, intent: Optional[str], text: str, answering_offer: bool
) -> bool:
    """A message after an emergency instruction that raises nothing new: nothing routine
    (unless the only emergency was the crisis reply and the person said they are safe)."""
    if slots.get(TRIAGE_LEVEL) != EMERGENCY or result.new_flags or result.owns_turn or answering_offer:
        return False
    if not interview.stopped_by_emergency(slots):
        return False  # safe after the crisis reply
    if interview.is_leaving(text):
        return False
    # "im so scared", which the classifier can take for a goodbye, is not one.
    return intent not in KEPT_AFTER_EMERGENCY or intent == GOODBYE


def _emergency_again(plan: TurnPlan, result: safety.ScreenResult, acknowledgement: Sequence[Step] = ()) -> TurnPlan:
    """ "What should I do?" after an emergency: the instruction again, briefly, and the
    consult advice in its emergency form; nothing else but an acknowledgement of a feeling."""
    steps = [_step(say) for say in result.say]
    if not any(step.action == SAFETY_RESPONSES["reminder"] for step in steps):
        steps.insert(0, Step(SAFETY_RESPONSES["reminder"], safety.emergency_reminder(result.state)))
    plan.before = list(acknowledgement) + steps + [Step(CONSULT_PROFESSIONAL)]
    plan.then = LISTEN
    return plan


def _answer_to_open_question(
    slots: Mapping[str, Any], changed: Mapping[str, Any], intent: Optional[str], analysis: Analysis
) -> Dict[str, Any]:
    """The reply that raised a same-day flag still answers the open question: Rasa's form
    validates only a reply that comes straight after its question, and after the instruction
    it asked again (set 10: "there all the time, worse at night", asked five times)."""
    question = slots.get(REQUESTED_SLOT)
    if question not in QUESTIONS:
        return {}
    record = SymptomRecord.from_slots({**slots, **changed})
    filled = [k for k, v in changed.items() if k in QUESTIONS and v is not None]
    reading = interview.read_reply(question, intent, analysis.text, analysis, record, filled)
    if not reading.is_answer or reading.reask:
        return {}
    values = dict(reading.values)
    if OWN_WORDS in values:
        values[OWN_WORDS] = {**(record.own_words or {}), **values[OWN_WORDS]}
    keep = (question, UNSURE_ABOUT, OWN_WORDS)
    return {k: v for k, v in values.items() if slots.get(k) is None or k in keep}


def _only_a_feeling(
    slots: Mapping[str, Any], changed: Mapping[str, Any], question: str, intent: Optional[str], analysis: Analysis
) -> bool:
    """The reply to the open question tells a feeling and answers nothing."""
    record = SymptomRecord.from_slots({**slots, **changed})
    filled = [k for k, v in changed.items() if k in QUESTIONS and v is not None]
    reading = interview.read_reply(question, intent, analysis.text, analysis, record, filled)
    misread_goodbye = intent == GOODBYE and not interview.is_leaving(analysis.text)
    return reading.reask == REASK_UNCLEAR or (not reading.is_answer and misread_goodbye)


def _offer_answered(plan: TurnPlan, offer: offers.Offer, text: str, intent: Optional[str]) -> TurnPlan:
    """The reply to an offer made after the result: kept (unless it is contact details,
    which are never a slot), then acted on and the next offer made by action_next_offer.
    A message of another kind (a question, more about the pain) counts as no, and the
    dialogue answers it before the next offer."""
    direct = offers.is_direct_reply(offer, text, intent)
    # Passed over ("ok. and herniated, what it mean?"): a yes/no offer counts as no, and no
    # feedback is recorded from an "ok" that led into a question.
    answer = offers.read_answer(offer, text, intent) if direct else offers.passed_over_answer(offer)
    if offer.slot is not None and answer is not None:
        plan.slots[offer.slot] = answer
    if direct:
        plan.slots[OFFER_ANSWERED] = offer.name  # acted on (and acknowledged) by action_next_offer
        plan.before = [Step(NEXT_OFFER)]
        plan.then = LISTEN
    elif intent not in offers.CLOSING_INTENTS:  # after a goodbye nothing more is offered
        plan.after = [Step(NEXT_OFFER)]
    return plan


def _offer_passed_over(plan: TurnPlan, offer: Optional[offers.Offer]) -> TurnPlan:
    """An offer answered with a question the turn answers itself ("GP or physio?"): it counts
    as no, as in ``_offer_answered``, and the next offer follows the answer."""
    if offer is None or plan.then != LISTEN:
        return plan
    if offer.slot is not None:
        plan.slots[offer.slot] = offers.passed_over_answer(offer)
    plan.before.append(Step(NEXT_OFFER))
    return plan


def _checkin_due(slots: Mapping[str, Any]) -> TurnPlan:
    """The check-in the person asked for is due (intent EXTERNAL_checkin, never said by a
    person): its question, and the next message is its reply. Nothing after an emergency
    instruction, the crisis reply, or a "stop check-ins" that came after the poller took it."""
    if not checkins.may_check_in(slots):
        return TurnPlan(slots={}, then=LISTEN)
    plan = TurnPlan(slots={PENDING_OFFER: checkins.CHECKIN_REPLY} if not checkins.awaiting_reply(slots) else {})
    plan.before = [Step(SAFETY_RESPONSES["followup"], safety.dialogue("checkin_question"))]
    plan.then = LISTEN
    return plan


def _checkins_stopped(slots: Mapping[str, Any]) -> TurnPlan:
    plan = TurnPlan(slots={k: v for k, v in {CHECKIN_CONSENT: False, PENDING_OFFER: None}.items() if slots.get(k) != v})
    plan.before = [Step(SAFETY_RESPONSES["followup"], safety.dialogue("checkins_stopped"))]
    plan.then = LISTEN
    return plan


def _checkin_answered(plan: TurnPlan, slots: Mapping[str, Any], text: str, result_say: List[Step]) -> TurnPlan:
    """The reply to the check-in question, screened already and with no red flag in it:
    compared with the pain recorded, advice, and the consult recommendation."""
    verdict = checkins.compare(checkins.read_reply(text), slots.get(checkins.RECORDED_PAIN))
    plan.before = result_say + [
        Step(SAFETY_RESPONSES["followup"], safety.dialogue(checkins.advice_key(verdict))),
        Step(CONSULT_PROFESSIONAL),
    ]
    plan.then = LISTEN
    return plan


def plan_turn(slots: Mapping[str, Any], text: str, intent: Optional[str], active_loop: Optional[str]) -> TurnPlan:
    """The screen's part of the turn started by the message ``text``."""
    if intent == checkins.CHECKIN_INTENT:
        return _checkin_due(slots)
    if slots.get(CHECKIN_CONSENT) is True and checkins.wants_to_stop(text or ""):
        return _checkins_stopped(slots)
    return _screened_turn(slots, text, intent, active_loop)


def _with_crisis_told_again(slots: Mapping[str, Any], analysis: Analysis) -> Mapping[str, Any]:
    """Said safe after the crisis reply, then the crisis again: it stands (the interview stops)."""
    if slots.get(CRISIS_SAFE_SAID) and safety.tells_crisis(analysis):
        return {**slots, CRISIS_SAFE_SAID: None}
    return slots


def _screen(
    slots: Mapping[str, Any],
    state: safety.SafetyState,
    analysis: Analysis,
    intent: Optional[str],
    answers: Mapping[str, Any],
) -> safety.ScreenResult:
    result = safety.screen(state, analysis, intent, answers)
    if state.level == EMERGENCY and not result.new_flags and not interview.stopped_by_emergency(slots):
        # Safe after the crisis reply: the interview goes on without the reminder every turn
        # (the result and the consult advice carry it).
        result.say = [say for say in result.say if say.kind != "reminder"]
    return result


THANKS = re.compile(r"\b(thanks?|thank you|thankyou|ta|cheers|thx|ty|much appreciated)\b")


def _thanks_with_nothing_asked(
    slots: Mapping[str, Any], intent: Optional[str], text: str, in_form: bool, result: safety.ScreenResult
) -> bool:
    """A yes with thanks when nothing is asked, and no emergency stands: thanks."""
    asked = slots.get(INTERVIEW_OFFERED) or slots.get(PENDING_QUESTION) or slots.get(PENDING_OFFER)
    return (
        intent == AFFIRM
        and slots.get(TRIAGE_LEVEL) != EMERGENCY
        and not (in_form or asked or result.owns_turn or checkins.awaiting_reply(slots))
        and bool(THANKS.search((text or "").lower()))
    )


def _crisis_only(slots: Mapping[str, Any], result: safety.ScreenResult) -> Dict[str, Any]:
    """The slot the consult advice's emergency and crisis forms ask for (initially false in
    the domain): set when it changes."""
    crisis = safety.crisis_only(result.state.flags)
    return {CRISIS_ONLY: crisis} if crisis or slots.get(CRISIS_ONLY) else {}


def _screened_turn(slots: Mapping[str, Any], text: str, intent: Optional[str], active_loop: Optional[str]) -> TurnPlan:
    answering_checkin = checkins.awaiting_reply(slots)
    in_form = active_loop == SYMPTOM_FORM
    analysis = _read(slots, text, in_form)
    told = slots
    slots = _with_crisis_told_again(slots, analysis)
    state = safety.SafetyState.from_slots(slots)
    # "Yes" / "no" to the screen's own question answers it, not the interview's.
    answering_screen = safety.answer_to_pending(state, analysis.text, intent) is not None
    # The reply to an offer made after the result (bot/offers.py) is not about the pain.
    offer = offers.BY_NAME.get(slots.get(PENDING_OFFER) or "")
    answering_offer = offer is not None and offers.is_direct_reply(offer, analysis.text, intent)
    # "What does radiate mean?" / "I don't understand": explained, and nothing recorded.
    question = slots.get(REQUESTED_SLOT) if in_form else None
    meaning = _meaning_to_explain(analysis)
    rephrase = question in QUESTIONS and meaning is None and clarify.asks_to_rephrase(analysis.text)
    clarifying = (meaning is not None or rephrase) and not answering_screen and not answering_offer
    # "yes both leg. thigh. when walk 10 minute. sit down is better" answers the screen's
    # question and tells more: the rest is recorded too (usability review 9: asked again).
    only_the_answer = answering_screen and not _tells_more(analysis)
    values, answers = _told(slots, analysis, intent, in_form, only_the_answer or answering_offer, clarifying)
    if proxy.speaks_for_someone(analysis.text):
        values[proxy.SPEAKING_FOR] = True
    result = _screen(slots, state, analysis, intent, answers)
    values.update(result.slots)
    values[SCREEN_ANSWERED] = True if result.answered else None
    values.update(place_slots())
    if offer is not None or answering_checkin:
        values[PENDING_OFFER] = None
    values[CRISIS_SAFE_SAID] = slots.get(CRISIS_SAFE_SAID)
    values.update(_crisis_only(slots, result))
    changed = {k: v for k, v in values.items() if told.get(k) != v}
    plan = TurnPlan(slots=changed)

    if intent in UNDO_INTENTS and result.state.flags:
        # Nothing undoes a red flag: the instruction again instead of a restart.
        level = result.level if result.level in (URGENT, EMERGENCY) else URGENT
        plan.before = [Step(SAFETY_RESPONSES["reminder"], safety.reminder(level)), Step(CONSULT_PROFESSIONAL)]
        plan.then = LISTEN
        return plan

    if result.owns_turn and result.new_flags:
        return _escalation(plan, result, slots, intent, in_form, analysis)
    heard = _what_to_do_next(plan, slots, result, analysis, intent, in_form, answering_offer, question)
    if heard is not None:
        return _offer_passed_over(heard, None if answering_offer else offer)
    if result.holds_line:
        # "can I go to work tomorrow?" after a same-day instruction: not before being seen, and
        # the question answered, not only the instruction again (usability review 9).
        direct = _direct_question(slots, analysis, in_form)
        answer = [Step(SAFETY_RESPONSES["followup"], safety.dialogue(direct))] if direct else []
        plan.before = [_step(say) for say in result.say] + answer + [Step(CONSULT_PROFESSIONAL)]
        plan.then = LISTEN
        return plan
    if _after_emergency(slots, result, intent, analysis.text, answering_offer):
        # "im really scared": heard, then the instruction again; a question about a condition
        # is answered after it.
        plan = _emergency_again(plan, result, _acknowledged(analysis, EMERGENCY))
        information = _information_after_emergency(analysis, intent)
        plan.before[-1:-1] = [Step(SAFETY_RESPONSES["followup"], text) for text in information]
        return plan
    # "what mean GP?" after "Was this helpful?": explained, and the offer passed over (usability
    # review 6: it got the list of what the assistant can do).
    clarified = None if answering_offer or answering_checkin or result.owns_turn else clarifying
    if clarified and (explained := _clarified(plan, result, meaning, question)) is not None:
        return _offer_passed_over(explained, offer)
    if offer is not None and not result.owns_turn:
        return _offer_answered(plan, offer, analysis.text, intent)
    if answering_checkin and not result.owns_turn and not in_form:
        return _checkin_answered(
            plan, slots, analysis.text, _acknowledged(analysis, result.level) + [_step(s) for s in result.say]
        )
    if result.owns_turn:
        # The screen asked its own question ("is this new or has it changed?", a targeted
        # check): wait. A check asked instead of starting the interview remembers it.
        plan.before = [_step(say) for say in result.say]
        plan.then = LISTEN
        starts_interview = intent in (DESCRIBE_PAIN, REPORT_RED_FLAG) and slots.get(POSSIBLE_CAUSES) is None
        pending = result.state.pending_question or ""
        if not in_form and starts_interview and pending.startswith(safety.CHECK_PREFIX):
            plan.slots[PENDING_QUESTION] = pending + safety.RESUME_SEPARATOR + "interview"
        return plan
    if result.answered and result.say and not in_form:
        # The answer to the screen's own question: its reply, then the interview it stood
        # in front of, or the consult advice.
        plan.before = [_step(say) for say in result.say]
        pending = slots.get(PENDING_QUESTION) or ""
        # "Should I go to A&E?" answered "no" before any result: the questions that can tell
        # more are offered, not only the consult advice (usability review 8: a dead end).
        asked_where_to_go = pending.startswith(safety.CHECK_PREFIX + WHERE_TO_GO) and slots.get(POSSIBLE_CAUSES) is None
        if safety.resumes_interview(pending) or asked_where_to_go:
            # The questions the check stood in front of: offered, and a "yes" starts them (a
            # form started by this "no" would read it as the answer to its first question).
            plan.before.append(Step(OFFER_INTERVIEW))
            plan.slots[INTERVIEW_OFFERED] = True
        else:
            plan.before.append(Step(CONSULT_PROFESSIONAL))
        plan.then = LISTEN
        return plan
    return _rest_of_turn(plan, result, slots, changed, question, intent, analysis)


def _rest_of_turn(
    plan: TurnPlan,
    result: safety.ScreenResult,
    slots: Mapping[str, Any],
    changed: Mapping[str, Any],
    question: Optional[str],
    intent: Optional[str],
    analysis: Analysis,
) -> TurnPlan:
    """The screen's part of an ordinary turn: an acknowledgement of a feeling and what the
    screen says first; the rules then carry on."""
    acknowledgement = _acknowledged(analysis, result.level)
    if acknowledgement and question in QUESTIONS and _only_a_feeling(slots, changed, question, intent, analysis):
        # "im realy scared" in reply to a question: the acknowledgement, then the same
        # question again (no "Sorry, I didn't catch that"), and nothing recorded.
        plan.before = acknowledgement + [_step(say) for say in result.say] + [Step(f"utter_ask_{question}")]
        plan.slots[REASK] = REASK_AGAIN
        plan.then = LISTEN
        return plan
    plan.before = acknowledgement + [_step(say) for say in result.say]
    if intent in (REPORT_RED_FLAG, DESCRIBE_PAIN) and interview.stopped_by_emergency(slots):
        # After an emergency, symptoms said again get the instruction again, not an interview.
        plan.before.append(Step(CONSULT_PROFESSIONAL))
        plan.then = LISTEN
        return plan
    plan.before += _own_pain_question_answered(slots, intent, analysis, question)
    if intent == REPORT_RED_FLAG and not result.say:
        # The classifier heard a red flag the rules could not place: never nothing.
        if result.level == URGENT:
            plan.before = [Step(SAFETY_RESPONSES["reminder"], safety.reminder(URGENT))]
            if question is not None:
                # "5 in the day, 7 at night when it wakes me": still the answer (set 10).
                plan.slots.update(_answer_to_open_question(slots, plan.slots, intent, analysis))
        else:
            plan.before = [
                Step(SAFETY_RESPONSES["followup"], safety.dialogue("safety_net")),
                Step(CONSULT_PROFESSIONAL),
            ]
    plan.after = [_step(say) for say in result.ask_after]
    return plan


def _own_pain_question_answered(
    slots: Mapping[str, Any], intent: Optional[str], analysis: Analysis, question: Optional[str]
) -> List[Step]:
    """ "Can I still go in to my shift with my back like this?": the content's answer first; the
    questions then start (the rules), so a question about one's own pain is not left with an
    offer of them."""
    if intent != DESCRIBE_PAIN or question is not None or slots.get(POSSIBLE_CAUSES) is not None:
        return []
    asked = interview.own_condition_asked(analysis)
    if asked is not None:
        # "...since a long drive 4 days ago. is it a slipped disc??": not left unanswered until
        # the result, eleven turns later (usability review 9).
        return [Step(SAFETY_RESPONSES["followup"], replies.is_it_answer_before_result(asked))]
    topic = interview.own_pain_question_topic(analysis.text, analysis)
    return [Step(SAFETY_RESPONSES["followup"], text) for text in replies.treatment_answer(topic)] if topic else []


def fallback_step() -> Step:
    """The fixed, safe reply for a turn that would otherwise end in silence."""
    return Step(SAFETY_RESPONSES["fallback"], safety.dialogue("fallback"))
