"""One report, and answering it: leads and administrators only, never over someone's change."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from evaluations import services
from evaluations.models import ProblemReport
from rehab.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db


def url(report) -> str:
    return reverse("evaluations:problem_report_detail", args=[report.pk])


def answer_data(report, **changes) -> dict:
    return {
        "status": "planned",
        "answer": "Coming in the spring release.",
        "expected_updated_at": report.updated_at.isoformat(),
        **changes,
    }


# The service


@pytest.mark.parametrize("persona", ["project_lead", "administrator"])
def test_lead_and_administrator_can_answer(request, persona):
    user = request.getfixturevalue(persona)
    report = factories.ProblemReportFactory()

    services.problem_report_answer(
        report=report, user=user, status="planned", answer=" Next release. ",
        expected_updated_at=report.updated_at,
    )

    report.refresh_from_db()
    assert (report.status, report.answer, report.answered_by) == ("planned", "Next release.", user)
    assert report.answered_at is not None


@pytest.mark.parametrize("persona", ["case_worker", "provider_staff"])
def test_other_roles_cannot_answer_even_their_own_report(request, persona):
    user = request.getfixturevalue(persona)
    report = factories.ProblemReportFactory(reported_by=user)

    with pytest.raises(PermissionDenied):
        services.problem_report_answer(
            report=report, user=user, status="done", answer="Solved it myself",
            expected_updated_at=report.updated_at,
        )

    report.refresh_from_db()
    assert (report.status, report.answer) == ("new", "")


def test_answer_is_refused_when_the_report_changed_since_it_was_loaded(project_lead):
    report = factories.ProblemReportFactory()
    seen = report.updated_at
    other_lead = factories.UserFactory(roles=[Role.PROJECT_LEAD])
    services.problem_report_answer(
        report=report, user=other_lead, status="rejected", answer="Works as intended.",
        expected_updated_at=seen,
    )

    with pytest.raises(ValidationError, match="Someone else changed this report"):
        services.problem_report_answer(
            report=report, user=project_lead, status="done", answer="Fixed.",
            expected_updated_at=seen,
        )

    report.refresh_from_db()
    assert (report.status, report.answer, report.answered_by) == (
        "rejected", "Works as intended.", other_lead
    )


def test_unknown_status_is_refused(project_lead):
    report = factories.ProblemReportFactory()
    with pytest.raises(ValidationError):
        services.problem_report_answer(
            report=report, user=project_lead, status="forgotten", answer="",
            expected_updated_at=report.updated_at,
        )


# The page


def test_reporter_sees_own_report_without_the_answer_form(log_in, case_worker):
    report = factories.ProblemReportFactory(reported_by=case_worker, answered=True)

    response = log_in(case_worker).get(url(report))

    assert response.status_code == 200
    assert report.summary in response.text
    assert report.answer in response.text
    assert 'id="problem-report-answer"' not in response.text


@pytest.mark.parametrize("persona", ["case_worker", "provider_staff"])
def test_other_users_report_is_404(request, log_in, persona):
    report = factories.ProblemReportFactory()
    client = log_in(request.getfixturevalue(persona))

    assert client.get(url(report)).status_code == 404
    assert client.post(url(report), answer_data(report)).status_code == 404


def test_reporter_posting_an_answer_gets_403(log_in, case_worker):
    report = factories.ProblemReportFactory(reported_by=case_worker)

    response = log_in(case_worker).post(url(report), answer_data(report))

    assert response.status_code == 403
    report.refresh_from_db()
    assert report.status == "new"


def test_lead_sees_the_answer_form(log_in, project_lead):
    report = factories.ProblemReportFactory()

    response = log_in(project_lead).get(url(report))

    assert response.status_code == 200
    assert 'id="problem-report-answer"' in response.text
    assert report.updated_at.isoformat() in response.text


def test_lead_answers_and_returns_to_the_list(log_in, project_lead):
    report = factories.ProblemReportFactory()

    response = log_in(project_lead).post(url(report), answer_data(report), follow=True)

    assert response.redirect_chain == [(reverse("evaluations:problem_reports"), 302)]
    assert "The answer was saved." in response.text
    report.refresh_from_db()
    assert (report.status, report.answer) == ("planned", "Coming in the spring release.")


def test_lead_answering_through_htmx_is_redirected_by_header(log_in, project_lead):
    report = factories.ProblemReportFactory()

    response = log_in(project_lead).post(
        url(report), answer_data(report), headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("evaluations:problem_reports")


def test_stale_answer_is_refused_and_shows_the_newer_version(log_in, project_lead):
    report = factories.ProblemReportFactory()
    loaded = answer_data(report, answer="My answer.")
    ProblemReport.objects.filter(pk=report.pk).update(
        status="rejected", answer="Their answer.",
        answered_by=factories.UserFactory(roles=[Role.PROJECT_LEAD]),
        answered_at=dt.datetime(2024, 9, 3, tzinfo=dt.UTC),
        updated_at=report.updated_at + dt.timedelta(seconds=1),
    )

    response = log_in(project_lead).post(url(report), loaded, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert "<html" not in response.text
    assert "Someone else changed this report" in response.text
    assert "Their answer." in response.text  # the newer version is shown
    assert "My answer." in response.text  # and what this lead typed is kept
    report.refresh_from_db()
    assert (report.status, report.answer) == ("rejected", "Their answer.")
    # Saving again, having seen the change, is accepted.
    assert report.updated_at.isoformat() in response.text


def test_invalid_answer_form_returns_200_with_errors(log_in, project_lead):
    report = factories.ProblemReportFactory()

    response = log_in(project_lead).post(
        url(report), answer_data(report, status="forgotten"), headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert "Select a valid choice." in response.text
    assert ProblemReport.objects.get(pk=report.pk).status == "new"
