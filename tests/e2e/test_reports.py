"""A project lead in the browser asks for an evaluation report, follows it until it is
ready and downloads it."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from rehab.roles import Role
from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_project_lead_requests_a_pdf_report_and_downloads_it(
    live_server, migration_data, page, sign_in, screenshot, tmp_path
):
    programme = factories.ProjectFactory(code="VVV", name="Vilje viser vei",
                                         target_work_rate="0.2000",
                                         target_education_rate="0.1500")
    for index in range(12):
        factories.EnrollmentFactory(
            participant__project=programme, referred_on=dt.date(2024, 1, 10),
            started_on=dt.date(2024, 2, 1),
            ended_on=dt.date(2024, 9, 30) if index % 2 else None,
            end_reason="completed" if index % 2 else "")
    lead = factories.UserFactory(username="turid", roles=[Role.PROJECT_LEAD])
    programme.leads.add(lead)

    sign_in(page, lead)
    page.get_by_role("link", name="Reports").click()
    expect(page.get_by_role("heading", name="Reports and extracts", exact=True)).to_be_visible()
    form = page.locator("#report-form")
    form.get_by_label("Project").select_option("VVV")
    form.get_by_label("From").fill("2024-01-01")
    form.get_by_label("To").fill("2024-12-31")
    form.get_by_label("Format").select_option("pdf")
    screenshot(page, "reports")
    form.get_by_role("button", name="Produce the report").click()

    expect(page.locator("#export-ready")).to_be_visible(timeout=60_000)
    screenshot(page, "report-ready")
    with page.expect_download() as waiting:
        page.locator("#export-download").click()
    downloaded = waiting.value
    assert downloaded.suggested_filename.endswith(".pdf")
    path = tmp_path / downloaded.suggested_filename
    downloaded.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")

    page.get_by_role("link", name="Back to reports and extracts").click()
    expect(page.locator("#export-requests")).to_contain_text("VVV")
