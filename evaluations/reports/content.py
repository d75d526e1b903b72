"""What an evaluation report holds, computed for any period (not only the stored ones):
the headline figures against the targets, the flow, the sections of the dashboard, every
breakdown, the trend and the definitions. Every value is suppressed as on the dashboard
unless the report is raw.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from evaluations import dashboards
from evaluations.definition_texts import CONCEPTS, DEFINITIONS
from evaluations.indicators import (
    DIMENSIONS,
    IndicatorQuery,
    IndicatorResult,
    compute,
    suppress,
)
from evaluations.indicators.definitions import DIMENSION_LABELS, INDICATORS_BY_CODE, Kind
from evaluations.indicators.result import SUPPRESSED_COUNT, Cell, is_small
from evaluations.models import Project

SUMMARY = ("participants", "new_participants", "referrals", "starts", "exits",
           "completed_rate", "dropout_rate", "work_rate", "education_rate",
           "work_or_education_rate", "active", "waiting", "wait_days_median")
SECTIONS = (
    ("waiting", dashboards.WAITING),
    ("follow_up", dashboards.FOLLOW_UP),
    ("after_job", dashboards.AFTER_JOB),
)
SECTION_TITLES = {
    "waiting": lambda: _("Waiting"),
    "follow_up": lambda: _("Continuity and follow-up"),
    "after_job": lambda: _("After a job starts"),
}
TREND_CODES = (*dashboards.TREND_RATES, "starts", "exits")
BREAKDOWN_COLUMNS = dashboards.BREAKDOWN_COLUMNS
# Longer periods are shown by year, so a trend never has more points than a page holds.
MAX_QUARTERS = 24
MONTHS_UP_TO_DAYS = 184

STATUS_SHOWN = ""
STATUS_SUPPRESSED = "suppressed"
STATUS_NONE = "none"

ProgressCallback = Callable[[int, int, str], None]


@dataclass(frozen=True)
class ReportSpec:
    date_from: dt.date
    date_to: dt.date
    project_code: str | None = None
    raw: bool = False


@dataclass(frozen=True)
class Value:
    """One figure of the report. ``value`` is the number to write (a fraction for rates),
    None when hidden or empty; ``text`` is how the dashboard would show it."""

    code: str
    label: str
    kind: str
    value: int | float | None
    text: str
    status: str
    target: float | None = None
    target_met: bool | None = None

    @property
    def target_text(self) -> str:
        if self.target is None:
            return ""
        return _("%(value)s %%") % {"value": number_format(round(self.target * 100, 1),
                                                            decimal_pos=1, use_l10n=True)}


@dataclass
class Breakdown:
    dimension: str
    label: str
    columns: list[tuple[str, str, str]]  # code, label, kind
    rows: list[tuple[str, str, list[Value]]] = field(default_factory=list)  # group, name


@dataclass
class TrendPoint:
    label: str
    date_from: dt.date
    date_to: dt.date
    values: list[Value]


@dataclass
class Report:
    spec: ReportSpec
    title: str
    scope: str
    project: Project | None
    period: str
    computed_at: dt.datetime
    summary: list[Value]
    flow: list[Value]
    sections: list[tuple[str, str, list[Value]]]  # key, title, values
    breakdowns: list[Breakdown]
    trend_kind: str
    trend: list[TrendPoint]
    definitions: list[tuple[str, str, str]]  # code, label, text
    concepts: list[tuple[str, str]]
    suppression_note: str

    @property
    def raw(self) -> bool:
        return self.spec.raw

    def period_key(self) -> str:
        return f"{self.spec.date_from.isoformat()}/{self.spec.date_to.isoformat()}"


def build_report(spec: ReportSpec, *, progress: ProgressCallback | None = None) -> Report:
    """Compute everything the report shows; IndicatorQueryError for a bad period or an
    unknown project."""
    query = IndicatorQuery(date_from=spec.date_from, date_to=spec.date_to,
                           project_code=spec.project_code)
    project = Project.objects.filter(code=spec.project_code).first() if spec.project_code \
        else None
    trend_kind, trend_periods = trend_periods_of(spec.date_from, spec.date_to)
    total_steps = 1 + len(DIMENSIONS) + len(trend_periods)
    done = 0

    def step(text: str) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total_steps, text)

    raw_total = compute(query)
    shown_total = _shown(raw_total, spec.raw)
    step(_("Headline figures"))

    breakdowns = []
    for dimension in DIMENSIONS:
        by_raw = compute(IndicatorQuery(date_from=spec.date_from, date_to=spec.date_to,
                                        project_code=spec.project_code, by=dimension))
        breakdowns.append(_breakdown(_shown(by_raw, spec.raw), dimension))
        step(_("Breakdown by %(dimension)s") % {"dimension": DIMENSION_LABELS[dimension]})

    trend = []
    for label, start, end in trend_periods:
        point = _shown(compute(IndicatorQuery(date_from=start, date_to=end,
                                              project_code=spec.project_code)), spec.raw)
        trend.append(TrendPoint(label, start, end,
                                [value_of(code, point.total.get(code)) for code in TREND_CODES]))
        step(_("Trend: %(period)s") % {"period": label})

    used = [*SUMMARY, *(code for _key, codes in SECTIONS for code in codes),
            *BREAKDOWN_COLUMNS, *TREND_CODES]
    return Report(
        spec=spec,
        title=_("Evaluation report"),
        scope=scope_label(project),
        project=project,
        period=_("%(start)s to %(end)s") % {
            "start": date_format(spec.date_from, "SHORT_DATE_FORMAT"),
            "end": date_format(spec.date_to, "SHORT_DATE_FORMAT")},
        computed_at=timezone.now(),
        summary=[value_of(code, shown_total.total.get(code), project) for code in SUMMARY],
        flow=_flow(shown_total, raw_total, spec.raw),
        sections=[(key, SECTION_TITLES[key](),
                   [value_of(code, shown_total.total.get(code)) for code in codes])
                  for key, codes in SECTIONS],
        breakdowns=breakdowns,
        trend_kind=trend_kind,
        trend=trend,
        definitions=[(code, str(INDICATORS_BY_CODE[code].label), str(DEFINITIONS[code]))
                     for code in dict.fromkeys(used)],
        concepts=[(str(title), str(text)) for _key, title, text in CONCEPTS],
        suppression_note=suppression_note(spec.raw),
    )


def scope_label(project: Project | None) -> str:
    if project is None:
        return _("All projects")
    return _("%(code)s – %(name)s, with its sub-projects") % {"code": project.code,
                                                               "name": project.name}


def suppression_note(raw: bool) -> str:
    if raw:
        return _("Raw values: small numbers are NOT hidden in this report. It may identify "
                 "people; its release was recorded with the name of the person who asked.")
    return _("Small numbers are hidden: a count from 1 to 4, and any figure that rests on 1 to "
             "4 people, is shown as <5 or –, and where needed one more figure is hidden so "
             "that a hidden one cannot be worked out from the others.")


def _shown(result: IndicatorResult, raw: bool) -> IndicatorResult:
    return result if raw else suppress(result)


def value_of(code: str, cell: Cell | None, project: Project | None = None) -> Value:
    indicator = INDICATORS_BY_CODE[code]
    if cell is not None and cell.suppressed:
        status, value = STATUS_SUPPRESSED, None
    elif cell is None or cell.value is None:
        status, value = STATUS_NONE, None
    else:
        status, value = STATUS_SHOWN, cell.value
    target, met = None, None
    if project is not None and code in dashboards.TARGETS:
        stored = getattr(project, dashboards.TARGETS[code])
        if stored is not None:
            target = float(stored)
            met = None if value is None else value >= target - 1e-12
    return Value(code=code, label=str(indicator.label), kind=indicator.kind, value=value,
                 text=dashboards.figure(code, cell).text, status=status, target=target,
                 target_met=met)


def _flow(shown: IndicatorResult, raw: IndicatorResult, is_raw: bool) -> list[Value]:
    """Referral → start → exit → in work or education, as counts (the dashboard's flow)."""
    steps = [value_of(code, shown.total.get(code)) for code in ("referrals", "starts", "exits")]
    rate = raw.total.get("work_or_education_rate")
    count = 0 if rate is None or rate.value is None else round(rate.value * rate.units)
    shown_rate = shown.total.get("work_or_education_rate")
    hidden = not is_raw and (shown_rate is None or shown_rate.suppressed or is_small(count))
    steps.append(Value(
        code="work_or_education_rate", label=_("In work or education"), kind=Kind.COUNT,
        value=None if hidden and count else count,
        text=SUPPRESSED_COUNT if hidden and count else dashboards.figure(
            "exits", Cell(count, count)).text,
        status=STATUS_SUPPRESSED if hidden and count else STATUS_SHOWN,
    ))
    return steps


def _breakdown(result: IndicatorResult, dimension: str) -> Breakdown:
    names = dashboards.group_names(dimension, [row.group for row in result.rows])
    table = Breakdown(
        dimension=dimension, label=str(DIMENSION_LABELS[dimension]),
        columns=[(code, str(INDICATORS_BY_CODE[code].label), INDICATORS_BY_CODE[code].kind)
                 for code in BREAKDOWN_COLUMNS],
    )
    for row in result.rows:
        table.rows.append((row.group, names.get(row.group, row.group),
                           [value_of(code, row.values.get(code)) for code in BREAKDOWN_COLUMNS]))
    return table


def trend_periods_of(start: dt.date, end: dt.date) -> tuple[str, list[tuple[str, dt.date,
                                                                           dt.date]]]:
    """The months (short periods), quarters, or years (long ones) that overlap the period,
    the first and last cut to it."""
    if (end - start).days < MONTHS_UP_TO_DAYS:
        kind, months = "month", 1
    elif _quarters_between(start, end) > MAX_QUARTERS:
        kind, months = "year", 12
    else:
        kind, months = "quarter", 3
    periods = []
    first_month = (start.month - 1) // months * months + 1
    cursor = dt.date(start.year, first_month, 1)
    while cursor <= end:
        following = _add_months(cursor, months)
        last = following - dt.timedelta(days=1)
        periods.append((_trend_label(kind, cursor), max(cursor, start), min(last, end)))
        cursor = following
    return kind, periods


def _quarters_between(start: dt.date, end: dt.date) -> int:
    return (end.year - start.year) * 4 + (end.month - 1) // 3 - (start.month - 1) // 3 + 1


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    return dt.date(day.year + month // 12, month % 12 + 1, 1)


def _trend_label(kind: str, first_day: dt.date) -> str:
    if kind == "month":
        return first_day.strftime("%Y-%m")
    if kind == "quarter":
        return f"{first_day.year} Q{(first_day.month - 1) // 3 + 1}"
    return str(first_day.year)
