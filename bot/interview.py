"""The intake interview: which question comes next, and what an answer to it means.

Free-text facts ("it started after lifting") are folded into the record by
``SymptomRecord.update`` whatever the question; this module decides the order of
questions and reads each reply against the question just asked: a short answer
("yes", "no", "not sure", a number), an answer that fits another question (kept, and
the interview moves on), a bare "yes" to a question with several options ("which of
these?"), or something not understood (asked again at most twice, then "not sure").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple

from bot import safety
from bot.content import get_content
from bot.contract import (
    AFFIRM,
    AGE,
    ASK_ANATOMY,
    ASK_CONDITION,
    ASK_HELP,
    ASK_TREATMENT,
    BOT_CHALLENGE,
    CRISIS_SAFE_SAID,
    DELETE_CONVERSATION,
    DENY,
    DESCRIBE_PAIN,
    DONT_KNOW,
    EMERGENCY,
    GOODBYE,
    MAX_ASKS,
    NLU_FALLBACK,
    NO,
    OUT_OF_SCOPE,
    OWN_WORDS,
    QUESTIONS,
    QUICKLY,
    REASK_UNCLEAR,
    REASK_WHICH,
    RED_FLAGS,
    REPORT_RED_FLAG,
    REQUEST_SUMMARY,
    SCREEN_MAJOR_TRAUMA,
    SCREEN_WEAKNESS_PROGRESSION,
    SCREENING_SLOTS,
    SLOWLY,
    STOP,
    TRIAGE_LEVEL,
    UNKNOWN,
    UNSURE_ABOUT,
    YES,
)
from bot.nlp import ABSENT, PRESENT, UNCERTAIN, Analysis
from bot.nlp.pipeline import TENS, UNITS
from bot.symptoms import NERVE_UNSPECIFIED, ONSET_FROM_ACTIVITY, SymptomRecord, is_correction

STAYS_PUT = (
    "stays",
    "stay in",
    "doesn't spread",
    "doesnt spread",
    "does not spread",
    "only in my",
    "just in my",
    "just my",
    "it doesn't",
    "it does not",
    "doesn't go",
    "doesnt go",
    "does not go",
    "nowhere",
)
# Questions answered with a list of things; "not sure" leaves them empty (None) rather
# than [] which would mean "none".
LIST_QUESTIONS = ("pain_location", "nerve_symptoms", "aggravating_factors", "easing_factors")
ALL_STATUSES = (PRESENT, ABSENT, UNCERTAIN)
# Questions people often answer in words of their own, kept as said when not understood.
OWN_WORDS_QUESTIONS = ("pain_location", "aggravating_factors", "easing_factors", "pain_onset")
# Activities that, said as how the pain started, mean it started with a strain.
STRAIN_ACTIVITIES = ("lifting", "twisting", "bending_forward", "weight_training")
# Questions asked in two parts, and the second part's question ("How did it start, and
# when?"). "What makes it worse?" and "what eases it?" are asked one at a time.
SECOND_PARTS = {"pain_onset": "pain_duration"}
# Questions that offer several options: a bare "yes" gets "which of these?".
SEVERAL_OPTIONS = ("nerve_symptoms",)
# Intents of messages that are not answers when they read as such: the rules reply to
# them (and the interview resumes, or ends for a goodbye or stop). Classified so but
# worded like an answer ("its just constant" taken for stop), a message is read as one.
QUESTIONS_OF_THEIR_OWN = frozenset({ASK_CONDITION, ASK_TREATMENT, ASK_ANATOMY, BOT_CHALLENGE, OUT_OF_SCOPE})
STOPPING = re.compile(r"\b(stop|enough|quit|cancel|end|finish|exit|abort|no more|don'?t want|leave it)\b")

# "yes, ..." or a bare "I have" ("I have foot drop" is a statement, not a yes).
YES_START = re.compile(r"^\W*(yes|yeah|yep|yup|yea|ya|aye|y|definitely|sure)\b|^\W*(i do|i have|it does)\W*$")
# "It's there all the time, doesn't matter how I move": an answer about what makes it worse,
# kept in the person's words.
WHEN_IN_THE_DAY = re.compile(
    r"\b(at night|at nite|in the night|first thing|in the morning|mornings|nights|constant|all the time)\b"
)
SAME_WHATEVER = re.compile(
    r"\b(doesn'?t|does not|dont|don'?t) (matter|change|make (any|a|much) difference)\b.{0,20}\b(what|how|whether|if)\b"
    r"|\b(no matter|whatever) (what|how)\b|\bsame whatever\b"
    # "it's there whatever i do, worse if someone taps on it", "it's constant" (set 7: asked 5 times)
    r"|\bwhatever i do\b|\b(it'?s|its|it is) (constant|always there|there all the time)\b"
    r"|\b(tap|taps|tapped|tapping|press|presses|pressed|pressing|touch|touched|touching) (on )?it\b|\bwhen (tapped|pressed|touched)\b"
)
NO_START = re.compile(r"^\W*(no|nope|nah|not really|none|never|nothing|n)\b")
YES_WORD = re.compile(r"\b(yes|yeah|yep)\b")
UNSURE = re.compile(r"^\W*(\w+ )?(\w+ )?(not sure|dunno|don't know|dont know|no idea|unsure|hard to say|can't say)\b")
REQUEST = re.compile(
    r"(\?\s*$|^\W*(can|could|would|will|what|when|where|who|whats|what's|how|do|does|is|are|should|tell|remind|"
    r"please|book|find|order|help me|write)\b)"
)
# A score out of 10 in an answer about how bad the pain is: not a time ("8 hours", "2 weeks").
SCORE = re.compile(
    r"\b(10|[0-9])(?:/10|ish)?\b(?!\s*(?:%|am|pm|hours?|hrs?|mins?|minutes?|days?|weeks?|wks?|months?|years?|yrs?|"
    r"times|x|kg|stone|miles?|km|o'?clock|:))"
)
# An age said on its own: "34", "i'm 34", "34 years old", "aged 34".
BARE_NUMBER = re.compile(r"^\W*(i'?m |im |i am |aged? )?(\d{1,3})\s*(years?|yrs?|yo|y/o)?( old)?\W*$")


# How the pain started that needs no question about a fall or blow: slowly, or from a strain the
# person has told as an event (lifting, sport, a day's digging). A guessed cause ("probably slept
# funny") is not one: set 7's ladder fall hid behind it.
ONSETS_THAT_RULE_OUT_A_BLOW = ("gradual", "lifting_injury", "sport_strain", "chores_strain")


def applies(question: str, slots: Mapping[str, Any]) -> bool:
    """Follow-up questions are only asked when the earlier answer calls for them."""
    if question == SCREEN_WEAKNESS_PROGRESSION:
        return "weakness" in (slots.get("nerve_symptoms") or [])
    if question == SCREEN_MAJOR_TRAUMA:
        # "tuesday at work, hurt straight away" (set 6, sealed) and "probably slept funny" (set 7, sealed)
        # were falls from a ladder only this question heard.
        return slots.get("pain_onset") not in ONSETS_THAT_RULE_OUT_A_BLOW
    return True


def stopped_by_emergency(slots: Mapping[str, Any]) -> bool:
    """After an emergency instruction the routine questions stop: carrying on would suggest
    there is time to wait. Not when the only emergency was the crisis reply and the person
    has said they are safe (bot/turn.py): their pain can still be talked about."""
    if slots.get(TRIAGE_LEVEL) != EMERGENCY:
        return False
    return not (slots.get(CRISIS_SAFE_SAID) and safety.crisis_only(slots.get(RED_FLAGS) or []))


def questions_to_ask(slots: Mapping[str, Any]) -> List[str]:
    """The form's required slots, given everything known so far.

    After an emergency escalation the interview stops: carrying on with routine
    questions would suggest there is time to wait. A question the person could not
    answer is not asked again.
    """
    if stopped_by_emergency(slots):
        return []
    settled = set(slots.get(UNSURE_ABOUT) or []) | set(slots.get(OWN_WORDS) or {})
    return [q for q in QUESTIONS if applies(q, slots) and q not in settled]


def times_asked(question: str, responses: Iterable[Optional[str]]) -> int:
    """How often ``question`` was asked in this interview (its responses' names, in order)."""
    return sum(1 for name in responses if name == f"utter_ask_{question}")


@dataclass
class Reading:
    """What one message means for the question just asked."""

    values: Dict[str, Any] = field(default_factory=dict)  # slots it sets
    reask: Optional[str] = None  # REASK_UNCLEAR / REASK_WHICH: ask the same question again
    is_answer: bool = True  # False: not an answer at all; the rules reply to it
    moved_on: bool = False  # the question is left as "not sure"


def read_reply(
    question: str,
    intent: Optional[str],
    text: str,
    analysis: Analysis,
    record: SymptomRecord,
    filled: Iterable[str] = (),
    asked: int = 1,
) -> Reading:
    """Read a reply to ``question``.

    ``record``: the symptom record with this message already folded in; ``filled``:
    the slots this message has filled so far (from its free text); ``asked``: how often
    the question has been asked, this time included.
    """
    filled = list(filled)
    reading = _read(question, intent, text, analysis, record, filled, asked)
    second = SECOND_PARTS.get(question)
    rest = _after_first_sentence(text)
    if second in OWN_WORDS_QUESTIONS and rest and reading.is_answer and not reading.reask:
        # "How did it start?" answered in two sentences: a second one not understood is the when,
        # in their words, rather than a question asked again.
        understood = second in filled or second in reading.values or getattr(record, second) is not None
        if not understood:
            reading.values[OWN_WORDS] = {**(reading.values.get(OWN_WORDS) or {}), second: rest}
    return reading


def _after_first_sentence(text: str) -> str:
    parts = [p.strip() for p in re.split(r"[.;!?]+(?:\s+|$)", text or "") if p.strip()]
    return ". ".join(parts[1:])


def _first_sentence(text: str) -> str:
    parts = [p.strip() for p in re.split(r"[.;!?]+(?:\s+|$)", text or "") if p.strip()]
    return parts[0] if parts else ""


def _stays_put_reading(record: SymptomRecord) -> Reading:
    """ "no, just the calf": the places named are where it hurts, not where it goes."""
    places = (record.pain_location or []) + [p for p in record.spread_to or [] if p not in (record.pain_location or [])]
    values: Dict[str, Any] = {"pain_spreads": NO, "spread_to": []}
    if places != (record.pain_location or []):
        values["pain_location"] = places
    return Reading(values)


def _read(
    question: str,
    intent: Optional[str],
    text: str,
    analysis: Analysis,
    record: SymptomRecord,
    filled: List[str],
    asked: int,
) -> Reading:
    lowered = " ".join((text or "").lower().replace("’", "'").split())
    if question == "pain_spreads" and _stays_put(intent, lowered, analysis):
        return _stays_put_reading(record)
    if question not in SCREENING_SLOTS and (intent == DONT_KNOW or UNSURE.search(lowered)) and filled:
        # "don't know really, somewhere round the thigh?": unsure, with something said.
        # Nothing is guessed from it: the question is "not sure", and their words quoted.
        unsure = _unsure(question, record)
        if question == "pain_spreads":
            unsure.update({"pain_spreads": UNKNOWN, "spread_to": []})
        return Reading({**unsure, OWN_WORDS: {question: text}})
    if question in filled:
        return Reading()  # its free text answered the question
    if not filled and not may_be_an_answer(question, intent, text, analysis):
        return Reading(is_answer=False)
    if question in OWN_WORDS_QUESTIONS and not filled and SAME_WHATEVER.search(lowered):
        # "there all the time, doesn't matter how I move, and tapping there really hurts": an
        # answer, but not "nothing makes it worse"; kept as said (set 6).
        return Reading({OWN_WORDS: {question: text}}, moved_on=True)
    values = interpret_answer(question, intent, text, record, analysis)
    if question in values or UNSURE_ABOUT in values:
        return Reading(values)
    if question in SEVERAL_OPTIONS and (intent == AFFIRM or YES_START.match(lowered)):
        detail = _has_detail(lowered, analysis)
        if not detail and asked < MAX_ASKS:
            return Reading(values, reask=REASK_WHICH)
        # "yes, in two of my fingers": some of them, in the person's own words.
        return Reading({**values, question: [NERVE_UNSPECIFIED], OWN_WORDS: {question: text}})
    if is_correction(text) and (filled or values or analysis.findings()):
        return Reading(values)  # a correction of an earlier answer: ask this one again
    if filled or values:
        # The answer fits another question: keep it and move on. A two-part question
        # ("how did it start?", which people answer with when) answered with only when: the rest
        # of the answer is the first part, in their words.
        second_only = bool(SECOND_PARTS.get(question)) and set(filled) | set(values) <= {SECOND_PARTS[question]}
        first = _first_sentence(text) if _after_first_sentence(text) else text
        words = first if second_only and len(first.split()) > 2 else None
        return Reading({**values, OWN_WORDS: {question: words}}, moved_on=True)
    own = _first_sentence(text) if question in SECOND_PARTS and _after_first_sentence(text) else text
    if question in OWN_WORDS_QUESTIONS and (analysis.findings() or analysis.topics("treatment")):
        # "stressful weeks, deadlines", "massage": understood in part; kept as said.
        return Reading({OWN_WORDS: {question: own}}, moved_on=True)
    # Not understood. A question people answer in their own words ("how did it start?")
    # is asked once more; after that, what they wrote is kept as they wrote it.
    if asked < (2 if question in OWN_WORDS_QUESTIONS else MAX_ASKS):
        return Reading(reask=REASK_UNCLEAR)
    if BARE_YES_NO.match(lowered):
        # "no" to "how did it start?" twice: not known, rather than "in your words: no".
        return Reading(_unsure(question, record), moved_on=True)
    return Reading({OWN_WORDS: {question: own}}, moved_on=True)


BARE_YES_NO = re.compile(r"^\W*(yes|yeah|yep|yup|no|nope|nah|not really|n|y)\W*$")


def may_be_an_answer(question: str, intent: Optional[str], text: str, analysis: Analysis) -> bool:
    """Whether a reply can be an answer at all: a goodbye, a stop, a question of the
    person's own or a red flag said out of turn is not (the rules reply to those)."""
    lowered = " ".join((text or "").lower().replace("’", "'").split())
    if intent in REQUESTS_ABOUT_THE_CONVERSATION or intent in (GOODBYE, ASK_HELP, BOT_CHALLENGE):
        return False  # "what can you do?" mid-interview is answered, then the question asked again
    if intent == STOP and STOPPING.search(lowered):
        return False
    if intent == REPORT_RED_FLAG:
        # A red flag is an answer to the question about getting weaker, or when it comes
        # with a yes or no; and to "how did it start?", which people answer with the story
        # ("started as cystitis on friday, then the shivers came": asked 5 times, set 7).
        # Otherwise it is spoken to, and the question asked again.
        # So is what the question asks, told with it (set 10: "5 in the day, 7 at night when it
        # wakes me" and "there all the time, worse at night" were asked again and again).
        tells_it = (
            (
                question in ("aggravating_factors", "easing_factors")
                and analysis is not None
                and bool(analysis.ids("activity") or SAME_WHATEVER.search(lowered) or WHEN_IN_THE_DAY.search(lowered))
            )
            or (question == "pain_severity" and bool(re.match(r"^\D{0,12}?\b(10|[0-9])\b", lowered)))
            or (question == "pain_duration" and analysis is not None and analysis.duration_days is not None)
        )
        return (
            tells_it
            or question in (SCREEN_WEAKNESS_PROGRESSION, "pain_onset")
            or bool(YES_START.match(lowered) or NO_START.match(lowered))
        )
    # "can you remind me to take my tablets?" is not an answer; "massage", or "digging the
    # garden", may be one whatever the classifier thought.
    return not (intent in QUESTIONS_OF_THEIR_OWN and REQUEST.search(lowered))


# "Delete my conversation", "send me the summary": requests the rules answer, never answers.
REQUESTS_ABOUT_THE_CONVERSATION = frozenset({DELETE_CONVERSATION, REQUEST_SUMMARY})


def _has_detail(lowered: str, analysis: Analysis) -> bool:
    """More than a bare yes: a place, a symptom or at least a few words."""
    rest = YES_START.sub("", lowered).strip(" ,.!")
    return bool(analysis.mentions) or len(rest.split()) >= 2


def _unsure(question: str, record: SymptomRecord) -> Dict[str, Any]:
    unsure = list(record.unsure_about or [])
    values: Dict[str, Any] = {UNSURE_ABOUT: unsure + ([question] if question not in unsure else [])}
    if question not in LIST_QUESTIONS and question != AGE:
        values[question] = UNKNOWN
    return values


def interpret_answer(
    question: str, intent: Optional[str], text: str, record: SymptomRecord, analysis: Optional[Analysis] = None
) -> Dict[str, Any]:
    """Slot values a short answer to ``question`` sets (empty if it says nothing about it)."""
    lowered = " ".join((text or "").lower().replace("’", "'").split())
    if question in SCREENING_SLOTS:
        answer = _screening_answer(question, intent, lowered)
        return {question: answer} if answer else {}
    if intent == DONT_KNOW or UNSURE.search(lowered):
        return _unsure(question, record)
    if question == AGE:
        match = BARE_NUMBER.match(lowered)
        if match and 16 <= int(match.group(2)) <= 110:  # under 16: bot/turn.py UNDER_16
            return {AGE: float(match.group(2))}
        in_words = age_in_words(lowered)
        return {AGE: in_words} if in_words is not None else {}
    if question == "pain_severity" and not (analysis and (analysis.duration_days or analysis.age)):
        match = re.match(r"^\D{0,12}?\b(10|[0-9])(ish|/10)?\b", lowered)
        if not match:
            return {}
        # "At its worst": "6 most days, 8 on bad days" is 8 (a usability review recorded 6).
        scores = [float(n) for n in SCORE.findall(lowered[match.start(1) :])]
        return {"pain_severity": max([float(match.group(1)), *scores])}
    strains = [a for a in (analysis.ids("activity") if analysis else []) if a in STRAIN_ACTIVITIES]
    if question == "pain_onset" and strains:
        return {"pain_onset": ONSET_FROM_ACTIVITY.get(strains[0], "lifting_injury")}
    plain_no = NO_START.match(lowered) or (intent == DENY and not (analysis and analysis.findings(ALL_STATUSES)))
    if question == "pain_spreads":
        if intent == AFFIRM or YES_START.match(lowered):
            return {"pain_spreads": YES}
        if _stays_put(intent, lowered, analysis):
            return {"pain_spreads": NO, "spread_to": []}
    if question == "nerve_symptoms" and plain_no and not record.nerve_symptoms:
        return {"nerve_symptoms": []}
    if question == "aggravating_factors" and (plain_no or re.search(r"\bnothing\b", lowered)):
        return {} if record.aggravating_factors else {question: []}
    if question == "easing_factors" and (plain_no or re.search(r"\bnothing\b", lowered)):
        return {} if record.easing_factors else {question: []}
    if question == "pain_location" and plain_no:
        return {"pain_location": []}
    return {}


DECADE_WORDS = {
    "twenties": 20,
    "thirties": 30,
    "forties": 40,
    "fourties": 40,
    "fifties": 50,
    "sixties": 60,
    "seventies": 70,
    "eighties": 80,
    "nineties": 90,
}
PART_OF_DECADE = {"early": 2, "mid": 5, "middle": 5, "late": 8}
# An age said in words, as the answer to "how old are you?": "forty five", "mid forties",
# "in my 50s", "fifty something", "late sixties".
AGE_WORDS = re.compile(
    r"^\W*(i'?m |im |i am |aged? |in my |about |around )*(?:(early|mid|middle|late)[- ]?)?"
    r"(?:(?P<tens>twenty|thirty|fou?rty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?P<unit>one|two|three|four|five|six|seven|eight|nine)"
    r"|[- ]?(?P<something>something|ish))?|(?P<decade>twenties|thirties|fou?rties|fifties|sixties|seventies|eighties|nineties)"
    r"|(?P<digits>[2-9]0)'?s)(?: years?| yrs?)?(?: old)?\W*$"
)


def age_in_words(lowered: str) -> Optional[float]:
    match = AGE_WORDS.match(lowered)
    if not match:
        return None
    part = PART_OF_DECADE.get(match.group(2) or "", 5)
    if match.group("tens"):
        tens = TENS[match.group("tens")]
        if match.group("unit"):
            return float(tens + UNITS[match.group("unit")])
        return float(tens + (5 if match.group("something") == "something" or match.group(2) else 0))
    decade = DECADE_WORDS[match.group("decade")] if match.group("decade") else int(match.group("digits"))
    return float(decade + part)


def _stays_put(intent: Optional[str], lowered: str, analysis: Optional[Analysis]) -> bool:
    """ "No", "it stays in my back"; not "sometimes into my bum but not my legs"."""
    if NO_START.match(lowered) or any(cue in lowered for cue in STAYS_PUT):
        return True
    goes = analysis is not None and (analysis.ids("body_location") or "pain_spreading" in analysis.ids("symptom"))
    return intent == DENY and not goes


def _screening_answer(question: str, intent: Optional[str], lowered: str) -> Optional[str]:
    if question == SCREEN_WEAKNESS_PROGRESSION:
        if NO_START.match(lowered) or intent == DENY:
            return NO
        if re.search(r"\b(slow|slowly|gradual|gradually|weeks?|months?|a bit)\b", lowered):
            return SLOWLY
        if re.search(r"\b(quick|quickly|fast|hours?|hour|rapid|rapidly|today|yesterday|overnight|days?)\b", lowered):
            return QUICKLY
        if intent in (AFFIRM, REPORT_RED_FLAG) or YES_START.match(lowered):
            return SLOWLY
    if intent == DONT_KNOW or UNSURE.search(lowered):
        return UNKNOWN
    if YES_START.match(lowered) or intent == AFFIRM:
        return YES
    if NO_START.match(lowered) or intent == DENY:
        return NO
    if YES_WORD.search(lowered):
        return YES  # "both legs yes"
    return None


FIRST_PERSON = re.compile(r"\b(i|i'm|im|i've|ive|i'd|id|my|me|myself|mine)\b")
PAIN_WORDS = re.compile(
    r"\b(pain|pains|painful|hurts?|hurting|ache|aches|aching|achy|sore|agony|kills?|killing|throbbing|stiff|"
    r"cramps?|cramping|twinge|spasm(s|ed|ing)?|done (my|me) back|put my back|pulled|injured|injury|strained|damaged?|"
    r"back ?aches?|back('s| has| is)? (went|gone|gave (out|way|in)|locked|went out|went ping)|"
    # "My legs have become very troublesome when I go out walking" (set 8).
    r"troublesome|troubling me|trouble me|bother(s|ing)? me|bothersome|giving me (trouble|problems)|"
    r"niggle|playing up|flar(e|es|ed|ing)( up)?|(it's|its|it is) (worse|bad|terrible|awful)|"
    r"knackered|in bits|wrecked|seized( up)?|locked up|gone again|went again|(is|are|it's|its) no better|"
    r"giving me (grief|gyp|jip|hell)|"
    # "she's 79 and did something to her back on Tuesday" (set 10).
    r"(did|done|has done) (something|summat|somethin) to (my|me|her|his|their) (back|neck|leg|hip)|"
    r"(can|could) (barely|hardly|only just) (get|move|walk|stand|sit|bend)|"
    # "her back's been bad since the baby", "this back has stopped me working" (set 10).
    r"(back|neck|leg|legs|hip|sciatica)('s| has| is| have)? (been )?(bad|terrible|awful|rough|murder)|"
    r"(back|neck|leg|legs|hip|sciatica|pain)( has| have|'s)? stopped me|"
    # "sciatcia agen, rite leg, cant sleap": a flare of one's own named condition.
    r"(sciatica|back|lumbago|disc)( is| 's)? (again|back again|flared)|"
    r"(can't|cant|can not|cannot) sleep|"
    r"(because of|with) (this|my) (bad |dodgy |stupid |painful )?(back|neck|leg|legs|hip|hips|knee|sciatica))\b"
)
# Places the lexicon does not name as where pain is, but people do ("my side").
OTHER_PLACES = re.compile(r"\b(side|flank|joints?|muscles?|body|spine|bones?|discs?|vertebrae?|nerves?)\b")


# "My sciatica is playing up again": a condition said to be the person's own.
# "with this sciatica", "with my sciatica" (set 8): the condition is the person's own.
# A condition of one's own: "my sciatica", "I have sciatica", and one a clinician named ("the
# doctor say sciatica", "diagnosed with a slipped disc": set 9, a story of cauda equina that got
# the page about sciatica and no question).
OWN_CONDITION = re.compile(
    r"\b(my|this|i have|i've got|ive got|i've had|ive had|diagnosed with|"
    r"(doctor|doc|gp|physio|dr|consultant)( \w+)? (say|says|said|thinks|thought|told me)( it'?s| it is| i have| i've got)?)"
    r"\s+(\w+\s+){0,2}$"
)
# "The pain moves about": the pain spoken of as the one the person has.
THE_PAIN = re.compile(r"^\W*(the|this) (pain|ache|stiffness|numbness|tingling)\b")


def describes_own_pain(analysis: Analysis) -> bool:
    """The message tells of the person's own pain somewhere the assistant covers ("back
    pain from work, I'm a labourer"), whatever else it asks or says: a feeling (a pain
    word, a symptom, a condition of their own) with where it is or what brings it on."""
    text = " ".join(analysis.text.lower().replace("’", "'").split())
    own_condition = any(
        m.label == "condition" and OWN_CONDITION.search(analysis.text[: m.start].lower().replace("’", "'"))
        for m in analysis.mentions
    )
    # The words as typed and as read ("sciatcia agen, rite leg, cant sleap": set 10).
    read = analysis.normalised or text
    if not (
        FIRST_PERSON.search(text)
        or THE_PAIN.search(text)
        or _told_as_a_statement(text)
        or _told_as_a_statement(read)
        or own_condition
    ):
        return False
    return speaks_of_pain(analysis, own_condition)


def speaks_of_pain(analysis: Analysis, own_condition: bool = False) -> bool:
    """A pain word, a symptom or a condition of one's own, with where it is or what brings
    it on ("is it normal to still have back pain 2 weeks after lifting?"), whoever's it is."""
    text = " ".join(analysis.text.lower().replace("’", "'").split())
    read = analysis.normalised or text
    felt = bool(PAIN_WORDS.search(text) or PAIN_WORDS.search(read)) or bool(analysis.ids("symptom")) or own_condition
    where = (
        bool(analysis.ids("body_location"))
        or bool(OTHER_PLACES.search(text))
        or bool(analysis.ids("activity"))
        or bool(analysis.ids("side"))
        or own_condition
        # "sciatica flared up again, worse than usual this time": a condition of the back or
        # leg is where it is (set 10: a cauda equina story got the page about sciatica).
        or bool(PAIN_WORDS.search(text) and analysis.topics("condition"))
    )
    return felt and where


QUESTION_START = re.compile(r"^\W*(can|could|does|do|is|are|what|which|why|how|will|would|should|when|where|who)\b")


def _told_as_a_statement(text: str) -> bool:
    """ "hiya, bk pain n stiffness evry morning. gp said its mechanical?": a pain told
    without "I" or "my" in a sentence that is not a question is the person's own."""
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        body = re.sub(r"^\W*(hi+|hiya|hey|hello|morning|evening|ok|so|well)\b\W*", "", sentence)
        if body and not body.rstrip().endswith("?") and not QUESTION_START.search(body) and PAIN_WORDS.search(body):
            return True
    return False


# Intents a statement of one's own pain is taken for: the classifier hears the topic
# ("paracetamol", "sciatica", "work") and misses that the person speaks of themselves.
MISREAD_STATEMENTS = frozenset({ASK_TREATMENT, ASK_CONDITION, ASK_ANATOMY, OUT_OF_SCOPE, NLU_FALLBACK})
GENERAL_QUESTION = re.compile(r"^\W*(can|could|does|do|is|are|what|which|why|how|will|would|should)\b.*\?\s*$")


# What the questions are there to answer: "hurt my back lifting boxes at work, any ideas??"
# asks what it might be, not about work.
WHAT_IS_IT = re.compile(
    r"\b(any ideas?|what (could|might|can|would) (it|this|that) be|what('s| is) wrong( with me)?|"
    r"what (is|was) (it|this|that)|what do you (think|reckon)|what causes (it|this)|"
    # ... or whether the worry is out of proportion: "Am I overreacting?", "should I be worried?"
    r"am i (just )?(overreacting|over reacting|being (silly|daft|paranoid|a hypochondriac|dramatic))|"
    r"should i be (worried|concerned)|is it (something|anything) to worry about|"
    # "is it a slipped disc??", "could it be sciatica?" (usability review 9: a slipped disc
    # asked after the story got the page about driving).
    r"(is|could|might|can) (it|this|that)( be)? (a |an )?(?!ok\b|okay|safe|alright|fine|normal|worth|better|bad|best)"
    r"[a-z][a-z ]{1,30}?( or not)?)\W*$"
)


# A fear said about what one's own pain is ("I'm honestly scared this is something serious like
# cancer", set 8): about the person's own body, so it leads to the questions that can tell.
FEARS_WHAT_IT_IS = re.compile(
    r"\b(i'?m|i am|im|i feel|i get|i keep getting) (so |really |honestly |a bit |very |quite |just |terribly )*"
    r"(scared|worried|afraid|frightened|terrified|anxious|panicking|paranoid)\b.{0,20}"
    r"(\b(this|it)( is|'s| could be| might be| may be| must be| will be)\b|"
    # ... or of where it leads: "terrified i'll end up in a wheelchair like my dad" (set 8).
    r"\bi('ll| will| might| could| may)( \w+)? (end up|need|lose|never|not be able))"
)


def fears_what_own_pain_is(intent: Optional[str], text: str) -> bool:
    lowered = " ".join((text or "").lower().replace("’", "'").split())
    return intent in MISREAD_STATEMENTS and bool(FEARS_WHAT_IT_IS.search(lowered))


def is_statement_of_own_pain(intent: Optional[str], text: str, analysis: Analysis) -> bool:
    """A message the classifier took for a question or a topic that tells of the person's
    own pain and asks nothing, or asks only what it might be: it is a description of pain
    (it leads to the questions)."""
    lowered = " ".join((text or "").lower().replace("’", "'").split())
    asks_only_what_it_is = bool(WHAT_IS_IT.search(lowered))
    return (
        intent in MISREAD_STATEMENTS
        and (asks_only_what_it_is or not REQUEST.search(lowered))
        and describes_own_pain(analysis)
    )


def own_pain_question_topic(text: str, analysis: Analysis) -> Optional[str]:
    """The treatment topic a question about one's own pain asks about ("my back is killing me,
    can i still go in to my shift?", "is it OK to drive with my back like this?"), or None: it
    is answered, and then the questions start."""
    lowered = " ".join((text or "").lower().replace("’", "'").split())
    normal = analysis.normalised or lowered
    if not (lowered.rstrip().endswith("?") or OWN_QUESTION_START.search(normal)):
        return None
    topics = topics_asked(analysis, "treatment")
    return topics[0] if topics and describes_own_pain(analysis) else None


# "is it a", "could this be", "might it be an": a condition named right after it is asked about.
IS_IT_A = re.compile(r"\b(is|could|might|can|would|may) (it|this|that|mine) (be |just |really )*")


def own_condition_asked(analysis: Analysis) -> Optional[str]:
    """The words of a question about one's own pain that name the condition it asks whether it
    is, with their article ("my back hurts since a long drive. is it a slipped disc??" -> "a
    slipped disc"), or None."""
    if not describes_own_pain(analysis):
        return None
    source = analysis.text or ""
    asking = [m.end() for m in IS_IT_A.finditer(source.lower().replace("’", "'"))]
    mention = next(
        (
            m
            for m in analysis.mentions
            if m.label == "condition" and any(0 <= m.start - end <= 3 for end in asking) and m.status != ABSENT
        ),
        None,
    )
    if mention is None:
        return None
    article = re.search(r"\b(an?|the)\s+$", analysis.text[: mention.start].lower())
    return (article.group(1) + " " if article else "") + mention.text.lower()


def topics_asked(analysis: Analysis, label: str) -> List[str]:
    """The topics of the question, not of the story before it: "hurts since a long drive 4
    days ago. is it a slipped disc??" asks about a disc, not about driving (usability review
    9: the answer was about work and driving)."""
    topics = analysis.topics(label)
    asked = _question_spans(analysis.text or "")
    if not asked:
        return topics
    inside = {m.id for m in analysis.mentions if m.label == label and any(a <= m.start < b for a, b in asked)}
    return [t for t in topics if t in inside]


def _question_spans(text: str) -> List[Tuple[int, int]]:
    """Where the sentences that end with a question mark are, when there are any and
    they are not the whole message."""
    spans, start = [], 0
    for match in re.finditer(r"[.!?]+", text):
        if "?" in match.group() and text[start : match.start()].strip():
            spans.append((start, match.end()))
        start = match.end()
    return spans if spans and (spans[0][0] > 0 or len(spans) > 1 or spans[0][1] < len(text.rstrip())) else []


# The screen's own direct questions (concepts.yml): "should I see a doctor?", "do I need to go to
# hospital?", "is it serious?" (bot/turn.py answers them).
WHAT_TO_DO_CONCEPTS = ("who_to_see", "where_to_go", "asks_if_serious", "asks_about_work", "asks_about_gym")


def asks_what_to_do_about_own_pain(text: str, analysis: Analysis) -> bool:
    """ "Should I see a doctor about my back? It's been sore for 6 weeks", "do i need to go to
    hospital, my back spasmed": a question about one's own pain, so a description of it too."""
    asked = any(c in analysis.concepts for c in WHAT_TO_DO_CONCEPTS)
    if asked and MY_BODY.search(" ".join((text or "").lower().replace("’", "'").split())):
        return True  # "whether I ought to be seen by someone about my back" (set 8): no pain word needed
    return (asked or own_pain_question_topic(text, analysis) is not None) and describes_own_pain(analysis)


# The person's own back or leg, named: asked about, it is their pain they ask about.
MY_BODY = re.compile(
    r"\b(my|me) (lower |low |upper |bad |sore )?(back|spine|leg|legs|hip|hips|neck|sciatica|bum|buttock)\b"
)


def is_general_question(intent: Optional[str], text: str) -> bool:
    """A question about pain in general ("can kidney problems feel like back pain?") that
    the classifier took for a description: it says nothing of the person's own body."""
    lowered = " ".join((text or "").lower().replace("’", "'").split())
    return intent == DESCRIBE_PAIN and bool(GENERAL_QUESTION.search(lowered)) and not FIRST_PERSON.search(lowered)


# A question put in the first person ("shud i go back to work with my back like this",
# "can i still go to wrk tho"); "can't", "don't" and the like open statements, not questions.
OWN_QUESTION_START = re.compile(
    r"^\W*(can|could|should|shall|do|does|is|will|would|am|what|how|when|why)\b(?!\s*not\b|['’]?t\b|n['’]?t\b)"
)
# Only what to do (work, physio, exercise): "is it sciatica? my leg hurts" stays a description
# and starts the questions that can tell.
TOPIC_QUESTIONS = {"treatment": ASK_TREATMENT}
# What the classifier says when it cannot place a message: a question that names a topic
# ("Paracetamol?", "and surgery?") is a question about it, not "I didn't understand". (A bare
# "paracetamol" may be the answer to "what eases it?": the form reads it.)
UNPLACED_INTENTS = frozenset({NLU_FALLBACK, OUT_OF_SCOPE})
ANY_TOPIC_QUESTION = {"treatment": ASK_TREATMENT, "condition": ASK_CONDITION, "anatomy_topic": ASK_ANATOMY}


def question_about_a_topic(intent: Optional[str], text: str, analysis: Analysis) -> Optional[str]:
    """The question intent for a question about a topic the content answers that the
    classifier took for a description of pain ("should I go back to work with my back like
    this?" is about work and daily life), or None. The person's pain said in it is still
    heard: the answer offers the questions."""
    lowered = " ".join((text or "").lower().replace("’", "'").split())
    named = _topic_named_alone(lowered)
    if named is not None:
        return named  # a menu item typed back ("Non-specific low back pain", usability review 7)
    normal = analysis.normalised or lowered  # text-speak read: "shud i" is "should i"
    if not (lowered.endswith("?") or OWN_QUESTION_START.search(normal)):
        return None
    if intent in UNPLACED_INTENTS:
        labels = ANY_TOPIC_QUESTION
    elif intent == DESCRIBE_PAIN:
        labels = TOPIC_QUESTIONS
    elif intent in SHORT_ANSWER_INTENTS and OWN_QUESTION_START.search(normal):
        # "can I dig in garden or not?" (usability review 7): "or not" is no "I don't know".
        labels = ANY_TOPIC_QUESTION
    else:
        return None
    return next((labels[label] for label in labels if topics_asked(analysis, label)), None)


SHORT_ANSWER_INTENTS = frozenset({AFFIRM, DENY, DONT_KNOW})


def _topic_named_alone(lowered: str) -> Optional[str]:
    """The question intent for a message that is only the name of a condition, treatment or
    part of the spine as the topic menu lists it, or None."""
    wanted = lowered.strip(" .?!")
    content = get_content()
    for intent, topics in ((ASK_CONDITION, content.conditions), (ASK_TREATMENT, content.treatments)):
        if any(topic.name.lower() == wanted for topic in topics.values()):
            return intent
    return ASK_ANATOMY if any(topic.name.lower() == wanted for topic in content.anatomy.values()) else None


# Saying goodbye, or thanks-and-leave, in any words ("thanks, bye", "I'll leave it there",
# "got to go"): the interview, or the topic, ends with the consult advice.
LEAVING = re.compile(
    r"\b(bye+|goodbye|good bye|cya|ttyl|ta[- ]ra|laters|got to go|gotta go|have to go now|need to go now|"
    r"must go|got to run|gotta run|have to run|got to dash|gotta dash|leave it there|leave it at that|"
    r"leave it for now|leave it for today|(that'?s|thats) (enough|all)( for (now|today))?|enough for (now|today)|"
    r"speak (soon|later)|talk (soon|later)|see (you|ya)|catch you later|i'?m off now|signing off|"
    # "my son is calling me for the car. I will come back later" (set 8).
    r"(i will|i'll|ill|i shall) (come back|be back|continue|carry on|finish)( to this| this)? (later|tomorrow|another time)|"
    r"(is|are) calling me|have to leave now|need to leave now|must leave now|"
    r"(that'?s|thats) it (from me|for (now|today))|(i think )?that covers (it|everything)|i'?m (all )?done( now)?|"
    r"(that'?s|thats) (everything|all),? (thanks|thank you|cheers|ta))\b"
    # A message that is only "done" or "finished".
    r"|^\W*(all )?(done|finished)\W*$"
)


# "Yes please, that would be very kind of you. Thank you." (usability review 8): a yes with
# thanks; "yes but ...", "yes it hurts when ..." and a question say more than yes.
YES_FIRST = re.compile(r"^\W*(yes|yeah|yea|yep|yup|aye|ok|okay|sure|please do|go on|go ahead)\b")
MORE_THAN_YES = re.compile(r"\b(but|though|except|only|not|no|hurts?|pain|worse|better)\b|\?")


# "is it a slipped disc??", "could this be sciatica", "do I have a trapped nerve?"
ASKS_IF_IT_IS = re.compile(
    r"^\W*(so |but |and )?(is|could|might|can|would) (it|this|that|mine) (be |just )?|"
    r"^\W*(so |but |and )?(do|could|might) i (have|have got|be having)\b|\bis it (a |an )?\w+( \w+)?\W*$"
)


def asks_if_it_is(text: str) -> bool:
    return bool(ASKS_IF_IT_IS.search(" ".join((text or "").lower().replace("’", "'").split())))


def told_before_a_question(text: str) -> str:
    """The sentences of a message before its first question ("hot water bottle helps. so
    should I go into work?" -> "hot water bottle helps"), or ""."""
    told = []
    for sentence in re.findall(r"[^.!?]+[.!?]*", text or ""):
        lowered = " ".join(sentence.lower().split())
        if "?" in sentence or OWN_QUESTION_START.search(re.sub(r"^\W*(so|and|but|also|ok|okay)\b\W*", "", lowered)):
            break
        told.append(sentence.strip())
    return " ".join(told)


def opens_with_yes(text: str) -> bool:
    lowered = " ".join((text or "").lower().replace("’", "'").split())
    return bool(YES_FIRST.search(lowered)) and not MORE_THAN_YES.search(lowered)


def is_leaving(text: str) -> bool:
    """The person is saying goodbye, whatever else the message says."""
    return bool(LEAVING.search(" ".join((text or "").lower().replace("’", "'").split())))
