import pytest
from playwright.sync_api import expect

from evaluations.models import ProblemReport
from rehab.roles import Role
from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SUMMARY = "The follow-up I wrote was lost when the session timed out."
SUGGESTION = "Warn before the session ends, and keep the text that was typed."
ANSWER = "Thank you. A warning two minutes before time-out comes in the next release."


def test_case_worker_reports_a_problem_and_a_project_lead_answers_it(
    live_server, page, sign_in, sign_out, screenshot
):
    # Fixed names: they appear in the menu bar and the screenshots.
    case_worker = factories.CaseWorkerFactory(
        username="ingrid", first_name="Ingrid", last_name="Berg"
    )
    project_lead = factories.UserFactory(
        username="lars", first_name="Lars", last_name="Moen", roles=[Role.PROJECT_LEAD]
    )
    factories.ProblemReportFactory(
        summary="The waiting list cannot be sorted by referral date.",
        reported_by__first_name="Nora", reported_by__last_name="Dahl",
    )

    sign_in(page, case_worker)
    page.get_by_role("link", name="Problems and ideas").click()
    page.get_by_role("link", name="Report a problem").click()
    page.get_by_label("What happened, or what is the problem?").fill(SUMMARY)
    page.get_by_label("What would make it better?").fill(SUGGESTION)
    screenshot(page, "problem-report-form")
    page.get_by_role("button", name="Send report").click()

    expect(page.get_by_role("status")).to_contain_text("Thank you for your report.")
    expect(page.locator("#problem-reports")).to_contain_text(SUMMARY)
    expect(page.locator("#problem-reports")).not_to_contain_text("waiting list")
    report = ProblemReport.objects.get(reported_by=case_worker)
    assert (report.summary, report.suggestion, report.status) == (SUMMARY, SUGGESTION, "new")

    sign_out(page)
    sign_in(page, project_lead)
    page.get_by_role("link", name="Problems and ideas").click()
    page.get_by_role("link", name=SUMMARY).click()
    page.get_by_label("Status").select_option("planned")
    page.get_by_label("Answer to the reporter").fill(ANSWER)
    screenshot(page, "problem-report-answer")
    page.get_by_role("button", name="Save answer").click()

    expect(page.get_by_role("status")).to_contain_text("The answer was saved.")
    expect(page.locator("#problem-reports")).to_contain_text("Planned")
    expect(page.locator("#problem-reports")).to_contain_text("Nora Dahl")
    screenshot(page, "problem-report-list")
    report.refresh_from_db()
    assert (report.status, report.answer, report.answered_by) == ("planned", ANSWER, project_lead)

    page.get_by_label("Status").select_option("new")  # the filter reloads the list by htmx
    expect(page.locator("#problem-reports")).not_to_contain_text(SUMMARY)
    expect(page.locator("#problem-reports")).to_contain_text("waiting list")
    assert page.url.endswith("?status=new")
