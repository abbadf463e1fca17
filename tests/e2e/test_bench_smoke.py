"""`make bench` in miniature: the same code (benchmarks/bench.py) with tiny numbers, against
the real servers of this assistant and of a stock `rasa init` bot (trained here, with one
epoch per neural component so that it trains in about a minute). It checks that the report
is complete and sane, not how fast anything is: speed targets live in the benchmark."""

from __future__ import annotations

import math

import pytest

from benchmarks import bench
from tests.support.stack import MODEL

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

SETTINGS = bench.Settings(runs=1, senders=2, conversations=1, long_turns=2 * len(bench.INTERVIEW), stock_epochs=1)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("bench")
    return bench.run(SETTINGS, workdir, {"ours": {"model": str(MODEL), "seconds": None}})


def test_every_message_is_answered(report):
    script = len(bench.INTERVIEW)
    expected = {"single": script, "concurrent": SETTINGS.senders * script, "long": SETTINGS.long_turns}
    for name, record in report["runs"][0].items():
        for scenario, count in expected.items():
            measured = record[scenario]
            assert (measured["messages"], measured["answered"], measured["errors"]) == (count, count, 0), (
                name,
                scenario,
            )
    # This assistant always says something; the stock bot may stay silent.
    assert report["summary"]["empty_replies"]["ours"] == 0


def test_figures_are_sane(report):
    for record in report["runs"][0].values():
        for scenario in ("single", "concurrent", "long"):
            measured = record[scenario]
            assert 0 < measured["p50_ms"] <= measured["p95_ms"] <= measured["p99_ms"] < 120_000
            assert measured["messages_per_s"] > 0
        assert record["ready_seconds"]["rasa"] > 0
        assert 50 < record["peak_rss_mb"]["rasa"] < 8000
        assert record["pss_mb"]["all"] > 0
    ours, stock = report["runs"][0]["ours"], report["runs"][0]["stock"]
    assert set(ours["peak_rss_mb"]) == {"rasa", "actions", "all"} and set(stock["peak_rss_mb"]) == {"rasa", "all"}
    assert report["training"]["stock"]["seconds"] > 0
    for metric, row in report["summary"]["table"].items():
        if metric != "cold training, s":
            assert row["ours/stock"] is None or math.isfinite(row["ours/stock"]), metric


def test_the_action_server_runs_without_tensorflow(report):
    # The detector is real: it finds TensorFlow in Rasa, which needs it.
    assert report["runs"][0]["ours"]["tensorflow_loaded"] == {"rasa": True, "actions": False}


def test_report_and_plot_are_written(report, tmp_path):
    text = bench.markdown(report, "plot.png")
    for metric in bench.METRICS:
        assert f"| {metric} |" in text
    assert "| messages/s at concurrent senders, ours/stock >= 2 |" in text
    assert "1 epochs (smoke run)" in text
    bench.plot(report, tmp_path / "plot.png")
    assert (tmp_path / "plot.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
