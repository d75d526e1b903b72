"""Personas shared by the whole suite: one user per role, each with ``factories.PASSWORD``."""

from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.http import HttpRequest
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY

from evaluations.exchange.importer import import_bundle
from participants.two_factor import needs_two_factor
from rehab.roles import Role
from tests import factories

EXAMPLE_BUNDLE = Path(__file__).resolve().parent / "data" / "bundle"


DATABASE_FIXTURES = {"db", "transactional_db", "live_server"}


def pytest_collection_modifyitems(items):
    """A test that reaches the database only through a module-wide fixture (the example
    import) is marked as a database test: pytest-django sets up the test databases for
    marked tests and those asking for ``db`` only, so such a test run on its own (``-k``)
    would have worked on the real database of DATABASE_URL."""
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if ("django_db_setup" in names and not names & DATABASE_FIXTURES
                and item.get_closest_marker("django_db") is None):
            item.add_marker(pytest.mark.django_db)


@pytest.fixture(autouse=True)
def _language_of_the_tests(monkeypatch):
    """Messages are English in tests; a test (or a command) that switches the language
    must not pass it on to the next test in the same process. Commands speak the shell's
    language (rehab/commands.py): the developer's own locale must not change the tests."""
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="module")
def example_imported(django_db_setup, django_db_blocker):
    """The example bundle (tests/data/bundle) imported once for the module, rolled back at
    its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        try:
            # A transactional test that ran before in this process may have flushed the
            # roles and the voice questionnaire the import needs.
            _create_migration_data()
            import_bundle(EXAMPLE_BUNDLE)
            yield
        finally:
            transaction.set_rollback(True)


@pytest.fixture
def example(example_imported, db):
    """Each test runs in a savepoint inside the module's import of the example bundle."""


@pytest.fixture(autouse=True)
def _private_files_of_the_test(settings, tmp_path):
    """Reports, extracts and uploads a test makes go to its own folder, so no test sees
    another's files."""
    settings.PRIVATE_ROOT = tmp_path / "private"


@pytest.fixture
def migration_data(transactional_db):
    """The roles and the built-in voice questionnaire that a data migration creates. A
    transactional test flushes them when it ends, so a later transactional test that needs
    them (an import, the demo) asks for this; creating them is idempotent."""
    _create_migration_data()


def _create_migration_data() -> None:
    roles = import_module("participants.migrations.0002_roles_and_voice_instrument")
    for name in roles.ROLES:
        Group.objects.get_or_create(name=name)
    # The built-in questionnaire as the latest migration writes it (0002's fields are gone).
    import_module("participants.migrations.0011_voice").write_voice_texts(apps, None)
    dpo = import_module("participants.migrations.0003_access_log")
    dpo.create_data_protection_officer_role(apps, None)


@pytest.fixture
def office():
    return factories.OfficeFactory(code="nav-lade", name="NAV Lade")


@pytest.fixture
def other_office():
    return factories.OfficeFactory(code="nav-sentrum", name="NAV Sentrum")


@pytest.fixture
def provider():
    return factories.ProviderFactory(code="skomaker", name="Skomakerverkstedet AS")


@pytest.fixture
def other_provider():
    return factories.ProviderFactory(code="jobbhuset", name="Jobbhuset AS")


@pytest.fixture
def case_worker(office):
    return factories.CaseWorkerFactory(username="case_worker", staff_profile__office=office)


@pytest.fixture
def other_office_case_worker(other_office):
    return factories.CaseWorkerFactory(
        username="other_office_case_worker", staff_profile__office=other_office
    )


@pytest.fixture
def provider_staff(provider):
    return factories.ProviderStaffFactory(username="provider_staff", membership__provider=provider)


@pytest.fixture
def other_provider_staff(other_provider):
    return factories.ProviderStaffFactory(
        username="other_provider_staff", membership__provider=other_provider
    )


@pytest.fixture
def project_lead():
    return factories.UserFactory(username="project_lead", roles=[Role.PROJECT_LEAD])


@pytest.fixture
def administrator():
    """The administrator role through its group; deliberately not a superuser."""
    return factories.UserFactory(username="administrator", roles=[Role.ADMINISTRATOR])


@pytest.fixture
def log_in(client):
    """``log_in(user)`` signs the test client in with the user's password."""

    def log_in(user):
        # The lockout backend (django-axes) needs a request to count failures by.
        assert client.login(request=HttpRequest(), username=user.username,
                            password=factories.PASSWORD)
        if needs_two_factor(user):
            # As if the code from the authenticator app had been typed (tested in
            # tests/participants/test_two_factor.py).
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = factories.totp_device(user).persistent_id
            session.save()
        return client

    return log_in
