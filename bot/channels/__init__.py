"""Messaging channel adapters (Telegram, Slack, Facebook Messenger).

``rendering`` is plain Python: how one bot reply (text + buttons) becomes messages a
platform accepts. ``connectors`` holds the thin Rasa input/output channel subclasses that
use it; they are named in credentials.yml by module path and read their secrets from the
environment (docs/channels.md). Importing this package does not import Rasa.
"""
