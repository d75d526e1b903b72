"""Reports and extracts asked for on a page: queued, produced by a task into a file under
PRIVATE_ROOT, handed to the person who asked, and deleted when they expire.

Raw values (reports without small-number suppression, extracts that are not
pseudonymised) are for administrators only, and each request for them is recorded in the
release record before any work starts.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import time
import traceback
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from rehab.db_routers import reading_from_replica
from rehab.locking import one_request_at_a_time_for
from rehab.roles import is_administrator

from .exchange import rows_of_file
from .exchange.exporter import export_bundle
from .exchange.pseudonyms import Pseudonymizer
from .indicators import IndicatorQuery, IndicatorQueryError
from .models import (
    ExportFormat,
    ExportKind,
    ExportRequest,
    ExportStatus,
    Project,
    extract_projects_for,
    may_request_reports,
)
from .releases import release_identifying_extract, release_raw_report
from .reports import (
    REPORT_FORMATS,
    ReportSpec,
    build_report,
    file_name_part,
    render_report,
    report_file_name,
)

logger = logging.getLogger(__name__)

EXPORTS_FOLDER = "exports"
# Progress is written at most this often: a report makes hundreds of small steps.
PROGRESS_INTERVAL_SECONDS = 1.0
ABANDONED_AFTER = dt.timedelta(hours=6)
BUNDLE_FILES = ("projects.csv", "providers.csv", "measures.csv", "participants.csv",
                "enrollments.csv", "outcomes.csv", "follow_ups.csv", "responses.csv")


@transaction.atomic
def report_request_create(*, user, project: Project | None, date_from: dt.date,
                          date_to: dt.date, file_format: str, raw: bool = False,
                          address: str | None = None) -> ExportRequest:
    """Queue an evaluation report. Raw values only for administrators, and recorded."""
    if not may_request_reports(user):
        raise PermissionDenied
    if raw and not is_administrator(user):
        raise PermissionDenied
    if file_format not in REPORT_FORMATS:
        raise ValidationError(_("Choose CSV, XLSX or PDF."))
    try:
        IndicatorQuery(date_from=date_from, date_to=date_to,
                       project_code=project.code if project else None)
    except IndicatorQueryError as exc:
        raise ValidationError(str(exc)) from None
    fields = {"kind": ExportKind.REPORT, "file_format": file_format, "project": project,
              "date_from": date_from, "date_to": date_to, "raw": raw, "requested_by": user,
              "language": translation.get_language() or "en"}
    pending = _pending_like(fields)
    if pending is not None:
        return pending
    request = ExportRequest.objects.create(**fields)
    if raw:
        release_raw_report(project=project, date_from=date_from, date_to=date_to,
                           parameters=_parameters(request), user=user, address=address,
                           detail=f"export request {request.pk}")
    _queue(request)
    return request


@transaction.atomic
def extract_request_create(*, user, project: Project | None, pseudonymize: bool = True,
                           address: str | None = None) -> ExportRequest:
    """Queue a data extract (the CSV bundle of EXCHANGE.md, zipped). Project leads get
    pseudonymised extracts of the projects they lead; administrators may choose."""
    allowed = extract_projects_for(user)
    if allowed is not None and not allowed:
        raise PermissionDenied
    if not pseudonymize and not is_administrator(user):
        raise PermissionDenied
    if allowed is not None and (project is None or project.pk not in allowed):
        raise PermissionDenied
    if pseudonymize:
        Pseudonymizer.from_settings()  # refuses now, not in the task, when no key is set
    fields = {"kind": ExportKind.EXTRACT, "file_format": ExportFormat.BUNDLE,
              "project": project, "raw": not pseudonymize, "requested_by": user,
              "language": translation.get_language() or "en"}
    pending = _pending_like(fields)
    if pending is not None:
        return pending
    request = ExportRequest.objects.create(**fields)
    if not pseudonymize:
        release_identifying_extract(project=project, parameters=_parameters(request),
                                    user=user, address=address,
                                    detail=f"export request {request.pk}")
    _queue(request)
    return request


def _pending_like(fields: dict) -> ExportRequest | None:
    """The same request of the same person still on its way (a double click on the
    button): asking again joins it rather than producing the file twice."""
    one_request_at_a_time_for(fields["requested_by"])
    return (ExportRequest.objects
            .filter(status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING], **fields)
            .order_by("pk").first())


def _parameters(request: ExportRequest) -> dict:
    return {
        "export_request": request.pk, "kind": request.kind, "format": request.file_format,
        "project": request.project.code if request.project else None,
        "from": request.date_from.isoformat() if request.date_from else None,
        "to": request.date_to.isoformat() if request.date_to else None, "raw": request.raw,
    }


def _queue(request: ExportRequest) -> None:
    from .tasks import produce_export

    transaction.on_commit(lambda: produce_export.delay(request.pk))


def export_file_path(request: ExportRequest) -> Path:
    return Path(settings.PRIVATE_ROOT) / request.file_name


def export_request_run(export_id: int) -> None:
    """Produce one queued report or extract. A failure is recorded on the request (the
    person asks again); the partial file is removed."""
    claimed = ExportRequest.objects.filter(pk=export_id, status=ExportStatus.QUEUED).update(
        status=ExportStatus.RUNNING, progress=0)
    if not claimed:
        return  # produced already, or by another worker
    request = ExportRequest.objects.select_related("project").get(pk=export_id)
    folder = Path(settings.PRIVATE_ROOT) / EXPORTS_FOLDER / uuid.uuid4().hex
    folder.mkdir(parents=True)
    try:
        # Reports and extracts read from the replica when there is one (lag of a second
        # or two does not matter here); progress is written to the primary.
        with translation.override(request.language), reading_from_replica():
            path = _produce(request, folder, _ProgressWriter(request.pk))
    except Exception:
        shutil.rmtree(folder, ignore_errors=True)
        ExportRequest.objects.filter(pk=export_id).update(
            status=ExportStatus.FAILED, finished_at=timezone.now(),
            error=traceback.format_exc()[-10_000:])
        logger.exception("export request %s failed", export_id)
        return
    now = timezone.now()
    ExportRequest.objects.filter(pk=export_id).update(
        status=ExportStatus.DONE, progress=100, step="", finished_at=now,
        expires_at=now + dt.timedelta(hours=settings.EXPORT_FILE_LIFETIME_HOURS),
        file_name=str(path.relative_to(settings.PRIVATE_ROOT)), file_size=path.stat().st_size,
        error="")


def _produce(request: ExportRequest, folder: Path, progress: _ProgressWriter) -> Path:
    project_code = request.project.code if request.project else None
    if request.kind == ExportKind.REPORT:
        spec = ReportSpec(date_from=request.date_from, date_to=request.date_to,
                          project_code=project_code, raw=request.raw)
        report = build_report(spec, progress=progress.report_step)
        path = folder / report_file_name(spec, request.file_format)
        progress.write(99, _("Writing the file"))
        render_report(report, request.file_format, path)
        return path
    scope = file_name_part(project_code or "all")
    kind = "extract" if request.raw else "pseudonymised-extract"
    path = folder / f"{kind}-{scope}-{timezone.localdate().isoformat()}.zip"
    export_bundle(path, pseudonymize=not request.raw, project_code=project_code,
                  progress=progress.bundle_step)
    return path


class _ProgressWriter:
    """Writes a request's progress, at most once a second."""

    def __init__(self, export_id: int):
        self.export_id = export_id
        self.last_written = 0.0

    def write(self, percent: int, step: str, *, force: bool = True) -> None:
        now = time.monotonic()
        if not force and now - self.last_written < PROGRESS_INTERVAL_SECONDS:
            return
        self.last_written = now
        ExportRequest.objects.filter(pk=self.export_id).update(
            progress=max(0, min(99, percent)), step=step[:200])

    def report_step(self, done: int, total: int, step: str) -> None:
        self.write(int(95 * done / total) if total else 0, step, force=False)

    def bundle_step(self, file_name: str, rows: int) -> None:
        index = BUNDLE_FILES.index(file_name) if file_name in BUNDLE_FILES else 0
        self.write(int(100 * index / len(BUNDLE_FILES)),
                   rows_of_file(file_name, rows), force=False)


def export_is_expired(request: ExportRequest, now: dt.datetime | None = None) -> bool:
    if request.status == ExportStatus.EXPIRED:
        return True
    return (request.status == ExportStatus.DONE and request.expires_at is not None
            and request.expires_at <= (now or timezone.now()))


def expire_exports(now: dt.datetime | None = None) -> int:
    """Delete the files whose time is up; the requests stay, marked expired. Also
    removes files a crashed run left behind. The number expired."""
    now = now or timezone.now()
    expired = list(ExportRequest.objects.filter(status=ExportStatus.DONE, expires_at__lte=now))
    for request in expired:
        _delete_file(request)
    ExportRequest.objects.filter(pk__in=[r.pk for r in expired]).update(
        status=ExportStatus.EXPIRED, file_size=None)
    # A run that has not finished in this time died with its worker: say so on the page.
    ExportRequest.objects.filter(
        status=ExportStatus.RUNNING, requested_at__lt=now - ABANDONED_AFTER
    ).update(status=ExportStatus.FAILED, finished_at=now,
             error="The worker stopped before the file was finished.")
    _remove_orphaned_folders(now)
    return len(expired)


def expire_one(request: ExportRequest) -> None:
    """Expire a request found past its time at download (the periodic job may lag)."""
    _delete_file(request)
    ExportRequest.objects.filter(pk=request.pk, status=ExportStatus.DONE).update(
        status=ExportStatus.EXPIRED, file_size=None)


def _delete_file(request: ExportRequest) -> None:
    if request.file_name:
        path = export_file_path(request)
        shutil.rmtree(path.parent, ignore_errors=True)


def _remove_orphaned_folders(now: dt.datetime) -> None:
    """Folders no finished request names and older than a day: a worker died mid-run."""
    root = Path(settings.PRIVATE_ROOT) / EXPORTS_FOLDER
    if not root.is_dir():
        return
    kept = {Path(name).parts[1] for name in ExportRequest.objects.filter(
        status=ExportStatus.DONE).exclude(file_name="").values_list("file_name", flat=True)
        if len(Path(name).parts) > 2}
    cutoff = now.timestamp() - 24 * 60 * 60
    for folder in root.iterdir():
        if folder.is_dir() and folder.name not in kept and folder.stat().st_mtime < cutoff:
            shutil.rmtree(folder, ignore_errors=True)
