"""The content module: the real data loads and is safe, and broken data is refused with
an error that names the file and the entry at fault. No Rasa here."""
from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Tuple

import pytest
import yaml

from bot.content import Content, ContentError, get_content, load_content
from bot.content.__main__ import main as validate_main
from bot.content.loader import DATA_DIR
from bot.contract import DERIVED_FEATURES

CONDITION_IDS = [
    "herniated_disc",
    "degenerative_disc_disease",
    "sciatica",
    "spinal_stenosis",
    "facet_joint_pain",
    "muscle_strain",
    "bursitis",
    "arthritis",
    "nerve_compression",
    "trigger_point",
    "psychosomatic",
    "systemic_disease",
    "neural_tension",
    "motor_control",
    "phantom_limb_pain",
]
TREATMENT_IDS = [
    "stay_active",
    "exercise",
    "heat",
    "cold",
    "posture_and_movement",
    "sleep_and_rest",
    "pain_medicines",
    "physiotherapy",
    "psychological_support",
    "workplace_and_daily_life",
    "surgery",
    "stress_management",
]
ANATOMY_IDS = [
    "spine_sections",
    "atlas",
    "sacrum",
    "coccyx",
    "intervertebral_discs",
    "facet_joints",
    "spinal_nerves",
    "sciatic_nerve",
    "spinal_cord_and_cauda_equina",
    "how_the_spine_moves",
]
SEED_SOURCES = {"seed_back_leg_causes", "seed_top_five_causes"}
DOSE = re.compile(r"\d+\s*(mg|milligram|g\b|ml|tablets?)", re.IGNORECASE)


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content()


def answer_texts(content: Content) -> Iterator[Tuple[str, str]]:
    """Every sentence-bearing string the assistant can show, with where it comes from."""
    for c in content.conditions.values():
        yield f"conditions.yml/{c.id}", c.name
        yield f"conditions.yml/{c.id}", c.summary
        for text in (*c.typical_features, *c.professional_care, *(i.why for i in c.indicators)):
            yield f"conditions.yml/{c.id}", text
    for t in content.treatments.values():
        for text in (t.name, t.advice, *t.caveats):
            yield f"treatments.yml/{t.id}", text
    for a in content.anatomy.values():
        for text in (a.name, *a.facts):
            yield f"anatomy.yml/{a.id}", text
    for f in content.red_flags.values():
        yield f"red_flags.yml/{f.id}", f.name
    for e in content.escalations.values():
        for text in (*e.messages, e.reminder):
            yield f"red_flags.yml/{e.level}", text
    for f in content.findings.values():
        yield f"lexicon.yml/{f.id}", f.label


# --------------------------------------------------------------------------- the real data
def test_real_data_loads_and_is_cached(content):
    assert get_content() is get_content()
    assert len(content.conditions) >= len(CONDITION_IDS)


def test_every_required_condition_exists_in_order(content):
    assert list(content.conditions)[: len(CONDITION_IDS)] == CONDITION_IDS


def test_required_treatments_and_topics_exist(content):
    assert set(TREATMENT_IDS) <= set(content.treatments)
    assert set(ANATOMY_IDS) <= set(content.anatomy)
    assert content.treatments["surgery"].kind == "surgery"
    assert content.treatments["pain_medicines"].kind == "medicine"


def test_every_indicator_feature_is_valid(content):
    valid = set(content.ranking_features())
    assert set(DERIVED_FEATURES) <= valid
    for condition in content.conditions.values():
        for indicator in condition.indicators:
            assert indicator.feature in valid, (condition.id, indicator.feature)
            if indicator.weight > 0:
                assert indicator.why, (condition.id, indicator.feature)


def test_conditions_have_a_real_profile(content):
    for condition in content.conditions.values():
        features = [i.feature for i in condition.indicators]
        assert 4 <= len(features) <= 8, condition.id
        assert len(features) == len(set(features)), f"{condition.id} repeats an indicator"
        assert any(i.weight > 0 for i in condition.indicators), condition.id
        assert condition.self_care, condition.id


def test_every_referenced_source_exists_and_is_used(content):
    used = set()
    groups = (content.conditions, content.treatments, content.anatomy, content.red_flags)
    for entries in groups:
        for entry in entries.values():
            for source in entry.sources:
                assert source in content.sources, (entry.id, source)
                used.add(source)
    assert used >= SEED_SOURCES


def test_conditions_cite_a_seed_article_and_a_guideline(content):
    for condition in content.conditions.values():
        sources = set(condition.sources)
        assert sources & SEED_SOURCES, f"{condition.id} does not cite the article it came from"
        assert sources - SEED_SOURCES, f"{condition.id} cites no guideline or NHS page"


def test_no_answer_text_gives_a_dose(content):
    for where, text in answer_texts(content):
        assert not DOSE.search(text), f"{where}: looks like a dose: {text!r}"


def test_paracetamol_is_never_recommended_on_its_own(content):
    mentions = 0
    for where, text in answer_texts(content):
        for sentence in re.split(r"(?<=[.!?])\s+", text):
            if "paracetamol" in sentence.lower():
                mentions += 1
                words = sentence.lower()
                assert re.search(r"\bnot\b", words) or "alone" in words or "on its own" in words, (
                    f"{where}: {sentence!r}"
                )
    assert mentions, "the medicines advice should say paracetamol alone is not recommended"


def test_surgery_is_not_presented_as_conservative_care(content):
    for where, text in answer_texts(content):
        assert "conservative" not in text.lower(), f"{where}: {text!r}"


def test_heat_advice_warns_about_numb_skin(content):
    heat = content.treatments["heat"]
    first_sentence = heat.advice.split(". ")[0]  # what a short tip shows
    assert "numb" in first_sentence
    assert any("numb" in caveat.lower() for caveat in heat.caveats)


def _score(content: Content, features: set) -> List[str]:
    """The ranking contract: the sum of the weights of the matched indicators."""
    scores = {
        c.id: sum(i.weight for i in c.indicators if i.feature in features)
        for c in content.conditions.values()
    }
    return sorted(scores, key=lambda cid: -scores[cid])


PROFILES = {
    "herniated_disc": {"location:lower_back", "spreads", "spreads_below_knee", "symptom:numbness",
                       "worse:sitting", "worse:coughing_sneezing", "worse:bending_forward",
                       "onset:lifting_injury", "duration:acute"},
    "degenerative_disc_disease": {"location:lower_back", "no_spread", "no_nerve_symptoms",
                                  "duration:chronic", "age:40_to_60", "worse:sitting",
                                  "symptom:stiffness", "onset:gradual"},
    "sciatica": {"location:buttock", "location:foot", "spreads", "spreads_below_knee",
                 "symptom:burning", "symptom:pain_spreading", "symptom:tingling"},
    "spinal_stenosis": {"age:over_60", "worse:walking", "worse:standing", "better:sitting",
                        "spreads", "location:leg", "onset:gradual"},
    "facet_joint_pain": {"location:lower_back", "location:buttock", "worse:leaning_back",
                         "no_nerve_symptoms", "spreads", "symptom:stiffness"},
    "muscle_strain": {"location:lower_back", "onset:lifting_injury", "symptom:spasm", "no_spread",
                      "no_nerve_symptoms", "duration:acute"},
    "bursitis": {"location:hip", "worse:lying_down", "worse:walking", "no_nerve_symptoms",
                 "spreads", "location:thigh"},
    "arthritis": {"symptom:morning_stiffness", "age:over_60", "duration:chronic",
                  "location:lower_back", "no_spread", "no_nerve_symptoms"},
    "nerve_compression": {"location:neck", "location:arm", "spreads", "symptom:tingling",
                          "symptom:numbness"},
    "trigger_point": {"location:upper_back", "symptom:muscle_knot", "no_spread",
                      "no_nerve_symptoms"},
    "psychosomatic": {"location:lower_back", "symptom:stress", "duration:chronic", "no_spread",
                      "no_nerve_symptoms"},
    "systemic_disease": {"symptom:joint_pain_elsewhere", "risk:autoimmune_disease",
                         "location:lower_back", "duration:chronic"},
    "neural_tension": {"location:thigh", "spreads", "symptom:tingling", "worse:bending_forward",
                       "worse:sitting", "duration:subacute"},
    "motor_control": {"location:lower_back", "no_spread", "no_nerve_symptoms", "better:movement",
                      "worse:lifting", "duration:subacute"},
    "phantom_limb_pain": {"symptom:phantom_sensation", "symptom:burning", "location:leg"},
}


@pytest.mark.parametrize("expected", sorted(PROFILES))
def test_typical_descriptions_rank_their_condition_first(content, expected):
    assert _score(content, PROFILES[expected])[0] == expected


# --------------------------------------------------------------------------- the check command
def test_validate_command_reports_counts(capsys):
    assert validate_main([]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Content OK") and "15 conditions" in out


def test_validate_command_reports_the_error(tmp_path, capsys):
    directory = broken_copy(tmp_path, "anatomy.yml", lambda d: d["topics"][0].pop("facts"))
    assert validate_main([str(directory)]) == 1
    err = capsys.readouterr().err
    assert "anatomy.yml, entry 'spine_sections': field 'facts' must be a non-empty list" in err


# --------------------------------------------------------------------------- broken data
def broken_copy(tmp_path: Path, filename: str, change: Callable[[Dict[str, Any]], Any]) -> Path:
    """A copy of the data directory with one YAML file changed by ``change``."""
    directory = tmp_path / "data"
    shutil.copytree(DATA_DIR, directory)
    path = directory / filename
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(document)
    path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return directory


def entry(document: Dict[str, Any], key: str, entry_id: str) -> Dict[str, Any]:
    return next(e for e in document[key] if e["id"] == entry_id)


def assert_refused(directory: Path, file: str, entry_id, problem: str) -> ContentError:
    where = f"{file}, entry '{entry_id}'" if entry_id else file
    with pytest.raises(ContentError, match=re.escape(where) + ".*" + problem) as raised:
        load_content(directory)
    assert raised.value.file == file
    assert raised.value.entry == entry_id
    return raised.value


def test_missing_field(tmp_path):
    directory = broken_copy(
        tmp_path, "conditions.yml", lambda d: entry(d, "conditions", "herniated_disc").pop("summary")
    )
    assert_refused(directory, "conditions.yml", "herniated_disc", "missing or empty field 'summary'")


def test_empty_list_field(tmp_path):
    directory = broken_copy(
        tmp_path, "treatments.yml", lambda d: entry(d, "treatments", "cold").update(synonyms=[])
    )
    assert_refused(directory, "treatments.yml", "cold", "field 'synonyms' must be a non-empty list")


def test_unknown_source_id(tmp_path):
    directory = broken_copy(
        tmp_path, "treatments.yml", lambda d: entry(d, "treatments", "heat")["sources"].append("nice_ng95")
    )
    assert_refused(directory, "treatments.yml", "heat", "unknown source 'nice_ng95' in 'sources'")


def test_unknown_treatment_in_self_care(tmp_path):
    directory = broken_copy(
        tmp_path,
        "conditions.yml",
        lambda d: entry(d, "conditions", "sciatica")["self_care"].append("yoga_class"),
    )
    assert_refused(directory, "conditions.yml", "sciatica", "unknown treatment 'yoga_class' in 'self_care'")


def test_unknown_feature_in_indicators(tmp_path):
    def change(d):
        entry(d, "conditions", "facet_joint_pain")["indicators"][0]["feature"] = "worse:leaning_backwards"

    directory = broken_copy(tmp_path, "conditions.yml", change)
    assert_refused(
        directory, "conditions.yml", "facet_joint_pain", "unknown feature 'worse:leaning_backwards'"
    )


def test_feature_without_prefix_is_unknown(tmp_path):
    def change(d):
        entry(d, "conditions", "bursitis")["indicators"][0]["feature"] = "hip"

    directory = broken_copy(tmp_path, "conditions.yml", change)
    assert_refused(directory, "conditions.yml", "bursitis", "unknown feature 'hip'")


def test_positive_indicator_needs_a_why(tmp_path):
    def change(d):
        entry(d, "conditions", "arthritis")["indicators"][0].pop("why")

    directory = broken_copy(tmp_path, "conditions.yml", change)
    assert_refused(
        directory, "conditions.yml", "arthritis", "indicator 'symptom:morning_stiffness' needs a 'why'"
    )


def test_indicator_weight_must_be_a_non_zero_number(tmp_path):
    def change(d):
        entry(d, "conditions", "arthritis")["indicators"][0]["weight"] = "high"

    directory = broken_copy(tmp_path, "conditions.yml", change)
    assert_refused(directory, "conditions.yml", "arthritis", "needs a non-zero numeric 'weight'")


def test_unknown_treatment_kind(tmp_path):
    directory = broken_copy(
        tmp_path, "treatments.yml", lambda d: entry(d, "treatments", "surgery").update(kind="conservative")
    )
    assert_refused(directory, "treatments.yml", "surgery", "'kind' is 'conservative', expected one of")


def test_duplicate_id(tmp_path):
    def change(d):
        d["topics"].append(dict(entry(d, "topics", "atlas"), synonyms=["first neck bone"]))

    directory = broken_copy(tmp_path, "anatomy.yml", change)
    assert_refused(directory, "anatomy.yml", "atlas", "duplicate id")


def test_invalid_yaml(tmp_path):
    directory = tmp_path / "data"
    shutil.copytree(DATA_DIR, directory)
    path = directory / "treatments.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  - id: cold\n", "  - id: cold\n   name: [unclosed\n", 1), encoding="utf-8")
    error = assert_refused(directory, "treatments.yml", None, "is not valid YAML")
    assert "line" in str(error)


def test_missing_file(tmp_path):
    directory = tmp_path / "data"
    shutil.copytree(DATA_DIR, directory)
    (directory / "anatomy.yml").unlink()
    assert_refused(directory, "anatomy.yml", None, "file not found")


def test_unknown_finding_in_red_flag_rule(tmp_path):
    directory = broken_copy(
        tmp_path,
        "red_flags.yml",
        lambda d: entry(d, "red_flags", "saddle_numbness")["when_any"].append(["saddle_numbnes"]),
    )
    assert_refused(
        directory, "red_flags.yml", "saddle_numbness", "unknown finding 'saddle_numbnes' in 'when_any'"
    )


def test_duplicate_phrase_in_lexicon(tmp_path):
    directory = broken_copy(
        tmp_path, "lexicon.yml", lambda d: entry(d, "findings", "numbness")["phrases"].append("Nerve Pain")
    )
    assert_refused(
        directory, "lexicon.yml", "numbness", "phrase 'nerve pain' is already used by 'pain_spreading'"
    )


def test_duplicate_synonym_across_files_ignores_case(tmp_path):
    directory = broken_copy(
        tmp_path,
        "anatomy.yml",
        lambda d: entry(d, "topics", "intervertebral_discs")["synonyms"].append("Slipped Disc"),
    )
    assert_refused(
        directory,
        "anatomy.yml",
        "intervertebral_discs",
        "synonym 'Slipped Disc' is already used by 'herniated_disc' in conditions.yml",
    )


def test_duplicate_synonym_between_entries_that_share_an_id(tmp_path):
    def change(d):
        d["treatments"].append(
            {"id": "sciatica", "name": "Sciatica care", "kind": "self_care", "synonyms": ["sciatica"],
             "advice": "Keep moving.", "sources": ["nhs_sciatica"]}
        )

    directory = broken_copy(tmp_path, "treatments.yml", change)
    assert_refused(
        directory, "treatments.yml", "sciatica", "synonym 'sciatica' is already used by 'sciatica' in conditions.yml"
    )


def test_missing_escalation(tmp_path):
    def change(d):
        d["escalations"] = [e for e in d["escalations"] if e["id"] != "urgent"]

    directory = broken_copy(tmp_path, "red_flags.yml", change)
    assert_refused(directory, "red_flags.yml", "urgent", "an escalation message is required for this level")


def test_safety_doc_lists_every_red_flag(content):
    doc = (Path(__file__).resolve().parents[2] / "docs" / "safety.md").read_text()
    for flag in content.red_flags.values():
        assert f"`{flag.id}` | {flag.level} | {flag.name}" in doc, f"docs/safety.md is missing {flag.id}"
