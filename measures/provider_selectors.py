"""Reads of the provider's pages: the enrollments in the staff member's own providers'
measures, and what one of them shows (the enrollment, the participant's goals, the history of
proposals and progress reports).

Provider staff need to know the participant's name and reference, the enrollment and the
goals, nothing else: the queries below select those columns only, so the identity number,
the office, follow-up notes and outcomes are never even read for these pages.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Lower
from django.utils import timezone

from participants.models import Goal, Participant
from providers.models import provider_ids_for_staff

from .models import Enrollment, EnrollmentProposal, EnrollmentStatus, ProgressReport

PARTICIPANT_FIELDS = ("participant__id", "participant__ref", "participant__given_name",
                      "participant__family_name")
STATUS_FILTERS = {
    EnrollmentStatus.WAITING: Q(started_on__isnull=True, ended_on__isnull=True),
    EnrollmentStatus.ACTIVE: Q(started_on__isnull=False, ended_on__isnull=True),
    EnrollmentStatus.ENDED: Q(started_on__isnull=False, ended_on__isnull=False),
    EnrollmentStatus.WITHDRAWN: Q(started_on__isnull=True, ended_on__isnull=False),
}
SORTS = {
    "name": (Lower("participant__family_name"), Lower("participant__given_name"),
             "participant__ref", "pk"),
    "referred": ("-referred_on", "-pk"),
    "measure": ("measure__name", Lower("participant__family_name"), "pk"),
}


def provider_enrollments(*, user) -> QuerySet[Enrollment]:
    """Enrollments in the measures of the user's own providers, through ``visible_to``."""
    return (
        Enrollment.objects.visible_to(user)
        .filter(measure__provider_id__in=provider_ids_for_staff(user))
        .select_related("participant", "measure__provider")
        .only(*PARTICIPANT_FIELDS, "ref", "referred_on", "started_on", "ended_on",
              "end_reason", "planned_end_on", "participation_percent", "days_per_week",
              "updated_at", "measure__name", "measure__provider__name", "participant_id",
              "measure_id")
    )


def provider_enrollment_list(
    *, user, q: str = "", status: str = "", measure: int | None = None, sort: str = "name"
) -> QuerySet[Enrollment]:
    """The list page: filtered, with the pending proposals and the latest report period."""
    rows = provider_enrollments(user=user)
    if q:
        rows = rows.filter(
            Q(participant__ref__icontains=q) | Q(participant__given_name__icontains=q)
            | Q(participant__family_name__icontains=q)
        )
    if status in STATUS_FILTERS:
        rows = rows.filter(STATUS_FILTERS[status])
    if measure is not None:
        rows = rows.filter(measure_id=measure)
    latest_report = (ProgressReport.objects.filter(enrollment_id=OuterRef("pk"))
                     .order_by("-period_end").values("period_end")[:1])
    return rows.annotate(
        pending_proposals=Count("proposals", filter=Q(proposals__status="pending")),
        latest_report_end=Subquery(latest_report),
    ).order_by(*SORTS.get(sort, SORTS["name"]))


def provider_measures(*, user) -> list[tuple[int, str]]:
    """The measures the filter offers: those of the user's providers with an enrollment."""
    return list(
        provider_enrollments(user=user).order_by("measure__name")
        .values_list("measure_id", "measure__name").distinct()
    )


def in_care(*, enrollment: Enrollment, user) -> bool:
    """Whether the participant's goals and shared answers are the user's to see now: a
    referral waiting or under way in the user's providers' measures, or one ended within
    the last PROVIDER_ACCESS_AFTER_END_DAYS days."""
    return Participant.objects.in_provider_care_of(user).filter(
        pk=enrollment.participant_id).exists()


def reports_closed_after(enrollment: Enrollment) -> dt.date | None:
    """The last day progress reports on this enrollment were taken, once it is past: the
    provider's time for the last report after the end, as long as it keeps the
    participant's goals (in_care). None while reports are taken."""
    if enrollment.ended_on is None:
        return None
    last_day = enrollment.ended_on + dt.timedelta(days=settings.PROVIDER_ACCESS_AFTER_END_DAYS)
    return last_day if timezone.localdate() > last_day else None


def goals_for_provider(*, enrollment: Enrollment, user) -> QuerySet[Goal]:
    return (
        Goal.objects.visible_to(user).filter(plan__participant_id=enrollment.participant_id)
        .only("text", "target_date", "status", "plan_id")
        .order_by("status", "target_date", "pk")
    )


def proposals_of(*, enrollment: Enrollment, user) -> QuerySet[EnrollmentProposal]:
    return (
        EnrollmentProposal.objects.visible_to(user).filter(enrollment_id=enrollment.pk)
        .select_related("proposed_by", "decided_by").order_by("-created_at", "-pk")
    )


def reports_of(*, enrollment: Enrollment, user) -> QuerySet[ProgressReport]:
    return (
        ProgressReport.objects.visible_to(user).filter(enrollment_id=enrollment.pk)
        .select_related("written_by")
    )
