"""The statistical net beside the rules: one small classifier per red-flag family.

Issue 22, requirement 3. The spaCy rules (bot/nlp/pipeline.py) are precise but only
know the words in the lexicon; this net looks at character and word n-grams, so a
typo, text-speak or a roundabout way of saying a red flag is still noticed. A hit of
the net NEVER escalates by itself: the caller only asks a targeted safety question
for the families it suspects, and the rules decide on the answer.

The training phrasings are content a clinician can read and edit:
``bot/content/data/net_phrasings.yml`` (per family ``positive`` phrasings, an optional
``threshold`` and ``sources``; one shared ``negative`` list). The file is checked when
it is loaded (``load_data``) and refused with a ``ValueError`` naming the problem.

The model is trained at first use (``get_net``, cached): one feature space for all
families, a FeatureUnion of two TF-IDF vectorisers (character 2-5-grams within word
boundaries, ``char_wb``, and word 1-2-grams) fitted on every phrasing; then one
balanced logistic regression per family (liblinear, fixed seed), one-vs-rest: a family's
positives against the shared negatives and the other families' positives (a phrasing
listed under two families is positive for both and negative for neither). Text is
lowercased and its whitespace collapsed first. A message is scored as a whole and
sentence by sentence, and a family's score is the highest of these, so that a symptom
said in passing in a long message is not drowned by the rest of it.

Scope marking (``mark_scope``): n-grams alone see "fever" in "no fever" and "fell off a
ladder" in "my dad fell off a ladder". So, as the "NOT_" tagging of sentiment analysis
does, the words in the scope of a negation ("no", "can't", ... for a few words), of a
negation said after them ("... are fine", "... was normal", back to the start of the
clause) and of another person ("my mum", "he", ... until the person speaks of
themselves again) are written in capitals before both analysers see the text:
"no FEVER", "my dad FELL OFF A LADDER". The classifiers still learn what each form
means ("i can't FEEL MY LEGS" is a positive). On the training file this took the share
of negatives on which some family fires from about a quarter to about a tenth at the
same recall (cross-validated).

Measured on the development machine (2 cores shared with other work, load average
about 3; Python 3.10, scikit-learn 1.1.3; 1,275 positive and 898 negative phrasings):
training 0.4-0.7 s (three runs; loading the YAML 12 ms more); a call of
``suspected_families`` on a one-sentence message 0.8-0.95 ms median, 1.2 ms at the
95th percentile (1,000 calls each on three messages); a 17-sentence message 2.4 ms; a
100 kB paste 0.15 s.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, FrozenSet, List, Mapping, Tuple

import numpy as np
import yaml
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion

from bot.content.loader import YAML_LOADER

NET_FILE = Path(__file__).resolve().parents[1] / "content" / "data" / "net_phrasings.yml"

# The red-flag families the net knows; the code that asks the targeted questions
# names these, so the file may not add or rename one.
FAMILIES: Tuple[str, ...] = (
    "bladder_bowel",
    "saddle",
    "both_legs",
    "chest_breathing",
    "fever",
    "cancer",
    "weight_loss",
    "fall_blow",
    "cold_leg",
    "swollen_calf",
    "pulsing_tummy",
    "suicidal",
)
DEFAULT_THRESHOLD = 0.5
MIN_POSITIVES = 20
RANDOM_STATE = 0
# The logistic regressions' regularisation and solver (liblinear: a tenth of lbfgs's
# training time here, the same cross-validated figures).
C = 10.0
SOLVER = "liblinear"

# Scope marking (see the module docstring). Words that start a negation's scope:
_NEGATION = re.compile(
    r"^(no|not|never|nothing|none|nobody|without|nor|neither|cannot|cant|dont|wont|isnt|arent|"
    r"wasnt|werent|havent|hasnt|hadnt|didnt|doesnt|couldnt|wouldnt|shouldnt|\w+n't)$"
)
_NEGATION_WORDS = 3  # how many words after a negation are in its scope
# Said after what they deny ("my bladder is fine"): the words before them, in the clause.
_NEGATION_AFTER = re.compile(r"^(fine|normal|normally|ok|okay|alright|steady|stable|clear|free|unchanged|benign)$")
_NEGATION_AFTER_WORDS = 6
# Someone else's symptoms: from one of these words to the end of the clause, or until
# the person speaks of themselves again ("my husband says I'm burning up").
_OTHER_PERSON = re.compile(
    r"^(mum|mom|mother|dad|father|husband|wife|partner|son|daughter|friend|friends|brother|sister|"
    r"grandad|grandpa|grandma|granny|nan|grandmother|grandfather|aunt|uncle|cousin|neighbour|"
    r"neighbor|colleague|boss|baby|toddler|kids|child|children|he|she|they|his|her|their|"
    r"mother-in-law|father-in-law)(?:'s|s)?$"
)
_SELF = re.compile(r"^(i|i'm|i've|i'd|i'll|im|ive|me|myself)$")
# Words that end a negation's scope (a new clause); only the first four end a scope
# said after its words ("my bladder and bowels are fine": both are denied).
_CLAUSE_WORD = re.compile(r"^(but|though|although|however|except|and|just|only)$")
_CLAUSE_WORD_AFTER = re.compile(r"^(but|though|although|however|except)$")
_TOKEN = re.compile(r"[\w']+|[^\w\s]")
_WORD = re.compile(r"[\w']")

# Where a message is cut into sentences (its whole is scored too).
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+")
# A message is scored on at most this many sentences (a 100 kB paste stays fast); the
# whole message is always scored.
MAX_SENTENCES = 40


def normalise(text: str) -> str:
    """Lowercase, whitespace collapsed: what the net sees."""
    return " ".join(str(text or "").lower().split())


@dataclass(frozen=True)
class NetData:
    """The checked content of net_phrasings.yml."""

    positives: Mapping[str, Tuple[str, ...]]  # family -> normalised phrasings
    negatives: Tuple[str, ...]
    thresholds: Mapping[str, float]
    sources: Mapping[str, str]

    def examples(self) -> Dict[str, FrozenSet[str]]:
        """Every phrasing once, with the families it is positive for (none: a negative)."""
        labels: Dict[str, set] = {text: set() for text in self.negatives}
        for family, texts in self.positives.items():
            for text in texts:
                labels.setdefault(text, set()).add(family)
        return {text: frozenset(families) for text, families in labels.items()}


def _phrasings(file: str, where: str, raw: Any) -> Tuple[str, ...]:
    if not isinstance(raw, list) or not raw:
        raise ValueError(f"{file}: {where} must be a non-empty list of phrasings")
    texts = []
    for index, item in enumerate(raw):
        # yes, no, on, off, numbers... are not text in YAML: they must be quoted.
        if not isinstance(item, str) or not item.strip():
            raise ValueError(f"{file}: {where} #{index + 1} ({item!r}) is not text; put it in quotes")
        texts.append(normalise(item))
    seen = set()
    for text in texts:
        if text in seen:
            raise ValueError(f"{file}: {where} lists '{text}' twice")
        seen.add(text)
    return tuple(texts)


def parse(document: Any, file: str = NET_FILE.name) -> NetData:
    """Check a loaded net_phrasings document; ValueError naming the first problem."""
    if not isinstance(document, dict):
        raise ValueError(f"{file}: must be a mapping with 'families' and 'negative'")
    families = document.get("families")
    if not isinstance(families, dict) or not families:
        raise ValueError(f"{file}: 'families' must map family ids to their phrasings")
    unknown = [str(family) for family in families if family not in FAMILIES]
    if unknown:
        raise ValueError(f"{file}: unknown family id(s) {', '.join(unknown)}; known: {', '.join(FAMILIES)}")
    missing = [family for family in FAMILIES if family not in families]
    if missing:
        raise ValueError(f"{file}: no phrasings for family {', '.join(missing)}")
    negatives = _phrasings(file, "'negative'", document.get("negative"))
    positives: Dict[str, Tuple[str, ...]] = {}
    thresholds: Dict[str, float] = {}
    sources: Dict[str, str] = {}
    for family in FAMILIES:
        entry = families[family]
        if not isinstance(entry, dict):
            raise ValueError(f"{file}: family '{family}' must have 'positive' (and may have 'threshold', 'sources')")
        texts = _phrasings(file, f"family '{family}', 'positive'", entry.get("positive"))
        if len(texts) < MIN_POSITIVES:
            raise ValueError(
                f"{file}: family '{family}' has {len(texts)} positive phrasings, at least {MIN_POSITIVES} are needed"
            )
        threshold = entry.get("threshold", DEFAULT_THRESHOLD)
        if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0 < threshold < 1:
            raise ValueError(
                f"{file}: family '{family}', 'threshold' must be a number between 0 and 1, not {threshold!r}"
            )
        positives[family] = texts
        thresholds[family] = float(threshold)
        sources[family] = " ".join(str(entry.get("sources") or "").split())
    negative_set = set(negatives)
    for family, texts in positives.items():
        both = sorted(negative_set.intersection(texts))
        if both:
            raise ValueError(f"{file}: '{both[0]}' is both a positive of '{family}' and a negative")
    return NetData(positives=positives, negatives=negatives, thresholds=thresholds, sources=sources)


def load_data(path: Path | str = NET_FILE) -> NetData:
    path = Path(path)
    try:
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
    except yaml.YAMLError as error:
        raise ValueError(f"{path.name}: is not valid YAML: {error}") from error
    return parse(document, path.name)


def mark_scope(text: str) -> str:
    """The normalised text with the words in a negation's or another person's scope in
    capitals: "no problems peeing" -> "no PROBLEMS PEEING" (see the module docstring)."""
    tokens = _TOKEN.findall(normalise(text))
    marked = list(tokens)
    negated_left = 0  # words still in the scope of a negation
    other_person = False
    clause_start = 0  # first token of the clause, for a negation said after its words
    for index, token in enumerate(tokens):
        if not _WORD.match(token):  # punctuation ends every scope
            negated_left, other_person, clause_start = 0, False, index + 1
            continue
        if _CLAUSE_WORD.match(token):
            negated_left = 0
            if _CLAUSE_WORD_AFTER.match(token):
                clause_start = index + 1
            continue
        if _SELF.match(token):
            other_person = False
        if _OTHER_PERSON.match(token):
            other_person = True
            continue
        if _NEGATION.match(token):
            negated_left = _NEGATION_WORDS
            continue
        if _NEGATION_AFTER.match(token):
            for before in range(max(clause_start, index - _NEGATION_AFTER_WORDS), index):
                if _WORD.match(tokens[before]) and not (
                    _NEGATION.match(tokens[before]) or _CLAUSE_WORD.match(tokens[before])
                ):
                    marked[before] = tokens[before].upper()
            continue
        if negated_left or other_person:
            marked[index] = token.upper()
        negated_left = max(0, negated_left - 1)
    return " ".join(marked)


def _vectoriser() -> FeatureUnion:
    # The text arrives marked (mark_scope: lowercase, scopes in capitals): keep the case.
    options = dict(lowercase=False, sublinear_tf=True, dtype=np.float32)
    return FeatureUnion(
        [
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), **options)),
            ("words", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), **options)),
        ]
    )


def sentences(text: str) -> List[str]:
    """The normalised message and, when it has several, its sentences (at most MAX_SENTENCES)."""
    whole = normalise(text)
    raw = str(text or "")
    parts = [normalise(part) for line in raw.splitlines() for part in _SENTENCE_END.split(line)]
    parts = [part for part in parts if part]
    if len(parts) <= 1:
        return [whole]
    return [whole] + parts[:MAX_SENTENCES]


class Net:
    """The trained classifiers; ``scores`` and ``suspected`` on any text."""

    def __init__(self, examples: Mapping[str, FrozenSet[str]], thresholds: Mapping[str, float]):
        texts = list(examples)
        self.families = tuple(family for family in FAMILIES if family in thresholds)
        self.thresholds = {family: thresholds[family] for family in self.families}
        vectoriser = _vectoriser()
        matrix = vectoriser.fit_transform([mark_scope(text) for text in texts])
        weights, intercepts = [], []
        for family in self.families:
            labels = np.array([family in examples[text] for text in texts], dtype=int)
            model = LogisticRegression(class_weight="balanced", random_state=RANDOM_STATE, C=C, solver=SOLVER)
            model.fit(matrix, labels)
            weights.append(model.coef_[0])
            intercepts.append(model.intercept_[0])
        # The families' decision functions as matrix products, one per analyser on its
        # own columns of the weights: the same numbers as each model's predict_proba on
        # the union, without twelve calls' overhead or stacking the two matrices.
        all_weights = np.asarray(weights, dtype=np.float64).T
        self.parts = []
        start = 0
        for _, analyser in vectoriser.transformer_list:
            width = len(analyser.vocabulary_)
            self.parts.append((analyser, all_weights[start : start + width]))
            start += width
        assert start == all_weights.shape[0]
        self.intercepts = np.asarray(intercepts, dtype=np.float64)

    def score_matrix(self, texts: List[str]) -> np.ndarray:
        """Probabilities, one row per text, one column per family."""
        marked = [mark_scope(text) for text in texts]
        logits = self.intercepts + sum(analyser.transform(marked) @ weights for analyser, weights in self.parts)
        return 1.0 / (1.0 + np.exp(-np.clip(logits, -50, 50)))

    def scores(self, text: str) -> Dict[str, float]:
        best = self.score_matrix(sentences(text)).max(axis=0)
        return {family: float(best[index]) for index, family in enumerate(self.families)}

    def suspected(self, text: str) -> FrozenSet[str]:
        return frozenset(family for family, score in self.scores(text).items() if score > self.thresholds[family])


def train(data: NetData) -> Net:
    return Net(data.examples(), data.thresholds)


@lru_cache(maxsize=1)
def get_net() -> Net:
    """The net trained on net_phrasings.yml, once per process."""
    return train(load_data())


def scores(text: str) -> Dict[str, float]:
    """Each family's probability for the text (0 to 1)."""
    return get_net().scores(text)


def suspected_families(text: str) -> FrozenSet[str]:
    """Families whose probability is above their threshold: ask about them, never escalate."""
    return get_net().suspected(text)
