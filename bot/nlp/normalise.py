"""The first layer of reading: every token's canonical form, in ``token.lemma_``.

What people type varies in ways that do not change the meaning: case, contractions and
their misspellings ("can't", "cant", "cannot", "couldn't", "couldnt" and "could not"),
typos ("numbnes"), and inflection ("accidents", "peed", "falling", "legs"). Every rule
after this one (the lexicon's phrases, the concept combinations, the safety questions)
matches on the canonical form, so a rule written once as "can not pee" also reads
"couldnt pee" and "I couldn't wee"; the words themselves and ``token.norm_`` (which the
context detector reads) are left alone.

The canonical form of a token is spaCy's lookup lemma (the official
``spacy-lookups-data`` tables, which need no trained model) of its normalised spelling
(spaCy's own contraction norms plus the typo corrector's, bot/nlp/typos.py), then the
content module's ``equivalents`` (bot/content/data/concepts.yml: "could" -> "can"); words
whose form carries meaning ("legs": both of them) are kept as written.
"""

from typing import Mapping, Sequence

from spacy.language import Language
from spacy.lookups import load_lookups
from spacy.tokens import Doc

FACTORY = "canonical_forms"
# spaCy leaves "'s" as it is (is, has or a possessive); after these words it is a verb, and
# "is" and "has" read alike for every rule ("he's gone", "it's spreading").
SHORT_IS = frozenset({"'s", "’s", "s"})
SUBJECTS_OF_IS = frozenset(
    {"what", "that", "it", "there", "here", "he", "she", "who", "where", "how", "everything", "nothing", "nobody"}
)


def _plural_of_an_unlisted_word(word: str) -> bool:
    return len(word) >= 6 and word.isalpha() and word.endswith("s") and not word.endswith(("ss", "us", "is"))


class CanonicalForms:
    def __init__(self, nlp: Language, equivalents: Mapping[str, str], keep_as_written: Sequence[str]):
        self.lemmas = load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")
        self.equivalents = dict(equivalents)
        self.keep = frozenset(keep_as_written)

    def canonical(self, word: str) -> str:
        word = word.lower()
        if word in self.keep:
            return word
        if word in self.equivalents:
            return self.equivalents[word]
        lemma = self.lemmas.get(word, word)
        lemma = lemma if isinstance(lemma, str) else word
        if lemma == word and word not in self.lemmas and _plural_of_an_unlisted_word(word):
            lemma = word[:-1]  # "immunosuppressants", "biologics": words the tables lack
        return self.equivalents.get(lemma, lemma)

    def __call__(self, doc: Doc) -> Doc:
        for token in doc:
            token.lemma_ = self.canonical(token.norm_)
            if token.i and token.norm_ in SHORT_IS and doc[token.i - 1].lower_ in SUBJECTS_OF_IS:
                token.lemma_ = "be"  # "what's the point", "whats the point": what is the point
        return doc


@Language.factory(FACTORY, default_config={"equivalents": {}, "keep_as_written": []})
def make_canonical_forms(
    nlp: Language, name: str, equivalents: Mapping[str, str], keep_as_written: Sequence[str]
) -> CanonicalForms:
    return CanonicalForms(nlp, equivalents, keep_as_written)
