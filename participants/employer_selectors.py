"""Reads that feed the employer pages and the job development table of the team view.

The employer record is shared by every office (``Employer.objects.visible_to``); what the
page tells about participants (who works there, which follow-ups named the employer) comes
only from the participants whose case file the reader may read, through
``OutcomeSpell.objects.visible_to`` and ``FollowUp.objects.visible_to``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, QuerySet
from django.db.models.functions import TruncWeek
from django.utils import timezone

from rehab.roles import Role

from .models import Channel, Employer, FollowUp, JobDevelopmentContact, OutcomeKind, OutcomeSpell
from .models.people import office_id_of

if TYPE_CHECKING:
    from django.contrib.auth.models import User

EMPLOYERS_PER_PAGE = 25
FOLLOW_UPS_SHOWN = 50
# A large employer may have had hundreds; each one shown is a read in the access log.
PLACEMENTS_SHOWN = 100
CONTACTS_SHOWN = 50
EMPLOYER_CHOICES_SHOWN = 20
WEEKS_SHOWN = 8


def employer_page(*, user: User, search: str = "", number=None) -> Page:
    """One page of the employers the user sees, found by name or organisation number."""
    employers = Employer.objects.visible_to(user).search(search)
    return Paginator(employers, EMPLOYERS_PER_PAGE).get_page(number)


def employer_choices(*, user: User, search: str) -> tuple[list[Employer], bool]:
    """The employers matching ``search`` that a case-file form may offer: at most
    EMPLOYER_CHOICES_SHOWN of them, and whether more match. None before a search."""
    if not search:
        return [], False
    rows = list(Employer.objects.visible_to(user).search(search).only("pk", "name")
                .order_by("name", "pk")[:EMPLOYER_CHOICES_SHOWN + 1])
    return rows[:EMPLOYER_CHOICES_SHOWN], len(rows) > EMPLOYER_CHOICES_SHOWN


@dataclass(frozen=True)
class EmployerOverview:
    placements: list[OutcomeSpell]
    placements_total: int
    follow_ups: list[FollowUp]
    follow_ups_total: int

    @property
    def participant_ids(self) -> set[int]:
        """Whose data the page shows: each of them gets a row in the access log."""
        return ({spell.participant_id for spell in self.placements}
                | {follow_up.participant_id for follow_up in self.follow_ups})


def employer_overview(*, employer: Employer, user: User) -> EmployerOverview:
    """The participants placed with the employer (work spells naming it, the current ones
    first) and the latest follow-ups that named it, of participants the user may read."""
    placements = (
        OutcomeSpell.objects.visible_to(user)
        .filter(employer=employer, kind=OutcomeKind.WORK)
        .select_related("participant")
        .order_by(F("ended_on").desc(nulls_first=True), "-started_on", "-pk")
    )
    follow_ups = (FollowUp.objects.visible_to(user).filter(employer=employer)
                  .select_related("participant", "case_worker")
                  .order_by("-occurred_on", "-created_at"))
    return EmployerOverview(placements=list(placements[:PLACEMENTS_SHOWN]),
                            placements_total=placements.count(),
                            follow_ups=list(follow_ups[:FOLLOW_UPS_SHOWN]),
                            follow_ups_total=follow_ups.count())


def job_development_contacts_of(*, employer: Employer, user: User
                                ) -> QuerySet[JobDevelopmentContact]:
    return (JobDevelopmentContact.objects.visible_to(user).filter(employer=employer)
            .select_related("case_worker").order_by("-occurred_on", "-created_at"))


def job_development_contact_initial(*, user: User) -> dict:
    """Today, and the channel the case worker used last: logging a contact takes seconds."""
    last_channel = (JobDevelopmentContact.objects.filter(case_worker=user)
                    .order_by("-occurred_on", "-created_at")
                    .values_list("channel", flat=True).first())
    return {"occurred_on": timezone.localdate(), "channel": last_channel or Channel.PHONE}


def editable_contact_ids(*, contacts, user: User) -> set[int]:
    """Which of the shown contacts the user may change (one query)."""
    ids = [contact.pk for contact in contacts]
    return set(JobDevelopmentContact.objects.editable_by(user).filter(pk__in=ids)
               .values_list("pk", flat=True))


@dataclass(frozen=True)
class WorkerWeeks:
    case_worker: User
    counts: list[int]

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class JobDevelopmentWeeks:
    weeks: list[dt.date]  # the Monday of each ISO week, oldest first
    rows: list[WorkerWeeks]


def job_development_weeks(*, user: User, today: dt.date, weeks: int = WEEKS_SHOWN
                          ) -> JobDevelopmentWeeks:
    """Job development contacts per case worker of the user's office per ISO week, for the
    last ``weeks`` weeks (this one included). A week without contacts counts 0."""
    this_monday = today - dt.timedelta(days=today.weekday())
    mondays = [this_monday - dt.timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    workers = list(_office_case_workers(user))
    counted = (
        JobDevelopmentContact.objects
        .filter(case_worker__in=[worker.pk for worker in workers],
                occurred_on__gte=mondays[0], occurred_on__lt=this_monday + dt.timedelta(weeks=1))
        .annotate(week=TruncWeek("occurred_on"))
        .values_list("case_worker_id", "week")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {(worker_id, _as_date(week)): n for worker_id, week, n in counted}
    rows = [WorkerWeeks(case_worker=worker,
                        counts=[counts.get((worker.pk, monday), 0) for monday in mondays])
            for worker in workers]
    return JobDevelopmentWeeks(weeks=mondays, rows=rows)


def _office_case_workers(user: User) -> QuerySet:
    """The active case workers of the user's office; the user alone without an office."""
    users = get_user_model().objects.filter(is_active=True, groups__name=Role.CASE_WORKER)
    office_id = office_id_of(user)
    users = (users.filter(staff_profile__office_id=office_id) if office_id is not None
             else users.filter(pk=user.pk))
    return users.order_by("first_name", "last_name", "username").distinct()


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value
