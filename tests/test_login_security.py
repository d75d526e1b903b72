"""Signing in: lockout after repeated failures, sessions that end after 30 idle minutes,
and the password rules."""

import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from participants.templatetags.sign_in import whole_minutes
from rehab.sessions import TOUCH_EVERY_SECONDS, TOUCH_KEY
from tests import factories

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")


def sign_in(client, username, password, address="10.0.0.5"):
    return client.post(LOGIN, {"username": username, "password": password},
                       REMOTE_ADDR=address)


def test_five_wrong_passwords_lock_the_user_name_out_from_that_address(client, case_worker):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "case_worker", "wrong").status_code == 200
    locked = sign_in(client, "case_worker", "wrong")
    assert locked.status_code == 429
    assert "Too many failed attempts" in locked.content.decode()
    assert "for 30 minutes" in locked.content.decode()  # AXES_COOLOFF_TIME
    # Even the right password is refused while the lockout lasts.
    assert sign_in(client, "case_worker", factories.PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session
    # Another address is not locked out: the lockout is for the pair.
    response = sign_in(client, "case_worker", factories.PASSWORD, address="10.0.0.6")
    assert response.status_code == 302


def test_a_successful_login_resets_the_count(client, case_worker):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "case_worker", "wrong")
    assert sign_in(client, "case_worker", factories.PASSWORD).status_code == 302
    client.logout()
    assert not AccessAttempt.objects.filter(username="case_worker", failures_since_start__gt=0
                                            ).exists()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "case_worker", "wrong").status_code == 200


def test_sessions_end_after_thirty_idle_minutes(log_in, case_worker):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    client = log_in(case_worker)
    session = client.session
    assert session.get_expiry_age() <= 30 * 60


def test_activity_pushes_the_end_of_the_session_back(log_in, case_worker):
    client = log_in(case_worker)
    session = client.session
    session[TOUCH_KEY] = int(time.time()) - TOUCH_EVERY_SECONDS - 1
    session.save()
    before = client.session.get_expiry_date()
    client.get(reverse("participants:caseload"))
    after = client.session.get_expiry_date()
    assert after > before


def test_an_expired_session_signs_the_user_out(log_in, case_worker):
    client = log_in(case_worker)
    session = client.session
    session.set_expiry(-1)
    session.save()
    response = client.get(reverse("participants:caseload"))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


@pytest.mark.parametrize("password", ["short", "password123456", "12345678901234",
                                      "case_worker_1"])
def test_weak_passwords_are_refused(case_worker, password):
    with pytest.raises(ValidationError):
        validate_password(password, user=case_worker)


def test_a_long_uncommon_password_is_accepted(case_worker):
    validate_password("Fjord-lantern-47-quietly", user=case_worker)


def test_production_settings_pass_the_deployment_checks(tmp_path):
    """With DEBUG off, `manage.py check --deploy` reports nothing."""
    import os
    import subprocess
    import sys

    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", "DEBUG": "0",
        "SECRET_KEY": "x" * 20 + "a-long-random-production-secret-key-0123456789",
        "ALLOWED_HOSTS": "rehab.example.org", "PSEUDONYM_KEY": "production-pseudonym-key",
        "IDENTITY_ENCRYPTION_KEYS": "w3ZKp8kLrX0sF0B2m1Yq4vWJ5cH7dN9eTgA6uOiRzQs=",
        "IDENTITY_LOOKUP_KEY": "a-long-random-lookup-key",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'check.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "rehab.settings",
    }
    completed = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR, env=environment, capture_output=True, text=True)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "no issues" in completed.stdout


def test_the_lockout_duration_is_shown_in_whole_minutes_rounded_up():
    assert whole_minutes(timedelta(minutes=30)) == 30
    assert whole_minutes(timedelta(seconds=90)) == 2
    assert whole_minutes(timedelta(seconds=5)) == 1
