"""Checks Django runs before `migrate`, `runserver` and `check`: keys that would let the
application start but not keep an identity number (docker-compose.yml migrates before it
starts the web process, so a deployment with a placeholder key stops there, saying why)."""

import binascii

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.checks import Error, Tags, register

GENERATE_FERNET = ("Generate one with: python -c \"from cryptography.fernet import Fernet; "
                   "print(Fernet.generate_key().decode())\" (docs/operations.md).")
PLACEHOLDER = "replace-me"  # how .env.example marks the values a deployment must set


@register(Tags.security)
def identity_keys_are_usable(app_configs=None, **kwargs) -> list[Error]:
    errors = []
    keys = list(getattr(settings, "IDENTITY_ENCRYPTION_KEYS", []) or [])
    if not keys:
        errors.append(Error("IDENTITY_ENCRYPTION_KEYS is empty: identity numbers cannot be "
                            "stored.", hint=GENERATE_FERNET, id="participants.E001"))
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except (ValueError, TypeError, binascii.Error):
            errors.append(Error(
                f"Key {position} of IDENTITY_ENCRYPTION_KEYS is not a Fernet key (32 bytes, "
                "URL-safe base64): identity numbers could not be stored or read.",
                hint=GENERATE_FERNET, id="participants.E002"))
    lookup = getattr(settings, "IDENTITY_LOOKUP_KEY", "") or ""
    if not lookup or lookup.startswith(PLACEHOLDER):
        errors.append(Error(
            "IDENTITY_LOOKUP_KEY is not set, or is still the placeholder of .env.example: "
            "identity numbers would be found again by a key anyone can read.",
            hint="Set it to a long random string, and never change it afterwards: every "
                 "stored number is found by it (docs/operations.md).",
            id="participants.E003"))
    return errors
