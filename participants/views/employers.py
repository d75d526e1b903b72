"""The employer pages (list, register, change, detail), job development contacts, and the
job development table of the team view.

Every employer is fetched through ``Employer.objects.visible_to(user)`` (404 otherwise) and
changed through ``editable_by``; what the detail page shows of participants comes from the
case files the reader may read, and each of those reads is recorded in the access log.
"""

from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from rehab.roles import Role, roles_of

from .. import access_log
from .. import employer_selectors as selectors
from ..forms.employers import EmployerForm, EmployerSearchForm, JobDevelopmentContactForm
from ..forms.fields import submit
from ..models import AccessKind, Employer, JobDevelopmentContact, Participant
from ..models.employers import may_change_employers, may_read_employers
from ..services import employers as services

PARTIALS = "participants/partials/"
CONTACT_LOGGED = "job-development-logged"


@require_GET
def employer_list(request: HttpRequest) -> HttpResponse:
    if not may_read_employers(request.user):
        raise PermissionDenied
    form = EmployerSearchForm(request.GET)
    search = form.cleaned_data["q"] if form.is_valid() else ""
    page = selectors.employer_page(user=request.user, search=search,
                                   number=request.GET.get("page"))
    context = {"form": form, "page": page, "search": search,
               "may_register": may_change_employers(request.user)}
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, PARTIALS + "_employer_results.html", context)
    return render(request, "participants/employer_list.html", context)


@require_GET
def employer_choices(request: HttpRequest) -> HttpResponse:
    """The options of a case-file form's employer picker: the register's matches."""
    if not may_read_employers(request.user):
        raise PermissionDenied
    form = EmployerSearchForm(request.GET)
    search = form.cleaned_data["q"] if form.is_valid() else ""
    employers, more = selectors.employer_choices(user=request.user, search=search)
    response = render(request, PARTIALS + "_employer_choices.html",
                      {"employers": employers, "more": more, "search": search})
    if search:
        # The focus stays in the search field: a screen reader hears how the list changed.
        response["HX-Trigger"] = json.dumps({"announce": _matches_found(len(employers), more)})
    return response


def _matches_found(count: int, more: bool) -> str:
    if more:
        return _("More match: type more of the name.")
    if not count:
        return _("No employer in the register matches.")
    return ngettext("%(count)d employer in the register matches.",
                    "%(count)d employers in the register match.", count) % {"count": count}


def employer_create(request: HttpRequest) -> HttpResponse:
    if not may_change_employers(request.user):
        raise PermissionDenied
    form = EmployerForm(request.POST or None)
    if request.method == "POST":
        employer = _save(form, lambda: services.employer_create(
            user=request.user, **form.service_arguments()))
        if employer is not None:
            return _to(request, employer)
    return _employer_form(request, form, employer=None)


def employer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    employer = get_object_or_404(Employer.objects.editable_by(request.user), pk=pk)
    form = EmployerForm(request.POST or None, instance=employer)
    if request.method == "POST" and _save(form, lambda: services.employer_update(
            employer=employer, user=request.user,
            expected_updated_at=form.cleaned_data["expected_updated_at"],
            **form.service_arguments())):
        return _to(request, employer)
    return _employer_form(request, form, employer=employer)


@require_GET
def employer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    employer = get_object_or_404(
        Employer.objects.visible_to(request.user).select_related("registered_by_office"), pk=pk)
    overview = selectors.employer_overview(employer=employer, user=request.user)
    if overview.participant_ids:
        access_log.record_reads(
            user=request.user, what=AccessKind.EMPLOYER,
            participants=Participant.objects.filter(pk__in=overview.participant_ids),
            address=access_log.client_address(request), detail=request.get_full_path())
    context = {
        "employer": employer, "overview": overview,
        "may_edit": may_change_employers(request.user),
        **_contacts_context(request, employer),
        "contact_form": _blank_contact_form(request) if _may_log(request) else None,
    }
    return render(request, "participants/employer_detail.html", context)


@require_GET
def job_development_contacts(request: HttpRequest, pk: int) -> HttpResponse:
    employer = get_object_or_404(Employer.objects.visible_to(request.user), pk=pk)
    return render(request, PARTIALS + "_job_development_contacts.html",
                  _contacts_context(request, employer))


@require_POST
def job_development_contact_create(request: HttpRequest, pk: int) -> HttpResponse:
    employer = get_object_or_404(Employer.objects.visible_to(request.user), pk=pk)
    if not _may_log(request):
        raise PermissionDenied
    form = JobDevelopmentContactForm(request.POST)
    saved = submit(form, lambda data: services.job_development_contact_create(
        employer=employer, user=request.user, **data))
    context = {"employer": employer, "saved": saved,
               "contact_form": _blank_contact_form(request) if saved else form}
    response = render(request, PARTIALS + "_job_development_contact_form.html", context)
    if saved:
        response["HX-Trigger"] = CONTACT_LOGGED
    return response


def job_development_contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(
        JobDevelopmentContact.objects.editable_by(request.user).select_related("employer"),
        pk=pk)
    form = JobDevelopmentContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and submit(form, lambda data: services.
                                           job_development_contact_update(
                                               contact=contact, user=request.user, **data)):
        return _to(request, contact.employer)
    return render(request, "participants/job_development_contact_edit.html",
                  {"contact": contact, "employer": contact.employer, "form": form})


@require_GET
def job_development_weeks(request: HttpRequest) -> HttpResponse:
    """The team view's table: the office's case workers' contacts per week."""
    if Role.CASE_WORKER not in roles_of(request.user):
        raise PermissionDenied
    table = selectors.job_development_weeks(user=request.user, today=timezone.localdate())
    return render(request, PARTIALS + "_job_development_weeks.html", {"table": table})


def _save(form: EmployerForm, service) -> Employer | None:
    """Validate the form and call the service; a number already registered is shown at
    the number, any other broken rule above the form."""
    if not form.is_valid():
        return None
    try:
        return service()
    except ValidationError as exc:
        field = "organisation_number" if getattr(exc, "code", None) == "duplicate" else None
        form.add_error(field, exc)
        return None


def _blank_contact_form(request: HttpRequest) -> JobDevelopmentContactForm:
    return JobDevelopmentContactForm(
        initial=selectors.job_development_contact_initial(user=request.user))


def _may_log(request: HttpRequest) -> bool:
    return Role.CASE_WORKER in roles_of(request.user)


def _contacts_context(request: HttpRequest, employer: Employer) -> dict:
    rows = selectors.job_development_contacts_of(employer=employer, user=request.user)
    contacts = list(rows[:selectors.CONTACTS_SHOWN])
    total = len(contacts) if len(contacts) < selectors.CONTACTS_SHOWN else rows.count()
    return {"employer": employer, "contacts": contacts, "contacts_total": total,
            "editable_contacts": selectors.editable_contact_ids(contacts=contacts,
                                                                user=request.user)}


def _employer_form(request: HttpRequest, form: EmployerForm, *, employer) -> HttpResponse:
    context = {"form": form, "employer": employer}
    if request.htmx:
        return render(request, PARTIALS + "_employer_form.html", context)
    return render(request, "participants/employer_form.html", context)


def _to(request: HttpRequest, employer: Employer) -> HttpResponse:
    url = employer.get_absolute_url()
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
