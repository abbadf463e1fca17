"""The chat widget (web/widget.js) in a real headless Chromium against the real stack.

``Stack`` starts the action server, Rasa (socket.io + REST, the trained model) and the
demo page (web/ served by ``python -m http.server``) on free ports; the demo page is
opened as ``{web_url}/?server={rasa_url}``, so page and assistant are on different
origins, as on a clinic's site. Playwright drives Debian's Chromium (scripts/install-browser.sh);
no browser is downloaded. Screenshots go to test-artifacts/ (git-ignored).

Also here: the CORS / Origin behaviour of the socket.io endpoint (docs/widget.md, "CORS").
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Dict, Iterator, List, Optional

import pytest
import yaml

from tests.support.stack import ROOT, Stack, free_port

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = ROOT / "test-artifacts"
REPLY_TIMEOUT_MS = 45_000

DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text())
RESPONSES: Dict[str, List[dict]] = DOMAIN["responses"]
GREETING = RESPONSES["utter_greet"][0]["text"]
NOT_A_DOCTOR = RESPONSES["utter_not_a_doctor"][0]
CAPABILITIES = RESPONSES["utter_capabilities"][0]["text"]
# Interview questions: the symptom form's utter_ask_<slot> responses.
QUESTIONS = {name: variants[0]["text"] for name, variants in RESPONSES.items() if name.startswith("utter_ask_")}
QUESTION_BUTTONS = {name: RESPONSES[name][0].get("buttons", []) for name in QUESTIONS}
XSS = '<img src=x onerror="window.__xss=1">'

BOT = ".bpw-msg--bot"
USER = ".bpw-msg--user"
CHIPS = ".bpw-qr button"


# --------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def stack(trained_model, tmp_path_factory) -> Iterator[Stack]:
    # web/vendor/socket.io.min.js (scripts/setup.sh builds it too; a no-op when up to date).
    subprocess.run([str(ROOT / "web" / "build.sh")], check=True, cwd=ROOT)
    stack = Stack(workdir=tmp_path_factory.mktemp("widget")).start(with_web=True)
    yield stack
    stack.stop()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: run scripts/install-browser.sh (Debian's chromium)")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Page:
    """One visitor's tab on the demo page, with helpers that look inside the widget."""

    def __init__(self, browser, stack: Stack, **context_options):
        self.context = browser.new_context(**context_options)
        self.page = self.context.new_page()
        self.stack = stack
        self.errors: List[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.set_default_timeout(REPLY_TIMEOUT_MS)
        # Disable the "Start over" confirmation dialog's blocking (accept it) if it ever shows.
        self.page.on("dialog", lambda dialog: dialog.accept())

    @property
    def url(self) -> str:
        return f"{self.stack.web_url}/?server={self.stack.rasa_url}"

    def goto(self) -> "Page":
        self.page.goto(self.url)
        self.page.wait_for_function("window.BackpainWidget !== undefined")
        self.launcher.wait_for(state="visible")
        return self

    @property
    def launcher(self):
        return self.page.locator(".bpw-launcher")

    @property
    def panel(self):
        return self.page.locator(".bpw-panel")

    @property
    def input(self):
        return self.page.get_by_role("textbox", name="Your message")

    def open(self) -> None:
        if self.launcher.get_attribute("aria-expanded") != "true":
            self.launcher.click()
        self.panel.wait_for(state="visible")

    def bot_texts(self) -> List[str]:
        return self.page.locator(f"{BOT} .bpw-text").all_inner_texts()

    def all_messages(self) -> List[str]:
        return self.page.locator(".bpw-msg").all_inner_texts()

    def say(self, text: str) -> None:
        self.input.fill(text)
        self.input.press("Enter")

    def wait_for_bot(self, predicate_js: str, what: str) -> None:
        """Waits until a bot message satisfies predicate_js (a JS expression over `t`, the text)."""
        script = f"""() => {{
            const host = document.getElementById('bpw-host');
            const root = host && host.shadowRoot;
            if (!root) return false;
            return [...root.querySelectorAll('.bpw-msg--bot .bpw-text')].some(n => {{ const t = n.textContent; return {predicate_js}; }});
        }}"""
        try:
            self.page.wait_for_function(script, timeout=REPLY_TIMEOUT_MS)
        except Exception as error:
            self.shot(f"failed-{re.sub(r'[^a-z0-9]+', '-', what.lower())[:40]}")
            raise AssertionError(f"no bot reply {what}; bot said: {self.bot_texts()}") from error

    def wait_for_text(self, text: str) -> None:
        self.wait_for_bot(f"t.includes({json.dumps(text[:60])})", f"containing {text[:60]!r}")

    def wait_for_new_bot_message(self, before: int, what: str) -> None:
        try:
            self.page.wait_for_function(
                "n => document.getElementById('bpw-host').shadowRoot.querySelectorAll('.bpw-msg--bot').length > n",
                arg=before,
                timeout=REPLY_TIMEOUT_MS,
            )
        except Exception as error:
            raise AssertionError(f"no bot reply {what}; bot said: {self.bot_texts()}") from error

    def wait_until_quiet(self, quiet_ms: int = 1200) -> None:
        """Waits until no new message has arrived for quiet_ms (a reply can be several messages)."""
        last, since = -1, time.time()
        while time.time() - since < quiet_ms / 1000:
            # .bpw-text too: the messages of one alert share a card (docs/widget.md).
            count = self.page.locator(".bpw-msg, .bpw-qr, .bpw-text").count()
            if count != last:
                last, since = count, time.time()
            self.page.wait_for_timeout(100)

    def chips(self) -> List[str]:
        return self.page.locator(CHIPS).all_inner_texts()

    def active_element_id(self) -> Optional[str]:
        return self.page.evaluate("""() => {
            const host = document.getElementById('bpw-host');
            if (document.activeElement !== host) return null;
            const a = host.shadowRoot.activeElement;
            return a ? (a.id || a.className) : null;
        }""")

    def session_id(self) -> str:
        return self.page.evaluate("window.BackpainWidget.sessionId")

    def restore_history(self, entries: List[dict]) -> None:
        """The widget's stored conversation replaced by ``entries``, then the page reloaded."""
        self.page.evaluate(
            "e => sessionStorage.setItem('bpw:v1:' + window.BackpainWidget.options.serverUrl + ':history:' + "
            "window.BackpainWidget.sessionId, JSON.stringify(e))",
            entries,
        )
        self.page.reload()
        self.page.wait_for_function("window.BackpainWidget !== undefined")
        self.panel.wait_for(state="visible")

    def shot(self, name: str) -> None:
        self.page.screenshot(path=str(ARTIFACTS / f"widget-{name}.png"))

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visitor(browser, stack):
    pages: List[Page] = []

    def make(**context_options) -> Page:
        context_options.setdefault("viewport", {"width": 1280, "height": 800})
        page = Page(browser, stack, **context_options)
        pages.append(page)
        return page

    yield make
    for page in pages:
        assert not page.errors, f"JavaScript errors on the page: {page.errors}"
        page.close()


def question_asked(page: Page) -> Optional[str]:
    """Name of the last interview question the bot asked (utter_ask_*), if any."""
    texts = page.bot_texts()
    for text in reversed(texts):
        for name, question in QUESTIONS.items():
            if text.strip() == question.strip():
                return name
    return None


# --------------------------------------------------------------------------- the conversation
def test_conversation_quick_replies_interview_and_reload(visitor):
    """hi -> greeting; a quick reply -> its answer; pain -> a question; reload keeps it all."""
    started = time.time()
    page = visitor().goto()
    assert page.panel.is_hidden()
    assert page.launcher.get_attribute("aria-expanded") == "false"
    page.open()
    assert page.launcher.get_attribute("aria-expanded") == "true"
    log = page.page.locator(".bpw-log")
    assert log.get_attribute("role") == "log" and log.get_attribute("aria-live") == "polite"
    page.page.get_by_role("note").filter(has_text="not a doctor").wait_for(state="visible")
    page.shot("desktop-open")

    # Record what the status line says while we wait (the typing indicator).
    page.page.evaluate("""() => {
        const status = document.getElementById('bpw-host').shadowRoot.querySelector('.bpw-status');
        window.__statusSeen = [];
        new MutationObserver(() => window.__statusSeen.push(status.textContent))
            .observe(status, {childList: true, characterData: true, subtree: true});
    }""")
    page.say("hi")
    page.page.locator(USER).filter(has_text="hi").wait_for()
    page.wait_for_text(GREETING)
    page.wait_for_text(NOT_A_DOCTOR["text"])
    page.page.locator(CHIPS).first.wait_for()
    assert "The assistant is typing…" in page.page.evaluate("window.__statusSeen")
    assert page.page.locator(".bpw-status").text_content() == "", "typing indicator gone after the reply"
    assert page.chips() == [button["title"] for button in NOT_A_DOCTOR["buttons"]]
    assert page.page.get_by_role("group", name="Suggested replies").count() == 1
    page.wait_until_quiet()
    page.shot("desktop-greeting")

    # A quick reply: its title is shown as the person's message, its payload is sent.
    page.page.get_by_role("button", name="Ask a question").click()
    page.page.locator(USER).filter(has_text="Ask a question").wait_for()
    assert page.page.locator(CHIPS).count() == 0, "quick replies must go once used"
    page.wait_for_text(CAPABILITIES)
    page.wait_until_quiet()

    page.say("my lower back hurts")
    page.wait_for_bot(
        " || ".join(f"t.trim() === {json.dumps(q.strip())}" for q in QUESTIONS.values()), "asking an interview question"
    )
    page.wait_until_quiet()
    asked = question_asked(page)
    assert asked, page.bot_texts()
    chips_before = page.chips()
    assert chips_before, f"{asked} comes with answer buttons"
    # The answer to give after the reload: a "no" where there is one (it keeps the interview
    # on its usual path, where a "yes" to a safety question would end it), else the first.
    answer = next(
        (
            title
            for title, button in zip(chips_before, QUESTION_BUTTONS[asked], strict=False)
            if button["payload"].lower().startswith("no")
        ),
        chips_before[0],
    )
    page.shot("desktop-interview")

    # Reload: same session id, same history, panel still open, quick replies still there.
    session = page.session_id()
    history = page.all_messages()
    page.page.reload()
    page.page.wait_for_function("window.BackpainWidget !== undefined")
    assert page.session_id() == session
    page.panel.wait_for(state="visible")  # it was open before the reload
    assert page.all_messages() == history
    assert page.chips() == chips_before
    page.shot("desktop-after-reload")

    # The same conversation goes on: answering the question gets the next question,
    # which only happens if the server still has this session's form running.
    before = page.page.locator(BOT).count()
    page.page.locator(CHIPS).filter(has_text=re.compile(f"^{re.escape(answer)}$")).click()
    page.wait_for_new_bot_message(before, "to the answer after the reload")
    page.wait_until_quiet()
    texts = page.bot_texts()[before:]
    unclear = RESPONSES["utter_interview_unclear"][0]["text"]
    assert unclear not in texts and GREETING not in texts, texts
    next_question = question_asked(page)
    assert next_question and next_question != asked, f"after answering {asked} with {answer!r} the bot said {texts}"
    page.shot("desktop-continued")
    print(f"\nconversation test: {time.time() - started:.1f}s; {asked} -> {next_question}")


def test_message_content_is_text_not_html(visitor):
    """What the person types and what the bot sends is shown as text: no markup runs."""
    page = visitor().goto()
    page.open()
    page.say("hi")
    page.wait_for_text(GREETING)
    page.wait_until_quiet()
    before = page.page.locator(BOT).count()
    page.say(XSS)
    page.wait_for_new_bot_message(before, "to the markup message")
    page.wait_until_quiet()
    bubble = page.page.locator(USER).last
    assert bubble.locator(".bpw-text").inner_text() == XSS
    assert page.page.locator(".bpw-log img").count() == 0
    assert page.page.evaluate("typeof window.__xss") == "undefined"
    page.shot("xss-user")

    # The bot's side goes through the same renderer; the history restore path is the
    # easiest way to feed it arbitrary bot text: store a crafted entry, reload.
    key = page.page.evaluate("""() => Object.keys(sessionStorage).find(k => k.includes(':history:'))""")
    assert key, "history is kept in sessionStorage (the default)"
    entries = json.loads(page.page.evaluate("k => sessionStorage.getItem(k)", key))
    entries.append(
        {
            "from": "bot",
            "text": f"Bot {XSS}\nsee https://www.nhs.uk/conditions/back-pain/.",
            "quickReplies": [{"title": XSS, "payload": "hi"}],
        }
    )
    page.page.evaluate("([k, v]) => sessionStorage.setItem(k, v)", [key, json.dumps(entries)])
    page.page.reload()
    page.page.wait_for_function("window.BackpainWidget !== undefined")
    page.open()
    last = page.page.locator(f"{BOT} .bpw-text").last
    assert last.text_content() == (f"Bot {XSS}\nsee https://www.nhs.uk/conditions/back-pain/ (opens in a new window).")
    link = last.locator("a")
    assert link.count() == 1 and link.get_attribute("href") == "https://www.nhs.uk/conditions/back-pain/"
    assert link.get_attribute("rel") == "noopener noreferrer"
    assert page.chips() == [XSS]
    assert page.page.locator(".bpw-log img").count() == 0
    assert page.page.evaluate("typeof window.__xss") == "undefined"
    page.shot("xss-restored")


def test_narrow_screen_full_screen_panel(visitor):
    """At 360x740 the open panel fills the screen and nothing scrolls sideways."""
    page = visitor(
        viewport={"width": 360, "height": 740}, reduced_motion="reduce", is_mobile=True, has_touch=True
    ).goto()
    page.shot("360-closed")
    box = page.launcher.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 360
    page.open()
    page.say("hi")
    page.wait_for_text(NOT_A_DOCTOR["text"])
    page.wait_until_quiet()
    page.say("my lower back hurts and it goes down my leg past the knee, " * 3)
    page.wait_until_quiet(2000)
    box = page.panel.bounding_box()
    assert box == {"x": 0, "y": 0, "width": 360, "height": 740}, box
    sizes = page.page.evaluate("""() => {
        const root = document.getElementById('bpw-host').shadowRoot;
        const log = root.querySelector('.bpw-log');
        return {page: document.documentElement.scrollWidth, body: document.body.scrollWidth,
                log: log.scrollWidth, logClient: log.clientWidth,
                animation: getComputedStyle(root.querySelector('.bpw-panel')).animationName};
    }""")
    assert sizes["page"] <= 360 and sizes["body"] <= 360, sizes
    assert sizes["log"] <= sizes["logClient"], sizes
    assert sizes["animation"] == "none", "prefers-reduced-motion turns the animations off"
    for chip in page.page.locator(CHIPS).all():
        chip_box = chip.bounding_box()
        assert chip_box["x"] >= 0 and chip_box["x"] + chip_box["width"] <= 360
    page.shot("360-open")
    # The full-screen panel hides the launcher; closing shows it again.
    assert page.launcher.is_hidden()
    page.page.get_by_role("button", name="Close chat").click()
    page.launcher.wait_for(state="visible")


def test_keyboard_only(visitor):
    """Launcher -> Enter opens (focus in the input) -> type, Enter sends -> Esc closes (focus back)."""
    page = visitor().goto()
    page.launcher.focus()
    assert page.active_element_id() == "bpw-launcher"
    page.page.keyboard.press("Enter")
    page.panel.wait_for(state="visible")
    assert page.launcher.get_attribute("aria-expanded") == "true"
    assert page.active_element_id() == "bpw-input"
    page.page.keyboard.type("hi")
    page.page.keyboard.press("Enter")
    page.wait_for_text(GREETING)
    page.wait_until_quiet()
    # Tab reaches the quick replies right after Send (not the page behind the panel).
    page.page.keyboard.press("Tab")  # Send
    page.page.keyboard.press("Tab")  # the reply's first button
    focused = page.page.evaluate("document.getElementById('bpw-host').shadowRoot.activeElement.textContent")
    assert focused == NOT_A_DOCTOR["buttons"][0]["title"], focused
    page.shot("keyboard")
    page.page.keyboard.press("Escape")
    page.panel.wait_for(state="hidden")
    assert page.launcher.get_attribute("aria-expanded") == "false"
    assert page.active_element_id() == "bpw-launcher"


# --------------------------------------------------------------------------- CORS
def polling_handshake(rasa_url: str, origin: Optional[str]):
    """socket.io's first request (HTTP long-polling), sent with the given Origin header."""
    headers = {"Origin": origin} if origin else {}
    request = urllib.request.Request(f"{rasa_url}/socket.io/?EIO=4&transport=polling", headers=headers)
    try:
        return urllib.request.urlopen(request, timeout=20)
    except urllib.error.HTTPError as error:
        return error


def websocket_accepted(rasa_url: str, origin: str) -> bool:
    """Whether a socket.io WebSocket from `origin` is accepted (browsers apply no CORS to these)."""
    import websockets

    url = rasa_url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
    result: Dict[str, object] = {}

    async def attempt() -> None:
        try:
            async with websockets.connect(url, origin=origin, open_timeout=20) as socket:
                result["open"] = await asyncio.wait_for(socket.recv(), 20)
        except websockets.exceptions.InvalidStatusCode as error:
            result["status"] = error.status_code

    thread = threading.Thread(target=lambda: asyncio.run(attempt()))  # away from pytest-asyncio's loop
    thread.start()
    thread.join(60)
    assert result, "no answer to the WebSocket request"
    return "open" in result


def test_cors_polling_only_for_the_demo_origin(stack):
    evil = polling_handshake(stack.rasa_url, "http://evil.example")
    assert evil.headers.get("Access-Control-Allow-Origin") in (None, ""), dict(evil.headers)
    demo = polling_handshake(stack.rasa_url, stack.web_url)
    assert demo.status == 200
    assert demo.headers.get("Access-Control-Allow-Origin") == stack.web_url, dict(demo.headers)
    assert websocket_accepted(stack.rasa_url, stack.web_url)
    if "addons.channels.socketio.SocketIOInput" in (ROOT / "credentials.yml").read_text():
        assert evil.status == 400
        assert not websocket_accepted(stack.rasa_url, "http://evil.example")


@pytest.fixture(scope="module")
def origin_checked_stack(trained_model, tmp_path_factory) -> Iterator[Stack]:
    """A Rasa server with the Origin-checking socket.io connector (addons/channels/socketio.py)."""
    workdir = tmp_path_factory.mktemp("widget-origin")
    credentials = workdir / "credentials.yml"
    credentials.write_text(
        "rest:\n"
        "addons.channels.socketio.SocketIOInput:\n"
        "  user_message_evt: user_uttered\n"
        "  bot_message_evt: bot_uttered\n"
        "  session_persistence: true\n"
    )
    stack = Stack(workdir=workdir, credentials=credentials, web_port=free_port()).start(with_web=False)
    yield stack
    stack.stop()


def test_origin_checked_connector_refuses_other_sites_websockets(origin_checked_stack):
    stack = origin_checked_stack
    # Rasa's own channel (credentials key `socketio`) accepts a WebSocket from any site;
    # the connector refuses other origins on both transports and keeps the demo working.
    evil = polling_handshake(stack.rasa_url, "http://evil.example")
    assert evil.status == 400 and not evil.headers.get("Access-Control-Allow-Origin")
    assert not websocket_accepted(stack.rasa_url, "http://evil.example")
    demo = polling_handshake(stack.rasa_url, stack.web_url)
    assert demo.status == 200 and demo.headers.get("Access-Control-Allow-Origin") == stack.web_url
    assert websocket_accepted(stack.rasa_url, stack.web_url)
    no_origin = polling_handshake(stack.rasa_url, None)
    assert no_origin.status == 200, "server-side clients send no Origin and stay allowed"
