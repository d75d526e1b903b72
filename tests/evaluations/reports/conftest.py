import datetime as dt

import pytest

from evaluations.reports import ReportSpec, build_report

YEAR_2024 = (dt.date(2024, 1, 1), dt.date(2024, 12, 31))


@pytest.fixture
def report_2024(example):
    """The suppressed report of 2024 for VVV (targets 25 % work, 10 % education)."""
    return build_report(ReportSpec(*YEAR_2024, project_code="VVV"))
