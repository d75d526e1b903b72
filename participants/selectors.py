"""Reads that feed the start page, My caseload and the team view."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.apps import apps
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import caseload_focus
from .caseload_focus import SUPPORT_CONTACT_ALERT_DAYS, days_without_contact
from .models import FollowUp, Goal, GoalStatus, Participant
from .models.caseload import NO_CONTACT_DAYS_DEFAULT
from .models.people import office_id_of

CASELOAD_PAGE_SIZE = 50
# A participant not contacted for longer than this stands out on the caseload.
FOLLOW_UP_ALERT_DAYS = 30


def participants_for_home(*, user) -> QuerySet[Participant]:
    """The participants shown on a user's start page: all those they may see."""
    return (
        Participant.objects.visible_to(user)
        .select_related("project", "office", "primary_case_worker")
        .order_by("family_name", "given_name", "ref")
    )


class CaseloadStatus(models.TextChoices):
    """Where the participant stands, from their enrollments (the most advanced one wins)."""

    ACTIVE = "active", _("Active")
    WAITING = "waiting", _("Waiting")
    ENDED = "ended", _("Ended")
    NONE = "none", _("No enrollment")


# The enrollment states, written as look-ups on the reverse relation ``enrollments``. That
# relation name is all participants knows of the measures app (the measure choices reach the
# catalogue through it too): no import, no model lookup.
_ACTIVE = {"started_on__isnull": False, "ended_on__isnull": True}
_WAITING = {"started_on__isnull": True, "ended_on__isnull": True}
_ENDED = {"started_on__isnull": False, "ended_on__isnull": False}


def _enrollments_of_outer(**conditions) -> QuerySet[Participant]:
    """The outer row's participant, once per enrollment that meets all ``conditions``.

    Each fact is its own correlated subquery rather than a join with GROUP BY: joining
    enrollments, follow-ups and goals together would multiply every participant's rows
    by the product of the three counts.
    """
    # ``enrollments__isnull=False`` turns the join into an inner one: without it,
    # ``enrollments__started_on__isnull=True`` also matches a participant with no enrollment.
    lookups = {f"enrollments__{name}": value for name, value in conditions.items()}
    return Participant.objects.filter(
        pk=OuterRef("pk"), enrollments__isnull=False, **lookups
    ).order_by()


# Sorting keys of the table: (ascending, descending) orderings of the value shown.
# "Days since the last follow-up" grows as the date gets older, and "never" is the longest.
_SORTS = {
    "name": (["family_name", "given_name", "ref"], ["-family_name", "-given_name", "-ref"]),
    "ref": (["ref"], ["-ref"]),
    "follow_up": (
        [F("last_follow_up_on").desc(nulls_last=True), "ref"],
        [F("last_follow_up_on").asc(nulls_first=True), "ref"],
    ),
    "next_goal": (
        [F("next_goal_on").asc(nulls_last=True), "ref"],
        [F("next_goal_on").desc(nulls_last=True), "ref"],
    ),
}
SORT_KEYS = tuple(_SORTS)
SORT_CHOICES = tuple(f"{prefix}{key}" for key in SORT_KEYS for prefix in ("", "-"))


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass
class CaseloadOptions:
    """What the filters of a caseload may offer: only values that occur in it (projects
    excepted: a project's participants may all sit in its sub-projects)."""

    projects: list[Choice] = field(default_factory=list)
    measures: list[Choice] = field(default_factory=list)
    providers: list[Choice] = field(default_factory=list)
    case_workers: list[Choice] = field(default_factory=list)
    # project id -> the ids of that project and its sub-projects at every depth
    project_subtrees: dict[int, set[int]] = field(default_factory=dict)


def caseload_rows(*, user, team: bool = False) -> QuerySet[Participant]:
    """My caseload (the participants the user is primary case worker for), or with ``team``
    every participant of the user's office. Without an office the team view is empty.

    Every row is also in ``case_file_visible_to(user)`` for a case worker (own caseload,
    own office), so the enrollments shown are ones this user may read.
    """
    rows = Participant.objects.visible_to(user)
    if not team:
        return rows.filter(primary_case_worker=user)
    office_id = office_id_of(user)
    return rows.none() if office_id is None else rows.filter(office_id=office_id)


def caseload_options(*, user, rows: QuerySet[Participant], team: bool = False) -> CaseloadOptions:
    """The filter choices for ``rows``, in three queries (two without ``team``)."""
    options = CaseloadOptions()
    _add_project_options(options, user=user)
    seen_providers: set[int] = set()
    for measure_id, measure_name, provider_id, provider_name in _enrolled_measures(rows):
        options.measures.append(Choice(str(measure_id), measure_name))
        if provider_id not in seen_providers:
            seen_providers.add(provider_id)
            options.providers.append(Choice(str(provider_id), provider_name))
    options.providers.sort(key=lambda choice: choice.label.casefold())
    if team:
        workers = (
            rows.filter(primary_case_worker__isnull=False)
            .values_list(
                "primary_case_worker_id", "primary_case_worker__first_name",
                "primary_case_worker__last_name", "primary_case_worker__username",
            )
            .order_by(
                "primary_case_worker__last_name", "primary_case_worker__first_name",
                "primary_case_worker_id",
            )
            .distinct()
        )
        options.case_workers = [
            Choice(str(pk), f"{first} {last}".strip() or username)
            for pk, first, last, username in workers
        ]
    return options


def _enrolled_measures(rows: QuerySet[Participant]) -> QuerySet:
    """(id, name, provider id, provider name) of every measure a participant of ``rows`` has
    an enrollment in, whatever its state (waiting, active, ended or withdrawn), by name.

    The rows' enrollments give measure ids only, made distinct as numbers (on PostgreSQL
    from two indexes alone: the office's or case worker's participants, then each one's
    enrollments with the measure they carry); the catalogue is joined to the few ids left.
    The DISTINCT also keeps the planner from flattening the subquery into a semi-join
    driven from the catalogue, which reads a measure's enrollments until one is of these
    participants: every one of them for a measure the office does not use, which where
    providers are local is most of them (docs/performance.md, the team view).
    """
    # The catalogue's model, reached through the ``enrollments`` relation: no import.
    enrollment_model = Participant._meta.get_field("enrollments").related_model
    measure_model = enrollment_model._meta.get_field("measure").related_model
    # An inner join tested on a column the index carries (``enrollments__isnull=False``
    # would test the enrollment's id, which it does not).
    measure_ids = (
        rows.filter(enrollments__measure__isnull=False)
        .values("enrollments__measure_id").order_by().distinct()
    )
    return (
        measure_model.objects.filter(pk__in=measure_ids)
        .order_by("name", "pk")
        .values_list("pk", "name", "provider_id", "provider__name")
    )


def _add_project_options(options: CaseloadOptions, *, user) -> None:
    """Projects in tree order (sub-projects indented under their parent), and each one's
    subtree for the filter, from one query.

    participants does not import evaluations (which owns Project); the registry lookup
    reads the model without an import cycle, and the tree is walked in memory because the
    project table is small and the filter needs all of it anyway.
    """
    project_model = apps.get_model("evaluations", "Project")
    projects = list(
        project_model.objects.visible_to(user)
        .order_by("code")
        .values_list("pk", "parent_id", "code", "name")
    )
    children: dict[int | None, list[tuple]] = {}
    known = {pk for pk, *_rest in projects}
    for row in projects:
        parent = row[1] if row[1] in known else None
        children.setdefault(parent, []).append(row)

    def walk(parent_id: int | None, depth: int) -> list[int]:
        below: list[int] = []
        for pk, _parent, code, name in children.get(parent_id, []):
            options.projects.append(Choice(str(pk), f"{'– ' * depth}{code} {name}"))
            subtree = [pk, *walk(pk, depth + 1)]
            options.project_subtrees[pk] = set(subtree)
            below += subtree
        return below

    walk(None, 0)


def caseload_filtered(
    *,
    rows: QuerySet[Participant],
    options: CaseloadOptions,
    q: str = "",
    status: str = "",
    project: int | None = None,
    measure: int | None = None,
    provider: int | None = None,
    case_worker: str = "",
    focus: str = "",
    user=None,
    no_contact_days: int = NO_CONTACT_DAYS_DEFAULT,
    today: dt.date | None = None,
    sort: str = "name",
) -> QuerySet[Participant]:
    """``rows`` with the caseload facts annotated, filtered and sorted: one query per page.

    A project filter includes the project's sub-projects. A measure or provider filter
    matches any enrollment, waiting, active or ended. ``case_worker`` is a user id or
    ``"none"`` for participants without a primary case worker. ``focus`` is one of the
    lists of ``caseload_focus.CaseloadFocus`` ("recently assigned" is about ``user``).
    """
    today = today or timezone.localdate()
    rows = _annotated(rows.select_related("project", "office", "primary_case_worker"))
    rows = caseload_focus.with_support_phase(rows, today=today)
    if focus in caseload_focus.CaseloadFocus.values:
        rows = rows.filter(caseload_focus.focus_condition(
            focus=focus, user=user, today=today, no_contact_days=no_contact_days))
    for word in q.split():
        rows = rows.filter(_matches(word))
    if status in CaseloadStatus.values:
        rows = rows.filter(caseload_status=status)
    if project is not None:
        rows = rows.filter(project_id__in=options.project_subtrees.get(project, {project}))
    if measure is not None:
        rows = rows.filter(Exists(_enrollments_of_outer(measure_id=measure)))
    if provider is not None:
        rows = rows.filter(Exists(_enrollments_of_outer(measure__provider_id=provider)))
    if case_worker == "none":
        rows = rows.filter(primary_case_worker__isnull=True)
    elif case_worker.isdigit():
        rows = rows.filter(primary_case_worker_id=int(case_worker))
    key = sort.removeprefix("-")
    ascending, descending = _SORTS.get(key, _SORTS["name"])
    return rows.order_by(*(descending if sort.startswith("-") else ascending), "pk")


def _matches(word: str) -> Q:
    """Name or reference contains ``word``, ignoring case.

    SQLite ignores the case of ASCII letters only, so "østby" would miss "Østby" there; the
    usual spellings of the word are tried as well (PostgreSQL needs none of them).
    """
    condition = Q()
    for variant in {word, word.lower(), word.upper(), word.capitalize()}:
        for name in ("given_name", "family_name", "ref"):
            condition |= Q(**{f"{name}__icontains": variant})
    return condition


def _annotated(rows: QuerySet[Participant]) -> QuerySet[Participant]:
    last_follow_up = (
        FollowUp.objects.filter(participant=OuterRef("pk"))
        .order_by("-occurred_on")
        .values("occurred_on")[:1]
    )
    next_goal = (
        Goal.objects.filter(
            plan__participant=OuterRef("pk"), status=GoalStatus.OPEN, target_date__isnull=False
        )
        .order_by("target_date")
        .values("target_date")[:1]
    )
    latest_active = (
        _enrollments_of_outer(**_ACTIVE)
        .order_by("-enrollments__started_on", "-enrollments__pk")
        .values("enrollments__measure__name")[:1]
    )
    latest_waiting = (
        _enrollments_of_outer(**_WAITING)
        .order_by("-enrollments__referred_on", "-enrollments__pk")
        .values("enrollments__measure__name")[:1]
    )
    return rows.annotate(
        caseload_status=Case(
            When(Exists(_enrollments_of_outer(**_ACTIVE)), then=Value(CaseloadStatus.ACTIVE)),
            When(Exists(_enrollments_of_outer(**_WAITING)), then=Value(CaseloadStatus.WAITING)),
            When(Exists(_enrollments_of_outer(**_ENDED)), then=Value(CaseloadStatus.ENDED)),
            default=Value(CaseloadStatus.NONE),
            output_field=models.CharField(),
        ),
        current_measure=Coalesce(
            Subquery(latest_active), Subquery(latest_waiting), output_field=models.CharField()
        ),
        last_follow_up_on=Subquery(last_follow_up, output_field=models.DateField()),
        next_goal_on=Subquery(next_goal, output_field=models.DateField()),
    )


def caseload_page(
    *, rows: QuerySet[Participant], number: str | int | None, today: dt.date | None = None
) -> Page:
    """One page of the table, each row given what the template shows beyond its fields:
    ``status_label``, ``days_since_follow_up`` (None: never), ``follow_up_overdue``
    (contacted, but longer ago than FOLLOW_UP_ALERT_DAYS), and for the support phase
    ``days_in_support`` (None: not in it), ``support_days_without_contact``,
    ``support_overdue`` and ``next_contact_overdue`` (the planned date has passed)."""
    today = today or timezone.localdate()
    page = Paginator(rows, CASELOAD_PAGE_SIZE).get_page(number)
    for row in page:
        row.status_label = CaseloadStatus(row.caseload_status).label
        last = row.last_follow_up_on
        row.days_since_follow_up = None if last is None else (today - last).days
        row.follow_up_overdue = (
            row.days_since_follow_up is not None
            and row.days_since_follow_up > FOLLOW_UP_ALERT_DAYS
        )
        start = row.support_started_on
        row.days_in_support = None if start is None else (today - start).days
        row.support_days_without_contact = days_without_contact(
            started_on=start, last_contact_on=last, today=today)
        row.support_overdue = (row.support_days_without_contact is not None
                               and row.support_days_without_contact > SUPPORT_CONTACT_ALERT_DAYS)
        row.next_contact_overdue = (row.next_contact_on is not None
                                    and row.next_contact_on < today)
    return page


@dataclass(frozen=True)
class CaseloadCounts:
    """The start page's counts of the user's own caseload, one per list."""

    no_contact: int
    support: int
    support_no_contact: int
    recently_assigned: int
    waiting: int
    no_contact_days: int


def caseload_counts(*, user, no_contact_days: int, today: dt.date | None = None
                    ) -> CaseloadCounts:
    """The counts of My caseload's lists, in one query (each a filtered COUNT)."""
    today = today or timezone.localdate()
    waiting = Q(Exists(_enrollments_of_outer(**_WAITING))) & ~Q(
        Exists(_enrollments_of_outer(**_ACTIVE)))
    counts = caseload_rows(user=user).aggregate(
        no_contact=Count("pk", filter=caseload_focus.no_contact_in(days=no_contact_days,
                                                                   today=today)),
        support=Count("pk", filter=caseload_focus.in_support_phase(today=today)),
        support_no_contact=Count("pk", filter=caseload_focus.support_without_contact(
            today=today)),
        recently_assigned=Count("pk", filter=caseload_focus.recently_assigned_to(
            user=user, today=today)),
        waiting=Count("pk", filter=waiting),
    )
    return CaseloadCounts(no_contact_days=no_contact_days, **counts)
