"""Writes of provider staff and the case worker's answers to them: proposals to change an
enrollment, and progress reports.

Provider staff only propose; the enrollment changes when a case worker who may edit the
participant accepts, through the same services a case worker uses directly
(``enrollment_start``, ``enrollment_end``), so the rules are checked once more at that
moment against the enrollment as it is then.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from participants.models import LATEST_DATE, Participant
from providers.models import provider_ids_for_staff

from .models import (
    EndReason,
    Enrollment,
    EnrollmentProposal,
    EnrollmentStatus,
    ProgressReport,
    ProposalKind,
    ProposalStatus,
)
from .provider_selectors import reports_closed_after
from .services import CONFLICT, _date, _require_past_date, enrollment_end, enrollment_start

logger = logging.getLogger(__name__)

STATUS_FOR_KIND = {
    ProposalKind.START: EnrollmentStatus.WAITING,
    ProposalKind.END: EnrollmentStatus.ACTIVE,
    ProposalKind.EXTENSION: EnrollmentStatus.ACTIVE,
    ProposalKind.PARTICIPATION: EnrollmentStatus.ACTIVE,
}


def _require_provider_staff(*, enrollment: Enrollment, user) -> None:
    if enrollment.measure.provider_id not in provider_ids_for_staff(user):
        raise PermissionDenied


def _check_applies(*, enrollment: Enrollment, kind: str) -> None:
    if enrollment.status != STATUS_FOR_KIND[kind]:
        if kind == ProposalKind.START:
            raise ValidationError(_("Only a waiting referral can be started."), code="status")
        raise ValidationError(
            _("This change can only be proposed for an enrollment that has started and not "
              "ended."),
            code="status",
        )


@transaction.atomic
def proposal_create(
    *,
    enrollment: Enrollment,
    user,
    kind: str,
    started_on: dt.date | None = None,
    ended_on: dt.date | None = None,
    end_reason: str = "",
    planned_end_on: dt.date | None = None,
    participation_percent: int | None = None,
    days_per_week: int | None = None,
    comment: str = "",
) -> EnrollmentProposal:
    """Propose a change; fields that do not belong to the kind are ignored. The same
    proposal sent again while the first awaits its answer is the first."""
    _require_provider_staff(enrollment=enrollment, user=user)
    if kind not in ProposalKind.values:
        raise ValidationError({"kind": _("Choose what to propose.")})
    # Locked, so that a proposal sent twice at once (a double click) is seen the second time.
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    _check_applies(enrollment=enrollment, kind=kind)
    values: dict = {}
    if kind == ProposalKind.START:
        if started_on is None:
            raise ValidationError({"started_on": _("Enter the start date.")})
        _require_past_date(started_on, field="started_on")
        if started_on < enrollment.referred_on:
            raise ValidationError(
                {"started_on": _("The start cannot be before the referral.")}
            )
        values = {"started_on": started_on}
    elif kind == ProposalKind.END:
        if ended_on is None:
            raise ValidationError({"ended_on": _("Enter the end date.")})
        if not end_reason or end_reason == EndReason.NOT_STARTED \
                or end_reason not in EndReason.values:
            raise ValidationError(
                {"end_reason": _("Choose one of the end reasons for an enrollment that "
                                 "started.")}
            )
        _require_past_date(ended_on, field="ended_on")
        if ended_on < enrollment.started_on:
            raise ValidationError({"ended_on": _("The end cannot be before the start.")})
        values = {"ended_on": ended_on, "end_reason": end_reason}
    elif kind == ProposalKind.EXTENSION:
        if planned_end_on is None:
            raise ValidationError({"planned_end_on": _("Enter the new planned end.")})
        if planned_end_on < timezone.localdate() or planned_end_on < enrollment.started_on:
            raise ValidationError(
                {"planned_end_on": _("The planned end cannot be in the past.")}
            )
        if planned_end_on > LATEST_DATE:  # a typing slip such as 9999 (EXCHANGE.md's range)
            raise ValidationError({"planned_end_on": _("Dates must be between 1900 and 2100.")})
        values = {"planned_end_on": planned_end_on}
    else:
        if participation_percent is None and days_per_week is None:
            raise ValidationError(
                _("Enter the new participation percentage or days per week.")
            )
        if participation_percent is not None and not 1 <= participation_percent <= 100:
            raise ValidationError(
                {"participation_percent": _("Participation must be between 1 and 100 %.")}
            )
        if days_per_week is not None and not 1 <= days_per_week <= 7:
            raise ValidationError(
                {"days_per_week": _("Days per week must be between 1 and 7.")}
            )
        values = {"participation_percent": participation_percent,
                  "days_per_week": days_per_week}
    fields = {"kind": kind, "proposed_by": user, "comment": comment, **values}
    sent = EnrollmentProposal.objects.pending().filter(enrollment=enrollment, **fields).first()
    if sent is not None:
        return sent  # the same proposal again, still awaiting its answer
    proposal = EnrollmentProposal.objects.create(enrollment=enrollment, **fields)
    logger.info("proposal %s on enrollment %s by user %s", proposal.pk, enrollment.pk,
                user.pk)
    return proposal


def _lock_pending(*, proposal: EnrollmentProposal, user,
                  expected_updated_at: dt.datetime) -> EnrollmentProposal:
    enrollment = Enrollment.objects.only("participant_id").get(pk=proposal.enrollment_id)
    if not Participant.objects.editable_by(user).filter(pk=enrollment.participant_id).exists():
        raise PermissionDenied
    locked = EnrollmentProposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.status != ProposalStatus.PENDING:
        raise ValidationError(_("This proposal has already been decided."), code="decided")
    if locked.updated_at != expected_updated_at:
        raise ValidationError(
            _("This proposal was changed in the meantime; reload the page and check it "
              "before you try again."),
            code=CONFLICT,
        )
    return locked


def _decide(*, proposal: EnrollmentProposal, user, status: str, reason: str) -> None:
    proposal.status = status
    proposal.decided_by = user
    proposal.decided_at = timezone.now()
    proposal.decision_reason = reason
    proposal.save(update_fields=["status", "decided_by", "decided_at", "decision_reason",
                                 "updated_at"])


@transaction.atomic
def proposal_accept(
    *, proposal: EnrollmentProposal, user, reason: str = "", expected_updated_at: dt.datetime
) -> EnrollmentProposal:
    locked = _lock_pending(proposal=proposal, user=user,
                           expected_updated_at=expected_updated_at)
    enrollment = Enrollment.objects.select_for_update().get(pk=locked.enrollment_id)
    if enrollment.status != STATUS_FOR_KIND[locked.kind]:
        raise ValidationError(
            _("The enrollment has changed since this proposal was made, so it no longer "
              "applies; reject it with a reason."),
            code="no_longer_applies",
        )
    if locked.kind == ProposalKind.START:
        enrollment_start(enrollment=enrollment, started_on=locked.started_on, user=user,
                         expected_updated_at=enrollment.updated_at)
    elif locked.kind == ProposalKind.END:
        enrollment_end(enrollment=enrollment, ended_on=locked.ended_on,
                       end_reason=locked.end_reason, user=user,
                       expected_updated_at=enrollment.updated_at)
    elif locked.kind == ProposalKind.EXTENSION:
        enrollment.planned_end_on = locked.planned_end_on
        enrollment.save(update_fields=["planned_end_on", "updated_at"])
    else:
        fields = ["updated_at"]
        if locked.participation_percent is not None:
            enrollment.participation_percent = locked.participation_percent
            fields.append("participation_percent")
        if locked.days_per_week is not None:
            enrollment.days_per_week = locked.days_per_week
            fields.append("days_per_week")
        enrollment.save(update_fields=fields)
    _decide(proposal=locked, user=user, status=ProposalStatus.ACCEPTED, reason=reason)
    logger.info("proposal %s accepted by user %s", locked.pk, user.pk)
    return locked


@transaction.atomic
def proposal_reject(
    *, proposal: EnrollmentProposal, user, reason: str, expected_updated_at: dt.datetime
) -> EnrollmentProposal:
    locked = _lock_pending(proposal=proposal, user=user,
                           expected_updated_at=expected_updated_at)
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason for the rejection.")})
    _decide(proposal=locked, user=user, status=ProposalStatus.REJECTED, reason=reason.strip())
    logger.info("proposal %s rejected by user %s", locked.pk, user.pk)
    return locked


@transaction.atomic
def progress_report_create(
    *,
    enrollment: Enrollment,
    user,
    period_start: dt.date,
    period_end: dt.date,
    attendance_percent: int | None = None,
    went_well: str = "",
    next_steps: str = "",
) -> ProgressReport:
    """A report on a period of the participant's time in the measure, as the enrollment is
    now (the page may have been opened before a case worker withdrew or ended it)."""
    _require_provider_staff(enrollment=enrollment, user=user)
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    if enrollment.started_on is None:
        raise ValidationError(
            _("A progress report can only be written once the participant has started in "
              "the measure."),
            code="status",
        )
    taken_until = reports_closed_after(enrollment)
    if taken_until is not None:
        days = settings.PROVIDER_ACCESS_AFTER_END_DAYS
        raise ValidationError(
            ngettext("Progress reports on this enrollment were taken until %(date)s, %(days)d "
                     "day after it ended.",
                     "Progress reports on this enrollment were taken until %(date)s, %(days)d "
                     "days after it ended.", days)
            % {"date": _date(taken_until), "days": days},
            code="closed",
        )
    if period_end < period_start:
        raise ValidationError({"period_end": _("The period cannot end before it starts.")})
    _require_past_date(period_start, field="period_start")
    _require_past_date(period_end, field="period_end")
    if period_end < enrollment.started_on:
        raise ValidationError(
            {"period_end": _("The period ends before the start in the measure (%(date)s).")
             % {"date": _date(enrollment.started_on)}}
        )
    if enrollment.ended_on is not None and period_start > enrollment.ended_on:
        raise ValidationError(
            {"period_start": _("The period starts after the end in the measure (%(date)s).")
             % {"date": _date(enrollment.ended_on)}}
        )
    if attendance_percent is not None and not 0 <= attendance_percent <= 100:
        raise ValidationError(
            {"attendance_percent": _("Attendance must be between 0 and 100 %.")}
        )
    fields = {"written_by": user, "period_start": period_start, "period_end": period_end,
              "attendance_percent": attendance_percent, "went_well": went_well,
              "next_steps": next_steps}
    saved = ProgressReport.objects.filter(enrollment=enrollment, **fields).first()
    if saved is not None:
        return saved  # the same report again (a double click on Save)
    report = ProgressReport.objects.create(enrollment=enrollment, **fields)
    logger.info("progress report %s on enrollment %s by user %s", report.pk, enrollment.pk,
                user.pk)
    return report
