"""Provider staff write progress reports on enrollments in their own measures."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from measures import provider_services as services
from measures.models import EndReason, ProgressReport, ProposalKind
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


@pytest.mark.parametrize("period_end", [dt.date(9999, 12, 31), dt.date(2101, 1, 1)])
def test_a_period_ending_beyond_2100_is_refused(active, provider_staff, period_end):
    """A slip such as 9999 put the report at the top of the case worker's timeline for
    good; every other date outside 1900–2100 is refused."""
    with pytest.raises(ValidationError) as refused:
        write(active, provider_staff, period_end=period_end)
    assert refused.value.message_dict == {"period_end": ["Dates must be between 1900 and 2100."]}
    assert not ProgressReport.objects.exists()


def test_a_period_ending_in_the_future_is_refused(active, provider_staff):
    with pytest.raises(ValidationError) as refused:
        write(active, provider_staff, period_end=days_ago(-10))
    assert refused.value.message_dict == {"period_end": ["The date cannot be in the future."]}


@pytest.mark.parametrize("status", ["waiting", "withdrawn"])
def test_no_report_on_a_referral_that_never_started(waiting, provider_staff, status):
    """Attendance in a measure the participant never began makes no sense; the page may
    have been opened before a case worker withdrew the referral."""
    if status == "withdrawn":
        waiting.ended_on, waiting.end_reason = days_ago(2), EndReason.NOT_STARTED
        waiting.save()
    with pytest.raises(ValidationError) as refused:
        write(waiting, provider_staff)
    assert refused.value.messages == [
        "A progress report can only be written once the participant has started in the "
        "measure."]
    assert not ProgressReport.objects.exists()


def test_the_period_must_overlap_the_time_in_the_measure(active, provider_staff):
    with pytest.raises(ValidationError) as before_start:
        write(active, provider_staff, period_start=days_ago(120), period_end=days_ago(90))
    assert "period_end" in before_start.value.message_dict
    active.ended_on, active.end_reason = days_ago(40), EndReason.COMPLETED
    active.save()
    with pytest.raises(ValidationError) as after_end:
        write(active, provider_staff, period_start=days_ago(30), period_end=days_ago(1))
    assert "period_start" in after_end.value.message_dict
    assert not ProgressReport.objects.exists()
    # A month that began before the start or goes on after the end is fine.
    write(active, provider_staff, period_start=days_ago(90), period_end=days_ago(30))
    assert ProgressReport.objects.count() == 1


def test_the_same_report_saved_twice_is_kept_once(active, provider_staff):
    first, second = write(active, provider_staff), write(active, provider_staff)

    assert first == second
    assert ProgressReport.objects.count() == 1
