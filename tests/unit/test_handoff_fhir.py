"""The hand-off's FHIR resources (bot/handoff/fhir.py): generated from the interview, valid R4
under fhir.resources 6.5.0 and R4B under the current fhir.resources release (pydantic 2, so
in a venv of its own, made once under /tmp), the same document for every attempt."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from fhir.resources.bundle import Bundle
from fhir.resources.questionnaire import Questionnaire

from bot.contract import QUESTIONS
from bot.handoff import fhir

ROOT = Path(__file__).resolve().parents[2]
R4B_RELEASE = "8.3.0"
R4B_VENV = Path(f"/tmp/fhir-resources-{R4B_RELEASE}-venv")

SLOTS = {
    "pain_location": ["lower_back"],
    "pain_spreads": "below_knee",
    "nerve_symptoms": ["numbness"],
    "screen_cauda_equina": "yes",
    "age": 45.0,
    "pain_severity": "unknown",
    "pain_duration": None,
    "triage_level": "emergency",
    "red_flags": ["saddle_numbness"],
    "own_words": {"pain_onset": "dunno, it just came"},
}
NAMES = {"saddle_numbness": "Numbness around the genitals, bottom or inner thighs"}


def make_bundle(contact: str | None = "07700 900123, after 5pm") -> dict:
    return fhir.bundle(SLOTS, fhir.consent_id("conv-1", 1700000000.25), 1700000000.25, contact, "Summary", NAMES)


def by_type(bundle: dict, kind: str) -> dict:
    return next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind)


def test_questionnaire_is_generated_from_the_interview_and_shipped_as_generated():
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    fresh = fhir.questionnaire_json(domain)
    assert fhir.QUESTIONNAIRE_FILE.read_text(encoding="utf-8") == fresh, "run: python -m bot.handoff.fhir"
    assert fhir.DOCS_COPY.read_text(encoding="utf-8") == fresh, "run: python -m bot.handoff.fhir"
    questionnaire = json.loads(fresh)
    assert [i["linkId"] for i in questionnaire["item"]] == [*QUESTIONS, fhir.CONTACT_ITEM]
    first = questionnaire["item"][0]
    assert first["text"] == domain["responses"]["utter_ask_pain_location"][0]["text"]
    assert first["repeats"] is True
    assert {i["linkId"]: i["type"] for i in questionnaire["item"]}["age"] == "decimal"
    Questionnaire.parse_obj(questionnaire)
    assert fhir.EXAMPLE_FILE.read_text(encoding="utf-8") == fhir.example_json(), "run: python -m bot.handoff.fhir"
    Bundle.parse_obj(json.loads(fhir.example_json()))


def test_bundle_is_a_valid_r4_transaction_with_the_answers_as_recorded():
    bundle = make_bundle()
    Bundle.parse_obj(bundle)
    assert bundle["type"] == "transaction"
    assert [e["request"] for e in bundle["entry"]] == [
        {"method": "POST", "url": kind} for kind in ("Patient", "QuestionnaireResponse", "RiskAssessment")
    ]
    answers = {i["linkId"]: i["answer"] for i in by_type(bundle, "QuestionnaireResponse")["item"]}
    assert answers["pain_location"] == [{"valueString": "lower back"}]
    assert answers["age"] == [{"valueDecimal": 45.0}]
    assert answers["pain_onset"] == [{"valueString": "dunno, it just came"}]  # their own words
    assert answers["contact"] == [{"valueString": "07700 900123, after 5pm"}]
    assert "pain_severity" not in answers and "pain_duration" not in answers  # unknown number, not asked
    risk = by_type(bundle, "RiskAssessment")
    assert risk["prediction"][0]["qualitativeRisk"] == {"text": "emergency"}
    assert risk["reasonCode"] == [{"text": NAMES["saddle_numbness"]}]  # not in codes.yml: text, no code


def test_every_attempt_is_the_same_document_and_a_new_consent_a_new_one():
    assert make_bundle() == make_bundle()
    other = fhir.bundle(SLOTS, fhir.consent_id("conv-2", 1700000000.25), 1700000000.25, None, "Summary", NAMES)
    assert other["identifier"] != make_bundle()["identifier"]
    assert "contact" not in {i["linkId"] for i in by_type(other, "QuestionnaireResponse")["item"]}


def test_codes_come_only_from_the_checked_map(tmp_path):
    assert fhir.load_codes() == {}  # none checked yet (codes.yml says why)
    good = tmp_path / "codes.yml"
    good.write_text(
        'red_flags:\n  saddle_numbness: {code: "123", display: "X (finding)", source: "https://example.org/x"}\n'
    )
    codes = fhir.load_codes(good)
    bundle = fhir.bundle(SLOTS, "c", 1.0, None, "S", NAMES, codes)
    assert by_type(bundle, "RiskAssessment")["reasonCode"][0]["coding"][0]["code"] == "123"
    guessed = tmp_path / "guessed.yml"
    guessed.write_text('red_flags:\n  saddle_numbness: {code: "123", display: "X"}\n')
    with pytest.raises(fhir.CodeMapError):
        fhir.load_codes(guessed)


def _r4b_python() -> Path:
    python, ready = R4B_VENV / "bin" / "python", R4B_VENV / "installed"
    if not (python.exists() and ready.exists()):  # none yet, or left half-made (or its base Python gone)
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(R4B_VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", f"fhir.resources=={R4B_RELEASE}"], check=True)
        ready.touch()
    return python


def test_the_same_resources_are_valid_r4b_under_the_current_release(tmp_path):
    resources = tmp_path / "resources.json"
    resources.write_text(json.dumps({"bundle": make_bundle(), "questionnaire": fhir.load_questionnaire()}))
    check = (
        "import json, sys\n"
        "from fhir.resources.R4B.bundle import Bundle\n"
        "from fhir.resources.R4B.questionnaire import Questionnaire\n"
        "data = json.load(open(sys.argv[1]))\n"
        "Bundle.model_validate(data['bundle']); Questionnaire.model_validate(data['questionnaire'])\n"
        "print('valid')\n"
    )
    done = subprocess.run([str(_r4b_python()), "-c", check, str(resources)], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.strip() == "valid", done.stderr[-2000:]
