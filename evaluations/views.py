from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from . import selectors, services
from .forms import ProblemReportAnswerForm, ProblemReportFilterForm, ProblemReportForm
from .models import ProblemReport, follows_up_problem_reports, may_report_problems

PROBLEM_REPORTS_PER_PAGE = 50


def project_list(request: HttpRequest) -> HttpResponse:
    template = (
        "evaluations/partials/_project_list.html"
        if request.htmx
        else "evaluations/project_list.html"
    )
    return render(request, template, {"tree": selectors.project_tree(user=request.user)})


def _partial_requested(request: HttpRequest) -> bool:
    """An htmx swap wants the fragment; a history restore after a reload wants the page."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    """After a successful post, send the browser to ``url`` (htmx or a plain form)."""
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@require_http_methods(["GET", "POST"])
def problem_report_create(request: HttpRequest) -> HttpResponse:
    if not may_report_problems(request.user):
        raise PermissionDenied
    form = ProblemReportForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            services.problem_report_create(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Thank you for your report. A project lead will follow it up, and you "
                  "can see its status and answer here."),
            )
            return _redirect(request, reverse("evaluations:problem_reports"))
    template = (
        "evaluations/partials/_problem_report_form.html"
        if _partial_requested(request)
        else "evaluations/problem_report_create.html"
    )
    return render(request, template, {"form": form})


@require_GET
def problem_reports(request: HttpRequest) -> HttpResponse:
    if not may_report_problems(request.user):
        raise PermissionDenied
    filter_form = ProblemReportFilterForm(request.GET)
    status = filter_form.cleaned_data["status"] if filter_form.is_valid() else ""
    reports = ProblemReport.objects.visible_to(request.user).select_related(
        "reported_by", "answered_by"
    )
    if status:
        reports = reports.filter(status=status)
    context = {
        "filter_form": filter_form,
        "status": status,
        "page": Paginator(reports, PROBLEM_REPORTS_PER_PAGE).get_page(request.GET.get("page")),
        "follows_up": follows_up_problem_reports(request.user),
    }
    template = (
        "evaluations/partials/_problem_report_list.html"
        if _partial_requested(request)
        else "evaluations/problem_report_list.html"
    )
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
def problem_report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    reports = ProblemReport.objects.select_related("reported_by", "answered_by")
    report = get_object_or_404(reports.visible_to(request.user), pk=pk)
    may_answer = follows_up_problem_reports(request.user)
    if request.method == "POST" and not may_answer:
        raise PermissionDenied
    form = ProblemReportAnswerForm(report=report) if may_answer else None
    if request.method == "POST":
        form = ProblemReportAnswerForm(request.POST, report=report)
        if form.is_valid():
            try:
                services.problem_report_answer(
                    report=report, user=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                form = _answer_form_after_refusal(request, report, exc)
            else:
                messages.success(request, _("The answer was saved. The reporter can see it now."))
                return _redirect(request, reverse("evaluations:problem_reports"))
    template = (
        "evaluations/partials/_problem_report.html"
        if _partial_requested(request)
        else "evaluations/problem_report_detail.html"
    )
    return render(request, template, {"report": report, "form": form})


def _answer_form_after_refusal(
    request: HttpRequest, report: ProblemReport, error: ValidationError
) -> ProblemReportAnswerForm:
    """The form again with the refusal. When someone else changed the report meanwhile, the
    page shows their version and keeps what this user typed; saving again is then a choice
    made having seen the other change, never a silent overwrite."""
    data = request.POST.copy()
    if getattr(error, "code", None) == "stale":
        report.refresh_from_db()
        data["expected_updated_at"] = report.updated_at.isoformat()
    form = ProblemReportAnswerForm(data, report=report)
    form.is_valid()
    form.add_error(None, error)
    return form
