"""Retention: a configurable time after a participant's last exit (RETENTION_YEARS_AFTER_EXIT,
5 years by default) their personal data are removed and the statistics kept.

Removed: names, identity number, the reference (it may be a case number elsewhere), every
free text about the person (follow-up notes, goals, plan reviews, employer and school
names, and whatever other apps register), and the change history that still holds them.
Kept: birth year, gender, background, office, project, dates, measures, end reasons,
outcomes and answers, so the indicators are the same before and after. The access log is
kept: it names staff and the participant's id only.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, Count, Max, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from .models import FollowUp, Goal, OutcomeSpell, Participant, PlanReview

logger = logging.getLogger(__name__)

BATCH_SIZE = 1000
Anonymiser = Callable[[list[int]], None]
_anonymisers: list[Anonymiser] = []


def register_anonymiser(anonymiser: Anonymiser) -> None:
    """Other apps remove their own free text about the participants with these ids
    (measures: proposals and progress reports). Called in their AppConfig.ready()."""
    if anonymiser not in _anonymisers:
        _anonymisers.append(anonymiser)


def cutoff(today: dt.date | None = None) -> dt.date:
    today = today or timezone.localdate()
    years = settings.RETENTION_YEARS_AFTER_EXIT
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def due_for_anonymisation(today: dt.date | None = None) -> QuerySet[Participant]:
    """Not yet anonymised, no enrollment still open, and the last exit (or, without any
    enrollment, the registration) longer ago than the retention time."""
    limit = cutoff(today)
    return (
        Participant.objects.filter(anonymised_at__isnull=True)
        .annotate(open_enrollments=Count("enrollments",
                                         filter=Q(enrollments__ended_on__isnull=True)),
                  enrollment_count=Count("enrollments"),
                  last_exit=Max("enrollments__ended_on"))
        .filter(open_enrollments=0)
        .filter(Q(enrollment_count__gt=0, last_exit__lt=limit)
                | Q(enrollment_count=0, created_at__date__lt=limit))
    )


def anonymise_due_participants(today: dt.date | None = None) -> int:
    """The nightly job: anonymise everyone due, a batch per transaction. The number."""
    done = 0
    while True:
        ids = list(due_for_anonymisation(today).order_by("pk").values_list("pk", flat=True)
                   [:BATCH_SIZE])
        if not ids:
            break
        participants_anonymise(participant_ids=ids)
        done += len(ids)
    if done:
        logger.info("anonymised %d participants after the retention time", done)
    return done


@transaction.atomic
def participants_anonymise(*, participant_ids: list[int]) -> None:
    """Remove the personal data of these participants; keep what the statistics need."""
    now = timezone.now()
    people = Participant.objects.filter(pk__in=participant_ids)
    people.update(ref=Concat(Value("ANON-"), Cast("pk", CharField())), given_name="",
                  family_name="", national_id="", national_id_hash="",
                  national_id_country="", next_contact_on=None, anonymised_at=now)
    FollowUp.objects.filter(participant_id__in=participant_ids).update(note="")
    OutcomeSpell.objects.filter(participant_id__in=participant_ids).update(
        organisation_name="")
    Goal.objects.filter(plan__participant_id__in=participant_ids).update(text="")
    PlanReview.objects.filter(plan__participant_id__in=participant_ids).update(note="")
    for anonymiser in _anonymisers:
        anonymiser(participant_ids)
    # The change history still holds every earlier version: it goes too.
    Participant.history.filter(id__in=participant_ids).delete()
    FollowUp.history.filter(participant_id__in=participant_ids).delete()
    OutcomeSpell.history.filter(participant_id__in=participant_ids).delete()
    Goal.history.filter(plan__participant_id__in=participant_ids).delete()
