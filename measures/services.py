"""Writes of the measures app: referring a participant to a measure, and the enrollment's
start, end and withdrawal.

Each service checks ``Participant.objects.editable_by(user)`` (PermissionDenied), raises
ValidationError when a rule of EXCHANGE.md is broken, and runs in its own transaction. The
CHECK constraints on ``Enrollment`` are the last line of defence; the messages here are
what users read. Start, end and withdrawal change the row only if it still carries the
``updated_at`` the user saw: the row is locked and compared, so a colleague's change made
in the meantime is reported instead of silently overwritten.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from participants.models import EARLIEST_DATE, LATEST_DATE, Participant
from participants.services.rights import require_editable

from .models import (
    EndReason,
    Enrollment,
    EnrollmentProposal,
    EnrollmentStatus,
    Measure,
    ProgressReport,
)

logger = logging.getLogger(__name__)

REF_PREFIX = "ENR-"
CONFLICT = "conflict"  # the ValidationError code of a concurrent change


@transaction.atomic
def enrollment_refer(
    *,
    participant: Participant,
    measure: Measure,
    referred_on: dt.date,
    user,
    participation_percent: int | None = None,
    days_per_week: int | None = None,
) -> Enrollment:
    """Refer the participant to the measure: a waiting enrollment.

    Measures are often chained (assessment, then work practice), so a referral may be
    dated the day an earlier enrollment ended, also in the same measure; it may not
    overlap an enrollment in the same measure.
    """
    require_editable(participant_id=participant.pk, user=user)
    # Locked so that two referrals sent at the same moment are checked one after the other.
    Participant.objects.select_for_update().filter(pk=participant.pk).first()
    if not Measure.objects.filter(pk=measure.pk, active=True).exists():
        raise ValidationError(
            {"measure": _("This measure no longer takes referrals.")}, code="inactive"
        )
    _require_past_date(referred_on, field="referred_on")
    if participation_percent is not None and not 1 <= participation_percent <= 100:
        raise ValidationError(
            {"participation_percent": _("Participation must be between 1 and 100 %.")}
        )
    if days_per_week is not None and not 1 <= days_per_week <= 7:
        raise ValidationError({"days_per_week": _("Days per week must be between 1 and 7.")})
    same_measure = Enrollment.objects.filter(participant_id=participant.pk, measure_id=measure.pk)
    if same_measure.filter(ended_on__isnull=True).exists():
        raise ValidationError(
            {"measure": _("The participant is already waiting for or taking part in this "
                          "measure.")},
            code="open",
        )
    last_end = same_measure.order_by("-ended_on").values_list("ended_on", flat=True).first()
    if last_end is not None and referred_on < last_end:
        raise ValidationError(
            {"referred_on": _("The participant's last enrollment in this measure ended on "
                              "%(date)s; a new referral cannot be dated before that.")
             % {"date": _date(last_end)}},
            code="overlap",
        )
    enrollment = Enrollment.objects.create(
        ref=_new_ref(), participant_id=participant.pk, measure_id=measure.pk,
        referred_on=referred_on, referred_by=user,
        participation_percent=participation_percent, days_per_week=days_per_week,
    )
    logger.info("enrollment %s: referral by user %s", enrollment.pk, user.pk)
    return enrollment


@transaction.atomic
def enrollment_start(
    *, enrollment: Enrollment, started_on: dt.date, user, expected_updated_at: dt.datetime
) -> Enrollment:
    locked = _lock(enrollment=enrollment, user=user, expected_updated_at=expected_updated_at)
    if locked.status != EnrollmentStatus.WAITING:
        raise ValidationError(_("Only a waiting referral can be started."), code="status")
    _require_past_date(started_on, field="started_on")
    if started_on < locked.referred_on:
        raise ValidationError(
            {"started_on": _("The start cannot be before the referral (%(date)s).")
             % {"date": _date(locked.referred_on)}}
        )
    locked.started_on = started_on
    locked.save(update_fields=["started_on", "updated_at"])
    logger.info("enrollment %s: started by user %s", locked.pk, user.pk)
    return locked


@transaction.atomic
def enrollment_end(
    *,
    enrollment: Enrollment,
    ended_on: dt.date,
    end_reason: str,
    user,
    expected_updated_at: dt.datetime,
) -> Enrollment:
    """End an active enrollment. ``not_started`` is for withdrawals: see
    ``enrollment_withdraw``."""
    locked = _lock(enrollment=enrollment, user=user, expected_updated_at=expected_updated_at)
    if locked.status != EnrollmentStatus.ACTIVE:
        raise ValidationError(_("Only an enrollment that has started can be ended."),
                              code="status")
    if not end_reason:
        raise ValidationError({"end_reason": _("Choose why the enrollment ended.")})
    if end_reason == EndReason.NOT_STARTED or end_reason not in EndReason.values:
        raise ValidationError(
            {"end_reason": _("Choose one of the end reasons for an enrollment that started.")}
        )
    _require_past_date(ended_on, field="ended_on")
    if ended_on < locked.started_on:
        raise ValidationError(
            {"ended_on": _("The end cannot be before the start (%(date)s).")
             % {"date": _date(locked.started_on)}}
        )
    locked.ended_on = ended_on
    locked.end_reason = end_reason
    locked.save(update_fields=["ended_on", "end_reason", "updated_at"])
    logger.info("enrollment %s: ended by user %s", locked.pk, user.pk)
    return locked


@transaction.atomic
def enrollment_withdraw(
    *, enrollment: Enrollment, withdrawn_on: dt.date, user, expected_updated_at: dt.datetime
) -> Enrollment:
    """Withdraw a waiting referral: it ends without a start, with the end reason
    ``not_started`` and the date of the withdrawal as its end (EXCHANGE.md)."""
    locked = _lock(enrollment=enrollment, user=user, expected_updated_at=expected_updated_at)
    if locked.status != EnrollmentStatus.WAITING:
        raise ValidationError(_("Only a waiting referral can be withdrawn."), code="status")
    _require_past_date(withdrawn_on, field="withdrawn_on")
    if withdrawn_on < locked.referred_on:
        raise ValidationError(
            {"withdrawn_on": _("The withdrawal cannot be before the referral (%(date)s).")
             % {"date": _date(locked.referred_on)}}
        )
    locked.ended_on = withdrawn_on
    locked.end_reason = EndReason.NOT_STARTED
    locked.save(update_fields=["ended_on", "end_reason", "updated_at"])
    logger.info("enrollment %s: withdrawn by user %s", locked.pk, user.pk)
    return locked


def _lock(*, enrollment: Enrollment, user, expected_updated_at: dt.datetime) -> Enrollment:
    """The enrollment, locked until the transaction ends, provided that nobody changed it
    since the user saw it."""
    require_editable(participant_id=enrollment.participant_id, user=user)
    locked = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    if locked.updated_at != expected_updated_at:
        raise ValidationError(
            _("This enrollment was changed by someone else in the meantime; reload the page "
              "and check it before you try again."),
            code=CONFLICT,
        )
    return locked


def _require_past_date(value: dt.date, *, field: str) -> None:
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValidationError({field: _("Dates must be between 1900 and 2100.")})
    if value > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})


def _date(value: dt.date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def _new_ref() -> str:
    """A reference no imported enrollment has: ``ENR-`` and ten random hex digits, drawn
    again in the (tiny) chance that one exists. The unique constraint guards the rest."""
    while True:
        ref = REF_PREFIX + secrets.token_hex(5).upper()
        if not Enrollment.objects.filter(ref=ref).exists():
            return ref


def enrollment_texts_anonymise(participant_ids: list[int]) -> None:
    """Retention (participants/retention.py): what providers and case workers wrote about
    these participants goes; dates, kinds and decisions stay."""
    proposals = EnrollmentProposal.objects.filter(enrollment__participant_id__in=participant_ids)
    proposals.update(comment="", decision_reason="")
    ProgressReport.objects.filter(enrollment__participant_id__in=participant_ids).update(
        went_well="", next_steps="")
