"""benchmarks/load.py without a server: what it refuses to target and how it counts."""

import pytest

from benchmarks.load import INTERVIEW, LoadResult, Turn, check_loopback, client_address, script_for


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8000", "http://localhost:5005", "http://127.0.9.9", "http://[::1]:80"]
)
def test_loopback_targets_are_accepted(url):
    check_loopback(url)


@pytest.mark.parametrize(
    "url", ["http://10.0.0.5:8000", "http://192.168.1.2", "http://8.8.8.8", "http://no-such-host.invalid"]
)
def test_other_targets_are_refused(url):
    with pytest.raises(ValueError):
        check_loopback(url)


def test_each_sender_has_its_own_pain_score_and_address():
    assert len(INTERVIEW) == 20
    scores = {script_for(i)[INTERVIEW.index("{severity}")] for i in range(8)}
    assert scores == {str(n) for n in range(2, 10)}
    addresses = [client_address(i) for i in range(600)]
    assert len(set(addresses)) == 600 and addresses[0] == "127.0.1.1" and addresses[250] == "127.0.2.1"


def test_summary_counts_errors_apart_and_uses_nearest_rank_percentiles():
    turns = [Turn("a", "hi", 200, seconds=n / 100) for n in range(1, 101)]
    turns.append(Turn("a", "hi", 200, seconds=0.001, error="empty_reply"))
    turns.append(Turn("b", "hi", 503, seconds=0.002, error="http_503"))
    summary = LoadResult(senders=2, messages_per_sender=51, seconds=10.0, turns=turns).summary()
    assert (summary["sent"], summary["ok"]) == (102, 100)
    assert summary["errors"] == {"empty_reply": 1, "http_503": 1}
    assert (summary["p50_ms"], summary["p95_ms"], summary["p99_ms"]) == (500, 950, 990)
    assert summary["messages_per_s"] == 10.0
