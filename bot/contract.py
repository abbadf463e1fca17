"""The names that tie the pieces together, written once.

domain.yml, data/*.yml, the content module and the code all use these strings;
tests/unit/test_contract.py checks that they agree. The slots ``triage_level`` and
``possible_causes``, the intents and ``utter_consult_professional`` are a public
contract that integrators rely on: change them only with a migration note.
"""

from __future__ import annotations

from typing import Dict, Tuple

# --------------------------------------------------------------------------- triage
ROUTINE = "routine"
URGENT = "urgent"
EMERGENCY = "emergency"
TRIAGE_LEVELS: Tuple[str, ...] = (ROUTINE, URGENT, EMERGENCY)  # least to most serious

# --------------------------------------------------------------------------- slots
TRIAGE_LEVEL = "triage_level"
POSSIBLE_CAUSES = "possible_causes"
RED_FLAGS = "red_flags"
NEW_RED_FLAGS = "new_red_flags"
REPORTED_FINDINGS = "reported_findings"
REQUESTED_SLOT = "requested_slot"  # Rasa's own: the form question just asked
# The safety screen's memory (bot/safety.py) and the text its responses show.
SYMPTOM_SIDES = "symptom_sides"  # sides ("left", "right") of leg symptoms said so far
PENDING_RED_FLAGS = "pending_red_flags"  # flags awaiting an answer to the screen's question
PENDING_QUESTION = "pending_question"  # which: "new_or_changed", "happening_now" or "check:<id>"
SAFETY_CHECKS = "safety_checks"  # the targeted safety questions asked so far (concepts.yml `checks`)
SCREEN_ANSWERED = "screen_answered"  # this message answered the screen's own question
SAFETY_TEXT = "safety_text"  # what the current utter_safety_* response says
SAFETY_STEP = "safety_step"  # the step of the screen's plan for this turn (addons/safety.py)
SAFETY_PLAN = "safety_plan"  # the screen's plan for this turn (bot/turn.py)
PLACE_SLOTS = ("place_gp", "place_pharmacist", "clinic_name", "checkin_after")  # configured words the responses use

# The interview's red-flag screening questions (yes / no / unknown; quickly / slowly).
SCREEN_CAUDA_EQUINA = "screen_cauda_equina"
SCREEN_SYSTEMIC = "screen_systemic"
SCREEN_MAJOR_TRAUMA = "screen_major_trauma"
SCREEN_WEAKNESS_PROGRESSION = "screen_weakness_progression"
SCREENING_SLOTS: Tuple[str, ...] = (
    SCREEN_CAUDA_EQUINA,
    SCREEN_SYSTEMIC,
    SCREEN_MAJOR_TRAUMA,
    SCREEN_WEAKNESS_PROGRESSION,
)

# Slot values shared by the interview and the symptom record.
YES, NO, UNKNOWN = "yes", "no", "unknown"
QUICKLY, SLOWLY = "quickly", "slowly"

# --------------------------------------------------------------------------- the form
SYMPTOM_FORM = "symptom_form"
AGE = "age"  # the person's age in years: asked, or taken when given (bot/symptoms.py)
# The order a physiotherapist's intake would follow, safety questions early. Each is a
# slot of the form and has a response utter_ask_<question> in domain.yml.
QUESTIONS: Tuple[str, ...] = (
    "pain_location",
    "pain_spreads",
    "nerve_symptoms",
    SCREEN_CAUDA_EQUINA,
    SCREEN_WEAKNESS_PROGRESSION,
    AGE,
    "aggravating_factors",
    "easing_factors",
    "pain_onset",
    SCREEN_MAJOR_TRAUMA,
    "pain_duration",
    "pain_severity",
    SCREEN_SYSTEMIC,
)
# The interview's own memory (slots, not asked): the questions the person could not
# answer ("not sure", or not understood after two re-asks), their own words for an
# answer that was not understood, why the open question is being asked again, and
# whether the person has been offered the questions (a "yes" then starts them).
UNSURE_ABOUT = "unsure_about"
OWN_WORDS = "own_words"
REASK = "reask"
REASK_UNCLEAR, REASK_WHICH = "unclear", "which"
# The open question asked again by the screen, not for a failed answer (these asks are not
# counted): in simpler words after "I don't understand" (a `plain` variation of each
# utter_ask_*), or as it was after a word's meaning or a feeling was answered.
REASK_PLAIN, REASK_AGAIN = "plain", "again"
INTERVIEW_OFFERED = "interview_offered"
# After the crisis reply the person said they are safe: the conversation about the pain goes on.
CRISIS_SAFE_SAID = "crisis_safe_said"
# The only emergency is the crisis reply (safety.crisis_only): the consult advice takes its crisis form.
CRISIS_ONLY = "crisis_only"
# The result and its full consult advice have been given (actions/offers.py): later consult advice is short.
RESULT_GIVEN = "result_given"
# Answers with one value (not lists that grow): after a result only a correction changes them.
SINGLE_ANSWER_SLOTS: Tuple[str, ...] = (AGE, "pain_onset", "pain_duration", "pain_duration_days", "pain_severity")
# How many times one question is asked at most (the first time and two re-asks).
MAX_ASKS = 3
# Age bands the red-flag rules use (new back pain over 50 or under 20): findings the
# screen receives when the age is known.
AGE_OVER_50, AGE_UNDER_20 = "age_over_50", "age_under_20"

# After a result, one offer at a time (bot/offers.py): the offer awaiting an answer, those
# made so far, the one answered by this message (for action_next_offer to act on) and the
# answers kept. The contact details given after a yes to the hand-off are never a slot.
PENDING_OFFER = "pending_offer"
OFFERS_ASKED = "offers_asked"
OFFER_ANSWERED = "offer_answered"
HANDOFF_CONSENT = "handoff_consent"  # send the summary to the clinic (issue 27)
CHECKIN_CONSENT = "checkin_consent"  # a check-in later (issue 29)
FEEDBACK = "feedback"  # "Was this helpful?": yes / partly / no (issue 28)
OFFER_SLOTS: Tuple[str, ...] = (PENDING_OFFER, OFFERS_ASKED, OFFER_ANSWERED, HANDOFF_CONSENT, CHECKIN_CONSENT, FEEDBACK)

# --------------------------------------------------------------------------- intents
GREET = "greet"
GOODBYE = "goodbye"
AFFIRM = "affirm"
DENY = "deny"
THANK = "thank"
BOT_CHALLENGE = "bot_challenge"
ASK_HELP = "ask_help"
STOP = "stop"
OUT_OF_SCOPE = "out_of_scope"
NLU_FALLBACK = "nlu_fallback"  # Rasa's FallbackClassifier: the classifier could not place the message
DONT_KNOW = "dont_know"
DESCRIBE_PAIN = "describe_pain"
ASK_CONDITION = "ask_condition"
ASK_TREATMENT = "ask_treatment"
ASK_ANATOMY = "ask_anatomy"
REPORT_RED_FLAG = "report_red_flag"
DELETE_CONVERSATION = "delete_conversation"  # the person asks for their conversation to be erased
REQUEST_SUMMARY = "request_summary"  # the person asks for the summary as one message (bot/appointment.py)
# Triggered by the Rasa process, never said: the check-in is due (addons/checkins.py, issue 29).
EXTERNAL_CHECKIN = "EXTERNAL_checkin"
EXTERNAL_INTENTS: Tuple[str, ...] = (EXTERNAL_CHECKIN,)
INTENTS: Tuple[str, ...] = (
    GREET,
    GOODBYE,
    AFFIRM,
    DENY,
    THANK,
    BOT_CHALLENGE,
    ASK_HELP,
    STOP,
    OUT_OF_SCOPE,
    DONT_KNOW,
    DESCRIBE_PAIN,
    ASK_CONDITION,
    ASK_TREATMENT,
    ASK_ANATOMY,
    REPORT_RED_FLAG,
    DELETE_CONVERSATION,
    REQUEST_SUMMARY,
)
# Intents whose findings describe the person's own pain ("can sitting cause back pain?"
# is a question, not "worse when sitting").
SYMPTOM_INTENTS = frozenset({DESCRIBE_PAIN, REPORT_RED_FLAG, AFFIRM, DENY, DONT_KNOW})
# Questions asked mid-interview are answered, not recorded as answers.
QUESTION_INTENTS = frozenset({ASK_CONDITION, ASK_TREATMENT, ASK_ANATOMY, ASK_HELP, BOT_CHALLENGE, OUT_OF_SCOPE})
# Rasa's own intents that undo the conversation; people cannot type them (addons/nlu.py),
# and after a red flag the screen answers them with the instruction instead.
UNDO_INTENTS = frozenset({"restart", "back"})

# --------------------------------------------------------------------------- responses
CONSULT_PROFESSIONAL = "utter_consult_professional"
# Said when a conversation is deleted; the tracker store deletes the conversation on
# seeing it (addons/tracker_store.py), so the deletion needs no action server.
CONVERSATION_DELETED_RESPONSE = "utter_conversation_deleted"
# After a result, more about the pain: noted (not "I'll ask a few questions"), and said
# briefly when the possible causes stay the same (not the whole result again).
NOTED_AFTER_RESULT = "utter_noted_after_result"
RESULT_UNCHANGED = "utter_result_unchanged"
# The screen's responses (text from the slot safety_text); one per kind of message.
SAFETY_RESPONSES = {
    "emergency": "utter_safety_emergency",
    "urgent": "utter_safety_urgent",
    "crisis": "utter_safety_crisis",
    "reminder": "utter_safety_reminder",
    "followup": "utter_safety_followup",
    "plan": "utter_safety_plan",
    "question": "utter_safety_question",
    "check": "utter_safety_check",
    "fallback": "utter_safety_fallback",
}

# --------------------------------------------------------------------------- message kinds
# What a bot message is, sent with it to the client as ``metadata.kind`` (docs/api.md), so a
# widget can show an escalation as one and build the appointment summary without reading
# the wording. Domain responses carry theirs in domain.yml; the actions' in bot/replies.py.
KIND_EMERGENCY = EMERGENCY  # an emergency instruction ("call 999 now")
KIND_URGENT = URGENT  # an urgent instruction ("get checked today")
KIND_REMINDER = "reminder"  # an earlier emergency or urgent instruction, repeated
KIND_CRISIS = "crisis"  # the reply to thoughts of self-harm (crisis contacts)
KIND_TOLD = "told"  # "You told me: ...", the summary of what the person said
KIND_LEAD = "lead"  # the result in one or two sentences: the best fit and what to do
KIND_CAUSES = "causes"  # the possible causes and why they fit
KIND_SELF_CARE = "advice"  # the advice: routine advice, the safety net, self-care
KIND_PLAN_OFFER = "plan_offer"  # a routine result's offer of its activity plan (sent when asked)
KIND_PLAN = "plan"  # the activity plan itself
KIND_CONSULT = "consult"  # the recommendation to see a health professional
MESSAGE_KINDS: Tuple[str, ...] = (
    KIND_EMERGENCY,
    KIND_URGENT,
    KIND_REMINDER,
    KIND_CRISIS,
    KIND_TOLD,
    KIND_LEAD,
    KIND_CAUSES,
    KIND_SELF_CARE,
    KIND_PLAN_OFFER,
    KIND_PLAN,
    KIND_CONSULT,
)
ESCALATION_KINDS = frozenset({KIND_EMERGENCY, KIND_URGENT, KIND_REMINDER})
# The kind of each of the screen's responses that has one.
SAFETY_RESPONSE_KINDS = {
    SAFETY_RESPONSES["emergency"]: KIND_EMERGENCY,
    SAFETY_RESPONSES["urgent"]: KIND_URGENT,
    SAFETY_RESPONSES["reminder"]: KIND_REMINDER,
    SAFETY_RESPONSES["crisis"]: KIND_CRISIS,
    SAFETY_RESPONSES["plan"]: KIND_PLAN,
    CONSULT_PROFESSIONAL: KIND_CONSULT,
}

# --------------------------------------------------------------------------- entities
# Topic labels the language layer tags (what a question is about).
TOPIC_LABELS: Tuple[str, ...] = ("condition", "treatment", "anatomy_topic")
# Kinds of finding in the content lexicon; each is also an entity.
FINDING_KINDS: Tuple[str, ...] = ("body_location", "side", "symptom", "activity", "onset", "risk_factor")
# Where a body location is, for the symptom record (lexicon.yml, `region`): the spine
# itself, a place pain from the spine can spread to, or such a place below the knee.
BACK, LIMB, BELOW_KNEE = "back", "limb", "below_knee"
REGIONS: Tuple[str, ...] = (BACK, LIMB, BELOW_KNEE)
# Lexicon findings the code itself names (the symptom record and the interview), with
# their kind: the content checker refuses a lexicon that lacks one of them.
CODE_FINDINGS: Dict[str, str] = {
    "numbness": "symptom",  # numbness, tingling and weakness make up the nerve_symptoms slot
    "tingling": "symptom",
    "weakness": "symptom",
    "pain_spreading": "symptom",
    "both_legs": "side",
    "fever_measured": "symptom",  # read from a number (bot/nlp/pipeline.py)
    "leg": "body_location",
    "below_knee": "body_location",
    "fall": "onset",  # a fall asks the major-trauma screening question
    "chores_strain": "onset",  # an activity that can also be what makes it worse (bot/symptoms.py)
    # Places said for both sides in the summary (bot/replies.py BOTH_SIDES).
    "buttock": "body_location",
    "hip": "body_location",
    "outer_thigh": "body_location",
    # The safety screen's own reasoning (bot/safety.py, bot/nlp): sides and places for
    # both-legs across messages, age bands, and findings with wording rules of their own.
    "foot": "body_location",
    "calf": "body_location",
    "thigh": "body_location",
    "knee": "body_location",
    "left_side": "side",
    "right_side": "side",
    "weight_loss": "symptom",
    "overdose": "symptom",
    # A risk factor inferred from another, not told again in the summary (bot/replies.py IMPLIED_BY).
    "steroid_use": "risk_factor",
    "immunosuppressed": "risk_factor",
    # Thoughts of dying put as a question are the person's own (bot/safety.py THOUGHTS_OF_DYING).
    "suicidal_intent": "symptom",
    "self_harm_thoughts": "symptom",
    "fever": "symptom",
    "worsening_weakness": "symptom",
    # What says a symptom is new or changing, so an earlier picture no longer explains it.
    "sudden": "onset",
    "getting_worse": "symptom",
    "rapid_progression": "symptom",
    "worsening_numbness": "symptom",
    # Symptoms of another illness, whose time is not when the pain began (bot/symptoms.py).
    "urinary_symptoms": "symptom",
    "nausea_vomiting": "symptom",
    "foot_drop": "symptom",
    "age_over_50": "risk_factor",
    "age_under_20": "risk_factor",
    # The interview's reading of short answers (bot/interview.py, bot/symptoms.py).
    "lifting": "activity",
    "bending_forward": "activity",
    "twisting": "activity",
    "weight_training": "activity",
    "lifting_injury": "onset",
    "posture_strain": "onset",
    "sport_strain": "onset",
    "recent_immobility": "risk_factor",
    "lower_back": "body_location",
}
# Numbers the language layer reads, passed to Rasa as entities of these names.
NUMBER_ENTITIES: Tuple[str, ...] = ("pain_severity", "duration_days", "age")
RED_FLAG_ENTITY = "red_flag"

# --------------------------------------------------------------------------- ranking features
# What the symptom record (bot.symptoms) tells the ranking (bot.ranking); the content's
# indicators may use exactly these. A finding becomes a feature with its kind's prefix.
FEATURE_PREFIXES: Dict[str, Tuple[str, ...]] = {
    "body_location": ("location:",),
    "symptom": ("symptom:",),
    "activity": ("worse:", "better:"),
    "onset": ("onset:",),
    "risk_factor": ("risk:",),
    "side": ("side:",),
}
SPREADS = "spreads"
SPREADS_BELOW_KNEE = "spreads_below_knee"
NO_SPREAD = "no_spread"
NO_NERVE_SYMPTOMS = "no_nerve_symptoms"
DURATIONS: Tuple[str, ...] = ("acute", "subacute", "chronic")
SEVERITIES: Tuple[str, ...] = ("mild", "moderate", "severe")
AGE_BANDS: Tuple[str, ...] = ("under_40", "40_to_60", "over_60")
# Age when the pain started (age now minus how long it has lasted): inflammatory back pain
# and NICE NG65's referral criteria are about the age at onset.
AGE_AT_ONSET_LIMITS: Dict[str, int] = {"under_35": 35, "under_45": 45}
AGE_AT_ONSET_BANDS: Tuple[str, ...] = tuple(AGE_AT_ONSET_LIMITS)
# How the pain makes the person feel, said in passing (concepts feeling_<mood>): "mood:<mood>"
# features, so the result can say who helps with it (red_flags.yml, routine_advice).
MOODS: Tuple[str, ...] = ("low", "worried", "frustrated")
# Patterns (conditions.yml, `patterns`) add "pattern:<id>" features of their own.
PATTERN_PREFIX = "pattern:"
# Features derived from numbers and structure rather than from a single phrase.
DERIVED_FEATURES: Tuple[str, ...] = (
    SPREADS,
    SPREADS_BELOW_KNEE,
    NO_SPREAD,
    NO_NERVE_SYMPTOMS,
    *(f"duration:{d}" for d in DURATIONS),
    *(f"severity:{s}" for s in SEVERITIES),
    *(f"age:{a}" for a in AGE_BANDS),
    *(f"age_at_onset:{a}" for a in AGE_AT_ONSET_BANDS),
    *(f"mood:{m}" for m in MOODS),
)
