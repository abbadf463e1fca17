"""The channel checks (bot/guard.py): what reaches the assistant, rate limits, replays."""

import pytest

from bot import guard
from bot.guard import Limits, RateLimiter, RecentIds, check_text, clean_text, mostly_unreadable_script

LIMITS = Limits(
    max_message_chars=2000, max_sender_chars=128, max_request_bytes=1_000_000, per_sender=(3, 60), per_address=(10, 60)
)


@pytest.mark.parametrize(
    "raw, reason",
    [
        ("a" * 2001, "too long"),
        ("my back hurts " * 10_000, "too long"),
        ("", "empty"),
        ("  \n\t ", "empty"),
        ("\x00\x07\x1b", "empty"),
        (None, "not text"),
        (42, "not text"),
        (["hi"], "not text"),
        ("у меня болит спина", "not english"),
        ("我的背很痛", "not english"),
        ("ظهري يؤلمني", "not english"),
    ],
)
def test_messages_that_do_not_reach_the_assistant_get_a_kind_reply(raw, reason):
    verdict = check_text(raw, LIMITS)
    assert verdict.reason == reason and verdict.reply and not verdict.text
    assert "999" in verdict.reply or reason in ("empty", "not text")


@pytest.mark.parametrize(
    "raw", ["my back hurts", "a" * 2000, "😭😭😭", "me duele la espalda", "naïve café sciatica", "7/10", "/greet"]
)
def test_ordinary_messages_pass(raw):
    verdict = check_text(raw, LIMITS)
    assert verdict.reply is None and verdict.text == raw


def test_clean_text_drops_controls_surrogates_and_bidi_overrides():
    assert clean_text("my\x00 back\u202e hurts \ud800\x7f") == "my  back  hurts ?"
    assert clean_text("cafe\u0301") == "café"
    assert not mostly_unreadable_script("my back 😭 hurts ok")


def test_rate_limiter_allows_the_count_per_window_and_says_so_once():
    now = [0.0]
    limiter = RateLimiter(3, 60, clock=lambda: now[0])
    assert [limiter.hit("a") for _ in range(5)] == [(True, False)] * 3 + [(False, True), (False, False)]
    assert limiter.hit("b") == (True, False)  # other keys are not affected
    assert limiter.retry_after("a") == 61
    now[0] = 61
    assert limiter.hit("a") == (True, False)  # a new window


def test_rate_limiter_memory_is_bounded_and_zero_switches_it_off():
    limiter = RateLimiter(1, 60, max_keys=100)
    for n in range(1000):
        limiter.hit(str(n))
    assert len(limiter._windows) == 100
    assert all(RateLimiter(0, 60).hit("x") == (True, False) for _ in range(100))


def test_recent_ids_recognise_a_replay_until_they_expire():
    now = [0.0]
    seen = RecentIds(ttl=10, max_ids=3, clock=lambda: now[0])
    assert not seen.seen_before(1) and seen.seen_before(1) and seen.seen_before("1")
    assert not seen.seen_before(None) and not seen.seen_before(None)
    now[0] = 11
    assert not seen.seen_before(1)
    for n in range(10):
        seen.seen_before(f"x{n}")
    assert len(seen._seen) <= 3


def test_a_deletion_needs_words_that_ask_for_it():
    from bot.guard import asks_for_deletion

    assert asks_for_deletion("please delete my conversation")
    assert asks_for_deletion("erase my data")
    assert not asks_for_deletion("can you remind me to take my tablets at 6?")
    assert not asks_for_deletion("what is sciatica")


@pytest.mark.parametrize(
    "text,asks",
    [
        ("yo pulled summat in my back at the gym", False),
        ("my back went at work", False),
        ("can I have a copy of what I said", True),
        ("summary please", True),
        ("remind me what i've said", True),
        ("write it all up for me", True),
    ],
)
def test_the_summary_is_asked_for_in_words(text, asks):
    # Set 7: "summat" was taken for "summary" by the classifier, and the person got the summary.
    assert guard.asks_for_summary(text) is asks


@pytest.mark.parametrize(
    "text,asks",
    [
        ("Thank you, that's very clear", False),
        ("Please don't forget what I told you", False),
        ("I didn't ask you to delete anything", False),
        ("delete my data", True),
        ("please forget everything i said", True),
        ("clear my chat", True),
        ("right to be forgotten", True),
    ],
)
def test_a_deletion_is_asked_for_in_words_and_not_denied(text, asks):
    # Usability review 6: each of the first three deleted the conversation.
    assert guard.asks_for_deletion(text) is asks
