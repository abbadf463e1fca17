"""`make bench`: this assistant against the stock `rasa init` bot, side by side, in one run.

For each bot: cold training (empty Rasa cache), then ``--runs`` times: start both servers
through scripts/server.sh (start-to-ready), one warm-up interview, then over REST
(benchmarks/load.py):
  - one sender, ``--conversations`` full interviews one after another;
  - ``--senders`` senders at once, one full interview each, no think time;
  - one long conversation of ``--long-turns`` turns (the interview script, repeated);
and the peak RSS (VmHWM) and CPU time of every server process. The bots take turns going
first, so a burst of load from elsewhere on the machine falls on both. Ratios are computed
per run and their median reported. The load average is recorded around every measurement.

Usage: .venv/bin/python benchmarks/bench.py [--runs 3] [--docs]   (see --help)
Writes results/bench/bench-<time>.json and .md; with --docs, the generated part of
docs/performance.md and docs/performance.png.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import servers  # noqa: E402
from benchmarks.load import INTERVIEW, LoadResult, run_load  # noqa: E402

PYTHON = Path(sys.executable)
RASA = PYTHON.parent / "rasa"
DOC = ROOT / "docs" / "performance.md"
PLOT = ROOT / "docs" / "performance.png"
BEGIN, END = "<!-- bench:begin (written by make bench) -->", "<!-- bench:end -->"
STOCK_TF_COMPONENTS = ("DIETClassifier", "ResponseSelector", "UnexpecTEDIntentPolicy", "TEDPolicy")


@dataclass
class Settings:
    runs: int = 3
    senders: int = 20
    conversations: int = 5
    long_turns: int = 200
    # Smoke runs only: fewer training epochs for the stock bot's neural components.
    stock_epochs: Optional[int] = None
    # Extra bots to measure beside "ours" and "stock", e.g. the SANIC_WORKERS profile.
    workers: int = 0


# -- training ----------------------------------------------------------------------


def train_ours(workdir: Path) -> Dict[str, Any]:
    """Cold training with the project's own script, into an empty model dir and cache."""
    model_dir = workdir / "ours-model"
    env = servers.server_env(MODEL_DIR=str(model_dir), RASA_CACHE_DIRECTORY=str(workdir / "ours-cache"))
    seconds = _timed_run([str(ROOT / "scripts" / "train.sh")], ROOT, env, workdir / "ours-train.log")
    return {"seconds": seconds, "model": str(model_dir / "backpain.tar.gz")}


def train_stock(workdir: Path, epochs: Optional[int]) -> Dict[str, Any]:
    """The project `rasa init --no-prompt` creates (its template, copied the same way),
    trained with its default configuration."""
    project = workdir / "stock"
    project.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [str(PYTHON), "-c", "from rasa.cli.scaffold import create_initial_project as c; c('.')"],
        cwd=project,
        check=True,
        env=servers.server_env(),
    )
    if epochs is not None:
        _write_stock_config_with_epochs(project / "config.yml", epochs)
    env = servers.server_env(RASA_CACHE_DIRECTORY=str(workdir / "stock-cache"))
    command = [str(RASA), "train", "--fixed-model-name", "stock", "--out", str(project / "models")]
    seconds = _timed_run(command, project, env, workdir / "stock-train.log")
    return {"seconds": seconds, "model": str(project / "models" / "stock.tar.gz"), "epochs": epochs or "default"}


def _write_stock_config_with_epochs(config: Path, epochs: int) -> None:
    import rasa.engine.recipes
    import yaml

    default = Path(rasa.engine.recipes.__file__).parent / "config_files" / "default_config.yml"
    data = yaml.safe_load(default.read_text())
    for item in data["pipeline"] + data["policies"]:
        if item["name"] in STOCK_TF_COMPONENTS:
            item["epochs"] = epochs
    config.write_text(yaml.safe_dump(data, sort_keys=False))


def _timed_run(command: List[str], cwd: Path, env: dict, log: Path) -> float:
    started = time.perf_counter()
    with log.open("w") as out:
        result = subprocess.run(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed; log:\n{log.read_text()[-3000:]}")
    return time.perf_counter() - started


# -- one bot, one run -----------------------------------------------------------------


def turns_summary(results: Sequence[LoadResult]) -> Dict[str, Any]:
    """Latencies of every answered turn (HTTP 200; the stock bot may answer with no message)."""
    turns = [turn for result in results for turn in result.turns]
    answered = [turn for turn in turns if turn.status == 200]
    latencies = [round(turn.seconds * 1000, 2) for turn in answered]
    seconds = sum(result.seconds for result in results)
    return {
        "messages": len(turns),
        "answered": len(answered),
        "empty_replies": sum(1 for turn in answered if not turn.replies),
        "errors": len(turns) - len(answered),
        "seconds": round(seconds, 3),
        "messages_per_s": len(answered) / seconds if seconds else 0.0,
        "latencies_ms": latencies,
        **percentiles(latencies),
    }


def percentiles(values: Sequence[float]) -> Dict[str, Optional[float]]:
    ordered = sorted(values)
    if not ordered:
        return {"p50_ms": None, "p95_ms": None, "p99_ms": None}

    def rank(fraction: float) -> float:
        return ordered[min(len(ordered), max(1, round(fraction * len(ordered) + 0.4999))) - 1]

    return {"p50_ms": rank(0.50), "p95_ms": rank(0.95), "p99_ms": rank(0.99)}


def measure(bot: servers.Bot, settings: Settings, workdir: Path) -> Dict[str, Any]:
    record: Dict[str, Any] = {"bot": bot.name, "loadavg": {"before": servers.loadavg()}}
    running = servers.start(bot, workdir)
    try:
        record["ready_seconds"] = dict(running.ready_seconds)
        record["ready_seconds"]["all"] = max(running.ready_seconds.values())
        record["ready_cpu_seconds"] = dict(running.ready_cpu_seconds)
        script_length = len(INTERVIEW)

        def drive(senders: int, messages: int, warm_up: bool = False) -> LoadResult:
            return asyncio.run(
                run_load(running.url, senders=senders, messages=messages, warm_up=warm_up, max_seconds=900)
            )

        drive(1, script_length, warm_up=True)
        record["loadavg"]["single"] = servers.loadavg()
        record["single"] = turns_summary([drive(1, script_length) for _ in range(settings.conversations)])
        cpu_before = running.cpu_seconds()
        record["loadavg"]["concurrent"] = servers.loadavg()
        record["concurrent"] = turns_summary([drive(settings.senders, script_length)])
        cpu_after = running.cpu_seconds()
        record["concurrent"]["cpu_ms_per_message"] = {
            role: 1000 * (cpu_after[role] - cpu_before[role]) / max(1, record["concurrent"]["answered"])
            for role in cpu_after
        }
        record["loadavg"]["long"] = servers.loadavg()
        long = drive(1, settings.long_turns)
        record["long"] = turns_summary([long])
        record["long"]["per_turn_ms"] = [round(turn.seconds * 1000, 2) for turn in long.turns]
        record["tensorflow_loaded"] = running.loaded("tensorflow")
        record["peak_rss_mb"] = running.peak_rss_mb()
        record["peak_rss_mb"]["all"] = sum(record["peak_rss_mb"].values())
        record["pss_mb"] = running.pss_mb()
        record["pss_mb"]["all"] = sum(record["pss_mb"].values())
        record["loadavg"]["after"] = servers.loadavg()
    finally:
        running.stop()
    return record


def long_growth(per_turn_ms: Sequence[float], window: int) -> Dict[str, Optional[float]]:
    """Turn 10 and turn N, each as the median of the script-long window around it
    (the first and the last pass through the script, so the same messages are compared)."""
    if len(per_turn_ms) < 2 * window:
        return {"early_ms": None, "late_ms": None, "ratio": None}
    early = statistics.median(per_turn_ms[:window])
    late = statistics.median(per_turn_ms[-window:])
    return {"early_ms": early, "late_ms": late, "ratio": late / early if early else None}


# -- the whole benchmark ------------------------------------------------------------


def bots(workdir: Path, trained: Dict[str, Dict[str, Any]], settings: Settings) -> List[servers.Bot]:
    stock_dir = Path(trained["stock"]["model"]).parent.parent
    result = [
        servers.Bot("ours", Path(trained["ours"]["model"]), ROOT / "endpoints.yml", ROOT / "credentials.yml", True),
        servers.Bot(
            "stock", Path(trained["stock"]["model"]), stock_dir / "endpoints.yml", stock_dir / "credentials.yml", False
        ),
    ]
    if settings.workers and shutil.which("redis-server") is None:
        print("redis-server is not installed: the SANIC_WORKERS profile is not measured", flush=True)
    elif settings.workers:
        result.append(workers_bot(workdir, Path(trained["ours"]["model"]), settings.workers))
    return result


def workers_bot(workdir: Path, model: Path, workers: int) -> servers.Bot:
    """This assistant with SANIC_WORKERS and a Redis lock store (endpoints/workers.yml)."""
    port = servers.free_port()
    redis = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=(workdir / "redis.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    _cleanup.append(redis)
    deadline = time.monotonic() + 10
    while not servers.port_open(port):
        if redis.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"redis-server did not start: {(workdir / 'redis.log').read_text()[-2000:]}")
        time.sleep(0.05)
    return servers.Bot(
        f"ours-{workers}-workers",
        model,
        ROOT / "endpoints" / "workers.yml",
        ROOT / "credentials.yml",
        True,
        env={"SANIC_WORKERS": str(workers), "REDIS_HOST": "127.0.0.1", "REDIS_PORT": str(port)},
    )


_cleanup: List[subprocess.Popen] = []


def run(settings: Settings, workdir: Path, trained: Optional[Dict[str, Dict[str, Any]]] = None) -> Dict[str, Any]:
    """The whole benchmark. ``trained`` may give either bot's model ({"model": path,
    "seconds": None}) to skip its cold training, as the smoke test does for this one."""
    report: Dict[str, Any] = {
        "started": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "machine": servers.machine(),
        "settings": settings.__dict__,
        "script": list(INTERVIEW),
        "loadavg_start": servers.loadavg(),
    }
    try:
        trained = dict(trained or {})
        report["loadavg_train"] = servers.loadavg()
        if "ours" not in trained:
            trained["ours"] = train_ours(workdir)
        if "stock" not in trained:
            trained["stock"] = train_stock(workdir, settings.stock_epochs)
        report["training"] = trained
        measured = bots(workdir, trained, settings)
        report["runs"] = []
        for number in range(settings.runs):
            order = measured if number % 2 == 0 else measured[::-1]
            records = {}
            for bot in order:
                print(f"run {number + 1}/{settings.runs}: {bot.name} (load {servers.loadavg()})", flush=True)
                records[bot.name] = measure(bot, settings, workdir / f"run{number + 1}")
            report["runs"].append(records)
    finally:
        for process in _cleanup:
            process.terminate()
            process.wait()
        _cleanup.clear()
    report["loadavg_end"] = servers.loadavg()
    report["summary"] = summarise(report)
    return report


METRICS = {
    # name: (how to read it from one bot's record, better when "higher"/"lower")
    "messages/s, concurrent senders": (lambda r: r["concurrent"]["messages_per_s"], "higher"),
    "p50 ms, concurrent senders": (lambda r: r["concurrent"]["p50_ms"], "lower"),
    "p95 ms, concurrent senders": (lambda r: r["concurrent"]["p95_ms"], "lower"),
    "p99 ms, concurrent senders": (lambda r: r["concurrent"]["p99_ms"], "lower"),
    "messages/s, 1 sender": (lambda r: r["single"]["messages_per_s"], "higher"),
    "p50 ms, 1 sender": (lambda r: r["single"]["p50_ms"], "lower"),
    "p95 ms, 1 sender": (lambda r: r["single"]["p95_ms"], "lower"),
    "p99 ms, 1 sender": (lambda r: r["single"]["p99_ms"], "lower"),
    "CPU ms per message, concurrent senders (all servers)": (
        lambda r: sum(r["concurrent"]["cpu_ms_per_message"].values()),
        "lower",
    ),
    "long conversation: last pass / first pass (median)": (
        lambda r: long_growth(r["long"]["per_turn_ms"], len(INTERVIEW))["ratio"],
        "lower",
    ),
    "long conversation: p50 ms, all turns": (lambda r: r["long"]["p50_ms"], "lower"),
    "peak RSS MB, Rasa": (lambda r: r["peak_rss_mb"].get("rasa"), "lower"),
    "peak RSS MB, action server": (lambda r: r["peak_rss_mb"].get("actions"), "lower"),
    "peak RSS MB, all servers": (lambda r: r["peak_rss_mb"]["all"], "lower"),
    "PSS MB at the end, all servers": (lambda r: r["pss_mb"]["all"], "lower"),
    "start to ready, s": (lambda r: r["ready_seconds"]["all"], "lower"),
    "start to ready, CPU s of the Rasa process": (lambda r: r["ready_cpu_seconds"]["rasa"], "lower"),
}


def _median(values: Sequence[Optional[float]]) -> Optional[float]:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def summarise(report: Dict[str, Any]) -> Dict[str, Any]:
    names = list(report["runs"][0])
    table: Dict[str, Dict[str, Any]] = {}
    for metric, (read, _) in METRICS.items():
        row: Dict[str, Any] = {name: _median([read(run[name]) for run in report["runs"]]) for name in names}
        for name in names:
            if name != "stock":
                ratios = [
                    read(run[name]) / read(run["stock"])
                    for run in report["runs"]
                    if read(run[name]) is not None and read(run["stock"])
                ]
                row[f"{name}/stock"] = _median(ratios)
        row["per_run"] = {name: [read(run[name]) for run in report["runs"]] for name in names}
        table[metric] = row
    training = {name: report["training"][name]["seconds"] for name in ("ours", "stock")}
    # Every configuration of this assistant serves the same model.
    row: Dict[str, Any] = {name: training["stock" if name == "stock" else "ours"] for name in names}
    for name in names:
        if name != "stock" and row[name] and row["stock"]:
            row[f"{name}/stock"] = row[name] / row["stock"]
    table["cold training, s"] = row
    loads = [
        value[0]
        for run in report["runs"]
        for record in run.values()
        for key, value in record["loadavg"].items()
        if key != "before"
    ]
    errors = {
        name: sum(run[name][s]["errors"] for run in report["runs"] for s in ("single", "concurrent", "long"))
        for name in names
    }
    empty = {
        name: sum(run[name][s]["empty_replies"] for run in report["runs"] for s in ("single", "concurrent", "long"))
        for name in names
    }
    return {
        "table": table,
        "targets": {name: targets(table, name) for name in names if name != "stock"},
        "load_1min": {"min": min(loads), "median": statistics.median(loads), "max": max(loads)},
        "errors": errors,
        "empty_replies": empty,
    }


def targets(table: Dict[str, Dict[str, Any]], name: str) -> List[Dict[str, Any]]:
    """The issue's targets for one of this assistant's configurations (``name``)."""

    def check(target: str, value: Optional[float], limit: float, higher: bool = False) -> Dict[str, Any]:
        met = None if value is None else (value >= limit if higher else value <= limit)
        return {"target": target, "value": value, "limit": limit, "met": met}

    ratio = f"{name}/stock"
    return [
        check(
            "messages/s at concurrent senders, ours/stock >= 2",
            table["messages/s, concurrent senders"].get(ratio),
            2.0,
            True,
        ),
        check("p95 at concurrent senders, ours/stock <= 0.5", table["p95 ms, concurrent senders"].get(ratio), 0.5),
        check("p50 with 1 sender, ours/stock <= 1", table["p50 ms, 1 sender"].get(ratio), 1.0),
        check("Rasa + action server peak RSS <= 1024 MB", table["peak RSS MB, all servers"][name], 1024),
        check("cold training <= 180 s", table["cold training, s"].get("ours"), 180),
        check("start to ready <= 15 s", table["start to ready, s"][name], 15),
        check(
            "long conversation, turn 200 / turn 10 <= 1.5",
            table["long conversation: last pass / first pass (median)"][name],
            1.5,
        ),
    ]


# -- report ----------------------------------------------------------------------------


def _fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.2f}" if abs(value) < 10 else f"{value:.0f}"
    return str(value)


def markdown(report: Dict[str, Any], plot_name: Optional[str] = None) -> str:
    summary = report["summary"]
    names = list(report["runs"][0])
    ratio_columns = [f"{name}/stock" for name in names if name != "stock"]
    machine = report["machine"]
    settings = report["settings"]
    load = summary["load_1min"]
    lines = [
        f"Run of {report['started']}: {settings['runs']} runs per bot, medians shown (per-run values in "
        f"the JSON). Machine: {machine['nproc']} cores ({machine['cpu']}), {machine['memory_gb']} GB memory, "
        f"Linux {machine['kernel']}; 1-minute load average during the measurements: "
        f"min {load['min']:.2f}, median {load['median']:.2f}, max {load['max']:.2f} (the machine is shared).",
        "",
        f"Script: the {len(report['script'])}-message interview of benchmarks/load.py "
        f"({settings['conversations']} interviews for one sender; {settings['senders']} senders × one interview; "
        f"{settings['long_turns']} turns in one conversation). Stock bot: `rasa init` project, default config"
        + (f", **{settings['stock_epochs']} epochs (smoke run)**" if settings["stock_epochs"] else "")
        + ", in-memory tracker store, no action server.",
        "",
        "| measure | " + " | ".join(names) + " | " + " | ".join(ratio_columns) + " |",
        "|---|" + "---:|" * (len(names) + len(ratio_columns)),
    ]
    for metric, row in summary["table"].items():
        cells = [_fmt(row.get(name)) for name in names] + [_fmt(row.get(column)) for column in ratio_columns]
        lines.append(f"| {metric} | " + " | ".join(cells) + " |")
    ours = [name for name in names if name != "stock"]
    lines += ["", "| target | " + " | ".join(ours) + " |", "|---|" + "---:|" * len(ours)]
    marks = {True: "yes", False: "**no**", None: "–"}
    for index, target in enumerate(summary["targets"][ours[0]]):
        cells = [summary["targets"][name][index] for name in ours]
        lines.append(
            f"| {target['target']} | " + " | ".join(f"{_fmt(c['value'])} {marks[c['met']]}" for c in cells) + " |"
        )
    lines += [
        "",
        "Errors (non-200 or no answer): "
        + ", ".join(f"{name} {count}" for name, count in summary["errors"].items())
        + "; answered with no message: "
        + ", ".join(f"{name} {count}" for name, count in summary["empty_replies"].items())
        + ".",
    ]
    if plot_name:
        lines += ["", f"![latency distribution and throughput]({plot_name})"]
    return "\n".join(lines)


def plot(report: Dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(report["runs"][0])
    colours = {"ours": "tab:blue", "stock": "tab:orange"}
    figure, axes = plt.subplots(2, 2, figsize=(11, 8))
    for axis, scenario, title in (
        (axes[0][0], "concurrent", f"latency, {report['settings']['senders']} senders (all runs)"),
        (axes[0][1], "single", "latency, 1 sender (all runs)"),
    ):
        for name in names:
            values = sorted(v for run in report["runs"] for v in run[name][scenario]["latencies_ms"])
            if values:
                share = [(i + 1) / len(values) for i in range(len(values))]
                axis.plot(values, share, label=name, color=colours.get(name))
        axis.set_xscale("log")
        axis.set_xlabel("ms per message (log scale)")
        axis.set_ylabel("share of messages answered within")
        axis.set_title(title)
        axis.grid(True, alpha=0.3)
        axis.legend()
    axis = axes[1][0]
    width = 0.8 / len(names)
    for index, name in enumerate(names):
        for position, scenario in enumerate(("single", "concurrent")):
            values = [run[name][scenario]["messages_per_s"] for run in report["runs"]]
            middle = statistics.median(values)
            axis.bar(
                position + index * width,
                middle,
                width,
                color=colours.get(name),
                yerr=[[middle - min(values)], [max(values) - middle]],
                label=name if position == 0 else None,
            )
    axis.set_xticks([0.4 - width / 2, 1.4 - width / 2], ["1 sender", f"{report['settings']['senders']} senders"])
    axis.set_ylabel("messages/s (median, bars: min-max of runs)")
    axis.set_title("throughput")
    axis.legend()
    axis = axes[1][1]
    for name in names:
        per_turn = [run[name]["long"]["per_turn_ms"] for run in report["runs"]]
        length = min(len(p) for p in per_turn)
        medians = [statistics.median(p[i] for p in per_turn) for i in range(length)]
        axis.plot(range(1, length + 1), medians, label=name, color=colours.get(name), linewidth=0.8)
    axis.set_xlabel("turn of one long conversation")
    axis.set_ylabel("ms (median of runs)")
    axis.set_title("long conversation")
    axis.grid(True, alpha=0.3)
    axis.legend()
    figure.suptitle(f"{report['started']}, load average median {report['summary']['load_1min']['median']:.1f}")
    figure.tight_layout()
    figure.savefig(path, dpi=90)
    plt.close(figure)


def write_docs(report: Dict[str, Any]) -> None:
    plot(report, PLOT)
    generated = markdown(report, PLOT.name)
    text = DOC.read_text() if DOC.exists() else f"# Performance\n\n{BEGIN}\n{END}\n"
    if BEGIN not in text:
        text += f"\n{BEGIN}\n{END}\n"
    text = re.sub(
        re.escape(BEGIN) + r".*?" + re.escape(END), lambda _: f"{BEGIN}\n{generated}\n{END}", text, flags=re.S
    )
    DOC.write_text(text)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="repetitions per bot (medians are reported)")
    parser.add_argument("--senders", type=int, default=20)
    parser.add_argument("--conversations", type=int, default=5, help="interviews for the one-sender figures")
    parser.add_argument("--long-turns", type=int, default=200)
    parser.add_argument("--workers", type=int, default=0, help="also measure SANIC_WORKERS=N with a Redis lock store")
    parser.add_argument("--stock-epochs", type=int, help="smoke runs only: fewer epochs for the stock bot")
    parser.add_argument("--ours-model", type=Path, help="use this trained model (cold training not measured)")
    parser.add_argument("--stock-model", type=Path, help="use this trained stock model (not measured)")
    parser.add_argument("--out", type=Path, default=ROOT / "results" / "bench")
    parser.add_argument("--docs", action="store_true", help="rewrite docs/performance.md's table and the plot")
    parser.add_argument("--keep", action="store_true", help="keep the working directory (logs, models)")
    args = parser.parse_args(argv)
    settings = Settings(args.runs, args.senders, args.conversations, args.long_turns, args.stock_epochs, args.workers)
    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        given = {
            name: {"model": str(path.resolve()), "seconds": None}
            for name, path in (("ours", args.ours_model), ("stock", args.stock_model))
            if path is not None
        }
        report = run(settings, workdir, given)
    finally:
        if args.keep:
            print(f"working directory kept: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (args.out / f"bench-{stamp}.json").write_text(json.dumps(report, indent=1))
    text = markdown(report)
    (args.out / f"bench-{stamp}.md").write_text(text + "\n")
    if args.docs:
        write_docs(report)
    print(text)
    print(f"\nwritten: {args.out}/bench-{stamp}.json" + (f", {DOC}, {PLOT}" if args.docs else ""))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    sys.exit(main())
