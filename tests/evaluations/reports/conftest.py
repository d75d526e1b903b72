import datetime as dt
from pathlib import Path

import pytest
from django.db import transaction

from evaluations.exchange.importer import import_bundle
from evaluations.reports import ReportSpec, build_report

DATA = Path(__file__).resolve().parents[2] / "data"
YEAR_2024 = (dt.date(2024, 1, 1), dt.date(2024, 12, 31))


@pytest.fixture(scope="module")
def example_imported(django_db_setup, django_db_blocker):
    """The example bundle imported once for the module, rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        try:
            import_bundle(DATA / "bundle")
            yield
        finally:
            transaction.set_rollback(True)


@pytest.fixture
def example(example_imported, db):
    """Each test runs in a savepoint inside the module's import."""


@pytest.fixture
def report_2024(example):
    """The suppressed report of 2024 for VVV (targets 25 % work, 10 % education)."""
    return build_report(ReportSpec(*YEAR_2024, project_code="VVV"))
