"""The widget and demo page, privacy side, in a real browser (Debian's Chromium) against the
real servers: the conversation id kept per tab, "Start over" deleting the conversation on
the server (and said and retried when the server cannot do it yet), the demo page's
Content-Security-Policy, and ?server= honoured on this machine only."""

from __future__ import annotations

import sqlite3
import subprocess
import uuid
from pathlib import Path
from typing import Iterator, List

import pytest
import requests

from tests.support.stack import ROOT, Stack, wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

CHROMIUM = "/usr/bin/chromium"
TOKEN = f"widget-privacy-{uuid.uuid4().hex}"


@pytest.fixture(scope="module")
def stack(trained_model, tmp_path_factory) -> Iterator[Stack]:
    subprocess.run([str(ROOT / "web" / "build.sh")], check=True, cwd=ROOT)
    stack = Stack(workdir=tmp_path_factory.mktemp("widget-privacy"), token=TOKEN).start(with_web=True)
    yield stack
    stack.stop()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: run scripts/install-browser.sh (Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, stack):
    context = browser.new_context()
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    tab.on("dialog", lambda dialog: dialog.accept())  # "Start over?" -> yes
    tab.violations: List[str] = []  # type: ignore[attr-defined]
    tab.on("console", lambda m: "Content Security Policy" in m.text and tab.violations.append(m.text))
    yield tab
    context.close()


def open_demo(tab, stack: Stack, server: str) -> None:
    tab.goto(f"{stack.web_url}/?server={server}")
    tab.wait_for_function("window.BackpainWidget !== undefined")


def say(tab, text: str) -> None:
    before = tab.locator(".bpw-msg--bot").count()
    box = tab.get_by_role("textbox", name="Your message")
    box.fill(text)
    box.press("Enter")
    tab.wait_for_function(
        f"document.querySelector('#bpw-host').shadowRoot.querySelectorAll('.bpw-msg--bot').length > {before}"
    )


def user_texts(stack: Stack, conversation: str) -> List[str]:
    res = requests.get(
        f"{stack.rasa_url}/conversations/socketio:{conversation}/tracker", params={"token": TOKEN}, timeout=30
    )
    return [e["text"] for e in res.json()["events"] if e["event"] == "user"]


def stored_user_texts(stack: Stack, conversation: str) -> List[str]:
    """``user_texts`` once the turn is stored: the replies reach the page before it is."""
    wait_until(lambda: user_texts(stack, conversation), 30, every=0.2)
    return user_texts(stack, conversation)


def test_conversation_id_is_kept_per_tab_and_start_over_deletes_it_on_the_server(page, stack):
    open_demo(page, stack, stack.rasa_url)
    page.locator(".bpw-launcher").click()
    say(page, "my lower back hurts")
    session = page.evaluate("window.BackpainWidget.sessionId")
    assert len(session) == 32
    stored = page.evaluate("JSON.stringify(Object.assign({}, sessionStorage))")
    assert session in stored
    assert session not in page.evaluate("JSON.stringify(Object.assign({}, localStorage))")
    assert stored_user_texts(stack, session) == ["my lower back hurts"]

    page.get_by_role("button", name="Start over").click()
    page.get_by_role("button", name="Start again").click()  # the panel's own confirmation
    page.wait_for_function(f"window.BackpainWidget.sessionId !== '{session}'")
    page.wait_for_timeout(1500)
    assert user_texts(stack, session) == [], "the old conversation is still on the server"
    say(page, "hi")  # and the new conversation works
    assert page.evaluate("window.BackpainWidget.sessionId") != session
    assert page.violations == []  # type: ignore[attr-defined]


NOT_FORGOTTEN = "Your previous conversation could not be deleted from the server yet"


STATUS_TEXT = "document.querySelector('#bpw-host').shadowRoot.querySelector('.bpw-status').textContent"


def status_text(tab) -> str:
    return tab.evaluate(STATUS_TEXT)


def pending_deletions(tab) -> str:
    return tab.evaluate(
        "[sessionStorage, localStorage].map(s => Object.keys(s).filter(k => k.endsWith(':forget'))"
        ".map(k => s.getItem(k)).join('')).join('')"
    )


def start_over_while_the_store_is_locked(tab, stack: Stack) -> str:
    """Start over while another connection holds the conversation store's write lock, so the
    server's delete fails (SQLite: database is locked); returns the old conversation's id."""
    session = tab.evaluate("window.BackpainWidget.sessionId")
    assert stored_user_texts(stack, session), "the conversation was never stored"
    store = sqlite3.connect(stack.workdir / "tracker.db", timeout=30)
    try:
        store.execute("BEGIN EXCLUSIVE")
        tab.get_by_role("button", name="Start over").click()
        tab.get_by_role("button", name="Start again").click()
        tab.wait_for_function(
            f"{STATUS_TEXT}.startsWith({NOT_FORGOTTEN!r})",
            timeout=40_000,
        )
        assert session in pending_deletions(tab)
    finally:
        store.rollback()
        store.close()
    assert user_texts(stack, session) != [], "said not deleted, but it was"
    return session


def test_start_over_that_the_server_cannot_do_yet_is_said_and_retried(page, stack):
    open_demo(page, stack, stack.rasa_url)
    page.locator(".bpw-launcher").click()
    say(page, "my lower back hurts")
    first = start_over_while_the_store_is_locked(page, stack)

    # Connected: tried again on its own.
    page.wait_for_function(
        f"{STATUS_TEXT} === ''",
        timeout=40_000,
    )
    assert user_texts(stack, first) == [], "the old conversation is still on the server"
    assert pending_deletions(page) == ""
    say(page, "hi")
    current = page.evaluate("window.BackpainWidget.sessionId")
    assert current != first and stored_user_texts(stack, current) == ["hi"]

    # Gone before the retry: the next visit does it as it connects.
    second = start_over_while_the_store_is_locked(page, stack)
    assert second == current
    page.reload()
    page.wait_for_function("window.BackpainWidget !== undefined")  # the panel stays open
    say(page, "hello again")
    assert user_texts(stack, second) == [], "the old conversation is still on the server"
    assert pending_deletions(page) == "" and NOT_FORGOTTEN not in status_text(page)
    assert stored_user_texts(stack, page.evaluate("window.BackpainWidget.sessionId")) == ["hello again"]
    assert page.violations == []  # type: ignore[attr-defined]


def test_demo_page_has_a_content_security_policy(page, stack):
    open_demo(page, stack, stack.rasa_url)
    policy = page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
    assert "script-src 'self' 'unsafe-eval';" in policy and "object-src 'none'" in policy
    assert "connect-src 'self' http://localhost:*" in policy
    assert page.locator("script:not([src])").count() == 0, "inline scripts would need 'unsafe-inline'"


@pytest.mark.parametrize("server", ["http://192.0.2.10:5005", "https://assistant.example.org", "javascript:alert(1)"])
def test_server_override_is_only_honoured_on_this_machine(page, stack, server):
    open_demo(page, stack, server)  # the panel stays closed: nothing is contacted
    assert page.evaluate("window.BackpainWidget.options.serverUrl") != server.rstrip("/")
    assert "localhost" in page.evaluate("window.BackpainWidget.options.serverUrl")
