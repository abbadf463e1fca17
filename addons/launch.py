"""Starts ``rasa run`` with the HTTP API token read from the environment or a file.

Rasa takes the token only as ``--auth-token`` on its command line, where anyone on the
machine can read it (``ps``, /proc/<pid>/cmdline). scripts/server.sh runs
``python -m addons.launch <rasa run arguments>`` instead: the token comes from
``RASA_API_TOKEN`` or, when that is unset, from the file named by ``RASA_API_TOKEN_FILE``,
and is added to the arguments inside this process only. The log redaction
(``addons/privacy.py``) is installed before Rasa starts, so it covers start-up too, and so
are the per-message repairs of ``addons/rasa_server.py``, once every patch of the Rasa server
has been checked against the Rasa it was written for (``addons/patches.py``): if any differs,
the server refuses to start and says which.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import List, Optional


def read_token() -> Optional[str]:
    token = (os.environ.get("RASA_API_TOKEN") or "").strip()
    if token:
        return token
    path = (os.environ.get("RASA_API_TOKEN_FILE") or "").strip()
    if path and Path(path).is_file():
        return Path(path).read_text(encoding="utf-8").strip() or None
    return None


def main(argv: List[str]) -> None:
    if any(arg == "--auth-token" or arg.startswith("--auth-token=") for arg in argv):
        sys.exit("Give the token in RASA_API_TOKEN or RASA_API_TOKEN_FILE, not on the command line.")
    token = read_token()
    if not token:
        sys.exit("No HTTP API token: set RASA_API_TOKEN, or RASA_API_TOKEN_FILE to a file holding it.")
    os.environ.pop("RASA_API_TOKEN", None)  # not inherited by anything Rasa starts

    from addons import metrics

    metrics.prepare_multiprocess()  # before anything imports prometheus_client
    from addons import auth, patches, privacy, rasa_server

    auth.set_api_token(token)  # for the REST channel's "carries the API token" (addons/auth.py)
    refusal = auth.check_token_length(token)
    if refusal:
        sys.exit(refusal)

    try:
        patches.check("rasa")  # every patch of this server, before any is installed: all refusals at once
        privacy.install()
        rasa_server.prepare()
    except patches.PatchRefused as refused:
        sys.exit(str(refused))
    metrics.serve("METRICS_PORT")  # 127.0.0.1 only (addons/metrics.py)
    # One argument, not two: a token_urlsafe() token starts with "-" one time in 64, and
    # argparse then reads it as an option and refuses to start.
    sys.argv = ["rasa", "run", *argv, f"--auth-token={token}"]
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main(sys.argv[1:])
