-- The clinic console's feed: its own database (addons/event_feed.py, docs/console.md).
CREATE DATABASE rasa_events OWNER rasa;
