"""The participant page's support-phase region (``#support-phase``): the support phase
after a job start and the next planned contact, with the form that plans it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from .. import access_log
from ..caseload_focus import SUPPORT_CONTACT_ALERT_DAYS, support_phase_of
from ..forms.caseload import NextContactForm
from ..forms.fields import submit
from ..models import Participant
from ..services import caseload as services

TEMPLATE = "participants/partials/_support_phase.html"


def support_phase_context(participant: Participant, *, can_edit: bool, form=None) -> dict:
    today = timezone.localdate()
    return {
        "participant": participant,
        "support": support_phase_of(participant=participant, today=today),
        "support_alert_days": SUPPORT_CONTACT_ALERT_DAYS,
        "next_contact_overdue": (participant.next_contact_on is not None
                                 and participant.next_contact_on < today),
        "can_edit": can_edit,
        "next_contact_form": form or NextContactForm(
            initial={"next_contact_on": participant.next_contact_on}),
    }


@require_GET
def support_phase(request: HttpRequest, pk: int) -> HttpResponse:
    """The region again after a follow-up or a work spell changed it."""
    participant = get_object_or_404(Participant.objects.case_file_visible_to(request.user),
                                    pk=pk)
    access_log.record_region_read(user=request.user, participant=participant, request=request)
    can_edit = Participant.objects.editable_by(request.user).filter(pk=pk).exists()
    return render(request, TEMPLATE, support_phase_context(participant, can_edit=can_edit))


@require_POST
def next_contact_set(request: HttpRequest, pk: int) -> HttpResponse:
    participant = get_object_or_404(Participant.objects.editable_by(request.user), pk=pk)
    access_log.record_region_read(user=request.user, participant=participant, request=request)
    form = NextContactForm(request.POST)
    saved = submit(form, lambda data: services.next_contact_plan(
        participant=participant, user=request.user, **data))
    context = support_phase_context(participant, can_edit=True, form=None if saved else form)
    return render(request, TEMPLATE, context)
