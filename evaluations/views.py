from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from rehab.db_routers import reading_from_replica

from . import custom_periods, dashboards, selectors, services
from .definition_texts import CONCEPTS, DEFINITIONS
from .forms import (
    CustomPeriodForm,
    DashboardForm,
    ProblemReportAnswerForm,
    ProblemReportFilterForm,
    ProblemReportForm,
)
from .indicators import IndicatorQueryError, IndicatorResult
from .indicators.definitions import DIMENSION_LABELS, INDICATORS, Kind
from .models import (
    IndicatorRequest,
    ProblemReport,
    Project,
    follows_up_problem_reports,
    may_report_problems,
    may_see_dashboards,
)
from .summary import summary_of

PROBLEM_REPORTS_PER_PAGE = 50


def project_list(request: HttpRequest) -> HttpResponse:
    template = (
        "evaluations/partials/_project_list.html"
        if request.htmx
        else "evaluations/project_list.html"
    )
    return render(request, template, {"tree": selectors.project_tree(user=request.user)})


KIND_LABELS = {
    Kind.COUNT: gettext_lazy("count"),
    Kind.RATE: gettext_lazy("share (0–100 %)"),
    Kind.MEAN: gettext_lazy("mean"),
    Kind.DAYS: gettext_lazy("days"),
}


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """Outcome figures of a project (sub-projects included) or of all projects, read from
    the stored snapshots."""
    if not may_see_dashboards(request.user):
        raise PermissionDenied
    return _dashboard_page(request, request.GET)


def _dashboard_page(request: HttpRequest, choice, *,
                    custom_form: CustomPeriodForm | None = None) -> HttpResponse:
    """The dashboard for the choices in ``choice`` (project, period, breakdown, trend);
    ``custom_form`` is a refused period of one's own, shown with its errors."""
    tree = selectors.project_tree(user=request.user)
    project = selectors.project_in_tree(choice.get("project", ""), tree)
    # Stored figures, written by the jobs: the replica (if any) serves them.
    with reading_from_replica():
        periods = dashboards.available_periods(project)
        form = DashboardForm(
            choice, projects=tree, periods=periods,
            dimensions=list(DIMENSION_LABELS.items()), trends=dashboards.TREND_CHOICES,
        )
        period = dashboards.Period.from_key(form.value("period")) or \
            dashboards.default_period(periods)
        by = form.value("by")
        context = dashboards.dashboard_context(project=project, period=period, by=by,
                                               trend_kind=form.value("trend") or "quarter")
        if period is not None:
            context["summary"] = selectors.programme_summary(project=project, period=period,
                                                             user=request.user)
        scope = dashboards.scope_state(project)
    if custom_form is None:
        custom_form = CustomPeriodForm(projects=tree, initial={
            "project": project.code if project else "", "by": by,
            "date_from": period.date_from if period else None,
            "date_to": period.date_to if period else None})
    context.update({
        "form": form, "project": project, "period": period, "by": by,
        "scope": scope, "custom_form": custom_form,
    })
    return render(request, "evaluations/dashboard.html", context)


@require_POST
def dashboard_refresh(request: HttpRequest) -> HttpResponse:
    """A project lead asks for the figures of a scope to be computed again now."""
    if not may_see_dashboards(request.user):
        raise PermissionDenied
    code = request.POST.get("project", "")
    project = selectors.project_in_tree(code, selectors.project_tree(user=request.user))
    if code and project is None:
        messages.error(request, _("That project no longer exists, or its figures are no "
                                  "longer yours to see. Nothing was computed."))
        return redirect(_dashboard_url(None, request.POST.get("by", "")))
    dashboards.request_refresh(project)
    messages.success(request, _("The figures are being computed again. They appear here "
                                "when they are ready."))
    return redirect(_dashboard_url(project, request.POST.get("by", "")))


@require_POST
def custom_period_create(request: HttpRequest) -> HttpResponse:
    """A refused period comes back on the dashboard it was asked from, with what was typed
    and each message beside its field."""
    if not may_see_dashboards(request.user):
        raise PermissionDenied
    tree = selectors.project_tree(user=request.user)
    form = CustomPeriodForm(request.POST, projects=tree)
    project = selectors.project_in_tree(request.POST.get("project", ""), tree)
    if form.is_valid():
        try:
            custom = custom_periods.request_custom_period(
                user=request.user, project=form.cleaned_data["project"],
                date_from=form.cleaned_data["date_from"],
                date_to=form.cleaned_data["date_to"], by=form.cleaned_data["by"])
        except IndicatorQueryError as error:
            form.add_error(None, str(error))
        else:
            return redirect("evaluations:custom_period", pk=custom.pk)
    return _dashboard_page(request, {"project": project.code if project else "",
                                     "by": request.POST.get("by", "")}, custom_form=form)


@require_GET
def custom_period(request: HttpRequest, pk: int) -> HttpResponse:
    """The figures of a custom period when ready; until then a progress state that asks
    again every few seconds (htmx) and reloads the page when the figures are in."""
    custom = get_object_or_404(
        IndicatorRequest.objects.visible_to(request.user).select_related("project"), pk=pk)
    if request.htmx:
        if custom.is_pending:
            return render(request, "evaluations/partials/_custom_period_progress.html",
                          {"custom": custom})
        response = HttpResponse(status=286)  # htmx: stop polling
        response["HX-Refresh"] = "true"
        return response
    context = {"custom": custom, "project": custom.project, "by": custom.dimension}
    if custom.status == IndicatorRequest.Status.DONE:
        context.update(dashboards.custom_context(custom))
        context["summary"] = summary_of(IndicatorResult.from_json(custom.result),
                                        project=custom.project)
    return render(request, "evaluations/custom_period.html", context)


def _dashboard_url(project: Project | None, by: str) -> str:
    query = {key: value for key, value in
             {"project": project.code if project else "", "by": by}.items() if value}
    return reverse("evaluations:dashboard") + ("?" + urlencode(query) if query else "")


@require_GET
def indicator_definitions(request: HttpRequest) -> HttpResponse:
    """What each figure means (INDICATORS.md in plain words); every figure links here."""
    indicators = [(indicator, KIND_LABELS[indicator.kind], DEFINITIONS[indicator.code])
                  for indicator in INDICATORS]
    return render(request, "evaluations/indicator_definitions.html", {
        "concepts": CONCEPTS,
        "indicators": indicators,
        "dimensions": list(DIMENSION_LABELS.values()),
    })


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
