"""A case worker records a job on the participant page and finds the participant in the
support phase on My caseload: the start page's count, the list, the row's status; then
plans the next contact and sees it on both pages.

Dates are relative to today: the forms refuse a job start in the future.
"""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from participants.models import OutcomeKind, OutcomeSpell
from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EMPLOYER = "Sykkelverkstedet på Lade AS"


def days_ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


def test_a_recorded_job_puts_the_participant_in_the_support_phase(
    live_server, page, sign_in, screenshot
):
    office = factories.OfficeFactory(code="nav-lade", name="NAV Lade")
    ingrid = factories.CaseWorkerFactory(username="ingrid", first_name="Ingrid",
                                         last_name="Berg", staff_profile__office=office)
    project = factories.ProjectFactory(code="VIT", name="Vekst i Trøndelag")
    sigrid = factories.ParticipantFactory(ref="P-LADE-0142", given_name="Sigrid",
                                          family_name="Haugen", office=office,
                                          project=project, primary_case_worker=ingrid)
    factories.ParticipantFactory(ref="P-LADE-0157", given_name="Ahmed", family_name="Hassan",
                                 office=office, project=project, primary_case_worker=ingrid)
    factories.FollowUpFactory(participant=sigrid, case_worker=ingrid,
                              occurred_on=days_ago(50), note="Job interview next week.")
    hired = days_ago(40)

    sign_in(page, ingrid)
    caseload = live_server.url + reverse("participants:caseload")
    expect(page).to_have_url(caseload)
    expect(page.locator("#caseload-counts .count-support")).to_contain_text(
        "In the support phase: 0")

    # The job, recorded on the participant page.
    page.get_by_role("link", name="Sigrid Haugen").click()
    page.locator("summary", has_text="Record work or education").click()
    outcome = page.locator("#outcome-form")
    outcome.get_by_label("Kind").select_option(label="Work")
    outcome.get_by_label("Started on").fill(hired.isoformat())
    outcome.get_by_label("Employer or school").fill(EMPLOYER)
    outcome.get_by_role("button", name="Record work or education").click()
    expect(page.locator("#outcome-form [role=status]")).to_have_text("Recorded.")
    region = page.locator("#support-phase")
    expect(region).to_contain_text("In the support phase since")
    expect(region).to_contain_text("40")
    expect(region.locator(".support-overdue")).to_contain_text(
        "no contact for 40 days in the support phase")
    assert OutcomeSpell.objects.get(participant=sigrid).kind == OutcomeKind.WORK

    # The next contact, planned from the participant page.
    planned = timezone.localdate() + dt.timedelta(days=7)
    region.locator("summary", has_text="Plan the next contact").click()
    region.get_by_label("Next planned contact").fill(planned.isoformat())
    region.get_by_role("button", name="Save plan").click()
    expect(page.locator("#next-contact time")).to_have_attribute(
        "datetime", planned.isoformat())
    screenshot(page, "participant-support-phase")

    # Back on the start page: counted, listed, and standing out.
    page.goto(caseload)
    expect(page.locator("#caseload-counts .count-support")).to_contain_text(
        "In the support phase: 1")
    page.locator("#caseload-counts .count-support-no-contact").click()
    expect(page).to_have_url(caseload + "?focus=support_no_contact")
    rows = page.locator("#caseload-results tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Sigrid Haugen")
    expect(rows.first.locator(".support-phase-status")).to_contain_text("day 40")
    expect(rows.first.locator(".support-overdue")).to_contain_text(
        "40 days without contact")
    expect(rows.first.locator(".next-contact")).not_to_have_text("–")
    screenshot(page, "caseload-support-phase")

    # The list in the filter form, chosen by hand.
    page.goto(caseload)
    page.get_by_label("List", exact=True).select_option("support")
    expect(page).to_have_url(re.compile(r"[?&]focus=support(&|$)"))
    expect(page.locator("#caseload-results tbody tr")).to_have_count(1)

    # Saved under a name, and applied again from a clean page.
    saved = page.locator("#caseload-saved-filters")
    saved.locator("summary", has_text="Save the current filters").click()
    saved.get_by_label("Save these filters as").fill("In work")
    saved.get_by_role("button", name="Save filter").click()
    expect(saved.get_by_role("link", name="In work")).to_be_visible()
    page.goto(caseload)
    expect(page.locator("#caseload-results tbody tr")).to_have_count(2)
    page.locator("#caseload-saved-filters").get_by_role("link", name="In work").click()
    expect(page).to_have_url(re.compile(r"[?&]focus=support(&|$)"))
    expect(page.locator("#caseload-results tbody tr")).to_have_count(1)


def test_the_notes_view_prints_without_navigation(live_server, page, sign_in, screenshot):
    office = factories.OfficeFactory(code="nav-lade", name="NAV Lade")
    ingrid = factories.CaseWorkerFactory(username="ingrid", first_name="Ingrid",
                                         last_name="Berg", staff_profile__office=office)
    sigrid = factories.ParticipantFactory(ref="P-LADE-0142", given_name="Sigrid",
                                          family_name="Haugen", office=office,
                                          primary_case_worker=ingrid)
    factories.FollowUpFactory(participant=sigrid, case_worker=ingrid, occurred_on=days_ago(9),
                              note="First week at the bike shop went well.")
    factories.PlanReviewFactory(plan=factories.PlanFactory(participant=sigrid),
                                reviewed_by=ingrid, reviewed_on=days_ago(3),
                                note="Hours up from 20 to 25 a week.")

    sign_in(page, ingrid)
    page.goto(live_server.url + reverse("participants:detail", args=[sigrid.pk]))
    page.get_by_role("link", name="All notes, printable").click()
    notes = page.locator("#participant-notes")
    expect(notes).to_contain_text("First week at the bike shop went well.")
    expect(notes).to_contain_text("Hours up from 20 to 25 a week.")
    expect(page.get_by_role("button", name="Print")).to_be_visible()
    screenshot(page, "participant-notes")

    page.emulate_media(media="print")
    expect(page.locator("nav.navbar")).to_be_hidden()
    expect(page.get_by_role("button", name="Print")).to_be_hidden()
    expect(notes).to_contain_text("Hours up from 20 to 25 a week.")
