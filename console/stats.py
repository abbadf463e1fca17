"""The console's numbers, from the feed (Rasa's SQL event broker, addons/event_feed.py).

Each conversation (one sender id) is summed up once from its events; a date range picks
the conversations whose first user message fell on those local dates (inclusive).
Nothing here keeps message text: transcripts are read on demand (``transcript``).
"""

from __future__ import annotations

import json
import os
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Dict, Iterable, List, Optional, Set

import sqlalchemy as sa

from bot.contract import (
    EMERGENCY,
    FEEDBACK,
    POSSIBLE_CAUSES,
    QUESTION_INTENTS,
    QUESTIONS,
    RED_FLAGS,
    REQUESTED_SLOT,
    ROUTINE,
    SYMPTOM_FORM,
    TRIAGE_LEVEL,
    TRIAGE_LEVELS,
    URGENT,
)

CONCLUDE = "action_conclude_interview"  # the interview's result (actions/interview.py)
TOPIC_ENTITIES = ("condition", "treatment", "anatomy_topic")
FEEDBACK_ANSWERS = ("yes", "partly", "no")


@dataclass
class Conversation:
    sender_id: str
    first_user: Optional[float] = None  # timestamp of the first user message
    user_messages: int = 0
    level: int = -1  # highest index in TRIAGE_LEVELS reached
    red_flags: Set[str] = field(default_factory=set)
    causes: List[str] = field(default_factory=list)
    started: bool = False  # the interview began
    finished: bool = False  # the interview's result was given
    last_question: Optional[str] = None
    topics: List[str] = field(default_factory=list)
    feedback: Optional[str] = None

    def add(self, event: Dict[str, Any]) -> None:
        kind = event.get("event")
        if kind == "user":
            self.user_messages += 1
            if self.first_user is None:
                self.first_user = float(event.get("timestamp") or 0)
            parse = event.get("parse_data") or {}
            intent = (parse.get("intent") or {}).get("name")
            if intent in QUESTION_INTENTS:
                values = [e.get("value") for e in parse.get("entities") or [] if e.get("entity") in TOPIC_ENTITIES]
                self.topics.extend([str(v) for v in values if v] or [intent])
        elif kind == "slot":
            name, value = event.get("name"), event.get("value")
            if name == TRIAGE_LEVEL and value in TRIAGE_LEVELS:
                self.level = max(self.level, TRIAGE_LEVELS.index(value))
            elif name == RED_FLAGS and isinstance(value, list):
                self.red_flags.update(str(v) for v in value)
            elif name == POSSIBLE_CAUSES and isinstance(value, list):
                self.causes = [str(v) for v in value]
            elif name == REQUESTED_SLOT and value in QUESTIONS:
                self.last_question = value
            elif name == FEEDBACK and value in FEEDBACK_ANSWERS:
                self.feedback = value
        elif kind == "active_loop" and event.get("name") == SYMPTOM_FORM:
            self.started = True
        elif kind == "action" and event.get("name") == CONCLUDE:
            self.finished = True

    @property
    def level_name(self) -> str:
        return TRIAGE_LEVELS[self.level] if self.level >= 0 else ROUTINE

    @property
    def day(self) -> Optional[date]:
        return datetime.fromtimestamp(self.first_user).date() if self.first_user is not None else None


def summarise(conversations: Iterable[Conversation], start: date, end: date) -> Dict[str, Any]:
    """The numbers for the conversations (with a user message) begun from ``start`` to ``end``."""
    chosen = [c for c in conversations if c.day is not None and start <= c.day <= end]
    days: Dict[str, Dict[str, int]] = {}
    day = start
    while day <= end and len(days) < 3660:
        days[day.isoformat()] = {"conversations": 0, "finished": 0, EMERGENCY: 0, URGENT: 0, ROUTINE: 0}
        day += timedelta(days=1)
    by_level = {EMERGENCY: 0, URGENT: 0, ROUTINE: 0}
    flags: Dict[str, Counter] = {}
    causes: Counter = Counter()
    topics: Counter = Counter()
    stopped: Counter = Counter()
    feedback = {answer: 0 for answer in FEEDBACK_ANSWERS}
    for c in chosen:
        day_name = str(c.day)  # chosen conversations have a day (YYYY-MM-DD)
        row = days.setdefault(day_name, {"conversations": 0, "finished": 0, EMERGENCY: 0, URGENT: 0, ROUTINE: 0})
        row["conversations"] += 1
        row["finished"] += c.finished
        row[c.level_name] += 1
        by_level[c.level_name] += 1
        for flag in c.red_flags:
            flags.setdefault(flag, Counter())[day_name] += 1
        causes.update(set(c.causes))
        topics.update(list(dict.fromkeys(c.topics)))  # once per conversation, in the order asked
        if c.started and not c.finished and c.level_name != EMERGENCY and c.last_question:
            stopped[c.last_question] += 1
        if c.feedback:
            feedback[c.feedback] += 1
    names = _names()
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "conversations": len(chosen),
        "started_interview": sum(c.started for c in chosen),
        "finished": sum(c.finished for c in chosen),
        "by_level": by_level,
        "per_day": [{"date": d, **row} for d, row in sorted(days.items())],
        "dropoff": [{"question": q, "stopped": stopped[q]} for q in QUESTIONS],
        "red_flags": sorted(
            (
                {"id": f, "name": names["flags"].get(f, f), "count": sum(n.values()), "per_day": dict(n)}
                for f, n in flags.items()
            ),
            key=lambda item: (-item["count"], item["id"]),
        ),
        "causes": [{"id": k, "name": names["causes"].get(k, k), "count": n} for k, n in causes.most_common()],
        "topics": [{"topic": k, "count": n} for k, n in topics.most_common(20)],
        "feedback": feedback,
    }


def _names() -> Dict[str, Dict[str, str]]:
    from bot.content import get_content

    content = get_content()
    return {
        "flags": {k: v.name for k, v in content.red_flags.items()},
        "causes": {k: v.name for k, v in content.conditions.items()},
    }


def events_url() -> str:
    """The feed's database: EVENTS_DB_URL (e.g. PostgreSQL), else the SQLite file EVENTS_DB."""
    url = os.environ.get("EVENTS_DB_URL")
    if url:
        return url
    return "sqlite:///" + os.environ.get("EVENTS_DB", "var/events.db")


class Feed:
    """Reads the feed's new rows on every call (so the numbers are current), and everything
    again when rows went away (a deletion or a purge)."""

    def __init__(self, url: Optional[str] = None) -> None:
        self.engine = sa.create_engine(url or events_url(), pool_pre_ping=True)  # survives a database restart
        self.table = sa.Table(
            "events",
            sa.MetaData(),
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("sender_id", sa.String(255)),
            sa.Column("data", sa.Text),
        )
        self.table.metadata.create_all(self.engine)
        self.conversations: Dict[str, Conversation] = {}
        self.last_id = 0
        self.rows = 0
        self.lock = threading.Lock()

    def refresh(self) -> Dict[str, Conversation]:
        with self.lock, self.engine.connect() as connection:
            # Rows already read that are gone (a deletion or a purge): read everything again.
            read = sa.select(sa.func.count()).select_from(self.table).where(self.table.c.id <= self.last_id)
            if connection.execute(read).scalar() != self.rows:
                self.conversations, self.last_id, self.rows = {}, 0, 0
            query = sa.select(self.table).where(self.table.c.id > self.last_id).order_by(self.table.c.id)
            for row in connection.execute(query):
                event = json.loads(row.data)
                conversation = self.conversations.get(row.sender_id)
                if conversation is None:
                    conversation = self.conversations[row.sender_id] = Conversation(row.sender_id)
                conversation.add(event)
                self.last_id = row.id
                self.rows += 1
        return self.conversations

    def stats(self, start: date, end: date) -> Dict[str, Any]:
        return summarise(list(self.refresh().values()), start, end)

    def listing(self, start: date, end: date) -> List[Dict[str, Any]]:
        """The conversations begun in the range, without any text (for opening one)."""
        chosen = [c for c in self.refresh().values() if c.day is not None and start <= c.day <= end]
        return [
            {
                "id": c.sender_id,
                "started": datetime.fromtimestamp(c.first_user or 0).isoformat(timespec="minutes"),
                "level": c.level_name,
                "finished": c.finished,
                "messages": c.user_messages,
            }
            for c in sorted(chosen, key=lambda c: -(c.first_user or 0))
        ]

    def transcript(self, sender_id: str) -> Optional[List[Dict[str, Any]]]:
        """One conversation's messages as stored (redacted), oldest first; None if unknown."""
        query = sa.select(self.table.c.data).where(self.table.c.sender_id == sender_id).order_by(self.table.c.id)
        with self.engine.connect() as connection:
            events = [json.loads(data) for (data,) in connection.execute(query)]
        if not events:
            return None
        return [
            {
                "who": "person" if e["event"] == "user" else "assistant",
                "at": datetime.fromtimestamp(float(e.get("timestamp") or 0)).isoformat(timespec="seconds"),
                "text": e.get("text") or "",
            }
            for e in events
            if e.get("event") in ("user", "bot") and e.get("text")
        ]
