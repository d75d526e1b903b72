"""Management commands speak the language of the shell they run in (rehab/commands.py)."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from rehab.commands import shell_language


@pytest.mark.parametrize(("environ", "language"), [
    ({"LANG": "sv_SE.UTF-8"}, "sv"),
    ({"LANG": "da_DK.UTF-8"}, "da"),
    ({"LANG": "nb_NO.UTF-8"}, "nb"),
    ({"LANG": "no_NO.UTF-8"}, "nb"),
    ({"LANG": "en_GB.UTF-8"}, "en"),
    ({"LC_MESSAGES": "da_DK.UTF-8", "LANG": "sv_SE.UTF-8"}, "da"),
    ({"LC_ALL": "en_US.UTF-8", "LC_MESSAGES": "da_DK.UTF-8"}, "en"),
    ({"LANGUAGE": "de:sv", "LANG": "de_DE.UTF-8"}, "sv"),
    ({"LANG": "C.UTF-8"}, None),
    ({"LANG": "POSIX"}, None),
    ({"LANG": "de_DE.UTF-8"}, None),
    ({"LC_ALL": "C", "LANG": "sv_SE.UTF-8"}, None),
    ({}, None),
])
def test_the_shell_locale_names_a_site_language_or_none(environ, language):
    assert shell_language(environ) == language


@pytest.mark.django_db
def test_a_command_speaks_the_shells_language_and_leaves_the_active_one(monkeypatch,
                                                                        migration_data):
    monkeypatch.setenv("LANG", "sv_SE.UTF-8")
    out = io.StringIO()

    call_command("generate_synthetic", "--participants", "3", stdout=out)

    assert "3 deltagare skapade" in out.getvalue()
    assert translation.get_language() == "en"


@pytest.mark.django_db
def test_a_shell_without_a_site_language_leaves_the_language_as_it_is(monkeypatch):
    """From manage.py that is the site's default, LANGUAGE_CODE."""
    monkeypatch.setenv("LANG", "C.UTF-8")
    translation.activate("nb")
    with pytest.raises(CommandError) as refused:
        call_command("generate_synthetic", "--participants", "0")

    assert str(refused.value) == "--participants må være minst 1."
