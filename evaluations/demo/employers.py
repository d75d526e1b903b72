"""The demo's employer register (not part of the bundle: seed_demo registers it)."""

import random

from stdnum import luhn
from stdnum.dk import cvr
from stdnum.no import orgnr as no_orgnr

from .data import EMPLOYERS, LEGAL_FORMS, MUNICIPALITY_OF_AREA, SEED, country_of_area


def demo_employers() -> dict[str, list[dict[str, str]]]:
    """area -> the area's employers as values of ``employer_create``. The e-mail addresses
    are under the reserved .example domain and no phone numbers are given, so nobody real
    can be reached through the demo."""
    # A stream of its own, so that the bundle's draws (and its proportions) stay as they are.
    rng = random.Random(f"employers {SEED}")
    employers, numbers = {}, set()
    for area, rows in EMPLOYERS.items():
        country = country_of_area(area)
        employers[area] = []
        for name, given, family in rows:
            number = _invented_organisation_number(rng, country)
            while number in numbers:
                number = _invented_organisation_number(rng, country)
            numbers.add(number)
            domain = "-".join(word for word in _ascii(name.lower()).split()
                              if word not in LEGAL_FORMS)
            employers[area].append({
                "name": name, "country": country, "organisation_number": number,
                "municipality": MUNICIPALITY_OF_AREA[area],
                "contact_name": f"{given} {family}",
                "contact_email": f"{_ascii(f'{given}.{family}'.lower())}@{domain}.example",
            })
    return employers


def _invented_organisation_number(rng: random.Random, country: str) -> str:
    """A number that passes python-stdnum's checks but that the register does not issue:
    Norwegian organisation numbers always begin with 8 or 9 (Brønnøysundregistrene), so
    these begin with 1; Swedish ones never have the group number 4, so these have it (the
    third digit at least 2, as in every organisation number); Danish CVR numbers are a
    running number now in the 40 millions, so these are in the 99 millions."""
    while True:
        if country == "NO":
            stem = f"1{rng.randint(0, 9_999_999):07d}"
            candidates = [f"{stem}{check}" for check in range(10)]
            number = next((c for c in candidates if no_orgnr.is_valid(c)), "")
        elif country == "DK":
            stem = f"99{rng.randint(0, 99_999):05d}"
            number = next((c for c in (f"{stem}{check}" for check in range(10))
                           if cvr.is_valid(c)), "")
        else:
            nine = f"4{rng.randint(0, 9)}{rng.randint(2, 9)}{rng.randint(0, 999_999):06d}"
            number = f"{nine}{luhn.calc_check_digit(nine)}"
        if number:
            return number


def _ascii(text: str) -> str:
    for letters, plain in (("æ", "ae"), ("ø", "o"), ("å", "a"), ("ä", "a"), ("ö", "o"),
                           ("é", "e"), ("ü", "u")):
        text = text.replace(letters, plain)
    return text
