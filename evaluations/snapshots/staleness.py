"""Marking snapshot scopes stale when case data change.

A change to a participant, an enrollment, a follow-up, an outcome spell or a voice
answer marks the participant's project stale, and with it every ancestor project (a
project's figures include its sub-projects) and the all-projects scope. Marking
increments the scopes' counters in one UPDATE (see ``SnapshotScope`` and ``_bump``);
nothing is computed here. The refresh task picks the stale scopes up within minutes.

Marking also lowers the scope's ``changed_from`` to the earliest date the change
touches: every indicator is computed as of a period's last day from the records dated
on or before it (INDICATORS.md), so a change dated d leaves every period that ended
before d as it was, and the refresh computes only the periods from d on. A row's date
before and after the change both count (a follow-up moved from March to May changes
March's figures too). A change to a participant's own attributes (project, gender,
birth year) touches every period.

The signal receivers only register an on-commit callback: the lookups and the update
run after the change is committed, so a request pays no extra queries inside its
transaction, a rolled-back change marks nothing, and a scope's counter row is never
locked for the length of someone else's transaction. The callback is ``robust``: a
failure to mark is logged and never undoes the saved change; the nightly run covers it.

Bulk writes bypass signals; the bundle import calls ``mark_all_projects_stale`` itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import partial

from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete, post_init, post_save
from django.utils import timezone

from evaluations.models import Project, SnapshotScope
from measures.models import Enrollment
from participants.models import Answer, FollowUp, InstrumentItem, OutcomeSpell, Participant
from participants.models.people import EARLIEST_DATE

VOICE_INSTRUMENT = "voice"  # the built-in instrument whose answers feed the voice indicators


def mark_projects_stale(project_ids: Iterable[int], changed_from: dt.date = EARLIEST_DATE
                        ) -> None:
    """Mark these projects, their ancestors and the all-projects scope stale, from the
    date ``changed_from`` on (by default every period)."""
    ids = with_ancestors(set(project_ids))
    if ids:
        ensure_scopes(ids)
        _bump(SnapshotScope.objects.filter(Q(project_id__in=ids) | Q(all_projects=True)),
              changed_from)


def mark_all_projects_stale() -> None:
    """Mark every project and the all-projects scope stale (after a bulk import)."""
    ensure_scopes(Project.objects.values_list("pk", flat=True))
    _bump(SnapshotScope.objects.all(), EARLIEST_DATE)


def with_ancestors(project_ids: set[int]) -> set[int]:
    """The projects and every project above them, walking up one level per query."""
    found = set(project_ids)
    frontier = set(project_ids)
    while frontier:
        parents = set(
            Project.objects.filter(pk__in=frontier, parent__isnull=False)
            .values_list("parent_id", flat=True)
        )
        frontier = parents - found
        found |= frontier
    return found


def ensure_scopes(project_ids: Iterable[int]) -> None:
    """Create the missing scope rows of these projects and of all projects."""
    ids = set(project_ids)
    existing = set(
        SnapshotScope.objects.filter(Q(project_id__in=ids) | Q(all_projects=True))
        .values_list("project_id", flat=True)
    )
    missing = [SnapshotScope(project_id=pk) for pk in sorted(ids - existing)]
    if None not in existing:
        missing.append(SnapshotScope(all_projects=True))
    if missing:
        # A concurrent writer may create the same rows: the unique constraints keep one each.
        SnapshotScope.objects.bulk_create(missing, ignore_conflicts=True)


def _bump(scopes, changed_from: dt.date) -> None:
    """Increment the data version of the scopes that need it, in one UPDATE.

    A scope that is already stale and that no run is computing is left as it is: the
    next run starts after this change was committed, so it sees it. Leaving it alone
    keeps marking cheap and makes it idempotent (importing the same bundle twice
    changes nothing the second time). A scope that a run holds may have been read
    before this change, so it is incremented: the run then leaves it stale.
    """
    scopes.filter(
        Q(data_version=F("refreshed_version")) | Q(lease_until__isnull=False)
    ).update(
        data_version=F("data_version") + 1,
        stale_since=Coalesce(F("stale_since"), Value(timezone.now())),
    )
    # Every scope, stale already or not: the periods to compute again reach back to the
    # earliest date any change since the last refresh touched.
    scopes.filter(Q(changed_from__isnull=True) | Q(changed_from__gt=changed_from)).update(
        changed_from=changed_from)


# Signal receivers. participants and measures must not import evaluations, so
# EvaluationsConfig.ready() connects them.


# The field of each dated model whose date, before and after a change, bounds the
# periods the change can touch (an enrollment's referral comes before its start and end).
DATE_FIELDS = {Enrollment: "referred_on", FollowUp: "occurred_on",
               OutcomeSpell: "started_on", Answer: "answered_on"}


def connect_signals() -> None:
    post_init.connect(_remember_project, sender=Participant,
                      dispatch_uid="snapshots_participant_init")
    for model in DATE_FIELDS:
        post_init.connect(_remember_date, sender=model,
                          dispatch_uid=f"snapshots_{model._meta.model_name}_init")
    post_save.connect(_participant_changed, sender=Participant,
                      dispatch_uid="snapshots_participant_save")
    post_delete.connect(_participant_changed, sender=Participant,
                        dispatch_uid="snapshots_participant_delete")
    for model in (Enrollment, FollowUp, OutcomeSpell):
        post_save.connect(_case_row_changed, sender=model,
                          dispatch_uid=f"snapshots_{model._meta.model_name}_save")
        post_delete.connect(_case_row_changed, sender=model,
                            dispatch_uid=f"snapshots_{model._meta.model_name}_delete")
    post_save.connect(_answer_changed, sender=Answer, dispatch_uid="snapshots_answer_save")
    post_delete.connect(_answer_changed, sender=Answer, dispatch_uid="snapshots_answer_delete")


def _remember_project(sender, instance, **kwargs):
    """Keep the project a participant was loaded with: moving them changes both projects."""
    # Read from __dict__ so a deferred project_id does not cost a query per instance.
    instance._project_id_as_loaded = instance.__dict__.get("project_id")


def _remember_date(sender, instance, **kwargs):
    instance._date_as_loaded = instance.__dict__.get(DATE_FIELDS[sender])


def _changed_from(sender, instance) -> dt.date:
    """The earliest of the row's date as loaded and as saved (or deleted)."""
    dates = [getattr(instance, "_date_as_loaded", None),
             instance.__dict__.get(DATE_FIELDS[sender])]
    dates = [day for day in dates if isinstance(day, dt.date)]
    changed_from = min(dates, default=EARLIEST_DATE)
    instance._date_as_loaded = instance.__dict__.get(DATE_FIELDS[sender])
    return changed_from


def _participant_changed(sender, instance, **kwargs):
    project_ids = {instance.project_id, getattr(instance, "_project_id_as_loaded", None)}
    project_ids.discard(None)
    transaction.on_commit(partial(mark_projects_stale, project_ids), robust=True)
    instance._project_id_as_loaded = instance.project_id


def _case_row_changed(sender, instance, **kwargs):
    transaction.on_commit(partial(_mark_participant_stale, instance.participant_id,
                                  _changed_from(sender, instance)), robust=True)


def _answer_changed(sender, instance, **kwargs):
    transaction.on_commit(partial(_mark_voice_answer_stale, instance.participant_id,
                                  instance.item_id, _changed_from(sender, instance)),
                          robust=True)


def _mark_participant_stale(participant_id: int, changed_from: dt.date) -> None:
    project_ids = Participant.objects.filter(pk=participant_id).values_list(
        "project_id", flat=True
    )
    # A participant deleted in the same transaction marked their project themselves.
    mark_projects_stale(set(project_ids), changed_from)


def _mark_voice_answer_stale(participant_id: int, item_id: int, changed_from: dt.date
                             ) -> None:
    """Answers to other questionnaires do not enter any indicator."""
    if InstrumentItem.objects.filter(pk=item_id, instrument__code=VOICE_INSTRUMENT).exists():
        _mark_participant_stale(participant_id, changed_from)
