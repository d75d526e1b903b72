"""Writes on the participant page: follow-ups, outcome spells, the plan and its goals, and
the change of primary case worker.

Each service checks ``Participant.objects.editable_by(user)`` (PermissionDenied), raises
ValidationError when a rule is broken, and runs in its own transaction. Rows that two
people may change at the same time (an open outcome spell, a goal) are changed only if
they still carry the ``updated_at`` the user saw: the row is locked and compared, and a
difference is refused instead of silently overwriting a colleague's change.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from rehab.roles import Role, roles_of

from ..models import (
    EARLIEST_DATE,
    LATEST_DATE,
    CaseWorkerAssignment,
    Channel,
    Employer,
    FollowUp,
    Goal,
    GoalStatus,
    OutcomeKind,
    OutcomeSpell,
    Participant,
    Plan,
    PlanReview,
)
from .caseload import next_contact_after_follow_up
from .rights import require_editable

if TYPE_CHECKING:
    from django.contrib.auth.models import User

MAX_HOURS_PER_WEEK = Decimal(168)


@transaction.atomic
def follow_up_create(
    *,
    participant: Participant,
    user: User,
    occurred_on: dt.date,
    channel: str,
    with_employer: bool = False,
    with_treatment: bool = False,
    note: str = "",
    employer: Employer | None = None,
    next_contact_on: dt.date | None = None,
) -> FollowUp:
    """Log a contact; it also fulfils or moves the next planned contact (see
    ``services.caseload.next_contact_after_follow_up``)."""
    require_editable(participant_id=participant.pk, user=user)
    _require_past_date(occurred_on)
    if channel not in Channel.values:
        raise ValidationError(_("Unknown channel."))
    _require_visible_employer(employer=employer, user=user)
    # A follow-up that names the employer was held with it (employer_contact_share reads
    # with_employer, as the bundle does).
    with_employer = with_employer or employer is not None
    follow_up = FollowUp.objects.create(
        participant=participant, case_worker=user, occurred_on=occurred_on, channel=channel,
        with_employer=with_employer, with_treatment=with_treatment, note=note.strip(),
        employer=employer,
    )
    next_contact_after_follow_up(participant=participant, occurred_on=occurred_on,
                                 next_contact_on=next_contact_on)
    return follow_up


@transaction.atomic
def outcome_spell_create(
    *,
    participant: Participant,
    user: User,
    kind: str,
    started_on: dt.date,
    ended_on: dt.date | None = None,
    hours_per_week: Decimal | None = None,
    organisation_name: str = "",
    employer: Employer | None = None,
) -> OutcomeSpell:
    require_editable(participant_id=participant.pk, user=user)
    if kind not in OutcomeKind.values:
        raise ValidationError(_("Choose work or education."))
    _require_past_date(started_on)
    if ended_on is not None:
        _require_past_date(ended_on)
        _require_end_after_start(started_on=started_on, ended_on=ended_on)
    if hours_per_week is not None:
        if kind != OutcomeKind.WORK:
            raise ValidationError(_("Hours per week are recorded for work only."))
        if not 0 < hours_per_week <= MAX_HOURS_PER_WEEK:
            raise ValidationError(_("Hours per week must be more than 0 and at most 168."))
    if employer is not None and kind != OutcomeKind.WORK:
        raise ValidationError(_("An employer is named for work only."))
    _require_visible_employer(employer=employer, user=user)
    return OutcomeSpell.objects.create(
        participant=participant, kind=kind, started_on=started_on, ended_on=ended_on,
        hours_per_week=hours_per_week, organisation_name=organisation_name.strip(),
        employer=employer,
    )


@transaction.atomic
def outcome_spell_end(
    *, spell: OutcomeSpell, user: User, ended_on: dt.date, expected_updated_at: dt.datetime
) -> OutcomeSpell:
    require_editable(participant_id=spell.participant_id, user=user)
    locked = OutcomeSpell.objects.select_for_update().get(pk=spell.pk)
    _require_unchanged(locked.updated_at, expected_updated_at)
    if locked.ended_on is not None:
        raise ValidationError(_("This spell has already ended."))
    _require_past_date(ended_on)
    _require_end_after_start(started_on=locked.started_on, ended_on=ended_on)
    locked.ended_on = ended_on
    locked.save(update_fields=["ended_on", "updated_at"])
    return locked


@transaction.atomic
def goal_add(
    *, participant: Participant, user: User, text: str, target_date: dt.date | None = None
) -> Goal:
    require_editable(participant_id=participant.pk, user=user)
    text = text.strip()
    if not text:
        raise ValidationError(_("Write the goal."))
    if target_date is not None:
        _require_date_in_range(target_date)
    plan, _created = Plan.objects.get_or_create(participant=participant)
    return Goal.objects.create(plan=plan, text=text, target_date=target_date)


@transaction.atomic
def goal_review(
    *, goal: Goal, user: User, status: str, note: str = "", expected_updated_at: dt.datetime
) -> Goal:
    """Set the goal's status and keep the change as a plan review dated today, so the
    timeline and the plan's history show when the goal was reached or dropped."""
    owner_id = Plan.objects.values_list("participant_id", flat=True).get(pk=goal.plan_id)
    require_editable(participant_id=owner_id, user=user)
    if status not in GoalStatus.values:
        raise ValidationError(_("Unknown goal status."))
    locked = Goal.objects.select_for_update().get(pk=goal.pk)
    _require_unchanged(locked.updated_at, expected_updated_at)
    note = note.strip()
    if status == locked.status and not note:
        raise ValidationError(_("Choose a new status or write a note."))
    PlanReview.objects.create(
        plan_id=locked.plan_id, reviewed_on=timezone.localdate(), reviewed_by=user, note=note,
        goal=locked, goal_status_before=locked.status, goal_status_after=status,
    )
    locked.status = status
    locked.save(update_fields=["status", "updated_at"])
    return locked


@transaction.atomic
def plan_review_add(
    *, participant: Participant, user: User, reviewed_on: dt.date, note: str
) -> PlanReview:
    require_editable(participant_id=participant.pk, user=user)
    _require_past_date(reviewed_on)
    note = note.strip()
    if not note:
        raise ValidationError(_("Write what the review concluded."))
    plan, _created = Plan.objects.get_or_create(participant=participant)
    return PlanReview.objects.create(
        plan=plan, reviewed_on=reviewed_on, reviewed_by=user, note=note
    )


@transaction.atomic
def participant_change_case_worker(
    *, participant: Participant, new_case_worker: User, changed_on: dt.date, user: User
) -> CaseWorkerAssignment:
    """Make ``new_case_worker`` the participant's one fixed contact person. Each change is
    kept as an assignment because continuity of the contact person is measured."""
    require_editable(participant_id=participant.pk, user=user)
    if not new_case_worker.is_active or Role.CASE_WORKER not in roles_of(new_case_worker):
        raise ValidationError(_("The new primary case worker must be an active case worker."))
    _require_past_date(changed_on)
    # Locked so that two changes at the same moment are recorded one after the other.
    locked = Participant.objects.select_for_update().get(pk=participant.pk)
    if locked.primary_case_worker_id == new_case_worker.pk:
        raise ValidationError(_("This person is already the primary case worker."))
    last_change = (
        CaseWorkerAssignment.objects.filter(participant=locked)
        .order_by("-assigned_on")
        .values_list("assigned_on", flat=True)
        .first()
    )
    if last_change is not None and changed_on < last_change:
        raise ValidationError(
            _("The change cannot be dated before the previous change (%(date)s).")
            % {"date": date_format(last_change, "SHORT_DATE_FORMAT")}
        )
    assignment = CaseWorkerAssignment.objects.create(
        participant=locked, case_worker=new_case_worker, assigned_on=changed_on, assigned_by=user
    )
    locked.primary_case_worker = new_case_worker
    locked.save(update_fields=["primary_case_worker", "updated_at"])
    participant.primary_case_worker = new_case_worker
    participant.updated_at = locked.updated_at
    return assignment


def _require_visible_employer(*, employer: Employer | None, user: User) -> None:
    """A follow-up or a work spell names only an employer of the register the user sees."""
    if employer is not None and not Employer.objects.visible_to(user).filter(
            pk=employer.pk).exists():
        raise ValidationError(_("Choose an employer from the register."))


def _require_unchanged(current: dt.datetime, seen: dt.datetime) -> None:
    if current != seen:
        raise ValidationError(
            _("Someone else changed this while you were working on it. Reload the page to "
              "see the change, then try again."),
            code="conflict",
        )


def _require_date_in_range(value: dt.date) -> None:
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValidationError(_("Dates must be between 1900 and 2100."))


def _require_past_date(value: dt.date) -> None:
    """Follow-ups, spells, reviews and changes are recorded after they happen."""
    _require_date_in_range(value)
    if value > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."))


def _require_end_after_start(*, started_on: dt.date, ended_on: dt.date) -> None:
    if ended_on < started_on:
        raise ValidationError(_("The end date cannot be before the start date."))
