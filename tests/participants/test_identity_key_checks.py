"""A deployment whose identity keys are missing, malformed or the example's placeholders
stops at `migrate` (docker-compose.yml runs it first) with the reason, instead of failing
on the first identity number saved."""

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from participants.checks import identity_keys_are_usable

GOOD = Fernet.generate_key().decode()


def ids(errors) -> list[str]:
    return [error.id for error in errors]


def test_generated_keys_pass(settings):
    settings.IDENTITY_ENCRYPTION_KEYS = [GOOD, Fernet.generate_key().decode()]
    settings.IDENTITY_LOOKUP_KEY = "a-long-random-lookup-key-0f3a9c"
    assert identity_keys_are_usable() == []


@pytest.mark.parametrize("keys, expected", [
    ([], ["participants.E001"]),
    (["replace-me-with-a-generated-fernet-key"], ["participants.E002"]),
    ([GOOD, "too-short"], ["participants.E002"]),
])
def test_a_missing_or_malformed_encryption_key_is_an_error(settings, keys, expected):
    settings.IDENTITY_ENCRYPTION_KEYS = keys
    settings.IDENTITY_LOOKUP_KEY = "a-long-random-lookup-key-0f3a9c"
    errors = identity_keys_are_usable()
    assert ids(errors) == expected
    assert "python -c" in errors[0].hint


@pytest.mark.parametrize("lookup", ["", "replace-me-with-a-long-random-string"])
def test_a_missing_or_placeholder_lookup_key_is_an_error(settings, lookup):
    settings.IDENTITY_ENCRYPTION_KEYS = [GOOD]
    settings.IDENTITY_LOOKUP_KEY = lookup
    assert ids(identity_keys_are_usable()) == ["participants.E003"]


def test_the_check_stops_django_s_commands(settings):
    settings.IDENTITY_ENCRYPTION_KEYS = ["replace-me-with-a-generated-fernet-key"]
    with pytest.raises(SystemCheckError, match="participants.E002"):
        call_command("check")
