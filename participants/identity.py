"""National identity numbers of Norway, Denmark and Sweden, validated by each country's rules.

python-stdnum does the work: Norwegian fødselsnummer and D-number (two mod-11 check
digits), Danish CPR (a valid date; no mod-11 demand since 2007), Swedish personnummer
(Luhn). stdnum refuses the Swedish samordningsnummer (day of birth + 60), so that one
case is checked here: the same Luhn digit over the same ten digits, with the real day.
"""

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import luhn
from stdnum.dk import cpr
from stdnum.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
)
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.no import fodselsnummer
from stdnum.se import personnummer

from .models import Country

_MODULES = {Country.NORWAY: fodselsnummer, Country.DENMARK: cpr, Country.SWEDEN: personnummer}


def normalize_national_id(number: str, country: str) -> str:
    """Validate ``number`` for ``country`` and return it in its compact, stored form.

    Raises ValidationError with a message that says why the number is refused.
    """
    if country not in _MODULES:
        raise ValidationError(
            _("Unknown country %(country)s: use NO, DK or SE.") % {"country": country}
        )
    if country == Country.SWEDEN and _looks_like_samordningsnummer(number):
        return _validate_samordningsnummer(number)
    module = _MODULES[country]
    try:
        return module.validate(number)
    except StdnumError as exc:
        if isinstance(exc, InvalidComponent) and _born_after_today(module, number):
            raise ValidationError(_future_reason(country)) from None
        raise ValidationError(_reason(exc, country)) from None


def _born_after_today(module, number: str) -> bool:
    """A real date that has not come yet: stdnum refuses it as an invalid component too."""
    try:
        return module.get_birth_date(number) > dt.date.today()
    except (StdnumError, ValueError):
        return False


def _looks_like_samordningsnummer(number: str) -> bool:
    match = re.fullmatch(r"\s*(?:\d{2})?\d{4}([6-9]\d)[-+]?\d{4}\s*", number)
    return bool(match) and int(match.group(1)) > 60


def _validate_samordningsnummer(number: str) -> str:
    digits = re.sub(r"\D", "", number)
    ten = digits[-10:]
    month, day = int(ten[2:4]), int(ten[4:6]) - 60
    # Twelve digits tell the century; ten do not, and 2000 is a leap year, so 29 February
    # passes then.
    year = int(digits[:4]) if len(digits) == 12 else 2000 + int(ten[0:2])
    try:
        dt.date(year, month, day)
    except ValueError:
        raise ValidationError(_reason(InvalidComponent(), Country.SWEDEN)) from None
    if not luhn.is_valid(ten):
        raise ValidationError(_reason(InvalidChecksum(), Country.SWEDEN))
    return personnummer.compact(number)


def _name(country: str) -> str:
    return {
        Country.NORWAY: _("Norwegian national identity number (fødselsnummer or D-number)"),
        Country.DENMARK: _("Danish CPR number"),
        Country.SWEDEN: _("Swedish personnummer or samordningsnummer"),
    }[country]


def _future_reason(country: str) -> str:
    return _("Not a valid %(what)s: the date of birth in it has not come yet.") % {
        "what": _name(country)}


def _reason(exc: StdnumError, country: str) -> str:
    what = _name(country)
    if isinstance(exc, InvalidChecksum):
        return _("Not a valid %(what)s: the check digit does not match.") % {"what": what}
    if isinstance(exc, InvalidLength):
        return _("Not a valid %(what)s: it has the wrong number of digits.") % {"what": what}
    if isinstance(exc, InvalidComponent):
        return _("Not a valid %(what)s: the date of birth in it does not exist.") % {"what": what}
    if isinstance(exc, InvalidFormat):
        return _("Not a valid %(what)s: it may contain only digits and a hyphen.") % {
            "what": what
        }
    return _("Not a valid %(what)s.") % {"what": what}
