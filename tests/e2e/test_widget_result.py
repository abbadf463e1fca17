"""The result on a phone, and the next steps after it (issue 26, items 2 and 5).

Same harness as test_widget_browser.py (the real stack, Debian's Chromium driven by
Playwright; its fixtures are imported from there, so this module starts its own stack),
at 390x844 (a phone):

- the whole interview by taps, as a person would: the result's first bubble is its lead
  (the best fit and what to do); each possible cause is a card, collapsed, that opens on a
  click and from the keyboard (Enter on its summary), with why it may fit and what may help;
  no bubble is taller than about 8 lines; axe-core finds nothing serious;
- after the result, next-step buttons: Save or print opens the summary, Ask a question
  moves to the message box, Start over (confirmed) gives a greeting with suggestions that
  work instead of a blank panel;
- a result with an exercise plan (a message of kind ``plan``, restored from history) gets a
  "Your exercise plan" button that brings it into view; a result that offers one (kind
  ``plan_offer``) gets the button, which asks the server for it (tests/e2e/test_widget_a11y.py,
  the whole interview on a phone).
"""

from __future__ import annotations

import re
from typing import List

import pytest

from bot import replies
from tests.e2e.test_widget_a11y import CONSULT_TEXTS, history, run_axe, say_and_wait, shadow
from tests.e2e.test_widget_browser import (  # noqa: F401  (browser, stack, visitor: fixtures)
    BOT,
    CHIPS,
    RESPONSES,
    Page,
    browser,
    stack,
    visitor,
)

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
MAX_LINES = 8
# The same two ways to save as in the header, in the same order, first.
SAVE = ["Save or print", "Download PDF"]
# After a routine result, which offers its exercise plan.
NEXT_STEPS = [*SAVE, "Your exercise plan", "Ask a question", "Start over"]
SUGGESTIONS = ["Check my symptoms", "Should I go to A&E?", "Ask a question"]


def interview_to_the_result(page: Page) -> None:
    """Tells the pain, then answers every question by its buttons (no / none where offered)
    until the consult recommendation has closed the result."""
    say_and_wait(page, "my lower back hurts after lifting a box, it goes down my leg to the knee")
    age_question = RESPONSES["utter_ask_age"][0]["text"]
    for _ in range(16):
        if any(e.get("kind") == "consult" for e in history(page)):
            return
        chips = page.chips()
        before = page.page.locator(BOT).count()
        if chips:
            answer = next((c for c in chips if c.lower().startswith(("no", "none"))), chips[0])
            page.page.locator(CHIPS).filter(has_text=re.compile(f"^{re.escape(answer)}$")).click()
        elif page.bot_texts()[-1] == age_question:
            answer = "45"
            page.say(answer)
        else:
            break
        page.wait_for_new_bot_message(before, f"to {answer!r}")
        page.wait_until_quiet(1500)
    assert any(e.get("kind") == "consult" for e in history(page)), f"no result; the bot said {page.bot_texts()}"


def bubble_lines(page: Page) -> List[dict]:
    """Every message bubble and card in the log: its height in lines of its own text."""
    return shadow(
        page,
        """
        const lines = n => { const s = getComputedStyle(n);
            const pad = parseFloat(s.paddingTop) + parseFloat(s.paddingBottom)
                      + parseFloat(s.borderTopWidth) + parseFloat(s.borderBottomWidth);
            return (n.getBoundingClientRect().height - pad) / parseFloat(s.lineHeight); };
        return [...root.querySelectorAll('.bpw-log .bpw-msg:not(.bpw-alert), .bpw-log .bpw-card')]
            .map(n => ({text: n.textContent.slice(0, 60), lines: lines(n)}));""",
    )


def cards(page: Page) -> List[dict]:
    return shadow(
        page,
        """
        return [...root.querySelectorAll('.bpw-cards .bpw-card')].map(c => {
            const d = c.querySelector('details'); const body = c.querySelector('.bpw-card-body');
            return {name: c.querySelector('summary').textContent, open: d.open,
                    bodyShown: body.checkVisibility(), body: body.textContent}; });""",
    )


def next_steps(page: Page) -> List[str]:
    return page.page.get_by_role("group", name="Next steps").get_by_role("button").all_inner_texts()


def test_the_result_leads_then_cards_then_next_steps_on_a_phone(visitor):
    page = visitor(**PHONE).goto()
    page.open()
    interview_to_the_result(page)
    entries = history(page)
    kinds = [e.get("kind") for e in entries if e["from"] == "bot"]
    assert "lead" in kinds and "causes" in kinds, [(e.get("kind"), e["text"][:70]) for e in entries]
    lead = next(e for e in entries if e.get("kind") == "lead")
    causes = next(e for e in entries if e.get("kind") == "causes")
    assert lead["text"].startswith("The best fit for what you described is "), lead["text"]
    assert causes.get("causes"), "the causes came without their card data"

    # The reply with the result starts with the lead: the first bubble after the last answer.
    first = shadow(
        page,
        """
        const nodes = [...root.querySelectorAll('.bpw-log > *')];
        const lastUser = nodes.map(n => n.classList.contains('bpw-msg--user')).lastIndexOf(true);
        const after = nodes.slice(lastUser + 1).filter(n => n.classList.contains('bpw-msg'));
        return after.length ? after[0].querySelector('.bpw-text').textContent : null;""",
    )
    assert first == lead["text"], first

    # One card per cause, collapsed: the name shows, the why does not.
    shown = cards(page)
    assert [c["name"] for c in shown] == [c["name"] for c in causes["causes"]]
    assert all(not c["open"] and not c["bodyShown"] for c in shown), shown
    tall = [b for b in bubble_lines(page) if b["lines"] > MAX_LINES + 0.5]
    assert not tall, f"bubbles over {MAX_LINES} lines at 390 px: {tall}"
    # "You told me" is one closed card listing the statements, not a sentence cut into
    # bubbles; the plan offer is the "Your exercise plan" button, not a bubble as well.
    told = next(e for e in entries if e.get("kind") == "told")
    told_card = shadow(
        page,
        """const card = root.querySelector('.bpw-told');
        return card && {open: card.querySelector('details').open,
                        name: card.querySelector('summary').textContent,
                        items: [...card.querySelectorAll('li')].map(li => li.textContent)};""",
    )
    assert told_card and not told_card["open"] and "What you told me" in told_card["name"], told_card
    assert [item.lower() for item in told_card["items"]] == [item.lower() for item in told["told"]], told_card
    plan_offer = next(e["text"] for e in entries if e.get("kind") == "plan_offer")
    assert plan_offer[:40] not in " ".join(page.bot_texts()), "the plan offer is the button's, not a bubble"
    page.shot("result-390")
    run_axe(page, "result-390")

    # What a screen reader names each card: the cause, not "+ Sciatica" (review 4).
    cdp = page.page.context.new_cdp_session(page.page)
    named = [
        n.get("name", {}).get("value")
        for n in cdp.send("Accessibility.getFullAXTree")["nodes"]
        if n.get("role", {}).get("value") == "DisclosureTriangle"
    ]
    assert [n for n in named if n != told_card["name"]] == [c["name"] for c in causes["causes"]], named
    assert named.count(told_card["name"]) == 1, named
    # A click opens the first card; Enter on the second card's summary opens it too.
    summaries = page.page.locator(".bpw-cards .bpw-card summary")
    summaries.nth(0).click()
    opened = cards(page)[0]
    assert opened["open"] and opened["bodyShown"], opened
    assert causes["causes"][0]["why"][0] in opened["body"]
    assert "Why it may fit" in opened["body"] and "What may help" in opened["body"]
    if summaries.count() > 1:
        summaries.nth(1).focus()
        page.page.keyboard.press("Enter")
        assert cards(page)[1]["open"]
        page.page.keyboard.press("Enter")
        assert not cards(page)[1]["open"], "Enter closes it again"
    page.shot("result-390-card-open")
    run_axe(page, "result-390-card-open")

    # Next steps after the result: the same two ways to save as the header's; Save or print works.
    assert next_steps(page) == NEXT_STEPS, next_steps(page)
    assert page.page.locator(".bpw-header .bpw-tools button").all_inner_texts() == SAVE
    steps = page.page.get_by_role("group", name="Next steps")
    # From the message field: Send, then the latest reply's buttons at once (the next steps,
    # or an offer's answers when one came after them).
    page.input.focus()
    page.page.keyboard.press("Tab")
    page.page.keyboard.press("Tab")
    assert shadow(
        page,
        """const group = root.querySelector('.bpw-log').lastElementChild;
        return root.activeElement === group.querySelector('button');""",
    ), page.active_element_id()
    steps.get_by_role("button", name="Save or print").click()
    page.page.get_by_role("heading", name="Your summary").wait_for()
    page.page.get_by_role("button", name="Back to the chat").click()
    assert "bpw-next-save" in page.active_element_id(), "focus back on the button that opened it"

    # Ask a question: the message box, ready for it.
    steps.get_by_role("button", name="Ask a question").click()
    assert page.active_element_id() == "bpw-input"
    assert page.input.get_attribute("placeholder") == "Type your question…"

    # Start over: a greeting with suggestions, not a blank panel, and a suggestion works.
    old_session = page.session_id()
    steps.get_by_role("button", name="Start over").click()
    page.page.get_by_role("button", name="Start again").click()
    page.page.wait_for_function(f"window.BackpainWidget.sessionId !== '{old_session}'")
    greeting = page.page.locator(".bpw-greeting")
    greeting.wait_for(state="visible")
    assert "virtual assistant for back and leg pain" in greeting.inner_text()
    assert page.chips() == SUGGESTIONS
    assert page.page.locator(".bpw-msg").count() == 0 and page.page.locator(".bpw-next").count() == 0
    run_axe(page, "greeting-after-start-over")
    page.shot("greeting-after-start-over-390")
    before = page.page.locator(BOT).count()
    page.page.locator(CHIPS).filter(has_text="Check my symptoms").click()
    page.wait_for_new_bot_message(before, "to 'Check my symptoms'")
    assert page.page.locator(".bpw-greeting").count() == 0
    assert [e["text"] for e in history(page) if e["from"] == "user"] == ["Check my symptoms"]


def test_the_exercise_plan_button_brings_the_plan_into_view(visitor):
    """A result whose advice has an exercise plan (kind ``plan``) gets a button for it."""
    page = visitor(**PHONE).goto()
    page.open()
    plan = "Your exercise plan:\n" + "\n".join(
        f"• Day {d}: walk for {5 * d} minutes, then stretch." for d in range(1, 15)
    )
    entries = [
        {"from": "user", "text": "my back hurts"},
        {"from": "bot", "kind": "lead", "text": "The best fit for what you described is Muscle strain."},
        {
            "from": "bot",
            "kind": "causes",
            "text": "These are possible causes.\n1. Muscle strain (why: it started after lifting).",
            "causes": [{"name": "Muscle strain", "why": ["it started after lifting"], "advice": [], "helps": []}],
        },
        {"from": "bot", "kind": "plan", "text": plan},
        {"from": "bot", "kind": "plan", "text": "Where this plan comes from:\n• NHS: Back pain (nhs.uk)"},
        {"from": "bot", "kind": "told", "text": "You told me: pain in your lower back."},
        {"from": "bot", "kind": "consult", "text": CONSULT_TEXTS[2]},
    ]
    page.restore_history(entries)
    assert next_steps(page) == [*SAVE, "Your exercise plan", "Ask a question", "Start over"]
    # The button goes to where the plan starts, not to its sources (a usability review).
    assert page.page.locator(".bpw-plan").count() == 1
    assert "Your exercise plan:" in page.page.locator(".bpw-plan").inner_text()
    page.page.locator(".bpw-log").evaluate("log => { log.scrollTop = 0; }")
    page.page.get_by_role("group", name="Next steps").get_by_role("button", name="Your exercise plan").click()
    in_view = shadow(
        page,
        """
        const log = root.querySelector('.bpw-log').getBoundingClientRect();
        const plan = root.querySelector('.bpw-plan').getBoundingClientRect();
        return plan.top >= log.top - 1 && plan.top < log.bottom;""",
    )
    assert in_view, "the plan's start is in the visible part of the conversation"
    assert page.active_element_id().startswith("bpw-msg"), page.active_element_id()
    # Long as it is, the plan is in bubbles of at most about 8 lines, all of it shown.
    assert not [b for b in bubble_lines(page) if b["lines"] > MAX_LINES + 0.5]
    shown = "".join(page.page.locator(".bpw-msg--plan .bpw-text").all_inner_texts())
    assert "Day 14" in shown and "Day 1:" in shown


def test_a_text_cut_into_bubbles_keeps_its_spaces(visitor):
    """A long text shown as several bubbles still reads as the text it was (its
    textContent, what a copy or a screen reader's reading of the log gets): a space where it
    was cut, never "back and leg pain.I can also" (issue 26 review)."""
    page = visitor(**PHONE).goto()
    page.open()
    overview = replies.topics_overview()[0]
    told = (
        "You told me: pain in your lower back and your left leg, below the knee; it started after lifting a box "
        "about 3 days ago; it is worse when you sit and better when you walk; not sure about fever, weight loss, "
        "cancer or a weakened immune system. You can show this to your physiotherapist or doctor."
    )
    page.restore_history(
        [
            {"from": "user", "text": "what can you do"},
            {"from": "bot", "text": overview},
            {"from": "user", "text": "summary please"},
            {"from": "bot", "kind": "told", "text": told},
        ]
    )
    shown = shadow(
        page,
        """return {bubbles: root.querySelectorAll('.bpw-msg--bot').length,
                   text: root.querySelector('.bpw-log').textContent};""",
    )
    assert shown["bubbles"] >= 4, f"both texts are cut into bubbles at 390 px: {shown}"
    assert "back and leg pain. I can also" in shown["text"], shown["text"]
    assert "immune system. You can show this" in shown["text"], shown["text"]
    assert not re.findall(r"\w+[a-z][.!?][A-Z]\w+", shown["text"]), shown["text"]


ZOOM_200 = {"viewport": {"width": 640, "height": 400}, "device_scale_factor": 2}


def test_a_question_below_the_visible_part_gets_a_more_below_button_at_200_percent_zoom(visitor):
    """A reply is shown from its start; when it goes on out of view (the question to answer is
    often last), a "More below" button says so, and takes the person to it."""
    page = visitor(**ZOOM_200).goto()
    page.open()
    entries = [
        {"from": "user", "text": "my back hurts, I slipped and sat down hard"},
        *[
            {"from": "bot", "text": f"Thank you. This is part {n} of a long reply that goes on for a while."}
            for n in range(6)
        ],
        {"from": "bot", "text": "Does the pain spread anywhere, for example down a leg?"},
    ]
    page.restore_history(entries)
    page.page.locator(".bpw-log").evaluate("log => { log.scrollTop = 0; log.dispatchEvent(new Event('scroll')); }")
    more = page.page.get_by_role("button", name=re.compile("^More below"))
    more.wait_for(state="visible", timeout=5000)
    more.click()
    in_view = shadow(
        page,
        """
        const log = root.querySelector('.bpw-log').getBoundingClientRect();
        const last = [...root.querySelectorAll('.bpw-log .bpw-msg--bot')].pop().getBoundingClientRect();
        return last.bottom <= log.bottom + 1 && last.top >= log.top - 1;""",
    )
    assert in_view, "the last bubble (the question) is in view after 'More below'"
    focused = shadow(page, "return root.activeElement && root.activeElement.className;")
    assert focused == "bpw-input", f"focus goes to the message field, not an answer button: {focused}"
    assert not more.is_visible(), "the button goes once the end is in view"
    page.page.locator(".bpw-log").evaluate("log => { log.scrollTop = log.scrollHeight; }")
    assert not more.is_visible()


def test_start_over_asks_in_the_panel_and_typed_start_over_does_the_same(visitor):
    """Issue 26: typing "start over" was read as an answer; the button used the browser's own
    dialog. Both now ask in the panel, with "Keep this chat" focused (nothing lost by Enter)."""
    page = visitor(**PHONE).goto()
    page.open()
    say_and_wait(page, "my lower back hurts")
    session = page.session_id()
    page.say("start over")
    keep = page.page.get_by_role("button", name="Keep this chat")
    keep.wait_for(state="visible")
    assert page.active_element_id() == "bpw-action bpw-action--main", page.active_element_id()  # "Keep this chat"
    keep.click()
    assert page.session_id() == session
    assert "my lower back hurts" in " ".join(page.all_messages()), "the chat was kept"
    page.page.get_by_role("button", name="Start over").click()
    page.page.keyboard.press("Escape")  # Escape keeps the chat too, and leaves the panel open
    assert page.session_id() == session and page.page.locator(".bpw-confirm").count() == 0
    page.page.get_by_role("button", name="Start over").click()
    page.page.get_by_role("button", name="Start again").click()
    page.page.wait_for_function(f"window.BackpainWidget.sessionId !== '{session}'")
    page.page.locator(".bpw-greeting").wait_for(state="visible")
