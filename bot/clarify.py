"""Requests to explain: "what does radiate mean?" and "I don't understand".

- ``meaning_asked``: the words a person asks the meaning of ("what does radiate mean?",
  "what's sciatica mean", "meaning of stenosis"), or None. "What is sciatica?" is a
  question about a condition (answered from conditions.yml), unless the word is only in
  the glossary ("what is numbness?").
- ``definition``: the glossary's short, plain meaning of those words (glossary.yml), or
  what is said for a word it does not have.
- ``asks_to_rephrase``: "I don't understand", "what do you mean?", "huh?": the open
  question was not clear, so it is asked again in simpler words, and nothing is recorded.
"""

from __future__ import annotations

import re
from typing import Optional

from bot.content import get_content
from bot.content.loader import GlossaryTerm

_END = r"\W*(exactly|actually|here|in (plain|simple|normal) (english|words))?\W*(please|pls|then|again)?\W*$"
_START = r"^\W*(sorry,? |ok,? |okay,? |so,? |um+,? |hm+,? |and |but |erm,? |excuse me,? )?"
_WHAT = r"(what|wat|wot|whut)"
_WORDS = r"['\"]?(?P<w>[a-z0-9][a-z0-9'&. -]{1,40}?)['\"]?"

# "What does radiate mean?", "what do you mean by stenosis", "meaning of sciatica".
MEANING = [
    re.compile(
        _START + _WHAT + r" (does|do|did|dose|dos) (the (word|term) )?" + _WORDS + r" (mean|means|stand for)" + _END
    ),
    re.compile(_START + _WHAT + r"'?s (the (word|term) )?" + _WORDS + r" mean" + _END),
    re.compile(_START + _WHAT + r" (do|did) (you|u) mean by (the (word|term) )?" + _WORDS + _END),
    re.compile(
        _START + _WHAT + r"( is|'?s) (meant by|the meaning of|the definition of) (the (word|term) )?" + _WORDS + _END
    ),
    re.compile(_START + r"(the )?(meaning|definition) of (the (word|term) )?" + _WORDS + r"\??" + _END),
    re.compile(_START + r"(can you |could you |please )?(define|explain the word|explain the term) " + _WORDS + _END),
    re.compile(_START + r"i don'?t (know|understand) what (the (word|term) )?" + _WORDS + r" means" + _END),
    re.compile(_START + _WORDS + r"\?+ what('?s| is| does) (that|this)( mean)?" + _END),
    # Word order of other languages: "what means sciatica?", "what mean herniated",
    # "what is mean herniated?", "herniated, what it mean?".
    re.compile(_START + _WHAT + r" (means|mean) (the (word|term) )?" + _WORDS + _END),
    re.compile(_START + _WHAT + r" (is|does) (mean|means|meaning) (the (word|term) )?" + _WORDS + _END),
    re.compile(
        _START
        + r"(?!(my|your|his|her|the|this|it) )"
        + _WORDS
        + r",? "
        + _WHAT
        + r" (it|that|this|does it|does that|is it|is that) (mean|means)"
        + _END
    ),
]
# "What is numbness?": a meaning asked, when the word is only in the glossary.
WHAT_IS = re.compile(_START + _WHAT + r"( is| are|'?s| does) (a |an |the )?" + _WORDS + r"\W*$")
# Words that refer back, not words to explain ("what does that mean?" asks to rephrase).
REFERRING = frozenset({"it", "that", "this", "you", "u", "they", "he", "she", "mine", "yours"})

REPHRASE = re.compile(
    _START + r"("
    r"i (still )?(don'?t|do not|dont|didn'?t|did not|cant|can'?t|do ?n'?t|not|no) (understand|get|follow|know what you mean|"
    r"know what (that|this|it) means|know what you'?re asking|see what you mean)"
    r"( (it|that|this|you|the question|your question|that question|this question|what you mean|what you'?re asking|"
    r"(the|this|that|these|those|your) words?|"
    r"what you are asking|what that means|what you said))?"
    r"|what (do|did) (you|u) mean|what does (that|this|it) mean|what'?s that mean|what (are|r) (you|u) asking( me)?"
    r"|i'?m (confused|lost|not sure what you mean)|(i'?m )?not sure what (you mean|you'?re asking|that means)"
    r"|confused|(that|this|it) (doesn'?t|does not|dont) make (any )?sense|makes no sense"
    r"|(i'?m )?not following( you)?|(you'?ve|you have) lost me|lost me"
    r"|(can|could|would) (you|u) (explain|rephrase|clarify|repeat)( (that|it|the question|what you mean))?"
    r"|(can|could|would) (you|u) (say|put|ask) (that|it|the question) (again|differently|another way|more simply|"
    r"in (plain|simple|simpler|easier) (words|english))"
    r"|(say|ask) (that|it) (again|differently|more simply)|in (plain|simple|simpler) (words|english)"
    r"|huh|eh|what|pardon( me)?|come again|sorry\?|i beg your pardon|meaning\?|explain"
    r")" + r"\W*(please|pls|\?)*\W*$"
)


def _norm(text: str) -> str:
    lowered = " ".join((text or "").lower().replace("’", "'").split())
    return POLITE_TAIL.sub("", lowered)


# "What is a nerve root, if you don't mind me asking?": the question without its courtesy.
POLITE_TAIL = re.compile(
    r",? (if you (don'?t|do not) mind( me asking)?|if (that'?s|it'?s) ok|if you can|if possible|please|thanks?( you)?)"
    r"\W*$"
)


def asks_to_rephrase(text: str) -> bool:
    """The person did not understand the question just asked."""
    return bool(REPHRASE.match(_norm(text)))


def _topic_words() -> frozenset:
    content = get_content()
    groups = (content.conditions, content.treatments, content.anatomy)
    return frozenset(s.lower() for group in groups for entry in group.values() for s in (entry.name, *entry.synonyms))


def meaning_asked(text: str) -> Optional[str]:
    """The words whose meaning is asked, or None when the message does not ask a meaning: the
    whole message, or one of its questions ("what mean spread? pain is in thigh, both":
    usability review 10, it got the list of conditions)."""
    asked = _meaning_asked_in(text)
    if asked is not None:
        return asked
    questions = [q for q in re.findall(r"[^?.!]*\?+", text or "") if q.strip()]
    if len(questions) < 1 or (len(questions) == 1 and questions[0].strip() == (text or "").strip()):
        return None
    return next((w for w in map(_meaning_asked_in, questions) if w is not None), None)


def _meaning_asked_in(text: str) -> Optional[str]:
    lowered = _norm(text)
    for pattern in MEANING:
        match = pattern.match(lowered)
        if match and _clean(match.group("w")) not in REFERRING:
            return _clean(match.group("w"))
    match = WHAT_IS.match(lowered)
    if match:
        words = _clean(match.group("w"))
        term = glossary_term(words)
        # "What is sciatica?" is answered about the condition; "what is numbness?" here.
        if term is not None and words not in _topic_words() and _clean(words) in term.words:
            return words
    return None


def _clean(words: str) -> str:
    words = re.sub(r"^(a|an|the|my|your)\s+", "", words.strip(" '\"?.!,"))
    return " ".join(words.split())


def glossary_term(words: str) -> Optional[GlossaryTerm]:
    """The glossary term for these words: the whole phrase, else the longest term word in it."""
    content = get_content()
    phrase = _clean(_norm(words))
    best: Optional[GlossaryTerm] = None
    best_length = 0
    for term in content.glossary.values():
        for word in term.words:
            if phrase == word:
                return term
            if len(word) > best_length and re.search(rf"\b{re.escape(word)}\b", phrase):
                best, best_length = term, len(word)
    return best


def definition(words: str) -> str:
    """What is said for "what does <words> mean?"."""
    term = glossary_term(words)
    return term.definition if term is not None else get_content().glossary_unknown
