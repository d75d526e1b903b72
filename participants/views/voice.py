"""The participant's own voice: the region of the participant page (answers over time,
reminders, sharing, opening participant mode), participant mode itself, the case worker's
PIN, and the answers shared with a provider's staff.

Reading answers is logged (``AccessKind.VOICE``); so are opening participant mode and each
answer given in it (``AccessKind.PARTICIPANT_MODE``).
"""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth import authenticate
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from participants import access_log
from participants import participant_mode as mode
from participants import voice_selectors as selectors
from participants.forms.fields import submit
from participants.forms.voice import (
    AnswerForm,
    ParticipantModeLeaveForm,
    ParticipantModePinForm,
    ParticipantModeStartForm,
    VoiceShareForm,
)
from participants.models import AccessKind, Instrument, InstrumentItem, Participant
from participants.services import voice as services

PARTIALS = "participants/partials/"


@require_GET
def voice(request: HttpRequest, pk: int) -> HttpResponse:
    participant = get_object_or_404(Participant.objects.case_file_visible_to(request.user),
                                    pk=pk)
    return _region(request, participant)


@require_POST
def voice_share(request: HttpRequest, pk: int) -> HttpResponse:
    participant = get_object_or_404(Participant.objects.editable_by(request.user), pk=pk)
    form = VoiceShareForm(request.POST)
    if form.is_valid():
        services.voice_share_set(participant=participant, user=request.user,
                                 shared=form.cleaned_data["shared"])
    return _region(request, participant)


@require_POST
def participant_mode_start(request: HttpRequest, pk: int) -> HttpResponse:
    participant = get_object_or_404(Participant.objects.editable_by(request.user), pk=pk)
    form = ParticipantModeStartForm(request.POST, participant=participant)
    if not submit(form, lambda data: services.participant_mode_start(
            participant=participant, user=request.user, **data)):
        return _region(request, participant, start_form=form)
    instrument = form.cleaned_data["instrument"]
    mode.enter(request, participant_id=participant.pk, instrument_id=instrument.pk,
               language=participant.language, answered_on=timezone.localdate())
    access_log.record_read(user=request.user, participant=participant,
                           what=AccessKind.PARTICIPANT_MODE, request=request,
                           detail=instrument.code)
    return _to_questionnaire(request)


class _Unavailable(Exception):
    """The questionnaire of this participant mode can no longer be shown: the participant
    is no longer one the case worker may change, or the questionnaire was removed."""

    def __init__(self, state: mode.ModeState):
        super().__init__()
        self.state = state


def _questionnaire_page(view):
    """A view of participant mode whose questionnaire can no longer be shown answers with
    a page of participant mode that asks for the device back, never with a refusal page
    carrying the case worker's menu: the participant is still holding the device, and
    participant mode goes on until the case worker leaves it."""
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except _Unavailable as unavailable:
            if request.method != "GET":
                return _to_questionnaire(request)
            with translation.override(unavailable.state.language):
                return render(request, "participants/participant_mode_unavailable.html")
    return wrapped


@require_GET
@_questionnaire_page
def participant_mode(request: HttpRequest) -> HttpResponse:
    state, participant, instrument = _in_participant_mode(request)
    items = selectors.questionnaire(participant=participant, instrument=instrument,
                                    answered_on=state.answered_on)
    rows = [{"item": item, "text": item.text_in(state.language), "score": score}
            for item, score in items]
    with translation.override(state.language):
        return render(request, "participants/participant_mode.html", {
            **_instrument_context(instrument, state.language), "rows": rows,
            "answered": sum(score is not None for _item, score in items),
        })


@require_POST
@_questionnaire_page
def participant_mode_answer(request: HttpRequest, item_pk: int) -> HttpResponse:
    state, participant, instrument = _in_participant_mode(request)
    item = get_object_or_404(InstrumentItem.objects.filter(instrument=instrument), pk=item_pk)
    form = AnswerForm(request.POST)
    with translation.override(state.language):  # a refusal is read by the participant
        saved = submit(form, lambda data: services.answer_record(
            participant=participant, item=item, score=data["score"],
            answered_on=state.answered_on, user=request.user))
    if saved:
        access_log.record_read(user=request.user, participant=participant,
                               what=AccessKind.PARTICIPANT_MODE, request=request,
                               detail=f"{instrument.code}.{item.code}")  # never the score
    if not request.htmx:
        return redirect(reverse("participants:participant_mode") + f"#item-{item.pk}")
    if saved:
        score = form.cleaned_data["score"]
    else:  # what is stored stays shown, with the reason the new answer was refused
        score = dict((i.pk, given) for i, given in selectors.questionnaire(
            participant=participant, instrument=instrument, answered_on=state.answered_on
        )).get(item.pk)
    with translation.override(state.language):
        return render(request, PARTIALS + "_participant_mode_item.html", {
            **_instrument_context(instrument, state.language),
            "row": {"item": item, "text": item.text_in(state.language), "score": score},
            "saved": saved, "errors": [] if saved else form.non_field_errors() or [
                _("Choose one of the answers.")],
        })


@require_GET
@_questionnaire_page
def participant_mode_done(request: HttpRequest) -> HttpResponse:
    state, participant, instrument = _in_participant_mode(request)
    items = selectors.questionnaire(participant=participant, instrument=instrument,
                                    answered_on=state.answered_on)
    with translation.override(state.language):
        return render(request, "participants/participant_mode_done.html", {
            **_instrument_context(instrument, state.language), "total": len(items),
            "answered": sum(score is not None for _item, score in items),
        })


@require_http_methods(["GET", "POST"])
def participant_mode_leave(request: HttpRequest) -> HttpResponse:
    """The case worker's way back: their password, or their PIN. A wrong one changes
    nothing; after PIN_ATTEMPTS wrong ones only the password is accepted."""
    state = mode.state(request)
    if state is None:
        return redirect("participants:home")
    form = ParticipantModeLeaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _is_the_case_worker(request, form.cleaned_data["secret"]):
            mode.leave(request)
            # Back to the participant, unless they moved out of the case worker's reach
            # while answering (another office): then to the case worker's start page.
            if Participant.objects.visible_to(request.user).filter(
                    pk=state.participant_id).exists():
                return redirect("participants:detail", pk=state.participant_id)
            return redirect("participants:home")
        form.add_error("secret", _("That is neither your password nor your PIN. You are "
                                   "still in participant mode."))
    return render(request, "participants/participant_mode_leave.html", {
        "form": form, "pin_accepted": _pin_accepted(request),
    })


@require_http_methods(["GET", "POST"])
def participant_mode_pin(request: HttpRequest) -> HttpResponse:
    if not services.may_open_participant_mode(request.user):
        raise Http404
    form = ParticipantModePinForm(request.POST or None)
    if request.method == "POST" and submit(form, lambda data: services.participant_mode_pin_set(
            user=request.user, pin=data["pin"], password=data["password"],
            confirm_password=lambda password: _is_signed_in_users_password(request, password))):
        messages.success(request, _("Your PIN for participant mode was saved.")
                         if form.cleaned_data["pin"] else _("Your PIN was removed."))
        return redirect("participants:participant_mode_pin")
    return render(request, "participants/participant_mode_pin.html", {
        "form": form, "has_pin": services.participant_mode_has_pin(request.user),
    })


@require_GET
def voice_shared(request: HttpRequest, pk: int) -> HttpResponse:
    """The answers a case worker has shared, on the provider staff's enrollment page."""
    participant = get_object_or_404(Participant.objects.visible_to(request.user), pk=pk)
    blocks = selectors.answers_over_time(participant=participant, user=request.user)
    if blocks:
        access_log.record_read(user=request.user, participant=participant,
                               what=AccessKind.VOICE, request=request)
    return render(request, PARTIALS + "_voice_shared.html",
                  {"participant": participant, "blocks": blocks})


def _region(request: HttpRequest, participant: Participant, *,
            start_form: ParticipantModeStartForm | None = None) -> HttpResponse:
    access_log.record_region_read(user=request.user, participant=participant,
                                  what=AccessKind.VOICE, request=request)
    can_edit = Participant.objects.editable_by(request.user).filter(pk=participant.pk).exists()
    context = {
        "participant": participant,
        "blocks": selectors.answers_over_time(participant=participant, user=request.user),
        "reminders": selectors.voice_reminders(participant=participant,
                                               today=timezone.localdate()),
        "can_edit": can_edit,
        "start_form": start_form or ParticipantModeStartForm(participant=participant),
    }
    return render(request, PARTIALS + "_voice.html", context)


def _in_participant_mode(request: HttpRequest):
    """The session's participant mode, its participant (still one this user may change)
    and its questionnaire; 404 outside participant mode, _Unavailable when either is gone."""
    state = mode.state(request)
    if state is None:
        raise Http404
    participant = Participant.objects.editable_by(request.user).filter(
        pk=state.participant_id).first()
    instrument = Instrument.objects.filter(pk=state.instrument_id).first()
    if participant is None or instrument is None:
        raise _Unavailable(state)
    return state, participant, instrument


def _to_questionnaire(request: HttpRequest) -> HttpResponse:
    url = reverse("participants:participant_mode")
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _instrument_context(instrument: Instrument, language: str) -> dict:
    """The questionnaire's texts in the participant's language; ``texts_lang`` names the
    language they are in when that is English instead (not offered in theirs), for the
    ``lang`` attribute that makes a screen reader read them as English."""
    shown = instrument.language_for(language)
    return {"instrument": instrument, "title": instrument.name_in(language),
            "texts_lang": shown if shown != language else "",
            "low_label": instrument.low_label_in(language),
            "high_label": instrument.high_label_in(language),
            "scores": list(instrument.scores())}


def _pin_accepted(request: HttpRequest) -> bool:
    return (services.participant_mode_has_pin(request.user)
            and mode.pin_failures(request) < mode.PIN_ATTEMPTS)


def _is_the_case_worker(request: HttpRequest, secret: str) -> bool:
    """Digits only is a PIN: a password cannot be all digits (NumericPasswordValidator),
    so a wrong PIN never counts as a failed sign-in that would lock the account."""
    if secret.isdigit():
        if not services.participant_mode_has_pin(request.user):
            return False
        return mode.try_pin(request, lambda: services.participant_mode_pin_matches(
            user=request.user, pin=secret))
    return _is_signed_in_users_password(request, secret)


def _is_signed_in_users_password(request: HttpRequest, password: str) -> bool:
    # Through the authentication backends, so failed passwords count towards the lockout.
    user = authenticate(request, username=request.user.get_username(), password=password)
    return user is not None and user.pk == request.user.pk
