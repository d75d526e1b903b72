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
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from evaluations.models import ExportRequest
from measures.models import Enrollment, ProgressReport
from participants.models import Answer, FollowUp, Goal, OutcomeSpell
from tests import factories
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
    """Once the answer has settled: between htmx's swap and its settle the old focus is
    gone and the new one not yet placed (a check in that moment failed now and then)."""
    htmx_done(page)
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


def test_the_caseload_is_sorted_and_filtered_with_the_keyboard(live_server, migration_data,
                                                               page, context):
    site = build_site()
    sign_in_at(page, context, live_server, site.case_worker, reverse("participants:caseload"))
    results = page.locator("#caseload-results")

    # A sort header replaces the table it is part of: the focus stays on that header.
    tab_to(page, "#caseload-results th a", text="Reference")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"sort=ref"))
    expect(results.locator("th[aria-sort=ascending]")).to_contain_text("Reference")
    expect(focused(page)).to_contain_text("Reference")
    page.keyboard.press("Enter")  # again: the other way round
    expect(results.locator("th[aria-sort=descending]")).to_contain_text("Reference")
    expect(focused(page)).to_contain_text("Reference")

    # A filter chosen with the arrow keys: the focus stays on it, and how many are left
    # is read out.
    tab_to(page, "#id_status", backwards=True)
    page.keyboard.press("ArrowDown")  # All -> Active
    page.keyboard.press("ArrowDown")  # -> Waiting
    expect(page).to_have_url(re.compile(r"status=waiting"))
    expect(page.locator("#id_status")).to_be_focused()
    expect(page.locator("#announcer")).to_have_attribute("aria-live", "polite")
    expect(page.locator("#announcer")).to_have_text("1 participant")

    # The search, typed: the focus stays in the box, and the count is read out again.
    tab_to(page, "#id_q", backwards=True)
    page.keyboard.type("Sigrid")  # not waiting for a measure
    expect(page).to_have_url(re.compile(r"q=Sigrid"))
    expect(page.locator("#id_q")).to_be_focused()
    expect(page.locator("#announcer")).to_have_text("0 participants")

    # Saving the filters closes the fold the form was in: the focus goes to the list of
    # saved filters, where the new one now is.
    tab_to(page, "summary", text="Save the current filters")
    page.keyboard.press("Enter")
    tab_to(page, "#saved-filter-form input[type=text]")
    page.keyboard.type("Sigrid")
    page.keyboard.press("Enter")
    expect(page.locator("#saved-filters-heading")).to_be_focused()
    expect(page.locator("#caseload-saved-filters")).to_contain_text("Sigrid")


def test_a_follow_up_is_logged_with_the_keyboard(live_server, migration_data, page, context):
    site = build_site()
    participant = site.participant
    before = FollowUp.objects.filter(participant=participant).count()
    sign_in_at(page, context, live_server, site.case_worker,
               reverse("participants:detail", args=[participant.pk]))

    tab_to(page, "#id_follow-up-occurred_on")
    type_date(page, timezone.localdate() + dt.timedelta(days=3))
    tab_to(page, "#id_follow-up-channel")
    page.keyboard.type("Phone")
    # The employer is looked up in the register while the focus stays in the search field:
    # how many match is read out, and the one match is chosen.
    tab_to(page, "#id_follow-up-employer_search")
    page.keyboard.type("Sykkelverk")
    expect(page.locator("#announcer")).to_have_text("1 employer in the register matches.")
    expect(page.locator("#id_follow-up-employer")).to_have_value(str(site.employer.pk))
    expect(page.locator("#id_follow-up-employer_search")).to_be_focused()
    tab_to(page, "#id_follow-up-note")
    page.keyboard.type("Ringte om oppstarten.")
    tab_to(page, "#follow-up-form button[type=submit]")
    page.keyboard.press("Enter")
    # Refused: the keyboard is taken to the field in error, which tells why.
    expect_focused_field_in_error(page, "id_follow-up-occurred_on",
                                  "The date cannot be in the future.")
    assert FollowUp.objects.filter(participant=participant).count() == before

    type_date(page, days_ago(1))
    tab_to(page, "#follow-up-form button[type=submit]")
    page.keyboard.press("Enter")
    expect(focused(page)).to_have_text("Follow-up saved.")
    expect(focused(page)).to_have_attribute("role", "status")
    assert FollowUp.objects.filter(participant=participant).count() == before + 1
    # From the message, the form is one Shift+Tab away, for the next follow-up.
    page.keyboard.press("Shift+Tab")
    expect(page.locator("#follow-up-form button[type=submit]")).to_be_focused()


def test_a_referral_is_made_with_the_keyboard(live_server, migration_data, page, context):
    site = build_site()
    participant = site.participant
    before = Enrollment.objects.filter(participant=participant).count()
    sign_in_at(page, context, live_server, site.case_worker,
               reverse("participants:detail", args=[participant.pk]))

    tab_to(page, "#enrollments summary", text="Refer to a measure")
    page.keyboard.press("Enter")
    tab_to(page, "#refer-measure")
    page.keyboard.type("Arbeidstrening")
    tab_to(page, "#refer-referred_on")
    type_date(page, timezone.localdate() + dt.timedelta(days=2))
    tab_to(page, "#enrollments form button[type=submit]", text="Refer")
    page.keyboard.press("Enter")
    expect_focused_field_in_error(page, "refer-referred_on", "future")

    type_date(page, days_ago(1))
    tab_to(page, "#enrollments form button[type=submit]", text="Refer")
    page.keyboard.press("Enter")
    expect(focused(page)).to_have_text("Referral registered.")
    assert Enrollment.objects.filter(participant=participant).count() == before + 1


def test_a_goal_and_work_are_recorded_with_the_keyboard(live_server, migration_data, page,
                                                        context):
    site = build_site()
    participant = site.participant
    sign_in_at(page, context, live_server, site.case_worker,
               reverse("participants:detail", args=[participant.pk]))

    tab_to(page, "summary", text="Add a goal")
    page.keyboard.press("Space")
    tab_to(page, "#goal-form textarea, #goal-form input[type=text]")
    page.keyboard.type("Fullføre førerkort klasse B.")
    tab_to(page, "#goal-form button[type=submit]")
    page.keyboard.press("Enter")
    expect(focused(page)).to_have_text("Goal added.")
    assert Goal.objects.filter(plan__participant=participant,
                               text="Fullføre førerkort klasse B.").exists()

    spells = OutcomeSpell.objects.filter(participant=participant).count()
    page.keyboard.press("Shift+Tab")  # back to the top of the plan, then on to the work
    tab_to(page, "summary", text="Record work or education", backwards=True)
    page.keyboard.press("Enter")
    tab_to(page, "#id_outcome-kind")
    page.keyboard.type("Education")
    tab_to(page, "#id_outcome-started_on")
    type_date(page, days_ago(3))
    tab_to(page, "#id_outcome-hours_per_week")
    page.keyboard.type("20")
    tab_to(page, "#outcome-form button[type=submit]")
    page.keyboard.press("Enter")
    expect_focused_field_in_error(page, "id_outcome-hours_per_week",
                                  "Hours per week are recorded for work only.")
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    tab_to(page, "#outcome-form button[type=submit]")
    page.keyboard.press("Enter")
    expect(focused(page)).to_have_text("Recorded.")
    assert OutcomeSpell.objects.filter(participant=participant).count() == spells + 1


def test_a_goal_is_reviewed_and_work_ended_with_the_keyboard(live_server, migration_data,
                                                             page, context):
    """A review answers with the goal's own form, its new status and a message that
    takes the focus and stays in sight. Ending work reloads the list it was in: the message
    that had the focus goes with it, so the focus goes to the list and the message is read
    out."""
    site = build_site()
    participant = site.participant
    goal = Goal.objects.get(plan__participant=participant)
    sign_in_at(page, context, live_server, site.case_worker,
               reverse("participants:detail", args=[participant.pk]))
    announcer = page.locator("#announcer")

    tab_to(page, f"#goal-review-{goal.pk} summary", text="Review this goal")
    page.keyboard.press("Enter")
    tab_to(page, f"#goal-review-{goal.pk} select")
    page.keyboard.type("Achieved")
    tab_to(page, f"#goal-review-{goal.pk} button[type=submit]")
    page.keyboard.press("Enter")
    expect(focused(page)).to_have_text("Review saved.")
    expect(focused(page)).to_have_attribute("role", "status")
    expect(page.locator(f"#goal-review-{goal.pk} .badge")).to_have_text("Achieved")
    page.wait_for_timeout(500)  # the timeline's reload, which must not take the message
    expect(page.locator(f"#goal-review-{goal.pk} [role=status]")).to_have_text("Review saved.")
    goal.refresh_from_db()
    assert goal.status == "achieved"

    spell = OutcomeSpell.objects.get(participant=participant, ended_on=None)
    tab_to(page, f"#outcome-end-{spell.pk} button[type=submit]", backwards=True)
    page.keyboard.press("Enter")
    expect(announcer).to_contain_text("Ended on")
    expect(page.locator("#outcome-spells-heading")).to_be_focused()
    spell.refresh_from_db()
    assert spell.ended_on == timezone.localdate()


def test_a_form_refused_on_a_new_page_takes_the_focus_to_its_error(live_server,
                                                                  migration_data, page,
                                                                  context):
    """The Reports page and the login page are sent as whole pages (no htmx)."""
    site = build_site()
    sign_in_at(page, context, live_server, site.project_lead,
               reverse("evaluations:export_list"))
    tab_to(page, "#id_date_from")
    type_date(page, dt.date(2025, 12, 31))
    tab_to(page, "#id_date_to")
    type_date(page, dt.date(2025, 1, 1))
    tab_to(page, "button[type=submit]", text="Produce the report")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect_focused_field_in_error(page, "id_date_to",
                                  "The end of the period cannot be before its start.")

    context.clear_cookies()
    page.goto(live_server.url + reverse("login"))
    tab_to(page, "input[name=username]")
    page.keyboard.type(site.case_worker.username)
    page.keyboard.press("Tab")
    page.keyboard.type("not the password")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(focused(page)).to_contain_text("correct")
    page.keyboard.press("Tab")  # and on to the form, to try again
    expect(page.locator("input[name=username]")).to_be_focused()


def test_a_report_being_produced_says_when_it_is_ready(live_server, migration_data, page,
                                                       context):
    """The report is produced in the background while its page asks every few seconds how
    far it has come, replacing its status each time: that it is ready is read out."""
    site = build_site()
    export = factories.ExportRequestFactory(project=site.project, requested_by=site.project_lead)
    sign_in_at(page, context, live_server, site.project_lead,
               reverse("evaluations:export_detail", args=[export.pk]))
    expect(page.locator("#export-progress")).to_be_visible()
    page.wait_for_function("() => !document.querySelector('.htmx-request')")
    now = timezone.now()
    ExportRequest.objects.filter(pk=export.pk).update(
        status="done", progress=100, file_name="exports/abc/report.xlsx", file_size=1234,
        finished_at=now, expires_at=now + dt.timedelta(days=1))
    expect(page.locator("#export-ready")).to_be_visible(timeout=10_000)
    expect(page.locator("#announcer")).to_contain_text("Ready")
    tab_to(page, "#export-download")


def test_the_next_contact_is_planned_with_the_keyboard(live_server, migration_data, page,
                                                       context):
    site = build_site()
    participant = site.participant
    sign_in_at(page, context, live_server, site.case_worker,
               reverse("participants:detail", args=[participant.pk]))
    planned = timezone.localdate() + dt.timedelta(days=10)

    tab_to(page, "#support-phase summary", text="Plan the next contact")
    page.keyboard.press("Enter")
    tab_to(page, "#next-contact-form input[type=date]")
    type_date(page, planned)
    tab_to(page, "#next-contact-form button[type=submit]")
    page.keyboard.press("Enter")
    # The region is replaced by one that shows the new date: the focus goes to that line.
    expect(focused(page)).to_have_id("next-contact")
    expect(focused(page).locator("time")).to_have_attribute("datetime", planned.isoformat())
    participant.refresh_from_db()
    assert participant.next_contact_on == planned


def test_the_provider_writes_a_progress_report_with_the_keyboard(live_server, migration_data,
                                                                 page, context):
    site = build_site()
    enrollment = site.provider_enrollment
    reports = ProgressReport.objects.filter(enrollment=enrollment).count()
    sign_in_at(page, context, live_server, site.provider_staff,
               reverse("measures:provider_enrollment", args=[enrollment.pk]))

    tab_to(page, "input[name$=attendance_percent]")
    page.keyboard.type("90")
    tab_to(page, "textarea[name$=went_well]")
    page.keyboard.type("Møtt hver dag.")
    tab_to(page, "button[type=submit]", text="Save the report")
    page.keyboard.press("Enter")
    expect_focus_not_lost(page)
    expect(focused(page)).to_have_attribute("role", "status")
    assert ProgressReport.objects.filter(enrollment=enrollment).count() == reports + 1

    # A change of participation sent with neither of its numbers: refused by the server, and
    # the focus is on what says why.
    tab_to(page, "summary", text="Propose a change of participation")
    page.keyboard.press("Enter")
    tab_to(page, "details[open] form button[type=submit]")
    page.keyboard.press("Enter")
    expect(focused(page)).to_contain_text(
        "Enter the new participation percentage or days per week.")


def test_the_dashboard_is_chosen_and_read_with_the_keyboard(live_server, migration_data,
                                                            page, context):
    site = build_site()
    call_command("refresh_snapshots", "--project", site.project.code, stdout=StringIO())
    sign_in_at(page, context, live_server, site.project_lead, reverse("evaluations:dashboard"))

    tab_to(page, "#id_project")
    page.keyboard.type("VIT")
    tab_to(page, "#id_by")
    page.keyboard.type("Gender")
    tab_to(page, "#dashboard-choice button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_function("() => window.Chart && Chart.getChart('breakdown-chart')")
    # Each chart is an image with a name, and its numbers are in a table the keyboard
    # reaches (the trend's behind a fold).
    for chart in ("#trend-chart", "#breakdown-chart"):
        expect(page.locator(chart)).to_have_attribute("role", "img")
        expect(page.locator(chart)).to_have_attribute("aria-label", re.compile("table"))
    expect(page.locator("#breakdown-table")).to_be_visible()
    tab_to(page, "summary", text="The trend as a table")
    page.keyboard.press("Enter")
    expect(page.locator("#trend-table")).to_be_visible()

    tab_to(page, "#custom-period summary")
    page.keyboard.press("Enter")
    tab_to(page, "#custom-period input[type=date]")
    expect_focus_not_lost(page)

    # A form sent as a whole page: its message, at the top of the new page, has the focus.
    tab_to(page, "#refresh-form button[type=submit]", backwards=True)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(focused(page)).to_contain_text("The figures are being computed again.")
    page.keyboard.press("Tab")  # and on into the page, past the menu
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)")


def test_the_participant_answers_with_the_keyboard(live_server, migration_data, page,
                                                   context):
    site = build_site()
    participant = site.participant
    sign_in_at(page, context, live_server, site.case_worker,
               reverse("participants:detail", args=[participant.pk]))
    tab_to(page, "#voice summary", text="participant mode")
    page.keyboard.press("Enter")
    tab_to(page, "#voice select")
    page.keyboard.type("English")
    tab_to(page, "#voice button[type=submit]", text="Open participant mode")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    item = page.locator(".participant-mode-item").first
    expect(item).to_be_visible()
    item_pk = int(item.get_attribute("id").removeprefix("item-"))

    tab_to(page, f"#score-{item_pk}-1")
    page.keyboard.press("Space")  # chooses 1, saved at once
    expect(item.locator(".participant-mode-status")).to_have_text("Saved")
    expect(page.locator("#announcer")).to_have_text("Saved")  # by a region there all along

    # On to 4 with the arrow key, pressed quickly: each press chooses and sends an answer,
    # while the one before is still on its way. The last one chosen is the one kept, on the
    # screen and in the case file, and the focus stays on it.
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    choice = page.locator(f"#score-{item_pk}-4")
    expect(choice).to_be_focused()
    page.wait_for_load_state("networkidle")
    expect(choice).to_be_checked()
    expect(choice).to_be_focused()
    expect(item.locator(".participant-mode-status")).to_have_text("Saved")
    assert Answer.objects.get(participant=participant, item_id=item_pk,
                              answered_on=timezone.localdate()).score == 4
