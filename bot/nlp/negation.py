"""A ConText-style modifier detector for the spaCy entity spans of a chat message.

Each entity span gets ``span._.status``:

- ``present``      "numb between my legs"
- ``absent``       "no numbness", "my bladder is fine", "it went away"
- ``uncertain``    "not sure if it's numb", "might be imagining it but my bum feels numb"
- ``hypothetical`` a general question or a worry, not a report: "can sciatica cause
                   numbness in both legs?", "what are the signs of cauda equina?"
- ``historical``   long-standing: "tingling in both feet for years", "stress
                   incontinence since my children were born"
- ``other``        someone else's: "my mum had cancer"

The model is medspaCy's ConText (triggers with a category, a direction and a scope that
termination rules cut short), written for chat rather than clinical notes:

- A trigger's scope is the clause it sits in. Clauses end at ``.``, ``?``, ``!``, ``;``,
  at "but", "until", "now", "apart from" and the like, at a comma, and at "and" / a
  comma followed by a new subject ("and I", ", my").
- A comma does not end a negated list ("no fever, chills or night sweats"): the scope
  goes on over a comma only when an "or" / "nor" later joins the list.
- Within a negated clause, the scope runs over entities joined by "or", prepositions
  and determiners ("no numbness in my feet"), and ends at anything else after an
  entity: a new verb phrase ("no fever lost control of my bladder").
- A negation with "until" after the entity is not one: "never had bladder problems
  until yesterday" reports bladder problems.
- Questions are hypothetical only when asked in general: a first-person subject before
  the finding, with no "if" between, makes it a report ("is it normal that I can't pee?").

Triggers are matched on the token NORM, so "isnt", "isn't" and "is not" behave alike,
and triggers inside an entity are part of it ("no feeling", "no sensation").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Sequence, Set, Tuple

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span

PRESENT, ABSENT, UNCERTAIN = "present", "absent", "uncertain"
HYPOTHETICAL, HISTORICAL, OTHER = "hypothetical", "historical", "other"
STATUSES: Tuple[str, ...] = (PRESENT, ABSENT, UNCERTAIN, HYPOTHETICAL, HISTORICAL, OTHER)
# Where several modifiers reach one finding, the first of these wins.
PRECEDENCE: Tuple[str, ...] = (ABSENT, OTHER, HYPOTHETICAL, HISTORICAL, UNCERTAIN)

# A feeling said not to be there ("my legs don't feel weak").
FEELINGS_DENIED = ("weak", "numb", "tingly", "odd", "strange", "different", "funny", "wobbly")
# Words a forward trigger may reach over before the entity it modifies.
WINDOW = 6
POST_WINDOW = 3
HISTORY_WINDOW = 8
# Words an "until" may come after a negated entity and still end the negation.
UNTIL_WINDOW = 5
QUESTION_STARTS = frozenset({"how", "what", "why", "when", "where", "who", "which", "should", "shall"})

# --------------------------------------------------------------------------- triggers
# Longer triggers win over the shorter ones inside them ("not sure" beats "not").
NEGATION_BEFORE = (
    # "Not really down my legs" (and, as NEGATION_AFTER, "down my legs? not really").
    "not really",
    # "Gradually. I cannot recall any injury." (set 10: read as an injury, sent to same-day care).
    "can not recall",
    "cannot recall",
    "can't recall",
    "can not remember",
    "cannot remember",
    "can't remember",
    "don't remember",
    "do not remember",
    "don't recall",
    "do not recall",
    "no recollection of",
    # "my legs don't feel weak, they just ache" (usability review 6); longer than the
    # pseudo-trigger "didn't feel" ("didn't feel it happen" is a loss of feeling).
    *(
        f"{neg} feel {how}"
        for neg in ("don't", "do not", "dont", "doesn't", "does not", "didn't", "did not")
        for how in FEELINGS_DENIED
    ),
    "nothing",
    "nothing's",
    "nearly",
    "almost",
    "no",
    "not",
    # Scots and Caribbean English ("cannae feel" is read as "can nae feel"; "nuh fever", set Q);
    # Scouse "norra problem with me waterworks" (set R).
    "nae",
    "nuh",
    "norra",
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
    "none of",
    "i've got none of",
    "nothing wrong with",
    # "nah all normal down there": the whole of it said to be as it should be.
    "all normal",
    "all fine",
    "all ok",
    "all okay",
    "all good",
    "everything normal",
    "everything fine",
    "everything ok",
    "everything okay",
    "everything is normal",
    "everything is fine",
    "everything is ok",
    "everything is okay",
    "everything's normal",
    "everything's fine",
)
NEGATION_AFTER = (
    # "moving about doesn't make much difference": not what makes it worse or better.
    "doesn't make much difference",
    "doesn't make any difference",
    "doesn't make a difference",
    "doesn't make much of a difference",
    "makes no difference",
    "make no difference",
    "makes little difference",
    # "buttock and leg. back not so much": the back is not where it hurts.
    "not so much",
    "not as much",
    "is fine",
    "are fine",
    "is ok",
    "are ok",
    "is okay",
    "are okay",
    "is normal",
    "are normal",
    # Said with emphasis ("my waterworks and bowels are perfectly normal"): never a question.
    "perfectly normal",
    "completely normal",
    "totally normal",
    "entirely normal",
    "quite normal",
    "pretty normal",
    "perfectly fine",
    "absolutely fine",
    "completely fine",
    "totally fine",
    "are the same",
    "is the same",
    "are just the same",
    "is just the same",
    "same as always",
    "same as ever",
    "as normal as ever",
    # Unchanged: "my waterworks are as they've always been" (set 7, sealed: a stenosis sent to 999).
    "as they've always been",
    "as they have always been",
    "as it's always been",
    "as it has always been",
    "as they always have been",
    "same as they've always been",
    "as they always were",
    "no different to normal",
    "no different from normal",
    "no different than usual",
    "no different",
    "haven't changed",
    "hasn't changed",
    "are unchanged",
    "is unchanged",
    "fine",
    # Said without "is" ("no, waterworks normal, nothing numb down there": set 7).
    "normal",
    "ok",
    "okay",
    "alright",
    "all right",
    "is not a problem",
    "isn't a problem",
    "no problem",
    "not a problem",
    "not an issue",
    "is good",
    "are good",
    # A body part or function said to work as it should ("both legs are strong", "legs feel
    # normal strength", "waterworks working fine").
    "are strong",
    "is strong",
    "feel strong",
    "feels strong",
    "feel normal",
    "feels normal",
    "feel fine",
    "feels fine",
    "normal strength",
    "full strength",
    "working fine",
    "working normally",
    "work fine",
    "works fine",
    "as normal",
    "has been fine",
    "have been fine",
    "all good",
    "all ok",
    "all okay",
    "all normal",
    "all fine",
    "not really",
    "is not affected",
    "isn't affected",
    "i've none",
    "i have none",
    "i've got none",
    "none at all",
    "none",
    # "On purpose" is not here: weight lost on purpose is taken back by the content's `suppress`
    # (concepts.yml), while an overdose or an injury done on purpose is the red flag itself.
    "on slimming world",
    "slimming world",
    "weight watchers",
    "on a diet",
)
# Resolved: it was there and has gone ("... after a long spin class but it went away").
RESOLVED_AFTER = (
    "went away",
    "it went away",
    "but it went away",
    "but went away",
    "has gone away",
    "has gone now",
    # Drug use given up: "used heroin years ago but I've been clean 12 years".
    "been clean",
    "clean for",
    "been well for",
    "it's gone",
    "gone now",
    "it's fine now",
    "fine now",
    # Longer than the emphatic "totally fine" above, so these stay resolutions.
    "totally fine now",
    "perfectly fine now",
    "completely fine now",
    "absolutely fine now",
    "but it's fine now",
    "but it's gone",
    "that's gone",
    "thats gone",
    "but that's gone",
    "but thats gone",
    "but its gone",
    # "I had a temperature last month ... but that's long gone" (set Q).
    "long gone",
    "long since gone",
    "that's long gone",
    "but that's long gone",
    "cleared up",
    "all cleared up",
    "it went after",
    "went after physio",
    "has settled",
    "settled down",
    "fine once",
    "fine when i",
    "goes away when",
    "go away when",
    "wears off",
    "wear off",
    "wore off",
    # The feeling came back ("went numb on the hard bench, came back as soon as I moved"); "the
    # pain came back" is not here: a "came back" with a time is the feeling returning.
    "feeling came back",
    "feeling's come back",
    "feeling has come back",
    "came back as soon as",
    "came back when i",
    "came back once i",
    "came back after a few",
    "came back after a minute",
    "came back after a couple",
    "came back normal",
    "came back clear",
    "all normal",
    "was normal",
    "were normal",
    "recovered",
    "fully recovered",
    "recovered completely",
    "made a full recovery",
    "full recovery",
    "back to normal",
    "gone by the morning",
    "gone by morning",
    "gone by the next day",
    "goes down overnight",
    "go down overnight",
    "healed up",
    "all healed",
    "fine the next morning",
    "fine the next day",
    "fine by the next morning",
    "sorted it",
    "sorted it out",
    "got sorted",
    "cleared it",
    "cleared it up",
)
UNCERTAIN_BEFORE = (
    "not sure",
    "unsure",
    "don't know if",
    "don't know whether",
    "dunno if",
    "i dunno if",
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
    "might be imagining it",
)
UNCERTAIN_AFTER = ("maybe", "not sure", "possibly", "i'm not sure", "perhaps", "maybe not")
# Questions and worries in general (see _hypothetical for the clause-initial question words).
# What a clinician asked about or checked is the topic of a question, not a report (set S:
# "she asked me all the questions about bladder, bowels and numbness down there"), and so is
# every item of the list these words name (HYPO_PRE, whose scope runs over a list).
TOPIC_NAMING = (
    "asked about",
    "asked me about",
    "questions about",
    "asked all about",
    "checked for",
    "checked me for",
    "tested for",
    "tested me for",
    "screened for",
    "screened me for",
    "examined me for",
    "watch out for",
    "look out for",
    "warning signs",
    "warning signs of",
    "signs of",
    "symptoms of",
)
HYPOTHETICAL_BEFORE = (
    "what if",
    # A case put, not told: "hypothetically if both my legs went numb".
    "hypothetically",
    "theoretically",
    "in theory",
    "supposing",
    "suppose",
    "say if",
    "read about",
    "reading about",
    "heard about",
    "read up on",
    "googled",
    "if i ever",
    # A warning put as a future: "I'll end up paralysed if I don't stop slouching".
    "end up",
    # A fear asked as a future: "will i be paralysed?", "am I going to be in a wheelchair?"
    "will i be",
    "will i end",
    "am i going to be",
    "am i gonna be",
    "could i be",
    "could i end",
    "if i did",
    "if i had",
    "if i lost",
    "if i lose",
    "if it ever",
    "should i ever",
    "were i to",
    "if i were",
    "if i was to",
    "if i develop",
    "if i start",
    "if i suddenly",
    "if i couldn't",
    "if i can't",
    "if someone",
    "if you",
    "asked if",
    "asked me if",
    "asked whether",
    "asked me whether",
    "checked if",
    "checked whether",
    "wanted to know if",
    "wanted to know whether",
    "in case",
    "is it bad if",
    "is it normal to",
    "is it serious if",
    "should i worry if",
    "should i be worried if",
    "how do i know if",
    "how do you know if",
    "how do you tell",
    "how can i tell if",
    "worried about",
    "worried it's",
    "worried it is",
    "scared of",
    "afraid of",
    "check for",
    *TOPIC_NAMING,
    "risk of",
    "what happens if",
    "people with",
)
# General-sounding questions that are about the asker when the sentence says "I" or "my":
# "is it normal to not feel the toilet paper when I wipe?" is a report.
SELF_QUESTIONS = frozenset(
    {"is it normal to", "is it bad if", "is it serious if", "should i worry if", "should i be worried if"}
)
SELF_QUESTION_OPENINGS = frozenset(
    {
        "is it normal",
        "is it ok",
        "is it okay",
        "is it bad",
        "is it serious",
        "is that normal",
        "is this normal",
        "is that bad",
        "is this bad",
        "is that serious",
        "is this serious",
        "is it worrying",
        "is it dangerous",
    }
)
# Interrogatives that make a clause a question when they open it.
QUESTION_WORDS = frozenset(
    {
        "can",
        "could",
        "does",
        "do",
        "did",
        "is",
        "are",
        "should",
        "would",
        "will",
        "what",
        "what's",
        "whats",
        "how",
        "why",
    }
)
WH_WORDS = frozenset({"why", "how", "what", "when", "where"})
QUESTION_AUXILIARIES = frozenset({"is", "are", "does", "do", "did", "can", "could", "would", "should", "will"})
# "I don't know why is it", "tell me what does it mean": the question is part of the clause.
REPORTED_QUESTION_VERBS = frozenset(
    {"know", "wonder", "wondering", "see", "understand", "tell", "ask", "asking", "idea", "sure", "explain", "and"}
)
# Words that may come before a question word at the start of a clause ("ok so can ...").
OPENERS = frozenset(
    {"hi", "hello", "hey", "ok", "okay", "so", "um", "erm", "right", "also", "and", "quick", "question", "just", "oh"}
)
FIRST_PERSON = frozenset({"i", "i'm", "im", "i've", "ive", "my", "me", "mine", "myself", "'m", "'ve"})
# A finding said of him or her in its own words is theirs, however they were named before.
THEIR_SELVES = frozenset({"himself", "herself", "themselves", "themself"})
THIRD_PERSON = frozenset({"he", "she", "they", "his", "her", "their", "it", "he's", "she's", "it's", "its"})
CONDITIONAL = frozenset({"if", "whether", "when"})
# Long-standing, in either direction within the clause ("for years", "since my op in 2019").
HISTORY: Tuple[str, ...] = (
    "for years",
    "for many years",
    "for a few years",
    "for several years",
    "for some years",
    "for ages",
    "for decades",
    "for a long time",
    "on and off for years",
    "years ago",
    "months ago",
    "last year",
    "the year before",
    "a few years ago",
    "many years ago",
    "all my life",
    "as long as i can remember",
    "always had",
    "always have",
    "i've always",
    "always been",
    "always get",
    "always cold",
    "since childhood",
    "since i was a child",
    "since i was young",
    "since my teens",
    "since the menopause",
    "since my menopause",
    # Said as part of the menopause ("hot sweats at night with the menopause"): a known,
    # ongoing cause, asked whether it is new or has changed rather than sent the same day.
    "with the menopause",
    "with my menopause",
    "from the menopause",
    "because of the menopause",
    "menopausal",
    "since the change",
    "since my children were born",
    "since my kids were born",
    "since the children were born",
    "since my baby was born",
    "since having my children",
    "since having my kids",
    "since having children",
    "since having kids",
    "since having my baby",
    "since i had my children",
    "since i had my kids",
    "since my first baby",
    "since my second baby",
    "since my third baby",
    "since my last baby",
    "since my first child",
    "since my second child",
    "since my op in",
    "since my operation in",
    "since my surgery in",
    "since my stroke",
    "from a stroke",
    "from my stroke",
    "from my diabetes",
    "from diabetes",
    "for a few years now",
    "for years now",
    "long-standing",
    "as a teenager",
    # An event dated to a month ("since a car accident in March") is its history, not now.
    "in january",
    "last january",
    "in february",
    "last february",
    "in march",
    "last march",
    "in april",
    "last april",
    "in june",
    "last june",
    "in july",
    "last july",
    "in august",
    "last august",
    "in september",
    "last september",
    "in october",
    "last october",
    "in november",
    "last november",
    "in december",
    "last december",
    "in the spring",
    "last spring",
    "in the summer",
    "last summer",
    "in the autumn",
    "last autumn",
    "in the winter",
    "last winter",
    "as a teen",
    "when i was a teenager",
    "in my teens",
    "when i was younger",
    "longstanding",
    "it's my prostate",
    "i have raynauds",
    "i've got ibs",
)
# Long-standing triggers after a comma that still point back ("..., have done since my second baby").
HISTORY_ANAPHORIC: Tuple[str, ...] = (
    "have done since",
    "has done since",
    "been like that for years",
    "been like this for years",
    "been that way for years",
    "same for years",
    "had it for years",
    "had that for years",
    "that's been since",
    "that has been since",
    "it's been since",
    "been like that since",
    "been like this since",
    "same as it's been for years",
    "as it has been for years",
    "as it's been for years",
    "same as always",
)
# Since childbirth, said with the children ("since having my 3 kids", "since I had the twins": set O):
# stress leaking that old is asked about as new or changed, not escalated.
SINCE_CHILDBIRTH = tuple(
    f"since {had} {whose}{count}{children}".replace("  ", " ")
    for had in ("having", "i had")
    for whose in ("my ", "the ", "")
    for count in ("", "2 ", "3 ", "4 ", "two ", "three ", "four ")
    for children in ("kids", "children", "babies", "twins", "son", "daughter", "boys", "girls")
)
HISTORY += SINCE_CHILDBIRTH
HISTORY_ANAPHORIC += SINCE_CHILDBIRTH
# Someone else's history.
RELATIVES = (
    "mum",
    "mom",
    "mother",
    "dad",
    "father",
    "sister",
    "brother",
    "grandad",
    "granddad",
    "grandpa",
    "grandfather",
    "grandma",
    "gran",
    "granny",
    "nan",
    "nana",
    "grandmother",
    "aunt",
    "auntie",
    "uncle",
    "cousin",
    "friend",
    "mate",
    "neighbour",
    "neighbor",
    "colleague",
    "boss",
    "wife",
    "husband",
    "partner",
    "hubby",
    "son",
    "daughter",
    "child",
    "kid",
    "kids",
    "boyfriend",
    "girlfriend",
    "fiance",
    "fiancé",
    "grandson",
    "granddaughter",
    "nephew",
    "niece",
    "stepdad",
    "stepmum",
    "flatmate",
    "housemate",
)
# "My dad fell off a ladder", "my wife is on chemo": whatever the verb, the clause is about
# them, up to a first-person word ("my wife says I can't pee" is the person's own).
OTHER_BEFORE = tuple(
    f"{whose} {how}{who}"
    for who in RELATIVES
    for whose in ("my", "our", "his", "her")
    # "My late husband had poor circulation" (usability review 7: filed as the person's own).
    for how in (
        "",
        "late ",
        "dear ",
        "dear old ",
        "ex ",
        "old ",
        "elderly ",
        "poor ",
        "little ",
        "older ",
        "younger ",
        "eldest ",
    )
) + (
    # A clause whose subject is someone else ("he can't pee", "his legs are numb").
    "he",
    "she",
    "his",
    "her",
    "he's",
    "she's",
    "hes",
    "shes",
    "they",
    "their",
    "a woman who",
    "a man who",
    "a lady who",
    "a guy who",
    "a friend who",
    "someone who",
    "somebody who",
    "people who",
    "a patient who",
    "a story about",
    "news story about",
    "family history of",
    "runs in my family",
    "runs in the family",
    "in my family",
)
# Look like a trigger but are not: "I didn't notice I'd wet myself" is a positive report.
PSEUDO = (
    # "They" is often the legs or feet: "both legs feel like they belong to someone else".
    "like they",
    "as if they",
    "as though they",
    "they feel",
    "they felt",
    "they keep",
    "not only",
    "no longer able",
    "didn't notice",
    "didn't realise",
    "didn't realize",
    "didn't know",
    "didn't feel",
    "didn't even",
    "didn't think",
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
    "no sensation",
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
    "never happens",
    "that never happens",
    "without warning",
    "without trying",
    "without meaning to",
    "without noticing",
    "without realising",
    "without realizing",
    "without knowing",
    "without feeling",
    "not dieting",
    "not trying",
    "haven't been dieting",
    "not on a diet",
    "not making sense",
    "not the lower back",
    "never had anything like this",
    "never had back pain before",
    "never had it before",
    "no plan",
)
# Clause boundaries.
TERMINATORS = (
    "but",
    "however",
    "though",
    "although",
    "yet",
    "except",
    "apart from",
    "aside from",
    "other than",
    "which",
    "whereas",
    "still",
    ".",
    ";",
    "!",
    "?",
    ":",
    "because",
    "as",
    "since",
    "so",
    "until",
    "till",
    "til",
    "now",
    "then",
    "and now",
    "otherwise",
)
SUBJECTS = frozenset(
    {"i", "my", "it", "its", "it's", "the", "there", "she", "he", "they", "im", "i'm", "this", "that", "both", "now"}
)
# What may follow an entity inside a negated clause without ending it.
LIST_CONTINUATIONS = frozenset(
    {
        "or",
        "nor",
        "in",
        "on",
        "of",
        "at",
        "around",
        "down",
        "into",
        "to",
        "from",
        "with",
        "my",
        "the",
        "a",
        "an",
        "any",
        "either",
        "both",
        "anywhere",
        "whatsoever",
        "all",
        "problems",
        "issues",
        "there",
        "below",
        "legs",
        "leg",
        "feet",
        "foot",
    }
)
STRONG_BOUNDARIES = frozenset({".", "?", "!", ";"})
NEW_SUBJECTS = frozenset({"i", "im", "i'm", "ive", "i've", "i'll", "id", "i'd"})
CLAUSE_WORDS = frozenset({"where", "who", "why", "because", "cos", "coz"})
# An entity starting with one of these is a new verb phrase: "no temperature and lost
# control of my bladder" is two clauses, "no fever or chills" one list.
VERBAL = frozenset(
    {
        "lost",
        "losing",
        "lose",
        "wet",
        "wetting",
        "peed",
        "pooed",
        "pooped",
        "soiled",
        "can",
        "cannot",
        "could",
        "have",
        "has",
        "had",
        "keep",
        "keeps",
        "feel",
        "feels",
        "felt",
        "went",
        "gone",
        "started",
        "took",
        "taken",
        "swallowed",
        "fell",
        # irregular past tenses that start an account of how it happened ("and did it lifting")
        "did",
        "hurt",
        "got",
        "put",
        "woke",
        "need",
        "needing",
        "leaking",
        "dribbling",
        "i",
        "my",
    }
)
UNTIL = frozenset({"until", "till", "til", "untill"})
NEGATORS = frozenset({"not", "n't", "nt", "no", "nae", "nuh", "never", "without", "nothing", "none"})
# What happened recently: a long-standing trigger in the same sentence is a duration, not a history.
# A day of the week is within the last week ("been like that since Monday").
RECENT_WORDS = frozenset(
    "today yesterday tonight recently lately suddenly sudden weekend monday tuesday wednesday thursday friday"
    " saturday sunday".split()
)
RECENT_PAIRS = frozenset(
    {
        "last night",
        "this morning",
        "this week",
        "this evening",
        "this afternoon",
        "since yesterday",
        "last week",
        "few days",
        "couple days",
        "of days",
    }
)
# Said as how long it lasted as often as how recent it is: beside an explicit past time ("I
# leaked urine for a few days after giving birth 12 years ago") they are a duration.
DURATION_PAIRS = frozenset({"few days", "couple days", "of days"})
RECENT_TIME = re.compile(r"^\d{1,2}(am|pm)$")
# Words that place a question beside the asker's own state ("mine have been since Monday").
TOLD_AS_NOW_WORDS = frozenset({"mine", "since", "started", "began", "now"})
ANSWERED_NO = frozenset({"no", "nope", "nah"})


def _between_words(doc: Doc, i: int) -> bool:
    return 0 < i < len(doc) - 1 and doc[i - 1].is_alpha and doc[i + 1].is_alpha


def _answered_no(doc: Doc, ent: Span) -> bool:
    """ "Sciatica both legs? No, just the one": a question the person asks and answers no at once."""
    end = ent.end
    while end < len(doc) and doc[end].norm_ not in STRONG_BOUNDARIES:
        end += 1
    if end >= len(doc) - 1 or doc[end].norm_ != "?":
        return False
    start = ent.start
    while start > 0 and doc[start - 1].norm_ not in STRONG_BOUNDARIES:
        start -= 1
    if any(doc[i].norm_ in QUESTION_WORDS for i in range(start, ent.start)):
        return False  # "can sciatica affect both legs? no idea": a real question, not an echo
    if doc[end + 1].norm_ not in ANSWERED_NO:
        return False
    # "... is that my back? no actual back pain": "no" heading a thing of its own is not an answer.
    after = doc[end + 2] if end + 2 < len(doc) else None
    return after is None or after.is_punct or after.norm_ in ANSWERED_NO


def context_vocabulary() -> Set[str]:
    """The words of every trigger, for the typo corrector."""
    lists = (NEGATION_BEFORE, NEGATION_AFTER, RESOLVED_AFTER, UNCERTAIN_BEFORE, HYPOTHETICAL_BEFORE, HISTORY, RELATIVES)
    return {word for phrases in lists for phrase in phrases for word in phrase.split() if word.isalpha()}


# Triggers that look one way only, so the same words may look the other way as well.
DIRECTIONS = frozenset({"NEG_PRE", "NEG_POST", "RESOLVED"})
# Words after a finding that deny it only when the finding is a thing ("waterworks normal"),
# not when it says something cannot be done ("can't pee ok" means not properly).
HOW_WELL = frozenset({"normal", "ok", "okay", "alright", "all right"})
CANNOT = frozenset({"not", "n't", "cannot", "can't", "cant", "unable", "no", "never", "hardly", "barely"})


# What may follow a "not really" that denies what came before ("down my legs? not really tbh").
AFTER_A_DENIAL = frozenset(
    {
        "at",
        "all",
        "anymore",
        "any",
        "more",
        "now",
        "though",
        "tbh",
        "honestly",
        "mate",
        "really",
        "much",
        "no",
        "thanks",
        "thank",
        "ta",
        "lol",
        "i",
        "it",
        "and",
        "but",
        "just",
    }
)


def _negates_what_follows(doc: Doc, trigger: "Trigger") -> bool:
    said = " ".join(t.norm_ for t in doc[trigger.start : trigger.end])
    if not said.startswith(("not", "no ", "never", "does not", "do not", "did not")) or trigger.end >= len(doc):
        return False
    after = doc[trigger.end]
    return after.is_alpha and after.lower_ not in AFTER_A_DENIAL


def _out_of_reach(doc: Doc, trigger: "Trigger", ent: Span) -> bool:
    """Too many words between a negation and the entity, or a new clause between them: "it
    doesn't stop, I'm going to ..." (a new subject), "doesn't know where she is temp 39.4"
    (a question word, typed without a comma: set N)."""
    words = [j for j in range(trigger.end, ent.start) if not doc[j].is_punct]
    if len(words) > WINDOW:
        return True
    return any(doc[j].norm_ in NEW_SUBJECTS for j in words[1:]) or any(doc[j].norm_ in CLAUSE_WORDS for j in words)


def _denies_a_feeling(doc: Doc, trigger: "Trigger", ent: Span) -> bool:
    """ "my bum doesn't feel numb": a trigger that ends in the feeling it denies covers the
    words inside it (a concept's "not feel" included)."""
    inside = trigger.start <= ent.start and ent.end <= trigger.end
    return (
        inside
        and doc[trigger.end - 1].norm_ in FEELINGS_DENIED
        and " feel " in f" {doc[trigger.start : trigger.end].text} "
    )


MOVED_ON = frozenset({"into", "down", "up", "to", "right", "all", "through", "across", "further", "round", "around"})
# "Gone" as "become": "it's gone dead", "my leg's gone numb", "gone funny".
BECAME = frozenset(
    {
        "dead",
        "numb",
        "funny",
        "weird",
        "strange",
        "weak",
        "floppy",
        "wobbly",
        "tingly",
        "white",
        "blue",
        "pale",
        "red",
        "stiff",
        "worse",
        "really",
        "completely",
        "totally",
        "all",
    }
)


def _moved_on_or_became(doc: Doc, trigger: "Trigger") -> bool:
    following = doc[trigger.end].norm_
    return following in MOVED_ON or (doc[trigger.end - 1].norm_ == "gone" and following in BECAME)


ASKING_OPENERS = frozenset({"is", "are", "does", "do", "can", "could", "should", "would", "will", "isn't", "aren't"})


def _says_a_problem_done_badly(doc: Doc, trigger: "Trigger", ent: Span) -> bool:
    """ "can't pee ok" (a problem done badly), "is a fever of 38.9 normal after ...?" (asked):
    neither denies the finding."""
    said = " ".join(t.norm_ for t in doc[trigger.start : trigger.end])
    if said not in HOW_WELL:
        return False
    if any(t.lower_ in CANNOT or t.norm_ in CANNOT for t in ent):
        return True
    if trigger.start > 0 and doc[trigger.start - 1].norm_ in ("that", "it", "this", "'s"):
        return True  # "... I've planned how I'd do it, is that normal": asked about "that"
    end = trigger.end
    while end < len(doc) and doc[end].norm_ not in (".", "!", "?"):
        end += 1
    start = ent.start
    while start > 0 and doc[start - 1].norm_ not in (".", "!", "?"):
        start -= 1
    return (end < len(doc) and doc[end].norm_ == "?") or doc[start].norm_ in ASKING_OPENERS


def _asks_whether_normal(doc: Doc, trigger: "Trigger", ent: Span) -> bool:
    """ "is my waterworks normal?", "are my bowels ok?": the person asks whether a function of
    theirs is as it should be, naming no problem with it."""
    said = " ".join(t.norm_ for t in doc[trigger.start : trigger.end])
    if said not in HOW_WELL or any(t.lower_ in CANNOT or t.norm_ in CANNOT for t in ent):
        return False
    if trigger.start > 0 and doc[trigger.start - 1].norm_ in ("that", "it", "this", "'s"):
        return False
    start = ent.start
    while start > 0 and doc[start - 1].norm_ not in (".", "!", "?"):
        start -= 1
    return doc[start].norm_ in ASKING_OPENERS and any(
        t.norm_ in ("my", "mine", "me", "i") for t in doc[start : ent.end]
    )


@dataclass(frozen=True)
class Trigger:
    category: str
    start: int
    end: int


def _phrase_matcher(nlp: Language, label_phrases: Iterable[Tuple[str, Sequence[str]]]) -> PhraseMatcher:
    matcher = PhraseMatcher(nlp.vocab, attr="NORM")
    for label, phrases in label_phrases:
        matcher.add(label, [nlp.make_doc(phrase) for phrase in phrases])
    return matcher


class NegationDetector:
    """Sets ``span._.status`` on every entity of a Doc (see the module docstring)."""

    def __init__(self, nlp: Language):
        if not Span.has_extension("status"):
            Span.set_extension("status", default=PRESENT)
        self._matcher = _phrase_matcher(
            nlp,
            [
                ("NEG_PRE", NEGATION_BEFORE),
                ("NEG_POST", NEGATION_AFTER),
                ("RESOLVED", RESOLVED_AFTER),
                ("UNC_PRE", UNCERTAIN_BEFORE),
                ("UNC_POST", UNCERTAIN_AFTER),
                ("HYPO_PRE", HYPOTHETICAL_BEFORE),
                ("HIST", HISTORY),
                ("HIST_BACK", HISTORY_ANAPHORIC),
                ("OTHER_PRE", OTHER_BEFORE),
                ("PSEUDO", PSEUDO),
                ("TERM", TERMINATORS),
            ],
        )
        # "since 2019", "since my op in 2019": a year makes "since" long-standing; so does
        # "for twenty years", "for 3 decades".
        self._years = Matcher(nlp.vocab)
        self._years.add(
            "HIST",
            [
                [{"LOWER": {"IN": ["since", "in", "back", "during"]}}, {"TEXT": {"REGEX": r"^(19|20)\d\d$"}}],
                [
                    {"LOWER": {"IN": ["for", "over"]}},
                    {
                        "LOWER": {"IN": ["about", "around", "nearly", "almost", "over", "the", "last", "past"]},
                        "OP": "*",
                    },
                    {"LIKE_NUM": True},
                    {"LOWER": {"IN": ["years", "yrs", "decades", "decade"]}},
                ],
            ],
        )

    # -- triggers --------------------------------------------------------------
    def _triggers(self, doc: Doc) -> List[Trigger]:
        matches = [(doc.vocab.strings[m], s, e) for m, s, e in self._matcher(doc)]
        matches += [(doc.vocab.strings[m], s, e) for m, s, e in self._years(doc)]
        # Keep the longest trigger where several overlap; pseudo-triggers win ties. The same
        # words in two directions ("all normal": "the scan came back all normal", "all
        # normal down there") keep both.
        matches.sort(key=lambda m: (-(m[2] - m[1]), m[0] != "PSEUDO", m[1]))
        taken: List[Trigger] = []
        used: Set[int] = set()
        for label, start, end in matches:
            same_words = [t for t in taken if (t.start, t.end) == (start, end)]
            if same_words and all(t.category in DIRECTIONS for t in same_words + [Trigger(label, start, end)]):
                taken.append(Trigger(label, start, end))
                continue
            if any(i in used for i in range(start, end)):
                continue
            taken.append(Trigger(label, start, end))
            used.update(range(start, end))
        return sorted(taken, key=lambda t: t.start)

    # -- clauses ---------------------------------------------------------------
    def _boundaries(self, doc: Doc, triggers: List[Trigger], entity_tokens: Set[int]) -> Dict[int, str]:
        """Token index -> "strong" (sentence end), "clause" or "comma"."""
        bounds: Dict[int, str] = {}
        for trigger in triggers:
            if trigger.category == "TERM":
                for i in range(trigger.start, trigger.end):
                    bounds[i] = "strong" if doc[i].norm_ in STRONG_BOUNDARIES else "clause"
        for token in doc:
            i = token.i
            following = doc[i + 1].norm_ if i + 1 < len(doc) else ""
            if token.norm_ == ",":
                bounds.setdefault(i, "clause" if following in SUBJECTS else "comma")
            elif token.norm_ == "and" and following in SUBJECTS:
                bounds.setdefault(i, "clause")
            elif token.norm_ == "/" and _between_words(doc, i):
                continue  # "no bladder/bowel issues": one list, read as "or"
            elif token.norm_ in ("-", "–", "—", "/") and i not in entity_tokens:
                bounds.setdefault(i, "comma")
            elif self._question_starts_unpunctuated(doc, i):
                bounds.setdefault(i, "clause")
        return bounds

    @staticmethod
    def _question_starts_unpunctuated(doc: Doc, i: int) -> bool:
        """ "revising for my exam why is urinary retention a worry": a question typed without a
        full stop before it starts a clause of its own (not "I don't know why it hurts")."""
        token = doc[i]
        if token.norm_ not in WH_WORDS or i == 0 or i + 1 >= len(doc) or not doc[i - 1].is_alpha:
            return False
        return doc[i + 1].norm_ in QUESTION_AUXILIARIES and doc[i - 1].norm_ not in REPORTED_QUESTION_VERBS

    @staticmethod
    def _list_goes_on(doc: Doc, comma: int, bounds: Dict[int, str], entity_tokens: Set[int]) -> bool:
        """After a comma in a negated clause: does an "or" / "nor" later join this list?"""
        for i in range(comma + 1, len(doc)):
            if doc[i].norm_ in ("or", "nor"):
                return True
            if i in bounds and bounds[i] != "comma":
                return False
            if i not in entity_tokens and doc[i].norm_ not in LIST_CONTINUATIONS and not doc[i].is_punct:
                return False
        return False

    # -- applying --------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        triggers = self._triggers(doc)
        entity_tokens = {i for ent in doc.ents for i in range(ent.start, ent.end)}
        bounds = self._boundaries(doc, triggers, entity_tokens)
        for ent in doc.ents:
            ent._.status = self._status_of(doc, ent, triggers, bounds, entity_tokens)
        return doc

    def combined_status(self, doc: Doc, parts: Sequence[Span]) -> str:
        """The status of a finding made of several words that are not the Doc's entities
        (a combination of concepts, the mention of a safety check): each word judged
        against the same triggers and clauses, the strongest modifier winning."""
        triggers = self._triggers(doc)
        entity_tokens = {i for ent in doc.ents for i in range(ent.start, ent.end)}
        bounds = self._boundaries(doc, triggers, entity_tokens)
        own = {i for part in parts for i in range(part.start, part.end)}
        found = {self._status_of(doc, part, triggers, bounds, entity_tokens, own) for part in parts}
        return next((status for status in PRECEDENCE if status in found), PRESENT)

    def _status_of(
        self, doc: Doc, ent: Span, triggers: List[Trigger], bounds, entity_tokens, own: Optional[Set[int]] = None
    ) -> str:
        found: Set[str] = set()
        for trigger in triggers:
            if trigger.category in ("PSEUDO", "TERM"):
                continue
            if trigger.start >= ent.start and trigger.end <= ent.end:
                continue  # a trigger inside the entity ("no feeling") is part of it
            if _denies_a_feeling(doc, trigger, ent):
                found.add(ABSENT)  # "my bum doesn't feel numb": not its "not feel" (a loss of feeling)
                continue
            if own and {i for i in range(trigger.start, trigger.end) if doc[i].norm_ in NEGATORS} & own:
                continue  # ... or its negation inside another word of the same finding ("don't get the urge")
            status = self._modifies(doc, trigger, ent, bounds, entity_tokens)
            if status:
                found.add(status)
        if any(token.norm_ in THEIR_SELVES for token in ent) or (
            ent.end < len(doc) and doc[ent.end].norm_ in THEIR_SELVES
        ):
            found.add(OTHER)  # "a mate's husband wet himself", "she can't feel herself when she wipes"
        if self._asked_in_general(doc, ent, bounds) or _imagined(doc, ent) or _asked_whether_i_have(doc, ent):
            found.add(HYPOTHETICAL)
        if _figurative(doc, ent):
            found.add(OTHER)
        if _answered_no(doc, ent):
            found.add(ABSENT)
        return next((status for status in PRECEDENCE if status in found), PRESENT)

    def _modifies(self, doc: Doc, trigger: Trigger, ent: Span, bounds, entity_tokens) -> str:
        """The status ``trigger`` gives ``ent``, or "" when the entity is out of its scope."""
        category = trigger.category
        before = trigger.start < ent.start and trigger.end <= ent.end
        after = trigger.start >= ent.end
        if category.startswith("HIST") and ent.label_ == "risk_factor":
            return ""  # a history is what a risk factor is: "had cancer years ago" counts
        if category == "NEG_PRE":
            return ABSENT if before and self._negates(doc, trigger, ent, bounds, entity_tokens) else ""
        if category == "NEG_POST" and _asks_whether_normal(doc, trigger, ent):
            return UNCERTAIN  # "is my waterworks normal?": a doubt, so asked about, not escalated
        if category == "NEG_POST" and _says_a_problem_done_badly(doc, trigger, ent):
            return ""  # "can't pee ok", "not weeing normal": a problem, not its denial
        if category == "NEG_POST" and _negates_what_follows(doc, trigger):
            return ""  # "a lump on my spine, doesn't really hurt": the hurting is denied, not the lump
        if category in ("NEG_POST", "UNC_POST"):
            in_scope = after and self._reaches_back(doc, ent, trigger, bounds, entity_tokens)
            return (ABSENT if category == "NEG_POST" else UNCERTAIN) if in_scope else ""
        if category == "HYPO_PRE" and self._about_the_asker(doc, trigger, bounds):
            return ""
        if category in ("UNC_PRE", "HYPO_PRE"):
            in_scope = before and (
                self._reaches(doc, trigger.end, ent.start, bounds, entity_tokens)
                or (category == "HYPO_PRE" and self._in_a_list_after(doc, trigger, ent, bounds, entity_tokens))
            )
            return (UNCERTAIN if category == "UNC_PRE" else HYPOTHETICAL) if in_scope else ""
        if category == "OTHER_PRE":
            own = any(doc[i].norm_ in FIRST_PERSON for i in range(trigger.end, ent.start))
            return OTHER if before and not own and self._their_clause(doc, trigger.end, ent.start, bounds) else ""
        explicit_past = doc[trigger.end - 1].norm_ == "ago"
        if category == "HIST" and self._recent_in_clause(doc, ent, bounds, durations=not explicit_past):
            return ""  # "nothing would come for ages last night": how long it lasted, not since when
        if category == "RESOLVED" and trigger.end < len(doc) and _moved_on_or_became(doc, trigger):
            # "it's gone right into my foot": spread, not gone away (set N); "it's gone dead": become (set P)
            return ""
        if category in ("RESOLVED", "HIST"):
            in_scope = (after or category == "HIST") and self._near_in_clause(trigger, ent, bounds, entity_tokens)
            return (ABSENT if category == "RESOLVED" else HISTORICAL) if in_scope else ""
        if category == "HIST_BACK":
            if self._recent_after(doc, trigger, bounds):
                return ""  # "been like this since this morning"
            return HISTORICAL if after and self._anaphoric(doc, ent, trigger, bounds) else ""
        return ""

    @staticmethod
    def _recent_in_clause(doc: Doc, ent: Span, bounds, durations: bool = True) -> bool:
        """A time word that makes what the clause says recent ("last night", "at 3am", "today")."""
        start, end = ent.start, ent.end
        while start > 0 and bounds.get(start - 1) not in ("strong", "clause"):
            start -= 1
        while end < len(doc) and bounds.get(end) not in ("strong", "clause"):
            end += 1
        words = [t.norm_ for t in doc[start:end]]
        pairs = {" ".join(words[i : i + 2]) for i in range(len(words) - 1)}
        clock = any(w in ("am", "pm", "a.m.", "p.m.") and i and words[i - 1].isdigit() for i, w in enumerate(words))
        recent_pairs = RECENT_PAIRS if durations else RECENT_PAIRS - DURATION_PAIRS
        return bool(
            set(words) & RECENT_WORDS or pairs & recent_pairs or clock or any(RECENT_TIME.match(w) for w in words)
        )

    @staticmethod
    def _recent_after(doc: Doc, trigger: Trigger, bounds) -> bool:
        """A recent time in the clause a trigger opens ("... since this morning")."""
        end = trigger.end
        while end < len(doc) and bounds.get(end) not in ("strong", "clause"):
            end += 1
        words = [t.norm_ for t in doc[trigger.end : end]]
        pairs = {" ".join(words[i : i + 2]) for i in range(len(words) - 1)}
        return bool(set(words) & RECENT_WORDS or pairs & RECENT_PAIRS)

    @staticmethod
    def _about_the_asker(doc: Doc, trigger: Trigger, bounds) -> bool:
        """ "Is it normal to ..." with "I" or "my" later in the message."""
        if doc[trigger.start : trigger.end].text.lower() not in SELF_QUESTIONS:
            return False
        return any(doc[i].norm_ in FIRST_PERSON for i in range(trigger.end, len(doc)))

    # -- scopes ----------------------------------------------------------------
    @staticmethod
    def _same_clause(start: int, end: int, bounds) -> bool:
        return not any(i in bounds and bounds[i] != "comma" for i in range(start, end))

    @staticmethod
    def _their_clause(doc: Doc, start: int, end: int, bounds) -> bool:
        """Someone else's clause goes on over "and" or a comma that a pronoun of theirs (or
        "it", their pain) continues: "my uncle ignored his back pain and it turned out to be
        a tumour" is all his, "my mum had cancer and I ..." is not (a first person stops it)."""
        for i in range(start, end):
            if i not in bounds or bounds[i] == "comma":
                continue
            following = doc[i + 1].norm_ if i + 1 < len(doc) else ""
            if bounds[i] == "strong" or doc[i].norm_ not in ("and", ",") or following not in THIRD_PERSON:
                return False
        return True

    def _reaches(self, doc: Doc, start: int, end: int, bounds, entity_tokens, window: int = WINDOW) -> bool:
        """A forward scope from ``start`` reaches the entity starting at ``end``: no boundary
        (not even a comma) and at most ``window`` other words between."""
        words = [i for i in range(start, end) if i not in entity_tokens and not doc[i].is_punct]
        return len(words) <= window and not any(i in bounds for i in range(start, end))

    def _in_a_list_after(self, doc: Doc, trigger: Trigger, ent: Span, bounds, entity_tokens) -> bool:
        """The entity is a later item of the list a question's topic names: "the physio asked
        about bladder, bowels and numbness" asks about all three (review of set S: only the
        first was a topic, the bowels a report). Only after the words that name a topic
        ("asked about", "signs of"), not after a worry, whose list may be a report."""
        if " ".join(t.norm_ for t in doc[trigger.start : trigger.end]) not in TOPIC_NAMING:
            return False
        entity_starts = {e.start for e in doc.ents}
        words = 0
        for i in range(trigger.end, ent.start):
            word = doc[i].norm_
            if i in bounds and bounds[i] != "comma":
                return False
            if word in ("and", "or") and self._verbal(doc, i + 1, entity_starts):
                return False  # "asked about my bladder and lost control of it": a new verb phrase
            if not doc[i].is_punct and word not in ("and", "or"):
                words += 1
        return words <= 2 * WINDOW

    def _reaches_back(self, doc: Doc, ent: Span, trigger: Trigger, bounds, entity_tokens) -> bool:
        gap = range(ent.end, trigger.start)
        words = [i for i in gap if i not in entity_tokens and not doc[i].is_punct]
        if len(words) > POST_WINDOW:
            return False
        # A resolution said after "but" ("..., but it went away") still closes its clause.
        return not any(i in bounds for i in gap)

    @staticmethod
    def _verbal(doc: Doc, start: int, entity_starts: Set[int]) -> bool:
        """The words from ``start`` begin a new verb phrase rather than another listed noun."""
        if start >= len(doc) or start not in entity_starts:
            return True
        word = doc[start].norm_
        return word in VERBAL or (word.endswith("ed") and len(word) > 4)

    def _negates(self, doc: Doc, trigger: Trigger, ent: Span, bounds, entity_tokens) -> bool:
        """A negation before the entity covers it: the words before the first entity fit in
        the window, and from there on only a list of entities joins them."""
        entity_starts = {e.start for e in doc.ents}
        if trigger.start in entity_tokens:
            # The "not" of another finding's own words ("doesn't know where she is", "can't
            # pee"): it says that finding, and negates nothing after it (set N).
            return False
        i = trigger.end
        seen_entity = False
        while i < ent.start:
            if i in entity_tokens:
                seen_entity = True
                i += 1
                continue
            if i in bounds:
                if bounds[i] != "comma" or not seen_entity or not self._list_goes_on(doc, i, bounds, entity_tokens):
                    return False
                if self._verbal(doc, i + 1, entity_starts):
                    return False
            elif doc[i].norm_ == "and" and (not seen_entity or self._verbal(doc, i + 1, entity_starts)):
                return False  # "no temperature and lost control of my bladder"
            elif seen_entity and doc[i].norm_ not in LIST_CONTINUATIONS and not doc[i].is_punct:
                return False  # a new verb phrase after a negated entity
            i += 1
        if not seen_entity and _out_of_reach(doc, trigger, ent):
            return False
        # "never had bladder problems until yesterday": it started then. Only close after the
        # entity and before a question begins ("no problems with my waterworks just a sore back
        # how long till it settles", typed without punctuation).
        for j in range(ent.end, min(len(doc), ent.end + UNTIL_WINDOW + 1)):
            if doc[j].norm_ in QUESTION_STARTS:
                break
            if doc[j].norm_ in UNTIL:
                return False
            if j in bounds:
                break
        return True

    def _near_in_clause(self, trigger: Trigger, ent: Span, bounds, entity_tokens) -> bool:
        lo, hi = (trigger.end, ent.start) if trigger.start < ent.start else (ent.end, trigger.start)
        doc = ent.doc
        entity_starts = {e.start for e in doc.ents}
        if any(doc[i].norm_ == "and" and self._verbal(doc, i + 1, entity_starts) for i in range(lo, hi)):
            return False  # "on steroids for years and slipped on the ice": a new verb phrase
        crossed = [i for i in range(lo, hi) if i in bounds]
        if crossed:
            # "I leak a bit when I cough, have done since my second baby": points back over a comma;
            # so does a resolution ("numb bum from the bleachers, went away when I walked").
            lead = " ".join(t.norm_ for t in doc[max(trigger.start - 2, 0) : trigger.start])
            anaphoric = trigger.start > ent.start and (
                lead in ("have done", "has done", "had it", "been like") or trigger.category == "RESOLVED"
            )
            # A resolution may also follow "but": "goes numb after sitting but it's fine once I stand".
            allowed = ("comma", "clause") if trigger.category == "RESOLVED" else ("comma",)
            if not anaphoric or len(crossed) > 1 or bounds[crossed[0]] not in allowed:
                return False
        # "numb butt from sitting on the bleachers for 3 hours went away when I walked": no
        # subject of its own between, so the resolution is said of the finding.
        if (
            not crossed
            and trigger.category == "RESOLVED"
            and trigger.start > ent.start
            and not any(doc[i].norm_ in NEW_SUBJECTS | THIRD_PERSON for i in range(lo, hi))
        ):
            return True
        if crossed and trigger.category == "RESOLVED" and self._continues(doc, crossed[0], trigger):
            return True  # "numb bum from sitting on a hard bench for 2 hours, went away when I walked"
        return hi - lo - len([i for i in range(lo, hi) if i in entity_tokens]) <= HISTORY_WINDOW

    @staticmethod
    def _continues(doc: Doc, comma: int, trigger: Trigger) -> bool:
        """A resolution that opens the clause after a comma, with no subject of its own, is
        said of what came before it, however long that was."""
        # "..., feeling came back after a few minutes": the feeling is what the finding lost.
        return doc[comma].norm_ == "," and all(
            doc[i].norm_ in ("but", "and", "it", "that", "which", "the", "feeling", "sensation")
            for i in range(comma + 1, trigger.start)
        )

    @staticmethod
    def _anaphoric(doc: Doc, ent: Span, trigger: Trigger, bounds) -> bool:
        """ ", have done since ..." points back over one comma, not over a sentence or clause."""
        commas = [i for i in range(ent.end, trigger.start) if i in bounds]
        # ", but that's been since my op": "that" points back over the "but" too.
        points_back = doc[trigger.start].norm_ in ("that", "that's", "it", "it's")
        return len(commas) <= 2 and all(doc[i].norm_ == "," or (points_back and doc[i].norm_ == "but") for i in commas)

    def _asked_in_general(self, doc: Doc, ent: Span, bounds) -> bool:
        """The entity sits in a clause opened by a question word, asked about people in
        general rather than about the person ("can sciatica cause numbness in both legs?")."""
        start = ent.start
        while start > 0 and (start - 1) not in bounds:
            start -= 1
        opener = start
        while opener < ent.start and doc[opener].norm_ in OPENERS:
            opener += 1
        if opener >= ent.start or doc[opener].norm_ not in QUESTION_WORDS:
            return False
        if opener + 1 < len(doc) and doc[opener + 1].norm_ in ("not", "n't", "nt"):
            return False  # "can't pee", "don't know if": not a question
        between = [doc[i].norm_ for i in range(opener + 1, ent.start)]
        if " ".join(between[:3]) in ("is the point", "'s the point", "s the point") and set(between) & FIRST_PERSON:
            return False  # "what's the point of physio when I won't be around": despair, not a question
        if any(word in CONDITIONAL for word in between):
            return True
        if any(word in FIRST_PERSON for word in between):
            return False
        # "Is it normal to not feel the toilet paper when I wipe?", "Is it ok to have back pain
        # and a temp of 38.3? Should I just rest?": asking about themselves.
        opening = " ".join(doc[i].norm_ for i in range(opener, min(opener + 3, len(doc))))
        if opening in SELF_QUESTION_OPENINGS and any(t.norm_ in FIRST_PERSON for t in doc):
            return False
        # "Can sciatica make your privates go numb? Mine have been since yesterday", "Does a
        # numb taint mean anything? Back pain x 5 days": a question put beside the asker's own
        # here and now is about the asker.
        return not self._told_as_now(doc) or self._own_is_different(doc, ent)

    @staticmethod
    def _own_is_different(doc: Doc, ent: Span) -> bool:
        """ "Does sciatica ever go into both legs? Mine's only in the left": the asker's own is
        told after the question as different from it (set N)."""
        after = [t.norm_ for t in doc[ent.end :]]
        for i, word in enumerate(after):
            if word in ("mine", "my", "i", "i'm", "im") and {"only", "just"} & set(after[i + 1 : i + 5]):
                return True
        return False

    @staticmethod
    def _told_as_now(doc: Doc) -> bool:
        words = [t.norm_ for t in doc]
        pairs = {" ".join(words[i : i + 2]) for i in range(len(words) - 1)}
        duration = any(
            words[i] in ("x", "for", "since", "past", "last", "at") and doc[i + 1].like_num
            for i in range(len(words) - 1)
        )
        return bool(set(words) & (RECENT_WORDS | TOLD_AS_NOW_WORDS) or pairs & RECENT_PAIRS or duration)


SENTENCE_ENDS = frozenset({".", "!", "?"})
WOULD = frozenset({"would", "'d", "wouldn't", "wouldnt"})
IF_CLAUSE_ENDS = frozenset({",", ";", "but", "-", "so", "and"})
WHETHER = frozenset({"sure", "wonder", "know", "ask", "see", "check", "tell", "unsure", "idea"})


def _imagined(doc: Doc, ent: Span) -> bool:
    """The entity is the condition of something imagined: "if a bus hit me tomorrow I'd be
    relieved", "if I fell off a ladder I would ...": an if-clause answered by "would" in the
    same sentence is not an event told (set R: a wish to die was sent to 999 as an accident).
    A real pattern keeps its present tense ("if I cough, it shoots down both legs")."""
    start = ent.start
    while start > 0 and doc[start - 1].text not in SENTENCE_ENDS:
        start -= 1
    opened = [i for i in range(start, ent.start) if doc[i].norm_ == "if"]
    if not opened or any(doc[i].norm_ in WOULD | IF_CLAUSE_ENDS for i in range(opened[-1], ent.start)):
        return False  # the entity is past the if-clause ("not sure if this matters but ...")
    if opened[-1] > 0 and doc[opened[-1] - 1].lemma_ in WHETHER:
        return False  # "not sure if", "wondering if": whether, not a condition
    end = ent.end
    while end < len(doc) and doc[end].text not in SENTENCE_ENDS:
        if doc[end].norm_ in WOULD:
            return True
        end += 1
    return False


# "do you think I have cancer??", "could I have arthritis?": whether one has it, asked.
ASKED_WHETHER_I_HAVE = re.compile(
    r"\b(do you think|you think|could|might|do|would you say|are you saying|does (that|this) mean|so|is it that)"
    r" i('ve| have)? ?(have|got|have got) (a |an |some )?$"
)


def _asked_whether_i_have(doc: Doc, ent: Span) -> bool:
    """A history or a condition asked about, not told (usability review 9: "why are you asking
    about cancer?? do you think I have cancer??" was filed as a history of cancer)."""
    if ent.label_ not in ("risk_factor", "condition"):
        return False
    start = ent.start
    while start > 0 and doc[start - 1].text not in SENTENCE_ENDS:
        start -= 1
    end = ent.end
    while end < len(doc) and doc[end].text not in SENTENCE_ENDS:
        end += 1
    if end >= len(doc) or not doc[end].text.startswith("?"):
        return False
    # The finding's own words may hold the verb ("have cancer"): read up to its last word.
    before = " ".join(t.norm_ for t in doc[start : ent.end - 1]) + " "
    return bool(ASKED_WHETHER_I_HAVE.search(before))


EMOTIONS = frozenset({"fear", "worry", "anxiety", "nerves", "terror", "panic", "fright", "dread"})
# What "crushing" says of when it is not a pressure in the body ("a crushing deadline", set R).
NOT_THE_BODY = frozenset(
    {
        "deadline",
        "deadlines",
        "workload",
        "defeat",
        "debt",
        "debts",
        "schedule",
        "disappointment",
        "loneliness",
        "guilt",
        "boredom",
        "week",
        "day",
        "job",
        "news",
        "blow",
        "loss",
        "grief",
        "bills",
    }
)


def _figurative(doc: Doc, ent: Span) -> bool:
    """A symptom's word said of a feeling, not of the body: "paralysed with fear", "frozen by
    nerves", "a crushing deadline" (set R: each was sent to 999)."""
    after = [t.norm_ for t in doc[ent.end : ent.end + 2]]
    if len(after) == 2 and after[0] in ("with", "by") and after[1] in EMOTIONS:
        return True
    return ent[-1].norm_ in ("crushing", "crushed") and bool(after) and after[0] in NOT_THE_BODY
