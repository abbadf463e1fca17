"""The widget's "Download PDF" (issue 27): the summary as a PDF, over the conversation's own
socket. The widget emits ``summary_pdf`` and gets the file's bytes back as the event's
acknowledgement (socket.io carries them as a binary attachment); it never asks a URL, so no
address anywhere holds the conversation id. Only the session the socket was confirmed can be
read (addons/channels/socketio.py)."""

from __future__ import annotations

import logging
from typing import Any, Dict, Optional, Text

from socketio import AsyncServer

from addons.channels.keys import store_key
from bot.handoff.pdf import summary_pdf
from bot.settings import get_settings

logger = logging.getLogger(__name__)
PDF_EVENT = "summary_pdf"


async def conversation_pdf(agent: Any, sender_id: Text) -> Optional[bytes]:
    tracker = await agent.tracker_store.retrieve(sender_id)
    if tracker is None:
        return None
    return summary_pdf(tracker.current_slot_values(), get_settings().clinic_name)


def register_summary_pdf(sio: AsyncServer, namespace: Optional[Text], sessions: Dict[Text, Text], state: Dict) -> None:
    @sio.on(PDF_EVENT, namespace=namespace)
    async def pdf(sid: Text, _data: Any = None) -> Any:
        sender_id = sessions.get(sid)
        app = state.get("app")
        agent = getattr(getattr(app, "ctx", None), "agent", None) if app else None
        if not sender_id or agent is None:
            return {"error": "no conversation"}
        try:
            # The store keys widget conversations by channel (addons/channels/keys.py).
            made = await conversation_pdf(agent, store_key("socketio", sender_id))
        except Exception:  # the store down: say so rather than nothing
            logger.exception("socket.io: could not make the summary PDF.")
            return {"error": "unavailable"}
        return made if made is not None else {"error": "no conversation"}
