"""Reporting a system problem or an idea (Lex Heller): any member of staff with a role."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from evaluations import services
from evaluations.models import ProblemReport
from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("evaluations:problem_report_create")


@pytest.mark.parametrize(
    "persona", ["case_worker", "provider_staff", "project_lead", "administrator"]
)
def test_every_role_can_report_a_problem(request, persona):
    user = request.getfixturevalue(persona)

    report = services.problem_report_create(
        user=user, summary="  The list forgets my filter.  ", suggestion="Keep it."
    )

    report.refresh_from_db()
    assert report.reported_by == user
    assert report.summary == "The list forgets my filter."
    assert report.status == ProblemReport.Status.NEW
    assert report.answered_by is None and report.answered_at is None


def test_user_without_a_role_cannot_report_a_problem():
    with pytest.raises(PermissionDenied):
        services.problem_report_create(
            user=factories.UserFactory(), summary="Something", suggestion=""
        )
    assert not ProblemReport.objects.exists()


def test_blank_summary_is_refused_by_the_service(case_worker):
    with pytest.raises(ValidationError):
        services.problem_report_create(user=case_worker, summary="   ", suggestion="")


def test_form_page_has_the_two_fields(log_in, case_worker):
    response = log_in(case_worker).get(URL)

    assert response.status_code == 200
    assert 'name="summary"' in response.text
    assert 'name="suggestion"' in response.text
    assert f'hx-post="{URL}"' in response.text


def test_case_worker_reports_a_problem_and_is_thanked_on_the_list(log_in, case_worker):
    client = log_in(case_worker)

    response = client.post(
        URL, {"summary": "Saving a follow-up failed.", "suggestion": "Keep what I typed."},
        follow=True,
    )

    assert response.redirect_chain == [(reverse("evaluations:problem_reports"), 302)]
    assert "Thank you for your report." in response.text
    assert "Saving a follow-up failed." in response.text
    report = ProblemReport.objects.get()
    assert (report.reported_by, report.suggestion) == (case_worker, "Keep what I typed.")


def test_htmx_post_sends_the_browser_to_the_list(log_in, case_worker):
    response = log_in(case_worker).post(
        URL, {"summary": "Saving failed.", "suggestion": ""}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("evaluations:problem_reports")
    assert ProblemReport.objects.count() == 1


def test_invalid_htmx_post_returns_the_form_with_errors_and_status_200(log_in, case_worker):
    response = log_in(case_worker).post(
        URL, {"summary": "", "suggestion": "An idea"}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'id="problem-report-form"' in response.text
    assert "This field is required." in response.text
    assert "An idea" in response.text
    assert not ProblemReport.objects.exists()


def test_user_without_a_role_gets_403_on_the_form(log_in):
    response = log_in(factories.UserFactory()).get(URL)
    assert response.status_code == 403


def test_menu_offers_problems_and_ideas_to_every_role(log_in, provider_staff):
    response = log_in(provider_staff).get(reverse("participants:home"), follow=True)
    assert reverse("evaluations:problem_reports") in response.text
    assert "Problems and ideas" in response.text


def test_menu_hides_problems_and_ideas_from_users_without_a_role(log_in):
    response = log_in(factories.UserFactory()).get(reverse("participants:home"))
    assert reverse("evaluations:problem_reports") not in response.text
