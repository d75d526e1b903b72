"""Registering a participant: identity number checks, duplicate detection, the first
assignment of a primary case worker."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.dk import cpr
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.no import fodselsnummer
from stdnum.se import personnummer

from rehab.roles import Role, roles_of

from ..encryption import lookup_hash
from ..identity import normalize_national_id
from ..models import CaseWorkerAssignment, Country, Office, Participant
from ..models.people import office_id_of

logger = logging.getLogger(__name__)

EARLIEST_BIRTH_YEAR = 1900
REF_ATTEMPTS = 5


class PossibleDuplicates(ValidationError):
    """People with the same name and birth year are registered already; ``participants``
    holds those the user may see. Registering anyway needs ``register_anyway=True``."""

    def __init__(self, participants: list[Participant]):
        super().__init__(
            _("People with the same name and birth year are already registered. Check that "
              "this is not one of them; if it is another person, tick “Register anyway”."),
            code="possible_duplicates",
        )
        self.participants = participants


def require_registration_rights(*, user) -> None:
    """Case workers and administrators register participants; nobody else does."""
    if not roles_of(user) & {Role.CASE_WORKER, Role.ADMINISTRATOR}:
        raise PermissionDenied


@transaction.atomic
def participant_register(
    *,
    user,
    given_name: str,
    family_name: str,
    national_id: str = "",
    national_id_country: str = "",
    birth_year: int | None = None,
    gender: str,
    immigrant_background: bool = False,
    project,
    office: Office,
    primary_case_worker,
    evaluation_consent: bool | None = None,
    language: str = "",
    ref: str = "",
    register_anyway: bool = False,
) -> Participant:
    """Register a participant and record their first primary case worker.

    Raises PermissionDenied unless the user is an administrator, or a case worker
    registering into their own office. Raises ValidationError (keyed by field) for an
    invalid identity number, a birth year that contradicts it, a taken reference or an
    already registered identity number, and PossibleDuplicates for a name and birth year
    that match people the user may see, unless ``register_anyway``.
    """
    require_registration_rights(user=user)
    if Role.ADMINISTRATOR not in roles_of(user) and office.pk != office_id_of(user):
        raise PermissionDenied
    given_name, family_name, ref = given_name.strip(), family_name.strip(), ref.strip()
    national_id, birth_year = _checked_identity(
        national_id=national_id.strip(), country=national_id_country, birth_year=birth_year
    )
    national_id_country = national_id_country if national_id else ""
    _check_case_worker(primary_case_worker, office=office)
    if ref and Participant.objects.filter(ref=ref).exists():
        raise ValidationError({"ref": _("This reference is taken; choose another or leave "
                                        "the field empty to have one made.")})
    if national_id:
        _refuse_known_number(user=user, national_id=national_id, country=national_id_country)
    if not register_anyway:
        duplicates = _same_name_and_birth_year(
            user=user, given_name=given_name, family_name=family_name, birth_year=birth_year
        )
        if duplicates:
            raise PossibleDuplicates(duplicates)

    fields = {
        "given_name": given_name, "family_name": family_name, "national_id": national_id,
        "national_id_country": national_id_country, "birth_year": birth_year, "gender": gender,
        "immigrant_background": immigrant_background, "project": project, "office": office,
        "primary_case_worker": primary_case_worker, "evaluation_consent": evaluation_consent,
        "language": language,
    }
    participant = _create_with_unique_ref(fields, ref=ref)
    CaseWorkerAssignment.objects.create(
        participant=participant, case_worker=primary_case_worker,
        assigned_on=timezone.localdate(), assigned_by=user,
    )
    logger.info("participant %s registered by user %s", participant.pk, user.pk)
    return participant


def _checked_identity(
    *, national_id: str, country: str, birth_year: int | None
) -> tuple[str, int]:
    """The number in its stored form and the birth year, derived from the number when not
    given, or a ValidationError keyed by the field at fault."""
    if national_id:
        if not country:
            raise ValidationError({"national_id_country": _(
                "Choose the country that issued the identity number.")})
        try:
            national_id = normalize_national_id(national_id, country)
        except ValidationError as exc:
            raise ValidationError({"national_id": exc.messages}) from None
        born = birth_date_of(national_id, country)
        if born is not None:
            if birth_year is None:
                birth_year = born.year
            elif birth_year != born.year:
                raise ValidationError({"birth_year": _(
                    "The birth year %(given)s does not match the identity number, which "
                    "gives %(derived)s.") % {"given": birth_year, "derived": born.year}})
    if birth_year is None:
        raise ValidationError({"birth_year": _(
            "Give the birth year, or an identity number to derive it from.")})
    this_year = timezone.localdate().year
    if not EARLIEST_BIRTH_YEAR <= birth_year <= this_year:
        raise ValidationError({"birth_year": _(
            "The birth year must be between %(first)s and %(last)s.")
            % {"first": EARLIEST_BIRTH_YEAR, "last": this_year}})
    return national_id, birth_year


def birth_date_of(national_id: str, country: str) -> dt.date | None:
    """The date of birth an already validated number encodes (None if it encodes none).

    A Swedish samordningsnummer carries the day plus 60; stdnum reads only the real day.
    """
    try:
        if country == Country.NORWAY:
            return fodselsnummer.get_birth_date(national_id)
        if country == Country.DENMARK:
            return cpr.get_birth_date(national_id)
        if country == Country.SWEDEN:
            compact = personnummer.compact(national_id)
            day_at = len(compact) - 7  # YY(YY)MMDD-NNNN: the day is just before the serial
            day = int(compact[day_at:day_at + 2])
            if day > 60:
                compact = f"{compact[:day_at]}{day - 60:02d}{compact[day_at + 2:]}"
            return personnummer.get_birth_date(compact)
    except (StdnumError, ValueError):
        return None
    return None


def stored_forms(national_id: str, country: str) -> set[str]:
    """Every form in which the same number may be stored.

    A Swedish number compacts to 10 digits (YYMMDD-NNNN, "+" from the year the person
    turns 100) or to 12 (YYYYMMDD-NNNN) as it was written, so one person can be stored
    either way.
    """
    if country != Country.SWEDEN:
        return {national_id}
    short = national_id[-11:-5] if len(national_id) == 13 else national_id[:6]
    serial = national_id[-4:]
    forms = {national_id, f"{short}-{serial}", f"{short}+{serial}"}
    born = birth_date_of(national_id, country)
    if born is not None:
        forms.add(f"{born.year // 100}{short}-{serial}")
    return forms


def _refuse_known_number(*, user, national_id: str, country: str) -> None:
    existing = Participant.objects.filter(national_id_hash__in=[
        lookup_hash(country, form) for form in stored_forms(national_id, country)])
    if not existing.exists():
        return
    visible = Participant.objects.visible_to(user).filter(pk__in=existing.values("pk"))
    ref = visible.order_by("ref").values_list("ref", flat=True).first()
    if ref is not None:
        message = _("A participant with this identity number is already registered: "
                    "%(ref)s.") % {"ref": ref}
    else:
        # Not even the office is named: that the person is followed up somewhere else is
        # itself something this user has no need to know beyond what is needed here.
        message = _("This person is already registered. Contact your office's administrator "
                    "to find out who follows them up.")
    raise ValidationError({"national_id": message})


def _same_name_and_birth_year(
    *, user, given_name: str, family_name: str, birth_year: int
) -> list[Participant]:
    """Visible participants with the same names (ignoring case) and birth year.

    Names are compared in Python with casefold(): SQLite's case-insensitive matching knows
    only ASCII, and Nordic names have Æ, Ø, Å, Ä and Ö. The birth year narrows the rows.
    Matches the user may not see are not reported: they would reveal that someone of that
    name is a participant elsewhere.
    """
    if not (given_name and family_name):
        return []
    wanted = (given_name.casefold(), family_name.casefold())
    born_that_year = (
        Participant.objects.visible_to(user)
        .filter(birth_year=birth_year)
        .select_related("office")
        .order_by("ref")
    )
    return [p for p in born_that_year
            if (p.given_name.strip().casefold(), p.family_name.strip().casefold()) == wanted]


def _check_case_worker(case_worker, *, office: Office) -> None:
    if (
        case_worker is None
        or Role.CASE_WORKER not in roles_of(case_worker)
        or office_id_of(case_worker) != office.pk
    ):
        raise ValidationError({"primary_case_worker": _(
            "Choose an active case worker of the participant's office.")})


def next_ref(*, today: dt.date | None = None) -> str:
    """"P-", the year and a four-digit sequence that restarts each year: P-2026-0001."""
    year = (today or timezone.localdate()).year
    prefix = f"P-{year}-"
    last = (
        Participant.objects.filter(ref__startswith=prefix, ref__regex=rf"^P-{year}-[0-9]+$")
        .order_by(Length("ref").desc(), "-ref")
        .values_list("ref", flat=True)
        .first()
    )
    number = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{number:04d}"


def _create_with_unique_ref(fields: dict, *, ref: str) -> Participant:
    """Create the participant; a generated reference taken by a concurrent registration
    is generated again (each attempt in a savepoint, so a clash rolls back only itself)."""
    for _attempt in range(1 if ref else REF_ATTEMPTS):
        candidate = ref or next_ref()
        try:
            with transaction.atomic():
                return Participant.objects.create(ref=candidate, **fields)
        except IntegrityError:
            if not Participant.objects.filter(ref=candidate).exists():
                raise
    raise ValidationError({"ref": _("This reference is taken; choose another or leave the "
                                    "field empty to have one made.")})
