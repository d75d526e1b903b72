"""Writes of the employer register and of job development contacts.

Employers are registered and changed by whoever ``Employer.objects.editable_by`` allows
(PermissionDenied otherwise); a job development contact is logged by a case worker about an
employer they can see, and changed only as ``JobDevelopmentContact.objects.editable_by``
allows. Each service runs in its own transaction; a change carries the ``updated_at`` the
user saw and is refused if someone else changed the row meanwhile.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from rehab.locking import one_request_at_a_time_for
from rehab.roles import Role, roles_of

from ..models import Channel, Country, Employer, JobDevelopmentContact
from ..models.employers import may_change_employers
from ..models.people import office_id_of
from ..organisation_numbers import normalize_organisation_number
from .case_file import _require_past_date, _require_unchanged

if TYPE_CHECKING:
    from django.contrib.auth.models import User

EMPLOYER_FIELDS = ("name", "country", "organisation_number", "municipality", "contact_name",
                   "contact_phone", "contact_email")


@transaction.atomic
def employer_create(
    *,
    user: User,
    name: str,
    country: str,
    organisation_number: str = "",
    municipality: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    contact_email: str = "",
) -> Employer:
    """Registers an employer. The same registration sent again (a double click on Register,
    the form sent again from the browser's history) is the employer it registered: an
    employer in the register with exactly these values is returned, neither registered a
    second time nor refused for its number."""
    if not may_change_employers(user):
        raise PermissionDenied
    one_request_at_a_time_for(user)
    values = _employer_values(
        name=name, country=country, organisation_number=organisation_number,
        municipality=municipality, contact_name=contact_name, contact_phone=contact_phone,
        contact_email=contact_email,
    )
    sent = Employer.objects.filter(**values).order_by("pk").first()
    if sent is not None:
        return sent
    _require_number_free(values, exclude_pk=None)
    employer = Employer(**values, registered_by_office_id=office_id_of(user))
    return _save_unique(employer)


@transaction.atomic
def employer_update(
    *,
    employer: Employer,
    user: User,
    expected_updated_at: dt.datetime,
    name: str,
    country: str,
    organisation_number: str = "",
    municipality: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    contact_email: str = "",
) -> Employer:
    if not Employer.objects.editable_by(user).filter(pk=employer.pk).exists():
        raise PermissionDenied
    locked = Employer.objects.select_for_update().get(pk=employer.pk)
    _require_unchanged(locked.updated_at, expected_updated_at)
    values = _employer_values(
        name=name, country=country, organisation_number=organisation_number,
        municipality=municipality, contact_name=contact_name, contact_phone=contact_phone,
        contact_email=contact_email,
    )
    _require_number_free(values, exclude_pk=locked.pk)
    for field, value in values.items():
        setattr(locked, field, value)
    return _save_unique(locked)


@transaction.atomic
def job_development_contact_create(
    *, employer: Employer, user: User, occurred_on: dt.date, channel: str, note: str = ""
) -> JobDevelopmentContact:
    """A case worker's contact with an employer that is about no one participant."""
    if Role.CASE_WORKER not in roles_of(user):
        raise PermissionDenied
    if not Employer.objects.visible_to(user).filter(pk=employer.pk).exists():
        raise PermissionDenied
    _require_contact(occurred_on=occurred_on, channel=channel)
    return JobDevelopmentContact.objects.create(
        employer=employer, case_worker=user, occurred_on=occurred_on, channel=channel,
        note=note.strip(),
    )


@transaction.atomic
def job_development_contact_update(
    *,
    contact: JobDevelopmentContact,
    user: User,
    occurred_on: dt.date,
    channel: str,
    note: str = "",
    expected_updated_at: dt.datetime,
) -> JobDevelopmentContact:
    if not JobDevelopmentContact.objects.editable_by(user).filter(pk=contact.pk).exists():
        raise PermissionDenied
    locked = JobDevelopmentContact.objects.select_for_update().get(pk=contact.pk)
    _require_unchanged(locked.updated_at, expected_updated_at)
    _require_contact(occurred_on=occurred_on, channel=channel)
    locked.occurred_on, locked.channel, locked.note = occurred_on, channel, note.strip()
    locked.save(update_fields=["occurred_on", "channel", "note", "updated_at"])
    return locked


def _employer_values(*, name: str, country: str, organisation_number: str, municipality: str,
                     contact_name: str, contact_phone: str, contact_email: str) -> dict:
    """The employer's fields as stored (the number compact), or ValidationError."""
    name = name.strip()
    if not name:
        raise ValidationError(_("Write the employer's name."))
    if country not in Country.values:
        raise ValidationError(_("Unknown country %(country)s: use NO, DK or SE.")
                              % {"country": country})
    number = normalize_organisation_number(organisation_number, country)
    return {"name": name, "country": country, "organisation_number": number,
            "municipality": municipality.strip(), "contact_name": contact_name.strip(),
            "contact_phone": contact_phone.strip(), "contact_email": contact_email.strip()}


def _require_number_free(values: dict, *, exclude_pk: int | None) -> None:
    """A number is registered once per country."""
    if not values["organisation_number"]:
        return
    same = Employer.objects.filter(country=values["country"],
                                   organisation_number=values["organisation_number"])
    if exclude_pk is not None:
        same = same.exclude(pk=exclude_pk)
    existing = same.first()
    if existing is not None:
        raise ValidationError(_duplicate_message(existing), code="duplicate")


def _save_unique(employer: Employer) -> Employer:
    """Save; a registration of the same number at the same moment is refused, not a crash."""
    try:
        with transaction.atomic():
            employer.save()
    except IntegrityError:
        existing = Employer.objects.get(country=employer.country,
                                        organisation_number=employer.organisation_number)
        raise ValidationError(_duplicate_message(existing), code="duplicate") from None
    return employer


def _duplicate_message(existing: Employer) -> str:
    return _("This organisation number is already registered, for %(name)s.") % {
        "name": existing.name}


def _require_contact(*, occurred_on: dt.date, channel: str) -> None:
    _require_past_date(occurred_on)
    if channel not in Channel.values:
        raise ValidationError(_("Unknown channel."))
