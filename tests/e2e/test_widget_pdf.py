"""The widget's "Download PDF" (issue 27) in a real headless Chromium against the real stack:
the click downloads a PDF whose text holds the summary and "not a diagnosis"; the file comes
over the conversation's own socket, so no request the page makes has the conversation id in
its address (the test checks every request the page made; socket.io's own addresses carry
only its connection id)."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from tests.e2e.test_widget_browser import ARTIFACTS, BOT, Page, browser, stack, visitor  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

EMERGENCY = "i've lost control of my bladder and it's numb between my legs"


def test_download_pdf_next_to_save_or_print(visitor):  # noqa: F811
    page: Page = visitor().goto()
    urls: list = []
    page.page.on("request", lambda request: urls.append(request.url))
    page.open()
    before = page.page.locator(BOT).count()
    page.say(EMERGENCY)
    page.wait_for_new_bot_message(before, "to the emergency")
    page.wait_until_quiet()
    tools = page.page.locator(".bpw-tools button")
    tools.first.wait_for(state="visible")
    # The two ways to save, together in the header, on the device first (issue 26 review).
    assert tools.all_inner_texts() == ["Save or print", "Download PDF"]
    assert page.page.locator(".bpw-header .bpw-tools").count() == 1

    with page.page.expect_download() as info:
        page.page.get_by_role("button", name="Download PDF").click()
    download = info.value
    assert re.fullmatch(r"back-pain-summary-\d{4}-\d{2}-\d{2}\.pdf", download.suggested_filename)
    path = ARTIFACTS / "widget-summary.pdf"
    download.save_as(str(path))
    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(data)).pages)
    assert text.startswith("IMPORTANT:"), text  # the emergency instruction first
    assert "not a diagnosis" in text and "Summary of your chat" in text, text
    session = page.session_id()
    assert not [url for url in urls if session in url], "no address holds the conversation id"
