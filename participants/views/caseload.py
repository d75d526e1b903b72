"""My caseload, the team view and registering a participant."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from rehab.roles import Role, roles_of

from .. import selectors
from ..caseload_focus import SUPPORT_CONTACT_ALERT_DAYS, no_contact_days_of
from ..forms.caseload import CaseloadFilterForm
from ..forms.registration import RegistrationForm
from ..services.registration import (
    PossibleDuplicates,
    participant_register,
    require_registration_rights,
)
from .caseload_lists import counts_context, saved_filters_context


def _access_caseload(user) -> None:
    """The caseload pages are the case workers' own: provider staff, project leads and
    administrators without the case-worker role get a 403 (their start page is home)."""
    if Role.CASE_WORKER not in roles_of(user):
        raise PermissionDenied


def caseload(request: HttpRequest) -> HttpResponse:
    return _caseload_page(request, team=False)


def team(request: HttpRequest) -> HttpResponse:
    return _caseload_page(request, team=True)


def _caseload_page(request: HttpRequest, *, team: bool) -> HttpResponse:
    _access_caseload(request.user)
    days = no_contact_days_of(user=request.user)
    rows = selectors.caseload_rows(user=request.user, team=team)
    options = selectors.caseload_options(user=request.user, rows=rows, team=team)
    form = CaseloadFilterForm(request.GET, options=options, team=team, no_contact_days=days)
    filters = form.filters()
    page = selectors.caseload_page(
        rows=selectors.caseload_filtered(rows=rows, options=options, user=request.user,
                                         no_contact_days=days, **filters),
        number=request.GET.get("page"),
    )
    context = {"form": form, "page": page, "sort": filters["sort"], "team": team,
               "alert_days": selectors.FOLLOW_UP_ALERT_DAYS,
               "support_alert_days": SUPPORT_CONTACT_ALERT_DAYS}
    # Going back in history re-requests the URL as a whole page when htmx has no copy.
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "participants/partials/_caseload_results.html", context)
    context |= saved_filters_context(request.user, team=team)
    if not team:  # My caseload is the case worker's start page: the counts of its lists
        context |= counts_context(request.user, no_contact_days=days)
    return render(request, "participants/caseload.html", context)


def register(request: HttpRequest) -> HttpResponse:
    require_registration_rights(user=request.user)
    form = RegistrationForm(request.POST or None, user=request.user)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        try:
            participant = participant_register(user=request.user, **form.cleaned_data)
        except PossibleDuplicates as exc:
            duplicates = exc.participants  # the template shows them with "Register anyway"
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            url = reverse("participants:detail", kwargs={"pk": participant.pk})
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    context = {"form": form, "duplicates": duplicates}
    if request.htmx:
        return render(request, "participants/partials/_register_form.html", context)
    return render(request, "participants/register.html", context)
