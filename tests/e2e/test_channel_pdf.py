"""On Telegram, the summary asked for ("send me a summary") also comes as a PDF document
(issue 27): the platform calls captured as in tests/e2e/test_channels.py."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from tests.e2e.test_channels import _ids, channel_env, platforms, served, telegram_say  # noqa: F401

pytestmark = pytest.mark.e2e


async def test_telegram_summary_comes_as_a_pdf_document(served, platforms):  # noqa: F811
    app, _ = served
    chat = 700000000 + next(_ids)
    await telegram_say(app, platforms, chat, "my lower back hurts")
    await telegram_say(app, platforms, chat, "send me a summary")
    texts = [fields["text"] for fields in platforms.telegram_calls("sendMessage")]
    assert any("Summary of your chat" in text for text in texts), texts
    (document,) = platforms.telegram_calls("sendDocument")
    assert document["chat_id"] == str(chat)
    pdf = document["document"].getvalue()
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Summary of your chat" in text and "not a diagnosis" in text, text
