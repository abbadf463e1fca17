"""spaCy rule pipeline: what a message says about pain, with negation.

Built on ``spacy.blank("en")`` (no pretrained model): a typo normaliser, an
EntityRuler whose patterns come from the content module (lexicon findings,
condition / treatment / anatomy synonyms), a Matcher for numbers (severity,
duration, age) and the NegEx-style ``NegationDetector``. ``analyse`` returns a
plain ``Analysis`` that the Rasa component, the actions and the tests share.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Dict, Iterable, List, Optional, Set, Tuple

import spacy
from spacy.matcher import Matcher, PhraseMatcher
from spacy.pipeline import EntityRuler
from spacy.symbols import ORTH
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from bot.content import Content, get_content
from bot.contract import TOPIC_LABELS
from bot.nlp.concepts import SENTENCE_ENDS, ConceptMatcher
from bot.nlp.negation import ABSENT, HISTORICAL, NEGATORS, PRESENT, RELATIVES, NegationDetector, context_vocabulary
from bot.nlp.normalise import FACTORY as CANONICAL_FORMS
from bot.nlp.typos import TypoNormaliser

NUMBER_WORDS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    # "Perhaps eighteen months" (set 10: read as one month).
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "a": 1,
    "an": 1,
    "a couple": 2,
    "couple": 2,
    "few": 3,
    "a few": 3,
    "several": 4,
}
UNIT_DAYS = {
    "minute": 1 / 1440,
    "minutes": 1 / 1440,
    "mins": 1 / 1440,
    "hour": 1 / 24,
    "hours": 1 / 24,
    "hrs": 1 / 24,
    "day": 1,
    "days": 1,
    "dy": 1,
    "dys": 1,
    "week": 7,
    "weeks": 7,
    "wk": 7,
    "wks": 7,
    "month": 30,
    "months": 30,
    "mth": 30,
    "mths": 30,
    "year": 365,
    "years": 365,
    "yr": 365,
    "yrs": 365,
}
RELATIVE_DAYS = {
    "today": 0.5,
    "this morning": 0.5,
    "last night": 1,
    "yesterday": 1,
    "since yesterday": 1,
    "last week": 7,
    "since last week": 7,
    "last month": 30,
    "since last month": 30,
    "last year": 365,
    "since last year": 365,
    "ages": 365,
    "forever": 730,
    "years": 730,
    "months": 90,
    "weeks": 21,
    "days": 3,
}


# A number that may be a temperature reading, with an optional unit ("38.9", "39c", "101.2°f").
TEMPERATURE_READING = re.compile(r"(\d{2,3}(?:[.,]\d{1,2})?)(c|f|°c|°f|°)?")
TEMPERATURE_WORDS = frozenset(
    {
        "temperature",
        "temp",
        "thermometer",
        "fever",
        "feverish",
        "degree",
        "celsius",
        "fahrenheit",
        "reading",
        "°",
        "measure",
    }
)
TEMPERATURE_WINDOW = 8
# "12 Acacia Avenue": a number a street's name and type follow is a house number, not an age.
STREET_TYPES = frozenset(
    "street st road rd avenue ave lane ln close drive way court crescent place terrace gardens grove "
    "boulevard hill square mews row walk parade".split()
)


def _house_number(doc: Doc, end: int) -> bool:
    return any(token.lower_ in STREET_TYPES for token in doc[end : end + 4]) and (
        end < len(doc) and doc[end].is_alpha and doc[end].lower_ not in {"years", "yrs", "year", "yo", "old"}
    )


def _not_an_age(doc: Doc, start: int, end: int) -> bool:
    return bool(
        {t.lower_ for t in doc[max(0, start - 3) : end]} & {"like"}  # "I feel like I'm 80"
        or (end < len(doc) and doc[end].lower_ in NOT_AN_AGE_AFTER)  # "at 38 weeks", "at 10 pm"
        or _house_number(doc, end)  # "I live at 12 Acacia Avenue"
    )


# "at 38 weeks", "at 10 pm", "at 39 degrees": numbers after "at" that are not an age.
NOT_AN_AGE_AFTER = frozenset(
    [
        *UNIT_DAYS,
        "am",
        "pm",
        "o'clock",
        "degrees",
        "degree",
        "c",
        "f",
        "°",
        "%",
        "percent",
        "mph",
        "kg",
        "miles",
        "mins",
        # "I'm 28 weeks pregnant", "I'm 15 stone": a measure, not an age.
        "stone",
        "st",
        "lbs",
        "lb",
        "pounds",
        "kilos",
        "kgs",
        "pregnant",
    ]
)
# A number followed by a measure is no pain score: "after a 6 hr drive" is not 6 out of 10
# (usability review 10 summarised "pain 6/10").
NOT_A_SCORE_AFTER = NOT_AN_AGE_AFTER | frozenset(
    {
        "hr",
        "h",
        "min",
        "mile",
        "km",
        "k",
        "metres",
        "meters",
        "m",
        "ft",
        "feet",
        "foot",
        "inch",
        "inches",
        "times",
        "x",
        "mg",
        "ml",
        "tablets",
        "pills",
        "cups",
        "pints",
        "steps",
        "flights",
        "years",
        "yrs",
        "yr",
        "year",
    }
)
# Durations said without an amount ("for years", "for ages").
VAGUE_DURATIONS = frozenset({"years", "months", "weeks", "days", "ages", "forever"})
# A time expression about something other than the pain: how long an activity lasts ("if I
# stand still for a couple of minutes"), a weight change ("put on 2 stone this year"), or an
# age ("58 not 56, had a birthday last month").
SHORT_UNITS = frozenset({"minute", "minutes", "mins", "min", "seconds", "secs"})
# Relatives people call by the word itself ("Dad's 81, he slid off his chair").
RELATIVES_BY_NAME = ("mum", "mam", "mom", "mummy", "dad", "daddy", "nan", "nana", "nanna", "gran", "granny", "grandma",
                     "grandad", "granddad", "grandpa")  # fmt: skip
OTHER_THAN_PAIN = re.compile(
    r"\b(stone|kilos?|kgs?|lbs|pounds|weight|put on|gained|pregnant|pregnancy|birthday|turned \d+|"
    r"cancer|chemo|chemotherapy|radiotherapy|diagnosed)\b"
)
HOW_OFTEN = frozenset({"every", "each", "per", "once", "twice"})
HOURS = frozenset({"hour", "hours", "hr", "hrs", "h"})


SOMETHING_ELSE_FOR_HOURS = frozenset(
    {"in", "on", "of", "at", "driving", "drive", "flight", "journey", "shift", "drove", "sat", "stood"}
)


def _hours_of_something_else(doc: Doc, end: int) -> bool:
    """ "a 12 hour flight", "7 hours in the car", "8 hours of driving": hours that something
    else took ("5 hours", "for 6 hours", "5 hours ago" are how long the pain has lasted)."""
    after = doc[end].lower_ if end < len(doc) else ""
    adjective = doc[end - 1].lower_ == "hour" and doc[end].is_alpha if end < len(doc) else False
    return after in SOMETHING_ELSE_FOR_HOURS or (adjective and after not in ("ago", "now"))


ALTERNATIVES = re.compile(r"\(([^()]*)\)")
# "took 20 paracetamol", "swallowed about 30 tablets": more than a day's dose of anything.
OVERDOSE_MIN_TABLETS = 9
MEDICINES = (
    "tablets pills painkillers meds paracetamol paracetamols co-codamol cocodamol codeine tramadol "
    "ibuprofen naproxen diazepam gabapentin pregabalin amitriptyline morphine oxycodone oramorph "
    "sertraline citalopram fluoxetine zopiclone sleeping"
).split()


def expand(phrase: str) -> List[str]:
    """A lexicon phrase with alternatives, "can't (lift|raise) my (foot|feet)", as the plain
    phrases it stands for; an empty alternative makes a part optional: "(my |)foot"."""
    match = ALTERNATIVES.search(phrase)
    if not match:
        return [" ".join(phrase.split())]
    head, tail = phrase[: match.start()], phrase[match.end() :]
    return [variant for option in match.group(1).split("|") for variant in expand(head + option + tail)]


SLASHES = re.compile(r"(?:^|(?<=\s))/+(?=\w)")


def neutralised(text: str) -> str:
    """The words of a message without the "/" that Rasa would read as a command, at its
    start or at the start of any word: "/lost control of my bladder" is screened like any
    other text. Offsets are kept (the slashes become spaces)."""
    return SLASHES.sub(lambda match: " " * len(match.group()), text)


NOT_A_TOPIC = "not_a_topic"
# "Back" as in "came back", "back to work" (concepts.yml): the word alone is then no body part.
BACK_NOT_THE_BODY = "back_not_the_body"
BACK_ALONE = frozenset({"back", "bak", "bk"})


@dataclass(frozen=True)
class Mention:
    label: str  # a finding kind, or one of TOPIC_LABELS
    id: str
    text: str
    start: int
    end: int
    status: str = PRESENT  # present, absent or uncertain


@dataclass
class Analysis:
    text: str
    mentions: List[Mention] = field(default_factory=list)
    # The safety checks (concepts.yml `checks`) the message mentions, each with its context:
    # label "check", id the check's id, text the words that mention it.
    checks: List[Mention] = field(default_factory=list)
    # Every concept of concepts.yml the message names, whatever its context.
    concepts: Set[str] = field(default_factory=set)
    # The words as the rules read them (contractions expanded, typos corrected), lower case.
    normalised: str = ""
    # Concepts said without a negation just before them ("scared", not "not scared").
    affirmed_concepts: Set[str] = field(default_factory=set)
    severity: Optional[int] = None
    # A number on its own ("7"): a severity only as the answer to "how bad is it?".
    severity_bare: bool = False
    duration_days: Optional[float] = None
    # The words of a duration said without a number ("on and off for years", "for ages"):
    # its days are a guess for the ranking, and the summary quotes the words instead.
    duration_as_said: Optional[str] = None  # vague ("for years"), a range or a bound: quoted as said
    age: Optional[int] = None

    def ids(self, label: Optional[str] = None, status: str = PRESENT) -> List[str]:
        """Ids said with ``status``; long-standing mentions ("for years") count as present:
        only the red-flag screen treats them apart."""
        statuses = {PRESENT, HISTORICAL} if status == PRESENT else {status}
        return [m.id for m in self.mentions if (label is None or m.label == label) and m.status in statuses]

    def topics(self, label: str) -> List[str]:
        """Topic ids mentioned (condition, treatment, anatomy_topic), whatever the status."""
        seen: List[str] = []
        for m in self.mentions:
            if m.label == label and m.id not in seen:
                seen.append(m.id)
        return seen

    def findings(self, statuses: Iterable[str] = (PRESENT,)) -> Set[str]:
        statuses = set(statuses)
        return {m.id for m in self.mentions if m.label not in TOPIC_LABELS and m.status in statuses}


TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fourty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}


def _age_in_words(span) -> int:
    tens = next((TENS[t.lower_] for t in span if t.lower_ in TENS), 0)
    units = next((UNITS[t.lower_] for t in span if t.lower_ in UNITS and t.i > span[0].i), 0)
    return tens + units


def _number(token_text: str) -> Optional[float]:
    token_text = token_text.lower()
    if token_text in NUMBER_WORDS:
        return float(NUMBER_WORDS[token_text])
    try:
        return float(token_text)
    except ValueError:
        return None


class SymptomPipeline:
    def __init__(self, content: Content):
        self.content = content
        self.nlp = spacy.blank("en")
        # A word made of two the rules know ("backache") is read as both: "back" and "ache".
        tokenizer: Tokenizer = self.nlp.tokenizer
        for word, parts in content.concepts.compounds.items():
            for form in {word, word.capitalize(), word.upper()}:
                cut, start = [], 0
                for part in parts:
                    cut.append({ORTH: form[start : start + len(part)]})
                    start += len(part)
                tokenizer.add_special_case(form, cut)
        # Every rule matches canonical forms (bot/nlp/normalise.py): "couldnt pee" and
        # "accidents" read as "can not pee" and "accident", in the lexicon's phrases too.
        self.nlp.add_pipe(
            CANONICAL_FORMS,
            config={
                "equivalents": dict(content.concepts.equivalents),
                "keep_as_written": list(content.concepts.keep_as_written),
            },
        )
        # Typos are corrected towards the content's words and the context detector's ("neihgbour").
        vocabulary = self._vocabulary() | context_vocabulary()
        self.typos = TypoNormaliser(vocabulary, dict(content.concepts.short_forms))
        self.ruler: EntityRuler = self.nlp.add_pipe(  # type: ignore[assignment]
            "entity_ruler", config={"phrase_matcher_attr": "NORM", "overwrite_ents": True}
        )
        self.ruler.add_patterns(self._patterns())
        # The lexicon's phrases again, on canonical forms: "couldnt pee" and "had accidents"
        # find "can't pee" and "accident" where the words as written find nothing.
        self.lemma_phrases = self._lemma_matcher()
        self.concepts = ConceptMatcher(self.nlp, content.concepts)
        self.kinds = {finding.id: finding.kind for finding in content.findings.values()}
        # Topics (what a question is about) are matched on their own, so that a topic
        # name never hides a finding inside it: "sciatic nerve pain in both legs"
        # is both about the sciatic nerve and a report of pain in both legs.
        self.topics = self._topic_matcher()
        self.negation = NegationDetector(self.nlp)
        self.matcher = Matcher(self.nlp.vocab)
        self._add_number_patterns()
        # "lost a stone", "dropped 6 kilos", "lost nearly 10 pounds": weight loss in any unit.
        self.weights = Matcher(self.nlp.vocab)
        self.weights.add(
            "WEIGHT_LOSS",
            [
                [
                    {"LOWER": {"IN": ["lost", "dropped", "losing", "lose", "shed", "down"]}},
                    {
                        "LOWER": {"IN": ["about", "around", "like", "over", "nearly", "almost", "roughly", "maybe"]},
                        "OP": "?",
                    },
                    {"LOWER": {"IN": ["half", "a", "an"]}, "OP": "*"},
                    {"LIKE_NUM": True, "OP": "?"},
                    {
                        "LOWER": {
                            "IN": ["stone", "stones", "st", "pounds", "lbs", "lb", "kilos", "kg", "kgs", "kilograms"]
                        }
                    },
                ]
            ],
        )
        took: List[Dict[str, Any]] = [
            {"LOWER": {"IN": ["took", "taken", "take", "swallowed", "had", "downed", "necked", "taking"]}},
            {"LOWER": {"IN": ["about", "around", "like", "over", "nearly", "maybe", "roughly", "almost"]}, "OP": "?"},
            {"LIKE_NUM": True},
            {"LOWER": {"IN": ["x", "of", "my", "the"]}, "OP": "*"},
        ]
        self.overdoses = Matcher(self.nlp.vocab)
        self.overdoses.add(
            "OVERDOSE",
            [
                [*took, {"LOWER": {"IN": MEDICINES}}],
                # "co-codamol" is three tokens
                [*took, {"LOWER": "co"}, {"ORTH": "-"}, {"LOWER": {"IN": ["codamol", "dydramol", "proxamol"]}}],
            ],
        )
        # "my temperature is 39", "temp of 38.5c", "101 degrees": a fever, read from the number.
        self.temperatures = Matcher(self.nlp.vocab)
        self.temperatures.add(
            "TEMPERATURE",
            [
                [
                    {"LOWER": {"IN": ["temperature", "temp", "fever"]}},
                    {
                        "LOWER": {
                            "IN": ["is", "was", "of", "at", "'s", "reading", "about", "around", "over", "up", "to"]
                        },
                        "OP": "*",
                    },
                    {"TEXT": {"REGEX": r"^\d{2,3}(\.\d)?(c|f|°c|°f)?$"}},
                ],
                [
                    {"TEXT": {"REGEX": r"^\d{2,3}(\.\d)?$"}},
                    {"LOWER": {"IN": ["degrees", "°c", "°f", "celsius", "fahrenheit"]}},
                ],
                # "running 101.5", "the thermometer's saying 38.4": a reading without the word.
                [
                    {"LOWER": {"IN": ["running", "reads", "reading", "saying", "says", "showing", "shows", "spiked"]}},
                    {"LOWER": {"IN": ["a", "at", "of", "about", "around", "over", "up", "to"]}, "OP": "*"},
                    {"TEXT": {"REGEX": r"^\d{2,3}(\.\d)?(c|f|°c|°f)?$"}},
                ],
            ],
        )

    # -- building --------------------------------------------------------------
    def _finding_entries(self) -> Iterable[Tuple[str, str, str]]:
        for finding in self.content.findings.values():
            for phrase in finding.phrases:
                for variant in expand(phrase):
                    yield finding.kind, finding.id, variant

    def _topic_entries(self) -> Iterable[Tuple[str, str, str]]:
        topic_sets = (
            ("condition", self.content.conditions),
            ("treatment", self.content.treatments),
            ("anatomy_topic", self.content.anatomy),
        )
        for label, entries in topic_sets:
            for entry in entries.values():
                for phrase in (entry.name, *entry.synonyms):
                    # "The sacrum" is a display name; people ask "what is the sacrum".
                    yield label, entry.id, re.sub(r"^(the|a|an) ", "", phrase.lower())

    def _vocabulary(self) -> Set[str]:
        words: Set[str] = set()
        concept_words = [(None, None, w) for c in self.content.concepts.concepts.values() for w in c.words]
        for _, _, phrase in (*self._finding_entries(), *self._topic_entries(), *concept_words):
            words.update(t.norm_ for t in self.nlp.make_doc(phrase) if t.is_alpha)
        # A word a concept's pattern needs is never corrected away ("texted" became "tested",
        # and "texted my mates goodbye" was no farewell, set R).
        for concept in self.content.concepts.concepts.values():
            for pattern in concept.patterns:
                for token in pattern:
                    for key in ("LEMMA", "LOWER", "NORM"):
                        value = token.get(key)
                        listed = value.get("IN", []) if isinstance(value, dict) else [value]
                        words.update(w for w in listed if isinstance(w, str) and w.isalpha())
        return words

    def _patterns(self) -> List[Dict]:
        return [
            {"label": label, "pattern": phrase, "id": entry_id} for label, entry_id, phrase in self._finding_entries()
        ]

    def _lemma_matcher(self) -> PhraseMatcher:
        """The lexicon's phrases on canonical forms. A one-word phrase that is itself an
        inflected form ("fainted") is left to the words as written: its base form ("faint")
        would also find other meanings ("a faint ache")."""
        matcher = PhraseMatcher(self.nlp.vocab, attr="LEMMA")
        # Degree words that may stand between a phrase's words ("sat down rather heavily"):
        # the same matcher runs again on the message without them (_loose_phrases).
        self.degree_words = frozenset(self.content.concepts.intensifiers)
        for kind, finding_id, phrase in self._finding_entries():
            doc = self.nlp(phrase)
            if len(doc) == 1 and doc[0].lemma_ != doc[0].norm_:
                continue
            matcher.add(f"{kind}|{finding_id}", [doc])
        return matcher

    def _add_lemma_phrases(self, doc: Doc) -> None:
        """Lexicon phrases found only on canonical forms, where they overlap no entity; a
        phrase with degree words inside takes the place of the shorter entities within it
        ("sat down rather heavily" is a jolt, not "sat")."""
        ents = list(doc.ents)
        taken = {i for ent in ents for i in range(ent.start, ent.end)}
        found = []
        for match_id, start, end in self.lemma_phrases(doc):
            if taken & set(range(start, end)):
                continue
            kind, finding_id = self.nlp.vocab.strings[match_id].split("|", 1)
            found.append(Span(doc, start, end, label=kind, span_id=finding_id))
        for match_id, start, end in self._loose_phrases(doc):
            if any(ent.start < end and start < ent.end and not (start <= ent.start and ent.end <= end) for ent in ents):
                continue
            kind, finding_id = self.nlp.vocab.strings[match_id].split("|", 1)
            ents = [ent for ent in ents if not (start <= ent.start and ent.end <= end)]
            found.append(Span(doc, start, end, label=kind, span_id=finding_id))
        if found:
            doc.set_ents(ents + filter_spans(found))

    def _loose_phrases(self, doc: Doc) -> List[Tuple[int, int, int]]:
        """Lexicon phrases said with degree words between their words: the phrase matcher on
        the message without them, mapped back (a Matcher with an optional token in every gap
        of every phrase cost half of each message's reading time)."""
        kept = [token.i for token in doc if token.lemma_ not in self.degree_words]
        if len(kept) == len(doc) or not kept:
            return []
        reduced = Doc(self.nlp.vocab, words=[doc[i].text for i in kept], lemmas=[doc[i].lemma_ for i in kept])
        found = []
        for match_id, start, end in self.lemma_phrases(reduced):
            first, last = kept[start], kept[end - 1] + 1
            if last - first > end - start:  # a degree word stood inside it
                found.append((match_id, first, last))
        return found

    def _topic_matcher(self) -> PhraseMatcher:
        matcher = PhraseMatcher(self.nlp.vocab, attr="NORM")
        for label, entry_id, phrase in self._topic_entries():
            matcher.add(f"{label}|{entry_id}", [self.nlp.make_doc(phrase)])
        return matcher

    def _add_number_patterns(self) -> None:
        num = {"LIKE_NUM": True}
        numword = {"LOWER": {"IN": list(NUMBER_WORDS)}}
        self.matcher.add(
            "SEVERITY",
            [
                [{"TEXT": {"REGEX": r"^\d{1,2}/10$"}}],
                [num, {"LOWER": {"IN": ["/", "out"]}}, {"LOWER": "of", "OP": "?"}, {"LOWER": {"IN": ["10", "ten"]}}],
                [numword, {"LOWER": "out"}, {"LOWER": "of"}, {"LOWER": {"IN": ["10", "ten"]}}],
                [
                    {
                        "LOWER": {
                            "IN": ["a", "an", "about", "around", "like", "maybe", "its", "it's", "is", "was", "at"]
                        }
                    },
                    {"TEXT": {"REGEX": r"^(10|[0-9])$"}},
                ],
                [{"TEXT": {"REGEX": r"^(10|[0-9])$"}}],
                # In words: "about a seven" (usability review 8); taken only as the answer to
                # the severity question (severity_bare).
                [
                    {"LOWER": {"IN": ["a", "about", "around", "like", "maybe", "its", "it's", "is", "at"]}},
                    {
                        "LOWER": {
                            "IN": [
                                w
                                for w, n in NUMBER_WORDS.items()
                                if 1 < n <= 10 and w not in ("a", "an", "couple", "few", "several", "a couple", "a few")
                            ]
                        }
                    },
                    {"IS_PUNCT": True, "OP": "?"},
                ],
            ],
        )
        self.matcher.add(
            "DURATION",
            [
                [
                    {
                        "LOWER": {
                            "IN": ["for", "about", "around", "over", "past", "last", "nearly", "almost", "since"]
                        },
                        "OP": "?",
                    },
                    {"LOWER": {"IN": ["a", "the"]}, "OP": "?"},
                    {"LOWER": {"IN": ["few", "couple", "several"]}, "OP": "?"},
                    {"LOWER": "of", "OP": "?"},
                    {"LIKE_NUM": True},
                    {"LOWER": {"IN": list(UNIT_DAYS)}},
                ],
                [
                    {
                        "LOWER": {
                            "IN": [
                                "a",
                                "an",
                                "one",
                                "two",
                                "three",
                                "four",
                                "five",
                                "six",
                                "seven",
                                "eight",
                                "nine",
                                "ten",
                                "few",
                                "couple",
                                "several",
                            ]
                        }
                    },
                    {"LOWER": {"IN": ["of"]}, "OP": "?"},
                    {"LOWER": {"IN": list(UNIT_DAYS)}},
                ],
                [{"TEXT": {"REGEX": r"^\d+(d|w|wk|wks|m|mth|mths|y|yr|yrs)$"}}],
                # A range or a bound, kept as said: "1 to 6 weeks", "between 2 and 3 months",
                # "4-6 weeks", "more than 3 months" (a tapped answer read as one number was
                # summarised as "about 6 weeks").
                [
                    {"LOWER": {"IN": ["for", "about", "around", "between", "from", "roughly"]}, "OP": "?"},
                    {"LIKE_NUM": True},
                    {"LOWER": {"IN": ["to", "-", "\u2013", "or", "and"]}},
                    {"LIKE_NUM": True},
                    {"LOWER": {"IN": list(UNIT_DAYS)}},
                ],
                [
                    {"LOWER": {"IN": ["for", "about", "around"]}, "OP": "?"},
                    {"TEXT": {"REGEX": r"^\d+[-\u2013]\d+$"}},
                    {"LOWER": {"IN": list(UNIT_DAYS)}},
                ],
                [
                    {"LOWER": {"IN": ["for"]}, "OP": "?"},
                    {"LOWER": {"IN": ["more", "less", "over", "under"]}},
                    {"LOWER": "than", "OP": "?"},
                    {"LOWER": {"IN": ["a", "an"]}, "OP": "?"},
                    {"LIKE_NUM": True, "OP": "?"},
                    {"LOWER": {"IN": list(UNIT_DAYS)}},
                ],
                [
                    # On the normalised word: "since yday" is "since yesterday" (usability review 7).
                    {"NORM": {"IN": ["since", "last", "this"]}, "OP": "*"},
                    {"NORM": {"IN": ["today", "yesterday", "week", "month", "year", "night", "morning"]}},
                ],
                [
                    {"LOWER": {"IN": ["for"]}},
                    {"LOWER": {"IN": ["ages", "years", "months", "weeks", "days", "forever"]}},
                ],
            ],
        )
        self.matcher.add(
            "AGE",
            [
                [
                    {"LOWER": {"IN": ["i'm", "im", "i", "m", "'m", "am", "aged", "age"]}, "OP": "+"},
                    {"TEXT": {"REGEX": r"^\d{2}$"}},
                    {"LOWER": {"IN": ["years", "yrs", "yo", "y.o", "year"]}, "OP": "?"},
                ],
                [{"TEXT": {"REGEX": r"^\d{2}$"}}, {"LOWER": {"IN": ["years", "yrs", "year"]}}, {"LOWER": "old"}],
                [{"TEXT": {"REGEX": r"^\d{2}(yo|y/o|yrs|yr)$"}}],
                [{"TEXT": {"REGEX": r"^\d{2}$"}}, {"LOWER": {"IN": ["yo", "y/o"]}}],
                # In words: "I am seventy-nine", "seventy nine years old" (usability review 8:
                # the age was asked again, and "nine years" read as how long it had hurt).
                [
                    {"LOWER": {"IN": ["i'm", "im", "i", "m", "'m", "am", "aged", "age"]}, "OP": "+"},
                    {"LOWER": {"IN": list(TENS)}},
                    {"TEXT": {"IN": ["-", "\u2013"]}, "OP": "?"},
                    {"LOWER": {"IN": list(UNITS)}, "OP": "?"},
                ],
                [
                    {"LOWER": {"IN": list(TENS)}},
                    {"TEXT": {"IN": ["-", "\u2013"]}, "OP": "?"},
                    {"LOWER": {"IN": list(UNITS)}, "OP": "?"},
                    {"LOWER": {"IN": ["years", "yrs", "year"]}},
                    {"LOWER": "old"},
                ],
                # "back pain at 72": an age unless a unit follows ("at 38 weeks", "at 10 pm")
                [{"LOWER": "at"}, {"TEXT": {"REGEX": r"^\d{2}$"}}],
                # "78 and tripped on the step", "62, back pain": a number that opens the message.
                [
                    {"IS_SENT_START": True, "TEXT": {"REGEX": r"^(1[2-9]|[2-9]\d)$"}},
                    {"LOWER": {"IN": ["and", ",", "f", "m"]}},
                ],
            ],
        )
        # Whose symptoms are told ("my mother is 84, she sat down heavily"): their age, when the
        # message gives none of the writer's own.
        self.matcher.add(
            "AGE_OF_OTHER",
            [
                [
                    {"LOWER": {"IN": ["my", "our", "his", "her"]}},
                    {"LOWER": {"IN": list(RELATIVES)}},
                    {"LOWER": {"IN": ["is", "'s", "s", "who", "aged", "who's", ",", "("]}, "OP": "+"},
                    {"TEXT": {"REGEX": r"^\d{2}$"}},
                ],
                # "Grandad fell out of his chair, he's 90" (set O): the person told about, by pronoun.
                [
                    {"LOWER": {"IN": ["he", "she"]}},
                    {"LOWER": {"IN": ["is", "'s", "s"]}},
                    {"TEXT": {"REGEX": r"^\d{2}$"}},
                ],
                # "Dad's 81", "Mum is 80": a parent or grandparent named as people call them.
                [
                    {"LOWER": {"IN": list(RELATIVES_BY_NAME)}},
                    # "Mum (79) had a little tumble" (set O).
                    {"LOWER": {"IN": ["is", "'s", "s", "aged", ",", "("]}, "OP": "+"},
                    {"TEXT": {"REGEX": r"^\d{2}$"}},
                ],
            ],
        )

    # -- analysing -------------------------------------------------------------
    def doc(self, text: str) -> Doc:
        text = neutralised(text)
        letters = [c for c in text if c.isalpha()]
        if letters and sum(c.isupper() for c in letters) > len(letters) / 2 and len(text.lower()) == len(text):
            # "CANT FEEL MY BUM": read as it would be in lower case (same length, same offsets).
            text = text.lower()
        doc = self.nlp.make_doc(text)
        self.typos(doc)
        for _, component in self.nlp.pipeline:
            doc = component(doc)
        self._add_lemma_phrases(doc)
        self._add_quantities(doc)
        return self.negation(doc)

    def _concept_mentions(self, doc: Doc, analysis: Analysis) -> Tuple[List[Mention], List[Mention]]:
        """Findings made of concepts, and the safety checks mentioned, each with its context
        judged like the lexicon's (kept apart from doc.ents so that they never hide one)."""
        hits = self.concepts.hits(doc)
        analysis.concepts = {hit.concept for hit in hits}
        findings = self.concepts.findings(doc, hits, self.kinds)
        checks = self.concepts.mentions(doc, hits)
        made = []
        for span, parts in findings + checks:
            words = [Span(doc, h.start, h.end, label=span.label_) for h in parts]
            status = self.negation.combined_status(doc, words)
            made.append(Mention(span.label_, span.id_, span.text, span.start_char, span.end_char, status))
        # A concept said negated ("I do not diet") takes nothing back.
        standing = [h for h in hits if not {t.norm_ for t in doc[max(0, h.start - 3) : h.start]} & NEGATORS]
        analysis.affirmed_concepts = {h.concept for h in standing}
        figures = self.concepts.taken_back_in_sentence(doc, standing)
        if figures:
            # "I'd rather die than go back to that chiropractor lol": said, and said as a figure.
            sentence_at = self._sentence_at(doc)
            analysis.mentions = [
                replace(m, status=ABSENT) if sentence_at(m.start) in figures.get(m.id, ()) else m
                for m in analysis.mentions
            ]
            made = [replace(m, status=ABSENT) if sentence_at(m.start) in figures.get(m.id, ()) else m for m in made]
        taken_back = self.concepts.suppressed(standing)
        if taken_back:
            # "Lost 8 kilos on purpose": the finding is said, and said not to be a worry.
            analysis.mentions = [replace(m, status=ABSENT) if m.id in taken_back else m for m in analysis.mentions]
            made = [replace(m, status=ABSENT) if m.id in taken_back else m for m in made]
        return made[: len(findings)], made[len(findings) :]

    def _sentence_at(self, doc: Doc):
        """The sentence number (ConceptMatcher.clause_of with SENTENCE_ENDS) at a character offset."""
        sentences = self.concepts.clause_of(doc, SENTENCE_ENDS)

        def at(char: int) -> int:
            index = next((t.i for t in doc if t.idx + len(t.text) > char), len(doc) - 1)
            return sentences[index] if sentences else 0

        return at

    def _add_quantities(self, doc: Doc) -> None:
        """Findings read from numbers: an overdose, a fever, weight lost."""
        found: List[Span] = []
        for _, start, end in self.overdoses(doc):
            number = next((_number(t.text) for t in doc[start:end] if t.like_num), None)
            if number is not None and number >= OVERDOSE_MIN_TABLETS:
                found.append(Span(doc, start, end, label="symptom", span_id="overdose"))
        for start, end, number in self._temperatures(doc):
            if 38 <= number <= 43 or 100.4 <= number <= 110:
                found.append(Span(doc, start, end, label="symptom", span_id="fever_measured"))
        for _, start, end in self.weights(doc):
            if any(t.like_num or t.lower_ in ("a", "an", "half") for t in doc[start:end]):
                found.append(Span(doc, start, end, label="symptom", span_id="weight_loss"))
        if found:
            doc.set_ents(filter_spans(list(doc.ents) + found))

    def _temperatures(self, doc: Doc) -> List[Tuple[int, int, float]]:
        """Temperatures read from numbers: "my temperature is 39", "temp of 38.5c", "101 degrees",
        and a number in a clause that speaks of a temperature ("thermometer says 38.9",
        "38.2 this morning, I'm boiling" after "fever")."""
        found = []
        for _, start, end in self.temperatures(doc):
            number = next(
                (_number(re.sub(r"[^\d.]", "", t.text)) for t in doc[start:end] if t.text[:1].isdigit()), None
            )
            if number is not None:
                found.append((start, end, number))
        taken = {i for start, end, _ in found for i in range(start, end)}
        for token in doc:
            reading = TEMPERATURE_READING.fullmatch(token.lower_)
            if not reading or token.i in taken:
                continue
            nearby = doc[max(0, token.i - TEMPERATURE_WINDOW) : token.i + TEMPERATURE_WINDOW + 1]
            # "temp", "temps", "temprature", "temrpature": any spelling of the word will do here.
            if any(t.lemma_ in TEMPERATURE_WORDS or t.lower_.startswith("tem") for t in nearby) or reading.group(2):
                found.append((token.i, token.i + 1, float(reading.group(1).replace(",", "."))))
        return found

    def analyse(self, text: str) -> Analysis:
        text = text or ""
        doc = self.doc(text)
        analysis = Analysis(text=text, normalised=" ".join(t.norm_ for t in doc).lower())
        adverb = [(h.start, h.end) for h in self.concepts.hits(doc) if h.concept == BACK_NOT_THE_BODY]
        for ent in doc.ents:
            if ent.text.lower() in BACK_ALONE and any(s < ent.end and ent.start < e for s, e in adverb):
                continue  # "the pain came back", "go back to work": not where it hurts
            analysis.mentions.append(
                Mention(ent.label_, ent.ent_id_, ent.text, ent.start_char, ent.end_char, ent._.status)
            )
        combined, analysis.checks = self._concept_mentions(doc, analysis)
        known = {(m.id, m.start, m.end) for m in analysis.mentions}
        analysis.mentions.extend(m for m in combined if (m.id, m.start, m.end) not in known)
        for ent in filter_spans(self._topic_spans(doc)):
            label, entry_id = ent.label_.split("|", 1)
            analysis.mentions.append(Mention(label, entry_id, ent.text, ent.start_char, ent.end_char))
        self._numbers(doc, analysis)
        analysis.mentions = _both_sides_of_a_place(analysis.mentions)
        return analysis

    def _topic_spans(self, doc: Doc) -> List[Span]:
        """Topic names, except where the words mean something else (concepts.yml
        ``not_a_topic``: "rang the surgery" is the GP's practice, not an operation)."""
        other_meaning = [(h.start, h.end) for h in self.concepts.hits(doc) if h.concept == NOT_A_TOPIC]
        return [
            Span(doc, start, end, label=match_id)
            for match_id, start, end in self.topics(doc)
            if not any(s < end and start < e for s, e in other_meaning)
        ]

    def _numbers(self, doc: Doc, analysis: Analysis) -> None:
        priority = {"AGE": 0, "DURATION": 1, "SEVERITY": 2, "AGE_OF_OTHER": 3}
        their_age: Optional[int] = None
        matches = sorted(
            self.matcher(doc),
            key=lambda m: (-(m[2] - m[1]), priority[doc.vocab.strings[m[0]]], m[1]),
        )
        used: Set[int] = set()
        scores: List[Tuple[int, int, int]] = []
        for match_id, start, end in matches:
            label = doc.vocab.strings[match_id]
            if any(i in used for i in range(start, end)):
                continue
            span = doc[start:end]
            if label == "AGE" and _not_an_age(doc, start, end):
                continue
            if label == "AGE" and analysis.age is None:
                digits = next((t.text for t in span if t.text[:1].isdigit()), None)
                age = int(re.sub(r"\D.*", "", digits)) if digits else _age_in_words(span)
                if 10 <= age <= 110:
                    analysis.age = age
                    used.update(range(start, end))
            elif label == "DURATION" and analysis.duration_days is None:
                if _an_age(doc, end) or self._take_duration(doc, span, analysis):
                    used.update(range(start, end))
            elif label == "AGE_OF_OTHER" and their_age is None and not _not_an_age(doc, start, end):
                their_age = int(span[-1].text)
                used.update(range(start, end))
            elif label == "SEVERITY" and not (end < len(doc) and doc[end].lower_ in NOT_A_SCORE_AFTER):
                severity = self._severity(span)
                if severity is not None:
                    scores.append((severity, start, end))
        self._worst_score(doc, analysis, scores, used)
        if analysis.age is None and their_age is not None and 10 <= their_age <= 110:
            analysis.age = their_age

    def _take_duration(self, doc: Doc, span: Span, analysis: Analysis) -> bool:
        """The pain's duration from a time expression about it; whether it was taken."""
        if not _about_the_pain(doc, span.start, span.end):
            return False
        days = self._duration_days(span.text.lower())
        if days is None:
            days = self._duration_days(" ".join(t.norm_ for t in span).lower())
        if days is None:
            return False
        analysis.duration_days = days
        if (
            not any(t.like_num or t.lower_ in NUMBER_WORDS for t in span)
            and span.text.lower().split()[-1] in VAGUE_DURATIONS
        ) or _range_or_bound(span.text):
            analysis.duration_as_said = span.text
        return True

    @staticmethod
    def _worst_score(doc: Doc, analysis: Analysis, scores: List[Tuple[int, int, int]], used: Set[int]) -> None:
        """ "it was an 8 on Tuesday, more like a 5 today", "probably a 5 most of the time, 7 on
        the stairs": the worst is the highest (set 9: the 5 was summarised as the worst). A bare
        number counts beside a score said as one, or as a short answer on its own."""
        # The "10" of "6 out of 10" is part of the score, not another one.
        scores = [m for m in scores if not any(o != m and o[1] <= m[1] and m[2] <= o[2] for o in scores)]
        said_as_scores = [m for m in scores if m[2] - m[1] > 1 or "/" in doc[m[1] : m[2]].text]
        counted = scores if said_as_scores or len(doc) <= 3 else []
        counted = [m for m in counted if not any(i in used for i in range(m[1], m[2]))]
        if not counted or analysis.severity is not None:
            return
        severity, start, end = max(counted, key=lambda m: (m[0], -m[1]))
        span = doc[start:end]
        analysis.severity = severity
        in_words = not any(t.text[:1].isdigit() for t in span)
        analysis.severity_bare = (end - start == 1 and "/" not in span.text) or in_words

    @staticmethod
    def _severity(span) -> Optional[int]:
        for token in span:
            match = re.match(r"^(\d{1,2})(/10)?$", token.text)
            value = int(match.group(1)) if match else NUMBER_WORDS.get(token.lower_)
            if value is not None and token.lower_ not in ("a", "an"):
                return value if 0 <= value <= 10 else None
        return None

    @staticmethod
    def _duration_days(text: str) -> Optional[float]:
        text = " ".join(text.split())
        ranged = RANGE.search(text)
        if ranged:
            # The middle of a range: "1 to 6 weeks" is neither a week nor six.
            unit = next((UNIT_DAYS[w] for w in reversed(text.split()) if w in UNIT_DAYS), None)
            low, high = _number(ranged.group(1)), _number(ranged.group(2))
            if unit is not None and low is not None and high is not None:
                return (low + high) / 2 * unit
        for phrase, days in RELATIVE_DAYS.items():
            if re.search(rf"\b{phrase}$", text) and not re.search(r"\d", text):
                if phrase in ("years", "months", "weeks", "days") and not text.startswith("for"):
                    continue
                return float(days)
        compact = re.search(r"(\d+)\s*(d|w|wk|wks|m|mth|mths|y|yr|yrs)$", text)
        words = text.replace("-", " ").split()
        unit = next((UNIT_DAYS[w] for w in reversed(words) if w in UNIT_DAYS), None)
        if compact and unit is None:
            amount, short = compact.groups()
            unit = {"d": 1, "w": 7, "wk": 7, "wks": 7, "m": 30, "mth": 30, "mths": 30, "y": 365, "yr": 365, "yrs": 365}[
                short
            ]
            return float(amount) * unit
        if unit is None:
            return None
        amount = None
        for word in words:
            value = _number(word)
            if value is not None and word not in ("a", "an") or word in ("few", "couple", "several"):
                amount = NUMBER_WORDS.get(word, value)
                break
        if amount is None:
            amount = 1.0
        return float(amount) * unit


RANGE = re.compile(r"(\d+(?:\.\d+)?)\s*(?:to|-|\u2013|or|and)\s*(\d+(?:\.\d+)?)\b")
BOUND = re.compile(r"\b(more|less|over|under)\b")


def _range_or_bound(text: str) -> bool:
    return bool(RANGE.search(text.lower()) or BOUND.search(text.lower()))


# Places of the legs (lexicon.yml body locations, bot/contract.py CODE_FINDINGS).
LEG_PLACES = frozenset({"leg", "thigh", "knee", "calf", "foot", "below_knee", "outer_thigh"})


def _both_sides_of_a_place(mentions: List[Mention]) -> List[Mention]:
    """ "Both sides" is both legs only when it can be: "into my bum on both sides but not my
    legs" and "my back on both sides" name another place (set 9: a teenage dancer was sent to
    999 for cauda equina)."""
    sides = [m for m in mentions if m.id == "both_legs" and " ".join(m.text.lower().split()) == "both sides"]
    if not sides:
        return mentions
    places = {m.id for m in mentions if m.label == "body_location" and m.status == PRESENT}
    legs_denied = any(m.id in LEG_PLACES | {"both_legs"} and m.status == ABSENT for m in mentions)
    if legs_denied or (places and not places & LEG_PLACES):
        return [m for m in mentions if m not in sides]
    return mentions


WORSENING = frozenset({"worse", "badder", "flared", "worsened", "worsening", "flaring"})


def _an_age(doc: Doc, end: int) -> bool:
    """ "a 2 year old", "my 3-year-old": an age, not a time (set 9: a child's age became two
    years of pain, and then a pain score of 2)."""
    after = [t.lower_ for t in doc[end : end + 2]]
    return after[:1] == ["old"] or after == ["-", "old"]


def _about_the_pain(doc: Doc, start: int, end: int) -> bool:
    """Whether a time expression can be how long the pain has lasted: minutes only when
    said as "ago" (else how long something is done for: "if I stand for a couple of
    minutes"), and nothing in a clause about a weight change or a pregnancy."""
    after = doc[end].lower_ if end < len(doc) else ""
    if any(t.lower_ in SHORT_UNITS for t in doc[start:end]) and after != "ago":
        return False
    if any(t.lower_ in HOURS for t in doc[start:end]) and _hours_of_something_else(doc, end):
        return False  # "a 12 hour flight", "7 hours in the car": how long something else took
    lead = [t.lower_ for t in doc[max(0, start - 3) : start + 1]]
    worse = bool(WORSENING & set(lead)) or "more bad" in " ".join(lead)
    if worse and {"since", "for", "over"} & set(lead[-2:]):
        return False  # "2 year, but more bad since 1 month": when it got worse (set 10)
    ends_clause = end + 1 >= len(doc) or doc[end + 1].is_punct
    if after == "before" and ends_clause:
        pass  # "digging in garden. two weeks before": said as "ago" (usability review 5)
    elif after in ("after", "later", "before"):
        return False  # "started a few weeks after the op": when it began, not how long it has lasted
    before = [t.lower_ for t in doc[max(0, start - 2) : start]]
    if before[-1:] and (before[-1] in HOW_OFTEN or before == ["once", "a"] or before == ["twice", "a"]):
        return False  # how often it comes back ("every few months", "once a month"), not how long
    left = start
    while left > 0 and not doc[left - 1].is_punct:
        left -= 1
    right = end
    while right < len(doc) and not doc[right].is_punct:
        right += 1
    return not OTHER_THAN_PAIN.search(doc[left:right].text.lower())


@lru_cache(maxsize=4)
def get_pipeline(content: Optional[Content] = None) -> SymptomPipeline:
    return SymptomPipeline(content or get_content())


@lru_cache(maxsize=256)
def analyse(text: str) -> Analysis:
    """The analysis of one message. Cached per text: the NLU component, the screen and the
    form validator of one turn all read the same message; treat the result as read-only."""
    return get_pipeline().analyse(text)
