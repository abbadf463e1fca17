"""A NegEx-style negation and uncertainty detector for spaCy entity spans.

"no numbness", "my leg isn't weak", "not sure if it tingles": each entity span gets
``span._.status`` = "present", "absent" or "uncertain". Triggers are matched on the
token NORM, so "isnt", "isn't" and "is not" behave alike. A trigger's scope runs
forward over at most ``WINDOW`` tokens (or backward, for post-triggers such as
"... is fine") and stops at a clause boundary ("but", ".", "and I ...").
"""

from __future__ import annotations

from typing import Iterable, List, Sequence, Set, Tuple

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

PRESENT, ABSENT, UNCERTAIN = "present", "absent", "uncertain"

WINDOW = 6

# Longer triggers win over the shorter ones inside them ("not sure" beats "not").
PRE_NEGATION = (
    "no",
    "not",
    "never",
    "without",
    "none",
    "nor",
    "neither",
    "denies",
    "deny",
    "don't have",
    "do not have",
    "don't get",
    "haven't got",
    "haven't had",
    "hasn't",
    "no sign of",
    "no signs of",
    "free of",
    "absence of",
    "no problems with",
    "no problem with",
    "no issues with",
    "no trouble with",
    "no change in",
    "nothing like",
    "not any",
    "nope",
    "zero",
    "lack of",
)
PRE_UNCERTAIN = (
    "not sure",
    "unsure",
    "don't know if",
    "don't know whether",
    "not certain",
    "maybe",
    "might",
    "might be",
    "possibly",
    "perhaps",
    "could be",
    "i wonder if",
    "hard to say",
    "not sure if",
    "not sure whether",
    "can't tell if",
    "can't tell whether",
    "wondering if",
)
POST_NEGATION = (
    "is fine",
    "are fine",
    "is ok",
    "are ok",
    "is okay",
    "are okay",
    "is normal",
    "are normal",
    "fine",
    "is not a problem",
    "isn't a problem",
    "no problem",
    "not a problem",
    "not an issue",
    "is good",
    "are good",
    "has been fine",
    "have been fine",
    "all good",
    "not really",
    "is not affected",
    "isn't affected",
)
POST_UNCERTAIN = ("maybe", "not sure", "possibly", "i'm not sure", "perhaps")
# Look like negation but are not: "I didn't notice I'd wet myself" is a positive report.
PSEUDO_NEGATION = (
    "not only",
    "no longer able",
    "didn't notice",
    "didn't realise",
    "didn't realize",
    "didn't know",
    "not just",
    "no idea why",
    "not sure why",
    "not been able to",
    "can't",
    "cannot",
    "couldn't",
    "not able to",
    "unable to",
    "no control",
    "no feeling",
    "not getting better",
    "no better",
    "not improving",
    "not going away",
    "doesn't go away",
    "won't go away",
    "not stopping",
    "no relief",
    "not helping",
    "doesn't help",
    "never goes away",
    "never stops",
    "never eases",
    "never settles",
)
# Stop a trigger's scope.
TERMINATORS = (
    "but",
    "however",
    "though",
    "although",
    "yet",
    "except",
    "apart from",
    "aside from",
    "which",
    "whereas",
    "still",
    ".",
    ";",
    "!",
    "?",
    "because",
    "as",
    "since",
    "so",
)
SUBJECTS_AFTER_AND = {"i", "my", "it", "its", "the", "there", "she", "he", "they", "im", "this", "that"}


def _phrase_matcher(nlp: Language, label_phrases: Iterable[Tuple[str, Sequence[str]]]) -> PhraseMatcher:
    matcher = PhraseMatcher(nlp.vocab, attr="NORM")
    for label, phrases in label_phrases:
        matcher.add(label, [nlp.make_doc(phrase) for phrase in phrases])
    return matcher


class NegationDetector:
    """Sets ``span._.status`` on every entity of a Doc."""

    def __init__(self, nlp: Language):
        if not Span.has_extension("status"):
            Span.set_extension("status", default=PRESENT)
        self._matcher = _phrase_matcher(
            nlp,
            [
                ("PRE_NEG", PRE_NEGATION),
                ("PRE_UNC", PRE_UNCERTAIN),
                ("POST_NEG", POST_NEGATION),
                ("POST_UNC", POST_UNCERTAIN),
                ("PSEUDO", PSEUDO_NEGATION),
                ("TERM", TERMINATORS),
            ],
        )

    def _triggers(self, doc: Doc) -> List[Tuple[str, int, int]]:
        matches = [(doc.vocab.strings[m], s, e) for m, s, e in self._matcher(doc)]
        # Keep the longest trigger where several overlap; pseudo-negations win ties.
        matches.sort(key=lambda m: (-(m[2] - m[1]), m[0] != "PSEUDO", m[1]))
        taken: List[Tuple[str, int, int]] = []
        used: Set[int] = set()
        for label, start, end in matches:
            if any(i in used for i in range(start, end)):
                continue
            taken.append((label, start, end))
            used.update(range(start, end))
        return sorted(taken, key=lambda m: m[1])

    @staticmethod
    def _is_boundary(doc: Doc, index: int, terminators: set) -> bool:
        if index in terminators:
            return True
        token = doc[index]
        if token.norm_ in (",",) and index + 1 < len(doc) and doc[index + 1].norm_ in SUBJECTS_AFTER_AND:
            return True
        if token.norm_ == "and" and index + 1 < len(doc) and doc[index + 1].norm_ in SUBJECTS_AFTER_AND:
            return True
        # "it doesn't go down my leg, just stays in my back"
        return token.norm_ == "just" and index > 0 and doc[index - 1].norm_ == ","

    def __call__(self, doc: Doc) -> Doc:
        triggers = self._triggers(doc)
        terminators = {i for label, s, e in triggers if label == "TERM" for i in range(s, e)}
        entity_tokens = {i for ent in doc.ents for i in range(ent.start, ent.end)}
        for ent in doc.ents:
            ent._.status = self._status_of(doc, ent, triggers, terminators, entity_tokens)
        return doc

    def _status_of(self, doc, ent, triggers, terminators, entity_tokens) -> str:
        status = PRESENT
        for label, start, end in triggers:
            if label in ("PSEUDO", "TERM"):
                continue
            if start >= ent.start and end <= ent.end:
                continue  # a trigger inside the entity ("no feeling") is part of it
            if label.startswith("PRE") and start < ent.start and end <= ent.end:
                # A trigger may share words with the entity ("no problems with" + "problems with my bladder").
                gap = range(min(end, ent.start), ent.start)
                if self._in_scope(doc, gap, terminators, entity_tokens):
                    status = ABSENT if label == "PRE_NEG" else UNCERTAIN
            elif label.startswith("POST") and start >= ent.end:
                gap = range(ent.end, start)
                if self._in_scope(doc, gap, terminators, entity_tokens, post=True):
                    status = ABSENT if label == "POST_NEG" else UNCERTAIN
        return status

    def _in_scope(self, doc, gap, terminators, entity_tokens, post=False) -> bool:
        words = [i for i in gap if i not in entity_tokens and not doc[i].is_punct]
        limit = 3 if post else WINDOW
        if len(words) > limit:
            return False
        return not any(self._is_boundary(doc, i, terminators) for i in gap)
