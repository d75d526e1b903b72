"""Celery tasks that keep the indicator snapshots fresh (schedule: rehab/celery.py).

- ``refresh_all_snapshots``: nightly; every project and all projects.
- ``refresh_stale_snapshots``: every few minutes; only the scopes whose case data changed.
- ``refresh_project_snapshots``: one scope; the two above queue one of these per scope,
  so scopes are computed in parallel by several workers and each retries on its own.

Without REDIS_URL the tasks run in-process (task_always_eager): queueing runs the task
at once, in the caller.
"""

from __future__ import annotations

import logging

from celery import shared_task

from evaluations import custom_periods, exports, imports
from evaluations.models import SnapshotTrigger
from evaluations.snapshots import service

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    autoretry_for=(Exception,),
    retry_backoff=60,  # waits of up to 1, 2, 4 minutes (jitter): enough for a database restart
    retry_backoff_max=15 * 60,
    retry_jitter=True,
    max_retries=3,
    acks_late=True,
)
def refresh_project_snapshots(self, project_id: int | None, trigger: str = "requested") -> dict:
    """Compute and store the snapshots of one project (None: all projects)."""
    outcome = service.refresh_scope(project_id, trigger=trigger, attempt=self.request.retries + 1)
    return outcome.as_dict()


@shared_task(ignore_result=True)
def refresh_all_snapshots() -> int:
    """Nightly: queue a refresh of every scope; prune old run records, custom periods and
    uploads left waiting. The number queued."""
    service.prune_old_runs()
    custom_periods.prune_old_requests()
    imports.prune_stale_imports()
    return queue_refreshes(service.all_scope_project_ids(), SnapshotTrigger.NIGHTLY)


@shared_task(ignore_result=True)
def refresh_stale_snapshots() -> int:
    """Every few minutes: queue a refresh of each stale scope. The number queued."""
    return queue_refreshes(service.stale_scope_project_ids(), SnapshotTrigger.STALE)


def queue_refreshes(project_ids: list[int | None], trigger: str) -> int:
    for project_id in project_ids:
        try:
            refresh_project_snapshots.delay(project_id, trigger)
        except Exception:
            if not refresh_project_snapshots.app.conf.task_always_eager:
                raise
            # In-process mode ran the refresh right here and re-raised its last failure,
            # which is recorded as a failed run; the other scopes still get their turn.
            logger.exception("refreshing the snapshots of project %s failed", project_id)
    return len(project_ids)


@shared_task(
    autoretry_for=(Exception,),
    retry_backoff=30,
    retry_jitter=True,
    max_retries=2,
    acks_late=True,
    ignore_result=True,
)
def compute_custom_period(request_id: int) -> None:
    """The figures of a custom period asked for on the dashboard."""
    custom_periods.run_custom_period(request_id)


# Reports and extracts asked for on the reports page (evaluations/exports.py).


@shared_task(acks_late=True, ignore_result=True)
def produce_export(export_id: int) -> None:
    """Produce one report or extract. Not retried: a failure shows on the page, and the
    person asks again."""
    exports.export_request_run(export_id)


@shared_task(ignore_result=True)
def expire_export_files() -> int:
    """Delete report and extract files whose time is up. The number deleted."""
    return exports.expire_exports()


# The administrators' web import (evaluations/imports.py).


@shared_task(acks_late=True, ignore_result=True)
def validate_import(import_id: int) -> None:
    """Check an uploaded bundle; nothing is written."""
    imports.import_request_validate(import_id)


@shared_task(acks_late=True, ignore_result=True)
def run_import(import_id: int) -> None:
    """Import a confirmed bundle, all or nothing. Not retried: the page shows the failure."""
    imports.import_request_run(import_id)
