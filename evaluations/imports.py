"""The administrators' web import: upload a bundle (.zip), read the validation report,
confirm, and the import runs in the background with its progress shown.

The uploaded file waits in PRIVATE_ROOT/imports/ and is deleted as soon as it is of no
more use: when the check finds problems, when the import ends, or when it is cancelled.
The import itself is the command's (exchange/importer.py): all or nothing, so a failed
import changes nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import traceback
import uuid
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from rehab.roles import is_administrator

from .exchange.bundle import Bundle
from .exchange.importer import BundleInvalid, import_bundle
from .exchange.validate import validate_bundle
from .models import ImportRequest, ImportStatus

logger = logging.getLogger(__name__)

IMPORTS_FOLDER = "imports"
PROBLEMS_KEPT = 1000
PROGRESS_INTERVAL_SECONDS = 1.0
WAITING_KEPT_FOR = dt.timedelta(days=7)
ABANDONED_AFTER = dt.timedelta(hours=12)
PROGRESS_CACHE_SECONDS = 24 * 60 * 60


def _check_rights(user) -> None:
    if not is_administrator(user):
        raise PermissionDenied


def upload_path(upload: ImportRequest) -> Path:
    return Path(settings.PRIVATE_ROOT) / upload.file_name


def check_upload(uploaded_file) -> None:
    """Refuse what cannot be a bundle before anything is stored."""
    name = Path(uploaded_file.name or "").name
    if not name.lower().endswith(".zip"):
        raise ValidationError(_("Upload the bundle as a .zip file of its CSV files."))
    if not uploaded_file.size:
        raise ValidationError(_("The file is empty."))
    limit = settings.IMPORT_MAX_UPLOAD_MB
    if uploaded_file.size > limit * 1024 * 1024:
        raise ValidationError(_("The file is larger than %(limit)s MB, the most the import "
                                "page accepts. Import it with the import_bundle command on "
                                "the server instead.") % {"limit": limit})
    uploaded_file.seek(0)
    try:
        with zipfile.ZipFile(uploaded_file) as archive:
            has_csv = any(member.lower().endswith(".csv") for member in archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ValidationError(_("The file is not a readable .zip file.")) from None
    finally:
        uploaded_file.seek(0)
    if not has_csv:
        raise ValidationError(_("The .zip file holds no CSV files."))


def import_request_create(*, user, uploaded_file) -> ImportRequest:
    """Store the uploaded bundle and queue its check; nothing is imported yet."""
    _check_rights(user)
    check_upload(uploaded_file)
    relative = Path(IMPORTS_FOLDER) / f"{uuid.uuid4().hex}.zip"
    target = Path(settings.PRIVATE_ROOT) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as stored:
        for chunk in uploaded_file.chunks():
            stored.write(chunk)
    try:
        with transaction.atomic():
            upload = ImportRequest.objects.create(
                original_name=Path(uploaded_file.name).name[:255], file_name=str(relative),
                file_size=uploaded_file.size, uploaded_by=user,
                language=translation.get_language() or "en")
            _queue("validate_import", upload.pk)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return upload


def _queue(task_name: str, import_id: int) -> None:
    from . import tasks

    task = getattr(tasks, task_name)
    transaction.on_commit(lambda: task.delay(import_id))


class _Progress:
    """Rows read so far, written at most once a second. While validating, to the row;
    while importing, to the cache: the import's own transaction would hide the row's
    updates from the page until the end."""

    def __init__(self, import_id: int, *, to_cache: bool):
        self.import_id = import_id
        self.to_cache = to_cache
        self.done_by_file: dict[str, int] = {}
        self.last_written = 0.0

    def __call__(self, file_name: str, rows: int) -> None:
        self.done_by_file[file_name] = rows
        now = time.monotonic()
        if now - self.last_written < PROGRESS_INTERVAL_SECONDS:
            return
        self.last_written = now
        done = sum(self.done_by_file.values())
        if self.to_cache:
            cache.set(progress_key(self.import_id), {"rows_done": done, "step": file_name},
                      PROGRESS_CACHE_SECONDS)
        else:
            ImportRequest.objects.filter(pk=self.import_id).update(rows_done=done,
                                                                   step=file_name)


def progress_key(import_id: int) -> str:
    return f"import-progress:{import_id}"


def import_progress(upload: ImportRequest) -> tuple[int, str]:
    """Rows done and the file being read, for the page."""
    if upload.status == ImportStatus.IMPORTING:
        found = cache.get(progress_key(upload.pk)) or {}
        return found.get("rows_done", 0), found.get("step", "")
    return upload.rows_done, upload.step


def import_request_validate(import_id: int) -> None:
    """Check every rule of the bundle (nothing is written) and record the outcome."""
    upload = ImportRequest.objects.filter(pk=import_id,
                                          status=ImportStatus.VALIDATING).first()
    if upload is None:
        return
    try:
        # The problems are written in the uploader's language, not the worker's.
        with translation.override(upload.language), Bundle(upload_path(upload)) as bundle:
            problems, index = validate_bundle(bundle, _Progress(import_id, to_cache=False))
    except Exception:
        logger.exception("checking import %s failed", import_id)
        _finish(upload, ImportStatus.FAILED, error=traceback.format_exc()[-10_000:])
        return
    rows_total = sum(index.rows.values())
    if problems:
        ImportRequest.objects.filter(pk=import_id).update(
            status=ImportStatus.INVALID, problem_count=problems.total,
            problems=[[p.file, p.line, p.column, p.message]
                      for p in problems[:PROBLEMS_KEPT]],
            rows_total=rows_total, rows_done=rows_total, step="")
        _delete_file(upload)
        return
    ImportRequest.objects.filter(pk=import_id).update(
        status=ImportStatus.VALID, rows_total=rows_total, rows_done=rows_total, step="",
        summary={"rows": index.rows})


def import_request_confirm(*, user, upload: ImportRequest) -> None:
    """Start the import of a checked bundle; once, whoever clicks twice."""
    _check_rights(user)
    with transaction.atomic():
        started = ImportRequest.objects.filter(pk=upload.pk, status=ImportStatus.VALID).update(
            status=ImportStatus.IMPORTING, confirmed_by=user, confirmed_at=timezone.now(),
            rows_done=0, step="")
        if not started:
            raise ValidationError(_("This import cannot be started now: it is not waiting "
                                    "for confirmation."))
        _queue("run_import", upload.pk)


def import_request_cancel(*, user, upload: ImportRequest) -> None:
    _check_rights(user)
    cancelled = ImportRequest.objects.filter(
        pk=upload.pk, status__in=[ImportStatus.VALID, ImportStatus.INVALID]
    ).update(status=ImportStatus.CANCELLED, finished_at=timezone.now())
    if not cancelled:
        raise ValidationError(_("This import can no longer be cancelled."))
    _delete_file(upload)


def import_request_run(import_id: int) -> None:
    """Import a confirmed bundle. All or nothing: a failure leaves the data as it was."""
    # Claimed by clearing the step, so a task delivered twice imports once.
    claimed = ImportRequest.objects.filter(
        pk=import_id, status=ImportStatus.IMPORTING, finished_at__isnull=True, step=""
    ).update(step="started")
    if not claimed:
        return
    upload = ImportRequest.objects.get(pk=import_id)
    try:
        with translation.override(upload.language):
            summary = import_bundle(upload_path(upload),
                                    progress=_Progress(import_id, to_cache=True))
    except BundleInvalid as exc:
        _finish(upload, ImportStatus.FAILED, error="\n".join(
            str(p) for p in exc.problems[:PROBLEMS_KEPT]),
            problems=[[p.file, p.line, p.column, p.message]
                      for p in exc.problems[:PROBLEMS_KEPT]],
            problem_count=exc.total)
        return
    except Exception:
        logger.exception("import %s failed", import_id)
        _finish(upload, ImportStatus.FAILED, error=traceback.format_exc()[-10_000:])
        return
    _finish(upload, ImportStatus.DONE, summary={"rows": summary.rows,
                                                "users_created": summary.users_created},
            rows_done=sum(summary.rows.values()))


def _finish(upload: ImportRequest, status: str, **values) -> None:
    ImportRequest.objects.filter(pk=upload.pk).update(
        status=status, finished_at=timezone.now(), step="", **values)
    cache.delete(progress_key(upload.pk))
    _delete_file(upload)


def _delete_file(upload: ImportRequest) -> None:
    if upload.file_name:
        upload_path(upload).unlink(missing_ok=True)


def prune_stale_imports(now: dt.datetime | None = None) -> int:
    """Uploads left waiting a week are cancelled and their files deleted; checks and
    imports whose worker died are marked failed. The number cleaned up."""
    now = now or timezone.now()
    waiting = list(ImportRequest.objects.filter(
        status__in=[ImportStatus.VALID, ImportStatus.INVALID],
        uploaded_at__lt=now - WAITING_KEPT_FOR))
    for upload in waiting:
        _delete_file(upload)
    ImportRequest.objects.filter(pk__in=[u.pk for u in waiting]).update(
        status=ImportStatus.CANCELLED, finished_at=now)
    # An import is timed from its confirmation: a bundle may wait days for it.
    cutoff = now - ABANDONED_AFTER
    abandoned = list(ImportRequest.objects.filter(
        Q(status=ImportStatus.VALIDATING, uploaded_at__lt=cutoff)
        | Q(status=ImportStatus.IMPORTING, confirmed_at__lt=cutoff)))
    for upload in abandoned:
        _finish(upload, ImportStatus.FAILED,
                error="The worker stopped before the check or the import finished.")
    return len(waiting) + len(abandoned)
