"""The participant page (the case file), its regions and the htmx actions on it.

Every read starts from ``Participant.objects.case_file_visible_to(user)`` and every change
from ``Participant.objects.editable_by(user)``: anybody else gets a 404, so the URLs do not
reveal who exists. Readers who may not change the file (project leads) see no forms. Each
action returns its form partial: blank after a save, with ``HX-Trigger`` naming the regions
to refresh; with its errors (status 200, input kept) otherwise.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_POST

from participants import access_log
from participants import case_file_selectors as selectors
from participants.forms.case_file import (
    CaseWorkerChangeForm,
    FollowUpForm,
    GoalForm,
    GoalReviewForm,
    OutcomeSpellEndForm,
    OutcomeSpellForm,
    PlanReviewForm,
)
from participants.forms.fields import submit
from participants.models import AccessKind, Goal, OutcomeSpell, Participant
from participants.services import case_file as services
from participants.views.support import support_phase_context

PARTIALS = "participants/partials/"
WHO_READ_SHOWN = 50
TIMELINE_CHANGED = "timeline-changed"
OUTCOMES_CHANGED = "timeline-changed, outcomes-changed"
GOALS_CHANGED = "timeline-changed, goals-changed"
CASE_WORKER_CHANGED = "timeline-changed, case-worker-changed"


@require_GET
def participant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    participant = get_object_or_404(selectors.case_files_for(user=request.user), pk=pk)
    access_log.record_read(user=request.user, participant=participant,
                           what=AccessKind.CASE_FILE, request=request)
    show_all = request.GET.get("all") == "1"
    can_edit = _may_edit(request, participant)
    context = {
        **_header_context(participant, request.user),
        **_timeline_context(request, participant, show_all=show_all),
        **_outcome_spells_context(participant, can_edit=can_edit),
        **_goals_context(participant, can_edit=can_edit),
        **support_phase_context(participant, can_edit=can_edit),
        "follow_up_form": FollowUpForm(
            initial=selectors.follow_up_initial(participant=participant), user=request.user
        ),
        "outcome_form": OutcomeSpellForm(user=request.user),
        "goal_form": GoalForm(),
        "plan_review_form": PlanReviewForm(),
        "may_see_who_read": access_log.may_see_who_read(request.user, participant),
    }
    return render(request, "participants/participant_detail.html", context)


@require_POST
def national_id(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole identity number, for the participant's own case worker, on request; the
    request is logged. Everyone else sees the masked form only."""
    participant = _readable_case_file(request, pk)
    if not access_log.may_reveal_identity(request.user, participant):
        raise Http404
    access_log.record_read(user=request.user, participant=participant,
                           what=AccessKind.IDENTITY_NUMBER, request=request)
    return render(request, PARTIALS + "_national_id.html", {"participant": participant})


@require_GET
def who_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Who has read this participant's record: for the participant's case worker, the
    data protection officer and administrators."""
    participant = get_object_or_404(Participant.objects.all(), pk=pk)
    if not access_log.may_see_who_read(request.user, participant):
        raise Http404
    entries = access_log.reads_of(participant, user=request.user)[:WHO_READ_SHOWN]
    return render(request, PARTIALS + "_who_read.html",
                  {"participant": participant, "entries": entries,
                   "may_search": access_log.may_search_access_log(request.user)})


@require_GET
def participant_header(request: HttpRequest, pk: int) -> HttpResponse:
    participant = get_object_or_404(selectors.case_files_for(user=request.user), pk=pk)
    access_log.record_region_read(user=request.user, participant=participant, request=request)
    return render(request, PARTIALS + "_header.html", _header_context(participant, request.user))


@require_GET
def timeline(request: HttpRequest, pk: int) -> HttpResponse:
    participant = _readable_case_file(request, pk)
    access_log.record_region_read(user=request.user, participant=participant,
                                  what=AccessKind.TIMELINE, request=request)
    context = _timeline_context(request, participant, show_all=request.GET.get("all") == "1")
    return render(request, PARTIALS + "_timeline.html", context)


@require_GET
def outcome_spells(request: HttpRequest, pk: int) -> HttpResponse:
    participant = _readable_case_file(request, pk)
    access_log.record_region_read(user=request.user, participant=participant, request=request)
    context = _outcome_spells_context(participant, can_edit=_may_edit(request, participant))
    return render(request, PARTIALS + "_outcome_spells.html", context)


@require_GET
def goals(request: HttpRequest, pk: int) -> HttpResponse:
    participant = _readable_case_file(request, pk)
    access_log.record_region_read(user=request.user, participant=participant, request=request)
    context = _goals_context(participant, can_edit=_may_edit(request, participant))
    return render(request, PARTIALS + "_goals.html", context)


@require_POST
def follow_up_create(request: HttpRequest, pk: int) -> HttpResponse:
    participant = _editable_case_file(request, pk)
    form = FollowUpForm(request.POST, user=request.user)
    saved = submit(form, lambda data: services.follow_up_create(
        participant=participant, user=request.user, **data))
    if saved:
        form = FollowUpForm(initial=selectors.follow_up_initial(participant=participant),
                            user=request.user)
    return _form_partial(request, "_follow_up_form.html", participant, form, saved,
                         TIMELINE_CHANGED)


@require_POST
def outcome_spell_create(request: HttpRequest, pk: int) -> HttpResponse:
    participant = _editable_case_file(request, pk)
    form = OutcomeSpellForm(request.POST, user=request.user)
    saved = submit(form, lambda data: services.outcome_spell_create(
        participant=participant, user=request.user, **data))
    form = OutcomeSpellForm(user=request.user) if saved else form
    return _form_partial(request, "_outcome_form.html", participant, form, saved,
                         OUTCOMES_CHANGED)


@require_POST
def outcome_spell_end(request: HttpRequest, pk: int, spell_pk: int) -> HttpResponse:
    participant = _editable_case_file(request, pk)
    spell = get_object_or_404(OutcomeSpell.objects.filter(participant=participant), pk=spell_pk)
    access_log.record_region_read(user=request.user, participant=participant, request=request)
    form = OutcomeSpellEndForm(request.POST, spell=spell)
    saved = submit(form, lambda data: services.outcome_spell_end(
        spell=spell, user=request.user, **data))
    if saved:
        spell.refresh_from_db()
    context = {"participant": participant, "spell": spell, "form": form, "saved": saved,
               "can_edit": True}
    return _with_trigger(render(request, PARTIALS + "_outcome_end_form.html", context),
                         saved, OUTCOMES_CHANGED)


@require_POST
def goal_add(request: HttpRequest, pk: int) -> HttpResponse:
    participant = _editable_case_file(request, pk)
    form = GoalForm(request.POST)
    saved = submit(form, lambda data: services.goal_add(
        participant=participant, user=request.user, **data))
    form = GoalForm() if saved else form
    return _form_partial(request, "_goals_add_form.html", participant, form, saved, GOALS_CHANGED)


@require_POST
def goal_review(request: HttpRequest, pk: int, goal_pk: int) -> HttpResponse:
    participant = _editable_case_file(request, pk)
    goal = get_object_or_404(Goal.objects.filter(plan__participant=participant), pk=goal_pk)
    access_log.record_region_read(user=request.user, participant=participant, request=request)
    form = GoalReviewForm(request.POST, goal=goal)
    saved = submit(form, lambda data: services.goal_review(goal=goal, user=request.user, **data))
    if saved:
        goal.refresh_from_db()
        form = GoalReviewForm(goal=goal)
    context = {"participant": participant, "goal": goal, "form": form, "saved": saved,
               "can_edit": True}
    # The goal's own form shows its new status; the list around it stays as it was (a
    # review changes neither a goal's text nor its place), so the message stays in sight.
    return _with_trigger(render(request, PARTIALS + "_goals_review_form.html", context),
                         saved, TIMELINE_CHANGED)


@require_POST
def plan_review_add(request: HttpRequest, pk: int) -> HttpResponse:
    participant = _editable_case_file(request, pk)
    form = PlanReviewForm(request.POST)
    saved = submit(form, lambda data: services.plan_review_add(
        participant=participant, user=request.user, **data))
    form = PlanReviewForm() if saved else form
    return _form_partial(request, "_goals_plan_review_form.html", participant, form, saved,
                         TIMELINE_CHANGED)


@require_GET
def case_worker_form(request: HttpRequest, pk: int) -> HttpResponse:
    """The change-of-case-worker form, loaded when it is opened: its list of the office's
    case workers is what costs most on the participant page, and it is seldom used."""
    participant = _editable_case_file(request, pk)
    return _form_partial(request, "_case_worker_form.html", participant,
                         CaseWorkerChangeForm(participant=participant), saved=False,
                         events="")


@require_POST
def case_worker_change(request: HttpRequest, pk: int) -> HttpResponse:
    participant = _editable_case_file(request, pk)
    form = CaseWorkerChangeForm(request.POST, participant=participant)
    saved = submit(form, lambda data: services.participant_change_case_worker(
        participant=participant, user=request.user, **data))
    form = CaseWorkerChangeForm(participant=participant) if saved else form
    return _form_partial(request, "_case_worker_form.html", participant, form, saved,
                         CASE_WORKER_CHANGED)


def _readable_case_file(request: HttpRequest, pk: int) -> Participant:
    return get_object_or_404(Participant.objects.case_file_visible_to(request.user), pk=pk)


def _editable_case_file(request: HttpRequest, pk: int) -> Participant:
    """The participant whose file this request changes."""
    return get_object_or_404(Participant.objects.editable_by(request.user), pk=pk)


def _may_edit(request: HttpRequest, participant: Participant) -> bool:
    return Participant.objects.editable_by(request.user).filter(pk=participant.pk).exists()


def _form_partial(request, template, participant, form, saved, events) -> HttpResponse:
    context = {"participant": participant, "form": form, "saved": saved, "can_edit": True}
    return _with_trigger(render(request, PARTIALS + template, context), saved, events)


def _with_trigger(response: HttpResponse, saved: bool, events: str) -> HttpResponse:
    if saved:
        response["HX-Trigger"] = events
    return response


def _header_context(participant: Participant, user) -> dict:
    return {
        "participant": participant,
        "status": selectors.case_status(participant),
        "masked_national_id": selectors.masked_national_id(participant.national_id),
        "may_reveal_national_id": access_log.may_reveal_identity(user, participant),
    }


def _timeline_context(request: HttpRequest, participant: Participant, *, show_all: bool) -> dict:
    page = selectors.timeline_for(participant=participant, user=request.user, show_all=show_all)
    return {"participant": participant, "timeline": page}


def _outcome_spells_context(participant: Participant, *, can_edit: bool) -> dict:
    spells = selectors.open_outcome_spells(participant=participant)
    rows = [(spell, OutcomeSpellEndForm(spell=spell)) for spell in spells]
    return {"participant": participant, "open_spells": rows, "can_edit": can_edit}


def _goals_context(participant: Participant, *, can_edit: bool) -> dict:
    goals = selectors.goals_of(participant=participant)
    rows = [(goal, GoalReviewForm(goal=goal)) for goal in goals]
    return {"participant": participant, "goal_rows": rows, "can_edit": can_edit}
