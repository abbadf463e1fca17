"""Which capitalised words could be a name: those no English word list and no word of the
assistant's own knows (bot/redaction.py decides where they stand).

- English: spaCy's English lemma tables (spacy-lookups-data: ~41,000 inflected forms and the
  ~90,000 WordNet lemmas they come from, place names included) and its stop words;
- the assistant's own words: its content (bot/content/data), its responses (domain.yml) and
  its training examples (data/nlu, when present), so medical words, drug names and the ways
  people write are known, and so are typos one edit away from one of them ("Sciatca");
- bot/known_words.txt: medical eponyms ("Braxton Hicks"), UK brand names of medicines, shops.

Accents are ignored ("Barré" is "barre").

An invented or rare surname ("Quattlebaum", "Zquoxvayn") is in neither. A name that is also
an English word or in WordNet ("Sam", "John Smith", "Leeds") is not found this way.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import FrozenSet, Iterable, Set

ROOT = Path(__file__).resolve().parent.parent
PROJECT_SOURCES = ("bot/content/data/*.yml", "bot/known_words.txt", "domain.yml", "data/nlu/*.yml")
_WORD = re.compile(r"[a-z]+")
MIN_TYPO_LENGTH = 5  # shorter words are one edit from too many others
MIN_ENGLISH_TYPO_LENGTH = 8  # English has far more words: only longer ones are taken as typos of one


def _lookups_data() -> Path:
    import spacy_lookups_data

    return Path(spacy_lookups_data.__file__).parent / "data"


def _words_of(values: Iterable[object]) -> Iterable[str]:
    for value in values:
        if isinstance(value, str):
            yield from _WORD.findall(value.lower())
        elif isinstance(value, (list, tuple)):
            yield from _words_of(value)
        elif isinstance(value, dict):
            yield from _words_of(value.keys())
            yield from _words_of(value.values())


@lru_cache(maxsize=1)
def english() -> FrozenSet[str]:
    data = _lookups_data()
    words: Set[str] = set()
    for table in ("en_lemma_lookup", "en_lemma_index", "en_lemma_exc"):
        with gzip.open(data / f"{table}.json.gz", "rt", encoding="utf-8") as f:
            words.update(_words_of([json.load(f)]))
    from spacy.lang.en.stop_words import STOP_WORDS  # the closed classes the lemma tables lack ("they", "if")

    words.update(_words_of(STOP_WORDS))
    return frozenset(words)


@lru_cache(maxsize=1)
def project() -> FrozenSet[str]:
    words: Set[str] = set()
    for pattern in PROJECT_SOURCES:
        for path in sorted(ROOT.glob(pattern)):
            text = path.read_text(encoding="utf-8").lower()
            if path.suffix == ".txt":
                text = re.sub(r"#.*", "", text)
            words.update(_WORD.findall(_ascii(text)))
    return frozenset(words)


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _deletes(word: str) -> Set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


@lru_cache(maxsize=1)
def _project_deletes() -> FrozenSet[str]:
    found: Set[str] = set()
    for word in project():
        if len(word) >= MIN_TYPO_LENGTH - 1:
            found.add(word)
            found.update(_deletes(word))
    return frozenset(found)


def _edits(word: str) -> Iterable[str]:
    """Every word one letter inserted, dropped or changed away (Norvig's edits1 without swaps)."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    for i in range(len(word) + 1):
        head, tail = word[:i], word[i:]
        yield from (head + c + tail for c in letters)
        if tail:
            yield head + tail[1:]
            yield from (head + c + tail[1:] for c in letters if c != tail[0])


def _typo_of_project_word(word: str) -> bool:
    """A typo: two neighbouring letters swapped in any known word ("Bcak"); one insertion,
    deletion, substitution or swap from a word of the assistant's (SymSpell's deletions: the
    two words share a form with at most one letter removed from each); in a longer word, one
    letter inserted, dropped or changed from an English word ("Ocasionally")."""
    swaps = (word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1))
    if any(s in english() or s in project() for s in swaps):
        return True
    if len(word) < MIN_TYPO_LENGTH:
        return False
    index = _project_deletes()
    if word in index or any(form in index for form in _deletes(word)):
        return True
    return len(word) >= MIN_ENGLISH_TYPO_LENGTH and any(e in english() for e in _edits(word))


@lru_cache(maxsize=4096)
def known(word: str) -> bool:
    """True for an English word, a word of the assistant's, or a typo of one of the latter."""
    folded = _ascii(word.lower().replace("\u2019", "'"))
    if folded.endswith("'s"):
        folded = folded[:-2]
    parts = [p for p in re.split(r"['-]", folded) if p]
    if not parts:
        return True
    return all(p in english() or p in project() or _typo_of_project_word(p) for p in parts)


def warm_up() -> None:
    english()
    _project_deletes()
