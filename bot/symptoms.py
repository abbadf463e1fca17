"""The symptom model: what a person has told us, kept as plain data.

``SymptomRecord`` is built from the Rasa slots, updated from an ``Analysis`` of each
message (later statements correct earlier ones: "actually it's my left leg"), and
turned back into slots. ``features()`` gives the strings ``ranking`` matches against
the content module's indicators.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from typing import Any, Dict, List, Mapping, Optional, Set

from bot import contract
from bot.content import get_content
from bot.contract import (
    AGE_AT_ONSET_LIMITS,
    AGE_BANDS,
    AGE_OVER_50,
    AGE_UNDER_20,
    DURATIONS,
    MOODS,
    NO,
    NO_NERVE_SYMPTOMS,
    NO_SPREAD,
    SEVERITIES,
    SPREADS,
    SPREADS_BELOW_KNEE,
    UNKNOWN,
    YES,
)
from bot.nlp import ABSENT, HISTORICAL, PRESENT, Analysis, Mention, analyse

NERVE_SYMPTOMS = ("numbness", "tingling", "weakness")
# Where places are, and which account of how it started is the most serious, are content
# (lexicon.yml: `region`, `onset_order`), so a new place or onset needs no code.
BELOW_KNEE = get_content().locations(contract.BELOW_KNEE)
SPREAD_TARGETS = get_content().locations(contract.LIMB, contract.BELOW_KNEE)
BACK_LOCATIONS = get_content().locations(contract.BACK)
ACUTE_DAYS, CHRONIC_DAYS = 42, 84
ONSET_SERIOUSNESS = list(get_content().onset_order)
# Questions whose answers say where the pain is; elsewhere a place named belongs to
# something else ("tingling in my fingers", "crossing my legs", "numb down below").
PLACE_QUESTIONS = (None, "pain_location", "pain_spreads")
# Questions whose answers name activities that change the pain, each in one direction
# (elsewhere, the opening included, an activity only counts when its clause says what it
# does: "sitting makes it worse"; "I work as a carer, lifting patients" says neither).
ACTIVITY_QUESTIONS = ("aggravating_factors", "easing_factors")
DURATION_QUESTIONS = (None, "pain_onset", "pain_duration")
NERVE_UNSPECIFIED = "unspecified"  # "yes, in two of my fingers": some of the three, not said which
# "stops above the knee", "not past the knee": a place named as a limit is not where it hurts.
LIMIT = re.compile(
    r"\b(stops? (just )?(at|above|before|short of)|short of|not (past|below|beyond|as far as)|"
    r"(doesn't|doesnt|does not|never) (go |get |reach )?(past|below|beyond|as far as))\s+(the |my |your )?$",
    re.I,
)
# "I take steroid tablets every day for my chest": what a medicine or a treatment is for is
# not where it hurts (usability review 10: summarised "it spreads to your chest").
TREATED_FOR = re.compile(
    r"\b(tablets?|pills?|medicines?|medication|inhalers?|steroids?|prednisolone|injections?|cream|"
    r"treatment|treated|physio|operation|surgery)\b[^.,;!?]{0,30}\bfor (my|the|his|her|their|your)\s+$",
    re.I,
)
LIMB_WORDS = re.compile(r"\b(legs?|feet|foot|thighs?|calf|calves|ankles?|knees?)\b")
# "had a heart attack 2 years ago": an illness named and said as past is background
# (risk_factors), not a symptom now.
NAMED_ILLNESS_SUFFIX = "_named"
# "right down into the calf", "right across the middle": "right" meaning "all the way".
INTENSIFIER = re.compile(r"\s+(down|across|through|into|up|round|around|over|along|to|at|in)\b", re.I)


# A score said as a question or a guess: "like a 5?", "maybe 6??", "7 i guess?".
# "7-8" (a button, or typed): a range, kept as said; the higher number counts.
SCORE_RANGE = re.compile(
    r"\b(10|\d)\s*(?:-|\u2013|to)\s*(10|\d)\b(?!\s*(?:hours?|days?|weeks?|months?|years?|times?))", re.I
)
UNSURE_SCORE = re.compile(r"\b(10|\d)(\s*/\s*10)?\s*\?|\b(10|\d)\s+i (guess|think|suppose)\b", re.I)


@dataclass
class SymptomRecord:
    # Slot name -> value. A value of None means "not asked or said yet".
    pain_location: Optional[List[str]] = None
    pain_side: Optional[List[str]] = None
    pain_spreads: Optional[str] = None  # "yes", "no" or "unknown"
    spread_to: Optional[List[str]] = None
    nerve_symptoms: Optional[List[str]] = None  # [] = none of numbness/tingling/weakness
    other_symptoms: Optional[List[str]] = None
    denied_symptoms: Optional[List[str]] = None
    aggravating_factors: Optional[List[str]] = None
    easing_factors: Optional[List[str]] = None
    pain_onset: Optional[str] = None
    pain_duration_days: Optional[float] = None
    pain_duration: Optional[str] = None  # "acute", "subacute", "chronic" or "unknown"
    pain_severity: Optional[Any] = None  # 0-10, or "unknown" when they could not say
    age: Optional[float] = None
    risk_factors: Optional[List[str]] = None
    nerve_places: Optional[List[str]] = None  # where the numbness / tingling / weakness is
    unsure_about: Optional[List[str]] = None  # questions answered "not sure" (or never understood)
    feelings: Optional[List[str]] = None  # moods said about the pain (MOODS), whatever was asked
    # question -> the person's words for an answer not understood (None: they answered
    # another question instead, so there is nothing to show for this one)
    own_words: Optional[Dict[str, Optional[str]]] = None

    @classmethod
    def slot_names(cls) -> List[str]:
        return [f.name for f in fields(cls)]

    @classmethod
    def from_slots(cls, slots: Mapping[str, Any]) -> "SymptomRecord":
        return cls(**{name: slots.get(name) for name in cls.slot_names()})

    def to_slots(self) -> Dict[str, Any]:
        return {name: getattr(self, name) for name in self.slot_names()}

    # -- updating --------------------------------------------------------------
    @staticmethod
    def _add(current: Optional[List[str]], new: List[str]) -> List[str]:
        result = list(current or [])
        for item in new:
            if item not in result:
                result.append(item)
        return result

    @staticmethod
    def _remove(current: Optional[List[str]], gone: List[str]) -> Optional[List[str]]:
        if current is None:
            return None
        return [item for item in current if item not in gone]

    def update(self, analysis: Analysis, correcting: bool = False, question: Optional[str] = None) -> None:
        """Fold one message's findings in.

        ``correcting``: the message corrects an earlier answer. ``question``: the
        interview question it answers, if any ("below the knee" answers "does it spread?").
        """
        if question in PLACE_QUESTIONS or correcting:
            self._update_places(analysis, correcting, question)
        elif question == "nerve_symptoms":
            places = [loc for loc in analysis.ids("body_location") if loc not in BACK_LOCATIONS]
            if places:
                self.nerve_places = self._add(self.nerve_places, places)
        past = [s for s in analysis.ids("symptom", HISTORICAL) if s.endswith(NAMED_ILLNESS_SUFFIX)]
        if past:
            self.risk_factors = self._add(self.risk_factors, past)
        current = [s for s in analysis.ids("symptom") if s not in past]
        self._update_symptoms(current, analysis.ids("symptom", ABSENT))
        self._update_activities(analysis, question)
        onsets = [o for o in analysis.ids("onset") if not _said_as_what_makes_it_worse(analysis, o, question)]
        onsets += _journey_that_brought_it_on(analysis)
        if onsets:
            # The most serious account of how it started is kept.
            self.pain_onset = sorted(onsets, key=ONSET_SERIOUSNESS.index)[0]
        risks = analysis.ids("risk_factor")
        if risks:
            self.risk_factors = self._add(self.risk_factors, risks)
        self._update_numbers(analysis, question, correcting)

    def _update_places(self, analysis: Analysis, correcting: bool, question: Optional[str]) -> None:
        """Where it hurts, where it spreads to, and which side."""
        places = [
            m
            for m in analysis.mentions
            if m.label == "body_location"
            and m.status == PRESENT
            and not _adverb_back(analysis.text, m)
            and not LIMIT.search(analysis.text[: m.start])
            and not TREATED_FOR.search(analysis.text[: m.start])
        ]
        # "is that my back? no actual back pain": a place the message also says is fine is not
        # where it hurts.
        fine = {m.id for m in analysis.mentions if m.label == "body_location" and m.status == ABSENT}
        places = [m for m in places if m.id not in fine]
        locations = [m.id for m in places]
        side_mentions = [
            m
            for m in analysis.mentions
            if m.label == "side" and m.status == PRESENT and not INTENSIFIER.match(analysis.text[m.end :])
        ]
        if places and not any(LIMB_WORDS.search(m.text.lower()) for m in places):
            # "across my lower back, both sides", "bum both sides": the sides of the place
            # said, not both legs.
            side_mentions = [m for m in side_mentions if m.id != "both_legs" or LIMB_WORDS.search(m.text.lower())]
        sides = [m.id for m in side_mentions]
        if "both_legs" in sides and "leg" not in locations:
            locations.append("leg")
        spreading = "pain_spreading" in analysis.ids("symptom") or (
            question == "pain_spreads" and any(loc not in (self.pain_location or []) for loc in locations)
        )
        if locations and question == "pain_spreads" and not correcting:
            # The answer to "does it spread?" names where it goes: every place said that
            # is not already where it hurts ("round to my ribs", "into my groin").
            self.spread_to = self._add(
                self.spread_to, [loc for loc in locations if loc not in (self.pain_location or [])]
            )
        elif locations:
            self._place(locations, spreading, correcting)
        if spreading:
            self.pain_spreads = YES
        elif "pain_spreading" in analysis.ids("symptom", ABSENT) or (
            question == "pain_spreads" and _stays_put(analysis.text, fine, locations, self.pain_location or [])
        ):
            self.pain_spreads = NO
            self.spread_to = []
        if self.pain_location and self.pain_spreads is None:
            back = [loc for loc in self.pain_location if loc in BACK_LOCATIONS]
            limbs = [loc for loc in self.pain_location if loc in SPREAD_TARGETS]
            if back and limbs:
                self.pain_spreads = YES
                self.spread_to = self._add(self.spread_to, limbs)
        # "left" / "right" only describe the pain next to a body part or as an answer
        # about where it is ("that's right" is not a side).
        if sides and (locations or question in ("pain_location", "pain_spreads")):
            self.pain_side = sides if correcting else self._add(self.pain_side, sides)

    def _place(self, locations: List[str], spreading: bool, correcting: bool) -> None:
        origin = [loc for loc in locations if loc in BACK_LOCATIONS or loc not in SPREAD_TARGETS]
        limb = [loc for loc in locations if loc in SPREAD_TARGETS]
        if spreading and limb:
            if origin:
                self.pain_location = self._add(None if correcting else self.pain_location, origin)
            self.spread_to = self._add(None if correcting else self.spread_to, limb)
        else:
            self.pain_location = self._add(None if correcting else self.pain_location, locations)

    def _update_symptoms(self, symptoms: List[str], denied: List[str]) -> None:
        nerve = [s for s in symptoms if s in NERVE_SYMPTOMS]
        nerve_denied = [s for s in denied if s in NERVE_SYMPTOMS]
        if nerve:
            self.nerve_symptoms = self._add(self.nerve_symptoms, nerve)
        if nerve_denied:
            self.nerve_symptoms = self._remove(self.nerve_symptoms, nerve_denied) or []
        others = [s for s in symptoms if s not in NERVE_SYMPTOMS and s != "pain_spreading"]
        if others:
            self.other_symptoms = self._add(self.other_symptoms, others)
        if denied:
            self.denied_symptoms = self._add(self.denied_symptoms, denied)
            self.other_symptoms = self._remove(self.other_symptoms, denied)
        # Once something is said again as present, it is no longer denied.
        if symptoms and self.denied_symptoms:
            self.denied_symptoms = self._remove(self.denied_symptoms, symptoms)

    def _update_activities(self, analysis: Analysis, question: Optional[str] = None) -> None:
        """Each activity mentioned makes the pain worse, or better when its clause says so.

        What a clause says wins; without a word either way, the answer to "what eases
        it?" is an easing factor and anything else an aggravating one.
        """
        for mention in analysis.mentions:
            # "sitting for a long time at my desk" is how long one sits, not a thing of the past.
            if mention.label != "activity" or mention.status not in (PRESENT, HISTORICAL):
                continue
            clause = _clause_around(analysis.text, mention.start, mention.end)
            if CAUSED_IT.search(clause.lower().replace("’", "'")):
                # "hurt my back lifting at work": how it started, not what makes it worse.
                if mention.id in ONSET_FROM_ACTIVITY and self.pain_onset in (None, UNKNOWN):
                    self.pain_onset = ONSET_FROM_ACTIVITY[mention.id]
                continue
            says = _polarity(clause)
            if says is None:
                # A list goes on in the direction it began: "getting up and walking around
                # helps, and a hot water bottle" (usability review 7: heat filed as worse).
                says = (
                    _polarity(_sentence_before(analysis.text, mention.start))
                    if _continues_a_list(analysis.text, mention.start)
                    else None
                )
            if says == NEITHER or (says is None and question not in ACTIVITY_QUESTIONS):
                # "lifting a suitcase", said as how it started, is not what makes it worse.
                continue
            easier = says == EASIER or (says is None and question == "easing_factors")
            own, other = (
                ("easing_factors", "aggravating_factors") if easier else ("aggravating_factors", "easing_factors")
            )
            if says is None and mention.id in (getattr(self, other) or []):
                continue  # said before as the opposite, and nothing here says otherwise
            setattr(self, own, self._add(getattr(self, own), [mention.id]))
            if mention.id in (getattr(self, other) or []):
                # Emptied by a change of mind, the other list is unknown again, not "nothing".
                setattr(self, other, self._remove(getattr(self, other), [mention.id]) or None)

    def _update_numbers(self, analysis: Analysis, question: Optional[str], correcting: bool = False) -> None:
        # A number said in answer to another question is often about something else: "I
        # had cancer 3 years ago" is not how long the pain has lasted, "wakes me at 4am" not
        # how bad it is, "it loosens up after 20 minutes" not how long it has lasted. A
        # duration said with where it hurts is kept when none is known yet.
        if (
            analysis.duration_days is not None
            and not _how_it_came_on(analysis.text)
            and (
                (question in DURATION_QUESTIONS and question is not None)
                or correcting
                # Unasked, "on steroid tablets for years" is how long the tablets, not the pain (set 9)
                or (
                    (question is None or (self.pain_duration_days is None and question in PLACE_QUESTIONS))
                    and not _when_of_something_else(analysis)
                )
            )
        ):
            self.set_duration(_last_duration(analysis) if question == "pain_onset" else analysis.duration_days)
            # "on and off for years": the days are a guess, so the summary quotes the words.
            words = dict(self.own_words or {})
            if analysis.duration_as_said:
                words["pain_duration"] = analysis.duration_as_said
            else:
                words.pop("pain_duration", None)
            self.own_words = words or None
        rated = bool(re.search(r"\b(10|\d)\s*(/|out of)\s*(10|ten)\b", analysis.text.lower()))
        if analysis.severity is not None and (
            (not analysis.severity_bare and question is None) or question == "pain_severity" or correcting or rated
        ):
            self.pain_severity = float(analysis.severity)
            # "like a 5?": a guess, so the summary quotes the words rather than state a score.
            words = dict(self.own_words or {})
            scored = SCORE_RANGE.search(analysis.text)
            if scored and int(scored.group(1)) < int(scored.group(2)):
                self.pain_severity = float(scored.group(2))
                words["pain_severity"] = f"{scored.group(1)}-{scored.group(2)}"
            elif UNSURE_SCORE.search(analysis.text):
                words["pain_severity"] = analysis.text.strip()
            else:
                words.pop("pain_severity", None)
            self.own_words = words or None
        if analysis.age is not None:
            self.age = float(analysis.age)
        elif correcting and self.age is not None:
            # "69. Typo, sorry." after "96": a bare number that can be an age corrects it (set 8).
            bare = BARE_AGE.match(analysis.text.strip())
            if bare and 16 <= int(bare.group(1)) <= 110 and float(bare.group(1)) != self.age:
                self.age = float(bare.group(1))

    def set_duration(self, days: float) -> None:
        self.pain_duration_days = float(days)
        acute, subacute, chronic = DURATIONS
        self.pain_duration = acute if days < ACUTE_DAYS else subacute if days < CHRONIC_DAYS else chronic

    # -- reading ---------------------------------------------------------------
    def features(self) -> Set[str]:
        features = self._place_features() | self._number_features()
        for symptom in (self.nerve_symptoms or []) + (self.other_symptoms or []):
            if symptom != NERVE_UNSPECIFIED:
                features.add(f"symptom:{symptom}")
        if self.nerve_symptoms is not None and not self.nerve_symptoms:
            features.add(NO_NERVE_SYMPTOMS)
        features.update(f"worse:{activity}" for activity in self.aggravating_factors or [])
        features.update(f"better:{activity}" for activity in self.easing_factors or [])
        if self.pain_onset and self.pain_onset != UNKNOWN:
            features.add(f"onset:{self.pain_onset}")
        features.update(f"risk:{risk}" for risk in self.risk_factors or [])
        features.update(f"mood:{mood}" for mood in self.feelings or [])
        return features

    def add_feelings(self, analysis: Analysis) -> bool:
        """ "it's really getting me down": kept for the result and the summary, whatever
        question the message answered. True when something new was added."""
        told = [mood for mood in MOODS if f"feeling_{mood}" in analysis.affirmed_concepts]
        new = [mood for mood in told if mood not in (self.feelings or [])]
        if new:
            self.feelings = self._add(self.feelings, new)
        return bool(new)

    def _place_features(self) -> Set[str]:
        places = (self.pain_location or []) + (self.spread_to or []) + (self.nerve_places or [])
        features = {f"location:{loc}" for loc in places}
        features.update(f"side:{side}" for side in self.pain_side or [])
        if self.pain_spreads == YES:
            features.add(SPREADS)
            if BELOW_KNEE & set(self.spread_to or []):
                features.add(SPREADS_BELOW_KNEE)
        elif self.pain_spreads == NO:
            features.add(NO_SPREAD)
        return features

    def _number_features(self) -> Set[str]:
        features = set()
        if self.pain_duration in DURATIONS:
            features.add(f"duration:{self.pain_duration}")
        if isinstance(self.pain_severity, (int, float)):
            mild, moderate, severe = SEVERITIES
            level = mild if self.pain_severity <= 3 else moderate if self.pain_severity <= 6 else severe
            features.add(f"severity:{level}")
        if self.age is not None:
            under_40, forty_to_60, over_60 = AGE_BANDS
            band = under_40 if self.age < 40 else forty_to_60 if self.age <= 60 else over_60
            features.add(f"age:{band}")
            if self.pain_duration_days is not None:
                onset_age = self.age - self.pain_duration_days / 365
                features.update(
                    f"age_at_onset:{band}" for band, limit in AGE_AT_ONSET_LIMITS.items() if onset_age < limit
                )
        return features

    def age_findings(self) -> Set[str]:
        """The age bands the red-flag rules use (new back pain over 50 or under 20)."""
        if self.age is None:
            return set()
        if self.age > 50:
            return {AGE_OVER_50}
        return {AGE_UNDER_20} if self.age < 20 else set()

    def has_anything(self) -> bool:
        return any(value not in (None, [], {}, UNKNOWN) for value in self.to_slots().values())


# "It came on over a day or two", "built up over a week": how fast it came, not how long ago.
CAME_ON_OVER = re.compile(
    r"\b(came|come|comes|coming|built|build|building|crept|creeping|developed|got worse|worsened)\b[^.;!?]{0,25}"
    r"\bover (a|an|the|one|two|three|four|five|six|a few|a couple|\d+)\b"
)


def _how_it_came_on(text: str) -> bool:
    """The only time said is how fast it came on ("came on over a day or two after...")."""
    lowered = (text or "").lower()
    return bool(CAME_ON_OVER.search(lowered)) and not re.search(r"\b(ago|since|for (about |around )?\d)", lowered)


def _last_duration(analysis: Analysis) -> float:
    """Told how and when it started, people say the when last: "came on slowly, I've had
    diabetes 15 years. About a year" is a year."""
    sentences = [s for s in re.split(r"[.;!?]+\s*", analysis.text) if s.strip()]
    for sentence in reversed(sentences if len(sentences) > 1 else []):
        read = analyse(sentence)
        if read.duration_days is not None and not _when_of_something_else(read):
            return read.duration_days
    return float(analysis.duration_days or 0)


# What a sentence can be about instead of the pain: another illness, a risk factor, a symptom
# of something else ("had cystitis last week" after "came on yesterday": set 8).
OTHER_ILLNESS_KINDS = frozenset({"risk_factor", "condition"})
OTHER_ILLNESS_SYMPTOMS = frozenset({"urinary_symptoms", "fever", "nausea_vomiting"})
THE_PAIN_ITSELF = frozenset({"body_location", "onset", "side", "activity"})


def _when_of_something_else(read: Analysis) -> bool:
    """The sentence's time is when another illness was, not when the pain began."""
    named = [m for m in read.mentions if m.status != ABSENT]
    if any(m.label in THE_PAIN_ITSELF for m in named):
        return False
    return any(m.label in OTHER_ILLNESS_KINDS or m.id in OTHER_ILLNESS_SYMPTOMS for m in named)


EASIER, WORSE, NEITHER = "easier", "worse", "neither"
# Words that say what a clause's activity does to the pain. Relief is often said as what
# the person has to do to make the pain stop: "I have to sit down", "then I can go again".
EASING = re.compile(
    r"\b(better|eases?|eased|easing|easier|helps?|helped|helping|relieves?|relief|improves?|"
    r"goes away|goes off|it goes|settles?|less pain|hurts less|less painful|soothes?|calms?|"
    r"loosens?|loosened|sorts? it|takes the edge off|(have|has|need|needs|had|got) to (sit|stop|lie|rest|lean|bend|stand)|"
    r"can go again|keeps? me going|the only thing|no problem|no pain|pain[- ]free|"
    r"(doesn't|doesnt|does not|don't|dont) hurt|fine|comfortable)\b"
)
WORSENING = re.compile(
    r"\b(worse|worsens?|hurts?|hurting|aggravat\w*|painful|agony|kills?|killing|sets? it off|triggers?|"
    r"brings? it on|makes it bad|(can't|cant|cannot) (sit|stand|walk|bend|lie)|sore|aches?|aching|"
    r"struggl\w*|throbs?|throbbing|shoots?|shooting|stiffens?|stiffen|twinges?|flares?|agony|"
    r"makes (it|me) (shoot|throb|flare|catch|stab|wince|limp|jump|scream)|hurts? to|stabs?|stabbing|"
    r"hard to|difficult|a nightmare|unbearable|jars?|catches|pain|stiff|numb|heavy|tingles?|tingling|cramps?|"
    r"cramping|seizes? up|locks? up|gives? way|tender)\b"
)
NO_HELP = re.compile(
    r"\b((doesn't|does not|doesnt|didn't|did not|don't|dont|won't|not|no|nothing) (really |much )?help"
    r"|(does|do|did) (nothing|fuck all|sod all|zilch)|(doesn't|does not|doesnt|don't|dont) do (anything|much)"
    r"|(doesn't|does not|doesnt|don't|dont) (really )?(change|make a difference|make any difference)|no difference)"
)


# A clause that says an activity brought the pain on: "hurt my back lifting", "did it
# bending down", "it started when I lifted the kids", "put my back out carrying boxes".
CAUSED_IT = re.compile(
    r"\b((hurt|injured|pulled|tweaked|strained|wrenched|jarred|twisted|ricked|cricked) (my|me|it|his|her|their)\b"
    r"|(did|done|put) (my|me|his|her|their) (back|neck|hip|disc)\b"
    r"|(started|began|begun|came on|happened|kicked off)( \w+){0,3} "
    r"(when|while|after|as|from|lifting|bending|carrying|twisting|picking)\b|did it\b|done it\b"
    # A time that places it once: "hurts after lifting my toddler's car seat 4 days ago"
    # (usability review 8: asked "How did it start?" after saying so).
    r"|\d+ (days?|weeks?|months?) ago|\b(a|one|two|three|four|five|six|few|couple of) (days?|weeks?) ago"
    r"|yesterday|last (night|week|wk|weekend|month)|this morning|on (monday|tuesday|wednesday|thursday|friday|saturday|sunday))"
)
# The onset an activity that brought the pain on stands for (lexicon.yml onset ids).
ONSET_FROM_ACTIVITY = {
    "lifting": "lifting_injury",
    "twisting": "lifting_injury",
    "bending_forward": "lifting_injury",
    "weight_training": "sport_strain",
}
# Onsets that are an activity, which a clause can also give as what makes the pain worse.
ACTIVITY_ONSETS = frozenset({"lifting_injury", "sport_strain", "chores_strain", "posture_strain"})


CLAUSE_BREAK = re.compile(
    r"[,.;!?]|\bbut\b|\bwhile\b|\bwhereas\b|\bthen\b|\bso\b|\buntil\b|\band (it|its|it's|i|then)\b"
)


# "back from Thailand", "came back", "go back to work": "back" that is not a body part.
BACK_ADVERB_AFTER = re.compile(r"^\s+(from|to|home|again|into|in|on|up|out|off|at|then)\b", re.I)
BACK_ADVERB_BEFORE = re.compile(
    r"\b(flight|flew|come|came|coming|get|got|getting|go|went|going|way|bring|brought|"
    r"call|ring|be|been|drive|drove|walk|walked|is|it's|its|was)\s+$",
    re.I,
)


BACK_OWNED = re.compile(r"\b(my|me|your|his|her|their|the|a|lower|upper|bad|sore|stiff|whole|middle)\s+$", re.I)


def _adverb_back(text: str, mention: Mention) -> bool:
    """ "back from Thailand" is not a body part; "done my back in" is."""
    if mention.id != "lower_back" or mention.text.lower() != "back":
        return False
    before = text[: mention.start]
    if BACK_OWNED.search(before):
        return False
    return bool(BACK_ADVERB_AFTER.match(text[mention.end :]) or BACK_ADVERB_BEFORE.search(before))


def _clause_around(text: str, start: int, end: int) -> str:
    """The part of a sentence a phrase belongs to ("worse when I walk, eases when I sit")."""
    breaks = [m for m in CLAUSE_BREAK.finditer(text.lower())]
    left = max([m.end() for m in breaks if m.end() <= start], default=0)
    right = min([m.start() for m in breaks if m.start() >= end], default=len(text))
    return text[left:right]


# "since a long drive 4 days ago", "after a long flight": the journey brought the pain on (the
# posture onset) besides being a risk factor for a clot (usability review 9: "How did it
# start?" was asked after it).
JOURNEY_ONSET = "posture_strain"
JOURNEY_WORDS = re.compile(r"\b(drive|flight|journey|car|coach)\b")
SINCE_OR_AFTER = re.compile(r"\b(since|after|from|following)\s+(a|an|the|my|our|that)?\s*$")


def _journey_that_brought_it_on(analysis: Analysis) -> List[str]:
    for mention in analysis.mentions:
        if mention.label != "risk_factor" or mention.id != "recent_immobility" or mention.status != PRESENT:
            continue
        before = analysis.text[: mention.start].lower()
        if JOURNEY_WORDS.search(mention.text.lower()) and SINCE_OR_AFTER.search(before):
            return [JOURNEY_ONSET]
    return []


def _said_as_what_makes_it_worse(analysis: Analysis, onset: str, question: Optional[str]) -> bool:
    """'Bending to pick up my daughter makes it worse' tells what makes it worse, not how it
    started (usability review 5: the summary said "it started after lifting or twisting")."""
    if question == "pain_onset" or onset not in ACTIVITY_ONSETS:
        return False
    clauses = [
        _clause_around(analysis.text, m.start, m.end) for m in analysis.mentions if m.label == "onset" and m.id == onset
    ]
    return bool(clauses) and all(
        _polarity(clause) == WORSE and not CAUSED_IT.search(clause.lower().replace("’", "'")) for clause in clauses
    )


STAYS = re.compile(r"\b(only|just|stays?|staying|nowhere else|not anywhere else)\b")


def _stays_put(text: str, fine: Set[str], said: List[str], where: List[str]) -> bool:
    """An answer to "does it spread?" that keeps the pain where it is: a limb said not to hurt
    ("only back. not go in leg", usability review 7), or only the places already known."""
    if fine & set(SPREAD_TARGETS):
        return not [loc for loc in said if loc not in where and loc not in fine]
    return bool(said) and set(said) <= set(where) and bool(STAYS.search(text.lower()))


def _sentence_before(text: str, start: int) -> str:
    """The sentence a phrase is in, up to the phrase."""
    ends = [m.end() for m in re.finditer(r"[.;!?]", text[:start])]
    return text[(ends[-1] if ends else 0) : start]


def _continues_a_list(text: str, start: int) -> bool:
    """The phrase follows ", and" or "and" (possibly "a" or "the"), within its sentence."""
    before = text[:start].lower().rstrip()
    return bool(re.search(r"(,|\band|,\s*and|\bor|\bplus|&)(\s+(a|an|the|my|some))?$", before))


def _polarity(clause: str) -> Optional[str]:
    """What a clause says its activity does: EASIER, WORSE, NEITHER ("lying down doesn't
    help") or None (it does not say)."""
    lowered = clause.lower().replace("’", "'")
    if NO_HELP.search(lowered):
        return NEITHER
    easing, worsening = EASING.search(lowered), WORSENING.search(lowered)
    if easing and worsening:
        # "sitting down eases the ache", "it hurts less lying down": the relief is the
        # point of the clause, unless it says "worse" outright.
        return WORSE if re.search(r"\bworse\b", lowered) else EASIER
    if easing:
        return EASIER
    return WORSE if worsening else None


BARE_AGE = re.compile(r"^\W*(\d{2,3})\b(?!\s*(/|out of|%|days?|weeks?|wks?|months?|years? ago|hours?))")
CORRECTION = re.compile(
    r"^\W*(actually|no wait|wait no|oops|sorry)\b|\b(i meant|i mean|correction|i was wrong|got (that|it) wrong|"
    r"mixed up|my mistake|sorry i|sorry it|not the (left|right)|not my|rather than|"
    # "69. Typo, sorry.", "3 wks actually not days sorry" (set 8).
    r"typo|mistyped|i typed|wrong number|actually,? not|not (days|weeks|wks|months|years|hours))\b"
)


def is_correction(text: str) -> bool:
    """The person is correcting an earlier answer ("actually it's my left leg").

    A plain "no, ..." answers a yes/no question, and "yes actually, ..." insists.
    """
    lowered = " ".join((text or "").lower().replace("’", "'").replace(",", " ").split())
    return bool(CORRECTION.search(lowered))
