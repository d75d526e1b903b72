"""Organisation numbers of Norway (organisasjonsnummer), Denmark (CVR) and Sweden
(organisationsnummer), validated by python-stdnum and stored in their compact form."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.dk import cvr
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.no import orgnr as no_orgnr
from stdnum.se import orgnr as se_orgnr

from .models import Country

_MODULES = {Country.NORWAY: no_orgnr, Country.DENMARK: cvr, Country.SWEDEN: se_orgnr}


def normalize_organisation_number(number: str, country: str) -> str:
    """The number in its stored form (digits only), or "" when none is given.

    Raises ValidationError with a message that says why the number is refused.
    """
    if not number.strip():
        return ""
    if country not in _MODULES:
        raise ValidationError(
            _("Unknown country %(country)s: use NO, DK or SE.") % {"country": country}
        )
    try:
        return _MODULES[country].validate(number)
    except StdnumError as exc:
        raise ValidationError(_reason(exc, country), code="invalid") from None


def _reason(exc: StdnumError, country: str) -> str:
    names = {
        Country.NORWAY: _("Norwegian organisation number (9 digits)"),
        Country.DENMARK: _("Danish CVR number (8 digits)"),
        Country.SWEDEN: _("Swedish organisation number (10 digits)"),
    }
    what = names[country]
    if isinstance(exc, InvalidChecksum):
        return _("Not a valid %(what)s: the check digit does not match.") % {"what": what}
    if isinstance(exc, InvalidLength):
        return _("Not a valid %(what)s: it has the wrong number of digits.") % {"what": what}
    if isinstance(exc, InvalidFormat):
        return _("Not a valid %(what)s: it may contain only digits, spaces and a hyphen.") % {
            "what": what
        }
    return _("Not a valid %(what)s.") % {"what": what}
