"""Writes of the participant's own voice: answers given in participant mode, opening that
mode, sharing the answers with the provider, and the case worker's PIN for leaving it.

Each service checks ``Participant.objects.editable_by(user)`` (PermissionDenied), raises
ValidationError when a rule is broken, and runs in its own transaction.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rehab.roles import Role, roles_of

from ..models import (
    EARLIEST_DATE,
    Answer,
    Instrument,
    InstrumentItem,
    Language,
    Participant,
    StaffProfile,
)
from .rights import require_editable

if TYPE_CHECKING:
    from django.contrib.auth.models import User

PIN_PATTERN = re.compile(r"\d{4,8}")


def instrument_problems(*, instrument: Instrument, language: str) -> list[str]:
    """Why the instrument cannot be shown in ``language`` (empty when it can)."""
    shown = instrument.language_for(language)
    items = list(instrument.items.all())
    if not items:
        return [_("The questionnaire has no questions.")]
    problems = []
    if not instrument.name_in(language).strip():
        problems.append(_("The questionnaire has no name in this language."))
    problems += [
        _("Question %(code)s has no text in this language.") % {"code": item.code}
        for item in items if not getattr(item, f"text_{shown}").strip()
    ]
    return problems


@transaction.atomic
def participant_mode_start(*, participant: Participant, instrument: Instrument, language: str,
                           user: User) -> Participant:
    """Checks that the questionnaire can be answered in the chosen language, and keeps that
    language as the participant's (the change history records it)."""
    require_editable(participant_id=participant.pk, user=user)
    if language not in Language.values:
        raise ValidationError(_("Choose one of the languages offered."))
    problems = instrument_problems(instrument=instrument, language=language)
    if problems:
        raise ValidationError(problems)
    if participant.language != language:
        locked = Participant.objects.select_for_update().get(pk=participant.pk)
        locked.language = language
        locked.save(update_fields=["language", "updated_at"])
        participant.language = language
    return participant


@transaction.atomic
def answer_record(*, participant: Participant, item: InstrumentItem, score: int,
                  answered_on: dt.date, user: User) -> Answer:
    """One item's answer for the day: a second answer to the same item the same day
    replaces the first, so clicking again (or a repeated request) never makes a second
    row, and an interrupted session keeps every answer given before it stopped."""
    require_editable(participant_id=participant.pk, user=user)
    instrument = item.instrument
    if not instrument.scale_min <= score <= instrument.scale_max:
        raise ValidationError(_("Choose a score from %(low)d to %(high)d.") % {
            "low": instrument.scale_min, "high": instrument.scale_max})
    if not EARLIEST_DATE <= answered_on <= timezone.localdate():
        raise ValidationError(_("An answer cannot be dated in the future."))
    answer, _created = Answer.objects.update_or_create(
        participant=participant, item=item, answered_on=answered_on,
        defaults={"score": score},
    )
    return answer


@transaction.atomic
def voice_share_set(*, participant: Participant, shared: bool, user: User) -> Participant:
    """Shares the participant's own answers with the staff of the providers whose measures
    they take part in, or stops sharing them. The change history records who did it."""
    require_editable(participant_id=participant.pk, user=user)
    locked = Participant.objects.select_for_update().get(pk=participant.pk)
    if locked.voice_shared_with_provider != shared:
        locked.voice_shared_with_provider = shared
        locked.save(update_fields=["voice_shared_with_provider", "updated_at"])
    participant.voice_shared_with_provider = shared
    return participant


def may_open_participant_mode(user: User) -> bool:
    return bool(roles_of(user) & {Role.CASE_WORKER, Role.ADMINISTRATOR})


def participant_mode_pin_set(*, user: User, pin: str, password: str,
                             confirm_password: Callable[[str], bool] | None = None) -> None:
    """The PIN that ends participant mode instead of the password; an empty PIN removes it.
    Stored hashed with the password hashers, and only after the password is confirmed:
    by ``confirm_password`` when given (the view's goes through the authentication
    backends, so a wrong password counts towards the sign-in lockout), else directly. The
    password is checked outside the transaction, so that the record of a failure is kept
    when the change is refused."""
    if not may_open_participant_mode(user):
        raise PermissionDenied
    if not (confirm_password or user.check_password)(password):
        raise ValidationError(_("That is not your password. The PIN was not changed."))
    if pin and not PIN_PATTERN.fullmatch(pin):
        raise ValidationError(_("A PIN is 4 to 8 digits."))
    with transaction.atomic():
        profile, _created = StaffProfile.objects.select_for_update().get_or_create(user=user)
        profile.participant_mode_pin = make_password(pin) if pin else ""
        profile.save(update_fields=["participant_mode_pin"])


def participant_mode_pin_matches(*, user: User, pin: str) -> bool:
    if not PIN_PATTERN.fullmatch(pin or ""):
        return False
    stored = StaffProfile.objects.filter(user=user).values_list(
        "participant_mode_pin", flat=True).first()
    return bool(stored) and check_password(pin, stored)


def participant_mode_has_pin(user: User) -> bool:
    return StaffProfile.objects.filter(user=user).exclude(participant_mode_pin="").exists()
