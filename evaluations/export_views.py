"""Reports and extracts: ask on one page, follow the progress, download when ready."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from rehab.roles import is_administrator

from . import exports, selectors
from .exchange.pseudonyms import PseudonymKeyMissing
from .export_forms import ExtractRequestForm, ReportRequestForm
from .models import ExportRequest, ExportStatus, may_request_reports

RECENT_REQUESTS = 30


def _forms(request: HttpRequest, *, report_data=None, extract_data=None):
    if not may_request_reports(request.user):
        raise PermissionDenied
    tree = selectors.project_tree(user=request.user)
    allowed = exports.extract_projects_for(request.user)
    # The dashboard links here with its project chosen.
    report_form = ReportRequestForm(report_data, tree=tree,
                                    initial_project=request.GET.get("project", ""),
                                    may_ask_raw=is_administrator(request.user))
    extract_form = (ExtractRequestForm(extract_data, tree=tree, allowed=allowed)
                    if allowed is None or allowed else None)
    return report_form, extract_form


def _page(request, report_form, extract_form, status=200) -> HttpResponse:
    requests = ExportRequest.objects.visible_to(request.user).select_related("project")
    return render(request, "evaluations/export_list.html", {
        "report_form": report_form, "extract_form": extract_form,
        "requests": requests[:RECENT_REQUESTS],
    }, status=status)


@require_GET
def export_list(request: HttpRequest) -> HttpResponse:
    report_form, extract_form = _forms(request)
    return _page(request, report_form, extract_form)


@require_POST
def report_request_create(request: HttpRequest) -> HttpResponse:
    report_form, extract_form = _forms(request, report_data=request.POST)
    if report_form.is_valid():
        data = report_form.cleaned_data
        try:
            export = exports.report_request_create(
                user=request.user, project=data["project"], date_from=data["date_from"],
                date_to=data["date_to"], file_format=data["file_format"],
                raw=data.get("raw", False), address=request.META.get("REMOTE_ADDR"))
        except ValidationError as exc:
            report_form.add_error(None, exc)
        else:
            return redirect(export)
    return _page(request, report_form, extract_form, status=400)


@require_POST
def extract_request_create(request: HttpRequest) -> HttpResponse:
    report_form, extract_form = _forms(request, extract_data=request.POST)
    if extract_form is None:
        raise PermissionDenied
    if extract_form.is_valid():
        data = extract_form.cleaned_data
        try:
            export = exports.extract_request_create(
                user=request.user, project=data["project"],
                pseudonymize=not data.get("identifiable", False),
                address=request.META.get("REMOTE_ADDR"))
        except PseudonymKeyMissing as exc:
            extract_form.add_error(None, str(exc))
        else:
            return redirect(export)
    return _page(request, report_form, extract_form, status=400)


@require_GET
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The request's state; while it is being produced, a progress bar that asks again
    every two seconds (htmx) and shows the download link when the file is ready."""
    export = get_object_or_404(
        ExportRequest.objects.visible_to(request.user).select_related("project"), pk=pk)
    expired = exports.export_is_expired(export)
    context = {"export": export, "expired": expired}
    if request.htmx:
        response = render(request, "evaluations/partials/_export_status.html", context)
        if not export.is_pending:
            response.status_code = 286  # htmx: stop polling
        return response
    return render(request, "evaluations/export_detail.html", context)


@require_GET
def export_download(request: HttpRequest, pk: int) -> HttpResponse:
    export = get_object_or_404(ExportRequest.objects.visible_to(request.user), pk=pk)
    if exports.export_is_expired(export):
        if export.status == ExportStatus.DONE:
            exports.expire_one(export)
        messages.warning(request, _("The file has expired and was deleted. Ask for it again."))
        return redirect(export)
    if export.status != ExportStatus.DONE:
        raise Http404
    path = exports.export_file_path(export)
    if not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)
