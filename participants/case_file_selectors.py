"""Reads that feed the participant page (the case file) and its htmx regions.

The page is for readers of the whole case file (``Participant.objects.case_file_visible_to``):
case workers of the participant's office, the primary case worker, administrators.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Channel, FollowUp, Goal, OutcomeSpell, Participant
from .timeline import TimelineEvent, events_for

if TYPE_CHECKING:
    from django.contrib.auth.models import User

TIMELINE_LIMIT = 100


def case_files_for(*, user: User) -> QuerySet[Participant]:
    """The participants whose page this user may open, with what the header shows.

    The status comes from the enrollments (the measures app's rows) through reverse
    look-ups, so participants does not import measures and the header needs one query.
    """
    return (
        Participant.objects.case_file_visible_to(user)
        .select_related("project", "office", "primary_case_worker")
        .annotate(
            active_enrollments=Count(
                "enrollments",
                filter=Q(enrollments__started_on__isnull=False, enrollments__ended_on__isnull=True),
            ),
            waiting_enrollments=Count(
                "enrollments",
                filter=Q(enrollments__started_on__isnull=True, enrollments__ended_on__isnull=True),
            ),
            all_enrollments=Count("enrollments"),
        )
    )


def case_status(participant: Participant) -> str:
    """The participant's status, from the annotations of ``case_files_for``."""
    if participant.active_enrollments:
        return _("In a measure")
    if participant.waiting_enrollments:
        return _("Waiting for a measure")
    if participant.all_enrollments:
        return _("No open enrollment")
    return _("Not referred yet")


def masked_national_id(number: str) -> str:
    """The first six digits (the date of birth) and a fixed mask, so the page never shows
    the personal part of the number, nor how long it is."""
    digits = re.sub(r"\D", "", number)
    if not digits:
        return ""
    if len(digits) == 12:  # a Swedish number with the century: keep YYMMDD
        digits = digits[2:]
    return f"{digits[:6]}*****"


@dataclass(frozen=True)
class TimelinePage:
    events: list[TimelineEvent]
    total: int
    shows_all: bool
    limit: int = TIMELINE_LIMIT


def timeline_for(*, participant: Participant, user: User, show_all: bool = False) -> TimelinePage:
    """The newest events first; the latest ``TIMELINE_LIMIT`` unless all are asked for."""
    events = events_for(participant=participant, user=user)
    shown = events if show_all else events[:TIMELINE_LIMIT]
    return TimelinePage(events=shown, total=len(events), shows_all=len(shown) == len(events))


def notes_for(*, participant: Participant, user: User) -> list[TimelineEvent]:
    """Every note of the case file the user may read, from every app's timeline source
    (follow-up notes, goals, plan reviews, providers' proposals and progress reports),
    oldest first, as a printed file is read."""
    return [event for event in reversed(events_for(participant=participant, user=user))
            if event.note]


def follow_up_initial(*, participant: Participant) -> dict:
    """Defaults that make logging a contact take seconds: today, the channel used last time."""
    last_channel = (
        FollowUp.objects.filter(participant=participant)
        .order_by("-occurred_on", "-created_at")
        .values_list("channel", flat=True)
        .first()
    )
    return {"occurred_on": timezone.localdate(), "channel": last_channel or Channel.MEETING}


def open_outcome_spells(*, participant: Participant) -> QuerySet[OutcomeSpell]:
    return (OutcomeSpell.objects.filter(participant=participant, ended_on__isnull=True)
            .select_related("employer").order_by("-started_on", "-created_at"))


def goals_of(*, participant: Participant) -> QuerySet[Goal]:
    return Goal.objects.filter(plan__participant=participant)
