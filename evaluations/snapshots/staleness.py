"""Marking snapshot scopes stale when case data change.

A change to a participant, an enrollment, a follow-up, an outcome spell or a voice
answer marks the participant's project stale, and with it every ancestor project (a
project's figures include its sub-projects) and the all-projects scope. Marking
increments the scopes' counters in one UPDATE (see ``SnapshotScope`` and ``_bump``);
nothing is computed here. The refresh task picks the stale scopes up within minutes.

The signal receivers only register an on-commit callback: the lookups and the update
run after the change is committed, so a request pays no extra queries inside its
transaction, a rolled-back change marks nothing, and a scope's counter row is never
locked for the length of someone else's transaction. The callback is ``robust``: a
failure to mark is logged and never undoes the saved change; the nightly run covers it.

Bulk writes bypass signals; the bundle import calls ``mark_all_projects_stale`` itself.
"""

from __future__ import annotations

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

VOICE_INSTRUMENT = "voice"  # the built-in instrument whose answers feed the voice indicators


def mark_projects_stale(project_ids: Iterable[int]) -> None:
    """Mark these projects, their ancestors and the all-projects scope stale."""
    ids = with_ancestors(set(project_ids))
    if ids:
        ensure_scopes(ids)
        _bump(SnapshotScope.objects.filter(Q(project_id__in=ids) | Q(all_projects=True)))


def mark_all_projects_stale() -> None:
    """Mark every project and the all-projects scope stale (after a bulk import)."""
    ensure_scopes(Project.objects.values_list("pk", flat=True))
    _bump(SnapshotScope.objects.all())


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


def _bump(scopes) -> None:
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


# Signal receivers. participants and measures must not import evaluations, so
# EvaluationsConfig.ready() connects them.


def connect_signals() -> None:
    post_init.connect(_remember_project, sender=Participant,
                      dispatch_uid="snapshots_participant_init")
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


def _participant_changed(sender, instance, **kwargs):
    project_ids = {instance.project_id, getattr(instance, "_project_id_as_loaded", None)}
    project_ids.discard(None)
    transaction.on_commit(partial(mark_projects_stale, project_ids), robust=True)
    instance._project_id_as_loaded = instance.project_id


def _case_row_changed(sender, instance, **kwargs):
    transaction.on_commit(partial(_mark_participant_stale, instance.participant_id),
                          robust=True)


def _answer_changed(sender, instance, **kwargs):
    transaction.on_commit(partial(_mark_voice_answer_stale, instance.participant_id,
                                  instance.item_id), robust=True)


def _mark_participant_stale(participant_id: int) -> None:
    project_ids = Participant.objects.filter(pk=participant_id).values_list(
        "project_id", flat=True
    )
    # A participant deleted in the same transaction marked their project themselves.
    mark_projects_stale(set(project_ids))


def _mark_voice_answer_stale(participant_id: int, item_id: int) -> None:
    """Answers to other questionnaires do not enter any indicator."""
    if InstrumentItem.objects.filter(pk=item_id, instrument__code=VOICE_INSTRUMENT).exists():
        _mark_participant_stale(participant_id)
