"""bot.clarify and the glossary (issue 26): "what does <word> mean?" and "I don't understand"."""

from __future__ import annotations

import pytest

from bot import clarify
from bot.content import get_content
from bot.content.loader import ContentError, load_content
from tests.unit.test_content_loader import broken_copy

GLOSSARY = get_content().glossary


@pytest.mark.parametrize(
    "text,term",
    [
        ("what does radiate mean?", "radiate"),
        ("What does radiating mean", "radiate"),
        ("what's sciatica mean", "sciatica"),
        ("meaning of stenosis", "stenosis"),
        ("what do you mean by disc", "disc"),
        ("define cauda equina", "cauda_equina"),
        ("what does the word tingling mean?", "tingling"),
        ("what is numbness?", "numbness"),
        ("sorry what does nerve mean", "nerve"),
        ("radiate? what's that", "radiate"),
        ("and what is herniated", "slipped_disc"),
        ("what means sciatica?", "sciatica"),
        ("what does radiate mean, if you don't mind me asking?", "radiate"),
        # A usability review (non-native English).
        ("herniated, what it mean?", "slipped_disc"),
        ("what is mean herniated?", "slipped_disc"),
        ("sciatica what does it mean", "sciatica"),
    ],
)
def test_a_meaning_asked_is_found_in_the_glossary(text, term):
    words = clarify.meaning_asked(text)
    assert words is not None and clarify.glossary_term(words).id == term
    assert clarify.definition(words) == GLOSSARY[term].definition


@pytest.mark.parametrize(
    "text",
    [
        "what is sciatica?",  # the condition's own answer, from conditions.yml
        "what does that mean?",  # a request to rephrase
        "what does it mean if I can't pee",  # a question about their own symptoms
        "my back, what does it mean",
        "my back hurts",
        "I don't know",
        "what can you do",
    ],
)
def test_other_messages_ask_no_meaning(text):
    assert clarify.meaning_asked(text) is None


def test_a_word_not_in_the_glossary_gets_the_unknown_reply():
    assert clarify.glossary_term("flibbertigibbet") is None
    assert clarify.definition("flibbertigibbet") == get_content().glossary_unknown


@pytest.mark.parametrize(
    "text",
    [
        "I don't understand",
        "i dont understand the question",
        "what do you mean?",
        "What do you mean",
        "huh?",
        "pardon?",
        "sorry?",
        "I'm confused",
        "not sure what you mean",
        "what does that mean?",
        "can you explain that",
        "could you say that more simply please",
        "that doesn't make sense",
        "you've lost me",
        # Non-native English (usability review 4: the same question came back three times).
        "i not understand the word",
        "i no understand",
        "I don't understand these words",
    ],
)
def test_requests_to_rephrase(text):
    assert clarify.asks_to_rephrase(text)


@pytest.mark.parametrize(
    "text",
    [
        "not sure",
        "I don't know",
        "no idea",
        "sorry",
        "yes",
        "it goes down my leg",
        "I don't understand why my back hurts so much",
        "what do you mean by disc",
        "i not understand why it hurts",
    ],
)
def test_answers_and_other_messages_are_not_requests_to_rephrase(text):
    assert not clarify.asks_to_rephrase(text)


def test_the_glossary_covers_the_words_the_review_named():
    words = {w for term in GLOSSARY.values() for w in term.words}
    assert {"radiate", "sciatica", "numbness", "tingling", "disc", "nerve", "stenosis", "cauda equina"} <= words
    sources = get_content().sources
    assert all(term.sources and set(term.sources) <= set(sources) for term in GLOSSARY.values())


def test_a_glossary_word_listed_twice_is_refused(tmp_path):
    directory = broken_copy(tmp_path, "glossary.yml", lambda d: d["terms"][1]["words"].append("radiate"))
    with pytest.raises(ContentError, match="word 'radiate' is already used"):
        load_content(directory)


def test_a_glossary_term_without_a_known_source_is_refused(tmp_path):
    directory = broken_copy(tmp_path, "glossary.yml", lambda d: d["terms"][0].update(sources=["no_such_source"]))
    with pytest.raises(ContentError, match="unknown source"):
        load_content(directory)
