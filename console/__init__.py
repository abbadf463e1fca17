"""The clinic console: usage, triage, drop-off and feedback for the clinic (docs/console.md)."""
