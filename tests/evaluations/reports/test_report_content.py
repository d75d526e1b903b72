"""What a report holds: the indicators of the period, suppressed as on the dashboard unless
raw, against the project's targets, by every breakdown that applies and over time."""

import datetime as dt

import pytest
from django.utils import translation

from evaluations import dashboards
from evaluations.indicators import DIMENSIONS, INDICATORS, IndicatorQueryError
from evaluations.indicators.definitions import DIMENSION_LABELS, INDICATORS_BY_CODE
from evaluations.indicators.over_time import suppress_over_time
from evaluations.models import DataRelease, Project
from evaluations.reports import REPORT_FORMATS, ReportSpec, build_report, render_report
from evaluations.reports.content import (
    STATUS_NONE,
    STATUS_SHOWN,
    STATUS_SUPPRESSED,
    SUMMARY,
    trend_periods_of,
)
from evaluations.summary import summary_of

from .conftest import YEAR_2024, expected_status, expected_value


def test_the_report_opens_with_the_dashboards_programme_summary(report_2024, raw_report_2024,
                                                                expected):
    """The same builder as the dashboard's, given the period's unsuppressed result."""
    project = Project.objects.get(code="VVV")
    raw = expected(*YEAR_2024, raw=True)
    assert report_2024.programme_summary == summary_of(raw, project=project)
    assert raw_report_2024.programme_summary == summary_of(raw, project=project, raw=True)
    assert [figure.key for figure in report_2024.programme_summary.figures][:3] == [
        "participants", "new_participants", "completers"]
    assert [target.code for target in report_2024.programme_summary.targets] == [
        "work_rate", "education_rate"]


def test_summary_holds_the_headline_figures_suppressed(report_2024, expected):
    shown = expected(*YEAR_2024)
    assert [value.code for value in report_2024.summary] == list(dashboards.HEADLINE)
    assert SUMMARY == dashboards.HEADLINE
    for value in report_2024.summary:
        cell = shown.total.get(value.code)
        assert value.value == expected_value(cell), value.code
        assert value.status == expected_status(cell), value.code
        assert value.text == dashboards.figure(value.code, cell).text


def test_every_indicator_is_in_the_report_with_its_suppressed_value(report_2024, expected):
    shown = expected(*YEAR_2024)
    values = report_2024.all_values()
    assert {value.code for value in values} == {indicator.code for indicator in INDICATORS}
    for value in values:
        assert value.value == expected_value(shown.total.get(value.code)), value.code
        assert value.label == str(INDICATORS_BY_CODE[value.code].label)
    assert [section.key for section in report_2024.sections][:4] == [
        "participants", "waiting", "follow_up", "after_job"]
    waiting = next(section for section in report_2024.sections if section.key == "waiting")
    assert [value.code for value in waiting.values] == list(dashboards.WAITING)


def test_every_breakdown_is_the_suppressed_computation_by_that_dimension(report_2024,
                                                                         expected):
    assert [table.dimension for table in report_2024.breakdowns] == list(DIMENSIONS)
    statuses = set()
    for table in report_2024.breakdowns:
        shown = {row.group: row for row in expected(*YEAR_2024, table.dimension).rows}
        assert {row.group for row in table.rows} == set(shown), table.dimension
        assert [code for code, _label, _kind in table.columns] == list(
            dashboards.BREAKDOWN_COLUMNS)
        for row in table.rows:
            for value in row.values:
                cell = shown[row.group].values.get(value.code)
                assert value.value == expected_value(cell), (table.dimension, row.group)
                assert value.status == expected_status(cell)
                statuses.add(value.status)
    assert STATUS_SUPPRESSED in statuses  # the example has small groups: some are hidden


def test_groups_have_the_dashboards_names(report_2024):
    provider = next(t for t in report_2024.breakdowns if t.dimension == "provider")
    names = dashboards.group_names("provider", [row.group for row in provider.rows])
    assert [row.name for row in provider.rows] == [names[row.group] for row in provider.rows]
    gender = next(t for t in report_2024.breakdowns if t.dimension == "gender")
    assert {row.name for row in gender.rows} <= {"Female", "Male", "Other"}
    ages = next(t for t in report_2024.breakdowns if t.dimension == "age_band")
    assert [row.group for row in ages.rows] == ["<25", "25-29", "30-34", "35-49", "50+"]


def test_a_project_without_sub_projects_has_no_project_breakdown(example):
    report = build_report(ReportSpec(*YEAR_2024, project_code="VVV-OSL"))
    assert [t.dimension for t in report.breakdowns] == [d for d in DIMENSIONS
                                                        if d != "project"]
    assert report.scope.startswith("VVV-OSL – ") and "sub-projects" not in report.scope


def test_a_hidden_value_is_told_from_a_missing_one(report_2024):
    values = [value for table in report_2024.breakdowns for row in table.rows
              for value in row.values]
    hidden = [value for value in values if value.status == STATUS_SUPPRESSED]
    missing = [value for value in values if value.status == STATUS_NONE]
    assert hidden and all(value.value is None for value in hidden)
    assert {value.text for value in hidden if value.kind == "count"} == {"<5"}
    assert {value.text for value in hidden if value.kind != "count"} == {"–"}
    assert all(value.value is None and value.text == "–" for value in missing)


def test_a_raw_report_hides_nothing(raw_report_2024, expected):
    raw = expected(*YEAR_2024, raw=True)
    for value in raw_report_2024.all_values():
        assert value.value == expected_value(raw.total.get(value.code))
        assert value.status in (STATUS_SHOWN, STATUS_NONE)
    for table in raw_report_2024.breakdowns:
        rows = {row.group: row for row in expected(*YEAR_2024, table.dimension, True).rows}
        for row in table.rows:
            for value in row.values:
                assert value.value == expected_value(rows[row.group].values.get(value.code))
                assert value.status != STATUS_SUPPRESSED
    assert raw_report_2024.raw and "NOT hidden" in raw_report_2024.suppression_note


def test_targets_are_judged_where_the_project_has_them(report_2024):
    by_code = {value.code: value for value in report_2024.summary}
    work, education = by_code["work_rate"], by_code["education_rate"]
    assert work.target == pytest.approx(0.25) and education.target == pytest.approx(0.10)
    assert work.target_met is (work.value >= 0.25)
    assert education.target_met is (education.value >= 0.10)
    assert work.target_status in ("met", "not met") and work.target_text == "25.0 %"
    assert by_code["exits"].target is None and by_code["exits"].target_met is None
    assert by_code["exits"].target_status == ""


def test_all_projects_have_no_targets(example):
    report = build_report(ReportSpec(*YEAR_2024))
    assert report.scope == "All projects" and report.project_code == ""
    assert all(value.target is None for value in report.summary)


def test_the_flow_is_the_dashboards(report_2024, raw_report_2024, expected):
    suppressed = dashboards.flow(expected(*YEAR_2024), expected(*YEAR_2024, raw=True))
    assert [value.text for value in report_2024.flow] == [f.text for f in suppressed]
    assert [value.code for value in report_2024.flow] == list(dashboards.FLOW)
    rate = expected(*YEAR_2024, raw=True).total["work_or_education_rate"]
    reached = round(rate.value * rate.units)
    assert raw_report_2024.flow[-1].value == reached
    assert raw_report_2024.flow[-1].text == str(reached)
    if 1 <= reached <= 4:  # the example's VVV: two reached work or education
        assert report_2024.flow[-1].status == STATUS_SUPPRESSED
        assert report_2024.flow[-1].text == "<5" and report_2024.flow[-1].value is None


def test_the_trend_has_the_quarters_of_the_period(report_2024, expected):
    assert report_2024.trend_kind == "quarter"
    assert [(p.label, p.date_from, p.date_to) for p in report_2024.trend] == [
        ("2024 quarter 1", dt.date(2024, 1, 1), dt.date(2024, 3, 31)),
        ("2024 quarter 2", dt.date(2024, 4, 1), dt.date(2024, 6, 30)),
        ("2024 quarter 3", dt.date(2024, 7, 1), dt.date(2024, 9, 30)),
        ("2024 quarter 4", dt.date(2024, 10, 1), dt.date(2024, 12, 31)),
    ]
    quarters = {(point.date_from, point.date_to):
                expected(point.date_from, point.date_to, raw=True).total
                for point in report_2024.trend}
    shown = suppress_over_time(quarters, [YEAR_2024])
    for point in report_2024.trend:
        assert [value.code for value in point.values] == [
            *dashboards.TREND_RATES, "starts", "exits"]
        for value in point.values:
            assert value.value == expected_value(shown[(point.date_from, point.date_to)]
                                                 .get(value.code))


def test_the_quarters_hidden_in_the_trend_add_up_to_five_or_more(report_2024,
                                                                  raw_report_2024):
    """Else the year's count minus the quarters shown gives them away: in the example two
    quarters have 1 and 2 exits, and a third is hidden with them."""
    for index, value in enumerate(report_2024.trend[0].values):
        if value.kind != "count":
            continue
        hidden = [raw.values[index].value for raw, point in
                  zip(raw_report_2024.trend, report_2024.trend, strict=True)
                  if point.values[index].status == STATUS_SUPPRESSED]
        assert not hidden or sum(hidden) >= 5, (value.code, hidden)
    exits = [point.values[-1] for point in report_2024.trend]
    assert [value.status for value in exits].count(STATUS_SUPPRESSED) == 3


def test_a_raw_report_hides_nothing_in_the_trend(raw_report_2024):
    assert not [value for point in raw_report_2024.trend for value in point.values
                if value.status == STATUS_SUPPRESSED]


def test_a_short_period_is_followed_by_month(example):
    report = build_report(ReportSpec(dt.date(2024, 3, 15), dt.date(2024, 6, 10)))
    assert report.trend_kind == "month"
    assert [(p.label, p.date_from, p.date_to) for p in report.trend] == [
        ("2024-03", dt.date(2024, 3, 15), dt.date(2024, 3, 31)),
        ("2024-04", dt.date(2024, 4, 1), dt.date(2024, 4, 30)),
        ("2024-05", dt.date(2024, 5, 1), dt.date(2024, 5, 31)),
        ("2024-06", dt.date(2024, 6, 1), dt.date(2024, 6, 10)),
    ]


@pytest.mark.parametrize(("start", "end", "kind", "first", "last", "count"), [
    ("2024-01-01", "2024-06-30", "month", ("2024-01-01", "2024-01-31"),
     ("2024-06-01", "2024-06-30"), 6),
    ("2024-08-31", "2025-02-27", "month", ("2024-08-31", "2024-08-31"),
     ("2025-02-01", "2025-02-27"), 7),
    ("2024-01-01", "2024-07-01", "quarter", ("2024-01-01", "2024-03-31"),
     ("2024-07-01", "2024-07-01"), 3),
    ("2024-02-10", "2025-05-20", "quarter", ("2024-02-10", "2024-03-31"),
     ("2025-04-01", "2025-05-20"), 6),
    ("2019-01-01", "2024-12-31", "quarter", ("2019-01-01", "2019-03-31"),
     ("2024-10-01", "2024-12-31"), 24),
    ("2010-03-01", "2024-12-31", "year", ("2010-03-01", "2010-12-31"),
     ("2024-01-01", "2024-12-31"), 15),
], ids=["six months by month", "six months less a day by month", "six months and a day by "
        "quarter", "by quarter, cut to the period", "six years by quarter",
        "longer by year"])
def test_trend_periods_cover_the_period_without_gaps(start, end, kind, first, last, count):
    found_kind, periods = trend_periods_of(dt.date.fromisoformat(start),
                                           dt.date.fromisoformat(end))
    as_text = [(p.date_from.isoformat(), p.date_to.isoformat()) for p in periods]
    assert found_kind == kind and len(periods) == count
    assert as_text[0] == first and as_text[-1] == last
    for previous, following in zip(periods, periods[1:], strict=False):
        assert following.date_from - previous.date_to == dt.timedelta(days=1)


def test_definitions_cover_every_figure_in_the_report(report_2024):
    defined = {code for code, _label, _text in report_2024.definitions}
    shown = {value.code for value in report_2024.all_values()}
    shown |= {code for table in report_2024.breakdowns for code, _l, _k in table.columns}
    assert shown <= defined
    assert all(text for _code, _label, text in report_2024.definitions)
    assert [title for title, _text in report_2024.concepts][0] == "The period"


def test_the_report_says_what_and_when(report_2024):
    assert report_2024.title == "Evaluation report"
    assert report_2024.scope == "VVV – Vilje viser vei, with its sub-projects"
    assert report_2024.period == "2024-01-01 to 2024-12-31"
    assert report_2024.period_key() == "2024-01-01/2024-12-31"
    assert report_2024.produced_by and report_2024.computed_at is not None
    assert not report_2024.raw and "Small numbers are hidden" in report_2024.suppression_note


def test_a_report_speaks_the_active_language(example):
    with translation.override("nb"):
        report = build_report(ReportSpec(*YEAR_2024, project_code="VVV"))
        norwegian = str(INDICATORS_BY_CODE["exits"].label)
        provider = str(DIMENSION_LABELS["provider"])
    assert norwegian != "Exits" and report.title == "Evalueringsrapport"
    assert {value.label for value in report.summary if value.code == "exits"} == {norwegian}
    assert provider in {table.label for table in report.breakdowns}


@pytest.mark.parametrize(("spec", "message"), [
    (ReportSpec(*YEAR_2024, project_code="NOPE"), "Unknown project"),
    (ReportSpec(dt.date(2024, 12, 31), dt.date(2024, 1, 1)), "starts"),
], ids=["unknown project", "period backwards"])
def test_a_bad_spec_is_refused_before_anything_is_computed(example, spec, message):
    steps = []
    with pytest.raises(IndicatorQueryError, match=message):
        build_report(spec, progress=lambda *step: steps.append(step))
    assert not steps


def test_progress_is_reported_step_by_step(example):
    steps = []
    build_report(ReportSpec(*YEAR_2024), progress=lambda done, total, text:
                 steps.append((done, total, text)))
    total = 1 + len(DIMENSIONS) + 4
    assert [done for done, _total, _text in steps] == list(range(1, total + 1))
    assert {t for _done, t, _text in steps} == {total}
    assert all(text for _done, _total, text in steps)


def test_building_and_writing_a_raw_report_records_nothing(raw_report_2024, example,
                                                           tmp_path):
    """Only the callers (the command, the web request) record a release."""
    for file_format in REPORT_FORMATS:
        render_report(raw_report_2024, file_format, tmp_path / f"raw.{file_format}")
    assert not DataRelease.objects.exists()


def test_who_asked_is_carried_when_given(example):
    report = build_report(ReportSpec(*YEAR_2024, project_code="VVV-OSL"),
                          requested_by="Ada Lead")
    assert report.requested_by == "Ada Lead"
