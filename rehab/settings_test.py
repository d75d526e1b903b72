"""Test settings: only what makes the suite fast and self-contained."""

import tempfile
from pathlib import Path

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# Assertions read the source (English) messages; tests of the catalogues switch language.
LANGUAGE_CODE = "en"
# Files the tests produce go to a throwaway folder; pseudonyms have a fixed key.
PRIVATE_ROOT = Path(tempfile.mkdtemp(prefix="rehab-test-private-"))
PSEUDONYM_KEY = "test-pseudonym-key"
# The tests run with two-factor sign-in required, as production does.
REQUIRE_TWO_FACTOR = True
