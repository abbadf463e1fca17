"""addons/guard.py's checks of HTTP API bodies that Rasa would read unchecked (pure functions, no
server): parse data given instead of the NLU's, and events carrying it."""

import types

import pytest

from addons.guard import MAX_PARSE_DATA_BYTES, check_events, check_parse_data

DOMAIN = types.SimpleNamespace(intents=["greet", "describe_pain"], entities=["body_part"])
GOOD = {"intent": {"name": "greet", "confidence": 0.9}, "entities": [], "text": "hi"}


@pytest.mark.parametrize(
    "parse_data",
    [
        GOOD,
        {"intent": {"name": "greet"}, "entities": []},
        {
            "intent": {"name": "describe_pain", "confidence": 1},
            "entities": [{"entity": "body_part", "value": "back", "start": 3, "end": 7}],
            "intent_ranking": [{"name": "describe_pain", "confidence": 1.0}],
        },
        None,
    ],
)
def test_parse_data_of_rasas_shape_passes(parse_data):
    assert check_parse_data(parse_data, DOMAIN, "'parse_data'", True) is None


@pytest.mark.parametrize(
    "parse_data",
    [
        "greet",
        [],
        {},
        {"x": 1},
        {"intent": "greet", "entities": []},
        {"intent": {}, "entities": []},
        {"intent": {"name": 5}, "entities": []},
        {"intent": {"name": "greet", "confidence": "high"}, "entities": []},
        {"intent": {"name": "greet", "confidence": True}, "entities": []},
        {"intent": {"name": "no_such_intent"}, "entities": []},
        {"intent": {"name": "greet"}},
        {"intent": {"name": "greet"}, "entities": "x"},
        {"intent": {"name": "greet"}, "entities": [[]]},
        {"intent": {"name": "greet"}, "entities": [{"value": "x"}]},
        {"intent": {"name": "greet"}, "entities": [{"entity": "body_part"}]},
        {"intent": {"name": "greet"}, "entities": [{"entity": "no_such", "value": "x"}]},
        {"intent": {"name": "greet"}, "entities": [{"entity": "body_part", "value": "x", "start": "0"}]},
        {"intent": {"name": "greet"}, "entities": [{"entity": "body_part", "value": "x"}] * 51},
        {"intent": {"name": "greet"}, "entities": [], "text": 5},
        {**GOOD, "x": "y" * MAX_PARSE_DATA_BYTES},
        {**GOOD, "x": [[[[[[[[["deep"]]]]]]]]]},
    ],
)
def test_parse_data_of_another_shape_is_refused(parse_data):
    problem = check_parse_data(parse_data, DOMAIN, "'parse_data'", True)
    assert problem and isinstance(problem, str)


def test_a_stored_user_event_may_leave_intent_and_entities_out_but_not_give_them_wrong():
    assert check_events([{"event": "user", "text": "hi", "parse_data": {"text": "hi"}}], DOMAIN) is None
    assert check_events([{"event": "user", "text": "hi", "parse_data": {"intent": 5}}], DOMAIN)
    assert check_events([{"event": "user", "text": "hi", "parse_data": {"entities": [1]}}], DOMAIN)
    assert check_events([{"event": "user", "text": "hi", "metadata": {"x": "y" * 5000}}], DOMAIN)
    assert check_events([{"event": "user", "text": "hi", "parse_data": {}, "metadata": {"x": "y"}}], DOMAIN) is None
    # Without parse_data at all Rasa fails later (a 500): refused.
    assert check_events([{"event": "user", "text": "hi", "metadata": {"x": "y"}}], DOMAIN)
    assert check_events([{"event": "reminder", "intent": "greet", "date_time": "notadate"}], DOMAIN)
    assert check_events([{"event": "reminder", "intent": "greet", "date_time": "2030-01-01T10:00:00"}], DOMAIN) is None


def test_trigger_intent_entities_are_checked_as_parse_data_entities():
    wrap = {"entities": [{"entity": "body_part", "value": "back"}]}
    assert check_parse_data(wrap, DOMAIN, "the body", False) is None
    assert check_parse_data({"entities": [1, 2]}, DOMAIN, "the body", False)
    assert check_parse_data({"entities": [{"entity": "nope", "value": 1}]}, DOMAIN, "the body", False)
