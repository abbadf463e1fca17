"""Custom actions: read the tracker, call bot/, speak. Nothing clinical lives here."""

from actions import answers, interview, offers, screening, summary  # noqa: F401  (registers the actions)
