"""The project's management commands speak the language of the shell they run in.

Django runs a command in LANGUAGE_CODE, the site's default (nb). An administrator whose
shell says sv_SE.UTF-8 or en_GB.UTF-8 reads the command's messages in Swedish or English
instead; a shell in the C or POSIX locale, or in a language the site does not offer, keeps
the site's default. Read as gettext reads them: LANGUAGE, then LC_ALL, LC_MESSAGES, LANG.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

# Norwegian locales that name no written standard ("no_NO") mean bokmål in practice.
ALIASES = {"no": "nb"}


def shell_language(environ: Mapping[str, str] = os.environ) -> str | None:
    """The site language the shell's locale names, or None to keep the site's default."""
    offered = {code for code, _ in settings.LANGUAGES}
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(variable, "")
        if not value:
            continue
        # LANGUAGE is a list of preferences ("sv:en"); the others name one locale.
        for locale in value.split(":") if variable == "LANGUAGE" else [value]:
            code = locale.split(".")[0].split("@")[0].replace("_", "-").lower()
            for candidate in (code, code.split("-")[0]):
                candidate = ALIASES.get(candidate, candidate)
                if candidate in offered:
                    return candidate
        if variable != "LANGUAGE":
            return None  # the first locale set decides, as in gettext
    return None


class LocalisedCommand(BaseCommand):
    """A management command whose messages are in the shell's language (see above)."""

    def execute(self, *args, **options):
        language = shell_language()
        if language is None:
            return super().execute(*args, **options)
        with translation.override(language):
            return super().execute(*args, **options)
