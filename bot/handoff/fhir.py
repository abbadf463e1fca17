"""The summary as FHIR R4 resources (issue 27; docs/handoff.md).

- ``Questionnaire`` ``back-pain-intake``: generated from the interview's question definitions
  (the order in bot/contract.py, the wording and slot types in domain.yml) by
  ``python -m bot.handoff.fhir``, which writes ``questionnaire.json`` here (served by the
  action server at ``GET /fhir/Questionnaire/back-pain-intake``) and the copy in
  docs/fhir/; a test checks both match the domain.
- per consent, one ``Bundle`` of type ``transaction``: a placeholder ``Patient``, the
  ``QuestionnaireResponse`` with the answers as recorded (and the contact details the person
  gave for the clinic), and a ``RiskAssessment`` with the triage level, the red flags and the
  summary the person was shown. Every id in it derives from the consent, so each attempt to
  deliver it is the same document with the same ``Bundle.identifier``.

SNOMED CT codes come only from codes.yml, each with the page it was checked on; anything
else is text. Valid under fhir.resources 6.5.0 (R4) and R4B (tests/unit/test_handoff_fhir.py).
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence

import yaml

from bot.contract import AGE, OWN_WORDS, QUESTIONS, RED_FLAGS, ROUTINE, TRIAGE_LEVEL, UNKNOWN

HERE = Path(__file__).parent
QUESTIONNAIRE_ID = "back-pain-intake"
QUESTIONNAIRE_URL = "urn:backpain-assistant:fhir:Questionnaire:back-pain-intake"
QUESTIONNAIRE_FILE = HERE / "questionnaire.json"
DOCS_COPY = HERE.parents[1] / "docs" / "fhir" / "Questionnaire-back-pain-intake.json"
SNOMED = "http://snomed.info/sct"
# The contact details the person gave after a yes (never kept in the conversation).
CONTACT_ITEM = "contact"
CONTACT_TEXT = "How may the clinic contact you? (free text, as the person wrote it)"
NUMERIC_SLOT_TYPES = {"float"}
NUMERIC_QUESTIONS = {AGE, "pain_severity"}
# Ids derive from the consent: uuid5 in this namespace.
NAMESPACE = uuid.UUID("6f1c2b1e-5a7d-4e55-9a43-2f0f3c7a9e11")
LEVEL_TEXT = {
    "emergency": "Emergency: told to call the emergency number or go to the emergency department now",
    "urgent": "Urgent: told to get help the same day (GP, urgent care or the non-emergency line)",
    ROUTINE: "Routine: no red flag found; told to see a professional if it is not getting better",
}


class CodeMapError(ValueError):
    """codes.yml has an entry without a numeric code, a display or a source."""


def load_codes(path: Path = HERE / "codes.yml") -> Dict[str, Dict[str, str]]:
    """The checked SNOMED CT codes, red-flag id -> {code, display, source}."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    codes = data.get("red_flags") or {}
    for flag, entry in codes.items():
        if not isinstance(entry, dict) or not str(entry.get("code", "")).isdigit():
            raise CodeMapError(f"codes.yml: {flag} needs a numeric SNOMED CT code")
        if not entry.get("display") or not entry.get("source"):
            raise CodeMapError(f"codes.yml: {flag} needs a display and the source it was checked on")
    return {flag: {k: str(v) for k, v in entry.items()} for flag, entry in codes.items()}


# --------------------------------------------------------------------------- Questionnaire
def _item_type(question: str, slot_type: str) -> str:
    return "decimal" if question in NUMERIC_QUESTIONS or slot_type in NUMERIC_SLOT_TYPES else "string"


def build_questionnaire(domain: Mapping[str, Any]) -> Dict[str, Any]:
    """The intake as a Questionnaire: one item per interview question, in the interview's
    order, with the wording the person sees and the buttons they are offered as a hint."""
    items: List[Dict[str, Any]] = []
    for question in QUESTIONS:
        slot = domain["slots"][question]
        response = domain["responses"][f"utter_ask_{question}"][0]
        item: Dict[str, Any] = {
            "linkId": question,
            "text": response["text"],
            "type": _item_type(question, slot.get("type", "text")),
        }
        if slot.get("type") == "list":
            item["repeats"] = True
        buttons = [b["title"] for b in response.get("buttons") or []]
        if buttons:
            item["item"] = [
                {
                    "linkId": f"{question}.hint",
                    "text": "Buttons offered (the person may also answer in their own words): " + "; ".join(buttons),
                    "type": "display",
                }
            ]
        items.append(item)
    items.append({"linkId": CONTACT_ITEM, "text": CONTACT_TEXT, "type": "string"})
    return {
        "resourceType": "Questionnaire",
        "id": QUESTIONNAIRE_ID,
        "url": QUESTIONNAIRE_URL,
        "name": "BackPainIntake",
        "title": "Back and leg pain intake (conversational assistant)",
        "status": "active",
        "subjectType": ["Patient"],
        "description": (
            "The questions the assistant asks in a conversation, in its order. Answers are recorded "
            "as the assistant understood them; a question the person was not sure about is answered "
            "'not sure', one not understood with their own words, one not asked is left out."
        ),
        "item": items,
    }


def load_questionnaire() -> Dict[str, Any]:
    """The generated Questionnaire as shipped (questionnaire.json)."""
    return json.loads(QUESTIONNAIRE_FILE.read_text(encoding="utf-8"))


def questionnaire_json(domain: Mapping[str, Any]) -> str:
    return json.dumps(build_questionnaire(domain), indent=2, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------- the Bundle
def consent_id(sender_id: str, consented_at: float) -> str:
    """The id of one consent (one conversation's yes at one moment): the Bundle's identifier."""
    return str(uuid.uuid5(NAMESPACE, f"{sender_id}:{consented_at:.6f}"))


def _readable(value: Any) -> str:
    return str(value).replace("_", " ")


def _answers(question: str, value: Any, own_words: Mapping[str, Any]) -> List[Dict[str, Any]]:
    numeric = question in NUMERIC_QUESTIONS
    if value is None or value == UNKNOWN or value == []:
        words = own_words.get(question)
        if words and not numeric:
            return [{"valueString": str(words)}]
        if value == UNKNOWN and not numeric:
            return [{"valueString": "not sure"}]
        return []
    if numeric:
        try:
            return [{"valueDecimal": float(value)}]
        except (TypeError, ValueError):
            return []
    values = value if isinstance(value, list) else [value]
    return [{"valueString": _readable(v)} for v in values if v not in (None, "")]


def questionnaire_response(
    slots: Mapping[str, Any], contact: Optional[str], authored: str, patient_ref: str
) -> Dict[str, Any]:
    own_words = slots.get(OWN_WORDS) or {}
    items: List[Dict[str, Any]] = []
    for question in QUESTIONS:
        answers = _answers(question, slots.get(question), own_words)
        if answers:
            items.append({"linkId": question, "answer": answers})
    if contact:
        items.append({"linkId": CONTACT_ITEM, "answer": [{"valueString": contact}]})
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": QUESTIONNAIRE_URL,
        "status": "completed",
        "subject": {"reference": patient_ref},
        "authored": authored,
        "item": items,
    }


def _flag_concept(flag: str, names: Mapping[str, str], codes: Mapping[str, Mapping[str, str]]) -> Dict[str, Any]:
    concept: Dict[str, Any] = {"text": names.get(flag, _readable(flag))}
    if flag in codes:
        concept["coding"] = [{"system": SNOMED, "code": codes[flag]["code"], "display": codes[flag]["display"]}]
    return concept


def risk_assessment(
    slots: Mapping[str, Any],
    summary: str,
    occurrence: str,
    patient_ref: str,
    response_ref: str,
    flag_names: Mapping[str, str],
    codes: Mapping[str, Mapping[str, str]],
) -> Dict[str, Any]:
    level = slots.get(TRIAGE_LEVEL) or ROUTINE
    flags: Sequence[str] = slots.get(RED_FLAGS) or []
    resource: Dict[str, Any] = {
        "resourceType": "RiskAssessment",
        "status": "final",
        "subject": {"reference": patient_ref},
        "occurrenceDateTime": occurrence,
        "method": {
            "text": "Rule-based red-flag screen of a conversation (back and leg pain assistant); not a diagnosis"
        },
        "basis": [{"reference": response_ref}],
        "prediction": [
            {
                "outcome": {"text": LEVEL_TEXT.get(level, level)},
                "qualitativeRisk": {"text": level},
                "rationale": ("Red flags: " + "; ".join(flag_names.get(f, _readable(f)) for f in flags))
                if flags
                else "No red flag reported",
            }
        ],
        "note": [{"text": summary}],
    }
    if flags:
        resource["reasonCode"] = [_flag_concept(f, flag_names, codes) for f in flags]
    return resource


def _entry(full_url: str, resource: Dict[str, Any]) -> Dict[str, Any]:
    return {"fullUrl": full_url, "resource": resource, "request": {"method": "POST", "url": resource["resourceType"]}}


def bundle(
    slots: Mapping[str, Any],
    consent: str,
    consented_at: float,
    contact: Optional[str],
    summary: str,
    flag_names: Optional[Mapping[str, str]] = None,
    codes: Optional[Mapping[str, Mapping[str, str]]] = None,
) -> Dict[str, Any]:
    """The transaction Bundle for one consent: the same document on every attempt."""
    when = datetime.fromtimestamp(consented_at, tz=timezone.utc).isoformat(timespec="seconds")
    ids = {name: f"urn:uuid:{uuid.uuid5(NAMESPACE, f'{consent}:{name}')}" for name in ("patient", "qr", "risk")}
    names = dict(flag_names or {})
    return {
        "resourceType": "Bundle",
        "type": "transaction",
        "identifier": {"system": "urn:ietf:rfc:3986", "value": f"urn:uuid:{consent}"},
        "timestamp": when,
        "entry": [
            _entry(ids["patient"], {"resourceType": "Patient"}),
            _entry(ids["qr"], questionnaire_response(slots, contact, when, ids["patient"])),
            _entry(
                ids["risk"],
                risk_assessment(slots, summary, when, ids["patient"], ids["qr"], names, codes or load_codes()),
            ),
        ],
    }


EXAMPLE_FILE = DOCS_COPY.parent / "Bundle-example.json"
EXAMPLE_SLOTS = {
    "pain_location": ["lower_back"],
    "pain_spreads": "thigh",
    "screen_cauda_equina": "no",
    "age": 45.0,
    "pain_severity": 6.0,
    "pain_duration": "unknown",
    "triage_level": "urgent",
    "red_flags": ["fever_with_back_pain"],
}


def example_json() -> str:
    """The Bundle docs/handoff.md shows (made by this code, checked by the tests)."""
    at = 1764921600.0  # 2025-12-05T08:00:00Z
    example = bundle(
        EXAMPLE_SLOTS,
        consent_id("example-conversation", at),
        at,
        "07700 900461, weekday evenings",
        "IMPORTANT: ... (the summary the person was shown, in full)",
        {"fever_with_back_pain": "Back pain with a fever"},
        {},
    )
    return json.dumps(example, indent=1, ensure_ascii=False) + "\n"


def main() -> None:
    """Writes questionnaire.json, its docs copy and the example Bundle, from domain.yml."""
    domain = yaml.safe_load((HERE.parents[1] / "domain.yml").read_text(encoding="utf-8"))
    text = questionnaire_json(domain)
    for path, content in ((QUESTIONNAIRE_FILE, text), (DOCS_COPY, text), (EXAMPLE_FILE, example_json())):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
