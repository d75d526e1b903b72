"""The main tasks of each role done with the keyboard alone, as WCAG 2.1 AA asks
(2.1.1 Keyboard, 2.4.1 Bypass Blocks, 2.4.3 Focus Order, 2.4.7 Focus Visible, 1.4.11
Non-text Contrast, 3.3.1 Error Identification, 4.1.3 Status Messages): what axe-core in
test_accessibility.py cannot check.

Each control is reached by pressing Tab (``tab_to`` fails when it cannot be), operated with
Enter, Space, arrow keys and typing. After htmx replaces the part of the page that held the
focus, the focus must land somewhere that tells what happened (the first field in error,
the message that says it was saved), never on <body>, from where a screen reader starts
again at the top of the page. Messages that appear where the focus is not are copied into
the page's own live region (``#announcer``), which exists before they arrive: a live region
inserted together with its text is not reliably read.
"""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.test_accessibility import build_site, htmx_done, sign_in_quickly

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def type_date(page, day: dt.date) -> None:
    """Type a date into the date field that has the focus, as Chromium lays it out (month,
    day, year, whatever the page's language: it follows the browser's own)."""
    page.keyboard.type(day.strftime("%m%d%Y"))
    assert page.evaluate("() => document.activeElement.value") == day.isoformat()


def days_ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


def describe_focus(page) -> str:
    return page.evaluate("""() => {
        const el = document.activeElement;
        if (!el) { return "nothing"; }
        return el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + " "
            + JSON.stringify((el.getAttribute("aria-label") || el.textContent || "").trim()
                             .replace(/\\s+/g, " ").slice(0, 50));
    }""")


def focus_matches(page, selector: str, text: str | None) -> bool:
    return page.evaluate("""([selector, text]) => {
        const el = document.activeElement;
        return !!el && el.matches(selector)
            && (text === null || el.textContent.replace(/\\s+/g, " ").includes(text));
    }""", [selector, text])


def tab_to(page, selector: str, *, text: str | None = None, limit: int = 150,
           backwards: bool = False) -> None:
    """Press Tab (Shift+Tab) until the element matching ``selector`` (with ``text``) has
    the focus: it can be reached with the keyboard."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if focus_matches(page, selector, text):
            return
        seen.append(describe_focus(page))
    pytest.fail("%s%s was not reached with Tab; the focus went to:\n  %s" % (
        selector, f" ({text})" if text else "", "\n  ".join(seen)))


def expect_focus_not_lost(page) -> None:
    assert page.evaluate("() => document.activeElement !== document.body"), (
        "the focus was lost to <body>")


def focused(page):
    return page.locator("*:focus")


def expect_focused_field_in_error(page, field_id: str, message: str) -> None:
    """The field has the focus, is marked invalid and is described by its error."""
    field = page.locator(f"#{field_id}")
    expect(field).to_be_focused()
    expect(field).to_have_attribute("aria-invalid", "true")
    described = field.get_attribute("aria-describedby") or ""
    texts = [page.locator(f"#{ref}").inner_text() for ref in described.split()]
    assert any(message in text for text in texts), (field_id, described, texts)


def sign_in_at(page, context, live_server, user, url: str) -> None:
    sign_in_quickly(context, live_server, user)
    page.goto(live_server.url + url)
    htmx_done(page)


def test_a_skip_link_leads_past_the_menu_to_the_main_content(live_server, migration_data,
                                                              page, context):
    site = build_site()
    sign_in_at(page, context, live_server, site.case_worker, reverse("participants:caseload"))

    page.keyboard.press("Tab")
    skip = focused(page)
    expect(skip).to_have_text("Skip to main content")
    expect(skip).to_be_visible()
    assert skip.bounding_box()["width"] > 20 and skip.bounding_box()["y"] >= 0
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    page.keyboard.press("Tab")  # the first control of the page itself, not the menu's
    expect(focused(page)).to_have_text("Register participant")
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)")


def relative_luminance(rgb: tuple[float, float, float]) -> float:
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4
    red, green, blue = (channel(value) for value in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first, second) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)),
                             reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


FOCUS_STYLE = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    return {style: style.outlineStyle, width: parseFloat(style.outlineWidth),
            color: style.outlineColor};
}"""
WHITE, MENU_GREY = (255, 255, 255), (248, 249, 250)


def assert_each_stop_shows_its_focus(page, stops: int) -> None:
    """Every control Tab stops at is outlined, at least 2 px wide, in a colour that stands
    out 3:1 from the white page and the menu bar's grey (1.4.11). Bootstrap's own focus
    ring is a shadow of 25 % blue, which is about 1.4:1 on white."""
    problems, seen = [], set()
    for _ in range(stops):
        page.keyboard.press("Tab")
        what = describe_focus(page)
        if what in seen:  # back at the start of the page
            break
        seen.add(what)
        ring = page.evaluate(FOCUS_STYLE)
        rgb = tuple(float(part) for part in re.findall(r"[\d.]+", ring["color"])[:3])
        weakest = min(contrast(rgb, WHITE), contrast(rgb, MENU_GREY))
        if ring["style"] in ("none", "hidden") or ring["width"] < 2 or weakest < 3:
            problems.append("%s: outline %s %.0fpx %s (%.1f:1)" % (
                what, ring["style"], ring["width"], ring["color"], weakest))
    assert not problems, "focus hard to see on:\n  " + "\n  ".join(problems)


def test_each_control_shows_clearly_that_it_has_the_focus(live_server, migration_data, page,
                                                          context):
    site = build_site()
    sign_in_at(page, context, live_server, site.case_worker, reverse("participants:caseload"))
    assert_each_stop_shows_its_focus(page, 40)
    page.goto(live_server.url + reverse("participants:detail", args=[site.participant.pk]))
    htmx_done(page)
    assert_each_stop_shows_its_focus(page, 70)
