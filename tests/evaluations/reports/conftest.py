"""The example bundle's reports, built once per test module (building one computes the
indicators a dozen times), and helpers that compare them with compute()."""

import datetime as dt
from functools import cache

import pytest
from django.conf import settings
from django.utils import translation

from evaluations.indicators import IndicatorQuery, compute, suppress
from evaluations.reports import ReportSpec, build_report
from evaluations.reports.content import STATUS_NONE, STATUS_SHOWN, STATUS_SUPPRESSED

YEAR_2024 = (dt.date(2024, 1, 1), dt.date(2024, 12, 31))


def built(spec: ReportSpec, django_db_blocker, language: str = settings.LANGUAGE_CODE):
    with django_db_blocker.unblock(), translation.override(language):
        return build_report(spec)


@pytest.fixture(scope="module")
def report_2024(example_imported, django_db_blocker):
    """The suppressed report of 2024 for VVV and its sub-projects (targets: 25 % in work,
    10 % in education)."""
    return built(ReportSpec(*YEAR_2024, project_code="VVV"), django_db_blocker)


@pytest.fixture(scope="module")
def raw_report_2024(example_imported, django_db_blocker):
    return built(ReportSpec(*YEAR_2024, project_code="VVV", raw=True), django_db_blocker)


@pytest.fixture
def expected(example):
    """expected(date_from, date_to, by=None, raw=False): what compute() gives, suppressed
    unless raw, computed once per test."""

    @cache
    def result(date_from, date_to, by=None, raw=False, project_code="VVV"):
        computed = compute(IndicatorQuery(date_from, date_to, project_code, by))
        return computed if raw else suppress(computed)

    return result


def expected_value(cell):
    """The number a report writes for a computed cell: None when hidden or empty."""
    if cell is None or cell.value is None or cell.suppressed:
        return None
    return cell.value


def expected_status(cell):
    if cell is not None and cell.suppressed:
        return STATUS_SUPPRESSED
    if cell is None or cell.value is None:
        return STATUS_NONE
    return STATUS_SHOWN
