"""My caseload's lists: the counts on the start page, the "no contact" setting and the
filters a case worker saves. The regions ``#caseload-counts`` and
``#caseload-saved-filters`` are rendered with the page and returned by these actions."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRefresh

from rehab.roles import Role, roles_of

from .. import selectors
from ..caseload_focus import (
    RECENTLY_ASSIGNED_DAYS,
    SUPPORT_CONTACT_ALERT_DAYS,
    CaseloadFocus,
    no_contact_days_of,
    saved_filters_of,
)
from ..forms.caseload import CaseloadFilterForm, CaseloadPreferenceForm, SavedFilterForm
from ..forms.fields import submit
from ..models import SavedCaseloadFilter
from ..services import caseload as services

PARTIALS = "participants/partials/"


def _access_caseload(user) -> None:
    if Role.CASE_WORKER not in roles_of(user):
        raise PermissionDenied


def counts_context(user, *, no_contact_days: int, form=None) -> dict:
    return {
        "counts": selectors.caseload_counts(user=user, no_contact_days=no_contact_days),
        "focus": CaseloadFocus,
        "recent_days": RECENTLY_ASSIGNED_DAYS,
        "support_alert_days": SUPPORT_CONTACT_ALERT_DAYS,
        "preference_form": form or CaseloadPreferenceForm(
            initial={"no_contact_days": no_contact_days}),
    }


def saved_filters_context(user, *, team: bool, form=None) -> dict:
    return {"saved_filters": saved_filters_of(user=user, team=team), "team": team,
            "saved_filter_form": form or SavedFilterForm()}


@require_GET
def caseload_counts(request: HttpRequest) -> HttpResponse:
    _access_caseload(request.user)
    days = no_contact_days_of(user=request.user)
    return render(request, PARTIALS + "_caseload_counts.html",
                  counts_context(request.user, no_contact_days=days))


@require_POST
def caseload_preference(request: HttpRequest) -> HttpResponse:
    """Set N of "no contact in N days". The page reloads, as the filter's choices and the
    counts both name N."""
    _access_caseload(request.user)
    form = CaseloadPreferenceForm(request.POST)
    if submit(form, lambda data: services.caseload_preference_set(user=request.user, **data)):
        return HttpResponseClientRefresh() if request.htmx else redirect("participants:caseload")
    days = no_contact_days_of(user=request.user)
    return render(request, PARTIALS + "_caseload_counts.html",
                  counts_context(request.user, no_contact_days=days, form=form))


@require_POST
def saved_filter_create(request: HttpRequest) -> HttpResponse:
    """Save the filters the request carries (the filter form's fields) under a name."""
    _access_caseload(request.user)
    team = request.POST.get("team") == "1"
    rows = selectors.caseload_rows(user=request.user, team=team)
    filter_form = CaseloadFilterForm(
        request.POST, team=team, no_contact_days=no_contact_days_of(user=request.user),
        options=selectors.caseload_options(user=request.user, rows=rows, team=team))
    filters = filter_form.filters()
    form = SavedFilterForm(request.POST)
    saved = submit(form, lambda data: services.saved_filter_create(
        user=request.user, name=data["name"], team=team, filters=filters))
    context = saved_filters_context(request.user, team=team,
                                    form=SavedFilterForm() if saved else form)
    return render(request, PARTIALS + "_caseload_saved_filters.html", context)


@require_POST
def saved_filter_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Another user's saved filter is a 404, as if it did not exist."""
    _access_caseload(request.user)
    saved_filter = get_object_or_404(SavedCaseloadFilter.objects.visible_to(request.user), pk=pk)
    services.saved_filter_delete(user=request.user, saved_filter=saved_filter)
    context = saved_filters_context(request.user, team=saved_filter.team)
    return render(request, PARTIALS + "_caseload_saved_filters.html", context)
