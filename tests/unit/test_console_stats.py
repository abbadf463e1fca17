"""The console's numbers from feed events (console/stats.py), without servers."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any, Dict, List

import sqlalchemy as sa

from console.stats import Conversation, Feed, summarise

DAY = datetime(2026, 3, 10, 9, 30).timestamp()


def user(text: str = "hi", at: float = DAY, intent: str = "greet", entities: Any = ()) -> Dict[str, Any]:
    return {
        "event": "user",
        "timestamp": at,
        "text": text,
        "parse_data": {"intent": {"name": intent}, "entities": list(entities)},
    }


def slot(name: str, value: Any) -> Dict[str, Any]:
    return {"event": "slot", "name": name, "value": value, "timestamp": DAY}


def conversation(sender: str, events: List[Dict[str, Any]]) -> Conversation:
    c = Conversation(sender)
    for event in events:
        c.add(event)
    return c


def test_the_highest_level_counts_and_every_level_is_reported():
    raised = conversation("a", [user(), slot("triage_level", "routine"), slot("triage_level", "emergency")])
    plain = conversation("b", [user(), slot("triage_level", "routine")])
    stats = summarise([raised, plain], date(2026, 3, 10), date(2026, 3, 10))
    assert stats["by_level"] == {"emergency": 1, "urgent": 0, "routine": 1}


def test_a_conversation_without_a_user_message_is_not_counted():
    silent = conversation("a", [{"event": "action", "name": "action_session_start", "timestamp": DAY}])
    assert summarise([silent], date(2026, 3, 1), date(2026, 3, 31))["conversations"] == 0


def test_dates_are_inclusive_local_days_of_the_first_message():
    c = conversation("a", [user(at=DAY), user(at=DAY + 3 * 86400)])
    assert summarise([c], date(2026, 3, 10), date(2026, 3, 10))["conversations"] == 1
    assert summarise([c], date(2026, 3, 11), date(2026, 3, 20))["conversations"] == 0
    assert summarise([c], date(2026, 3, 9), date(2026, 3, 9))["conversations"] == 0


def test_drop_off_is_the_last_question_of_an_unfinished_interview_without_an_emergency():
    started = [user(), {"event": "active_loop", "name": "symptom_form"}, slot("requested_slot", "pain_spreads")]
    stopped = conversation("a", [*started, slot("requested_slot", "age")])
    finished = conversation("b", [*started, {"event": "action", "name": "action_conclude_interview"}])
    emergency = conversation("c", [*started, slot("triage_level", "emergency")])
    stats = summarise([stopped, finished, emergency], date(2026, 3, 10), date(2026, 3, 10))
    assert {q["question"]: q["stopped"] for q in stats["dropoff"] if q["stopped"]} == {"age": 1}
    assert (stats["started_interview"], stats["finished"]) == (3, 1)


def test_topics_causes_flags_and_feedback():
    c = conversation(
        "a",
        [
            user("what is sciatica", intent="ask_condition", entities=[{"entity": "condition", "value": "sciatica"}]),
            user("can you help", intent="ask_help"),
            slot("red_flags", ["saddle_numbness"]),
            slot("possible_causes", ["herniated_disc"]),
            slot("feedback", "partly"),
        ],
    )
    stats = summarise([c], date(2026, 3, 10), date(2026, 3, 10))
    assert [t["topic"] for t in stats["topics"]] == ["sciatica", "ask_help"]
    assert [(f["id"], f["per_day"]) for f in stats["red_flags"]] == [("saddle_numbness", {"2026-03-10": 1})]
    assert [c["id"] for c in stats["causes"]] == ["herniated_disc"]
    assert stats["feedback"] == {"yes": 0, "partly": 1, "no": 0}


def test_the_feed_reads_new_rows_and_starts_again_after_a_deletion(tmp_path):
    feed = Feed(f"sqlite:///{tmp_path / 'events.db'}")

    def insert(sender: str, event: Dict[str, Any]) -> None:
        with feed.engine.begin() as connection:
            connection.execute(sa.insert(feed.table).values(sender_id=sender, data=json.dumps(event)))

    insert("a", user())
    insert("b", user())
    day = date(2026, 3, 10)
    assert feed.stats(day, day)["conversations"] == 2
    insert("c", user())
    assert feed.stats(day, day)["conversations"] == 3
    with feed.engine.begin() as connection:  # one deleted, one added: the same number of rows
        connection.execute(sa.delete(feed.table).where(feed.table.c.sender_id == "a"))
    insert("d", user(at=DAY + 86400))
    assert feed.stats(day, day)["conversations"] == 2
    assert feed.transcript("b") == [{"who": "person", "at": "2026-03-10T09:30:00", "text": "hi"}]
    assert feed.transcript("a") is None
