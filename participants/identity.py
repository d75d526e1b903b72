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
    try:
        return _MODULES[country].validate(number)
    except StdnumError as exc:
        raise ValidationError(_reason(exc, country)) from None


def _looks_like_samordningsnummer(number: str) -> bool:
    match = re.fullmatch(r"\s*(?:\d{2})?\d{4}([6-9]\d)[-+]?\d{4}\s*", number)
    return bool(match) and int(match.group(1)) > 60


def _validate_samordningsnummer(number: str) -> str:
    ten = re.sub(r"\D", "", number)[-10:]
    year, month, day = int(ten[0:2]), int(ten[2:4]), int(ten[4:6]) - 60
    try:
        # Ten digits do not tell the century; 2000 is a leap year, so 29 February passes.
        dt.date(2000 + year, month, day)
    except ValueError:
        raise ValidationError(_reason(InvalidComponent(), Country.SWEDEN)) from None
    if not luhn.is_valid(ten):
        raise ValidationError(_reason(InvalidChecksum(), Country.SWEDEN))
    return personnummer.compact(number)


def _reason(exc: StdnumError, country: str) -> str:
    names = {
        Country.NORWAY: _("Norwegian national identity number (fødselsnummer or D-number)"),
        Country.DENMARK: _("Danish CPR number"),
        Country.SWEDEN: _("Swedish personnummer or samordningsnummer"),
    }
    what = names[country]
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
