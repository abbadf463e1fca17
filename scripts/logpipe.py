"""Copies standard input to a log file that rotates (scripts/serve.sh pipes each server into one).

    python scripts/logpipe.py var/log/rasa.log

The file is rotated at LOG_MAX_BYTES (default 10 MB), keeping LOG_BACKUPS old files
(default 5: rasa.log.1 ... rasa.log.5), and is created readable by its owner only.
Standard library only: it must start instantly and never fail because of the project.
"""

import os
import sys
from logging.handlers import RotatingFileHandler


def main(path: str) -> None:
    os.umask(0o077)
    max_bytes = int(os.environ.get("LOG_MAX_BYTES") or 10_000_000)
    backups = int(os.environ.get("LOG_BACKUPS") or 5)
    handler = RotatingFileHandler(path, maxBytes=max_bytes, backupCount=backups, encoding="utf-8")
    os.chmod(path, 0o600)
    stream = sys.stdin.buffer
    for raw in iter(stream.readline, b""):
        line = raw.decode("utf-8", errors="replace").rstrip("\n")
        record = _Record(line)
        if handler.shouldRollover(record):
            handler.doRollover()
            os.chmod(path, 0o600)
        handler.stream.write(line + "\n")
        handler.stream.flush()


class _Record:
    """What RotatingFileHandler.shouldRollover looks at."""

    def __init__(self, line: str) -> None:
        self.msg, self.args, self.exc_info, self.exc_text, self.stack_info = line, None, None, None, None

    def getMessage(self) -> str:  # noqa: N802
        return self.msg


if __name__ == "__main__":
    main(sys.argv[1])
