"""Provider staff write progress reports on enrollments in their own measures."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from measures import provider_services as services
from measures.models import ProgressReport, ProposalKind
from measures.timeline import provider_events

from .conftest import days_ago

pytestmark = pytest.mark.django_db


def write(enrollment, user, **fields):
    fields = {"period_start": days_ago(30), "period_end": days_ago(1),
              "attendance_percent": 85, "went_well": "Came on time", "next_steps": "More days",
              **fields}
    return services.progress_report_create(enrollment=enrollment, user=user, **fields)


def test_provider_staff_write_a_progress_report(active, provider_staff):
    report = write(active, provider_staff)
    assert report.written_by == provider_staff
    assert report.attendance_percent == 85


def test_other_providers_staff_cannot_write_a_report(active, other_provider_staff):
    with pytest.raises(PermissionDenied):
        write(active, other_provider_staff)
    assert not ProgressReport.objects.exists()


def test_case_worker_cannot_write_a_progress_report(active, case_worker):
    with pytest.raises(PermissionDenied):
        write(active, case_worker)


def test_period_cannot_end_before_it_starts(active, provider_staff):
    with pytest.raises(ValidationError):
        write(active, provider_staff, period_start=days_ago(1), period_end=days_ago(5))


@pytest.mark.parametrize("attendance", [-1, 101])
def test_attendance_must_be_0_to_100(active, provider_staff, attendance):
    with pytest.raises(ValidationError):
        write(active, provider_staff, attendance_percent=attendance)


def test_reports_are_visible_to_own_provider_and_case_worker_only(
    active, provider_staff, other_provider_staff, case_worker, other_office_case_worker
):
    report = write(active, provider_staff)
    assert list(ProgressReport.objects.visible_to(provider_staff)) == [report]
    assert list(ProgressReport.objects.visible_to(case_worker)) == [report]
    assert not ProgressReport.objects.visible_to(other_provider_staff).exists()
    assert not ProgressReport.objects.visible_to(other_office_case_worker).exists()


def test_progress_report_and_proposal_decisions_are_on_the_case_workers_timeline(
    active, provider_staff, case_worker, participant, django_assert_max_num_queries
):
    write(active, provider_staff, attendance_percent=72)
    proposal = services.proposal_create(enrollment=active, user=provider_staff,
                                        kind=ProposalKind.PARTICIPATION, days_per_week=4)
    services.proposal_reject(proposal=proposal, user=case_worker, reason="Too soon",
                             expected_updated_at=proposal.updated_at)
    with django_assert_max_num_queries(4):
        events = provider_events(participant=participant, user=case_worker)
    kinds = {event.kind for event in events}
    assert kinds == {"progress_report", "proposal_made", "proposal_rejected"}
    assert any("72" in event.detail for event in events)
    assert any(event.detail == "Too soon" for event in events)
