"""Typed, validating loader for the content module.

Everything the assistant knows lives in the YAML files of ``bot/content/data``.
A clinic edits those files; this loader turns them into frozen dataclasses and
refuses to load anything inconsistent, naming the file and the entry at fault,
so a typo can never reach a person in pain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple

import yaml

from bot.contract import (
    DERIVED_FEATURES,
    EMERGENCY,
    FEATURE_PREFIXES,
    FINDING_KINDS,
    SCREENING_SLOTS,
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
    "safety_net",
    "closing",
    "stop_questions",
    "fallback",
)
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")

TREATMENT_KINDS = ("self_care", "medicine", "professional", "surgery")


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


@dataclass(frozen=True)
class Finding:
    """A thing a person can say: a body part, a symptom, an activity..."""

    id: str
    kind: str
    label: str
    phrases: Tuple[str, ...]


@dataclass(frozen=True)
class Indicator:
    feature: str
    weight: float
    why: str


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
    # The findings of a combination must be said together, in one message.
    same_message: bool = False
    # Said after the level's escalation, for what is specific to this flag (e.g. "tell
    # them you are worried about cauda equina syndrome"); identical advice is said once.
    advice: str = ""
    # Self-harm and overdose: the crisis reply instead of the level's escalation.
    crisis: bool = False
    # A vague mention said with doubt ("not sure if I've had bladder changes") gets a
    # specific follow-up rather than the escalation; said plainly it still escalates.
    ask_if_unsure: bool = False


@dataclass(frozen=True)
class Escalation:
    level: str
    messages: Tuple[str, ...]
    reminder: str


@dataclass(frozen=True)
class Content:
    sources: Mapping[str, Source]
    findings: Mapping[str, Finding]
    conditions: Mapping[str, Condition]
    treatments: Mapping[str, Treatment]
    anatomy: Mapping[str, AnatomyTopic]
    red_flags: Mapping[str, RedFlag]
    escalations: Mapping[str, Escalation]
    # The safety dialogue's other wording (red_flags.yml, `dialogue`): key -> text.
    dialogue: Mapping[str, str] = field(default_factory=dict)

    def ranking_features(self) -> Tuple[str, ...]:
        features = list(DERIVED_FEATURES)
        for finding in self.findings.values():
            for prefix in FEATURE_PREFIXES[finding.kind]:
                features.append(prefix + finding.id)
        return tuple(features)


class _Reader:
    """Reads one YAML file and checks its entries field by field."""

    def __init__(self, directory: Path, filename: str, top_key: str):
        self.file = filename
        path = directory / filename
        if not path.exists():
            raise ContentError(filename, None, f"file not found in {directory}")
        try:
            document = yaml.safe_load(path.read_text(encoding="utf-8"))
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

    def text(self, entry: Mapping[str, Any], name: str, required: bool = True) -> str:
        value = entry.get(name)
        if value is None and not required:
            return ""
        if not isinstance(value, str) or not value.strip():
            raise ContentError(self.file, entry["id"], f"missing or empty field '{name}'")
        return " ".join(value.split())

    def texts(self, entry: Mapping[str, Any], name: str, required: bool = True) -> Tuple[str, ...]:
        value = entry.get(name)
        if value is None and not required:
            return ()
        if not isinstance(value, list) or (required and not value):
            raise ContentError(self.file, entry["id"], f"field '{name}' must be a non-empty list")
        for item in value:
            if not isinstance(item, str) or not item.strip():
                raise ContentError(self.file, entry["id"], f"field '{name}' must contain only text")
        return tuple(" ".join(item.split()) for item in value)

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
        )
        for e in reader.entries()
    }


def _load_findings(directory: Path) -> Dict[str, Finding]:
    reader = _Reader(directory, "lexicon.yml", "findings")
    findings = {}
    phrase_owner: Dict[str, str] = {}
    for e in reader.entries():
        finding = Finding(
            id=e["id"],
            kind=reader.choice(e, "kind", FINDING_KINDS),
            label=reader.text(e, "label"),
            phrases=tuple(p.lower() for p in reader.texts(e, "phrases")),
        )
        for phrase in finding.phrases:
            owner = phrase_owner.get(phrase)
            if owner is not None:
                raise ContentError(reader.file, finding.id, f"phrase '{phrase}' is already used by '{owner}'")
            phrase_owner[phrase] = finding.id
        findings[finding.id] = finding
    return findings


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
    return {
        e["id"]: AnatomyTopic(
            id=e["id"],
            name=reader.text(e, "name"),
            synonyms=reader.texts(e, "synonyms"),
            facts=reader.texts(e, "facts"),
            sources=reader.references(e, "sources", sources, "source"),
        )
        for e in reader.entries()
    }


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


def _load_conditions(
    directory: Path,
    sources: Mapping[str, Source],
    treatments: Mapping[str, Treatment],
    features: Tuple[str, ...],
) -> Dict[str, Condition]:
    reader = _Reader(directory, "conditions.yml", "conditions")
    return {
        e["id"]: Condition(
            id=e["id"],
            name=reader.text(e, "name"),
            synonyms=reader.texts(e, "synonyms"),
            summary=reader.text(e, "summary"),
            typical_features=reader.texts(e, "typical_features"),
            indicators=_load_indicators(reader, e, features),
            self_care=reader.references(e, "self_care", treatments, "treatment"),
            professional_care=reader.texts(e, "professional_care"),
            sources=reader.references(e, "sources", sources, "source"),
        )
        for e in reader.entries()
    }


def _flag(reader: _Reader, entry: Mapping[str, Any], name: str) -> bool:
    value = entry.get(name, False)
    if not isinstance(value, bool):
        raise ContentError(reader.file, entry["id"], f"'{name}' must be true or false")
    return value


def _load_red_flags(
    directory: Path, sources: Mapping[str, Source], findings: Mapping[str, Finding]
) -> Tuple[Dict[str, RedFlag], Dict[str, Escalation]]:
    reader = _Reader(directory, "red_flags.yml", "red_flags")
    red_flags = {}
    for e in reader.entries():
        when_any = e.get("when_any", [])
        screened_by = e.get("screened_by", {})
        if not isinstance(when_any, list) or not isinstance(screened_by, dict):
            raise ContentError(reader.file, e["id"], "'when_any' must be a list of lists, 'screened_by' a mapping")
        if not when_any and not screened_by:
            raise ContentError(reader.file, e["id"], "needs 'when_any' or 'screened_by'")
        for slot, answer in screened_by.items():
            if slot not in SCREENING_SLOTS or not isinstance(answer, str):
                raise ContentError(reader.file, e["id"], f"unknown screening question '{slot}' in 'screened_by'")
        combinations = []
        for combination in when_any:
            if not isinstance(combination, list) or not combination:
                raise ContentError(reader.file, e["id"], "each 'when_any' item must be a list of finding ids")
            for finding_id in combination:
                if finding_id not in findings:
                    raise ContentError(reader.file, e["id"], f"unknown finding '{finding_id}' in 'when_any'")
            combinations.append(tuple(combination))
        red_flags[e["id"]] = RedFlag(
            id=e["id"],
            level=reader.choice(e, "level", (URGENT, EMERGENCY)),
            name=reader.text(e, "name"),
            when_any=tuple(combinations),
            screened_by=dict(screened_by),
            sources=reader.references(e, "sources", sources, "source"),
            same_message=_flag(reader, e, "same_message"),
            advice=_checked_placeholders(reader, e["id"], reader.text(e, "advice", required=False)),
            crisis=_flag(reader, e, "crisis"),
            ask_if_unsure=_flag(reader, e, "ask_if_unsure"),
        )
    escalations = {}
    for e in reader.entries("escalations"):
        level = reader.choice(e, "id", (URGENT, EMERGENCY, CRISIS))
        messages = reader.texts(e, "messages")
        for text in (*messages, reader.text(e, "reminder")):
            _checked_placeholders(reader, level, text)
        escalations[level] = Escalation(level=level, messages=messages, reminder=reader.text(e, "reminder"))
    for level in (URGENT, EMERGENCY, CRISIS):
        if level not in escalations:
            raise ContentError(reader.file, level, "an escalation message is required for this level")
    return red_flags, escalations


def _checked_placeholders(reader: _Reader, entry: str, text: str) -> str:
    for name in _PLACEHOLDER.findall(text):
        if name not in SAFETY_PLACEHOLDERS:
            raise ContentError(reader.file, entry, f"unknown placeholder '{{{name}}}'")
    return text


def _load_dialogue(directory: Path) -> Dict[str, str]:
    reader = _Reader(directory, "red_flags.yml", "red_flags")
    raw = reader.document.get("dialogue")
    if not isinstance(raw, dict):
        raise ContentError(reader.file, None, "'dialogue' must be a mapping of texts")
    dialogue = {}
    for key in DIALOGUE_KEYS:
        value = raw.get(key)
        if not isinstance(value, str) or not value.strip():
            raise ContentError(reader.file, "dialogue", f"missing or empty text '{key}'")
        dialogue[key] = _checked_placeholders(reader, "dialogue", " ".join(value.split()))
    return dialogue


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
    findings = _load_findings(directory)
    treatments = _load_treatments(directory, sources)
    anatomy = _load_anatomy(directory, sources)
    provisional = Content(sources, findings, {}, treatments, anatomy, {}, {})
    conditions = _load_conditions(directory, sources, treatments, provisional.ranking_features())
    red_flags, escalations = _load_red_flags(directory, sources, findings)
    dialogue = _load_dialogue(directory)
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
        dialogue=dialogue,
    )


_cached: Dict[Path, Content] = {}


def get_content(directory: Path | str = DATA_DIR) -> Content:
    """The loaded content, read once per process."""
    key = Path(directory).resolve()
    if key not in _cached:
        _cached[key] = load_content(key)
    return _cached[key]
