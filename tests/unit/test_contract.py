"""The contract (bot/contract.py) agrees with domain.yml, the training data and the content."""

from pathlib import Path

import yaml

from bot import contract
from bot.content import get_content
from bot.nlp import analyse
from bot.symptoms import SymptomRecord

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


def test_intents_are_the_domains():
    assert set(contract.INTENTS) | set(contract.EXTERNAL_INTENTS) == set(DOMAIN["intents"])


def test_slots_exist_in_the_domain():
    slots = set(DOMAIN["slots"])
    named = {
        contract.TRIAGE_LEVEL,
        contract.POSSIBLE_CAUSES,
        contract.RED_FLAGS,
        contract.NEW_RED_FLAGS,
        contract.REPORTED_FINDINGS,
        *contract.SCREENING_SLOTS,
        *SymptomRecord.slot_names(),
    }
    assert named <= slots, named - slots


def test_triage_levels_are_the_slots_values():
    assert list(contract.TRIAGE_LEVELS) == DOMAIN["slots"][contract.TRIAGE_LEVEL]["values"]


def test_the_form_asks_the_contracts_questions_in_order():
    assert DOMAIN["forms"][contract.SYMPTOM_FORM]["required_slots"] == list(contract.QUESTIONS)
    for question in contract.QUESTIONS:
        assert f"utter_ask_{question}" in DOMAIN["responses"], question


def test_the_consult_response_exists():
    assert contract.CONSULT_PROFESSIONAL in DOMAIN["responses"]


def test_entities_are_declared():
    entities = set(DOMAIN["entities"])
    assert {
        *contract.TOPIC_LABELS,
        *contract.FINDING_KINDS,
        *contract.NUMBER_ENTITIES,
        contract.RED_FLAG_ENTITY,
    } <= entities


def test_content_finding_kinds_are_the_contracts():
    assert {f.kind for f in get_content().findings.values()} <= set(contract.FINDING_KINDS)


def test_every_feature_the_record_can_produce_is_one_the_ranking_knows():
    """Fill a record with every finding and every number band; all its features are known."""
    known = set(get_content().ranking_features())
    content = get_content()
    produced = set()
    for finding in content.findings.values():
        for phrase in finding.phrases[:1]:
            for question in (None, "pain_spreads"):
                record = SymptomRecord()
                record.update(
                    analyse(f"my {phrase} is bad, worse when {phrase}, better with {phrase}"), question=question
                )
                produced |= record.features()
    for days in (3, 60, 200):
        for severity in (2, 5, 9):
            for age in (25, 50, 70):
                record = SymptomRecord(
                    pain_spreads=contract.YES, spread_to=["calf"], nerve_symptoms=[], pain_severity=severity, age=age
                )
                record.set_duration(days)
                produced |= record.features()
    record = SymptomRecord(pain_spreads=contract.NO)
    produced |= record.features()
    for said in ("i'm so fed up", "it's getting me down", "i'm scared"):
        record.add_feelings(analyse(said))
    produced |= record.features()
    assert produced - known == set()
    # and the check is not empty: the derived features were produced
    assert set(contract.DERIVED_FEATURES) <= produced


def test_every_escalation_and_consult_response_carries_its_kind():
    responses = DOMAIN["responses"]
    for name, kind in contract.SAFETY_RESPONSE_KINDS.items():
        assert kind in contract.MESSAGE_KINDS
        assert [v.get("metadata") for v in responses[name]] == [{"kind": kind}] * len(responses[name]), name
    # Kinds belong only where the contract puts them.
    marked = {name for name, variants in responses.items() if any("metadata" in v for v in variants)}
    assert marked == set(contract.SAFETY_RESPONSE_KINDS)


def test_the_result_messages_carry_their_kinds():
    from bot import replies
    from bot.ranking import RankedCause

    record = SymptomRecord(pain_location=["lower_back"], pain_spreads="no", nerve_symptoms=[], pain_duration_days=3)
    condition = next(iter(get_content().conditions))
    said = replies.result([RankedCause(condition, 1.0, ("a reason",))], record, offer_plan=True)
    kinds = [replies.kind_of(m) for m in said]
    assert kinds[:2] == [contract.KIND_LEAD, contract.KIND_CAUSES] and kinds[-1] == contract.KIND_TOLD
    # The advice: what would change it (the safety net) and the self-care tips; then the offer
    # of the activity plan, which is sent when asked, with its sources (bot/plan.py).
    advice = [m for m, kind in zip(said, kinds, strict=True) if kind == contract.KIND_SELF_CARE]
    assert [m.split(":")[0] for m in advice] == ["What would change this advice", "What you can do meanwhile"]
    assert kinds[-2] == contract.KIND_PLAN_OFFER
    plan = replies.activity_plan([condition], record)
    assert [replies.kind_of(m) for m in plan] == [contract.KIND_PLAN, contract.KIND_PLAN]
    assert [m.split(":")[0] for m in plan] == ["Your activity plan", "Where this plan comes from"]
    assert [replies.kind_of(m) for m in replies.result([], record)[:2]] == [contract.KIND_LEAD, contract.KIND_CAUSES]
    assert replies.kind_of(replies.emergency_stop(record)[0]) == contract.KIND_EMERGENCY
    assert replies.kind_of(replies.reminder(contract.URGENT)) == contract.KIND_URGENT
    # A result with an urgent cause leads with the escalation.
    urgent = next(
        c for c in get_content().conditions.values() if get_content().timeframes[c.see_within].level == "urgent"
    )
    first = replies.result([RankedCause(urgent.id, 1.0, ("a reason",))], record)[0]
    assert replies.kind_of(first) == contract.KIND_URGENT
