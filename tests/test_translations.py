"""The translation catalogues: complete, consistent with the code, and compiled.

Every user-facing string is translated into Norwegian Bokmål, Danish and Swedish, and the
English catalogue is complete too. The compiled .mo files are committed (running the
application needs no gettext), so a .mo that is older than its .po fails here.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse

BASE_DIR = Path(settings.BASE_DIR)
LOCALE_DIR = BASE_DIR / "locale"
LANGUAGES = ["nb", "da", "sv", "en"]

# The same options as `make messages`.
MAKEMESSAGES_IGNORES = [".venv/*", "assets/*", "static/*", "tests/*", "benchmarks/*"]

# A named placeholder with its conversion, e.g. %(value)r, %(count)d, %(max)5.1f.
PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / "django.po"


def live_entries(catalogue):
    return [entry for entry in catalogue if not entry.obsolete and entry.msgid]


def translations(catalogue) -> dict:
    """(msgctxt, msgid, msgid_plural) -> msgstr, or the tuple of plural forms. Fuzzy and
    untranslated entries are left out, as msgfmt leaves them out of the .mo."""
    mapping = {}
    for entry in live_entries(catalogue):
        if isinstance(entry, polib.POEntry) and (entry.fuzzy or not entry.translated()):
            continue
        if entry.msgid_plural:
            forms = tuple(entry.msgstr_plural[int(n)] for n in sorted(entry.msgstr_plural, key=int))
            mapping[(entry.msgctxt, entry.msgid, entry.msgid_plural)] = forms
        else:
            mapping[(entry.msgctxt, entry.msgid, "")] = entry.msgstr
    return mapping


@pytest.fixture(params=LANGUAGES)
def lang(request):
    return request.param


@pytest.fixture
def po(lang):
    return polib.pofile(str(po_path(lang)))


def test_header_names_the_language_and_is_not_fuzzy(po, lang):
    assert not po.metadata_is_fuzzy
    assert po.metadata["Language"] == lang
    assert po.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"


def test_every_entry_is_translated(po, lang):
    untranslated = [e.msgid for e in live_entries(po) if not e.translated() and not e.fuzzy]
    assert untranslated == [], f"{lang}: untranslated entries"


def test_no_entry_is_fuzzy(po, lang):
    fuzzy = [e.msgid for e in live_entries(po) if e.fuzzy]
    assert fuzzy == [], f"{lang}: fuzzy entries (check the guessed translation, drop the flag)"


def placeholders(text: str) -> set[str]:
    return {match.group(0) for match in PLACEHOLDER.finditer(text)}


def test_translations_keep_the_placeholders(po, lang):
    wrong = []
    for entry in live_entries(po):
        if entry.msgid_plural:
            # Form 0 is the singular (n == 1) in all four languages, the others the plural.
            pairs = [
                (text, entry.msgid if int(n) == 0 else entry.msgid_plural)
                for n, text in entry.msgstr_plural.items()
            ]
        else:
            pairs = [(entry.msgstr, entry.msgid)]
        wrong += [(source, text) for text, source in pairs
                  if placeholders(text) != placeholders(source)]
    assert wrong == [], f"{lang}: placeholders differ from the msgid"


def test_english_catalogue_repeats_the_source():
    po = polib.pofile(str(po_path("en")))
    for entry in live_entries(po):
        if entry.msgid_plural:
            assert entry.msgstr_plural[0] == entry.msgid
            assert entry.msgstr_plural[1] == entry.msgid_plural
        else:
            assert entry.msgstr == entry.msgid


def test_compiled_catalogue_matches_the_po(po, lang):
    mo_file = po_path(lang).with_suffix(".mo")
    assert mo_file.exists(), f"{mo_file} is missing: run manage.py compilemessages"
    compiled = translations(polib.mofile(str(mo_file)))
    assert compiled == translations(po), (
        f"{mo_file} is stale: run manage.py compilemessages --ignore '.venv/*'"
    )


def _copy_project(destination: Path) -> Path:
    """A copy of the project sources, so that makemessages cannot touch the real locale/.

    makemessages walks the current directory and writes into every locale/ folder it
    finds there, so pointing LOCALE_PATHS elsewhere is not enough; it runs in a copy."""
    skipped_top = {".git", ".venv", "var", "assets", "static", "node_modules", "staticfiles",
                   "tests", "benchmarks", ".pytest_cache", ".ruff_cache"}

    def ignore(directory, names):
        ignored = {n for n in names if n == "__pycache__" or n.endswith((".pyc", ".mo"))}
        if Path(directory).resolve() == BASE_DIR.resolve():
            ignored |= skipped_top & set(names)
        return ignored

    project = destination / "project"
    shutil.copytree(BASE_DIR, project, ignore=ignore, symlinks=True)
    return project


@pytest.mark.slow
def test_every_string_in_the_code_is_in_the_catalogue(tmp_path):
    missing_tools = [t for t in ("xgettext", "msgmerge", "msguniq") if not shutil.which(t)]
    if missing_tools:
        pytest.skip(f"GNU gettext is not installed ({', '.join(missing_tools)} not on PATH); "
                    "makemessages cannot run")
    before = po_path("nb").read_bytes()
    project = _copy_project(tmp_path)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        filter(None, [str(project), os.environ.get("PYTHONPATH")])))
    command = [sys.executable, "manage.py", "makemessages", "-l", "nb", "--no-obsolete"]
    for pattern in MAKEMESSAGES_IGNORES:
        command += ["--ignore", pattern]
    result = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr

    assert po_path("nb").read_bytes() == before, "makemessages touched the real catalogue"
    extracted = {(e.msgctxt, e.msgid) for e in live_entries(
        polib.pofile(str(project / "locale" / "nb" / "LC_MESSAGES" / "django.po")))}
    committed = {(e.msgctxt, e.msgid) for e in live_entries(polib.pofile(str(po_path("nb"))))}
    missing = sorted(msgid for _context, msgid in extracted - committed)
    assert missing == [], (
        "strings in the code are missing from the catalogues: run `make messages` and "
        "translate them"
    )


@pytest.mark.django_db
def test_login_page_speaks_swedish_to_a_swedish_browser(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="sv-SE,sv;q=0.9,en;q=0.5")
    assert response.status_code == 200
    assert '<html lang="sv">' in response.text
    assert "Logga in" in response.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "sign_in"),
    [("nb", "Logg inn"), ("da", "Log ind"), ("sv", "Logga in"), ("en", "Sign in")],
)
def test_login_page_follows_the_language_cookie(client, language, sign_in):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.text
    assert sign_in in response.text
