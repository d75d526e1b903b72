"""What a report holds: the indicators of the period, suppressed as on the dashboard unless
raw, against the project's targets, by every breakdown and over time."""

import datetime as dt

import pytest
from django.utils import translation

from evaluations.indicators import (
    DIMENSIONS,
    IndicatorQuery,
    IndicatorQueryError,
    compute,
    suppress,
)
from evaluations.indicators.definitions import INDICATORS_BY_CODE
from evaluations.reports import ReportSpec, build_report
from evaluations.reports.content import (
    STATUS_NONE,
    STATUS_SHOWN,
    STATUS_SUPPRESSED,
    SUMMARY,
    trend_periods_of,
)

from .conftest import YEAR_2024


def expected_value(cell):
    if cell is None or cell.value is None or cell.suppressed:
        return None
    return cell.value


def test_summary_figures_are_the_suppressed_indicators_of_the_period(report_2024):
    shown = suppress(compute(IndicatorQuery(*YEAR_2024, project_code="VVV")))
    assert [value.code for value in report_2024.summary] == list(SUMMARY)
    for value in report_2024.summary:
        assert value.value == expected_value(shown.total.get(value.code)), value.code


def test_every_breakdown_is_in_the_report_suppressed(report_2024):
    assert [table.dimension for table in report_2024.breakdowns] == list(DIMENSIONS)
    provider = next(t for t in report_2024.breakdowns if t.dimension == "provider")
    shown = suppress(compute(IndicatorQuery(*YEAR_2024, project_code="VVV", by="provider")))
    assert [group for group, _name, _values in provider.rows] == [r.group for r in shown.rows]
    statuses = set()
    for (group, _name, values), row in zip(provider.rows, shown.rows, strict=True):
        assert group == row.group
        for value in values:
            assert value.value == expected_value(row.values.get(value.code))
            statuses.add(value.status)
    assert STATUS_SUPPRESSED in statuses  # the example has small groups: some are hidden


def test_a_hidden_value_shows_as_the_dashboard_shows_it(report_2024):
    hidden = [value for table in report_2024.breakdowns for _g, _n, values in table.rows
              for value in values if value.status == STATUS_SUPPRESSED]
    assert hidden and all(value.value is None for value in hidden)
    assert {value.text for value in hidden if value.kind == "count"} == {"<5"}
    assert {value.text for value in hidden if value.kind != "count"} <= {"–"}


def test_a_raw_report_hides_nothing(example):
    report = build_report(ReportSpec(*YEAR_2024, project_code="VVV", raw=True))
    raw = compute(IndicatorQuery(*YEAR_2024, project_code="VVV", by="provider"))
    provider = next(t for t in report.breakdowns if t.dimension == "provider")
    for (_group, _name, values), row in zip(provider.rows, raw.rows, strict=True):
        for value in values:
            cell = row.values.get(value.code)
            assert value.value == (None if cell is None else cell.value)
            assert value.status in (STATUS_SHOWN, STATUS_NONE)
    assert "NOT hidden" in report.suppression_note


def test_targets_are_judged_where_the_project_has_them(report_2024):
    by_code = {value.code: value for value in report_2024.summary}
    work, education = by_code["work_rate"], by_code["education_rate"]
    assert work.target == pytest.approx(0.25) and education.target == pytest.approx(0.10)
    assert work.target_met == (work.value >= 0.25)
    assert education.target_met == (education.value >= 0.10)
    assert by_code["referrals"].target is None and by_code["referrals"].target_met is None


def test_the_flow_counts_those_who_reached_work_or_education(example):
    report = build_report(ReportSpec(*YEAR_2024, project_code="VVV", raw=True))
    rate = compute(IndicatorQuery(*YEAR_2024, project_code="VVV")).total[
        "work_or_education_rate"]
    assert [value.code for value in report.flow] == ["referrals", "starts", "exits",
                                                     "work_or_education_rate"]
    assert report.flow[-1].value == round(rate.value * rate.units)


def test_the_trend_has_the_quarters_of_the_period(report_2024):
    assert report_2024.trend_kind == "quarter"
    assert [(p.label, p.date_from, p.date_to) for p in report_2024.trend] == [
        ("2024 Q1", dt.date(2024, 1, 1), dt.date(2024, 3, 31)),
        ("2024 Q2", dt.date(2024, 4, 1), dt.date(2024, 6, 30)),
        ("2024 Q3", dt.date(2024, 7, 1), dt.date(2024, 9, 30)),
        ("2024 Q4", dt.date(2024, 10, 1), dt.date(2024, 12, 31)),
    ]
    second = suppress(compute(IndicatorQuery(dt.date(2024, 4, 1), dt.date(2024, 6, 30),
                                             project_code="VVV")))
    for value in report_2024.trend[1].values:
        assert value.value == expected_value(second.total.get(value.code))


@pytest.mark.parametrize(("start", "end", "kind", "first", "last"), [
    ("2024-02-10", "2024-05-20", "month", ("2024-02", "2024-02-10", "2024-02-29"),
     ("2024-05", "2024-05-01", "2024-05-20")),
    ("2024-02-10", "2025-05-20", "quarter", ("2024 Q1", "2024-02-10", "2024-03-31"),
     ("2025 Q2", "2025-04-01", "2025-05-20")),
    ("2010-01-01", "2024-12-31", "year", ("2010", "2010-01-01", "2010-12-31"),
     ("2024", "2024-01-01", "2024-12-31")),
], ids=["short period by month", "by quarter, cut to the period", "long period by year"])
def test_trend_periods_cover_the_period(start, end, kind, first, last):
    found_kind, periods = trend_periods_of(dt.date.fromisoformat(start),
                                           dt.date.fromisoformat(end))
    as_text = [(label, a.isoformat(), b.isoformat()) for label, a, b in periods]
    assert found_kind == kind
    assert as_text[0] == first and as_text[-1] == last
    for (_l, _a, previous_end), (_l2, next_start, _b) in zip(periods, periods[1:],
                                                             strict=False):
        assert next_start - previous_end == dt.timedelta(days=1)


def test_definitions_cover_every_figure_in_the_report(report_2024):
    defined = {code for code, _label, _text in report_2024.definitions}
    shown = {value.code for value in report_2024.summary}
    shown |= {code for table in report_2024.breakdowns for code, _l, _k in table.columns}
    assert shown <= defined
    assert all(text for _code, _label, text in report_2024.definitions)


def test_a_report_speaks_the_active_language(example):
    with translation.override("nb"):
        report = build_report(ReportSpec(*YEAR_2024, project_code="VVV"))
        norwegian = str(INDICATORS_BY_CODE["referrals"].label)
    assert norwegian != "Referrals"
    assert {value.label for value in report.summary if value.code == "referrals"} == {
        norwegian}


def test_an_unknown_project_is_refused(example):
    with pytest.raises(IndicatorQueryError):
        build_report(ReportSpec(*YEAR_2024, project_code="NOPE"))


def test_progress_is_reported_step_by_step(example):
    steps = []
    build_report(ReportSpec(*YEAR_2024), progress=lambda done, total, text:
                 steps.append((done, total, text)))
    total = 1 + len(DIMENSIONS) + 4
    assert [done for done, _total, _text in steps] == list(range(1, total + 1))
    assert {t for _done, t, _text in steps} == {total}
    assert all(text for _done, _total, text in steps)
