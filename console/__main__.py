"""The clinic console's commands (docs/console.md).

python -m console serve                 # CONSOLE_HOST:CONSOLE_PORT (127.0.0.1:8090)
python -m console user NAME ROLE        # password: the first line of standard input;
                                        # empty: one is generated and printed once
"""

from __future__ import annotations

import os
import secrets
import sys


def main(argv: list) -> int:
    if argv[:1] == ["serve"]:
        from aiohttp import web

        from console.app import make_app

        host = os.environ.get("CONSOLE_HOST") or "127.0.0.1"
        port = int(os.environ.get("CONSOLE_PORT") or 8090)
        web.run_app(make_app(), host=host, port=port, access_log=None, print=lambda *_: None)
        return 0
    if len(argv) == 3 and argv[0] == "user":
        from console.accounts import Accounts

        name, role = argv[1], argv[2]
        password = sys.stdin.readline().rstrip("\r\n")
        generated = not password
        if generated:
            password = secrets.token_urlsafe(18)
        try:
            Accounts().set_user(name, role, password)
        except ValueError as error:
            print(error, file=sys.stderr)
            return 2
        print(f"Account '{name}' ({role}) saved.")
        if generated:
            print(f"Password (shown once): {password}")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
