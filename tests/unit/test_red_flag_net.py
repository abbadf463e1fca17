"""The statistical net beside the rules (bot/nlp/net.py, issue 22 requirement 3).

Cross-validated on its own training file (bot/content/data/net_phrasings.yml), stratified
5-fold: each family's recall >= 0.8, and at most 10% of the held-out negatives make any
family fire. The assistant's independent test data (tests/data/red_flag_phrasings.yml,
tests/data/patients.yml) is not used here and must never be copied into the training file.
"""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass
from typing import Dict, FrozenSet, List, Mapping

import numpy as np
import pytest
import yaml
from sklearn.model_selection import StratifiedKFold

from bot.nlp import net
from bot.nlp.net import FAMILIES, Net, NetData

MIN_RECALL = 0.8
MAX_NEGATIVE_FALSE_POSITIVE_RATE = 0.1
FOLDS = 5


@dataclass
class CrossValidation:
    texts: List[str]
    labels: List[FrozenSet[str]]  # the families each text is positive for (none: a negative)
    scores: np.ndarray  # out-of-fold scores, one row per text, one column per family


def cross_validate(examples: Mapping[str, FrozenSet[str]], thresholds: Mapping[str, float], seed: int = 0):
    texts = list(examples)
    labels = [examples[text] for text in texts]
    # Stratified on the first family of a text (most have one), "none" for the negatives.
    strata = [min(families) if families else "none" for families in labels]
    scores = np.full((len(texts), len(FAMILIES)), np.nan)
    for train, test in StratifiedKFold(FOLDS, shuffle=True, random_state=seed).split(texts, strata):
        model = Net({texts[i]: labels[i] for i in train}, thresholds)
        for i in test:
            row = model.scores(texts[i])
            scores[i] = [row[family] for family in FAMILIES]
    assert not np.isnan(scores).any()
    return CrossValidation(texts, labels, scores)


def figures(cv: CrossValidation, thresholds: Mapping[str, float]) -> Dict[str, Dict[str, float]]:
    """Per family: recall, precision and the share of negatives it fires on; and for the
    negatives as a whole, the share on which any family fires."""
    hits = cv.scores > np.array([thresholds[family] for family in FAMILIES])
    truth = np.array([[family in labels for family in FAMILIES] for labels in cv.labels])
    negative = ~truth.any(axis=1)
    result = {}
    for j, family in enumerate(FAMILIES):
        result[family] = {
            "recall": (hits[:, j] & truth[:, j]).sum() / truth[:, j].sum(),
            "precision": (hits[:, j] & truth[:, j]).sum() / max(1, hits[:, j].sum()),
            "negatives_fired_on": hits[negative, j].mean(),
        }
    result["negatives"] = {"false_positive_rate": hits[negative].any(axis=1).mean(), "count": int(negative.sum())}
    return result


def recall_failures(report) -> Dict[str, float]:
    return {f: round(report[f]["recall"], 3) for f in FAMILIES if report[f]["recall"] < MIN_RECALL}


def false_positive_failure(report) -> bool:
    return report["negatives"]["false_positive_rate"] > MAX_NEGATIVE_FALSE_POSITIVE_RATE


@pytest.fixture(scope="module")
def data() -> NetData:
    return net.load_data()


@pytest.fixture(scope="module")
def cv(data) -> CrossValidation:
    return cross_validate(data.examples(), data.thresholds)


def test_training_file_has_enough_varied_phrasings(data):
    for family in FAMILIES:
        assert len(data.positives[family]) >= 40, family
    assert len(data.negatives) >= 300
    assert all(data.sources[family] for family in FAMILIES), "every family names its sources"


@pytest.mark.parametrize("family", FAMILIES)
def test_each_family_cross_validated_recall(cv, data, family):
    report = figures(cv, data.thresholds)[family]
    assert (
        report["recall"] >= MIN_RECALL
    ), f"{family}: CV recall {report['recall']:.2f} (precision {report['precision']:.2f})"


def test_negatives_rarely_make_any_family_fire(cv, data):
    report = figures(cv, data.thresholds)
    rate = report["negatives"]["false_positive_rate"]
    assert not false_positive_failure(
        report
    ), f"{rate:.3f} of {report['negatives']['count']} held-out negatives fire a family"


def test_the_cross_validation_checks_can_fail(cv, data):
    deaf = {family: 0.999 for family in FAMILIES}
    assert set(recall_failures(figures(cv, deaf))) == set(FAMILIES)
    jumpy = {family: 0.001 for family in FAMILIES}
    assert false_positive_failure(figures(cv, jumpy))
    assert not recall_failures(figures(cv, jumpy))


def test_cross_validation_holds_the_test_folds_out(data):
    """With the labels shuffled among the phrasings a model can only be right by
    remembering the test fold: its recall must collapse."""
    examples = data.examples()
    texts, labels = list(examples), list(examples.values())
    random.Random(0).shuffle(labels)
    report = figures(cross_validate(dict(zip(texts, labels, strict=True)), data.thresholds), data.thresholds)
    assert len(recall_failures(report)) == len(FAMILIES), recall_failures(report)


# --------------------------------------------------------------------------- any input

ODD_INPUTS = {
    "empty": "",
    "spaces": " \t\n  ",
    "huge": "my back hurts when I bend. " * 4000,  # 108 kB
    "huge_one_word": "a" * 100_000,
    "emoji": "😭😭 my back 🔥🔥 💀 can't 🚶",
    "only_emoji": "🙏🙏🙏",
    "html": "<p>My <b>back</b> hurts</p><script>alert('x')</script><br/>&nbsp;&lt;",
    "polish": "Bardzo boli mnie kręgosłup i nie mogę oddać moczu",
    "arabic": "أعاني من ألم شديد في أسفل الظهر",
    "chinese": "我的腰很疼，腿也麻了",
    "welsh": "Mae fy nghefn yn brifo'n ofnadwy",
    "control": "back\x00pain\x07\x1b[31m red \u200b\ufeff",
    "punctuation": "?!.,;:'\"()[]{}<>/\\|@#$%^&*-_=+~`",
    "numbers": "38.5 39 101 1e9 -1 ½",
}


@pytest.mark.parametrize("name", sorted(ODD_INPUTS))
def test_never_raises_on_odd_input(name):
    text = ODD_INPUTS[name]
    scores = net.scores(text)
    assert set(scores) == set(FAMILIES)
    assert all(0.0 <= value <= 1.0 for value in scores.values())
    suspected = net.suspected_families(text)
    assert isinstance(suspected, frozenset) and suspected <= set(FAMILIES)


def test_the_net_uses_each_familys_threshold_from_the_file(data):
    assert net.get_net().thresholds == dict(data.thresholds)
    assert set(data.thresholds.values()) != {net.DEFAULT_THRESHOLD}, "the file sets some thresholds"


def test_suspected_families_are_the_scores_above_each_threshold(monkeypatch):
    text = "I've had a temperature of 39 since last night and I'm shaking"
    score = net.scores(text)["fever"]
    assert "fever" in net.suspected_families(text)
    model = net.get_net()
    monkeypatch.setitem(model.thresholds, "fever", score)  # "above", not "at"
    assert "fever" not in net.suspected_families(text)
    monkeypatch.setitem(model.thresholds, "fever", score - 1e-6)
    assert "fever" in net.suspected_families(text)


# 30 neutral back-pain sentences written for this test (none is in the training file).
NEUTRAL = [
    "I strained my lower back lifting a bag of compost",
    "my back feels stiff after the long train journey",
    "the ache is just above my belt on the right",
    "it twinges when I get out of the car",
    "I've been using a foam roller on my upper back",
    "my back is sore after painting the fence",
    "it hurts more in the morning and eases by lunchtime",
    "I think I slept on a bad pillow at the hotel",
    "sitting on the sofa for the football makes it ache",
    "the physio gave me some cat-camel stretches",
    "my back is tight after a day of weeding",
    "how long should I keep taking ibuprofen for?",
    "is it better to rest or keep moving with a bad back?",
    "my lower back has ached for about ten days",
    "the pain is a dull throb across both sides of my lower back",
    "I bent down to pick up a pen and felt it go",
    "carrying my grandson around all weekend has done my back no favours",
    "my desk chair has no lumbar support",
    "I do yoga twice a week but my back is still stiff",
    "it eases a lot once I've had a warm shower",
    "my back clicks when I roll my shoulders",
    "I get a sore back when I stand at the kitchen counter for long",
    "the massage helped for a day or two",
    "I've been doing the plank to strengthen my core",
    "my back's been grumbling since I moved the wardrobe",
    "would a standing desk help my back?",
    "the pain is about a four out of ten today",
    "I can touch my toes but it pulls in my lower back",
    "driving to work is fine but sitting in meetings is not",
    "my mattress is ten years old, could that be it?",
]
MAX_NEUTRAL_HITS = 2


def test_neutral_sentences_are_new(data):
    known = set(data.negatives).union(*data.positives.values())
    assert len(NEUTRAL) == 30 and len(set(NEUTRAL)) == 30
    assert not {net.normalise(text) for text in NEUTRAL} & known


def test_a_family_rarely_fires_on_neutral_back_pain_talk():
    hits = {text: sorted(net.suspected_families(text)) for text in NEUTRAL}
    hits = {text: families for text, families in hits.items() if families}
    assert len(hits) <= MAX_NEUTRAL_HITS, hits


# --------------------------------------------------------------------------- scope marking


@pytest.mark.parametrize(
    "text, marked",
    [
        ("No fever", "no FEVER"),
        ("I can't feel my legs, but my arms are OK", "i can't FEEL MY LEGS , but MY ARMS ARE ok"),
        ("my bladder and bowels are fine", "MY BLADDER and BOWELS ARE fine"),
        ("My dad fell off a ladder. I fell off the roof", "my dad FELL OFF A LADDER . i fell off the roof"),
        ("my husband says I'm burning up", "my husband SAYS i'm burning up"),
        ("I fell off a ladder", "i fell off a ladder"),
    ],
)
def test_scope_marking(text, marked):
    assert net.mark_scope(text) == marked


# --------------------------------------------------------------------------- the file is checked


@pytest.fixture()
def document():
    return yaml.safe_load(net.NET_FILE.read_text(encoding="utf-8"))


def test_the_training_file_loads(document):
    assert set(net.parse(copy.deepcopy(document)).positives) == set(FAMILIES)


def refused(document, match: str):
    with pytest.raises(ValueError, match=match):
        net.parse(document)


def test_refuses_an_unknown_family(document):
    document["families"]["back_lump"] = document["families"]["fever"]
    refused(document, "unknown family id.*back_lump")


def test_refuses_a_missing_family(document):
    del document["families"]["suicidal"]
    refused(document, "no phrasings for family suicidal")


def test_refuses_too_few_positives(document):
    document["families"]["cancer"]["positive"] = document["families"]["cancer"]["positive"][:19]
    refused(document, "family 'cancer' has 19 positive phrasings, at least 20")


def test_refuses_a_phrasing_both_positive_and_negative(document):
    document["negative"].append("  I Had Breast CANCER 5 years ago ")
    refused(document, "'i had breast cancer 5 years ago' is both a positive of 'cancer' and a negative")


def test_refuses_a_phrasing_twice_in_one_list(document):
    document["families"]["fever"]["positive"].append(document["families"]["fever"]["positive"][0].upper())
    refused(document, "family 'fever', 'positive' lists .* twice")


def test_refuses_an_unquoted_yes(document):
    document["negative"].append(True)  # what `- yes` becomes in YAML
    refused(document, r"'negative' #\d+ \(True\) is not text; put it in quotes")


@pytest.mark.parametrize("threshold", [0, 1, 1.5, "high", True])
def test_refuses_a_bad_threshold(document, threshold):
    document["families"]["fever"]["threshold"] = threshold
    refused(document, "family 'fever', 'threshold' must be a number between 0 and 1")


def test_refuses_a_file_that_is_not_yaml(tmp_path):
    path = tmp_path / "net_phrasings.yml"
    path.write_text("families: [unclosed\n", encoding="utf-8")
    with pytest.raises(ValueError, match="net_phrasings.yml: is not valid YAML"):
        net.load_data(path)
