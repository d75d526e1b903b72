"""The list of problem reports: leads and administrators see all, other staff their own."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from evaluations.models import ProblemReport
from rehab.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("evaluations:problem_reports")


@pytest.fixture
def reports(case_worker, provider_staff):
    return {
        "mine": factories.ProblemReportFactory(reported_by=case_worker, summary="Mine"),
        "colleague": factories.ProblemReportFactory(summary="From a colleague"),
        "provider": factories.ProblemReportFactory(reported_by=provider_staff, summary="Theirs"),
    }


def visible(user, reports):
    by_pk = {report.pk: name for name, report in reports.items()}
    return {by_pk[pk] for pk in ProblemReport.objects.visible_to(user).values_list("pk", flat=True)}


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("case_worker", {"mine"}),
        ("provider_staff", {"provider"}),
        ("project_lead", {"mine", "colleague", "provider"}),
        ("administrator", {"mine", "colleague", "provider"}),
    ],
)
def test_each_role_sees_the_reports_it_should(request, reports, persona, expected):
    assert visible(request.getfixturevalue(persona), reports) == expected


def test_users_without_a_known_role_see_no_reports(reports):
    stranger = factories.UserFactory()
    stranger.groups.add(factories.GroupFactory(name="visitor"))
    inactive = factories.UserFactory(roles=[Role.PROJECT_LEAD], is_active=False)

    for user in [AnonymousUser(), factories.UserFactory(), stranger, inactive]:
        assert visible(user, reports) == set()


def test_superuser_sees_all_reports(reports):
    superuser = factories.UserFactory(is_superuser=True)
    assert visible(superuser, reports) == {"mine", "colleague", "provider"}


def test_case_worker_sees_own_reports_with_status_and_answer(log_in, case_worker):
    factories.ProblemReportFactory(
        reported_by=case_worker, summary="Mine", answered=True, answer="Fixed next week."
    )
    factories.ProblemReportFactory(summary="Not mine")

    response = log_in(case_worker).get(URL)

    assert response.status_code == 200
    assert "Mine" in response.text
    assert "Planned" in response.text
    assert "Fixed next week." in response.text
    assert "Not mine" not in response.text
    assert 'id="problem-report-filter"' not in response.text


def test_project_lead_sees_every_report_and_the_status_filter(log_in, project_lead, reports):
    response = log_in(project_lead).get(URL)

    assert response.status_code == 200
    for summary in ["Mine", "From a colleague", "Theirs"]:
        assert summary in response.text
    assert 'id="problem-report-filter"' in response.text


def test_status_filter_shows_only_reports_with_that_status(log_in, project_lead):
    factories.ProblemReportFactory(summary="Still new")
    factories.ProblemReportFactory(summary="Already planned", answered=True)

    response = log_in(project_lead).get(
        URL, {"status": "planned"}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'id="problem-reports"' in response.text
    assert "Already planned" in response.text
    assert "Still new" not in response.text


def test_unknown_status_in_the_filter_shows_all_reports(log_in, project_lead, reports):
    response = log_in(project_lead).get(URL, {"status": "bogus"})
    assert response.status_code == 200
    assert len(response.context["page"]) == 3


def test_user_without_a_role_gets_403_on_the_list(log_in):
    assert log_in(factories.UserFactory()).get(URL).status_code == 403


@pytest.mark.parametrize("persona", ["case_worker", "project_lead"])
def test_list_needs_a_fixed_number_of_queries_however_many_reports(
    request, log_in, django_assert_max_num_queries, persona
):
    user = request.getfixturevalue(persona)
    reporter = user if persona == "case_worker" else None
    for _ in range(12):
        factories.ProblemReportFactory(
            answered=True, **({"reported_by": reporter} if reporter else {})
        )
    client = log_in(user)

    # session, user, roles, count, rows (with reporter and answerer joined)
    with django_assert_max_num_queries(6):
        response = client.get(URL)

    assert response.status_code == 200
    assert len(response.context["page"]) == 12
