"""Python imports this at start-up when benchmarks/profile_turn.py puts this directory on
PYTHONPATH for a server it starts: it installs the step timers of benchmarks/profile_hooks.py.
Without BENCH_PROFILE_OUT it does nothing."""

import os

if os.environ.get("BENCH_PROFILE_OUT"):
    from benchmarks import profile_hooks

    profile_hooks.install(os.environ["BENCH_PROFILE_OUT"], os.environ.get("BENCH_PROFILE_SIDE", "rasa"))
