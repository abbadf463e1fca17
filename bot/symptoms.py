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
    DURATIONS,
    NO,
    NO_NERVE_SYMPTOMS,
    NO_SPREAD,
    SEVERITIES,
    SPREADS,
    SPREADS_BELOW_KNEE,
    UNKNOWN,
    YES,
)
from bot.nlp import ABSENT, PRESENT, Analysis

NERVE_SYMPTOMS = ("numbness", "tingling", "weakness")
# Where places are, and which account of how it started is the most serious, are content
# (lexicon.yml: `region`, `onset_order`), so a new place or onset needs no code.
BELOW_KNEE = get_content().locations(contract.BELOW_KNEE)
SPREAD_TARGETS = get_content().locations(contract.LIMB, contract.BELOW_KNEE)
BACK_LOCATIONS = get_content().locations(contract.BACK)
ACUTE_DAYS, CHRONIC_DAYS = 42, 84
ONSET_SERIOUSNESS = list(get_content().onset_order)


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
        self._update_places(analysis, correcting, question)
        self._update_symptoms(analysis.ids("symptom"), analysis.ids("symptom", ABSENT))
        self._update_activities(analysis)
        onsets = analysis.ids("onset")
        if onsets:
            # The most serious account of how it started is kept.
            self.pain_onset = sorted(onsets, key=ONSET_SERIOUSNESS.index)[0]
        risks = analysis.ids("risk_factor")
        if risks:
            self.risk_factors = self._add(self.risk_factors, risks)
        self._update_numbers(analysis, question)

    def _update_places(self, analysis: Analysis, correcting: bool, question: Optional[str]) -> None:
        """Where it hurts, where it spreads to, and which side."""
        locations = analysis.ids("body_location")
        sides = analysis.ids("side")
        if "both_legs" in sides and "leg" not in locations:
            locations.append("leg")
        spreading = "pain_spreading" in analysis.ids("symptom") or (
            question == "pain_spreads" and any(loc in SPREAD_TARGETS for loc in locations)
        )
        if locations:
            self._place(locations, spreading, correcting)
        if spreading:
            self.pain_spreads = YES
        elif "pain_spreading" in analysis.ids("symptom", ABSENT):
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

    def _update_activities(self, analysis: Analysis) -> None:
        """Each activity mentioned makes the pain worse, or better when its clause says so."""
        for mention in analysis.mentions:
            if mention.label != "activity" or mention.status != PRESENT:
                continue
            if _says_easier(_clause_around(analysis.text, mention.start, mention.end)):
                self.easing_factors = self._add(self.easing_factors, [mention.id])
                self.aggravating_factors = self._remove(self.aggravating_factors, [mention.id])
            else:
                self.aggravating_factors = self._add(self.aggravating_factors, [mention.id])
                self.easing_factors = self._remove(self.easing_factors, [mention.id])

    def _update_numbers(self, analysis: Analysis, question: Optional[str]) -> None:
        if analysis.duration_days is not None:
            self.set_duration(analysis.duration_days)
        if analysis.severity is not None and (not analysis.severity_bare or question == "pain_severity"):
            self.pain_severity = float(analysis.severity)
        if analysis.age is not None:
            self.age = float(analysis.age)

    def set_duration(self, days: float) -> None:
        self.pain_duration_days = float(days)
        acute, subacute, chronic = DURATIONS
        self.pain_duration = acute if days < ACUTE_DAYS else subacute if days < CHRONIC_DAYS else chronic

    # -- reading ---------------------------------------------------------------
    def features(self) -> Set[str]:
        features = self._place_features() | self._number_features()
        for symptom in (self.nerve_symptoms or []) + (self.other_symptoms or []):
            features.add(f"symptom:{symptom}")
        if self.nerve_symptoms is not None and not self.nerve_symptoms:
            features.add(NO_NERVE_SYMPTOMS)
        features.update(f"worse:{activity}" for activity in self.aggravating_factors or [])
        features.update(f"better:{activity}" for activity in self.easing_factors or [])
        if self.pain_onset and self.pain_onset != UNKNOWN:
            features.add(f"onset:{self.pain_onset}")
        features.update(f"risk:{risk}" for risk in self.risk_factors or [])
        return features

    def _place_features(self) -> Set[str]:
        features = {f"location:{loc}" for loc in (self.pain_location or []) + (self.spread_to or [])}
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

    def has_anything(self) -> bool:
        return any(value not in (None, [], UNKNOWN) for value in self.to_slots().values())


EASING_WORDS = (
    "better",
    "eases",
    "ease",
    "easier",
    "helps",
    "help",
    "relieves",
    "relief",
    "improves",
    "goes away",
    "settles",
    "less pain",
    "soothes",
    "calms",
)


CLAUSE_BREAK = re.compile(r"[,.;!?]|\bbut\b|\bwhile\b|\bwhereas\b|\band it\b|\band its\b|\band it's\b")


def _clause_around(text: str, start: int, end: int) -> str:
    """The part of a sentence a phrase belongs to ("worse when I walk, eases when I sit")."""
    breaks = [m for m in CLAUSE_BREAK.finditer(text.lower())]
    left = max([m.end() for m in breaks if m.end() <= start], default=0)
    right = min([m.start() for m in breaks if m.start() >= end], default=len(text))
    return text[left:right]


def _says_easier(text: str) -> bool:
    lowered = f" {text.lower()} "
    if any(
        w in lowered
        for w in (
            " worse",
            " hurts",
            " aggravat",
            " painful",
            " makes it bad",
            "doesn't help",
            "does not help",
            "doesnt help",
            "no help",
        )
    ):
        return False
    return any(f" {w}" in lowered for w in EASING_WORDS)


CORRECTION_CUES = (
    "actually",
    "i meant",
    "i mean",
    "sorry",
    "correction",
    "not my",
    "rather",
    "no wait",
    "wait no",
    "i was wrong",
    "not the",
    "my mistake",
)


def is_correction(text: str) -> bool:
    """The person is correcting an earlier answer ("actually it's my left leg")."""
    lowered = " ".join((text or "").lower().replace(",", " ").split())
    return lowered.startswith("no ") or any(cue in lowered for cue in CORRECTION_CUES)
