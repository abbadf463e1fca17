"""The second layer of reading: concepts, and findings made of concepts.

A red flag is rarely said in the words of a list. "Couldn't pee", "nothing comes out even
though my bladder is full", "I have to push to start and then it dribbles" and "wet patches
on the floor without noticing" share no phrase, but each joins a body function (the
bladder) to a problem with it. concepts.yml holds small sets of words per meaning and the
rules that combine them; this module finds them in a message:

- ``ConceptMatcher.hits``: every concept word in the message (a PhraseMatcher on the
  canonical forms of bot/nlp/normalise.py, so plurals, tenses and contractions match);
- ``ConceptMatcher.findings``: spans for the findings whose combination of concepts
  occurs in one clause, ``window`` words apart. They join the lexicon's entities, and the
  context detector then decides whether each is the person's own, negated, past...;
- ``ConceptMatcher.mentions``: the safety checks (targeted questions) whose concepts a
  message mentions, as spans, so that their context can be judged the same way.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Dict, Iterable, List, Sequence, Set, Tuple

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span

from bot.content.loader import ConceptModel

# Clause boundaries for combinations: a concept on the other side of one of these is
# about something else ("my back hurts. I can't sleep" is not a sleep problem of the back).
CLAUSE_ENDS = frozenset({".", "?", "!", ";", "but", "although", "though", "however", "whereas", "\n"})
SENTENCE_ENDS = frozenset({".", "?", "!", ";", "\n"})


@dataclass(frozen=True)
class Hit:
    concept: str
    start: int
    end: int


def _outermost(hits: List[Hit]) -> List[Hit]:
    """The hits not inside a longer one of the same group: of "not scared of dying", the
    whole, not the "dying" within it that its own "not" would seem to deny. One sweep over
    the distinct spans, longest first at each start, so a long message stays linear."""
    inside: Set[Tuple[int, int]] = set()
    reach = -1
    for start, end in sorted({(h.start, h.end) for h in hits}, key=lambda s: (s[0], -s[1])):
        if end <= reach:
            inside.add((start, end))
        reach = max(reach, end)
    return [h for h in hits if (h.start, h.end) not in inside]


class ConceptMatcher:
    def __init__(self, nlp: Language, model: ConceptModel):
        self.model = model
        # One-word concepts: a PhraseMatcher. Phrases: a Matcher whose patterns let filler
        # words stand between their words ("can't really feel", "could not even pee").
        self.words = PhraseMatcher(nlp.vocab, attr="LEMMA")
        self.phrases = Matcher(nlp.vocab)
        fillers = {"LEMMA": {"IN": list(model.fillers)}, "OP": "*"}
        for concept in model.concepts.values():
            docs = list(nlp.pipe(concept.words))
            single = [d for d in docs if len(d) == 1]
            if single:
                self.words.add(concept.id, single)
            patterns = []
            for d in docs:
                if len(d) > 1:
                    pattern: List[Dict] = []
                    for index, token in enumerate(d):
                        if index:
                            pattern.append(fillers)
                        pattern.append({"LEMMA": token.lemma_})
                    patterns.append(pattern)
            patterns += [[dict(token) for token in p] for p in concept.patterns]
            if patterns:
                self.phrases.add(concept.id, patterns)

    # -- concepts ------------------------------------------------------------------
    def hits(self, doc: Doc) -> List[Hit]:
        """Concept words in the message, the longest where two of one concept overlap; a
        word inside a lexicon finding of the concept's ``not_inside``, or inside the words of a
        concept of its ``not_part_of``, does not count."""
        found: Dict[str, List[Tuple[int, int]]] = {}
        for match_id, start, end in [*self.words(doc), *self.phrases(doc)]:
            found.setdefault(doc.vocab.strings[match_id], []).append((start, end))
        hits: List[Hit] = []
        for concept_id, spans in found.items():
            concept = self.model.concepts[concept_id]
            blocked = set(concept.not_inside)
            wholes = [span for other in concept.not_part_of for span in found.get(other, ())]
            spans.sort(key=lambda s: (-(s[1] - s[0]), s[0]))
            taken: Set[int] = set()
            for start, end in spans:
                if taken & set(range(start, end)):
                    continue
                if blocked and any(ent.ent_id_ in blocked and ent.start < end and start < ent.end for ent in doc.ents):
                    continue  # "bottom" in "the bottom of my back", "down below" in "down below my knee"
                if any(w_start <= start and end <= w_end for w_start, w_end in wholes):
                    continue  # "wrong" in "my back went wrong": said of the back, not of peeing
                taken.update(range(start, end))
                hits.append(Hit(concept_id, start, end))
        return sorted(hits, key=lambda h: (h.start, h.end))

    @staticmethod
    def clause_of(doc: Doc, ends: frozenset = CLAUSE_ENDS) -> List[int]:
        """Each token's clause number (or sentence number, with SENTENCE_ENDS)."""
        clause, numbers = 0, []
        for token in doc:
            if token.norm_ in ends or token.text in ends:
                clause += 1
            numbers.append(clause)
        return numbers

    def _together(
        self, hits: Sequence[Hit], groups: Sequence[Tuple[str, ...]], window: int, clauses: List[int]
    ) -> List[Tuple[int, int, List[Hit]]]:
        """Spans where one hit of each group falls in one clause, ``window`` words apart
        (the hits themselves distinct), with those hits."""
        by_group = [_outermost([h for h in hits if h.concept in group]) for group in groups]
        if not all(by_group):
            return []
        # Anchored on the rarest group, each other group's nearest hit in the same clause:
        # linear in the message's length, whatever it holds.
        anchor_index = min(range(len(by_group)), key=lambda i: len(by_group[i]))
        found: List[Tuple[int, int, List[Hit]]] = []
        for anchor in by_group[anchor_index]:
            clause = clauses[anchor.start]
            chosen = [anchor]
            for index, group_hits in enumerate(by_group):
                if index == anchor_index:
                    continue
                candidates = [
                    h
                    for h in group_hits
                    if clauses[h.start] == clause
                    and clauses[h.end - 1] == clause
                    and all(h.end <= c.start or h.start >= c.end for c in chosen)
                ]
                if not candidates:
                    break
                chosen.append(min(candidates, key=lambda h: abs(h.start - anchor.start)))
            else:
                start = min(h.start for h in chosen)
                end = max(h.end for h in chosen)
                if end - start - sum(h.end - h.start for h in chosen) <= window:
                    found.append((start, end, chosen))
        return found

    def _combined(
        self, hits: Sequence[Hit], groups: Sequence[Tuple[str, ...]], at_least: int, window: int, clauses: List[int]
    ) -> List[Tuple[int, int, List[Hit]]]:
        """``_together`` for every group, or for any ``at_least`` of them (each span once)."""
        if not at_least:
            return self._together(hits, groups, window, clauses)
        present = [group for group in groups if any(h.concept in group for h in hits)]
        found: Dict[Tuple[int, int], List[Hit]] = {}
        for chosen in itertools.combinations(present, at_least):
            for start, end, parts in self._together(hits, chosen, window, clauses):
                found.setdefault((start, end), parts)
        return [(start, end, parts) for (start, end), parts in found.items()]

    def _cancelled(self, hits: Sequence[Hit], unless: Iterable[str], span: Tuple[int, int], clauses: List[int]) -> bool:
        unless = set(unless)
        clause = clauses[span[0]]
        return any(h.concept in unless and clauses[h.start] == clause for h in hits)

    def suppressed(self, hits: Sequence[Hit]) -> Set[str]:
        """Findings that a concept anywhere in the message takes back ("on purpose" for weight
        lost, "Raynaud's" for white toes, "screening" for an aneurysm): concepts.yml `suppress`."""
        named = {hit.concept for hit in hits}
        return {finding for finding, concepts in self.model.suppress.items() if named & set(concepts)}

    def taken_back_in_sentence(self, doc: Doc, hits: Sequence[Hit]) -> Dict[str, Set[int]]:
        """Findings said as a figure of speech, with the sentences (numbers of clause_of with
        SENTENCE_ENDS) where they are: concepts.yml `take_back_in_sentence`."""
        sentences = self.clause_of(doc, SENTENCE_ENDS)
        named = {hit.concept for hit in hits}
        found: Dict[str, Set[int]] = {}
        for rule in self.model.take_back_in_sentence:
            if named & set(rule.unless_anywhere):
                continue
            where = {sentences[h.start] for h in hits if h.concept in rule.said_with}
            for finding in rule.findings:
                found.setdefault(finding, set()).update(where)
        return found

    def findings(self, doc: Doc, hits: Sequence[Hit], kinds: Dict[str, str]) -> List[Tuple[Span, List[Hit]]]:
        """The findings that combinations of concepts make up: each span with the concept
        words it is made of (their context is judged word by word: "my chest is fine, no
        pain there" negates both)."""
        clauses = self.clause_of(doc)
        sentences = self.clause_of(doc, SENTENCE_ENDS)
        found: List[Tuple[Span, List[Hit]]] = []
        for combination in self.model.combinations:
            scope = [0] * len(doc) if combination.anywhere else sentences if combination.across_but else clauses
            for start, end, parts in self._combined(
                hits, combination.all, combination.at_least, combination.window, scope
            ):
                if self._cancelled(hits, combination.unless, (start, end), clauses):
                    continue
                span = Span(doc, start, end, label=kinds[combination.finding], span_id=combination.finding)
                found.append((span, parts))
        return found

    def mentions(self, doc: Doc, hits: Sequence[Hit]) -> List[Tuple[Span, List[Hit]]]:
        """The safety checks a message mentions, with the words that mention them."""
        clauses = self.clause_of(doc)
        found: List[Tuple[Span, List[Hit]]] = []
        for check in self.model.checks.values():
            for group in check.mentions:
                for start, end, parts in self._together(hits, [(c,) for c in group], 12, clauses):
                    if not self._cancelled(hits, check.unless, (start, end), clauses):
                        found.append((Span(doc, start, end, label="check", span_id=check.id), parts))
        return found
