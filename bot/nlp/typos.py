"""Corrects small typos in words the assistant knows, before matching.

Only words that are not English (per pyspellchecker's frequency list) are touched,
and only towards words of the content module's own vocabulary, so "seeing" is
never turned into "peeing" but "numbnes" becomes "numbness". The correction is
written to ``token.norm_``, which every matcher in the pipeline reads.
"""

from __future__ import annotations

import re
from typing import Dict, Iterable, Optional

from spacy.tokens import Doc
from spellchecker import SpellChecker


def distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance (edits incl. swaps), or limit + 1 once above limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


class TypoNormaliser:
    MIN_LENGTH = 4
    MAX_LENGTH = 20  # longer "words" are not words anyone meant
    MIN_ENGLISH_LENGTH = 5  # shorter text-speak ("fkn") is not a misspelt English word

    def __init__(self, vocabulary: Iterable[str], short_forms: Optional[Dict[str, str]] = None):
        # Text-speak the spelling corrector cannot reach (too short): "yr", "bk", "evry".
        self.short_forms = dict(short_forms or {})
        self.vocabulary = {w for w in vocabulary if len(w) >= self.MIN_LENGTH - 1}
        self.english = SpellChecker()
        # A word close to no listed word but one edit from an English one ("maanged"): its
        # English spelling, which the lemmas then read ("managed" -> "manage").
        self.english_near = SpellChecker(distance=1)
        self._cache: Dict[str, Optional[str]] = {}

    def correction(self, word: str) -> Optional[str]:
        word = word.lower()
        if word in self.short_forms:
            return self.short_forms[word]
        if word in self._cache:
            return self._cache[word]
        result = None
        if (
            self.MIN_LENGTH <= len(word) <= self.MAX_LENGTH
            and word.isalpha()
            and word not in self.vocabulary
            and word not in self.english
        ):
            limit = 2 if len(word) >= 8 else 1
            scored = sorted((distance(word, known, limit), known) for known in self.vocabulary)
            best = [known for score, known in scored if score <= limit and score == scored[0][0]]
            # Ties (British and American spellings, "neighbuor"): the one of the same length.
            same_length = [known for known in best if len(known) == len(word)]
            if len(best) == 1 or len(same_length) == 1:
                result = best[0] if len(best) == 1 else same_length[0]
            elif not best and len(word) >= self.MIN_ENGLISH_LENGTH:
                guess = self.english_near.correction(word)
                result = guess if guess and guess != word else None
        self._cache[word] = result
        return result

    def __call__(self, doc: Doc) -> Doc:
        for token in doc:
            corrected = self.correction(token.text) or _past_with_apostrophe(token.lower_)
            if corrected:
                token.norm_ = corrected
            elif _to_written_as_2(doc, token.i):
                token.norm_ = "to"
        return doc


# "pee'd myself", "poo'd", "wee'd": a past tense written with an apostrophe (spaCy keeps it as one
# token). Not after a pronoun, where "'d" is "would" or "had" ("I'd", "she'd").
APOSTROPHE_PAST = re.compile(r"([a-z]{2,})['’]d")
PRONOUNS = frozenset({"i", "you", "he", "she", "it", "we", "they", "who", "that", "there", "what", "u"})


def _past_with_apostrophe(word: str) -> Optional[str]:
    match = APOSTROPHE_PAST.fullmatch(word)
    if not match or match.group(1) in PRONOUNS:
        return None
    stem = match.group(1)
    return stem + ("d" if stem.endswith("e") else "ed")


# Text-speak "2" for "to" ("can i go 2 wrk", "need 2 see a gp"): only after a word that takes
# "to" and before a word that is not counted, so "have 2 kids" and "need 2 weeks off" stay numbers.
TAKES_TO = frozenset(
    {"go", "going", "goin", "went", "back", "need", "needs", "want", "wants", "wanna", "able", "used", "come",
     "coming", "supposed", "allowed", "meant", "try", "trying", "due", "talk", "speak", "listen", "how", "where"}
)  # fmt: skip


def _to_written_as_2(doc: Doc, i: int) -> bool:
    if doc[i].text != "2" or i == 0 or i + 1 >= len(doc):
        return False
    after = doc[i + 1].lower_
    return doc[i - 1].lower_ in TAKES_TO and doc[i + 1].is_alpha and after.rstrip("s") not in COUNTED


# What "2" counts after those words: "need 2 weeks off", "went back 2 days ago", "need 2 tablets".
COUNTED = frozenset(
    {"sec", "second", "min", "minute", "hr", "hour", "day", "wk", "week", "month", "mth", "yr", "year", "time",
     "more", "tablet", "pill", "dose", "kid", "child", "children", "or", "and", "of", "x"}
)  # fmt: skip
