"""The case worker's side of measures: a participant's enrollments (an htmx region of the
participant page, also a page of its own), the referral and the enrollment's start, end and
withdrawal, and the waiting lists.

Participants are fetched through ``Participant.objects.visible_to`` and enrollments through
``Enrollment.objects.visible_to``: anybody else gets a 404, so the URLs do not reveal who
exists. Write rights are the services' to check (PermissionDenied becomes a 403). Every
action returns the whole ``#enrollments`` region: fresh after a save, with ``HX-Trigger``
naming what changed; with its errors in place (status 200, input kept) otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from participants import access_log
from participants.forms.fields import messages_of, submit
from participants.models import Participant
from participants.services.rights import require_editable
from rehab.redirects import local_path

from . import provider_services, selectors, services
from .forms import (
    EnrollmentActionForm,
    EnrollmentEndForm,
    EnrollmentReferForm,
    EnrollmentStartForm,
    EnrollmentWithdrawForm,
    WaitingListFilterForm,
)
from .models import Enrollment, EnrollmentProposal, EnrollmentStatus, Measure
from .provider_forms import ProposalDecisionForm

PARTIAL = "measures/partials/_enrollments.html"
PAGE = "measures/participant_enrollments.html"
CHANGED = "enrollment-changed, timeline-changed"
WAITING_LIST_PAGE_SIZE = 50
ACTIONS: dict[str, tuple[type[EnrollmentActionForm], ...]] = {
    EnrollmentStatus.WAITING: (EnrollmentStartForm, EnrollmentWithdrawForm),
    EnrollmentStatus.ACTIVE: (EnrollmentEndForm,),
}


@require_GET
def for_participant(request: HttpRequest, participant_pk: int) -> HttpResponse:
    return _enrollments_response(request, _participant(request, participant_pk))


@require_POST
def enrollment_refer(request: HttpRequest, participant_pk: int) -> HttpResponse:
    participant = _participant(request, participant_pk)
    # Readers who may not change the case file get a 403 before any input is looked at
    # (the service checks again).
    require_editable(participant_id=participant.pk, user=request.user)
    form = EnrollmentReferForm(request.POST, wait_info_url=reverse("measures:measure_wait_info"))
    saved = submit(form, lambda data: services.enrollment_refer(
        participant=participant, user=request.user, **data))
    return _after_post(request, participant, saved, message=_("Referral registered."),
                       refer_form=None if saved else form)


@require_POST
def enrollment_start(request: HttpRequest, pk: int) -> HttpResponse:
    return _enrollment_action(request, pk, EnrollmentStartForm, services.enrollment_start,
                              _("Start registered."))


@require_POST
def enrollment_end(request: HttpRequest, pk: int) -> HttpResponse:
    return _enrollment_action(request, pk, EnrollmentEndForm, services.enrollment_end,
                              _("End registered."))


@require_POST
def enrollment_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _enrollment_action(request, pk, EnrollmentWithdrawForm, services.enrollment_withdraw,
                              _("Referral withdrawn."))


@require_POST
def proposal_accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _proposal_decision(request, pk, provider_services.proposal_accept,
                              _("Proposal accepted."))


@require_POST
def proposal_reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _proposal_decision(request, pk, provider_services.proposal_reject,
                              _("Proposal rejected."))


@require_GET
def measure_wait_info(request: HttpRequest) -> HttpResponse:
    """One line on a measure's waiting list ("12 waiting · median wait 23 days"), for the
    referral form; counts and a median name nobody, so any staff role may ask."""
    measure_id = request.GET.get("measure", "")
    stats = None
    if measure_id.isascii() and measure_id.isdigit():
        measure = get_object_or_404(Measure.objects.visible_to(request.user), pk=measure_id)
        stats = selectors.measure_waiting_stats(measures=[measure],
                                               user=request.user)[measure.pk]
    return render(request, "measures/partials/_measure_wait_info.html", {"stats": stats})


@require_GET
def waiting_lists(request: HttpRequest) -> HttpResponse:
    measures = selectors.measures_for_waiting_lists(user=request.user)
    form = WaitingListFilterForm(request.GET or None, measures=measures)
    chosen = form.cleaned_data if form.is_bound and form.is_valid() else {}
    measure = next((m for m in measures if m.pk == chosen.get("measure")), None)
    provider = next((m.provider for m in measures if m.provider_id == chosen.get("provider")),
                    None)
    shown = [m for m in measures if (measure is None or m == measure)
             and (provider is None or m.provider_id == provider.pk)]
    stats = selectors.measure_waiting_stats(measures=shown, user=request.user)
    context = {
        "filter_form": form,
        "summary": [(m, stats[m.pk]) for m in shown],
        "sees_personal_data": selectors.sees_personal_data(request.user),
    }
    if context["sees_personal_data"]:
        rows = selectors.waiting_list(measure=measure, provider=provider, user=request.user)
        context.update(_waiting_rows(request, rows))
    return render(request, "measures/waiting_lists.html", context)


# Helpers ------------------------------------------------------------------------------


@dataclass
class Action:
    """One action on an enrollment, as the region offers it."""

    form: EnrollmentActionForm
    url: str
    label: str
    submit_label: str
    button_class: str = "btn-outline-primary"


@dataclass
class Row:
    enrollment: Enrollment
    actions: list[Action] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # Pending proposals from the provider, each with the case worker's answer form (or None
    # for readers who may not answer).
    proposals: list[tuple[EnrollmentProposal, ProposalDecisionForm | None]] = field(
        default_factory=list)


def _participant(request: HttpRequest, pk: int) -> Participant:
    return get_object_or_404(Participant.objects.visible_to(request.user), pk=pk)


def _enrollment_action(
    request: HttpRequest,
    pk: int,
    form_class: type[EnrollmentActionForm],
    service: Callable[..., Enrollment],
    message: str,
) -> HttpResponse:
    visible = Enrollment.objects.visible_to(request.user).select_related("participant")
    enrollment = get_object_or_404(visible, pk=pk)
    require_editable(participant_id=enrollment.participant_id, user=request.user)
    form = form_class(request.POST, enrollment=enrollment)
    saved = submit(form, lambda data: service(enrollment=enrollment, user=request.user, **data))
    return _after_post(request, enrollment.participant, saved, message=message,
                       bound=None if saved else form)


def _proposal_decision(
    request: HttpRequest, pk: int, service: Callable[..., EnrollmentProposal], message: str
) -> HttpResponse:
    visible = EnrollmentProposal.objects.visible_to(request.user).select_related(
        "enrollment__participant")
    proposal = get_object_or_404(visible, pk=pk)
    require_editable(participant_id=proposal.enrollment.participant_id, user=request.user)
    form = ProposalDecisionForm(request.POST, proposal=proposal)
    saved = submit(form, lambda data: service(proposal=proposal, user=request.user, **data))
    return _after_post(request, proposal.enrollment.participant, saved, message=message,
                       decision=None if saved else form)


def _after_post(
    request: HttpRequest,
    participant: Participant,
    saved: bool,
    *,
    message: str,
    refer_form: EnrollmentReferForm | None = None,
    bound: EnrollmentActionForm | None = None,
    decision: ProposalDecisionForm | None = None,
) -> HttpResponse:
    """htmx gets the region back; a plain form post is redirected after a save (or back to
    the page named by ``next``, the waiting list), and shown its errors otherwise."""
    if not request.htmx:
        back = local_path(request, request.POST.get("next", ""))
        if saved:
            messages.success(request, message)
            return redirect(back or reverse("measures:for_participant", args=[participant.pk]))
        if back:
            for error in messages_of(refer_form or bound or decision):
                messages.error(request, error)
            return redirect(back)
    # The message says, where the button pressed was, that it worked: the region it was in
    # is replaced whole, and the focus goes to the message (rehab.js).
    response = _enrollments_response(request, participant, refer_form=refer_form, bound=bound,
                                     decision=decision, saved_message=message if saved else "")
    if saved:
        response["HX-Trigger"] = CHANGED
    return response


def _enrollments_response(
    request: HttpRequest,
    participant: Participant,
    *,
    refer_form: EnrollmentReferForm | None = None,
    bound: EnrollmentActionForm | None = None,
    decision: ProposalDecisionForm | None = None,
    saved_message: str = "",
) -> HttpResponse:
    """The region (or its page), for a GET and as the answer to every action: each is a
    read of the participant's enrollments."""
    access_log.record_region_read(user=request.user, participant=participant, request=request)
    can_edit = selectors.participant_editable(participant=participant, user=request.user)
    enrollments = selectors.enrollments_for_participant(participant=participant,
                                                        user=request.user)
    rows = [_row(enrollment, can_edit=can_edit, bound=bound) for enrollment in enrollments]
    for row in rows:
        _add_proposals(row, can_edit=can_edit, decision=decision)
    context = {
        "participant": participant,
        "can_edit": can_edit,
        "rows": rows,
        "saved_message": saved_message,
    }
    if can_edit:
        context["refer_form"] = refer_form or EnrollmentReferForm(
            wait_info_url=reverse("measures:measure_wait_info"))
        measure = refer_form.cleaned_data.get("measure") if refer_form else None
        if measure is not None:
            context["refer_wait"] = selectors.measure_waiting_stats(
                measures=[measure], user=request.user)[measure.pk]
    response = render(request, PARTIAL if request.htmx else PAGE, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _row(enrollment: Enrollment, *, can_edit: bool, bound: EnrollmentActionForm | None) -> Row:
    forms = [cls(enrollment=enrollment) for cls in ACTIONS.get(enrollment.status, ())]
    row = Row(enrollment=enrollment)
    if bound is not None and bound.enrollment.pk == enrollment.pk:
        # A colleague's change: show the row as it is now, with fresh forms and the message.
        applies = any(type(form) is type(bound) for form in forms)
        if applies and not bound.has_error(NON_FIELD_ERRORS, code=services.CONFLICT):
            forms = [bound if type(form) is type(bound) else form for form in forms]
        else:
            row.errors = messages_of(bound)
    if can_edit:
        row.actions = [_action(form) for form in forms]
    return row


def _add_proposals(row: Row, *, can_edit: bool, decision: ProposalDecisionForm | None) -> None:
    for proposal in row.enrollment.pending_proposals:
        if not can_edit:
            form = None
        elif decision is not None and decision.proposal.pk == proposal.pk:
            form = decision
        else:
            form = ProposalDecisionForm(proposal=proposal)
        row.proposals.append((proposal, form))
    if decision is not None and decision.proposal.enrollment_id == row.enrollment.pk and \
            all(proposal.pk != decision.proposal.pk for proposal, _form in row.proposals):
        # Decided by a colleague in the meantime: the proposal left the list, the message stays.
        row.errors.extend(messages_of(decision))


def _action(form: EnrollmentActionForm) -> Action:
    pk = form.enrollment.pk
    if isinstance(form, EnrollmentStartForm):
        return Action(form, reverse("measures:enrollment_start", args=[pk]), _("Start…"),
                      _("Register the start"))
    if isinstance(form, EnrollmentEndForm):
        return Action(form, reverse("measures:enrollment_end", args=[pk]), _("End…"),
                      _("Register the end"))
    return Action(form, reverse("measures:enrollment_withdraw", args=[pk]), _("Withdraw…"),
                  _("Withdraw the referral"), button_class="btn-outline-danger")


def _waiting_rows(request: HttpRequest, rows: QuerySet[Enrollment]) -> dict:
    page = Paginator(rows, WAITING_LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    selectors.with_days_waited(page)
    editable = selectors.editable_participant_ids(
        participant_ids=(row.participant_id for row in page), user=request.user
    )
    for row in page:
        row.withdraw_form = (
            EnrollmentWithdrawForm(enrollment=row) if row.participant_id in editable else None
        )
    return {"page": page}
