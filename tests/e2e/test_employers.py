"""A case worker registers an employer, logs a job development contact with it, records a
participant's job there, and finds the participant on the employer's page and the contact
in the team view's weekly table."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from participants.models import Employer, JobDevelopmentContact, OutcomeSpell
from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EMPLOYER = "Sykkelverkstedet på Lade AS"
NUMBER = factories.norwegian_organisation_number(4242)
CONTACT_NOTE = "Daglig leder kan ta inn en lærling til våren."


def test_case_worker_registers_an_employer_and_places_a_participant_there(
    live_server, page, sign_in, screenshot
):
    office = factories.OfficeFactory(code="nav-lade", name="NAV Lade")
    ingrid = factories.CaseWorkerFactory(username="ingrid", first_name="Ingrid",
                                         last_name="Berg", staff_profile__office=office)
    sigrid = factories.ParticipantFactory(ref="P-LADE-0142", given_name="Sigrid",
                                          family_name="Haugen", office=office,
                                          primary_case_worker=ingrid)
    hidden = factories.ParticipantFactory(ref="P-SENT-0001", given_name="Kari",
                                          family_name="Utenfor",
                                          office=factories.OfficeFactory(name="NAV Sentrum"))
    today = timezone.localdate().isoformat()

    sign_in(page, ingrid)
    page.get_by_role("link", name="Employers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Employers")
    page.get_by_role("link", name="Register employer").click()

    # A mistyped number is refused with the reason; the rest of the input stays.
    form = page.locator("#employer-form")
    form.get_by_label("Name").fill(EMPLOYER)
    form.get_by_label("Organisation number").fill(NUMBER[:-1])
    form.get_by_label("Municipality").fill("Trondheim")
    form.get_by_label("Contact person", exact=True).fill("Per Sykkel")
    form.get_by_role("button", name="Register").click()
    expect(form).to_contain_text("it has the wrong number of digits")
    expect(form.get_by_label("Name")).to_have_value(EMPLOYER)
    assert not Employer.objects.exists()

    form.get_by_label("Organisation number").fill(f"{NUMBER[:3]} {NUMBER[3:6]} {NUMBER[6:]}")
    form.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(EMPLOYER)
    employer = Employer.objects.get()
    assert employer.organisation_number == NUMBER

    # A job development contact, logged on the employer's page without leaving it.
    contact_form = page.locator("#job-development-form")
    contact_form.get_by_label("Note").fill(CONTACT_NOTE)
    contact_form.get_by_role("button", name="Log contact").click()
    expect(page.locator("#job-development-form [role=status]")).to_have_text("Contact logged.")
    expect(page.locator("#job-development-contacts")).to_contain_text(CONTACT_NOTE)
    assert JobDevelopmentContact.objects.get().case_worker == ingrid

    # Sigrid's job there, recorded on her page with the employer chosen from the register.
    page.goto(live_server.url + reverse("participants:detail", args=[sigrid.pk]))
    page.locator("summary", has_text="Record work or education").click()
    outcome = page.locator("#outcome-form")
    outcome.get_by_label("Kind").select_option(label="Work")
    outcome.get_by_label("Started on").fill(today)
    outcome.get_by_label("Hours per week").fill("30")
    # The register is searched; the one match is chosen as it arrives.
    outcome.get_by_label("Search the employer register").fill("sykkelverk")
    expect(outcome.get_by_label("Employer", exact=True)).to_have_value(str(employer.pk))
    outcome.get_by_role("button", name="Record work or education").click()
    expect(page.locator("#outcome-form [role=status]")).to_have_text("Recorded.")
    # The regions that reload after it (timeline, support phase, own view) read the tables
    # the next lines write: on SQLite a write during those reads finds the table locked.
    page.wait_for_function("() => !document.querySelector('.htmx-request')")
    assert OutcomeSpell.objects.get(participant=sigrid).employer == employer
    # Another office's participant at the same employer, recorded out of Ingrid's sight.
    factories.OutcomeSpellFactory(participant=hidden, employer=employer, ended_on=None)

    # The employer's page lists her, as current, and nobody Ingrid may not see.
    page.get_by_role("link", name="Employers").click()
    page.get_by_label("Name or organisation number").fill(NUMBER[:6])
    results = page.locator("#employer-results")
    expect(results).to_contain_text("1 employer")
    results.get_by_role("link", name=EMPLOYER).click()
    placements = page.locator("#employer-placements")
    expect(placements).to_contain_text("Sigrid Haugen")
    expect(placements).to_contain_text("Current")
    expect(placements).not_to_contain_text("Utenfor")
    screenshot(page, "employer")

    # The team view counts her contact in this week's column.
    page.get_by_role("link", name="Team").click()
    row = page.locator("#job-development-weeks tr", has_text="Ingrid Berg")
    expect(row.locator("td.num")).to_have_text(["0"] * 7 + ["1", "1"])

