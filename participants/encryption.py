"""National identity numbers at rest: encrypted, and found again by a keyed hash.

The number is stored encrypted with Fernet (AES-128-CBC and HMAC-SHA256) under
IDENTITY_ENCRYPTION_KEYS; the first key encrypts, all of them decrypt, so a key can be
replaced without downtime. Encryption is not deterministic, so a number is looked up by
HMAC-SHA256 under IDENTITY_LOOKUP_KEY over its country and stored form instead.
Both keys come from the environment and are never stored beside the data.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("IDENTITY_ENCRYPTION_KEYS is not set (see .env.example).")
    return MultiFernet([Fernet(key) for key in keys])


def encrypt(value: str) -> str:
    if not value:
        return ""
    return _fernet(tuple(settings.IDENTITY_ENCRYPTION_KEYS)).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet(tuple(settings.IDENTITY_ENCRYPTION_KEYS)).decrypt(token.encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured(
            "An identity number cannot be decrypted with IDENTITY_ENCRYPTION_KEYS: a key "
            "in use when it was stored is missing.") from None


def lookup_hash(country: str, number: str) -> str:
    """The keyed hash a stored number is found by; empty for no number."""
    if not number:
        return ""
    key = settings.IDENTITY_LOOKUP_KEY.encode()
    return hmac.new(key, f"{country}:{number}".encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """A text field stored encrypted. The empty string stays empty, so "no number" can
    still be told apart (and constrained) in the database."""

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt(value) if value else value
