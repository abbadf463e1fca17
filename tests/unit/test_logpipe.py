"""scripts/logpipe.py: server logs rotate, and every file is readable by its owner only."""

import os
import stat
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_logs_rotate_and_are_private(tmp_path):
    log = tmp_path / "rasa.log"
    lines = "".join(f"line {n:05d} " + "x" * 80 + "\n" for n in range(200)).encode()
    env = {**os.environ, "LOG_MAX_BYTES": "4000", "LOG_BACKUPS": "3"}
    subprocess.run([sys.executable, str(ROOT / "scripts" / "logpipe.py"), str(log)], input=lines, env=env, check=True)
    files = sorted(tmp_path.iterdir())
    assert [f.name for f in files] == ["rasa.log", "rasa.log.1", "rasa.log.2", "rasa.log.3"]
    for path in files:
        assert path.stat().st_size <= 4000
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert log.read_text().splitlines()[-1].startswith("line 00199")
