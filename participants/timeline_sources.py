"""The participants app's own events on the participant page's timeline.

Registered from ``ParticipantsConfig.ready()``. One query per kind of row, whatever the
number of events: follow-ups, outcome spells, case worker assignments, goals, plan reviews.
Goal status changes are kept as plan reviews (``goal_review`` writes one), so they come
with the reviews.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import (
    CaseWorkerAssignment,
    FollowUp,
    Goal,
    OutcomeKind,
    OutcomeSpell,
    Participant,
    PlanReview,
)
from .timeline import TimelineEvent

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def case_file_events(*, participant: Participant, user: User) -> list[TimelineEvent]:
    """Events of the case file for its readers; for anyone else the goals they may see
    (``Goal.objects.visible_to``: provider staff while the participant is in their care),
    never the notes of the plan's reviews. The check runs once here, so the queries below
    filter on the participant alone instead of repeating the access rule five times."""
    if Participant.objects.case_file_visible_to(user).filter(pk=participant.pk).exists():
        return [
            *_follow_up_events(participant),
            *_outcome_events(participant),
            *_case_worker_events(participant),
            *_goal_events(Goal.objects.filter(plan__participant=participant)),
            *_plan_review_events(participant),
        ]
    return list(_goal_events(Goal.objects.visible_to(user).filter(
        plan__participant=participant)))


def display_name(user: User | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


def _follow_up_events(participant: Participant) -> Iterator[TimelineEvent]:
    rows = FollowUp.objects.filter(participant=participant).select_related("case_worker")
    for row in rows:
        badges = []
        if row.with_employer:
            badges.append(_("Employer took part"))
        if row.with_treatment:
            badges.append(_("Treatment service took part"))
        yield TimelineEvent(
            on=row.occurred_on,
            kind="follow_up",
            title=_("Follow-up: %(channel)s") % {"channel": row.get_channel_display()},
            detail=row.note,
            actor=display_name(row.case_worker),
            recorded_at=row.created_at,
            badges=tuple(badges),
            note=bool(row.note),
        )


def _outcome_events(participant: Participant) -> Iterator[TimelineEvent]:
    for row in OutcomeSpell.objects.filter(participant=participant).select_related("employer"):
        work = row.kind == OutcomeKind.WORK
        place = row.employer.name if row.employer_id else row.organisation_name
        started = [place]
        if row.hours_per_week is not None:
            hours = floatformat(row.hours_per_week, -1)
            started.append(_("%(hours)s hours per week") % {"hours": hours})
        yield TimelineEvent(
            on=row.started_on,
            kind="outcome_started",
            title=_("Started work") if work else _("Started education"),
            detail=" · ".join(part for part in started if part),
            recorded_at=row.created_at,
        )
        if row.ended_on is not None:
            yield TimelineEvent(
                on=row.ended_on,
                kind="outcome_ended",
                title=_("Work ended") if work else _("Education ended"),
                detail=place,
                recorded_at=row.updated_at,
            )


def _case_worker_events(participant: Participant) -> Iterator[TimelineEvent]:
    rows = CaseWorkerAssignment.objects.filter(participant=participant).select_related(
        "case_worker", "assigned_by"
    )
    for row in rows:
        yield TimelineEvent(
            on=row.assigned_on,
            kind="case_worker_changed",
            title=_("Primary case worker: %(name)s") % {"name": display_name(row.case_worker)},
            actor=display_name(row.assigned_by),
            recorded_at=row.created_at,
        )


def _goal_events(goals) -> Iterator[TimelineEvent]:
    for goal in goals:
        detail = goal.text
        if goal.target_date is not None:
            target = date_format(goal.target_date, "SHORT_DATE_FORMAT")
            detail = _("%(goal)s (target date %(date)s)") % {"goal": goal.text, "date": target}
        yield TimelineEvent(
            on=timezone.localdate(goal.created_at),
            kind="goal_added",
            title=_("Goal added"),
            detail=detail,
            recorded_at=goal.created_at,
            note=True,
        )


def _plan_review_events(participant: Participant) -> Iterator[TimelineEvent]:
    reviews = PlanReview.objects.filter(plan__participant=participant).select_related(
        "reviewed_by", "goal"
    )
    for review in reviews:
        # A goal's change of status is written out here, in the reader's language.
        detail = "\n".join(part for part in (review.goal_change(), review.note) if part)
        yield TimelineEvent(
            on=review.reviewed_on,
            kind="plan_review",
            title=_("Plan reviewed"),
            detail=detail,
            actor=display_name(review.reviewed_by),
            recorded_at=review.created_at,
            note=bool(detail),
        )
