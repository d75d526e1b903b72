"""The lists of My caseload that case workers asked for, and the support phase.

Definitions (docs/caseload.md says the same for users):

- **Support phase**: a participant is in the support phase while a work spell is current
  (started on or before today, not ended before today). It began on the start of the
  earliest current work spell, so a second job taken while the first goes on does not
  restart it; it ends with the last current work spell.
- **Support phase without contact**: in the support phase, and more than
  ``SUPPORT_CONTACT_ALERT_DAYS`` days since the later of the phase's start and the last
  follow-up. Exactly 30 days is not yet "over 30 days".
- **No contact in N days**: no follow-up dated within the last N days (today and the N
  days before: a contact exactly N days ago still counts), never contacted included. N
  is the user's own setting (``CaseloadPreference``), 30 unless changed.
- **Recently assigned to me**: the user is the participant's primary case worker, through
  an assignment (``CaseWorkerAssignment``) dated within the last ``RECENTLY_ASSIGNED_DAYS``
  days (today and the 14 days before).

Every condition is a correlated EXISTS on an index that leads with the participant
(``outcome_spell_idx``, ``follow_up_participant_idx``, ``assignment_idx``), so a list costs
one look-up per participant of the caseload, never a scan of the whole table.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from .models import (
    CaseloadPreference,
    CaseWorkerAssignment,
    FollowUp,
    OutcomeKind,
    OutcomeSpell,
    Participant,
    SavedCaseloadFilter,
)
from .models.caseload import NO_CONTACT_DAYS_DEFAULT

if TYPE_CHECKING:
    from django.contrib.auth.models import User

SUPPORT_CONTACT_ALERT_DAYS = 30
RECENTLY_ASSIGNED_DAYS = 14


class CaseloadFocus(models.TextChoices):
    SUPPORT = "support", _("In the support phase")
    SUPPORT_NO_CONTACT = "support_no_contact", _("Support phase, over 30 days without contact")
    NO_CONTACT = "no_contact", _("No contact in N days")
    RECENTLY_ASSIGNED = "recently_assigned", _("Recently assigned to me (14 days)")


def no_contact_days_of(*, user: User) -> int:
    """The user's N of the "no contact in N days" list."""
    days = (
        CaseloadPreference.objects.visible_to(user)
        .values_list("no_contact_days", flat=True)
        .first()
    )
    return NO_CONTACT_DAYS_DEFAULT if days is None else days


def saved_filters_of(*, user: User, team: bool) -> QuerySet[SavedCaseloadFilter]:
    return SavedCaseloadFilter.objects.visible_to(user).filter(team=team)


def _current_work(today: dt.date) -> QuerySet[OutcomeSpell]:
    """The outer row's work spells that are current today."""
    return OutcomeSpell.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=today),
        participant=OuterRef("pk"), kind=OutcomeKind.WORK, started_on__lte=today,
    ).order_by()


def _contact_since(day: dt.date) -> Exists:
    return Exists(FollowUp.objects.filter(participant=OuterRef("pk"), occurred_on__gte=day)
                  .order_by())


def in_support_phase(*, today: dt.date) -> Q:
    return Q(Exists(_current_work(today)))


def support_without_contact(*, today: dt.date) -> Q:
    """In the support phase for more than the alert days, and no contact within them."""
    limit = today - dt.timedelta(days=SUPPORT_CONTACT_ALERT_DAYS)
    return Q(Exists(_current_work(today).filter(started_on__lt=limit))) & ~Q(
        _contact_since(limit))


def no_contact_in(*, days: int, today: dt.date) -> Q:
    return ~Q(_contact_since(today - dt.timedelta(days=days)))


def recently_assigned_to(*, user: User, today: dt.date) -> Q:
    since = today - dt.timedelta(days=RECENTLY_ASSIGNED_DAYS)
    assigned = CaseWorkerAssignment.objects.filter(
        participant=OuterRef("pk"), case_worker=user, assigned_on__gte=since
    ).order_by()
    return Q(primary_case_worker=user) & Q(Exists(assigned))


def focus_condition(*, focus: str, user: User, today: dt.date, no_contact_days: int) -> Q:
    """The condition of one of the lists; an unknown ``focus`` filters nothing."""
    if focus == CaseloadFocus.SUPPORT:
        return in_support_phase(today=today)
    if focus == CaseloadFocus.SUPPORT_NO_CONTACT:
        return support_without_contact(today=today)
    if focus == CaseloadFocus.NO_CONTACT:
        return no_contact_in(days=no_contact_days, today=today)
    if focus == CaseloadFocus.RECENTLY_ASSIGNED:
        return recently_assigned_to(user=user, today=today)
    return Q()


def with_support_phase(rows: QuerySet[Participant], *, today: dt.date) -> QuerySet[Participant]:
    """``support_started_on`` (None: not in the support phase) and ``support_follow_ups``
    (follow-ups dated on or after it), as two correlated subqueries per row shown."""
    rows = rows.annotate(support_started_on=Subquery(
        _current_work(today).order_by("started_on").values("started_on")[:1],
        output_field=models.DateField(),
    ))
    since = (
        FollowUp.objects.filter(participant=OuterRef("pk"),
                                occurred_on__gte=OuterRef("support_started_on"))
        .order_by().values("participant").annotate(n=Count("pk")).values("n")
    )
    return rows.annotate(support_follow_ups=Coalesce(
        Subquery(since, output_field=models.IntegerField()), 0))


@dataclass(frozen=True)
class SupportPhase:
    """Where one participant stands in the support phase, for the participant page."""

    started_on: dt.date | None
    follow_ups: int
    last_contact_on: dt.date | None
    today: dt.date

    @property
    def active(self) -> bool:
        return self.started_on is not None

    @property
    def days(self) -> int | None:
        return None if self.started_on is None else (self.today - self.started_on).days

    @property
    def days_without_contact(self) -> int | None:
        return days_without_contact(started_on=self.started_on,
                                    last_contact_on=self.last_contact_on, today=self.today)

    @property
    def overdue(self) -> bool:
        days = self.days_without_contact
        return days is not None and days > SUPPORT_CONTACT_ALERT_DAYS


def days_without_contact(*, started_on: dt.date | None, last_contact_on: dt.date | None,
                         today: dt.date) -> int | None:
    """Days since the later of the support phase's start and the last contact; None
    outside the support phase."""
    if started_on is None:
        return None
    latest = started_on if last_contact_on is None else max(started_on, last_contact_on)
    return (today - latest).days


def support_phase_of(*, participant: Participant, today: dt.date) -> SupportPhase:
    """One query, whatever the number of spells and follow-ups."""
    row = (
        with_support_phase(Participant.objects.filter(pk=participant.pk), today=today)
        .annotate(last_contact_on=Subquery(
            FollowUp.objects.filter(participant=OuterRef("pk")).order_by("-occurred_on")
            .values("occurred_on")[:1], output_field=models.DateField()))
        .values("support_started_on", "support_follow_ups", "last_contact_on")
        .get()
    )
    return SupportPhase(started_on=row["support_started_on"],
                        follow_ups=row["support_follow_ups"],
                        last_contact_on=row["last_contact_on"], today=today)
