"""The chat widget's accessibility (WCAG 2.1 AA, checked by axe-core) and its summary.

Same harness as test_widget_browser.py (the real stack, Debian's Chromium driven by
Playwright; its fixtures are imported from there, so this module starts its own stack).
axe-core comes from npm (web/package.json pins it; web/build.sh installs it) and is
injected into the real page. The printed summary is rendered to PDF by Chromium and read
back with pdftotext (poppler-utils, scripts/install-browser.sh). Screenshots, axe results,
the PDFs and the downloaded summaries go to test-artifacts/.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import datetime
from typing import Dict, List, Tuple
from urllib.parse import urlsplit

import pytest

from bot import replies, safety
from bot.content import get_content
from bot.contract import ESCALATION_KINDS, SAFETY_RESPONSE_KINDS, SAFETY_RESPONSES
from bot.nlp import analyse
from bot.ranking import RankedCause
from bot.symptoms import SymptomRecord
from tests.e2e.test_widget_browser import (  # noqa: F401  (browser, stack, visitor: fixtures)
    ARTIFACTS,
    BOT,
    CAPABILITIES,
    CHIPS,
    GREETING,
    NOT_A_DOCTOR,
    RESPONSES,
    USER,
    Page,
    browser,
    stack,
    visitor,
)
from tests.support.stack import ROOT

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

AXE_JS = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
# Moderate or minor axe findings accepted, each explained in docs/widget.md ("What axe-core
# reports"). Serious and critical ones are never accepted.
ACCEPTED: Dict[str, str] = {}

EMERGENCY = "I can't control my bladder and my bum is numb"
# As said with the default place names (bot/settings.py).
CONSULT_TEXTS = [
    variant["text"].replace("{place_gp}", "your GP").replace("{place_pharmacist}", "a pharmacist")
    for variant in RESPONSES["utter_consult_professional"]
]
NOT_A_DIAGNOSIS = (
    "This is not a diagnosis. It is what you told a virtual assistant and the general "
    "information it gave you. Only a professional who examines you can tell what is "
    "causing your pain."
)
DOC_TITLE = "Summary of your conversation with Back pain helper"
# The demo page's snippet sets data-emergency-number="999" (the server's default EMERGENCY_NUMBER).
NOTE = "I'm not a doctor. In an emergency, call 999."


# --------------------------------------------------------------------------- helpers
def shadow(page: Page, js: str, arg=None):
    """Evaluates `js` (a function body over `root`, the widget's shadow root, and `arg`)."""
    return page.page.evaluate(f"(arg) => {{ const root = document.getElementById('bpw-host').shadowRoot; {js} }}", arg)


def run_axe(page: Page, name: str) -> Dict[str, List[str]]:
    """axe-core on the whole page (the widget's shadow DOM included); returns rule ids by impact."""
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} missing: run web/build.sh (npm ci installs axe-core)")
    if not page.page.evaluate("typeof window.axe !== 'undefined'"):
        # Served from the page's own origin, so the demo page's Content-Security-Policy
        # ('self' scripts only) stays on while axe runs.
        url = f"{page.stack.web_url}/__axe.min.js"
        page.page.route(url, lambda route: route.fulfill(body=AXE_JS.read_text(), content_type="text/javascript"))
        page.page.add_script_tag(url=url)
    result = page.page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", AXE_TAGS
    )
    (ARTIFACTS / f"axe-{name}.json").write_text(json.dumps(result["violations"], indent=1))
    found: Dict[str, List[str]] = {}
    for violation in result["violations"]:
        found.setdefault(violation["impact"], []).append(violation["id"])
    details = [
        f"{v['impact']} {v['id']}: {v['help']} -> {[n['target'] for n in v['nodes'][:5]]}" for v in result["violations"]
    ]
    assert not found.get("critical") and not found.get("serious"), f"axe on {name}:\n" + "\n".join(details)
    unexplained = [rule for rules in found.values() for rule in rules if rule not in ACCEPTED]
    assert not unexplained, f"axe on {name}: fix these or explain them in docs/widget.md:\n" + "\n".join(details)
    print(f"axe {name}: {({impact: len(rules) for impact, rules in found.items()})}")
    return found


def history(page: Page) -> List[dict]:
    return json.loads(
        page.page.evaluate(
            "() => sessionStorage.getItem(Object.keys(sessionStorage).find(k => k.includes(':history:')))"
        )
        or "[]"
    )


def conversation_date(page: Page) -> str:
    """The date the summary should show: the day of the last message (the page is en-GB)."""
    last = max(entry.get("time", 0) for entry in history(page))
    day = datetime.fromtimestamp(last / 1000)
    return f"{day.day} {day:%B %Y}"


def alerts(page: Page) -> List[str]:
    """What sits in an assertive live region of the widget (there is none: an alert is
    announced once, by the log; docs/widget.md)."""
    return shadow(
        page, "return [...root.querySelectorAll('[aria-live=assertive], [role=alert]')].map(n => n.textContent);"
    )


def live_regions_with(page: Page, text: str) -> List[str]:
    """The live regions of the widget whose content includes `text` (each counted once)."""
    return shadow(
        page,
        """
        const regions = [...root.querySelectorAll('[aria-live]:not([aria-live=off]), [role=log], [role=status], [role=alert]')];
        return regions.filter(r => r.textContent.includes(arg)).map(r => r.className);""",
        text,
    )


def focused(page: Page) -> dict:
    """The focused element inside the widget: its name, and whether a focus ring is drawn."""
    return page.page.evaluate("""() => {
        const host = document.getElementById('bpw-host');
        if (document.activeElement !== host) return {inside: false};
        const a = host.shadowRoot.activeElement;
        const style = getComputedStyle(a);
        return {inside: true, tag: a.tagName.toLowerCase(), cls: a.className,
                name: (a.getAttribute('aria-label') || (a.labels && a.labels.length ? a.labels[0].textContent : a.textContent) || '').trim(),
                ring: style.boxShadow !== 'none' || (style.outlineStyle !== 'none' && style.outlineColor !== 'rgba(0, 0, 0, 0)')};
    }""")


def scroll_widths(page: Page) -> dict:
    return shadow(
        page,
        """
        const widths = {page: [document.documentElement.scrollWidth, document.documentElement.clientWidth]};
        for (const name of ['bpw-panel', 'bpw-log', 'bpw-summary', 'bpw-doc']) {
            const node = root.querySelector('.' + name);
            if (node && node.offsetParent !== null) widths[name] = [node.scrollWidth, node.clientWidth];
        }
        return widths;""",
    )


def assert_no_sideways_scroll(page: Page) -> None:
    widths = scroll_widths(page)
    for name, (scroll, client) in widths.items():
        assert scroll <= client, f"{name} scrolls sideways: {widths}"


class NetworkLog:
    """Every HTTP request and every WebSocket frame the page sends (pongs aside)."""

    def __init__(self, page: Page):
        self.requests: List[str] = []
        self.frames: List[str] = []
        page.page.on("request", lambda request: self.requests.append(request.url))
        page.page.on(
            "websocket",
            lambda socket: socket.on(
                "framesent", lambda payload: None if payload == "3" else self.frames.append(str(payload))
            ),
        )

    def mark(self):
        return len(self.requests), len(self.frames)

    def sent_messages(self) -> int:
        return sum('"user_uttered"' in frame for frame in self.frames)

    def since(self, mark) -> List[str]:
        return [url for url in self.requests[mark[0] :] if not url.startswith(("blob:", "data:"))] + self.frames[
            mark[1] :
        ]


def pdf_text(page: Page, name: str) -> str:
    """The page printed to PDF (print media) by Chromium, read back with pdftotext, one line."""
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext not found: run scripts/install-browser.sh (poppler-utils)")
    path = ARTIFACTS / f"widget-{name}.pdf"
    page.page.emulate_media(media="print")
    page.shot(f"{name}-print-media")
    page.page.emulate_media(media="null")  # back to no emulation: page.pdf() then prints with print media
    page.page.pdf(path=str(path), format="A4", print_background=True)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return " ".join(text.split())


def assert_in_order(text: str, parts: List[str]) -> None:
    where = []
    for part in parts:
        flat = " ".join(part.split())
        assert flat in text, f"{flat[:80]!r} missing from:\n{text}"
        where.append(text.index(flat))
    assert where == sorted(where), f"out of order {list(zip(where, [p[:30] for p in parts], strict=False))}:\n{text}"


def download_summary(page: Page, name: str) -> str:
    with page.page.expect_download() as info:
        page.page.get_by_role("button", name="Download as text").click()
    download = info.value
    assert re.fullmatch(
        r"back-pain-summary-\d{4}-\d{2}-\d{2}\.txt", download.suggested_filename
    ), download.suggested_filename
    download.save_as(str(ARTIFACTS / f"widget-{name}.txt"))
    return (ARTIFACTS / f"widget-{name}.txt").read_text(encoding="utf-8")


def count_prints(page: Page) -> None:
    """Counts window.print() calls instead of printing: a real print job in headless Chromium
    can still be running when the test prints the page to PDF ("Page is already being
    printed"), which made the test fail at random on a clean clone."""
    page.context.add_init_script("(() => { window.__prints = 0; window.print = () => { window.__prints += 1; }; })()")


def serve(html: str):
    """A route handler answering with `html` (one argument: Playwright passes the request too
    to a handler that takes two)."""
    return lambda route: route.fulfill(body=html, content_type="text/html; charset=utf-8")


def say_and_wait(page: Page, text: str) -> None:
    before = page.page.locator(BOT).count()
    page.say(text)
    page.wait_for_new_bot_message(before, f"to {text!r}")
    page.wait_until_quiet()


# --------------------------------------------------------------------------- axe-core
def test_axe_finds_no_serious_violation_in_any_state(visitor):
    """Demo page; open after a reply with buttons; after an emergency; restored after a reload;
    the summary; and at 320 px wide."""
    page = visitor().goto()
    run_axe(page, "demo-page")
    page.open()
    page.say("hi")
    page.wait_for_text(NOT_A_DOCTOR["text"])
    page.page.locator(CHIPS).first.wait_for()
    page.wait_until_quiet()
    run_axe(page, "open-with-buttons")
    page.shot("a11y-open-with-buttons")

    say_and_wait(page, EMERGENCY)
    page.page.locator(".bpw-msg--alert").first.wait_for()
    run_axe(page, "after-emergency")
    page.shot("a11y-after-emergency")

    page.page.reload()
    page.page.wait_for_function("window.BackpainWidget !== undefined")
    page.panel.wait_for(state="visible")
    page.page.locator(".bpw-msg--alert").first.wait_for()
    run_axe(page, "restored-after-reload")

    page.page.get_by_role("button", name="Save or print").click()
    run_axe(page, "summary")

    narrow = visitor(viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True).goto()
    narrow.open()
    narrow.say("hi")
    narrow.page.locator(CHIPS).first.wait_for()
    narrow.wait_until_quiet()
    run_axe(narrow, "320px-open")


def test_clinic_colours_are_checked_at_start(visitor):
    """A colour that fails WCAG contrast is replaced by an accessible one, with a console warning."""
    cases = [
        # (snippet attributes, launcher background, launcher text, warning expected)
        ('data-primary-color="#6a1b9a"', "rgb(106, 27, 154)", "rgb(255, 255, 255)", None),
        ('data-primary-color="#e07000"', "rgb(224, 112, 0)", "rgb(17, 17, 17)", None),  # light: black text
        (
            'data-primary-color="#ffd700"',
            "rgb(0, 86, 122)",
            "rgb(255, 255, 255)",
            "has a contrast of 1.40:1 with the white panel",
        ),
        (
            'data-primary-color="#00567a" data-primary-text-color="#1b1f23"',
            "rgb(0, 86, 122)",
            "rgb(255, 255, 255)",
            "has a contrast of 2.06:1 on rgb(0, 86, 122)",
        ),
        ('data-primary-color="not a colour"', "rgb(0, 86, 122)", "rgb(255, 255, 255)", "is not a solid CSS colour"),
    ]
    for attributes, background, text, warning in cases:
        page = visitor()
        warnings: List[str] = []
        page.page.on(
            "console",
            lambda message, sink=warnings: sink.append(message.text) if message.type == "warning" else None,
        )

        # The demo page, served with the snippet's colour attributes changed.
        html = (ROOT / "web" / "index.html").read_text().replace('data-primary-color="#00567a"', attributes, 1)
        assert attributes in html

        page.page.route(
            lambda url, port=page.stack.web_port: urlsplit(url).path == "/" and urlsplit(url).port == port, serve(html)
        )
        page.goto()
        colours = page.page.evaluate("""() => {
            const launcher = document.getElementById('bpw-host').shadowRoot.querySelector('.bpw-launcher');
            const style = getComputedStyle(launcher);
            return [style.backgroundColor, style.color];
        }""")
        assert colours == [background, text], (attributes, colours)
        if warning:
            assert len(warnings) == 1 and warning in warnings[0], (attributes, warnings)
            assert warnings[0].startswith("Back pain widget: ")
        else:
            assert warnings == [], (attributes, warnings)
        page.open()
        run_axe(page, "colours-" + re.sub(r"[^a-z0-9]+", "-", attributes.lower()).strip("-")[:40])


# --------------------------------------------------------------------------- keyboard
def test_keyboard_open_close_and_every_control(visitor):
    page = visitor().goto()
    page.launcher.focus()
    page.page.keyboard.press("Space")
    page.panel.wait_for(state="visible")
    assert page.active_element_id() == "bpw-input", "focus moves into the widget"
    page.page.keyboard.press("Escape")
    page.panel.wait_for(state="hidden")
    assert page.active_element_id() == "bpw-launcher", "and back to the launcher on close"
    page.page.keyboard.press("Enter")
    page.panel.wait_for(state="visible")
    assert page.active_element_id() == "bpw-input"
    page.page.keyboard.type("hi")
    page.page.keyboard.press("Enter")
    page.page.locator(CHIPS).first.wait_for()
    page.wait_until_quiet()

    # Tab from the launcher through the whole widget: every control is reached, named,
    # and shows a focus ring; the reply's buttons come right after the message field and
    # Send; Tab never leaves the open panel (it goes round).
    page.launcher.focus()
    seen = []
    for _ in range(20):
        page.page.keyboard.press("Tab")
        now = focused(page)
        assert now["inside"], f"Tab left the open panel after {[item['name'] for item in seen]}"
        if seen and now["name"] == seen[0]["name"]:
            break
        seen.append(now)
        assert now["ring"], f"no visible focus on {now}"
        assert now["name"], f"no accessible name on {now}"
    names = [item["name"] for item in seen]
    chips = [button["title"] for button in NOT_A_DOCTOR["buttons"]]
    # The conversation log is a stop too, so it can be scrolled from the keyboard.
    assert names == ["Enlarge", "Start over", "Close chat", "Your message", "Send", *chips, "Conversation"], names
    page.page.keyboard.press("Shift+Tab")
    assert focused(page)["name"] == "Conversation", "Shift+Tab goes round the other way"

    # A quick reply works with Enter: two Tabs from the message field (Send, then the first).
    page.input.focus()
    page.page.keyboard.press("Tab")
    page.page.keyboard.press("Tab")
    assert focused(page)["name"] == chips[0]
    page.page.keyboard.press("Tab")
    assert focused(page)["name"] == chips[1]
    page.page.keyboard.press("Enter")
    page.page.locator(USER).filter(has_text=chips[1]).wait_for()
    page.wait_for_text(CAPABILITIES)
    assert page.active_element_id() == "bpw-input"
    page.page.get_by_role("button", name="Close chat", exact=True).focus()
    page.page.keyboard.press("Space")
    page.panel.wait_for(state="hidden")
    assert page.active_element_id() == "bpw-launcher"
    page.shot("keyboard-closed")


# --------------------------------------------------------------------------- screen readers
def test_screen_reader_announcements_and_the_note(visitor):
    """Messages go to a polite log, escalations too, once (no second, assertive region, and the
    pinned copy is outside every live region); the note is the dialog's description, outside
    every live region."""
    page = visitor().goto()
    page.open()
    dialog = page.page.get_by_role("dialog", name="Back pain helper")
    assert dialog.get_attribute("aria-describedby") == "bpw-note"
    # Focus stays inside the panel, so a screen reader's virtual cursor should too (review 4).
    assert dialog.get_attribute("aria-modal") == "true"
    assert page.page.locator("#bpw-note").text_content() == NOTE
    page.say("hi")
    page.wait_for_text(GREETING)
    page.wait_until_quiet()
    assert alerts(page) == [], "ordinary replies are not assertive"
    # The reply's buttons are read in the log one by one, not run together ("YesNoNot sure").
    chips = page.chips()
    read = shadow(page, "return root.querySelector('.bpw-log .bpw-qr').textContent;")
    assert len(chips) > 1 and read == ", ".join(chips), (read, chips)
    say_and_wait(page, EMERGENCY)
    escalation = [t for t in page.bot_texts()[2:] if t not in CONSULT_TEXTS]
    assert escalation and any("call 999 now" in t for t in escalation), page.bot_texts()
    # Announced once (issue 26): in the log only, not also in an assertive region.
    assert alerts(page) == []
    for text in escalation:
        assert live_regions_with(page, text) == ["bpw-log"], text
    assert page.page.locator(".bpw-msg--alert .bpw-text").all_text_contents() == escalation
    # Said in words, not only in colour: one card, its heading says what to do.
    assert page.page.locator(".bpw-alert-heading").all_inner_texts() == ["Emergency: call 999 now"]
    structure = shadow(
        page,
        """
        const note = root.getElementById('bpw-note');
        const log = root.querySelector('[role=log]');
        return {
            noteLive: !!note.closest('[aria-live], [role=log], [role=status], [role=alert]'),
            notes: [...root.querySelectorAll('*')].filter(n => n.childElementCount === 0 && n.textContent.includes("In an emergency, call")).length,
            log: [log.getAttribute('aria-live'), log.getAttribute('aria-relevant')],
            assertiveInLog: !!log.querySelector('[aria-live=assertive]'),
            unnamedButtons: [...root.querySelectorAll('button')].filter(b => !(b.getAttribute('aria-label') || b.textContent.trim())).length,
        };""",
    )
    assert structure == {
        "noteLive": False,
        "notes": 1,
        "log": ["polite", "additions"],
        "assertiveInLog": False,
        "unnamedButtons": 0,
    }, structure
    # The pinned copy of the alert is outside every live region.
    assert live_regions_with(page, "Call 999") == ["bpw-log"]
    # A reload does not announce again (the history is drawn before the widget is on the page).
    say_and_wait(page, "thank you")
    page.page.reload()
    page.page.wait_for_function("window.BackpainWidget !== undefined")
    page.panel.wait_for(state="visible")
    assert alerts(page) == []
    assert page.page.locator(".bpw-msg--alert .bpw-text").count() >= len(escalation)


def test_widget_shows_each_kind_of_message_as_the_server_marks_it(visitor):
    """The escalation and result messages the bot really sends (from bot/ and domain.yml),
    with the kinds the server sends with them (bot/contract.py, docs/api.md), fed in through
    the stored history: the escalations, and only they, are shown as alerts, and the summary
    is built from the kinds. Unmarked messages, whatever they say, are ordinary ones."""
    content = get_content()
    flags = {
        level: [f.id for f in content.red_flags.values() if f.level == level][:2] for level in ("emergency", "urgent")
    }
    escalations: List[Tuple[str, str]] = []
    for level in ("emergency", "urgent"):
        said = safety.escalation(level, flags[level], analyse(""), set(), set())
        escalations += [(say.text, SAFETY_RESPONSE_KINDS[SAFETY_RESPONSES[say.kind]]) for say in said]
        escalations.append((replies.reminder(level), replies.kind_of(replies.reminder(level))))
    stop = replies.emergency_stop(SymptomRecord())[0]
    escalations.append((stop, replies.kind_of(stop)))
    assert all(kind in ESCALATION_KINDS for _, kind in escalations), escalations
    record = SymptomRecord(pain_location=["lower_back"], pain_spreads="no", nerve_symptoms=[], pain_duration_days=3)
    condition = next(iter(content.conditions))
    said = replies.result([RankedCause(condition, 1.0, ("a reason",))], record, offer_plan=True)
    said += replies.activity_plan([condition], record)  # sent when asked
    result = [(m, replies.kind_of(m)) for m in said]
    kinds = {kind: text for text, kind in result if kind}
    assert set(kinds) == {"lead", "causes", "advice", "plan_offer", "told", "plan"}, result
    # Everything else the bot can say, unmarked: the escalation wording in it must not count.
    others = [v["text"] for name, variants in RESPONSES.items() for v in variants if "text" in v]
    others += [safety.dialogue("safety_net")] + replies.topics_overview() + replies.treatments_overview()
    others += [m for c in content.conditions for m in replies.condition_answer(c)]
    others += [m for t in content.treatments for m in replies.treatment_answer(t)]
    others += [text for text, _ in escalations]

    page = visitor().goto()
    page.open()
    entries = [{"from": "user", "text": "my back hurts"}] + [{"from": "bot", "text": t} for t in others]
    entries += [{"from": "bot", "text": t, "kind": k} for t, k in escalations + result if k]
    entries += [{"from": "bot", "text": CONSULT_TEXTS[1], "kind": "consult"}]
    page.restore_history(entries)
    flagged = shadow(page, "return [...root.querySelectorAll('.bpw-msg--alert .bpw-text')].map(n => n.textContent);")
    assert flagged == [text for text, _ in escalations], flagged
    page.page.locator(".bpw-tools").get_by_role("button", name="Save or print").click()
    sections = shadow(
        page,
        "return [...root.querySelectorAll('.bpw-doc-part')].map(p => [p.className, [...p.children].map(c => c.textContent)]);",
    )
    by_kind = {cls.split("bpw-doc-")[-1]: texts for cls, texts in sections}
    assert list(by_kind) == ["urgent", "head", "told", "causes", "advice", "note", "consult"], by_kind
    # What the person told, under its heading, without the message's own "You told me:".
    told = kinds["told"].removeprefix("You told me: ")
    assert by_kind["told"] == ["What you told the assistant", told[0].upper() + told[1:]], by_kind["told"]
    assert by_kind["causes"] == ["Possible causes and why", kinds["causes"]], by_kind
    # All the advice the result gave, in order: what would change it (the safety net), the
    # self-care, then the activity plan and its sources; not only the last message of a kind.
    advice = [text for text, kind in result if kind in ("advice", "plan")]
    assert len(advice) >= 3 and advice[0].startswith("What would change this advice: call 999"), advice
    assert by_kind["advice"] == ["Advice given", *advice], by_kind["advice"]
    assert by_kind["consult"] == [CONSULT_TEXTS[1]], by_kind
    assert by_kind["urgent"] == ["Important: do this first", *dict.fromkeys(t for t, _ in escalations)], by_kind


# --------------------------------------------------------------------------- layout and preferences
def test_200_percent_zoom_and_320px_without_sideways_scrolling(visitor):
    # A 1280x800 window at 200% zoom lays out as 640x400 CSS px at twice the pixel density.
    for name, options in [
        ("zoom200", {"viewport": {"width": 640, "height": 400}, "device_scale_factor": 2}),
        ("320px", {"viewport": {"width": 320, "height": 640}, "is_mobile": True, "has_touch": True}),
    ]:
        page = visitor(**options).goto()
        assert_no_sideways_scroll(page)
        page.open()
        page.say("my lower back hurts and it goes down my leg past the knee " * 3)
        page.wait_for_new_bot_message(0, "to the long message")
        page.wait_until_quiet(2000)
        box = page.panel.bounding_box()
        viewport = options["viewport"]
        assert box == {"x": 0, "y": 0, "width": viewport["width"], "height": viewport["height"]}, (name, box)
        assert_no_sideways_scroll(page)
        for chip in page.page.locator(CHIPS).all():
            chip_box = chip.bounding_box()
            assert chip_box["x"] >= 0 and chip_box["x"] + chip_box["width"] <= viewport["width"], (name, chip_box)
        # At 200% zoom a header icon has its word beside it (a usability review: icons
        # without words); on a narrow phone the icon alone, named for screen readers.
        restart = page.page.get_by_role("button", name="Start over")
        word = page.page.locator(".bpw-restart .bpw-tool-short")
        assert restart.count() == 1 and word.is_visible() == (name == "zoom200"), name
        if name == "zoom200":
            assert word.inner_text() in restart.get_attribute("aria-label"), "the word is part of the name"
        page.shot(f"{name}-open")


def test_reduced_motion_and_more_contrast_preferences(visitor):
    page = visitor().goto()
    page.page.emulate_media(reduced_motion="reduce")
    page.open()
    page.say("hi")
    page.wait_for_text(GREETING)
    page.wait_until_quiet()
    motion = shadow(
        page,
        """
        const style = n => getComputedStyle(root.querySelector(n));
        return [style('.bpw-panel').animationName, style('.bpw-msg--new').animationName,
                style('.bpw-launcher').transitionDuration];""",
    )
    assert motion == ["none", "none", "0s"], motion
    page.page.emulate_media(reduced_motion="no-preference")
    assert shadow(page, "return getComputedStyle(root.querySelector('.bpw-msg--new')).animationName;") == "bpw-in"

    def looks():
        return shadow(
            page,
            """
            if (root.activeElement) root.activeElement.blur();
            const bot = getComputedStyle(root.querySelector('.bpw-msg--bot'));
            const input = getComputedStyle(root.querySelector('.bpw-input'));
            return {matches: matchMedia('(prefers-contrast: more)').matches, botBorder: bot.borderTopWidth,
                    botBackground: bot.backgroundColor, inputBorder: input.borderTopColor,
                    subtitle: getComputedStyle(root.querySelector('.bpw-subtitle')).opacity};""",
        )

    assert looks() == {
        "matches": False,
        "botBorder": "0px",
        "botBackground": "rgb(238, 242, 245)",
        "inputBorder": "rgb(201, 209, 217)",
        "subtitle": "0.9",
    }
    # Playwright 1.48 cannot emulate prefers-contrast itself; Chromium's DevTools protocol can.
    cdp = page.context.new_cdp_session(page.page)
    cdp.send("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-contrast", "value": "more"}]})
    assert looks() == {
        "matches": True,
        "botBorder": "2px",
        "botBackground": "rgb(255, 255, 255)",
        "inputBorder": "rgb(27, 31, 35)",
        "subtitle": "1",
    }
    page.page.wait_for_timeout(400)  # the panel's entrance animation, re-run by the media change
    page.shot("more-contrast")
    run_axe(page, "more-contrast")


# --------------------------------------------------------------------------- the summary
def test_summary_after_an_emergency_puts_the_instruction_first(visitor):
    page = visitor()
    count_prints(page)
    network = NetworkLog(page)
    page.goto()
    page.open()
    assert page.page.locator(".bpw-tools").is_hidden(), "no summary before a result or an escalation"
    page.say("hi")
    page.wait_for_text(GREETING)
    page.wait_until_quiet()
    assert page.page.locator(".bpw-tools").is_hidden()
    say_and_wait(page, EMERGENCY)
    texts = [entry["text"] for entry in history(page) if entry["from"] == "bot"]
    escalation = [t for t in texts[2:] if t not in CONSULT_TEXTS]
    consult = [t for t in texts if t in CONSULT_TEXTS][-1]

    # The two ways to save, together in the header, on the device first.
    assert page.page.locator(".bpw-tools button").all_inner_texts() == ["Save or print", "Download PDF"]
    # From the keyboard: Shift+Tab from the message field, past the pinned call link and
    # Download PDF, reaches "Save or print".
    assert network.sent_messages() == 2, "the log sees what the widget sends"
    mark = network.mark()
    page.input.focus()
    names = []
    for _ in range(3):
        page.page.keyboard.press("Shift+Tab")
        names.append(focused(page)["name"])
    assert names == ["Call 999", "Download PDF", "Save or print"], names
    page.page.keyboard.press("Enter")
    summary = page.page.get_by_role("region", name="Your summary")
    summary.wait_for()
    assert focused(page)["name"] == "Your summary", "focus moves to the summary's heading"
    page.page.keyboard.press("Tab")
    assert focused(page)["name"] == "Print", "Tab goes on from the heading to Print"
    assert page.page.locator(".bpw-log").is_hidden()
    page.shot("summary-emergency")

    text = pdf_text(page, "summary-emergency")
    assert_in_order(
        text,
        [
            *escalation,
            "Date: " + conversation_date(page),
            "What you told the assistant",
            f"“hi”; “{EMERGENCY}”",
            NOT_A_DIAGNOSIS,
            consult,
        ],
    )
    assert text.startswith("Important: do this first " + escalation[0]), text
    for absent in ("Riverside", "Type your message", "Save or print", "Possible causes"):
        assert absent not in text, f"{absent!r} printed:\n{text}"

    saved = download_summary(page, "summary-emergency")
    assert (
        saved
        == "\n\n".join(
            [
                "IMPORTANT: DO THIS FIRST\n" + "\n".join(escalation),
                f"{DOC_TITLE}\nDate: {conversation_date(page)}",
                f"What you told the assistant\n“hi”; “{EMERGENCY}”",
                NOT_A_DIAGNOSIS,
                consult,
            ]
        )
        + "\n"
    ), saved

    # One print for one Enter, and one for one click.
    page.page.get_by_role("button", name="Print").focus()
    page.page.keyboard.press("Enter")
    assert page.page.evaluate("window.__prints") == 1
    page.page.get_by_role("button", name="Print").click()
    assert page.page.evaluate("window.__prints") == 2
    assert network.since(mark) == [], "saving or printing sends nothing"

    # Back to the chat (focus to the "Save or print" button), and printing the page now
    # leaves the widget out.
    page.page.get_by_role("button", name="Back to the chat").click()
    assert focused(page)["name"] == "Save or print"
    assert page.page.locator(".bpw-log").is_visible()
    # Esc in the summary goes back to the chat as well, not out of the panel (a usability review).
    page.page.keyboard.press("Enter")
    assert page.page.locator(".bpw-summary").is_visible()
    page.page.keyboard.press("Escape")
    assert page.page.locator(".bpw-log").is_visible() and not page.page.locator(".bpw-summary").is_visible()
    assert focused(page)["name"] == "Save or print"
    page_text = pdf_text(page, "page-printed-without-summary")
    assert "Riverside" in page_text and escalation[0] not in page_text and "Back pain helper" not in page_text


def test_summary_after_the_result_on_a_phone(visitor):
    """The full interview at 320 px, then the summary: on screen, as PDF, as a text file."""
    page = visitor(viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True)
    network = NetworkLog(page)
    page.goto()
    page.open()
    say_and_wait(page, "my lower back hurts after lifting a box, it goes down my leg to the knee")
    age_question = RESPONSES["utter_ask_age"][0]["text"]
    for _ in range(14):
        if set(page.bot_texts()) & set(CONSULT_TEXTS):
            break  # the result is closed; the offers after it are not the interview's
        chips = page.chips()
        before = page.page.locator(BOT).count()
        if chips:
            answer = next((c for c in chips if c.lower().startswith(("no", "none"))), chips[0])
            page.page.locator(CHIPS).filter(has_text=re.compile(f"^{re.escape(answer)}$")).click()
        elif page.bot_texts()[-1] == age_question:  # the one question answered in words
            answer = "45"
            page.say(answer)
        else:
            break
        page.wait_for_new_bot_message(before, f"to {answer!r}")
        page.wait_until_quiet(1500)
    bot_entries = [entry for entry in history(page) if entry["from"] == "bot"]
    texts = [entry["text"] for entry in bot_entries]
    told, causes, advice = (
        [e["text"] for e in bot_entries if e.get("kind") == k] for k in ("told", "causes", "advice")
    )
    # The result's advice: what would change it (the pain goes down the leg: the cauda
    # equina signs) and the self-care; the activity plan is offered, not sent.
    assert [a.split(":")[0] for a in advice][:1] == ["What would change this advice"], advice
    assert [e.get("kind") for e in bot_entries].count("plan_offer") == 1, texts
    assert not any(t.startswith("Your activity plan") for t in texts), "the plan is offered, not sent"
    assert told and causes and advice, f"no result; the bot said {texts}"
    consults = [text for text in texts if text in CONSULT_TEXTS]
    assert consults, texts
    consult = consults[-1]
    assert texts.index(consult) > texts.index(advice[-1]), "the consult recommendation closes the result"
    # The next step "Your exercise plan" asks for it; it comes, and goes into the summary.
    before = page.page.locator(BOT).count()
    page.page.get_by_role("group", name="Next steps").get_by_role("button", name="Your exercise plan").click()
    page.wait_for_new_bot_message(before, "to the exercise plan button")
    page.wait_until_quiet(1500)
    plan = [e["text"] for e in history(page) if e["from"] == "bot" and e.get("kind") == "plan"]
    assert plan and plan[0].startswith("Your activity plan"), [e["text"][:60] for e in history(page)[-6:]]
    advice += plan
    consult = [e["text"] for e in history(page) if e["from"] == "bot" and e["text"] in CONSULT_TEXTS][-1]
    save = page.page.locator(".bpw-tools").get_by_role("button", name="Save or print")
    save.wait_for()
    assert_no_sideways_scroll(page)
    page.shot("result-320")

    assert network.sent_messages() >= 7, "the log sees what the widget sends"
    mark = network.mark()
    save.click()
    assert_no_sideways_scroll(page)
    page.shot("summary-result-320")
    text = pdf_text(page, "summary-result")
    date = conversation_date(page)
    said = told[-1].removeprefix("You told me: ")
    said = said[0].upper() + said[1:]
    assert "You told me" not in text, "not twice under 'What you told the assistant'"
    assert_in_order(text, [DOC_TITLE, "Date: " + date, said, causes[-1], *advice, NOT_A_DIAGNOSIS, consult])
    assert "Important" not in text and "Type your message" not in text, text
    saved = download_summary(page, "summary-result")
    assert (
        saved
        == "\n\n".join(
            [
                f"{DOC_TITLE}\nDate: {date}",
                f"What you told the assistant\n{said}",
                f"Possible causes and why\n{causes[-1]}",
                "Advice given\n" + "\n".join(advice),
                NOT_A_DIAGNOSIS,
                consult,
            ]
        )
        + "\n"
    ), saved
    assert network.since(mark) == [], "saving or printing sends nothing"
    run_axe(page, "summary-result-320")
