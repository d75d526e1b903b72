"""The database refuses proposals and progress reports that break their rules."""

import datetime as dt

import pytest
from django.utils import timezone

from measures.models import EnrollmentProposal, ProgressReport
from tests import factories
from tests.test_constraints import refused_by

pytestmark = pytest.mark.django_db

DAY = dt.date(2024, 2, 1)


@pytest.fixture
def enrollment():
    return factories.EnrollmentFactory()


def propose(enrollment, **fields):
    return EnrollmentProposal.objects.create(enrollment=enrollment, **fields)


def test_proposal_kind_must_be_known(enrollment):
    with refused_by("proposal_kind_valid"):
        propose(enrollment, kind="teleport")


def test_proposal_status_must_be_known(enrollment):
    with refused_by("proposal_status_valid"):
        propose(enrollment, kind="start", started_on=DAY, status="maybe",
                decided_at=timezone.now())


def test_decided_proposal_needs_a_decision_time(enrollment):
    with refused_by("proposal_decided_iff_not_pending"):
        propose(enrollment, kind="start", started_on=DAY, status="accepted")


def test_pending_proposal_has_no_decision(enrollment):
    with refused_by("proposal_decided_iff_not_pending"):
        propose(enrollment, kind="start", started_on=DAY, decided_at=timezone.now())


def test_start_proposal_needs_a_date(enrollment):
    with refused_by("proposal_start_has_date"):
        propose(enrollment, kind="start")


@pytest.mark.parametrize("fields", [{"ended_on": DAY}, {"ended_on": DAY,
                                                         "end_reason": "not_started"},
                                    {"end_reason": "completed"}])
def test_end_proposal_needs_a_date_and_a_reason_for_a_started_enrollment(enrollment, fields):
    with refused_by("proposal_end_has_date_and_reason"):
        propose(enrollment, kind="end", **fields)


def test_proposal_end_reason_must_be_known(enrollment):
    with refused_by("proposal_end_reason_valid"):
        propose(enrollment, kind="start", started_on=DAY, end_reason="bored")


def test_extension_proposal_needs_a_planned_end(enrollment):
    with refused_by("proposal_extension_has_date"):
        propose(enrollment, kind="extension")


def test_participation_proposal_needs_a_value(enrollment):
    with refused_by("proposal_participation_has_values"):
        propose(enrollment, kind="participation")


@pytest.mark.parametrize("percent", [0, 101])
def test_proposal_participation_percent_range(enrollment, percent):
    with refused_by("proposal_participation_percent_range"):
        propose(enrollment, kind="participation", participation_percent=percent)


@pytest.mark.parametrize("days", [0, 8])
def test_proposal_days_per_week_range(enrollment, days):
    with refused_by("proposal_days_per_week_range"):
        propose(enrollment, kind="participation", days_per_week=days)


def test_progress_report_period_cannot_end_before_it_starts(enrollment):
    with refused_by("progress_report_period_ordered"):
        ProgressReport.objects.create(enrollment=enrollment, period_start=DAY,
                                      period_end=DAY - dt.timedelta(days=1))


def test_progress_report_attendance_range(enrollment):
    with refused_by("progress_report_attendance_range"):
        ProgressReport.objects.create(enrollment=enrollment, period_start=DAY,
                                      period_end=DAY, attendance_percent=101)
