"""Computing and storing the indicator snapshots of one scope (a project, or all projects).

A refresh of a scope:

1. takes the scope's **lease** with one conditional UPDATE (free, or expired); a second
   run for the same scope finds it taken and is skipped, so two runs never compute the
   same scope at once. A lease rather than a row lock held while computing: computing
   takes a while, and on SQLite an open write transaction would block every other
   writer for that long. A lease left by a worker that died expires after ``LEASE``.
2. records a ``SnapshotRun`` (running), then reads the scope's ``data_version`` and
   ``changed_from`` **before** reading any case data, and computes in memory, by every
   breakdown, the standard periods that are due: those not stored yet (new, or whose
   last day moved with today) and those ending on or after ``changed_from`` (a change
   dated d cannot alter a period that ended before d: staleness.py). Nothing is written
   yet, so a failure here leaves the last good snapshots as they are; the run is
   recorded as failed and the error re-raised (the task retries).
3. writes in one short transaction: set ``refreshed_version`` to the version read in
   step 2 if the lease is still ours (which locks the scope row), delete the scope's
   snapshots other than those of the periods kept, insert the new ones, and clear
   ``changed_from``. The write is idempotent (a second run gives the same rows, never
   duplicates) and drops periods that left the window. Changes committed while
   computing raised ``data_version`` past it, so the scope stays stale, keeps its
   ``changed_from`` and is computed again.
"""

from __future__ import annotations

import datetime as dt
import logging
import traceback
import uuid
from dataclasses import asdict, dataclass

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from evaluations.indicators import DIMENSIONS, compute_breakdowns
from evaluations.models import (
    IndicatorSnapshot,
    Project,
    SnapshotRun,
    SnapshotRunStatus,
    SnapshotScope,
)

from .periods import Period, data_range, standard_periods
from .staleness import ensure_scopes

logger = logging.getLogger(__name__)

LEASE = dt.timedelta(hours=1)  # far longer than one scope takes; only a dead worker's lapses
RUNS_KEPT_FOR = dt.timedelta(days=90)
ERROR_TEXT_LIMIT = 10_000
BREAKDOWNS = (None, *DIMENSIONS)  # None: the query without a breakdown


class LeaseLost(RuntimeError):
    """The lease ran out while computing and another run took the scope over."""


@dataclass(frozen=True)
class RefreshOutcome:
    scope: str
    status: str  # "succeeded", "failed", "skipped" (another run holds the lease), "gone"
    snapshots: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


def refresh_scope(
    project_id: int | None,
    *,
    trigger: str,
    today: dt.date | None = None,
    attempt: int = 1,
    full: bool = False,
) -> RefreshOutcome:
    """Compute and store the snapshots of a project (None: all projects); see the module.
    Only the periods that are new or that a change reached are computed, unless ``full``."""
    project = None
    if project_id is not None:
        project = Project.objects.filter(pk=project_id).first()
        if project is None:  # deleted since the task was queued: nothing to do
            return RefreshOutcome(f"project #{project_id}", "gone")
    scope = scope_for(project)
    label = project.code if project else "all"
    token = uuid.uuid4().hex
    if not claim_lease(scope, token):
        logger.info("snapshots of %s are being refreshed by another run; skipped", label)
        return RefreshOutcome(label, "skipped")
    try:
        close_interrupted_runs(scope)
        run = SnapshotRun.objects.create(
            scope=scope, trigger=trigger, attempt=attempt, started_at=timezone.now()
        )
        try:
            version, changed_from = SnapshotScope.objects.values_list(
                "data_version", "changed_from").get(pk=scope.pk)
            today = today or timezone.localdate()
            periods = standard_periods(today, data_range(project, today))
            stored = stored_periods(scope)
            due = [period for period in periods
                   if full or period not in stored
                   or (changed_from is not None and period.date_to >= changed_from)]
            snapshots = [snapshot for period in due
                         for snapshot in compute_period(project, period)]
            write_snapshots(scope, snapshots, version=version, token=token,
                            kept=set(periods) - set(due))
        except Exception:
            finish_run(run, SnapshotRunStatus.FAILED, error=traceback.format_exc())
            logger.exception("refreshing the snapshots of %s failed", label)
            raise
        finish_run(run, SnapshotRunStatus.SUCCEEDED, written=len(snapshots))
        logger.info("stored %d snapshots of %s", len(snapshots), label)
        return RefreshOutcome(label, "succeeded", len(snapshots))
    finally:
        release_lease(scope, token)


def stored_periods(scope: SnapshotScope) -> set[Period]:
    """The periods whose snapshots the scope holds, by every breakdown."""
    complete = (snapshots_of(scope).values("period_kind", "date_from", "date_to")
                .annotate(breakdowns=Count("pk")).filter(breakdowns=len(BREAKDOWNS)))
    return {Period(row["period_kind"], row["date_from"], row["date_to"]) for row in complete}


def compute_period(project: Project | None, period: Period) -> list[IndicatorSnapshot]:
    results = compute_breakdowns(period.date_from, period.date_to,
                                 project.code if project else None, BREAKDOWNS)
    computed_at = timezone.now()
    return [
        IndicatorSnapshot(
            project=project,
            period_kind=period.kind,
            date_from=period.date_from,
            date_to=period.date_to,
            dimension=by or "",
            result=result.to_json(),
            computed_at=computed_at,
        )
        for by, result in results.items()
    ]


def write_snapshots(
    scope: SnapshotScope, snapshots: list[IndicatorSnapshot], *, version: int, token: str,
    kept: set[Period] = frozenset(),
) -> None:
    """Replace the scope's snapshots with these and those of the ``kept`` periods, in one
    transaction (see the module)."""
    with transaction.atomic():
        # The first statement writes the scope row: that locks it on PostgreSQL (and takes
        # SQLite's write lock) until commit, so writers of one scope go one at a time,
        # and only while the lease is still ours.
        ours = SnapshotScope.objects.filter(pk=scope.pk, lease_token=token).update(
            refreshed_version=version, refreshed_at=timezone.now()
        )
        if not ours:
            raise LeaseLost(f"the lease on {scope} ran out before the snapshots were written")
        keep = Q()
        for period in kept:
            keep |= Q(period_kind=period.kind, date_from=period.date_from,
                      date_to=period.date_to)
        replaced = snapshots_of(scope)
        if kept:
            replaced = replaced.exclude(keep)
        replaced.delete()
        IndicatorSnapshot.objects.bulk_create(snapshots, batch_size=500)
        # Up to date unless the case data changed while computing.
        SnapshotScope.objects.filter(pk=scope.pk, data_version=version).update(
            stale_since=None, changed_from=None)


def snapshots_of(scope: SnapshotScope):
    if scope.all_projects:
        return IndicatorSnapshot.objects.filter(project__isnull=True)
    return IndicatorSnapshot.objects.filter(project_id=scope.project_id)


def scope_for(project: Project | None) -> SnapshotScope:
    """The scope row of the project (None: all projects), created when missing."""
    if project is None:
        scope = SnapshotScope.objects.filter(all_projects=True).first()
    else:
        scope = SnapshotScope.objects.filter(project=project).first()
    if scope is None:
        ensure_scopes({project.pk} if project else set())
        return scope_for(project)
    return scope


def claim_lease(scope: SnapshotScope, token: str) -> bool:
    """Take the scope's lease if it is free or has lapsed: one atomic conditional UPDATE."""
    now = timezone.now()
    taken = (
        SnapshotScope.objects.filter(pk=scope.pk)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .update(lease_token=token, lease_until=now + LEASE)
    )
    return taken == 1


def release_lease(scope: SnapshotScope, token: str) -> None:
    SnapshotScope.objects.filter(pk=scope.pk, lease_token=token).update(
        lease_token="", lease_until=None
    )


def close_interrupted_runs(scope: SnapshotScope) -> None:
    """Runs still "running" while we hold the lease belong to a worker that stopped."""
    scope.runs.filter(status=SnapshotRunStatus.RUNNING).update(
        status=SnapshotRunStatus.FAILED,
        finished_at=timezone.now(),
        error="Interrupted: the worker stopped before the run finished.",
    )


def finish_run(run: SnapshotRun, status: str, *, written: int = 0, error: str = "") -> None:
    run.status = status
    run.finished_at = timezone.now()
    run.snapshots_written = written
    run.error = error[-ERROR_TEXT_LIMIT:]  # the end of a traceback says most
    run.save(update_fields=["status", "finished_at", "snapshots_written", "error"])


def all_scope_project_ids() -> list[int | None]:
    """Every scope to refresh nightly: all projects (None) and each project."""
    project_ids = list(Project.objects.order_by("pk").values_list("pk", flat=True))
    ensure_scopes(project_ids)
    return [None, *project_ids]


def stale_scope_project_ids() -> list[int | None]:
    """The scopes marked stale (marking covers ancestors and all projects already)."""
    scopes = SnapshotScope.objects.stale().order_by("-all_projects", "project_id")
    return [scope.project_id for scope in scopes]


def prune_old_runs(now: dt.datetime | None = None) -> int:
    """Delete finished run records older than RUNS_KEPT_FOR; the number deleted."""
    cutoff = (now or timezone.now()) - RUNS_KEPT_FOR
    deleted, _ = (
        SnapshotRun.objects.filter(started_at__lt=cutoff)
        .exclude(status=SnapshotRunStatus.RUNNING)
        .delete()
    )
    return deleted
