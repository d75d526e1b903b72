"""Keyed pseudonyms for extracts: the same reference gives the same pseudonym in every
extract made under one key, and without the key a pseudonym cannot be traced back.

HMAC-SHA256 with PSEUDONYM_KEY (from the environment; never written beside the data).
Pseudonyms keep 80 bits of the digest: at ten million people the chance that two share
one is about one in 10^11.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

DIGEST_CHARACTERS = 20  # hexadecimal: 80 bits


class PseudonymKeyMissing(ImproperlyConfigured):
    def __init__(self):
        super().__init__(_("Pseudonymised extracts need a key: set PSEUDONYM_KEY in the "
                           "environment (see .env.example)."))


class Pseudonymizer:
    def __init__(self, key: str):
        if not key:
            raise PseudonymKeyMissing
        self._key = key.encode()
        # Rows come grouped by participant, so a small cache saves most of the hashing.
        self.participant = lru_cache(maxsize=4096)(self._participant)
        self.user = lru_cache(maxsize=4096)(self._user)

    @classmethod
    def from_settings(cls) -> Pseudonymizer:
        return cls(settings.PSEUDONYM_KEY)

    def _digest(self, namespace: str, value: str) -> str:
        message = f"{namespace}\x00{value}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()[:DIGEST_CHARACTERS]

    def _participant(self, ref: str) -> str:
        return "P" + self._digest("participant", ref)

    def _user(self, username: str) -> str:
        return "u" + self._digest("user", username)

    @staticmethod
    def enrollment(participant_pseudonym: str, number: int) -> str:
        """The n-th enrollment of a participant, counted in the order of the original refs
        (EXCHANGE.md)."""
        return f"{participant_pseudonym}-{number:03d}"
