"""The database refuses problem reports that break their rules."""

import pytest
from django.db import IntegrityError, transaction

from evaluations.models import ProblemReport
from tests import factories

pytestmark = pytest.mark.django_db


def test_unknown_status_is_refused_by_problem_report_status_is_known():
    report = factories.ProblemReportFactory()
    with pytest.raises(IntegrityError, match="problem_report_status_is_known"), \
            transaction.atomic():
        ProblemReport.objects.filter(pk=report.pk).update(status="lost")


def test_answer_time_without_answerer_is_refused_by_problem_report_answered_by_and_at_together():
    report = factories.ProblemReportFactory(answered=True)
    with pytest.raises(IntegrityError, match="problem_report_answered_by_and_at_together"), \
            transaction.atomic():
        ProblemReport.objects.filter(pk=report.pk).update(answered_by=None)


def test_answered_report_is_accepted():
    report = factories.ProblemReportFactory(answered=True)
    assert report.answered_by is not None and report.answered_at is not None
