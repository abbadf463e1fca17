"""Typed, validating loader for the content module.

Everything the assistant knows lives in the YAML files of ``bot/content/data``.
A clinic edits those files; this loader turns them into frozen dataclasses and
refuses to load anything inconsistent, naming the file and the entry at fault,
so a typo can never reach a person in pain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional, Tuple

import yaml

from bot.contract import (
    CODE_FINDINGS,
    DERIVED_FEATURES,
    EMERGENCY,
    FEATURE_PREFIXES,
    FINDING_KINDS,
    PATTERN_PREFIX,
    REGIONS,
    SCREENING_SLOTS,
    TRIAGE_LEVELS,
    URGENT,
)

DATA_DIR = Path(__file__).parent / "data"

CRISIS = "crisis"
# Placeholders the safety wording may use, filled from the deployment's settings
# (bot/settings.py) and, for `reasons`, with what the person said.
SAFETY_PLACEHOLDERS = frozenset(
    {"emergency_number", "urgent_contact", "gp", "emergency_department", "pharmacist", "crisis_contacts", "reasons"}
)
# Wording of the safety dialogue that red_flags.yml must provide (`dialogue`).
DIALOGUE_KEYS = (
    "if_now_emergency",
    "if_now_urgent",
    "if_now_crisis",
    "ask_if_now",
    "ask_if_new",
    "not_now",
    "not_new",
    "changed",
    "unsure_cauda_equina",
    "unsure_systemic",
    "unsure_other",
    "unsure_chest",
    "unsure_circulation",
    "unsure_crisis",
    "crisis_safe",
    "unsure_pregnancy",
    "check_no",
    "feeling_worried",
    "drive_emergency",
    "feeling_low",
    "feeling_frustrated",
    "feeling_worried_escalated",
    "feeling_low_escalated",
    "feeling_frustrated_escalated",
    "check_unprompted",
    "where_to_go_urgent",
    "result_safety_net",
    "result_safety_net_leg",
    "hold_the_line_emergency",
    "help_on_the_way_emergency",
    "no_plan",
    "plan_offer",
    "who_to_see_routine",
    "who_to_see_urgent",
    "asks_if_serious_routine",
    "asks_if_serious_routine_lasting",
    "asks_if_serious_urgent",
    "asks_if_serious_unknown",
    "asks_if_serious_interview",
    "appointment_made_routine",
    "under_16",
    "what_happens_there",
    "what_to_bring",
    "feeling_worried_after_result",
    "feeling_low_after_result",
    "feeling_frustrated_after_result",
    "help_on_the_way_urgent",
    "alarm_disputed_emergency",
    "alarm_disputed_urgent",
    "how_to_print",
    "asks_about_work_routine",
    "asks_about_work_unknown",
    "asks_about_work_interview",
    "asks_about_work_urgent",
    "asks_about_gym_routine",
    "asks_about_gym_unknown",
    "asks_about_gym_interview",
    "asks_about_gym_urgent",
    "asks_how_long_routine",
    "asks_how_long_routine_lasting",
    "asks_how_long_unknown",
    "asks_how_long_interview",
    "asks_how_long_urgent",
    "asks_about_mood_help_routine",
    "asks_about_mood_help_urgent",
    "hold_the_line_urgent",
    "safety_net",
    "closing",
    "stop_questions",
    "fallback",
    # the check-in a person asked for after a result (bot/checkins.py, issue 29)
    "checkin_question",
    "checkin_better",
    "checkin_same",
    "checkin_worse",
    "checkin_not_read",
    "checkins_stopped",
)
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")

TREATMENT_KINDS = ("self_care", "medicine", "professional", "surgery")


# Placeholders filled in from the deployment's settings when a text is shown. Only
# the texts listed here are filled in; anywhere else a brace would reach the person.
ESCALATION_PLACEHOLDERS = SAFETY_PLACEHOLDERS
ADVICE_PLACEHOLDERS = SAFETY_PLACEHOLDERS - {"reasons"}


class _UniqueKeyLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's safe loader when PyYAML was built with it (several times faster), refusing a
    key said twice in one mapping: YAML keeps the last silently, so an editor's first entry
    would be dropped without a word."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> Dict[Any, Any]:
        seen: Dict[Any, yaml.Node] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    "while reading a mapping",
                    node.start_mark,
                    f"the key '{key}' is given twice (also on line {seen[key].start_mark.line + 1})",
                    key_node.start_mark,
                )
            seen[key] = key_node
        return super().construct_mapping(node, deep=deep)


YAML_LOADER = _UniqueKeyLoader


class ContentError(ValueError):
    """A content file is missing, malformed or inconsistent."""

    def __init__(self, file: str, entry: Optional[str], problem: str):
        self.file = file
        self.entry = entry
        self.problem = problem
        where = f"{file}, entry '{entry}'" if entry else file
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    url: str
    note: str = ""
    licence: str = ""  # set when the content adapts the source's text (SOURCE_LICENCES)


@dataclass(frozen=True)
class Finding:
    """A thing a person can say: a body part, a symptom, an activity..."""

    id: str
    kind: str
    label: str
    phrases: Tuple[str, ...]
    # Body locations only: back, limb or below_knee (see bot.contract.REGIONS); empty
    # for a place that is where the pain is, never where it spreads to (the flank, say).
    region: str = ""


@dataclass(frozen=True)
class Indicator:
    feature: str
    weight: float
    why: str


@dataclass(frozen=True)
class Rule:
    """Features that must all be present, and how many of another list must be."""

    all: Tuple[str, ...] = ()
    of: Tuple[str, ...] = ()
    at_least: int = 0

    def matches(self, features: Iterable[str]) -> bool:
        present = set(features)
        return set(self.all) <= present and sum(f in present for f in self.of) >= self.at_least


@dataclass(frozen=True)
class Pattern:
    """A named combination of features, itself a ranking feature: pattern:<id>."""

    id: str
    name: str
    when_any: Tuple[Rule, ...]
    sources: Tuple[str, ...]

    @property
    def feature(self) -> str:
        return PATTERN_PREFIX + self.id


@dataclass(frozen=True)
class Timeframe:
    """How soon to be seen: a triage level and the advice that goes with it."""

    id: str
    level: str
    advice: str  # may use ADVICE_PLACEHOLDERS
    # Said instead when the pain has already lasted LASTING_DAYS or more: "if it is not getting
    # better after a few weeks" does not fit four months.
    advice_if_lasting: str = ""


@dataclass(frozen=True)
class Condition:
    id: str
    name: str
    synonyms: Tuple[str, ...]
    summary: str
    typical_features: Tuple[str, ...]
    indicators: Tuple[Indicator, ...]
    self_care: Tuple[str, ...]
    professional_care: Tuple[str, ...]
    sources: Tuple[str, ...]
    see_within: str = "if_not_better"  # a Timeframe id
    # Features any one of which means the self-care list must not be shown (for
    # example a fever when infection is one of the possibilities).
    withhold_self_care_if: Tuple[str, ...] = ()
    # Shown only when one of these was said: a cause to be seen about today is not suggested
    # on features every back strain has (a fracture from thin bones needs a reason to suspect it).
    requires_any: Tuple[str, ...] = ()
    # The usual answer when nothing more specific fits (at most one condition).
    fallback: bool = False


@dataclass(frozen=True)
class Treatment:
    id: str
    name: str
    kind: str
    synonyms: Tuple[str, ...]
    advice: str
    caveats: Tuple[str, ...]
    sources: Tuple[str, ...]


@dataclass(frozen=True)
class AnatomyTopic:
    id: str
    name: str
    synonyms: Tuple[str, ...]
    facts: Tuple[str, ...]
    sources: Tuple[str, ...]
    # The topic given when someone asks about anatomy without naming a part (one only).
    default: bool = False


@dataclass(frozen=True)
class RedFlag:
    id: str
    level: str
    name: str
    # Each inner tuple is a set of finding ids that must all be present.
    when_any: Tuple[Tuple[str, ...], ...]
    # Interview screening answers that raise this flag: slot name -> answer.
    screened_by: Mapping[str, str]
    sources: Tuple[str, ...]
    # The findings of a combination must be said together, in one message ...
    same_message: bool = False
    # ... or in one sentence of it (a place and its symptom: "legs strong. Sciatica down my
    # right leg" is not sciatica in both legs).
    same_sentence: bool = False
    # Said after the level's escalation, for what is specific to this flag (e.g. "tell
    # them you are worried about cauda equina syndrome"); identical advice is said once.
    advice: str = ""
    # Self-harm and overdose: the crisis reply instead of the level's escalation.
    crisis: bool = False
    # A vague mention said with doubt ("not sure if I've had bladder changes") gets a
    # specific follow-up rather than the escalation; said plainly it still escalates.
    ask_if_unsure: bool = False
    # Combinations of findings that, said in the same message, stop the flag (claudication).
    unless_said_with: Tuple[Tuple[str, ...], ...] = ()
    # ... or said anywhere in the conversation (night waking eased by getting up, told before).
    unless_in_conversation: bool = False
    # What the condition is and its signs, said when someone asks about it in general.
    explain: str = ""
    # The interview's screening question this flag answers "yes" when the person tells it
    # instead of answering yes or no ("I had breast cancer" to the systemic question).
    answers_screening: str = ""


@dataclass(frozen=True)
class Concept:
    """A set of words with one meaning (concepts.yml)."""

    id: str
    words: Tuple[str, ...]
    not_inside: Tuple[str, ...] = ()  # lexicon findings inside which these words do not count
    not_part_of: Tuple[str, ...] = ()  # concepts inside whose words these words do not count
    patterns: Tuple[Tuple[Mapping[str, Any], ...], ...] = ()  # spaCy token patterns ("28 weeks")


@dataclass(frozen=True)
class Combination:
    """A finding read when each group of concepts occurs in one clause, ``window`` words apart."""

    finding: str
    all: Tuple[Tuple[str, ...], ...]  # each group: any one of these concepts
    window: int = 8
    unless: Tuple[str, ...] = ()
    across_but: bool = False  # the concepts may stand on either side of "but" in one sentence
    anywhere: bool = False  # the concepts may stand anywhere in the message (a state: "I'm 35 weeks pregnant")
    # 0: every group; N: any N of the groups (independent signs of one meaning, none enough alone)
    at_least: int = 0


@dataclass(frozen=True)
class SafetyCheck:
    """A targeted safety question, asked when a message mentions one of its concepts."""

    id: str
    mentions: Tuple[Tuple[str, ...], ...]  # each: concepts that must all occur in one clause
    about: str
    question: str  # may use {mentioned}
    on_yes: Tuple[str, ...]  # findings recorded on "yes"
    on_unsure: str  # a dialogue key
    unless: Tuple[str, ...] = ()
    # The interview's screening question that asks the same: a "no" to it in the message
    # that mentions the concept ("no, peeing and pooing normal") leaves nothing to ask.
    answered_by: str = ""
    # Screening questions a "no" to this check answers no as well: it has just asked the same
    # signs ("Do you have any of these signs now?" before "A quick safety check...").
    settles_on_no: Tuple[str, ...] = ()


@dataclass(frozen=True)
class TakeBack:
    """Findings said as a figure of speech: words of ``said_with`` in the same sentence take
    them back, unless words of ``unless_anywhere`` are in the message."""

    findings: Tuple[str, ...]
    said_with: Tuple[str, ...]
    unless_anywhere: Tuple[str, ...] = ()


@dataclass(frozen=True)
class ConceptModel:
    equivalents: Mapping[str, str] = field(default_factory=dict)
    short_forms: Mapping[str, str] = field(default_factory=dict)  # text-speak -> the word ("yr" -> "year")
    compounds: Mapping[str, Tuple[str, ...]] = field(default_factory=dict)  # "backache" -> ("back", "ache")
    keep_as_written: Tuple[str, ...] = ()
    concepts: Mapping[str, Concept] = field(default_factory=dict)
    combinations: Tuple[Combination, ...] = ()
    checks: Mapping[str, SafetyCheck] = field(default_factory=dict)
    fillers: Tuple[str, ...] = ()  # words that may stand inside a concept's phrase
    intensifiers: Tuple[str, ...] = ()  # degree words that may stand inside a lexicon phrase
    suppress: Mapping[str, Tuple[str, ...]] = field(default_factory=dict)  # finding -> concepts
    take_back_in_sentence: Tuple[TakeBack, ...] = ()


@dataclass(frozen=True)
class RoutineAdvice:
    """Not urgent, but worth asking a GP about something specific (e.g. a referral)."""

    id: str
    name: str
    when_any: Tuple[Rule, ...]
    advice: str  # may use ADVICE_PLACEHOLDERS
    sources: Tuple[str, ...]

    def applies(self, features: Iterable[str]) -> bool:
        present = set(features)
        return any(rule.matches(present) for rule in self.when_any)


@dataclass(frozen=True)
class Escalation:
    level: str
    messages: Tuple[str, ...]
    reminder: str


@dataclass(frozen=True)
class Exercise:
    """One exercise of an activity plan (activity.yml)."""

    id: str
    name: str
    how: str
    how_often: str
    should_feel: str
    stop_if: str
    sources: Tuple[str, ...]


@dataclass(frozen=True)
class ActivityPlan:
    """An activity and exercise plan; ``when_any`` empty: the default (the last plan)."""

    id: str
    title: str
    intro: str
    when_any: Tuple[Rule, ...]
    exercises: Tuple[str, ...]
    sources: Tuple[str, ...]

    def matches(self, features: Iterable[str]) -> bool:
        present = set(features)
        return not self.when_any or any(rule.matches(present) for rule in self.when_any)


@dataclass(frozen=True)
class GlossaryTerm:
    """A word's short, plain meaning (glossary.yml), for "what does <word> mean?"."""

    id: str
    words: Tuple[str, ...]
    definition: str
    sources: Tuple[str, ...]


@dataclass(frozen=True)
class Content:
    sources: Mapping[str, Source]
    findings: Mapping[str, Finding]
    conditions: Mapping[str, Condition]
    treatments: Mapping[str, Treatment]
    anatomy: Mapping[str, AnatomyTopic]
    red_flags: Mapping[str, RedFlag]
    escalations: Mapping[str, Escalation]
    timeframes: Mapping[str, Timeframe] = field(default_factory=dict)
    patterns: Mapping[str, Pattern] = field(default_factory=dict)
    routine_advice: Mapping[str, RoutineAdvice] = field(default_factory=dict)
    # Onset finding ids, most serious first: the account of how it started that is kept.
    onset_order: Tuple[str, ...] = ()
    # The safety dialogue's other wording (red_flags.yml, `dialogue`): key -> text.
    dialogue: Mapping[str, str] = field(default_factory=dict)
    # How red flags are read (concepts.yml): concepts, their combinations, the safety checks.
    concepts: ConceptModel = field(default_factory=ConceptModel)
    # The activity and exercise plans (activity.yml), in the order they are tried.
    exercises: Mapping[str, Exercise] = field(default_factory=dict)
    plans: Tuple[ActivityPlan, ...] = ()
    # Plain meanings of words (glossary.yml), and what is said for a word not there.
    glossary: Mapping[str, GlossaryTerm] = field(default_factory=dict)
    glossary_unknown: str = ""

    def ranking_features(self) -> Tuple[str, ...]:
        features = list(DERIVED_FEATURES)
        for finding in self.findings.values():
            for prefix in FEATURE_PREFIXES[finding.kind]:
                features.append(prefix + finding.id)
        features.extend(pattern.feature for pattern in self.patterns.values())
        return tuple(features)

    def pattern_features(self, features: Iterable[str]) -> set:
        """The pattern:<id> features that a set of features makes up."""
        present = set(features)
        return {p.feature for p in self.patterns.values() if any(rule.matches(present) for rule in p.when_any)}

    def spoken_texts(self) -> Iterator[Tuple[str, str]]:
        """(where, text) for everything the content can say to a person (for the reading-grade check)."""
        for flag in self.red_flags.values():
            for text in (flag.advice, flag.explain):
                if text:
                    yield f"red flag {flag.id}", text
        for key, text in self.dialogue.items():
            yield f"dialogue {key}", text
        for check in self.concepts.checks.values():
            yield f"check {check.id}", check.question
        for escalation in self.escalations.values():
            for text in (*escalation.messages, escalation.reminder):
                if text:
                    yield f"escalation {escalation.level}", text
        yield from self._explanation_texts()

    def _explanation_texts(self) -> Iterator[Tuple[str, str]]:
        """The conditions', treatments', anatomy and routine advice texts (part of spoken_texts)."""
        for condition in self.conditions.values():
            yield f"condition {condition.id}", condition.summary
            # self_care names treatments (said through their advice below); professional_care is text.
            for text in condition.professional_care:
                yield f"condition {condition.id} care", text
        for treatment in self.treatments.values():
            for text in (treatment.advice, *treatment.caveats):
                yield f"treatment {treatment.id}", text
        for topic in self.anatomy.values():
            for text in topic.facts:
                yield f"anatomy {topic.id}", text
        for advice in self.routine_advice.values():
            yield f"routine advice {advice.id}", advice.advice
        for term in self.glossary.values():
            yield f"glossary {term.id}", term.definition
        if self.glossary_unknown:
            yield "glossary unknown", self.glossary_unknown

    def fallback_condition(self) -> Condition:
        """The usual answer when nothing more specific fits (the loader requires one)."""
        return next(c for c in self.conditions.values() if c.fallback)

    def default_anatomy_topic(self) -> AnatomyTopic:
        return next(t for t in self.anatomy.values() if t.default)

    def locations(self, *regions: str) -> frozenset:
        """Ids of the body locations in any of these regions."""
        return frozenset(f.id for f in self.findings.values() if f.region and f.region in regions)


class _Reader:
    """Reads one YAML file and checks its entries field by field."""

    def __init__(self, directory: Path, filename: str, top_key: str):
        self.file = filename
        path = directory / filename
        if not path.exists():
            raise ContentError(filename, None, f"file not found in {directory}")
        try:
            document = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
        except yaml.YAMLError as error:
            raise ContentError(filename, None, f"is not valid YAML: {error}") from error
        if not isinstance(document, dict) or top_key not in document:
            raise ContentError(filename, None, f"must have a top-level '{top_key}' key")
        self.document = document
        self.top_key = top_key

    def entries(self, key: Optional[str] = None) -> List[Dict[str, Any]]:
        key = key or self.top_key
        raw = self.document.get(key)
        if not isinstance(raw, list) or not raw:
            raise ContentError(self.file, None, f"'{key}' must be a non-empty list")
        seen = set()
        for index, entry in enumerate(raw):
            if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
                raise ContentError(self.file, f"#{index + 1}", "every entry needs an 'id' (text)")
            if entry["id"] in seen:
                raise ContentError(self.file, entry["id"], "duplicate id")
            seen.add(entry["id"])
        return raw

    def text(
        self, entry: Mapping[str, Any], name: str, required: bool = True, placeholders: frozenset = frozenset()
    ) -> str:
        value = entry.get(name)
        if value is None and not required:
            return ""
        if not isinstance(value, str) or not value.strip():
            raise ContentError(self.file, entry["id"], f"missing or empty field '{name}'")
        self.check_placeholders(entry, name, value, placeholders)
        return " ".join(value.split())

    def texts(
        self, entry: Mapping[str, Any], name: str, required: bool = True, placeholders: frozenset = frozenset()
    ) -> Tuple[str, ...]:
        value = entry.get(name)
        if value is None and not required:
            return ()
        if not isinstance(value, list) or (required and not value):
            raise ContentError(self.file, entry["id"], f"field '{name}' must be a non-empty list")
        for item in value:
            if not isinstance(item, str) or not item.strip():
                raise ContentError(self.file, entry["id"], f"field '{name}' must contain only text")
            self.check_placeholders(entry, name, item, placeholders)
        return tuple(" ".join(item.split()) for item in value)

    def check_placeholders(self, entry: Mapping[str, Any], name: str, value: str, allowed: frozenset) -> None:
        """Braces only as known placeholders, and only in texts that are filled in."""
        for placeholder in _PLACEHOLDER.findall(value):
            if placeholder not in allowed:
                hint = f"allowed: {', '.join(sorted(allowed))}" if allowed else "this field is shown as written"
                raise ContentError(
                    self.file, entry["id"], f"unknown placeholder '{{{placeholder}}}' in '{name}' ({hint})"
                )
        if "{" in _PLACEHOLDER.sub("", value) or "}" in _PLACEHOLDER.sub("", value):
            raise ContentError(self.file, entry["id"], f"unmatched brace in '{name}'")

    def boolean(self, entry: Mapping[str, Any], name: str) -> bool:
        value = entry.get(name, False)
        if not isinstance(value, bool):
            raise ContentError(self.file, entry["id"], f"'{name}' must be true or false")
        return value

    def features(
        self, entry: Mapping[str, Any], name: str, known: Iterable[str], required: bool = True
    ) -> Tuple[str, ...]:
        ids = self.texts(entry, name, required=required)
        known = set(known)
        for feature in ids:
            if feature not in known:
                raise ContentError(self.file, entry["id"], f"unknown feature '{feature}' in '{name}'")
        if len(set(ids)) != len(ids):
            raise ContentError(self.file, entry["id"], f"'{name}' names a feature twice")
        return ids

    def rules(self, entry: Mapping[str, Any], name: str, known: Iterable[str]) -> Tuple[Rule, ...]:
        """`when_any`: a list of rules, each {all: [features], of: [features], at_least: N}."""
        raw = entry.get(name)
        if not isinstance(raw, list) or not raw:
            raise ContentError(self.file, entry["id"], f"'{name}' must be a non-empty list of rules")
        known = tuple(known)
        rules = []
        for index, item in enumerate(raw, start=1):
            where = f"rule {index} of '{name}'"
            if not isinstance(item, dict) or not set(item) <= {"all", "of", "at_least"}:
                raise ContentError(self.file, entry["id"], f"{where} must have only 'all', 'of' and 'at_least'")
            fake = {"id": entry["id"], **item}
            must = self.features(fake, "all", known, required=False)
            of = self.features(fake, "of", known, required=False)
            at_least = item.get("at_least", 0 if not of else None)
            if of and (not isinstance(at_least, int) or isinstance(at_least, bool) or not 1 <= at_least <= len(of)):
                raise ContentError(
                    self.file, entry["id"], f"{where} needs 'at_least' between 1 and {len(of)} for its 'of' list"
                )
            if not of and "at_least" in item:
                raise ContentError(self.file, entry["id"], f"{where} has 'at_least' but no 'of' list")
            if not must and not of:
                raise ContentError(self.file, entry["id"], f"{where} needs 'all' or 'of'")
            rules.append(Rule(all=must, of=of, at_least=at_least or 0))
        return tuple(rules)

    def choice(self, entry: Mapping[str, Any], name: str, allowed: Iterable[str]) -> str:
        value = self.text(entry, name)
        allowed = tuple(allowed)
        if value not in allowed:
            raise ContentError(self.file, entry["id"], f"'{name}' is '{value}', expected one of {', '.join(allowed)}")
        return value

    def references(self, entry: Mapping[str, Any], name: str, known: Mapping[str, Any], what: str) -> Tuple[str, ...]:
        ids = self.texts(entry, name)
        for ref in ids:
            if ref not in known:
                raise ContentError(self.file, entry["id"], f"unknown {what} '{ref}' in '{name}'")
        return ids


def _load_sources(directory: Path) -> Dict[str, Source]:
    reader = _Reader(directory, "sources.yml", "sources")
    return {
        e["id"]: Source(
            id=e["id"],
            title=reader.text(e, "title"),
            url=reader.text(e, "url"),
            note=reader.text(e, "note", required=False),
            licence=_licence(reader, e),
        )
        for e in reader.entries()
    }


# Licences a source may carry: its text may be adapted with attribution.
SOURCE_LICENCES = ("OGL-3.0",)


def _licence(reader: _Reader, entry: Mapping[str, Any]) -> str:
    if entry.get("licence") is None:
        return ""
    return reader.choice(entry, "licence", SOURCE_LICENCES)


def _load_activity(
    directory: Path, sources: Mapping[str, Source], features: Tuple[str, ...]
) -> Tuple[Dict[str, Exercise], Tuple[ActivityPlan, ...]]:
    """activity.yml: exercises adapted from licensed sources, and plans made of them."""
    reader = _Reader(directory, "activity.yml", "plans")
    exercises: Dict[str, Exercise] = {}
    for e in reader.entries("exercises"):
        refs = reader.references(e, "sources", sources, "source")
        if not any(sources[ref].licence for ref in refs):
            raise ContentError(reader.file, e["id"], "adapted text needs a source with a 'licence' (sources.yml)")
        exercises[e["id"]] = Exercise(
            id=e["id"],
            name=reader.text(e, "name"),
            how=reader.text(e, "how"),
            how_often=reader.text(e, "how_often"),
            should_feel=reader.text(e, "should_feel"),
            stop_if=reader.text(e, "stop_if"),
            sources=refs,
        )
    plans = []
    entries = reader.entries()
    for index, e in enumerate(entries):
        last = index == len(entries) - 1
        if last and "when_any" in e:
            raise ContentError(reader.file, e["id"], "the last plan is the default: it has no 'when_any'")
        if not last and "when_any" not in e:
            raise ContentError(reader.file, e["id"], "only the last plan may leave out 'when_any'")
        plans.append(
            ActivityPlan(
                id=e["id"],
                title=reader.text(e, "title"),
                intro=reader.text(e, "intro"),
                when_any=reader.rules(e, "when_any", features) if not last else (),
                exercises=reader.references(e, "exercises", exercises, "exercise"),
                sources=reader.references(e, "sources", sources, "source"),
            )
        )
    used = {name for plan in plans for name in plan.exercises}
    unused = sorted(set(exercises) - used)
    if unused:
        raise ContentError(reader.file, None, f"exercises in no plan: {', '.join(unused)}")
    return exercises, tuple(plans)


def _load_findings(directory: Path) -> Tuple[Dict[str, Finding], Tuple[str, ...]]:
    reader = _Reader(directory, "lexicon.yml", "findings")
    findings = {}
    phrase_owner: Dict[str, str] = {}
    for e in reader.entries():
        kind = reader.choice(e, "kind", FINDING_KINDS)
        if "region" in e and kind != "body_location":
            raise ContentError(reader.file, e["id"], "only a body_location can have a 'region'")
        finding = Finding(
            id=e["id"],
            kind=kind,
            label=reader.text(e, "label"),
            phrases=tuple(p.lower() for p in reader.texts(e, "phrases")),
            region=reader.choice(e, "region", REGIONS) if "region" in e else "",
        )
        for phrase in finding.phrases:
            owner = phrase_owner.get(phrase)
            if owner is not None:
                raise ContentError(reader.file, finding.id, f"phrase '{phrase}' is already used by '{owner}'")
            phrase_owner[phrase] = finding.id
        findings[finding.id] = finding
    for finding_id, kind in CODE_FINDINGS.items():
        if finding_id not in findings or findings[finding_id].kind != kind:
            raise ContentError(
                reader.file, finding_id, f"the assistant's code needs this finding (kind '{kind}'); keep it"
            )
    return findings, _onset_order(reader, findings)


def _onset_order(reader: _Reader, findings: Mapping[str, Finding]) -> Tuple[str, ...]:
    """`onset_order`: every onset finding once, the most serious first."""
    order = reader.document.get("onset_order")
    onsets = [f.id for f in findings.values() if f.kind == "onset"]
    if not isinstance(order, list) or not all(isinstance(i, str) for i in order):
        raise ContentError(reader.file, None, "'onset_order' must be a list of onset finding ids")
    for finding_id in order:
        if finding_id not in onsets:
            raise ContentError(reader.file, None, f"'onset_order' names '{finding_id}', which is not an onset finding")
    missing = [i for i in onsets if i not in order]
    if missing or len(order) != len(set(order)):
        problem = f"leaves out {', '.join(missing)}" if missing else "names a finding twice"
        raise ContentError(reader.file, None, f"'onset_order' must list every onset finding once: it {problem}")
    return tuple(order)


def _load_treatments(directory: Path, sources: Mapping[str, Source]) -> Dict[str, Treatment]:
    reader = _Reader(directory, "treatments.yml", "treatments")
    return {
        e["id"]: Treatment(
            id=e["id"],
            name=reader.text(e, "name"),
            kind=reader.choice(e, "kind", TREATMENT_KINDS),
            synonyms=reader.texts(e, "synonyms"),
            advice=reader.text(e, "advice"),
            caveats=reader.texts(e, "caveats", required=False),
            sources=reader.references(e, "sources", sources, "source"),
        )
        for e in reader.entries()
    }


def _load_anatomy(directory: Path, sources: Mapping[str, Source]) -> Dict[str, AnatomyTopic]:
    reader = _Reader(directory, "anatomy.yml", "topics")
    topics = {
        e["id"]: AnatomyTopic(
            id=e["id"],
            name=reader.text(e, "name"),
            synonyms=reader.texts(e, "synonyms"),
            facts=reader.texts(e, "facts"),
            sources=reader.references(e, "sources", sources, "source"),
            default=reader.boolean(e, "default"),
        )
        for e in reader.entries()
    }
    defaults = [t.id for t in topics.values() if t.default]
    if len(defaults) != 1:
        problem = f"only one topic can be the default ('{defaults[0]}' is)" if defaults else None
        raise ContentError(
            reader.file,
            defaults[1] if len(defaults) > 1 else None,
            problem or "one topic needs 'default: true' (the answer when no part of the spine is named)",
        )
    return topics


def _load_indicators(reader: _Reader, entry: Mapping[str, Any], features: Tuple[str, ...]) -> Tuple[Indicator, ...]:
    raw = entry.get("indicators")
    if not isinstance(raw, list) or not raw:
        raise ContentError(reader.file, entry["id"], "field 'indicators' must be a non-empty list")
    indicators = []
    for item in raw:
        if not isinstance(item, dict):
            raise ContentError(reader.file, entry["id"], "each indicator needs feature, weight, why")
        feature = item.get("feature")
        if feature not in features:
            raise ContentError(reader.file, entry["id"], f"unknown feature '{feature}' in 'indicators'")
        weight = item.get("weight")
        if not isinstance(weight, (int, float)) or isinstance(weight, bool) or weight == 0:
            raise ContentError(reader.file, entry["id"], f"indicator '{feature}' needs a non-zero numeric 'weight'")
        why = item.get("why", "")
        if weight > 0 and (not isinstance(why, str) or not why.strip()):
            raise ContentError(reader.file, entry["id"], f"indicator '{feature}' needs a 'why'")
        indicators.append(Indicator(feature=feature, weight=float(weight), why=" ".join(str(why).split())))
    return tuple(indicators)


def _load_timeframes(reader: _Reader) -> Dict[str, Timeframe]:
    timeframes = {
        e["id"]: Timeframe(
            id=e["id"],
            level=reader.choice(e, "level", TRIAGE_LEVELS),
            advice=reader.text(e, "advice", placeholders=ADVICE_PLACEHOLDERS),
            advice_if_lasting=reader.text(e, "advice_if_lasting", required=False, placeholders=ADVICE_PLACEHOLDERS),
        )
        for e in reader.entries("timeframes")
    }
    # Listed from the most to the least urgent: the result says the first one that applies.
    listed = list(timeframes.values())
    for earlier, later in zip(listed, listed[1:], strict=False):
        if TRIAGE_LEVELS.index(later.level) > TRIAGE_LEVELS.index(earlier.level):
            raise ContentError(reader.file, later.id, "timeframes must be listed from the most to the least urgent")
    return timeframes


def _load_patterns(reader: _Reader, sources: Mapping[str, Source], features: Tuple[str, ...]) -> Dict[str, Pattern]:
    # Patterns are built from the other features only, never from each other.
    if "patterns" not in reader.document:
        return {}
    return {
        e["id"]: Pattern(
            id=e["id"],
            name=reader.text(e, "name"),
            when_any=reader.rules(e, "when_any", features),
            sources=reader.references(e, "sources", sources, "source"),
        )
        for e in reader.entries("patterns")
    }


def _load_conditions(
    reader: _Reader,
    sources: Mapping[str, Source],
    treatments: Mapping[str, Treatment],
    features: Tuple[str, ...],
    timeframes: Mapping[str, Timeframe],
) -> Dict[str, Condition]:
    conditions = {}
    for e in reader.entries():
        see_within = reader.choice(e, "see_within", timeframes)
        self_care = e.get("self_care")
        if self_care == []:
            self_care = ()
        else:
            self_care = reader.references(e, "self_care", treatments, "treatment")
        urgent = timeframes[see_within].level != "routine"
        if urgent and self_care:
            raise ContentError(
                reader.file,
                e["id"],
                f"'self_care' must be empty when 'see_within' is '{see_within}': "
                "self-care tips would suggest there is time to wait",
            )
        if not urgent and not self_care:
            raise ContentError(reader.file, e["id"], "field 'self_care' must be a non-empty list")
        conditions[e["id"]] = Condition(
            id=e["id"],
            name=reader.text(e, "name"),
            synonyms=reader.texts(e, "synonyms"),
            summary=reader.text(e, "summary"),
            typical_features=reader.texts(e, "typical_features"),
            indicators=_load_indicators(reader, e, features),
            self_care=self_care,
            professional_care=reader.texts(e, "professional_care"),
            sources=reader.references(e, "sources", sources, "source"),
            see_within=see_within,
            withhold_self_care_if=reader.features(e, "withhold_self_care_if", features, required=False),
            requires_any=reader.features(e, "requires_any", features, required=False),
            fallback=reader.boolean(e, "fallback"),
        )
    fallbacks = [c.id for c in conditions.values() if c.fallback]
    if len(fallbacks) > 1:
        raise ContentError(reader.file, fallbacks[1], f"only one condition can be the fallback ('{fallbacks[0]}' is)")
    if not fallbacks:
        raise ContentError(reader.file, None, "one condition needs 'fallback: true' (the usual answer)")
    return conditions


def _screening_questions(
    reader: _Reader, e: Mapping[str, Any], screened_by: Mapping[str, Any], key: str = "answers_screening"
) -> str:
    """Checks the entry's screening questions; returns the one named under ``key``."""
    for slot, answer in screened_by.items():
        if slot not in SCREENING_SLOTS or not isinstance(answer, str):
            raise ContentError(reader.file, e["id"], f"unknown screening question '{slot}' in 'screened_by'")
    named = e.get(key, "")
    if named and named not in SCREENING_SLOTS:
        raise ContentError(reader.file, e["id"], f"unknown screening question '{named}'")
    return str(named)


def _load_red_flags(
    reader: _Reader, sources: Mapping[str, Source], findings: Mapping[str, Finding]
) -> Tuple[Dict[str, RedFlag], Dict[str, Escalation]]:
    red_flags = {}
    for e in reader.entries():
        when_any = e.get("when_any", [])
        screened_by = e.get("screened_by", {})
        if not isinstance(when_any, list) or not isinstance(screened_by, dict):
            raise ContentError(reader.file, e["id"], "'when_any' must be a list of lists, 'screened_by' a mapping")
        if not when_any and not screened_by:
            raise ContentError(reader.file, e["id"], "needs 'when_any' or 'screened_by'")
        answers_screening = _screening_questions(reader, e, screened_by)
        combinations = []
        for combination in when_any:
            if not isinstance(combination, list) or not combination:
                raise ContentError(reader.file, e["id"], "each 'when_any' item must be a list of finding ids")
            for finding_id in combination:
                if finding_id not in findings:
                    raise ContentError(reader.file, e["id"], f"unknown finding '{finding_id}' in 'when_any'")
            combinations.append(tuple(combination))
        unless = []
        for combination in e.get("unless_said_with", []) or []:
            if not isinstance(combination, list) or not all(f in findings for f in combination):
                raise ContentError(reader.file, e["id"], "each 'unless_said_with' item must list known findings")
            unless.append(tuple(combination))
        red_flags[e["id"]] = RedFlag(
            id=e["id"],
            level=reader.choice(e, "level", (URGENT, EMERGENCY)),
            name=reader.text(e, "name"),
            when_any=tuple(combinations),
            screened_by=dict(screened_by),
            sources=reader.references(e, "sources", sources, "source"),
            same_message=reader.boolean(e, "same_message") or reader.boolean(e, "same_sentence"),
            same_sentence=reader.boolean(e, "same_sentence"),
            advice=reader.text(e, "advice", required=False, placeholders=ADVICE_PLACEHOLDERS),
            crisis=reader.boolean(e, "crisis"),
            ask_if_unsure=reader.boolean(e, "ask_if_unsure"),
            unless_said_with=tuple(unless),
            unless_in_conversation=reader.boolean(e, "unless_in_conversation"),
            explain=reader.text(e, "explain", required=False, placeholders=ADVICE_PLACEHOLDERS),
            answers_screening=answers_screening,
        )
    escalations = {}
    for e in reader.entries("escalations"):
        level = reader.choice(e, "id", (URGENT, EMERGENCY, CRISIS))
        escalations[level] = Escalation(
            level=level,
            messages=reader.texts(e, "messages", placeholders=ESCALATION_PLACEHOLDERS),
            reminder=reader.text(e, "reminder", placeholders=ESCALATION_PLACEHOLDERS),
        )
    for level in (URGENT, EMERGENCY, CRISIS):
        if level not in escalations:
            raise ContentError(reader.file, level, "an escalation message is required for this level")
    return red_flags, escalations


def _load_routine_advice(
    reader: _Reader, sources: Mapping[str, Source], features: Tuple[str, ...]
) -> Dict[str, RoutineAdvice]:
    # Kept apart from `red_flags` on purpose: routine advice never escalates the
    # triage level or interrupts the interview; it is added to the result.
    if "routine_advice" not in reader.document:
        return {}
    return {
        e["id"]: RoutineAdvice(
            id=e["id"],
            name=reader.text(e, "name"),
            when_any=reader.rules(e, "when_any", features),
            advice=reader.text(e, "advice", placeholders=ADVICE_PLACEHOLDERS),
            sources=reader.references(e, "sources", sources, "source"),
        )
        for e in reader.entries("routine_advice")
    }


def _load_dialogue(reader: _Reader) -> Dict[str, str]:
    raw = reader.document.get("dialogue")
    if not isinstance(raw, dict):
        raise ContentError(reader.file, None, "'dialogue' must be a mapping of texts")
    entry = {"id": "dialogue", **raw}
    return {key: reader.text(entry, key, placeholders=SAFETY_PLACEHOLDERS) for key in DIALOGUE_KEYS}


MAX_WINDOW = 80  # words; a whole-message combination (`anywhere`) may need most of a long message


def _concept_ids(reader: _Reader, concepts: Mapping[str, Concept], entry: Mapping[str, Any], name: str, value: Any):
    items = value if isinstance(value, list) else [value]
    for item in items:
        if item not in concepts:
            raise ContentError(reader.file, entry["id"], f"unknown concept '{item}' in '{name}'")
    return tuple(items)


def _load_concept_entries(reader: _Reader, findings: Mapping[str, Finding]) -> Dict[str, Concept]:
    concepts: Dict[str, Concept] = {}
    for e in reader.entries():
        not_inside = reader.references(e, "not_inside", findings, "finding") if "not_inside" in e else ()
        patterns = e.get("patterns", [])
        if not isinstance(patterns, list) or not all(isinstance(p, list) and p for p in patterns):
            raise ContentError(reader.file, e["id"], "'patterns' must be a list of spaCy token patterns")
        concepts[e["id"]] = Concept(
            id=e["id"],
            words=tuple(w.lower() for w in reader.texts(e, "words")),
            not_inside=not_inside,
            patterns=tuple(tuple(p) for p in patterns),
        )
    # `not_part_of` names other concepts, so it is read once all of them are known.
    for e in reader.entries():
        if "not_part_of" in e:
            part_of = _concept_ids(reader, concepts, e, "not_part_of", e["not_part_of"])
            if e["id"] in part_of:
                raise ContentError(reader.file, e["id"], "'not_part_of' cannot name the concept itself")
            concepts[e["id"]] = replace(concepts[e["id"]], not_part_of=part_of)
    return concepts


def _load_combinations(
    reader: _Reader, concepts: Mapping[str, Concept], findings: Mapping[str, Finding]
) -> Tuple[Combination, ...]:
    raw = reader.document.get("combinations")
    if not isinstance(raw, list) or not raw:
        raise ContentError(reader.file, None, "'combinations' must be a non-empty list")
    combinations = []
    for index, item in enumerate(raw, start=1):
        entry = {"id": f"combination {index}", **(item if isinstance(item, dict) else {})}
        finding = entry.get("finding")
        if finding not in findings:
            raise ContentError(reader.file, entry["id"], f"unknown finding '{finding}' (lexicon.yml)")
        groups = entry.get("all")
        if not isinstance(groups, list) or not groups:
            raise ContentError(reader.file, entry["id"], "'all' must list concepts")
        window = entry.get("window", 8)
        if not isinstance(window, int) or isinstance(window, bool) or not 1 <= window <= MAX_WINDOW:
            raise ContentError(reader.file, entry["id"], f"'window' must be a whole number from 1 to {MAX_WINDOW}")
        at_least = entry.get("at_least", 0)
        if "at_least" in entry and (
            not isinstance(at_least, int) or isinstance(at_least, bool) or not 1 <= at_least < len(groups)
        ):
            raise ContentError(reader.file, entry["id"], "'at_least' must be a whole number below the number of groups")
        combinations.append(
            Combination(
                finding=str(finding),
                at_least=at_least,
                all=tuple(_concept_ids(reader, concepts, entry, "all", group) for group in groups),
                window=window,
                unless=_concept_ids(reader, concepts, entry, "unless", entry["unless"]) if "unless" in entry else (),
                across_but=reader.boolean(entry, "across_but"),
                anywhere=reader.boolean(entry, "anywhere"),
            )
        )
    return tuple(combinations)


def _load_checks(
    reader: _Reader, concepts: Mapping[str, Concept], findings: Mapping[str, Finding], dialogue: Mapping[str, str]
) -> Dict[str, SafetyCheck]:
    checks: Dict[str, SafetyCheck] = {}
    for e in reader.entries("checks"):
        mentions = e.get("mentions")
        if not isinstance(mentions, list) or not mentions:
            raise ContentError(reader.file, e["id"], "'mentions' must list concepts")
        on_unsure = reader.text(e, "on_unsure")
        if on_unsure not in dialogue:
            raise ContentError(reader.file, e["id"], "'on_unsure' must be a dialogue key of red_flags.yml")
        checks[e["id"]] = SafetyCheck(
            id=e["id"],
            mentions=tuple(_concept_ids(reader, concepts, e, "mentions", m) for m in mentions),
            about=reader.text(e, "about"),
            question=reader.text(e, "question", placeholders=frozenset({"mentioned"}) | SAFETY_PLACEHOLDERS),
            on_yes=reader.references(e, "on_yes", findings, "finding"),
            on_unsure=on_unsure,
            unless=_concept_ids(reader, concepts, e, "unless", e["unless"]) if "unless" in e else (),
            answered_by=_screening_questions(reader, e, {}, "answered_by"),
            settles_on_no=_settled_questions(reader, e),
        )
    return checks


def _settled_questions(reader: _Reader, e: Mapping[str, Any]) -> Tuple[str, ...]:
    settled = e.get("settles_on_no", [])
    if not isinstance(settled, list) or not all(slot in SCREENING_SLOTS for slot in settled):
        raise ContentError(reader.file, e["id"], "'settles_on_no' must list screening questions")
    return tuple(settled)


def _word_list(reader: _Reader, key: str) -> Tuple[str, ...]:
    words = reader.document.get(key, [])
    if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
        raise ContentError(reader.file, key, "must be a list of words")
    return tuple(w.lower() for w in words)


def _load_concepts(directory: Path, findings: Mapping[str, Finding], dialogue: Mapping[str, str]) -> ConceptModel:
    """concepts.yml: the words of each meaning, how they combine into findings, the safety checks."""
    reader = _Reader(directory, "concepts.yml", "concepts")
    raw_equivalents = reader.document.get("equivalents", {})
    if not isinstance(raw_equivalents, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in raw_equivalents.items()
    ):
        raise ContentError(reader.file, "equivalents", "must map words to words")
    raw_short_forms = reader.document.get("short_forms", {}) or {}
    if not isinstance(raw_short_forms, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and k.strip() and v.strip() and " " not in v.strip()
        for k, v in raw_short_forms.items()
    ):
        raise ContentError(reader.file, "short_forms", "must map a short form to one word")
    raw_compounds = reader.document.get("compounds", {}) or {}
    if not isinstance(raw_compounds, dict) or not all(
        isinstance(k, str)
        and isinstance(v, list)
        and len(v) > 1
        and all(isinstance(w, str) and w for w in v)
        and "".join(v).lower() == k.lower()
        for k, v in raw_compounds.items()
    ):
        raise ContentError(reader.file, "compounds", "must map a word to the words it is made of, in order")
    concepts = _load_concept_entries(reader, findings)
    suppress: Dict[str, Tuple[str, ...]] = {}
    for finding, names in (reader.document.get("suppress") or {}).items():
        if finding not in findings:
            raise ContentError(reader.file, "suppress", f"unknown finding '{finding}'")
        suppress[finding] = _concept_ids(reader, concepts, {"id": f"suppress {finding}"}, finding, names)
    take_back = []
    raw_take_back = reader.document.get("take_back_in_sentence") or []
    if not isinstance(raw_take_back, list):
        raise ContentError(reader.file, "take_back_in_sentence", "must be a list")
    for index, item in enumerate(raw_take_back, start=1):
        entry = {"id": f"take_back_in_sentence {index}", **(item if isinstance(item, dict) else {})}
        names = entry.get("findings")
        if not isinstance(names, list) or not names or any(f not in findings for f in names):
            raise ContentError(reader.file, entry["id"], "'findings' must list findings of lexicon.yml")
        take_back.append(
            TakeBack(
                findings=tuple(str(f) for f in names),
                said_with=_concept_ids(reader, concepts, entry, "said_with", entry.get("said_with")),
                unless_anywhere=_concept_ids(
                    reader, concepts, entry, "unless_anywhere", entry.get("unless_anywhere") or []
                ),
            )
        )
    return ConceptModel(
        equivalents={k.lower(): v.lower() for k, v in raw_equivalents.items()},
        short_forms={str(k).lower(): v.strip().lower() for k, v in raw_short_forms.items()},
        compounds={k.lower(): tuple(w.lower() for w in v) for k, v in raw_compounds.items()},
        keep_as_written=_word_list(reader, "keep_as_written"),
        concepts=concepts,
        combinations=_load_combinations(reader, concepts, findings),
        checks=_load_checks(reader, concepts, findings, dialogue),
        fillers=_word_list(reader, "fillers"),
        intensifiers=_word_list(reader, "intensifiers"),
        suppress=suppress,
        take_back_in_sentence=tuple(take_back),
    )


def _load_glossary(directory: Path, sources: Mapping[str, Source]) -> Tuple[Dict[str, GlossaryTerm], str]:
    """glossary.yml: short meanings of words, each word listed once."""
    reader = _Reader(directory, "glossary.yml", "terms")
    terms: Dict[str, GlossaryTerm] = {}
    owner: Dict[str, str] = {}
    for e in reader.entries():
        term = GlossaryTerm(
            id=e["id"],
            words=tuple(w.lower() for w in reader.texts(e, "words")),
            definition=reader.text(e, "definition"),
            sources=reader.references(e, "sources", sources, "source"),
        )
        for word in term.words:
            if word in owner:
                raise ContentError(reader.file, term.id, f"word '{word}' is already used by '{owner[word]}'")
            owner[word] = term.id
        terms[term.id] = term
    return terms, reader.text({"id": "unknown", **reader.document}, "unknown")


def _check_synonyms_unique(directory: Path, groups: Mapping[str, Mapping[str, Any]]) -> None:
    # Owners are (file, id): a condition and a treatment may share an id, and must
    # still not share a synonym.
    owner: Dict[str, Tuple[str, str]] = {}
    for filename, entries in groups.items():
        for entry in entries.values():
            for synonym in (entry.name, *entry.synonyms):
                key = synonym.lower()
                if key in owner and owner[key] != (filename, entry.id):
                    owner_file, owner_id = owner[key]
                    where = "" if owner_file == filename else f" in {owner_file}"
                    raise ContentError(
                        filename, entry.id, f"synonym '{synonym}' is already used by '{owner_id}'{where}"
                    )
                owner[key] = (filename, entry.id)


def load_content(directory: Path | str = DATA_DIR) -> Content:
    """Load and cross-check every content file, or raise ContentError."""
    directory = Path(directory)
    sources = _load_sources(directory)
    findings, onset_order = _load_findings(directory)
    treatments = _load_treatments(directory, sources)
    anatomy = _load_anatomy(directory, sources)
    reader = _Reader(directory, "conditions.yml", "conditions")
    base = Content(sources, findings, {}, treatments, anatomy, {}, {})
    patterns = _load_patterns(reader, sources, base.ranking_features())
    features = base.ranking_features() + tuple(p.feature for p in patterns.values())
    timeframes = _load_timeframes(reader)
    conditions = _load_conditions(reader, sources, treatments, features, timeframes)
    flags_reader = _Reader(directory, "red_flags.yml", "red_flags")
    red_flags, escalations = _load_red_flags(flags_reader, sources, findings)
    routine_advice = _load_routine_advice(flags_reader, sources, features)
    dialogue = _load_dialogue(flags_reader)
    concepts = _load_concepts(directory, findings, dialogue)
    exercises, plans = _load_activity(directory, sources, features)
    glossary, glossary_unknown = _load_glossary(directory, sources)
    _check_synonyms_unique(
        directory,
        {"conditions.yml": conditions, "treatments.yml": treatments, "anatomy.yml": anatomy},
    )
    return Content(
        sources=sources,
        findings=findings,
        conditions=conditions,
        treatments=treatments,
        anatomy=anatomy,
        red_flags=red_flags,
        escalations=escalations,
        timeframes=timeframes,
        patterns=patterns,
        routine_advice=routine_advice,
        onset_order=onset_order,
        dialogue=dialogue,
        concepts=concepts,
        exercises=exercises,
        plans=plans,
        glossary=glossary,
        glossary_unknown=glossary_unknown,
    )


_cached: Dict[Path, Content] = {}
_resolved: Dict[Path | str, Path] = {}


def get_content(directory: Path | str = DATA_DIR) -> Content:
    """The loaded content, read once per process."""
    # Resolving a path asks the file system for each of its parts, and this is called
    # several times per message: an absolute one is resolved once (a relative one depends
    # on the working directory).
    key = _resolved.get(directory)
    if key is None:
        key = Path(directory).resolve()
        if Path(directory).is_absolute():
            _resolved[directory] = key
    if key not in _cached:
        _cached[key] = load_content(key)
    return _cached[key]
