"""Custom periods on the dashboard: asked for on a page, computed by a task, shown when
ready. A period the snapshots do not hold is computed once per request; while one for the
same choice is still on its way, asking again joins it rather than queueing another."""

from __future__ import annotations

import datetime as dt
import logging
import traceback

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from .indicators import IndicatorQuery, compute
from .models import IndicatorRequest, IndicatorRequestStatus, Project, may_see_dashboards

logger = logging.getLogger(__name__)

KEPT_FOR = dt.timedelta(days=7)


def request_custom_period(*, user, project: Project | None, date_from: dt.date,
                          date_to: dt.date, by: str = "") -> IndicatorRequest:
    """Queue the computation (IndicatorQueryError for a period or breakdown that is not
    valid); the same choice already on its way is returned instead."""
    if not may_see_dashboards(user):
        raise PermissionDenied
    IndicatorQuery(date_from=date_from, date_to=date_to,
                   project_code=project.code if project else None, by=by or None)
    pending = IndicatorRequest.objects.filter(
        project=project, date_from=date_from, date_to=date_to, dimension=by,
        status__in=[IndicatorRequestStatus.QUEUED, IndicatorRequestStatus.RUNNING],
    ).first()
    if pending is not None:
        return pending
    request = IndicatorRequest.objects.create(project=project, date_from=date_from,
                                              date_to=date_to, dimension=by, requested_by=user)
    from .tasks import compute_custom_period

    transaction.on_commit(lambda: compute_custom_period.delay(request.pk))
    return request


def run_custom_period(request_id: int) -> None:
    """Compute one request; a failure is recorded on it and raised (the task retries)."""
    request = IndicatorRequest.objects.select_related("project").filter(pk=request_id).first()
    if request is None or request.status == IndicatorRequestStatus.DONE:
        return
    IndicatorRequest.objects.filter(pk=request.pk).update(status=IndicatorRequestStatus.RUNNING)
    try:
        result = compute(IndicatorQuery(
            date_from=request.date_from, date_to=request.date_to,
            project_code=request.project.code if request.project else None,
            by=request.dimension or None,
        ))
    except Exception:
        IndicatorRequest.objects.filter(pk=request.pk).update(
            status=IndicatorRequestStatus.FAILED, finished_at=timezone.now(),
            error=traceback.format_exc()[-10_000:])
        logger.exception("custom period %s failed", request.pk)
        raise
    IndicatorRequest.objects.filter(pk=request.pk).update(
        status=IndicatorRequestStatus.DONE, finished_at=timezone.now(),
        result=result.to_json(), error="")


def prune_old_requests(now: dt.datetime | None = None) -> int:
    """Custom results are for looking at, not for keeping: a week, then they go."""
    cutoff = (now or timezone.now()) - KEPT_FOR
    deleted, _by_model = IndicatorRequest.objects.filter(requested_at__lt=cutoff).delete()
    return deleted
