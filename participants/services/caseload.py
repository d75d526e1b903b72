"""Writes of My caseload: saved filters, the user's "no contact" setting, and the next
planned contact with a participant.

The next planned contact is kept on the participant (``Participant.next_contact_on``).
Logging a follow-up dated on or after it clears it, or moves it to the date planned with
that follow-up: ``follow_up_create`` calls ``next_contact_after_follow_up`` in its own
transaction, so a contact and its effect on the plan are saved together or not at all.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from rehab.roles import Role, roles_of

from ..models import (
    LATEST_DATE,
    CaseloadPreference,
    FollowUp,
    Participant,
    SavedCaseloadFilter,
)
from ..models.caseload import NO_CONTACT_DAYS_MAX, NO_CONTACT_DAYS_MIN
from .rights import require_editable

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# Enough for every list a case worker keeps; a bound so that the menu stays readable.
MAX_SAVED_FILTERS = 30
NAME_LENGTH = SavedCaseloadFilter._meta.get_field("name").max_length
QUERY_LENGTH = SavedCaseloadFilter._meta.get_field("query").max_length


def _require_case_worker(user: User) -> None:
    """The caseload pages are the case workers' own (as ``views.caseload``)."""
    if not user.is_active or Role.CASE_WORKER not in roles_of(user):
        raise PermissionDenied


@transaction.atomic
def saved_filter_create(
    *, user: User, name: str, team: bool, filters: dict[str, object]
) -> SavedCaseloadFilter:
    """Save ``filters`` (the valid values of the caseload's filter form) under ``name``."""
    _require_case_worker(user)
    name = " ".join(name.split())
    if not name:
        raise ValidationError(_("Give the filter a name."))
    if len(name) > NAME_LENGTH:
        raise ValidationError(_("The name can be at most %(length)s characters.")
                              % {"length": NAME_LENGTH})
    query = urlencode(sorted((key, str(value)) for key, value in filters.items()
                             if value not in (None, "") and key != "page"))
    if len(query) > QUERY_LENGTH:
        raise ValidationError(_("These filters are too long to be saved."))
    own = SavedCaseloadFilter.objects.select_for_update().filter(user=user, team=team)
    if len(own) >= MAX_SAVED_FILTERS:
        raise ValidationError(_("You can keep at most %(count)s saved filters here. Delete "
                                "one first.") % {"count": MAX_SAVED_FILTERS})
    if any(saved.name.casefold() == name.casefold() for saved in own):
        raise ValidationError(_("You already have a saved filter called “%(name)s”.")
                              % {"name": name})
    try:
        with transaction.atomic():
            return SavedCaseloadFilter.objects.create(user=user, team=team, name=name,
                                                      query=query)
    except IntegrityError:  # saved at the same moment from another window
        raise ValidationError(_("You already have a saved filter called “%(name)s”.")
                              % {"name": name}) from None


@transaction.atomic
def saved_filter_delete(*, user: User, saved_filter: SavedCaseloadFilter) -> None:
    if saved_filter.user_id != user.pk:
        raise PermissionDenied
    SavedCaseloadFilter.objects.filter(pk=saved_filter.pk, user=user).delete()


@transaction.atomic
def caseload_preference_set(*, user: User, no_contact_days: int) -> CaseloadPreference:
    _require_case_worker(user)
    if not NO_CONTACT_DAYS_MIN <= no_contact_days <= NO_CONTACT_DAYS_MAX:
        raise ValidationError(_("Choose a number of days from %(low)s to %(high)s.")
                              % {"low": NO_CONTACT_DAYS_MIN, "high": NO_CONTACT_DAYS_MAX})
    preference, _created = CaseloadPreference.objects.update_or_create(
        user=user, defaults={"no_contact_days": no_contact_days})
    return preference


@transaction.atomic
def next_contact_plan(
    *, participant: Participant, user: User, next_contact_on: dt.date | None
) -> Participant:
    """Plan the next contact with the participant, or (with None) plan none."""
    require_editable(participant_id=participant.pk, user=user)
    if next_contact_on is not None:
        _require_coming_date(next_contact_on)
    return _set_next_contact(participant, next_contact_on)


def next_contact_after_follow_up(
    *, participant: Participant, occurred_on: dt.date, next_contact_on: dt.date | None = None
) -> None:
    """What a logged contact does to the plan: a newly planned date replaces the old one;
    otherwise a contact on or after the planned date fulfils it and clears it, and an
    earlier one (a contact logged late) leaves it as it was. Runs inside the caller's
    transaction, which must already have checked the user's rights."""
    if next_contact_on is not None:
        _require_coming_date(next_contact_on)
        _set_next_contact(participant, next_contact_on)
        return
    planned = (Participant.objects.select_for_update().filter(pk=participant.pk)
               .values_list("next_contact_on", flat=True).get())
    if planned is not None and occurred_on >= planned:
        _set_next_contact(participant, None)


def next_contacts_fulfilled(*, participant_ids) -> int:
    """The rule of ``next_contact_after_follow_up`` for follow-ups written in bulk (a bundle
    import): each of these participants whose planned contact has a follow-up on or after
    it has it cleared. One statement; the number of plans cleared."""
    contact_since_plan = FollowUp.objects.filter(participant=OuterRef("pk"),
                                                 occurred_on__gte=OuterRef("next_contact_on"))
    return (Participant.objects
            .filter(pk__in=participant_ids, next_contact_on__isnull=False)
            .filter(Exists(contact_since_plan))
            .update(next_contact_on=None, updated_at=timezone.now()))


def _set_next_contact(participant: Participant, next_contact_on: dt.date | None) -> Participant:
    # Locked so that a plan made in another window meanwhile is not lost in between.
    locked = Participant.objects.select_for_update().get(pk=participant.pk)
    if locked.next_contact_on != next_contact_on:
        locked.next_contact_on = next_contact_on
        locked.save(update_fields=["next_contact_on", "updated_at"])
    participant.next_contact_on = locked.next_contact_on
    participant.updated_at = locked.updated_at
    return locked


def _require_coming_date(value: dt.date) -> None:
    if value < timezone.localdate():
        raise ValidationError(_("The next contact cannot be planned in the past."))
    if value > LATEST_DATE:
        raise ValidationError(_("Dates must be between 1900 and 2100."))
