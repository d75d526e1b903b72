"""Settings come from the environment (rehab/settings.py), checked in a fresh interpreter.

Each check imports ``rehab.settings`` in a subprocess whose environment holds only what the
test gives it. settings.py also reads ``BASE_DIR/.env``, and BASE_DIR is fixed, so a
developer's ``.env`` would leak into the subprocess; the script below turns that one read
into a no-op before the settings are imported.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent

SCRIPT = """
import json, sys
import environ
environ.Env.read_env = lambda *args, **kwargs: None
from django.conf import settings
print(json.dumps({name: getattr(settings, name) for name in sys.argv[1:]}, default=str))
"""


def run_settings(names: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(BASE_DIR),
        "DJANGO_SETTINGS_MODULE": "rehab.settings",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-c", SCRIPT, *names],
        env=environment, cwd=tmp_path, capture_output=True, text=True, timeout=60,
    )


@pytest.fixture
def settings_with(tmp_path):
    """``settings_with(["NAME", ...], VAR="value", ...)`` gives those settings as a dict."""

    def settings_with(names: list[str], **env: str) -> dict:
        result = run_settings(names, tmp_path, **env)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    return settings_with


def test_database_url_selects_postgresql(settings_with):
    database = settings_with(["DATABASES"], DATABASE_URL="postgres://u:p@h:5432/db")[
        "DATABASES"
    ]["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["NAME"], database["HOST"], database["PORT"]) == ("db", "h", 5432)
    assert (database["USER"], database["PASSWORD"]) == ("u", "p")


def test_without_database_url_the_database_is_sqlite_under_var(settings_with):
    database = settings_with(["DATABASES"])["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert Path(database["NAME"]) == BASE_DIR / "var" / "rehab.sqlite3"


def test_without_redis_url_celery_tasks_run_in_process(settings_with):
    values = settings_with(["CELERY_TASK_ALWAYS_EAGER", "CELERY_BROKER_URL"])
    assert values == {"CELERY_TASK_ALWAYS_EAGER": True, "CELERY_BROKER_URL": "memory://localhost/"}


def test_redis_url_sends_celery_tasks_to_the_broker(settings_with):
    values = settings_with(
        ["CELERY_TASK_ALWAYS_EAGER", "CELERY_BROKER_URL"], REDIS_URL="redis://cache:6379/0"
    )
    assert values == {
        "CELERY_TASK_ALWAYS_EAGER": False,
        "CELERY_BROKER_URL": "redis://cache:6379/0",
    }


def test_time_zone_defaults_to_oslo(settings_with):
    assert settings_with(["TIME_ZONE"]) == {"TIME_ZONE": "Europe/Oslo"}


def test_time_zone_can_be_set(settings_with):
    values = settings_with(["TIME_ZONE", "CELERY_TIMEZONE"], TIME_ZONE="Europe/Stockholm")
    assert values == {"TIME_ZONE": "Europe/Stockholm", "CELERY_TIMEZONE": "Europe/Stockholm"}


IDENTITY_KEYS = {"IDENTITY_ENCRYPTION_KEYS": "w3ZKp8kLrX0sF0B2m1Yq4vWJ5cH7dN9eTgA6uOiRzQs=",
                 "IDENTITY_LOOKUP_KEY": "a-long-random-lookup-key"}
PRODUCTION = {"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "rehab.example.org", **IDENTITY_KEYS}


@pytest.mark.parametrize(
    "missing", ["SECRET_KEY", "ALLOWED_HOSTS", "IDENTITY_ENCRYPTION_KEYS", "IDENTITY_LOOKUP_KEY"],
)
def test_production_refuses_to_start_without_its_secrets(tmp_path, missing):
    env = {name: value for name, value in PRODUCTION.items() if name != missing}
    result = run_settings(["DEBUG"], tmp_path, DEBUG="0", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


def test_production_starts_with_secret_key_and_allowed_hosts(settings_with):
    values = settings_with(
        ["DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"],
        DEBUG="0",
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="rehab.example.org,www.rehab.example.org",
        **IDENTITY_KEYS,
    )
    assert values == {
        "DEBUG": False,
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": ["rehab.example.org", "www.rehab.example.org"],
    }
