"""The provider's pages: the participants in their own measures, and one enrollment with its
goals, where they propose changes and write progress reports.

Every enrollment comes from ``provider_selectors.provider_enrollments`` (through
``Enrollment.objects.visible_to`` and the user's provider memberships): anything else is a
404. The services check the membership once more. After a save htmx gets the enrollment
region back fresh; a plain form post is redirected (post/redirect/get).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from participants import access_log
from participants.forms.fields import messages_of, submit
from participants.models import AccessKind
from rehab.roles import Role, has_role

from . import provider_selectors as selectors
from . import provider_services as services
from .models import Enrollment
from .provider_forms import (
    PROPOSAL_FORM_BY_KIND,
    PROPOSAL_FORMS,
    ProgressReportForm,
    ProposalForm,
    ProviderListFilterForm,
)

PAGE_SIZE = 50
REGION = "measures/partials/_provider_enrollment.html"
PAGE = "measures/provider_enrollment.html"


@require_GET
def provider_participants(request: HttpRequest) -> HttpResponse:
    if not has_role(request.user, Role.PROVIDER_STAFF):
        raise Http404  # a provider's list, for its own staff only
    form = ProviderListFilterForm(request.GET,
                                  measures=selectors.provider_measures(user=request.user))
    rows = selectors.provider_enrollment_list(user=request.user, **form.filters())
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "measures/provider_participants.html",
                  {"filter_form": form, "page": page})


@require_GET
def provider_enrollment(request: HttpRequest, pk: int) -> HttpResponse:
    enrollment = _enrollment(request, pk)
    access_log.record_read(user=request.user, participant=enrollment.participant_id,
                           what=AccessKind.PROVIDER_ENROLLMENT, request=request)
    return render(request, PAGE, _context(request, enrollment))


@require_POST
def provider_propose(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    enrollment = _enrollment(request, pk)
    form_class = PROPOSAL_FORM_BY_KIND.get(kind)
    if form_class is None:
        raise Http404
    form = form_class(request.POST, enrollment=enrollment)
    saved = submit(form, lambda data: services.proposal_create(
        enrollment=enrollment, user=request.user, **form.service_arguments()))
    return _respond(request, enrollment, saved, _("Proposal sent to the case worker."),
                    proposal_form=None if saved else form)


@require_POST
def provider_report_create(request: HttpRequest, pk: int) -> HttpResponse:
    enrollment = _enrollment(request, pk)
    form = ProgressReportForm(request.POST, enrollment=enrollment)
    saved = submit(form, lambda data: services.progress_report_create(
        enrollment=enrollment, user=request.user, **data))
    return _respond(request, enrollment, saved, _("Progress report saved."),
                    report_form=None if saved else form)


def _enrollment(request: HttpRequest, pk: int) -> Enrollment:
    return get_object_or_404(selectors.provider_enrollments(user=request.user), pk=pk)


def _respond(request: HttpRequest, enrollment: Enrollment, saved: bool, message: str,
             **bound) -> HttpResponse:
    if saved and not request.htmx:
        messages.success(request, message)
        return redirect("measures:provider_enrollment", pk=enrollment.pk)
    # The answer shows the enrollment page again (goals included), refused or saved.
    access_log.record_region_read(user=request.user, participant=enrollment.participant,
                                  what=AccessKind.PROVIDER_ENROLLMENT, request=request)
    context = _context(request, enrollment, **bound)
    context["saved_message"] = message if saved else ""
    response = render(request, REGION if request.htmx else PAGE, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _context(request: HttpRequest, enrollment: Enrollment, *,
             proposal_form: ProposalForm | None = None,
             report_form: ProgressReportForm | None = None) -> dict:
    applicable = PROPOSAL_FORMS.get(enrollment.status, ())
    proposal_forms = [
        proposal_form if type(proposal_form) is form_class else form_class(enrollment=enrollment)
        for form_class in applicable
    ]
    # The enrollment moved on (a colleague's change): the form is gone, its message stays.
    errors = (messages_of(proposal_form)
              if proposal_form is not None and type(proposal_form) not in applicable else [])
    # Reports are on the time in the measure: none before the start (nor after a withdrawal),
    # and none once the time for the last report is over.
    reports_until = selectors.reports_closed_after(enrollment)
    if enrollment.started_on is None or reports_until is not None:
        errors += messages_of(report_form)
        report_form = None
    elif report_form is None:
        report_form = ProgressReportForm(enrollment=enrollment)
    return {
        "errors": errors,
        "enrollment": enrollment,
        "participant": enrollment.participant,
        "goals": selectors.goals_for_provider(enrollment=enrollment, user=request.user),
        "in_care": selectors.in_care(enrollment=enrollment, user=request.user),
        "access_after_end_days": settings.PROVIDER_ACCESS_AFTER_END_DAYS,
        "proposal_forms": proposal_forms,
        "report_form": report_form,
        "reports_until": reports_until,
        "proposals": selectors.proposals_of(enrollment=enrollment, user=request.user),
        "reports": selectors.reports_of(enrollment=enrollment, user=request.user),
    }
