"""Staff accounts, sessions and the transcript audit log, in the console's own SQLite file
(``CONSOLE_DB``, var/console.db, readable by its owner only).

Named individuals only; passwords hashed with argon2 (argon2-cffi). Roles: ``viewer``
(the numbers), ``clinician`` (may also open one redacted transcript), ``admin`` (may also
read the audit log). A session is a random token in a cookie, stored hashed, with an expiry
and its own CSRF token; failed logins are throttled per name and per address.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import sqlite3
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from pathlib import Path
from typing import Deque, Dict, List, Optional

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

ROLES = ("viewer", "clinician", "admin")
SESSION_SECONDS = int(os.environ.get("CONSOLE_SESSION_MINUTES") or 480) * 60
# Failed logins within the window that block further tries for a name, or from an address.
MAX_FAILURES = {"name": 5, "address": 20}
FAILURE_WINDOW = 15 * 60

_hasher = PasswordHasher()
# Verified against when the name is unknown, so both cases take the same time.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))

SCHEMA = """
create table if not exists users (name text primary key, role text not null, hash text not null, created real not null);
create table if not exists sessions (token text primary key, name text not null, csrf text not null, expires real not null);
create table if not exists audit (id integer primary key, at real not null, name text not null, conversation text not null);
"""


@dataclass(frozen=True)
class Session:
    name: str
    role: str
    csrf: str
    expires: float


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Accounts:
    def __init__(self, path: Optional[str] = None) -> None:
        self.path = Path(path or os.environ.get("CONSOLE_DB") or "var/console.db")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        old_umask = os.umask(0o077)
        try:
            with self._db() as db:
                db.executescript(SCHEMA)
        finally:
            os.umask(old_umask)
        os.chmod(self.path, 0o600)
        self.failures: Dict[str, Deque[float]] = defaultdict(deque)

    def _db(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path, timeout=10)
        connection.row_factory = sqlite3.Row
        return connection

    # ------------------------------------------------------------------ accounts
    def set_user(self, name: str, role: str, password: str) -> None:
        if role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}")
        if not name or not name.replace(".", "").replace("-", "").replace("_", "").isalnum():
            raise ValueError("a login is letters, digits, '.', '-' or '_'")
        if len(password) < 12:
            raise ValueError("a password has at least 12 characters")
        with self._db() as db:
            db.execute(
                "insert into users (name, role, hash, created) values (?, ?, ?, ?) "
                "on conflict(name) do update set role = excluded.role, hash = excluded.hash",
                (name, role, _hasher.hash(password), time.time()),
            )
            db.execute("delete from sessions where name = ?", (name,))

    # ------------------------------------------------------------------ logins
    def throttled(self, *keys: str) -> bool:
        now = time.monotonic()
        for key in keys:
            tries = self.failures[key]
            while tries and now - tries[0] > FAILURE_WINDOW:
                tries.popleft()
            if len(tries) >= MAX_FAILURES[key.split(":", 1)[0]]:
                return True
        return False

    def login(self, name: str, password: str, address: str) -> Optional[str]:
        """A new session token, or None (wrong name or password)."""
        with self._db() as db:
            row = db.execute("select hash from users where name = ?", (name,)).fetchone()
        try:
            _hasher.verify(row["hash"] if row else _DUMMY_HASH, password)
            ok = row is not None
        except (VerificationError, InvalidHashError):
            ok = False
        if not ok:
            now = time.monotonic()
            self.failures["name:" + name].append(now)
            self.failures["address:" + address].append(now)
            return None
        token = secrets.token_urlsafe(32)
        with self._db() as db:
            db.execute("delete from sessions where expires < ?", (time.time(),))
            db.execute(
                "insert into sessions values (?, ?, ?, ?)",
                (_digest(token), name, secrets.token_urlsafe(24), time.time() + SESSION_SECONDS),
            )
        return token

    def session(self, token: Optional[str]) -> Optional[Session]:
        if not token:
            return None
        with self._db() as db:
            row = db.execute(
                "select s.name, u.role, s.csrf, s.expires from sessions s join users u on u.name = s.name "
                "where s.token = ? and s.expires > ?",
                (_digest(token), time.time()),
            ).fetchone()
        return Session(row["name"], row["role"], row["csrf"], row["expires"]) if row else None

    def logout(self, token: str) -> None:
        with self._db() as db:
            db.execute("delete from sessions where token = ?", (_digest(token),))

    # ------------------------------------------------------------------ audit
    def audit(self, name: str, conversation: str) -> None:
        with self._db() as db:
            db.execute("insert into audit (at, name, conversation) values (?, ?, ?)", (time.time(), name, conversation))

    def audit_log(self, limit: int = 500) -> List[Dict[str, object]]:
        with self._db() as db:
            rows = db.execute("select at, name, conversation from audit order by id desc limit ?", (limit,)).fetchall()
        return [{"at": r["at"], "who": r["name"], "conversation": r["conversation"]} for r in rows]
