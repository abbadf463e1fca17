"""addons/channels/keys.py and addons/auth.py: conversation keys per channel, unguessable REST ids,
IPv6 rate-limit keys and the failed-token throttle (pure functions, no server)."""

import pytest

from addons import auth
from addons.channels import keys
from bot.guard import depth_of, json_too_deep, metadata_problem
from tests.support.ids import run_uuid


def test_other_channels_get_a_prefix_and_lose_it_again():
    assert keys.store_key("socketio", "ab12") == "socketio:ab12"
    assert keys.store_key("telegram", "12345") == "telegram:12345"
    assert keys.store_key("telegram", "telegram:12345") == "telegram:12345"  # applied once
    assert keys.store_key("rest", "ab12") == "ab12" and keys.store_key(None, "ab12") == "ab12"
    assert keys.platform_id("slack:U123") == "U123" and keys.platform_id("U123") == "U123"
    assert keys.reserved("facebook:1") and not keys.reserved("visit-facebook:1")


@pytest.mark.parametrize(
    "sender", [run_uuid("hex").hex, run_uuid("upper").hex.upper(), str(run_uuid("dashed")), "Zk3_q9-TbXw1LmA0pR7sYc"]
)
def test_unguessable_ids(sender):
    assert keys.strong_rest_id(sender) and keys.sender_problem(sender) is None


HEX = "32d914bd7e5b4a6bac25793580c55e88"


@pytest.mark.parametrize(
    "sender",
    [f"visit-{run_uuid('visit')}", f"alice-{HEX}", f"{HEX}-1", f"x/{HEX}", f"{HEX}.", f"{HEX}{HEX[:3]}", "-" + HEX],
)
def test_an_id_that_merely_contains_a_random_run_is_not_unguessable(sender):
    assert not keys.strong_rest_id(sender)


@pytest.mark.parametrize(
    "sender",
    [
        f"socketio:{HEX}",
        f"SOCKETIO:{HEX}",
        f"Telegram:{HEX}",
        f" socketio:{HEX}",
        f"socketio :{HEX}",
        f"socketio\uff1a{HEX}",  # fullwidth colon
        f"socketio\ufe55{HEX}",  # small colon
        f"socketio\u2236{HEX}",  # ratio sign
        f"socketio%3A{HEX}",
        f"socketio%3a{HEX}",
        f"hello world {HEX}",
        f"{HEX}; drop",
        f"{HEX}\t",
        f"{HEX}\u00a0",
        f"{HEX[:16]}\u0435{HEX[17:]}",  # a Cyrillic letter
        f"{HEX}:1",
    ],
)
def test_look_alikes_of_a_channel_key_are_refused_whoever_sends_them(sender):
    assert keys.sender_problem(sender) is not None


@pytest.mark.parametrize(
    "sender",
    [
        "12345678",
        "user-1",
        "a" * 40,
        "0" * 32,
        "abababababababababababab",
        "deadbeef",
        "postgres-outage-abc123-earlier-0",
        # patterned: they repeat themselves or count, whatever their length and alphabet
        "0123456789abcdef0123456789abcdef",
        "12345678-1234-1234-1234-123456789012",
        "01234567-89ab-cdef-0123-456789abcdef",
        "deadbeefdeadbeefdeadbeefdeadbeef",
        "fedcba9876543210fedcba9876543210",
        "ABCDEFGHIJKLMNOPQRSTUVwxyz",
        "Password1Password1Password1",
        # base64url of readable text: "patient_000000000123", "conversation-0000042"
        "cGF0aWVudF8wMDAwMDAwMDAxMjM",
        "Y29udmVyc2F0aW9uLTAwMDAwNDI",
        "dXNlckBleGFtcGxlLm9yZzowMDAx",
    ],
)
def test_guessable_ids(sender):
    assert not keys.strong_rest_id(sender)


def test_ids_from_random_generators_are_accepted():
    import secrets
    import uuid

    # 3 generators x 2,000 ids: a false refusal is rare enough (under 1 in 30,000 measured) to
    # make a failure here mean the rule is wrong, not unlucky.
    ids = [f(x) for x in range(2000) for f in (lambda _: uuid.uuid4().hex, lambda _: str(uuid.uuid4()))]
    ids += [secrets.token_urlsafe(16) for _ in range(2000)]
    refused = [sender for sender in ids if not keys.strong_rest_id(sender)]
    assert len(refused) <= 1, refused


def test_rate_keys_count_an_ipv6_64_as_one_address():
    assert auth.rate_key("2001:db8:0:7::1") == auth.rate_key("2001:db8:0:7:ffff::2") == "2001:db8:0:7::/64"
    assert auth.rate_key("2001:db8:0:8::1") != auth.rate_key("2001:db8:0:7::1")
    assert auth.rate_key("203.0.113.9") == "203.0.113.9" == auth.rate_key("::ffff:203.0.113.9")
    assert auth.rate_key("unknown") == "unknown"


def test_failed_token_attempts_block_the_address_until_the_window_ends():
    now = [0.0]
    throttle = auth.FailedAuth(3, 60, clock=lambda: now[0])
    for _ in range(3):
        assert not throttle.blocked("a")
        throttle.failed("a")
    assert throttle.blocked("a") and not throttle.blocked("b")
    now[0] = 61
    assert not throttle.blocked("a")


def test_nesting_is_measured_without_parsing():
    assert json_too_deep(b"[" * 33 + b"]" * 33) and not json_too_deep(b"[" * 32 + b"]" * 32)
    assert not json_too_deep(b'{"text": "' + b"[" * 100 + b'"}')  # brackets inside a string
    assert depth_of({"a": [{"b": 1}]}) == 3
    assert metadata_problem({"a": "x" * 5000}) and metadata_problem({"a": [[[[[[[[["x"]]]]]]]]]})
    assert metadata_problem({"utm": "widget", "page": "/help"}) is None


def test_a_short_api_token_is_refused_in_the_cluster_profile_only(monkeypatch):
    monkeypatch.delenv("PROFILE", raising=False)
    monkeypatch.setenv("ENDPOINTS", "endpoints.yml")
    assert auth.check_token_length("short") is None
    monkeypatch.setenv("ENDPOINTS", "/x/endpoints/cluster.yml")
    assert "refuses" in auth.check_token_length("short")
    assert auth.check_token_length("x" * 32) is None
