"""The hand-off's outbox: a consented Bundle is kept until the clinic's server has it.

- **persistent**: a table in SQLite (``var/handoff.db``) or any database SQLAlchemy reaches
  (``HANDOFF_OUTBOX_URL``, e.g. the cluster's PostgreSQL); a restart loses nothing;
- **encrypted at rest**: the Bundle (answers and contact details) is stored encrypted with
  Fernet (``HANDOFF_OUTBOX_KEY``; without it a key file next to the SQLite database, made
  readable by its owner only; several replicas need the same key in the environment), and
  deleted once delivered, refused or given up: what stays is the consent id and the times;
- **delivery**: POST ``application/fhir+json`` to ``HANDOFF_FHIR_URL`` exactly as given,
  ``Authorization: Bearer $HANDOFF_FHIR_TOKEN`` when set; 2xx is done; 408, 429, 5xx, a
  timeout or no connection is retried (the first retry within 30 s, then doubling up to an
  hour, for 48 hours); any other 4xx is logged and given up (the person is told when it
  happens while they are there);
- **one delivery per consent**: the consent id is the primary key (a second add is a no-op)
  and a row is claimed with one conditional UPDATE before each attempt (a lease), so
  replicas and workers never send the same row at once. A process that dies between the
  receiver's 2xx and marking the row sends it again after the lease: the same Bundle with the
  same ``Bundle.identifier``, which the receiver can drop (docs/handoff.md).

Never logged: the Bundle, the contact details, the token.
"""

from __future__ import annotations

import json
import logging
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

import requests
import sqlalchemy as sa
from cryptography.fernet import Fernet

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DB = ROOT / "var" / "handoff.db"
FIRST_RETRY = 15.0  # seconds: the first retry comes within 30 s
MAX_RETRY = 3600.0
GIVE_UP_AFTER = 48 * 3600.0
LEASE = 120.0  # a claimed row is left alone this long (well over one attempt's timeout)
DEFAULT_TIMEOUT = 5.0
KEEP_DONE = 30 * 86400.0  # the consent ids of finished rows, for the record, then purged
CONTENT_TYPE = "application/fhir+json"

PENDING, DELIVERED, REFUSED, EXPIRED = "pending", "delivered", "refused", "expired"
SENT, QUEUED = "sent", "queued"  # what the person is told besides REFUSED


class HandoffConfigError(RuntimeError):
    """The deployment's hand-off settings are incomplete (a start-up error)."""


@dataclass(frozen=True)
class Config:
    url: str
    clinic_name: str
    token: str
    database: str
    key: str
    timeout: float

    @classmethod
    def from_env(cls) -> "Config":
        env = os.environ.get
        return cls(
            url=env("HANDOFF_FHIR_URL", "").strip(),
            clinic_name=env("CLINIC_NAME", "").strip(),
            token=env("HANDOFF_FHIR_TOKEN", "").strip(),
            database=env("HANDOFF_OUTBOX_URL", "").strip() or f"sqlite:///{DEFAULT_DB}",
            key=env("HANDOFF_OUTBOX_KEY", "").strip(),
            timeout=float(env("HANDOFF_TIMEOUT") or DEFAULT_TIMEOUT),
        )

    def check(self) -> None:
        if self.url and not self.clinic_name:
            raise HandoffConfigError(
                "HANDOFF_FHIR_URL is set but CLINIC_NAME is not: the person must be told who gets it."
            )
        if self.url and not self.url.startswith("https://") and not _is_local(self.url):
            logger.warning("HANDOFF_FHIR_URL is not https: the summary would cross the network unencrypted.")


def _is_local(url: str) -> bool:
    return any(url.startswith(f"http://{host}") for host in ("localhost", "127.0.0.1", "[::1]"))


def retry_delay(attempts: int) -> float:
    """Seconds before the next try after ``attempts`` failed ones: 15, 30, 60 ... up to an hour."""
    return min(MAX_RETRY, FIRST_RETRY * 2 ** max(0, attempts - 1))


def retryable(status: Optional[int]) -> bool:
    """None: a timeout or no connection."""
    return status is None or status in (408, 429) or status >= 500


Post = Callable[[str, bytes, Dict[str, str], float], int]


def http_post(url: str, body: bytes, headers: Dict[str, str], timeout: float) -> int:
    return requests.post(url, data=body, headers=headers, timeout=timeout, allow_redirects=False).status_code


def _key_from_file(database: str) -> str:
    url = sa.engine.make_url(database)
    if url.get_backend_name() != "sqlite" or not url.database:
        raise HandoffConfigError("HANDOFF_OUTBOX_KEY is needed with a shared outbox database (Fernet.generate_key()).")
    path = Path(url.database).with_suffix(".key")
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(Fernet.generate_key())
    return path.read_text().strip()


SCHEMA = """
CREATE TABLE IF NOT EXISTS handoff_outbox (
    consent_id VARCHAR(64) PRIMARY KEY,
    payload TEXT,
    status VARCHAR(16) NOT NULL,
    created DOUBLE PRECISION NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt DOUBLE PRECISION NOT NULL,
    lease_until DOUBLE PRECISION,
    claimed_by VARCHAR(64),
    last_status INTEGER,
    finished DOUBLE PRECISION
)
"""


class Outbox:
    def __init__(self, config: Config, post: Post = http_post, clock: Callable[[], float] = time.time):
        self.config = config
        self.post = post
        self.clock = clock
        self.worker = uuid.uuid4().hex
        url = sa.engine.make_url(config.database)
        if url.get_backend_name() == "sqlite" and url.database:
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        self.engine = sa.create_engine(config.database, future=True, pool_pre_ping=True)  # survives a database restart
        with self.engine.begin() as db:
            db.execute(sa.text(SCHEMA))
        if url.get_backend_name() == "sqlite" and url.database:
            os.chmod(url.database, 0o600)
        self.fernet = Fernet((config.key or _key_from_file(config.database)).encode())

    # ------------------------------------------------------------------ writing
    def add(self, consent: str, bundle: Dict[str, Any]) -> bool:
        """Keeps a consented Bundle; False when this consent is already in the outbox."""
        payload = self.fernet.encrypt(json.dumps(bundle, separators=(",", ":")).encode()).decode()
        now = self.clock()
        try:
            with self.engine.begin() as db:
                db.execute(
                    sa.text(
                        "INSERT INTO handoff_outbox (consent_id, payload, status, created, attempts, next_attempt) "
                        "VALUES (:id, :payload, :status, :now, 0, :now)"
                    ),
                    {"id": consent, "payload": payload, "status": PENDING, "now": now},
                )
        except sa.exc.IntegrityError:
            return False
        return True

    def _claim(self, consent: str) -> bool:
        now = self.clock()
        with self.engine.begin() as db:
            claimed = db.execute(
                sa.text(
                    "UPDATE handoff_outbox SET lease_until = :lease, claimed_by = :me "
                    "WHERE consent_id = :id AND status = :pending AND next_attempt <= :now "
                    "AND (lease_until IS NULL OR lease_until < :now)"
                ),
                {"lease": now + LEASE, "me": self.worker, "id": consent, "pending": PENDING, "now": now},
            )
            return claimed.rowcount == 1

    def _finish(self, consent: str, status: str, last_status: Optional[int]) -> None:
        with self.engine.begin() as db:
            db.execute(
                sa.text(
                    "UPDATE handoff_outbox SET status = :status, payload = NULL, finished = :now, "
                    "last_status = :code, attempts = attempts + 1, lease_until = NULL "
                    "WHERE consent_id = :id AND claimed_by = :me"
                ),
                {"status": status, "now": self.clock(), "code": last_status, "id": consent, "me": self.worker},
            )

    def _later(self, consent: str, attempts: int, created: float, last_status: Optional[int]) -> str:
        now = self.clock()
        if now - created >= GIVE_UP_AFTER:
            logger.error("Hand-off %s given up after %d attempts over 48 hours.", consent, attempts)
            self._finish(consent, EXPIRED, last_status)
            return EXPIRED
        with self.engine.begin() as db:
            db.execute(
                sa.text(
                    "UPDATE handoff_outbox SET attempts = :attempts, next_attempt = :next, last_status = :code, "
                    "lease_until = NULL WHERE consent_id = :id AND claimed_by = :me"
                ),
                {
                    "attempts": attempts,
                    "next": now + retry_delay(attempts),
                    "code": last_status,
                    "id": consent,
                    "me": self.worker,
                },
            )
        return PENDING

    # ------------------------------------------------------------------ delivering
    def deliver(self, consent: str) -> str:
        """One attempt at one row, if it is due and no one else holds it: its status after."""
        if not self._claim(consent):
            return self.status(consent) or PENDING
        with self.engine.connect() as db:
            row = db.execute(
                sa.text("SELECT payload, attempts, created FROM handoff_outbox WHERE consent_id = :id"), {"id": consent}
            ).one()
        headers = {"Content-Type": CONTENT_TYPE, "Accept": CONTENT_TYPE}
        if self.config.token:
            headers["Authorization"] = f"Bearer {self.config.token}"
        code: Optional[int]
        try:
            code = self.post(self.config.url, self.fernet.decrypt(row.payload.encode()), headers, self.config.timeout)
        except requests.RequestException as error:
            code = None
            logger.warning("Hand-off %s: the clinic's server did not answer (%s).", consent, type(error).__name__)
        if code is not None and 200 <= code < 300:
            self._finish(consent, DELIVERED, code)
            logger.info("Hand-off %s delivered (HTTP %d).", consent, code)
            return DELIVERED
        if retryable(code):
            if code is not None:
                logger.warning("Hand-off %s: the clinic's server answered HTTP %d; retrying later.", consent, code)
            return self._later(consent, row.attempts + 1, row.created, code)
        logger.error("Hand-off %s refused by the clinic's server (HTTP %s): not retried.", consent, code)
        self._finish(consent, REFUSED, code)
        return REFUSED

    def due(self, limit: int = 20) -> List[str]:
        now = self.clock()
        with self.engine.connect() as db:
            rows = db.execute(
                sa.text(
                    "SELECT consent_id FROM handoff_outbox WHERE status = :pending AND next_attempt <= :now "
                    "AND (lease_until IS NULL OR lease_until < :now) ORDER BY next_attempt LIMIT :limit"
                ),
                {"pending": PENDING, "now": now, "limit": limit},
            )
            return [r.consent_id for r in rows]

    def run_due(self) -> int:
        """Tries every row that is due (the worker's one round); returns how many were tried."""
        tried = 0
        for consent in self.due():
            self.deliver(consent)
            tried += 1
        self.purge()
        return tried

    def purge(self) -> int:
        """Forgets finished rows (consent id and times only) after KEEP_DONE."""
        with self.engine.begin() as db:
            done = db.execute(
                sa.text("DELETE FROM handoff_outbox WHERE status != :pending AND finished < :cutoff"),
                {"pending": PENDING, "cutoff": self.clock() - KEEP_DONE},
            )
            return int(done.rowcount or 0)

    def status(self, consent: str) -> Optional[str]:
        with self.engine.connect() as db:
            return db.execute(
                sa.text("SELECT status FROM handoff_outbox WHERE consent_id = :id"), {"id": consent}
            ).scalar()

    def rows(self) -> List[Dict[str, Any]]:
        """Every row as stored (for tests and operators): the payload stays encrypted."""
        with self.engine.connect() as db:
            return [dict(r._mapping) for r in db.execute(sa.text("SELECT * FROM handoff_outbox"))]


def told(status: str) -> str:
    """What the person is told after the first attempt: sent, queued (will be sent when the
    clinic's system is back) or refused."""
    return SENT if status == DELIVERED else REFUSED if status in (REFUSED, EXPIRED) else QUEUED
