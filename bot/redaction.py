"""Personal details taken out of text before it is stored or logged (UK formats).

``redact(text)`` replaces names introduced as names ("my name is ..."), phone numbers,
email addresses, dates (a date with a year, or any date given as a birthday), NHS
numbers, National Insurance numbers and postcodes with a placeholder such as
``[phone number]``. It runs on stored and logged copies only: the assistant reads the
message as typed, so "I'm 45" still gives an age and nothing in the interview changes.

Phone, NHS and NI numbers come from presidio-analyzer's pattern recognizers (phone
numbers are parsed by Google's libphonenumber; NHS numbers are checked with their
modulus-11 check digit). presidio's named-entity recogniser is not used: it needs a
trained spaCy model, and names are only caught when introduced as names. Email,
dates, postcodes and names are regular expressions here, as presidio has no UK
postcode recogniser and its email recogniser looks domains up on the internet.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import Any, Iterable, List, Sequence, Tuple

Span = Tuple[int, int, str]

NAME, PHONE, EMAIL, DATE, NHS, NINO, POSTCODE, ADDRESS, CARD = (
    "[name]",
    "[phone number]",
    "[email]",
    "[date]",
    "[NHS number]",
    "[NI number]",
    "[postcode]",
    "[address]",
    "[card number]",
)

_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
# Ten digits after "NHS number", whatever their check digit (a typo is still personal).
_NHS_CONTEXT = re.compile(r"(?i)\bNHS\s*(?:number|no\.?|num|#)?\s*(?:is|:)?\s*(\d{3}[\s-]?\d{3}[\s-]?\d{4})\b")
# UK numbers written the usual ways, including Ofcom's ranges for fiction (07700 900xxx),
# which libphonenumber rightly calls invalid but are still numbers someone typed.
_UK_PHONE = re.compile(r"(?<![\w+])(?:\+44\s?\(?0?\)?\s?|0044\s?|0)\d(?:[\s.-]?\d){8,9}(?!\d)")
_POSTCODE = re.compile(r"(?i)\b(?:GIR\s?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?\s?\d[ABD-HJLNP-UW-Z]{2})\b")
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_ORDINAL_WORDS = (
    r"(?:(?:twenty|thirty)[\s-]?)?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|tenth|eleventh|"
    r"twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth"
)
_DAY = rf"(?:(?:[0-3]?\d)(?:st|nd|rd|th)?|{_ORDINAL_WORDS})"
_DATES = (
    # 03/03/1975, 12/31/1980 (US order), 3-3-75: slashes and dashes, any order of day and month
    re.compile(r"(?<![\w/.-])(\d{1,2})[/-](\d{1,2})[/-](\d{4}|\d{2})(?![\w/.-]|\.\d)"),
    # dotted only as dd.mm.yy(yy) or d.m.yyyy: "3.6.21" is a version number
    re.compile(r"(?<![\w/.-])(\d{2})\.(\d{2})\.(\d{4}|\d{2})(?![\w/.-]|\.\d)"),
    re.compile(r"(?<![\w/.-])(\d{1,2})\.(\d{1,2})\.(\d{4})(?![\w/.-]|\.\d)"),
    re.compile(r"\b(\d{4})-[01]\d-[0-3]\d\b"),  # 1975-03-03
    re.compile(rf"(?i)\b{_DAY}\s+(?:of\s+)?{_MONTH}\.?,?\s+(\d{{4}}|'\d{{2}})\b"),  # 3rd March 1975
    re.compile(rf"(?i)\b{_MONTH}\.?\s+{_DAY},?\s+(\d{{4}})\b"),  # March 3, 1975
)
# A date whose year is this many years back or more may be a birth date: redacted. A recent one
# is kept, since it dates the symptoms ("since 03/03/2024"); a birthday is redacted whatever its year.
SYMPTOM_DATE_YEARS = 2
_BIRTHDAY = re.compile(
    rf"(?i)\b(?:born(?:\s+(?:on|in))?|d\.?o\.?b\.?|date\s+of\s+birth|birthday|birth\s+date)\s*(?:is|was|:|-)?\s*(?:the\s+)?"
    rf"((?:{_DAY}\s+(?:of\s+)?{_MONTH}|{_MONTH}\s+{_DAY}|\d{{1,2}}[/.-]\d{{1,2}}|{_MONTH}|\d{{4}})"
    rf"(?:[/.,\s-]+(?:\d{{4}}|'?\d{{2}}\b))?)"
)
_US_PHONE = re.compile(r"(?<![\w.+/-])(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?![\w.-]|\.\d)")
_CARD = re.compile(r"(?<![\d.-])\d(?:[ -]?\d){12,18}(?![\d.-])")
_STREET_TYPES = (
    "street|st|road|rd|avenue|ave|lane|ln|close|drive|way|court|ct|crescent|cres|place|pl|terrace|"
    "gardens|gdns|grove|boulevard|blvd|hill|square|sq|mews|row|walk|parade|green|rise|view|vale"
)
# Words that do not name a street: "walked 2 miles round the park".
_NOT_STREET_WORD = frozenset(
    "the a an in on at of to my for and or days weeks months years hours minutes times miles km metres meters "
    "mg ml steps flights stairs day week month year hour minute min mins hr hrs mile long short".split()
)
_ADDRESS = re.compile(
    rf"(?i)(?<![\w/.-])(?:flat\s+\d+\w?,?\s+)?\d{{1,5}}[a-z]?,?\s+((?:[a-z][a-z'-]*\s+){{1,3}})(?:{_STREET_TYPES})\b\.?"
)
_US_STATE_CODES = (
    "AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|"
    "OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR"
)
_US_STATE_NAMES = (
    "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|Idaho|"
    "Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|"
    "Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|New York|North Carolina|"
    "North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|Texas|"
    "Utah|Vermont|Virginia|Washington|West Virginia|Wisconsin|Wyoming|Puerto Rico"
)
# A US locality: "[Springfield,] IL 62783[-1234]", "Ohio 45402". A state with a ZIP is what
# identifies a small area; the town before it goes with it. A two-letter code counts only in
# capitals after a town ("steps OR 12000" is not Oregon).
_TOWN = r"\b[A-Z][A-Za-z.'-]*(?:[ \t]+[A-Z][A-Za-z.'-]*){0,2},?\s+"  # one line: not the street before it
_ZIP = r"\d{5}(?:-\d{4})?(?![\w.-]|\.\d)"
_US_LOCALITY = re.compile(
    rf"{_TOWN}\b(?:{_US_STATE_CODES})\.?,?\s+{_ZIP}|(?:{_TOWN})?\b(?i:{_US_STATE_NAMES}),?\s+{_ZIP}"
)
_ZIP_CUED = re.compile(r"(?i)\bzip(?:\s*code)?\s*(?:is|:|#)?\s*(\d{5}(?:-\d{4})?)(?![\w.-]|\.\d)")
_NAME_WORD = r"[A-Za-z][A-Za-z'-]*"
_CAP_WORD = r"[A-Z][a-z][A-Za-z'-]*"
_NAME_INTRO = re.compile(
    rf"(?i)\b(?:my\s+name\s+is|my\s+name's|name\s*[:-]|i\s+am\s+called|i'm\s+called|call\s+me|"
    rf"(?:mr|mrs|ms|miss|mx|dr)\.?|"
    rf"(?:hi|hello|hey)[,!.]?\s+(?:i'm|i\s+am|it's|this\s+is))\s+({_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}})"
)
# Without a greeting, a name is told by its capitals: "I'm Priya Shah", "this is Ade", "Sam here",
# a signature ("thanks, Sam", "From Sam" opening a line; "I got it from Boots" is not one). Lower-case words there are too often not names ("I'm sore").
_NAME_CAPITALISED = re.compile(
    rf"(?:(?:\b(?:[Ii]'m|I\s+am|[Tt]his\s+is|[Ii]t's|[Ss]igned|[Rr]egards|[Tt]hanks|[Cc]heers)|(?m:^[ \t]*[Ff]rom))"
    rf"[,:]?\s+({_CAP_WORD}(?:\s+{_CAP_WORD}){{0,2}})\b)"
    rf"|(?:^\s*({_CAP_WORD}(?:\s+{_CAP_WORD}){{0,2}})\s+here\b)"
)
# Words that end a name ("my name is Sam and my back hurts" -> "Sam").
_NOT_NAME = frozenset(
    "and but or so my i im i'm is am was with from in at on of the a an my back leg pain it its "
    "have has had got been not no yes hurts hurt aged age years old here".split()
)
# Capitalised words that follow "I'm" without being a name ("I'm Worried", "I'm English").
_NOT_A_NAME_CAPITALISED = frozenset(
    "i not in on at so very really just still also feeling having getting going trying worried scared sorry fine "
    "ok okay good well sure unsure afraid about a the my english british scottish welsh irish over under nearly "
    "almost here there now back pregnant diabetic".split()
)


def _name_spans(text: str) -> Iterable[Span]:
    for match in _NAME_INTRO.finditer(text):
        start = match.start(1)
        end = start
        for word in re.finditer(_NAME_WORD, match.group(1)):
            if word.group(0).casefold() in _NOT_NAME:
                break
            end = start + word.end()
        if end > start:
            yield start, end, NAME
    for match in _NAME_CAPITALISED.finditer(text):
        group = 1 if match.group(1) else 2
        start = match.start(group)
        end = start
        for word in re.finditer(_NAME_WORD, match.group(group)):
            folded = word.group(0).casefold()
            if folded in _NOT_NAME or folded in _NOT_A_NAME_CAPITALISED:
                break
            end = start + word.end()
        if end > start:
            yield start, end, NAME


# Names said without a cue: capitalised words that neither English nor the assistant knows
# (bot/name_words.py), standing where a name stands.
_UPPER, _LOWER = "A-Z\u00c0-\u00d6\u00d8-\u00de", "a-z\u00df-\u00f6\u00f8-\u00ff"  # Latin-1 letters too
_CAPS = rf"(?:Mc|Mac|O['\u2019])?[{_UPPER}][{_LOWER}]+(?:[-'\u2019][{_UPPER}{_LOWER}][{_LOWER}]*)*"
_RUN = rf"{_CAPS}(?:[ \t]+{_CAPS}){{0,2}}"
_EDGE_BEFORE, _EDGE_AFTER = r"(?<![\w'\u2019-])", r"(?![\w'\u2019-])"
_LEADS = (
    r"(?i:thanks|thank\s+you|many\s+thanks|cheers|regards|kind\s+regards|best\s+wishes|best|love|from|yours|"
    r"sincerely|hi|hello|hey|dear|ta)"
)
_UNCUED = (
    # a line of its own: "Qqubriev Zquoxvayn", "Regards,\nBlythorne Caskevy"
    re.compile(rf"(?m)^[ \t]*(?:{_LEADS}[,!.]?[ \t]+)?(?P<run>{_RUN})[ \t]*[.!,]?[ \t]*$"),
    # a sign-off after a dash or comma at the end: "my back hurts - Tivrosk Umbelard"
    re.compile(rf"[-\u2013\u2014,][ \t]*(?:{_LEADS}[,!.]?[ \t]+)?(?P<run>{_RUN})[ \t]*[.!]?\s*\Z"),
    # before an age at the start: "Grelvin Otterbyne, 52"
    re.compile(rf"\A\s*(?P<run>{_RUN})[ \t]*[,(][ \t]*(?:aged?[ \t]+)?\d{{1,3}}\b"),
)
_CAPS_RUN = re.compile(rf"{_EDGE_BEFORE}{_CAPS}(?:[ \t]+{_CAPS}){{1,2}}{_EDGE_AFTER}")
_CAPS_WORD = re.compile(rf"{_EDGE_BEFORE}{_CAPS}{_EDGE_AFTER}")
_SENTENCE_START = re.compile(r"(?:\A|[.!?:;\n])[\s\"'(]*\Z")


def _unknown(word: str) -> bool:
    from bot.name_words import known

    return not known(word)


# "im yssquorpell wixdruoph", "i'm Gravophmox": words after "I'm" that neither English nor the
# assistant knows are a name, whatever their case ("im knackered", "i'm realy sore" are not:
# known words, or a typo of one, bot/name_words.py).
_SELF_CUE = re.compile(
    r"(?i)(?<![\w'])(?:i'?m|i\s+am|this\s+is|it'?s\s+me)\s+(?P<run>[a-z][a-z'-]{2,}(?:\s+[a-z][a-z'-]{2,})?)"
)


def _self_named_spans(text: str) -> Iterable[Span]:
    for match in _SELF_CUE.finditer(text):
        words = list(re.finditer(r"\S+", match.group("run")))
        unknown = [w for w in words if _unknown(w.group(0))]
        if unknown and unknown[0] is words[0]:
            last = words[1] if len(words) > 1 and words[1] in unknown else words[0]
            yield match.start("run"), match.start("run") + last.end(), NAME


def _uncued_name_spans(text: str) -> Iterable[Span]:
    for pattern in _UNCUED:
        for match in pattern.finditer(text):
            if any(_unknown(w.group(0)) for w in _CAPS_WORD.finditer(match.group("run"))):
                yield match.start("run"), match.end("run"), NAME
    # A run of two or three capitalised words with an unknown one ("I saw Dr Haverquist
    # Plunkard"): from its first word that is unknown or capitalised mid-sentence; a known
    # word opening a sentence ("Yesterday Qqubriev ...") is kept.
    for match in _CAPS_RUN.finditer(text):
        words = list(_CAPS_WORD.finditer(match.group(0)))
        if not any(_unknown(w.group(0)) for w in words):
            continue
        for word in words:
            start = match.start() + word.start()
            if _unknown(word.group(0)) or not _SENTENCE_START.search(text[:start]):
                yield start, match.end(), NAME
                break


# A contact card: a capitalised name just before a phone number, a date of birth, an e-mail or
# an address ("Okonkwo-Hartleigh, 07700 900123, born 12/03/1980"; a privacy review).
_BEFORE_DETAIL = re.compile(rf"{_EDGE_BEFORE}(?P<run>{_RUN})[ \t]*[,;:(-]?[ \t]*\Z")
_CONTACT_DETAILS = frozenset({PHONE, EMAIL, DATE, ADDRESS, POSTCODE, NHS, CARD})


def _names_before_details(text: str, details: Sequence[Span]) -> Iterable[Span]:
    for start, _end, label in details:
        match = _BEFORE_DETAIL.search(text[:start]) if label in _CONTACT_DETAILS else None
        if match and any(_unknown(w.group(0)) for w in _CAPS_WORD.finditer(match.group("run"))):
            yield match.start("run"), match.end("run"), NAME


def _has_unknown_capitalised(text: str) -> bool:
    return any(_unknown(w.group(0)) for w in _CAPS_WORD.finditer(text))


def _luhn(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _card_spans(text: str) -> Iterable[Span]:
    for match in _CARD.finditer(text):
        digits = re.sub(r"\D", "", match.group(0))
        if 13 <= len(digits) <= 19 and _luhn(digits):
            yield match.start(), match.end(), CARD


def _address_spans(text: str) -> Iterable[Span]:
    for match in _ADDRESS.finditer(text):
        if not any(word.casefold() in _NOT_STREET_WORD for word in match.group(1).split()):
            yield match.start(), match.end(), ADDRESS


def _full_year(year: str) -> int:
    value = int(year.lstrip("'"))
    if len(year.lstrip("'")) == 2:
        this_year = date.today().year
        value += 2000 if value <= this_year % 100 else 1900
    return value


def _date_spans(text: str) -> Iterable[Span]:
    recent = date.today().year - SYMPTOM_DATE_YEARS
    for pattern in _DATES:
        for match in pattern.finditer(text):
            year = match.groups()[-1]
            if _full_year(year) <= recent:
                yield match.start(), match.end(), DATE


@lru_cache(maxsize=1)
def _recognizers() -> Tuple[Tuple[Any, str], ...]:
    from presidio_analyzer.predefined_recognizers import NhsRecognizer, PhoneRecognizer, UkNinoRecognizer

    return (
        (NhsRecognizer(), NHS),
        (PhoneRecognizer(supported_regions=("GB",), context=[]), PHONE),
        (UkNinoRecognizer(), NINO),
    )


def warm_up() -> None:
    """Loads the recognisers (presidio imports spaCy) and the word lists: call it at start-up."""
    from bot.name_words import warm_up as load_word_lists

    _recognizers()
    load_word_lists()


def _library_spans(text: str) -> Iterable[Span]:
    for recognizer, label in _recognizers():
        for result in recognizer.analyze(text, recognizer.supported_entities, None):
            if result.score >= 0.4:
                yield result.start, result.end, label


def find(text: str, uncued_names: bool = True) -> List[Span]:
    """Non-overlapping (start, end, placeholder) spans of personal details, in order.
    ``uncued_names``: also names said without a cue (``_uncued_name_spans``)."""
    spans: List[Span] = []
    spans += [(m.start(), m.end(), EMAIL) for m in _EMAIL.finditer(text)]
    spans += [(m.start(1), m.end(1), NHS) for m in _NHS_CONTEXT.finditer(text)]
    spans += list(_library_spans(text))
    spans += list(_card_spans(text))
    spans += [(m.start(), m.end(), PHONE) for m in _UK_PHONE.finditer(text)]
    spans += [(m.start(), m.end(), PHONE) for m in _US_PHONE.finditer(text)]
    spans += [(m.start(1), m.end(1), DATE) for m in _BIRTHDAY.finditer(text)]
    spans += list(_date_spans(text))
    spans += [(m.start(), m.end(), POSTCODE) for m in _POSTCODE.finditer(text)]
    spans += [(m.start(1), m.end(1), POSTCODE) for m in _ZIP_CUED.finditer(text)]
    spans += list(_address_spans(text))
    spans += [(m.start(), m.end(), ADDRESS) for m in _US_LOCALITY.finditer(text)]
    spans += list(_name_spans(text))
    spans += list(_self_named_spans(text))
    if uncued_names:
        spans += list(_uncued_name_spans(text))
    if uncued_names:
        spans += list(_names_before_details(text, _non_overlapping(text, spans)))
    return _non_overlapping(text, spans)


def _non_overlapping(text: str, spans: Sequence[Span]) -> List[Span]:
    """Earliest first, longest first among those; a span overlapping a chosen one is dropped."""
    chosen: List[Span] = []
    spans = [(start + len(text[start:end]) - len(text[start:end].lstrip()), end, label) for start, end, label in spans]
    for start, end, label in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
        if chosen and start < chosen[-1][1]:
            continue
        chosen.append((start, end, label))
    return chosen


def redact(text: str, uncued_names: bool = True) -> str:
    """``text`` with each personal detail replaced by its placeholder. ``uncued_names=False``
    leaves capitalised words that are not introduced as names alone (log lines: they hold no
    message text, and name software such as "Sanic Worker")."""
    if (
        not text
        or not any(char.isdigit() or char in "@:" for char in text)
        and not _NAME_INTRO.search(text)
        and not _NAME_CAPITALISED.search(text)
        and not _BIRTHDAY.search(text)
        and not (uncued_names and _has_unknown_capitalised(text))
        and not any(_self_named_spans(text))
    ):
        return text  # nothing that could be a detail: the common case, kept cheap
    out, last = [], 0
    for start, end, label in find(text, uncued_names):
        out.append(text[last:start])
        out.append(label)
        last = end
    out.append(text[last:])
    return "".join(out)
