"""Problem reports in the admin: administrators only, and the list stays cheap."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:evaluations_problemreport_changelist")


def test_administrator_lists_reports_in_a_bounded_number_of_queries(
    log_in, administrator, django_assert_max_num_queries
):
    for _ in range(5):
        factories.ProblemReportFactory(answered=True)
    client = log_in(administrator)

    with django_assert_max_num_queries(10):  # as tests/test_admin.py allows every model
        response = client.get(CHANGELIST)

    assert response.status_code == 200
    assert response.context["cl"].result_count == 5


def test_administrator_opens_a_report_in_the_admin(log_in, administrator):
    report = factories.ProblemReportFactory(answered=True)
    url = reverse("admin:evaluations_problemreport_change", args=[report.pk])
    assert log_in(administrator).get(url).status_code == 200


def test_project_lead_is_kept_out_of_the_admin_list(log_in, project_lead):
    assert log_in(project_lead).get(CHANGELIST).status_code in (302, 403)
