"""Emergency and urgent instructions in the chat widget cannot be missed (issue 26).

Same harness as test_widget_browser.py (the real stack, Debian's Chromium driven by
Playwright; its fixtures are imported from there, so this module starts its own stack).

- At 390x844 (a phone) and at 200% zoom (640x400 CSS px at device scale 2, as
  test_widget_a11y.py does), after an emergency message the alert card's "999" heading and
  its ``tel:999`` link are inside the conversation's visible box without any scrolling:
  the panel shows the start of a reply, not its end.
- Nothing after the alert in that reply has routine wording ("few weeks", "if it isn't
  getting better"): the consult advice takes its emergency form (domain.yml).
- A compact copy of the alert, with its call link, stays pinned above the conversation
  (never over it) after one more message.
- The alert is announced once: it is added once to one live region (the log), and the
  pinned copy is outside every live region.
- An urgent message gets ``tel:111`` (URGENT_CARE_NUMBER) and the same-day route.
- The desktop panel can be enlarged with a toggle reached from the keyboard.

Screenshots of the phone and 200% views go to docs/images/ (referenced in docs/widget.md);
the others to test-artifacts/.
"""

from __future__ import annotations

from typing import Dict, List

import pytest

from tests.e2e.test_widget_browser import (  # noqa: F401  (browser, stack, visitor: fixtures)
    BOT,
    CHIPS,
    GREETING,
    Page,
    browser,
    stack,
    visitor,
)
from tests.support.stack import ROOT

pytestmark = pytest.mark.e2e

EMERGENCY = "I can't control my bladder and my bum is numb"
URGENT = "i have a fever and back pain"
ROUTINE_WORDING = ("few weeks", "if it isn't getting better", "isn't getting better")
IMAGES = ROOT / "docs" / "images"
LAYOUTS = {
    "390px": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    # A 1280x800 window at 200% zoom lays out as 640x400 CSS px at twice the pixel density.
    "zoom200": {"viewport": {"width": 640, "height": 400}, "device_scale_factor": 2},
}
# Every addition to a live region of the widget, with its text (what a screen reader is given
# to announce), installed before the message is sent. Nodes added in one batch inside another
# node of the same batch are part of that addition (the browser sees the whole node once).
RECORD_LIVE = """() => {
    const root = document.getElementById('bpw-host').shadowRoot;
    window.__live = [];
    const live = n => n.closest && n.closest('[aria-live]:not([aria-live=off]), [role=log], [role=status], [role=alert]');
    new MutationObserver(records => {
        const added = records.flatMap(r => [...r.addedNodes]).concat(
            records.filter(r => r.type === 'characterData').map(r => r.target));
        for (const node of added) {
            if (added.some(other => other !== node && other.contains(node))) continue;
            const element = node.nodeType === 1 ? node : node.parentElement;
            const region = element && live(element);
            if (region) window.__live.push([region.className, node.textContent]);
        }
    }).observe(root, {childList: true, subtree: true, characterData: true});
}"""


def shadow(page: Page, js: str, arg=None):
    """Evaluates `js` (a function body over `root`, the widget's shadow root, and `arg`)."""
    return page.page.evaluate(f"(arg) => {{ const root = document.getElementById('bpw-host').shadowRoot; {js} }}", arg)


def say_and_wait(page: Page, text: str) -> None:
    before = page.page.locator(BOT).count()
    page.say(text)
    page.wait_for_new_bot_message(before, f"to {text!r}")
    page.wait_until_quiet(2000)


def boxes(page: Page) -> Dict[str, dict]:
    """Bounding boxes (CSS px) of the scroll container, the latest alert card, its heading and
    call link, and the pinned copy with its link."""
    return shadow(
        page,
        """
        const box = n => { if (!n) return null; const b = n.getBoundingClientRect();
                           return {top: b.top, bottom: b.bottom, left: b.left, right: b.right}; };
        const cards = root.querySelectorAll('.bpw-log .bpw-alert');
        const card = cards[cards.length - 1];
        return {log: box(root.querySelector('.bpw-log')), card: box(card),
                heading: box(card && card.querySelector('.bpw-alert-heading')),
                link: box(card && card.querySelector('a.bpw-call')),
                pinned: box(root.querySelector('.bpw-pinned:not([hidden])')),
                pinnedLink: box(root.querySelector('.bpw-pinned:not([hidden]) a.bpw-call')),
                header: box(root.querySelector('.bpw-header')), tools: box(root.querySelector('.bpw-tools:not([hidden])')),
                form: box(root.querySelector('.bpw-form')),
                more: box(root.querySelector('.bpw-more:not([hidden])')),
                moreInForm: root.querySelector('.bpw-form .bpw-more') !== null,
                scrollTop: root.querySelector('.bpw-log').scrollTop};""",
    )


def inside(inner: dict, outer: dict) -> bool:
    return (
        inner is not None
        and inner["top"] >= outer["top"] - 0.5
        and inner["bottom"] <= outer["bottom"] + 0.5
        and inner["left"] >= outer["left"] - 0.5
        and inner["right"] <= outer["right"] + 0.5
    )


def reply_after_last_user_message(page: Page) -> List[dict]:
    """The bot messages of the latest reply, from the widget's stored history."""
    import json

    entries = json.loads(
        page.page.evaluate(
            "() => sessionStorage.getItem(Object.keys(sessionStorage).find(k => k.includes(':history:')))"
        )
    )
    last_user = max(i for i, entry in enumerate(entries) if entry["from"] == "user")
    return entries[last_user + 1 :]


def pinned(page: Page) -> dict:
    return shadow(
        page,
        """
        const pin = root.querySelector('.bpw-pinned');
        return {hidden: pin.hidden, text: pin.textContent,
                links: [...pin.querySelectorAll('a')].map(a => [a.getAttribute('href'), a.textContent]),
                live: !!pin.closest('[aria-live], [role=log], [role=status], [role=alert]') || !!pin.querySelector('[aria-live]')};""",
    )


# --------------------------------------------------------------------------- emergency
@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_emergency_alert_and_its_call_link_are_in_view_without_scrolling(visitor, layout):
    page = visitor(**LAYOUTS[layout]).goto()
    page.open()
    page.say("hi")  # a conversation before it, so that the reply has something to scroll past
    page.wait_for_text(GREETING)
    page.page.locator(CHIPS).first.wait_for()
    page.wait_until_quiet()
    page.page.evaluate(RECORD_LIVE)

    say_and_wait(page, EMERGENCY)
    card = page.page.locator(".bpw-log .bpw-alert--emergency")
    assert card.count() == 1, "the emergency messages of one reply share one card"
    heading = card.locator(".bpw-alert-heading")
    assert heading.inner_text().strip() == "Emergency: call 999 now"
    assert heading.get_attribute("role") is None and heading.evaluate("n => n.tagName") == "H3"
    icon = heading.locator("svg")
    assert icon.get_attribute("role") == "img" and icon.get_attribute("aria-label") == "Warning"
    link = card.locator("a.bpw-call")
    assert link.count() == 1 and link.get_attribute("href") == "tel:999" and link.inner_text().strip() == "Call 999"
    border = card.evaluate("n => parseFloat(getComputedStyle(n).borderTopWidth)")
    assert border >= 3, f"a thick border, not colour alone: {border}px"

    # In view without scrolling: the heading with "999" and the tel: link inside the
    # scroll container's box, and the reply's start (the card) not above it.
    found = boxes(page)
    assert inside(found["heading"], found["log"]), found
    assert inside(found["link"], found["log"]), found
    assert found["card"]["top"] >= found["log"]["top"] - 0.5, found
    assert found["scrollTop"] > 0, "the conversation before the reply was scrolled past"

    # The ways to save are in the header, not in a bar under the conversation; at 200% zoom
    # (a short screen) they share the title's row and nothing but the message field is below
    # the conversation, which keeps most of the height (issue 26 review: 194 of 400 px).
    assert found["tools"] and inside(found["tools"], found["header"]), found
    if layout == "zoom200":
        assert found["header"]["bottom"] - found["header"]["top"] <= 50, found
        assert found["form"]["top"] - found["log"]["bottom"] <= 0.5, found
        assert found["log"]["bottom"] - found["log"]["top"] >= 0.55 * _viewport(layout)["bottom"], found
    # "More below" is never laid over the conversation: at 200% zoom it covered the start of
    # the emergency wording (usability review 9); there it is an arrow in the message row.
    assert found["moreInForm"] == (layout == "zoom200"), found
    if found["more"]:
        assert found["more"]["top"] >= found["log"]["bottom"] - 0.5, found

    # Nothing routine after the alert in this reply.
    reply = reply_after_last_user_message(page)
    first_alert = next(i for i, entry in enumerate(reply) if entry.get("kind") == "emergency")
    assert first_alert == 0, f"the instruction comes first: {reply}"
    assert reply[0].get("call") == {"number": "999"}, reply[0]
    after = [entry["text"] for entry in reply[first_alert + 1 :] if entry.get("kind") != "emergency"]
    assert after, "the reply ends with the consult advice"
    assert not [t for t in after for words in ROUTINE_WORDING if words in t], after
    assert reply[-1].get("kind") == "consult", reply[-1]

    # The pinned copy: visible above the log (never over it), with the call link.
    pin = pinned(page)
    assert not pin["hidden"] and "Emergency: call 999 now" in pin["text"], pin
    assert pin["links"] == [["tel:999", "Call 999"]], pin
    assert found["pinned"]["bottom"] <= found["log"]["top"] + 0.5, found

    # Announced once: the alert's heading and instruction were added once, to one live region.
    live = page.page.evaluate("window.__live")
    heard = [(region, text) for region, text in live if "Emergency: call 999 now" in text]
    assert len(heard) == 1 and "bpw-log" in heard[0][0], live
    instruction = reply[0]["text"]
    assert [region for region, text in live if instruction in text] == [heard[0][0]], live
    assert not pin["live"], "the pinned copy is not announced again"
    assert shadow(page, "return root.querySelectorAll('[aria-live=assertive], [role=alert]').length;") == 0

    shot = IMAGES / f"widget-alert-{layout}.png"
    page.page.screenshot(path=str(shot), scale="css")
    page.shot(f"alert-{layout}")

    # One more message: the pinned copy stays, above the conversation, with its link.
    say_and_wait(page, "thank you")
    later = boxes(page)
    pin = pinned(page)
    assert not pin["hidden"] and pin["links"] == [["tel:999", "Call 999"]], pin
    assert inside(later["pinnedLink"], {"top": 0, "left": 0, **_viewport(layout)}), later
    assert later["pinned"]["bottom"] <= later["log"]["top"] + 0.5, later
    page.shot(f"alert-{layout}-after-one-more")


def _viewport(layout: str) -> dict:
    viewport = LAYOUTS[layout]["viewport"]
    return {"bottom": viewport["height"], "right": viewport["width"]}


# --------------------------------------------------------------------------- urgent
def test_urgent_alert_calls_the_urgent_care_number(visitor):
    page = visitor(**LAYOUTS["390px"]).goto()
    page.open()
    say_and_wait(page, URGENT)
    card = page.page.locator(".bpw-log .bpw-alert--urgent")
    assert card.count() == 1
    assert card.locator(".bpw-alert-heading").inner_text().strip() == "Urgent: get help today"
    link = card.locator("a.bpw-call")
    assert link.get_attribute("href") == "tel:111" and link.inner_text().strip() == "Call 111"
    assert card.locator(".bpw-alert-route").inner_text() == "Or contact your GP for an urgent same-day appointment."
    found = boxes(page)
    assert inside(found["heading"], found["log"]) and inside(found["link"], found["log"]), found
    pin = pinned(page)
    assert not pin["hidden"] and pin["links"] == [["tel:111", "Call 111"]], pin
    reply = reply_after_last_user_message(page)
    consult = [entry["text"] for entry in reply if entry.get("kind") == "consult"]
    assert consult and not [t for t in consult for words in ROUTINE_WORDING if words in t], consult
    page.shot("alert-urgent-390px")


def test_a_number_in_the_crisis_card_text_can_be_tapped_too(visitor):
    """Usability review 4: Samaritans' 116 123 was plain text in the crisis card; the card's
    own number (999) keeps its one big link, not a second one in the text."""
    page = visitor(**LAYOUTS["390px"]).goto()
    page.open()
    say_and_wait(page, "i want to die")
    card = page.page.locator(".bpw-log .bpw-alert--crisis")
    assert card.count() == 1
    inline = [(a.get_attribute("href"), a.inner_text()) for a in card.locator("a.bpw-inline-call").all()]
    assert inline == [("tel:116123", "116 123")], inline
    assert card.locator("a.bpw-inline-call").get_attribute("aria-label") == "Call Samaritans 116 123"
    assert [a.get_attribute("href") for a in card.locator("a.bpw-call").all()] == ["tel:999"]
    # Pinned with the emergency number (usability review 5: on a desktop the crisis line was
    # below the visible part of the card, and the pinned copy had only 999).
    pin = pinned(page)
    assert not pin["hidden"] and pin["links"] == [["tel:999", "Call 999"], ["tel:116123", "Samaritans 116 123"]], pin


# --------------------------------------------------------------------------- enlarge
def test_the_desktop_panel_can_be_enlarged_from_the_keyboard(visitor):
    page = visitor().goto()
    page.launcher.focus()
    page.page.keyboard.press("Enter")
    page.panel.wait_for(state="visible")
    normal = page.panel.bounding_box()
    toggle = page.page.get_by_role("button", name="Enlarge")
    assert toggle.is_visible() and toggle.get_attribute("aria-pressed") == "false"
    # Reached with Tab: it is the first control of the panel.
    page.launcher.focus()
    page.page.keyboard.press("Tab")
    assert shadow(page, "return root.activeElement && root.activeElement.getAttribute('aria-label');") == "Enlarge"
    page.page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-pressed") == "true"
    large = page.panel.bounding_box()
    # The normal panel may already be as tall as the window allows (720 px, review 6).
    # Heights are compared to the whole pixel: the opening animation can leave the first
    # measurement a few millionths of a pixel taller (CI on d82dfb3: 692.00002 against 692).
    assert large["width"] >= 700 and round(large["height"]) >= round(normal["height"]), (normal, large)
    assert large["x"] >= 0 and large["y"] >= 0
    page.shot("enlarged")
    # Kept for this tab across a reload; Space turns it off again.
    page.page.reload()
    page.page.wait_for_function("window.BackpainWidget !== undefined")
    page.panel.wait_for(state="visible")
    assert page.page.get_by_role("button", name="Enlarge").get_attribute("aria-pressed") == "true"
    page.page.get_by_role("button", name="Enlarge").focus()
    page.page.keyboard.press("Space")
    assert page.page.get_by_role("button", name="Enlarge").get_attribute("aria-pressed") == "false"
    assert page.panel.bounding_box()["width"] == normal["width"]

    # Where the panel fills the screen there is nothing to enlarge.
    phone = visitor(**LAYOUTS["390px"]).goto()
    phone.open()
    assert phone.page.get_by_role("button", name="Enlarge").is_hidden()


# --------------------------------------------------------------------------- stored alerts
def test_alerts_restored_from_storage_are_checked_again(visitor):
    """The history is stored on the device: a call number from it is used only if a phone
    can dial it, and the latest alert is pinned again after a reload."""
    page = visitor().goto()
    page.open()
    entries = [
        {"from": "user", "text": "help"},
        {"from": "bot", "text": "Call now.", "kind": "emergency", "call": {"number": "javascript:alert(1)"}},
        {"from": "user", "text": "and now?"},
        {
            "from": "bot",
            "text": "Get checked today.",
            "kind": "urgent",
            "call": {"number": "111", "route": "Or see your GP."},
        },
        {"from": "bot", "text": "Please see someone.", "kind": "consult"},
    ]
    page.restore_history(entries)
    cards = shadow(
        page,
        """return [...root.querySelectorAll('.bpw-alert')].map(c => [c.querySelector('.bpw-alert-heading').textContent,
            [...c.querySelectorAll('a')].map(a => a.getAttribute('href'))]);""",
    )
    assert cards == [["Emergency: get help now", []], ["Urgent: get help today", ["tel:111"]]], cards
    assert pinned(page)["links"] == [["tel:111", "Call 111"]]
    assert page.page.evaluate("typeof window.__xss") == "undefined"
