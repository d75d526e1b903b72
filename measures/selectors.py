"""Reads that feed the measures pages: a participant's enrollments, the waiting lists and
the figures shown next to a measure (how many wait, how long a wait usually is).

Rows with personal data start from ``Enrollment.objects.visible_to(user)``; the figures
per measure are counts and medians over every enrollment, which name nobody, but could
single someone out when small: a figure over 1 to 4 people is hidden from a reader who
may not see every one of them (rehab/small_numbers.py).
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from participants.models import Participant
from providers.models import Provider, provider_ids_for_staff
from rehab.roles import Role, roles_of
from rehab.small_numbers import is_small

from .models import Enrollment, EnrollmentProposal, Measure

STATS_WINDOW_DAYS = 365
# Roles that work with named participants (project leads: those of the projects they lead).
PERSONAL_DATA_ROLES = frozenset({Role.CASE_WORKER, Role.PROVIDER_STAFF, Role.PROJECT_LEAD,
                                 Role.ADMINISTRATOR})


@dataclass(frozen=True)
class WaitStats:
    """One measure's waiting list in figures."""

    waiting: int | None = 0  # None: hidden from this reader (waiting_hidden)
    median_wait_days: float | None = None  # over the starts of the last 365 days
    started: int | None = 0  # how many starts the median is taken over; None: hidden
    # Hidden from this reader, value and all: 1 to 4 people, not all of whom the reader
    # may see.
    waiting_hidden: bool = False
    median_hidden: bool = False

    @property
    def median_wait_whole_days(self) -> int | None:
        """The median rounded half up, as shown (``round`` would round 22.5 to 22)."""
        if self.median_wait_days is None:
            return None
        return math.floor(self.median_wait_days + 0.5)


def enrollments_for_participant(*, participant: Participant, user) -> QuerySet[Enrollment]:
    """The participant's enrollments this user may see, newest referral first."""
    return (
        Enrollment.objects.visible_to(user)
        .filter(participant_id=participant.pk)
        .select_related("measure__provider", "referred_by")
        .prefetch_related(Prefetch(
            "proposals", to_attr="pending_proposals",
            queryset=EnrollmentProposal.objects.pending().select_related("proposed_by")
            .order_by("created_at", "pk"),
        ))
        .order_by("-referred_on", "-pk")
    )


def participant_editable(*, participant: Participant, user) -> bool:
    return Participant.objects.editable_by(user).filter(pk=participant.pk).exists()


def editable_participant_ids(*, participant_ids: Iterable[int], user) -> set[int]:
    """Which of these participants the user may change: one query for a whole page."""
    ids = set(participant_ids)
    if not ids:
        return set()
    return set(
        Participant.objects.editable_by(user).filter(pk__in=ids).values_list("pk", flat=True)
    )


def waiting_list(
    *, measure: Measure | None = None, provider: Provider | None = None, user
) -> QuerySet[Enrollment]:
    """The waiting referrals this user may see, measure by measure, oldest referral first.
    ``with_days_waited`` adds the days waited to the rows shown."""
    rows = (
        Enrollment.objects.visible_to(user)
        .waiting()
        .select_related("participant", "measure__provider", "referred_by")
        .order_by("measure__name", "measure_id", "referred_on", "pk")
    )
    if measure is not None:
        rows = rows.filter(measure_id=measure.pk)
    if provider is not None:
        rows = rows.filter(measure__provider_id=provider.pk)
    return rows


def with_days_waited(rows: Iterable[Enrollment], *, today: dt.date | None = None) -> list:
    """The rows, each with ``days_waited`` (days since the referral, to today)."""
    today = today or timezone.localdate()
    rows = list(rows)
    for row in rows:
        row.days_waited = (today - row.referred_on).days
    return rows


def measure_waiting_stats(
    *, measures: Iterable[Measure], user, today: dt.date | None = None
) -> dict[int, WaitStats]:
    """For each measure (by pk): how many wait now, and the median wait in days
    (``started_on - referred_on``) over the enrollments started in the last 365 days,
    as ``user`` may see them: a figure over 1 to 4 enrollments is hidden unless the user
    may see every one of them (a provider's own waiting list, a case worker's own
    referrals), as INDICATORS.md hides small numbers.

    Two queries whatever the number of measures, and a third (with what the user's access
    rules read) only when a figure is small. The median is taken in Python over the day
    differences, so SQLite and PostgreSQL give the same figure.
    """
    ids = [measure.pk for measure in measures]
    if not ids:
        return {}
    today = today or timezone.localdate()
    waiting = dict(
        Enrollment.objects.waiting()
        .filter(measure_id__in=ids)
        .values("measure_id")
        .annotate(n=Count("pk"))
        .values_list("measure_id", "n")
        .order_by()
    )
    recent = Q(started_on__gt=today - dt.timedelta(days=STATS_WINDOW_DAYS),
               started_on__lte=today)
    waits: dict[int, list[int]] = defaultdict(list)
    starts = Enrollment.objects.filter(recent, measure_id__in=ids).values_list(
        "measure_id", "referred_on", "started_on").order_by()
    for measure_id, referred_on, started_on in starts:
        waits[measure_id].append((started_on - referred_on).days)
    hidden_waiting, hidden_starts = _hidden_small_figures(
        user, {pk: waiting.get(pk, 0) for pk in ids}, {pk: len(waits[pk]) for pk in ids},
        recent)
    return {
        pk: WaitStats(
            waiting=None if pk in hidden_waiting else waiting.get(pk, 0),
            median_wait_days=(statistics.median(waits[pk])
                              if waits[pk] and pk not in hidden_starts else None),
            started=None if pk in hidden_starts else len(waits[pk]),
            waiting_hidden=pk in hidden_waiting,
            median_hidden=pk in hidden_starts,
        )
        for pk in ids
    }


def _hidden_small_figures(user, waiting: dict[int, int], started: dict[int, int],
                          recent: Q) -> tuple[set[int], set[int]]:
    """The measures whose waiting count, and those whose median wait, rest on 1 to 4
    enrollments not all of which the user may see."""
    small_waiting = {pk for pk, n in waiting.items() if is_small(n)}
    small_started = {pk for pk, n in started.items() if is_small(n)}
    if not small_waiting and not small_started:
        return set(), set()
    waiting_now = Q(started_on__isnull=True, ended_on__isnull=True)
    seen = {
        measure_id: (seen_waiting, seen_started) for measure_id, seen_waiting, seen_started in
        Enrollment.objects.visible_to(user)
        .filter(measure_id__in=small_waiting | small_started)
        .values("measure_id")
        .annotate(seen_waiting=Count("pk", filter=waiting_now),
                  seen_started=Count("pk", filter=recent))
        .values_list("measure_id", "seen_waiting", "seen_started")
        .order_by()
    }
    return ({pk for pk in small_waiting if seen.get(pk, (0, 0))[0] < waiting[pk]},
            {pk for pk in small_started if seen.get(pk, (0, 0))[1] < started[pk]})


def sees_personal_data(user) -> bool:
    return bool(roles_of(user) & PERSONAL_DATA_ROLES)


def measures_for_waiting_lists(*, user) -> list[Measure]:
    """The measures whose waiting lists this user may look at: provider staff their own
    providers' measures; everybody else with a role every measure that takes referrals or
    still has someone waiting."""
    roles = roles_of(user)
    measures = Measure.objects.visible_to(user).select_related("provider")
    if Role.PROVIDER_STAFF in roles and not roles & {Role.CASE_WORKER, Role.ADMINISTRATOR}:
        measures = measures.filter(provider_id__in=provider_ids_for_staff(user))
    has_waiting = Q(pk__in=Enrollment.objects.waiting().values("measure_id"))
    return list(measures.filter(Q(active=True) | has_waiting).order_by("name", "pk"))
