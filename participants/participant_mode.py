"""Participant mode: the case worker hands the device over, and the session shows nothing
but one questionnaire until the case worker comes back.

The state is a session entry set in one place (``enter``) and checked in one place
(``ParticipantModeMiddleware``): while it is there every URL other than participant
mode's own pages, signing out and static files sends the browser back to the
questionnaire. It ends when the case worker gives their password or PIN (``leave``),
signs out (the session is flushed) or signs in again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

from .models import StaffProfile

SESSION_KEY = "participant_mode"
# Wrong PINs allowed before only the password is accepted: a PIN is short.
PIN_ATTEMPTS = 5

OPEN_IN_PARTICIPANT_MODE = frozenset({
    "participants:participant_mode", "participants:participant_mode_answer",
    "participants:participant_mode_done", "participants:participant_mode_leave", "logout",
})


@dataclass(frozen=True)
class ModeState:
    participant_id: int
    instrument_id: int
    language: str
    answered_on: dt.date


def enter(request, *, participant_id: int, instrument_id: int, language: str,
          answered_on: dt.date) -> None:
    request.session[SESSION_KEY] = {
        "participant": participant_id, "instrument": instrument_id, "language": language,
        "answered_on": answered_on.isoformat(),
    }
    _reset_pin_failures(request.user)


def state(request) -> ModeState | None:
    session = getattr(request, "session", None)
    raw = session.get(SESSION_KEY) if session is not None else None
    if not raw:
        return None
    return ModeState(participant_id=raw["participant"], instrument_id=raw["instrument"],
                     language=raw["language"],
                     answered_on=dt.date.fromisoformat(raw["answered_on"]))


def leave(request) -> None:
    request.session.pop(SESSION_KEY, None)
    _reset_pin_failures(request.user)


def _reset_pin_failures(user) -> None:
    if user is not None and user.is_authenticated:
        StaffProfile.objects.filter(user=user).exclude(
            participant_mode_pin_failures=0).update(participant_mode_pin_failures=0)


def pin_failures(request) -> int:
    return (StaffProfile.objects.filter(user=request.user)
            .values_list("participant_mode_pin_failures", flat=True).first() or 0)


def try_pin(request, matches: Callable[[], bool]) -> bool:
    """Whether the PIN is right (``matches``), counting a wrong one towards PIN_ATTEMPTS.

    The count is read and raised under a lock on the case worker's profile row, where it
    is kept: guesses sent side by side wait for each other, and each sees the others'
    failures. Tablets in participant mode for the same case worker share one count.
    """
    with transaction.atomic():
        profile = StaffProfile.objects.select_for_update().only(
            "pk", "participant_mode_pin_failures").get(user=request.user)
        failures = profile.participant_mode_pin_failures
        accepted = failures < PIN_ATTEMPTS and matches()
        if failures < PIN_ATTEMPTS and not accepted:
            profile.participant_mode_pin_failures = failures + 1
            profile.save(update_fields=["participant_mode_pin_failures"])
    return accepted


def end_on_sign_in(sender, request, user, **kwargs):
    """Signing in again (the password) ends participant mode, as leaving it does."""
    if request is not None and hasattr(request, "session"):
        request.session.pop(SESSION_KEY, None)
    _reset_pin_failures(user)


class ParticipantModeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if state(request) is not None and not self._is_open(request):
            url = reverse("participants:participant_mode")
            if getattr(request, "htmx", False):
                response = HttpResponse(status=204)
                response["HX-Redirect"] = url
                return response
            return redirect(url)
        return self.get_response(request)

    @staticmethod
    def _is_open(request) -> bool:
        if request.path_info.startswith("/" + settings.STATIC_URL.lstrip("/")):
            return True
        try:
            return resolve(request.path_info).view_name in OPEN_IN_PARTICIPANT_MODE
        except Resolver404:
            return False
