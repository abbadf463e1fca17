"""Custom actions: read the tracker, call bot/, speak. Nothing clinical lives here."""

from actions import answers, interview, offers, screening, summary  # noqa: F401  (registers the actions)
from bot.nlp import analyse

# The language pipeline is built when the action server starts, not inside the first request:
# built there it took longer than the action timeout on a loaded 2-core CI machine (the
# result of a conversation was lost, CI on acbdb3d).
analyse("")
