"""The enrollment services: each rule of EXCHANGE.md, write rights and concurrent changes."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from measures import services
from measures.models import EndReason, Enrollment, EnrollmentStatus
from tests import factories

from .conftest import days_ago

pytestmark = pytest.mark.django_db


def refer(participant, measure, user, referred_on=None, **extra):
    return services.enrollment_refer(
        participant=participant, measure=measure, user=user,
        referred_on=referred_on or days_ago(1), **extra,
    )


def error_fields(exc: ValidationError) -> set[str]:
    return set(exc.message_dict) if hasattr(exc, "error_dict") else {"__all__"}


# Referral ---------------------------------------------------------------------------------


def test_case_worker_refers_own_participant_to_a_waiting_enrollment(
    participant, measure, case_worker
):
    enrollment = refer(participant, measure, case_worker, participation_percent=50,
                       days_per_week=3)

    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.WAITING
    assert enrollment.referred_by == case_worker
    assert enrollment.referred_on == days_ago(1)
    assert (enrollment.participation_percent, enrollment.days_per_week) == (50, 3)
    assert enrollment.ref.startswith("ENR-")


def test_referral_may_be_dated_today(participant, measure, case_worker):
    enrollment = refer(participant, measure, case_worker, referred_on=timezone.localdate())
    assert enrollment.referred_on == timezone.localdate()


def test_new_references_never_collide_with_existing_ones(
    participant, measure, second_measure, case_worker, monkeypatch
):
    factories.EnrollmentFactory(ref="ENR-AAAAAAAAAA", measure=second_measure)
    tokens = iter(["aaaaaaaaaa", "bbbbbbbbbb"])
    monkeypatch.setattr(services.secrets, "token_hex", lambda n: next(tokens))

    enrollment = refer(participant, measure, case_worker)

    assert enrollment.ref == "ENR-BBBBBBBBBB"


def test_referral_to_an_inactive_measure_is_refused(participant, measure, case_worker):
    measure.active = False
    measure.save()

    with pytest.raises(ValidationError) as caught:
        refer(participant, measure, case_worker)

    assert error_fields(caught.value) == {"measure"}
    assert not Enrollment.objects.exists()


def test_referral_dated_in_the_future_is_refused(participant, measure, case_worker):
    with pytest.raises(ValidationError, match="future"):
        refer(participant, measure, case_worker,
              referred_on=timezone.localdate() + dt.timedelta(days=1))
    assert not Enrollment.objects.exists()


@pytest.mark.parametrize("trait", ["waiting", "active"])
def test_second_open_enrollment_in_the_same_measure_is_refused(
    participant, measure, case_worker, trait
):
    factories.EnrollmentFactory(participant=participant, measure=measure,
                                referred_on=days_ago(50), started_on=days_ago(40)
                                if trait == "active" else None)

    with pytest.raises(ValidationError, match="already waiting for or taking part"):
        refer(participant, measure, case_worker)

    assert Enrollment.objects.count() == 1


def test_open_enrollment_in_another_measure_does_not_block_a_referral(
    participant, measure, second_measure, case_worker
):
    factories.EnrollmentFactory(participant=participant, measure=second_measure,
                                referred_on=days_ago(50), started_on=days_ago(40))
    assert refer(participant, measure, case_worker).status == EnrollmentStatus.WAITING


@pytest.mark.parametrize("same_measure", [True, False], ids=["same-measure", "next-measure"])
def test_new_referral_may_follow_an_ended_enrollment_on_the_same_day(
    participant, measure, second_measure, case_worker, same_measure
):
    factories.EnrollmentFactory(participant=participant, measure=measure,
                                referred_on=days_ago(90), started_on=days_ago(80),
                                ended_on=days_ago(10), end_reason=EndReason.COMPLETED)

    chained = refer(participant, measure if same_measure else second_measure, case_worker,
                    referred_on=days_ago(10))

    assert chained.referred_on == days_ago(10)


def test_referral_cannot_overlap_an_earlier_enrollment_in_the_same_measure(
    participant, measure, case_worker
):
    factories.EnrollmentFactory(participant=participant, measure=measure,
                                referred_on=days_ago(90), ended_on=days_ago(10),
                                end_reason=EndReason.NOT_STARTED)

    with pytest.raises(ValidationError) as caught:
        refer(participant, measure, case_worker, referred_on=days_ago(11))

    assert error_fields(caught.value) == {"referred_on"}


@pytest.mark.parametrize(
    ("extra", "field"),
    [({"participation_percent": 0}, "participation_percent"),
     ({"participation_percent": 101}, "participation_percent"),
     ({"days_per_week": 8}, "days_per_week")],
)
def test_participation_outside_its_range_is_refused(
    participant, measure, case_worker, extra, field
):
    with pytest.raises(ValidationError) as caught:
        refer(participant, measure, case_worker, **extra)
    assert error_fields(caught.value) == {field}


@pytest.mark.parametrize("persona", ["other_office_case_worker", "provider_staff",
                                     "project_lead"])
def test_only_those_who_may_edit_the_participant_may_refer(
    request, participant, measure, persona
):
    factories.EnrollmentFactory(participant=participant, measure=measure, ended_on=days_ago(5),
                                referred_on=days_ago(9), end_reason=EndReason.NOT_STARTED)
    with pytest.raises(PermissionDenied):
        refer(participant, measure, request.getfixturevalue(persona))
    assert Enrollment.objects.count() == 1


def test_administrator_may_refer_anyone(other_participant, measure, administrator):
    assert refer(other_participant, measure, administrator).referred_by == administrator


# Start, end, withdrawal -------------------------------------------------------------------


def start(enrollment, user, started_on=None, expected=None):
    return services.enrollment_start(
        enrollment=enrollment, user=user, started_on=started_on or days_ago(2),
        expected_updated_at=expected or enrollment.updated_at,
    )


def end(enrollment, user, ended_on=None, end_reason=EndReason.GOT_JOB, expected=None):
    return services.enrollment_end(
        enrollment=enrollment, user=user, ended_on=ended_on or days_ago(1),
        end_reason=end_reason, expected_updated_at=expected or enrollment.updated_at,
    )


def withdraw(enrollment, user, withdrawn_on=None, expected=None):
    return services.enrollment_withdraw(
        enrollment=enrollment, user=user, withdrawn_on=withdrawn_on or days_ago(1),
        expected_updated_at=expected or enrollment.updated_at,
    )


def test_case_worker_starts_a_waiting_referral(waiting, case_worker):
    start(waiting, case_worker)
    waiting.refresh_from_db()
    assert waiting.status == EnrollmentStatus.ACTIVE
    assert waiting.started_on == days_ago(2)


def test_start_before_the_referral_is_refused(waiting, case_worker):
    with pytest.raises(ValidationError) as caught:
        start(waiting, case_worker, started_on=waiting.referred_on - dt.timedelta(days=1))
    assert error_fields(caught.value) == {"started_on"}
    assert "cannot be before the referral" in str(caught.value)


def test_start_in_the_future_is_refused(waiting, case_worker):
    with pytest.raises(ValidationError, match="future"):
        start(waiting, case_worker, started_on=timezone.localdate() + dt.timedelta(days=1))


def test_only_a_waiting_referral_can_be_started(active, case_worker):
    with pytest.raises(ValidationError, match="Only a waiting referral"):
        start(active, case_worker)


def test_case_worker_ends_an_active_enrollment_with_its_end_reason(active, case_worker):
    end(active, case_worker, end_reason=EndReason.GOT_JOB)
    active.refresh_from_db()
    assert active.status == EnrollmentStatus.ENDED
    assert (active.ended_on, active.end_reason) == (days_ago(1), EndReason.GOT_JOB)


def test_end_may_be_on_the_day_of_the_start(active, case_worker):
    end(active, case_worker, ended_on=active.started_on)
    active.refresh_from_db()
    assert active.ended_on == active.started_on


@pytest.mark.parametrize("reason", ["", EndReason.NOT_STARTED, "fired"])
def test_end_needs_an_end_reason_of_an_enrollment_that_started(active, case_worker, reason):
    with pytest.raises(ValidationError) as caught:
        end(active, case_worker, end_reason=reason)
    assert error_fields(caught.value) == {"end_reason"}
    active.refresh_from_db()
    assert active.ended_on is None


def test_end_before_the_start_is_refused(active, case_worker):
    with pytest.raises(ValidationError, match="cannot be before the start"):
        end(active, case_worker, ended_on=active.started_on - dt.timedelta(days=1))


def test_waiting_referral_cannot_be_ended_only_withdrawn(waiting, case_worker):
    with pytest.raises(ValidationError, match="has started"):
        end(waiting, case_worker)


def test_withdrawn_referral_keeps_its_end_reason_and_date(waiting, case_worker):
    withdraw(waiting, case_worker, withdrawn_on=days_ago(3))
    waiting.refresh_from_db()
    assert waiting.status == EnrollmentStatus.WITHDRAWN
    assert (waiting.started_on, waiting.ended_on) == (None, days_ago(3))
    assert waiting.end_reason == EndReason.NOT_STARTED


def test_withdrawal_before_the_referral_is_refused(waiting, case_worker):
    with pytest.raises(ValidationError, match="cannot be before the referral"):
        withdraw(waiting, case_worker, withdrawn_on=waiting.referred_on - dt.timedelta(days=1))


def test_active_enrollment_cannot_be_withdrawn(active, case_worker):
    with pytest.raises(ValidationError, match="Only a waiting referral"):
        withdraw(active, case_worker)


@pytest.mark.parametrize("action", [start, withdraw])
@pytest.mark.parametrize("persona", ["other_office_case_worker", "provider_staff",
                                     "project_lead"])
def test_only_those_who_may_edit_the_participant_may_change_an_enrollment(
    request, waiting, persona, action
):
    with pytest.raises(PermissionDenied):
        action(waiting, request.getfixturevalue(persona))
    waiting.refresh_from_db()
    assert waiting.status == EnrollmentStatus.WAITING


def test_provider_staff_cannot_end_an_enrollment_in_their_own_measure(active, provider_staff):
    with pytest.raises(PermissionDenied):
        end(active, provider_staff)


@pytest.mark.parametrize("action", [start, withdraw])
def test_change_made_by_someone_else_in_the_meantime_is_not_overwritten(
    waiting, case_worker, action
):
    seen = waiting.updated_at
    withdraw(waiting, case_worker)  # a colleague, a moment earlier
    waiting.refresh_from_db()

    with pytest.raises(ValidationError) as caught:
        action(waiting, case_worker, expected=seen)

    assert caught.value.code == services.CONFLICT
    assert "changed by someone else" in caught.value.messages[0]
    assert Enrollment.objects.get(pk=waiting.pk).updated_at == waiting.updated_at


def test_end_refuses_a_stale_version(active, case_worker):
    stale = active.updated_at - dt.timedelta(seconds=1)
    with pytest.raises(ValidationError, match="changed by someone else"):
        end(active, case_worker, expected=stale)
    active.refresh_from_db()
    assert active.ended_on is None
