"""Names said without a cue ("my name is", "thanks,"): capitalised words no English word list
nor the assistant's own vocabulary knows, standing where a name stands (a message or line of
their own, a sign-off after a dash or comma, before ", <age>", a run of capitalised words).
The invented names here are words no list knows, as a real surname often is.

TUNED were written first and the recogniser built against them; HELD_OUT were written at the
same time and only run once the recogniser was done (their first result is in the commit).
"""

import random
from pathlib import Path

import pytest
import yaml

from bot.redaction import redact

TUNED_NAMES = [
    ("Qqubriev Zquoxvayn", ["Qqubriev", "Zquoxvayn"]),
    ("it started after lifting\nYkrimepxg Xmepbriqukb", ["Ykrimepxg", "Xmepbriqukb"]),
    ("thanks for the help\nWbralin Vostrelle", ["Wbralin", "Vostrelle"]),
    ("my back hurts - Tivrosk Umbelard", ["Tivrosk", "Umbelard"]),
    ("Grelvin Otterbyne, 52", ["Grelvin", "Otterbyne"]),
    ("Quenfrith Zalbodine", ["Quenfrith", "Zalbodine"]),
    ("Zorbaxel", ["Zorbaxel"]),
    ("Zorbaxel.", ["Zorbaxel"]),
    ("  Zorbaxel Quimbry  ", ["Zorbaxel", "Quimbry"]),
    ("the pain is in my lower back, Fendrick Yolvaine", ["Fendrick", "Yolvaine"]),
    ("sharp pain when I bend — Orlaith Brennickson", ["Brennickson"]),
    ("Prendwick Alsoway, 47, lower back pain for 3 weeks", ["Prendwick", "Alsoway"]),
    ("I saw Dr Haverquist Plunkard about it", ["Haverquist", "Plunkard"]),
    ("my GP Yarrowby Quelch said it's a disc", ["Yarrowby"]),
    ("hello\nKestrith Mauvenne\nmy back hurts", ["Kestrith", "Mauvenne"]),
    ("Regards,\nBlythorne Caskevy", ["Blythorne", "Caskevy"]),
    ("cheers - Vantrell", ["Vantrell"]),
    ("it's been 2 weeks\nDrevnik", ["Drevnik"]),
    ("Olumbra Pratchwick here", ["Olumbra", "Pratchwick"]),
    ("leg pain since Monday - Sivanthi Rajapaksewa", ["Sivanthi", "Rajapaksewa"]),
    ("Zoë Pemberquist-Oyelaran, 44", ["Pemberquist"]),
    ("José Quintanillaz", ["Quintanillaz"]),
    ("it's my lower back \u2013 O'Dowrigan", ["Dowrigan"]),
]

HELD_OUT_NAMES = [
    ("Thorvald Quimperley-Hask", ["Thorvald", "Quimperley"]),
    ("Ysolde Brankovitch, 61", ["Ysolde", "Brankovitch"]),
    ("numb foot, tingling toes - Marisol Quennevec", ["Quennevec"]),
    ("ok that helps thanks\n\nFenwright Obuya", ["Fenwright", "Obuya"]),
    ("Gwendraeth Tillotsby", ["Gwendraeth", "Tillotsby"]),
    ("my physio Abernethy Quorle told me to rest", ["Quorle"]),
    ("Zeferino Castellvi, 38, sciatica", ["Zeferino", "Castellvi"]),
    ("it hurts to sit, Ilvermorny Pask", ["Ilvermorny"]),
    ("Hollisandre", ["Hollisandre"]),
    ("yes\nTrevenna Kolbjorn", ["Trevenna", "Kolbjorn"]),
]


def _check_gone(text, parts):
    redacted = redact(text)
    assert "[name]" in redacted, redacted
    for part in parts:
        assert part not in redacted, redacted


@pytest.mark.parametrize("text, parts", TUNED_NAMES)
def test_a_name_said_without_a_cue_is_redacted(text, parts):
    _check_gone(text, parts)


@pytest.mark.parametrize("text, parts", HELD_OUT_NAMES)
def test_held_out_names_said_without_a_cue_are_redacted(text, parts):
    _check_gone(text, parts)


TUNED_KEPT = [
    "Lower back",
    "Yes",
    "No thanks",
    "Sciatica",
    "Ibuprofen",
    "Naproxen and Paracetamol",
    "Codeine",
    "Lower Back Pain",
    "Left Leg",
    "Both Legs",
    "Sharp, stabbing pain",
    "Bending And Lifting",
    "It started after lifting a box",
    "Yesterday morning it got worse",
    "Tingling in my toes - Left side",
    "It hurts when I walk, Mostly in the evening",
    "Numbness, 3 days",
    "Leg pain since Monday",
    "It started on Tuesday, 5 days ago",
    "I take Gabapentin 300 mg",
    "MRI showed a bulging disc at L4-L5",
    "Rasa 3.6.21, Sanic 21.12.2",
    "about 7/10",
    "Sciatca",  # typo of a word of the assistant's
    "Numbnes in my foot",
    "Lower Bcak Pain",
    "The Pain Goes Down My Leg",
    "Hi there",
    "Thank you",
    "OK",
    "Not really",
    "Stiff In The Morning",
    "Getting Worse",
    "Hot Water Bottle",
    "I'm 52",
    "it hurts - Really badly",
    "Pins And Needles",
    "Probably Braxton Hicks",
    "Could it be Guillain-Barré?",
    "I got Nurofen from Boots",
    "Ibuprofin",  # a typo of a medicine the assistant knows
    "They Said It Was Muscular",
    "Tingly Feet Ocasionally",  # a typo of an English word
    "Worse In The Mornign",
    "Paracetmol Didnt Help",
    "Sciatic Nerve Pian",
]

HELD_OUT_KEPT = [
    "Constant Ache",
    "Aching, burning",
    "Walking makes it worse - Sitting helps",
    "Tramadol",
    "Amitriptyline at night",
    "Deep Throbbing Pain",
    "Since Christmas",
    "Worse after Gardening",
    "Sore, 6 out of 10",
    "Physiotherapy Helped",
    "Slipped Disc",
    "Morning stiffness, 2 hours",
    "I can't sleep\nEvery night",
    "Nope",
    "Lumbago",
]


@pytest.mark.parametrize("text", TUNED_KEPT)
def test_symptom_text_and_medical_words_are_kept(text):
    assert redact(text) == text


@pytest.mark.parametrize("text", HELD_OUT_KEPT)
def test_held_out_symptom_text_is_kept(text):
    assert redact(text) == text


ROOT = Path(__file__).resolve().parents[2]
# People's messages written for other tests (not sealed sets); not among the words the recogniser
# knows (bot/name_words.py reads no tests). Citations ("source") name real people and are left out.
MESSAGE_FILES = [
    "tests/data/patients.yml",
    "tests/data/red_flag_phrasings.yml",
    "tests/data/heldout/messages.dev.yml",
    "tests/data/heldout/patients.dev.yml",
    *(str(p.relative_to(ROOT)) for p in sorted((ROOT / "tests/data/heldout").glob("redflags_*.dev.yml"))),
]
NOT_MESSAGES = {"source", "id", "why", "note", "kind", "intent", "family", "register"}


def _messages(value, key=None):
    if isinstance(value, str):
        if key not in NOT_MESSAGES:
            yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _messages(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _messages(v, key)


def _invented_word(rng: random.Random) -> str:
    consonants, vowels = "bcdfghjklmnprstvwz", "aeiou"
    syllables = "".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(rng.randint(2, 4)))
    return syllables.capitalize() + rng.choice(["", "n", "r", "s", "th", "x"])


def test_invented_names_in_each_place_are_redacted_nearly_always():
    """Pronounceable invented names (seeded): a miss is a name whose words both happen to be English."""
    rng = random.Random(2026)
    forms = ["{0} {1}", "it started after lifting\n{0} {1}", "my back hurts - {0} {1}", "{0} {1}, 52", "I saw {0} {1}"]
    missed, total = [], 0
    for _ in range(400):
        first, last = _invented_word(rng), _invented_word(rng)
        for form in forms:
            total += 1
            redacted = redact(form.format(first, last))
            if first in redacted and last in redacted:
                missed.append(form.format(first, last))
    assert len(missed) <= total // 100, missed


def test_peoples_messages_written_for_other_tests_lose_nothing_to_the_name_recogniser():
    messages = {m for f in MESSAGE_FILES for m in _messages(yaml.safe_load((ROOT / f).read_text()))}
    assert len(messages) > 2000
    changed = [(m, redact(m)) for m in messages if redact(m) != redact(m, uncued_names=False)]
    assert not changed, changed[:10]


def test_the_rasa_image_holds_every_word_list_the_recogniser_reads():
    from bot.name_words import PROJECT_SOURCES

    allowed = [
        line[1:].strip()
        for line in (ROOT / "deploy/rasa.Dockerfile.dockerignore").read_text().splitlines()
        if line.startswith("!")
    ]
    for pattern in PROJECT_SOURCES:
        for path in ROOT.glob(pattern):
            relative = str(path.relative_to(ROOT))
            assert any(relative == a or relative.startswith(a + "/") for a in allowed), relative


@pytest.mark.parametrize(
    "text, parts",
    [
        ("partly - Okonkwo-Hartleighranegar, 07700 900123, born 12/03/1980", ["Okonkwo", "Hartleighranegar"]),
        ("Quistelgaard, 07700 900123", ["Quistelgaard"]),
        ("email Brennickhall: ferro.quell@example.org", ["Brennickhall"]),
    ],
)
def test_a_name_just_before_a_phone_number_date_or_email_is_redacted(text, parts):
    """A privacy review: an unknown surname followed by a phone number or date was stored whole."""
    _check_gone(text, parts)


@pytest.mark.parametrize("text", ["On Monday, 07700 900123 rang me", "Ibuprofen, 12/03/2020", "Sciatica, 3 weeks"])
def test_known_words_before_a_detail_are_kept(text):
    assert text.split(",")[0].split()[-1] in redact(text)
