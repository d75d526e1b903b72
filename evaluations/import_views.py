"""The import page: administrators only; to anyone else these pages do not exist (404)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rehab.roles import is_administrator

from . import imports
from .import_forms import ImportUploadForm
from .models import ImportRequest

RECENT_IMPORTS = 20


def _visible_imports(request: HttpRequest):
    if not is_administrator(request.user):
        raise Http404
    return ImportRequest.objects.visible_to(request.user).select_related(
        "uploaded_by", "confirmed_by")


@require_http_methods(["GET", "POST"])
def import_list(request: HttpRequest) -> HttpResponse:
    uploads = _visible_imports(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            upload = imports.import_request_create(user=request.user,
                                                   uploaded_file=form.cleaned_data["bundle"])
        except ValidationError as exc:
            form.add_error("bundle", exc)
        else:
            return redirect(upload)
    return render(request, "evaluations/import_list.html",
                  {"form": form, "uploads": uploads[:RECENT_IMPORTS]},
                  status=400 if request.method == "POST" else 200)


@require_GET
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The check's outcome, or the progress while it or the import runs (htmx polling)."""
    upload = get_object_or_404(_visible_imports(request), pk=pk)
    rows_done, step = imports.import_progress(upload)
    context = {"upload": upload, "rows_done": rows_done, "step": step,
               "problems_shown": len(upload.problems)}
    if request.htmx:
        response = render(request, "evaluations/partials/_import_status.html", context)
        if not upload.is_busy:
            response.status_code = 286  # htmx: stop polling
        return response
    return render(request, "evaluations/import_detail.html", context)


@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    upload = get_object_or_404(_visible_imports(request), pk=pk)
    try:
        imports.import_request_confirm(user=request.user, upload=upload)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(upload)


@require_POST
def import_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    upload = get_object_or_404(_visible_imports(request), pk=pk)
    try:
        imports.import_request_cancel(user=request.user, upload=upload)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(upload)
