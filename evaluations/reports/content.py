"""What an evaluation report holds, computed for any period (not only the stored ones):
the programme summary first (``evaluations.summary``, as the dashboard opens with it), the
headline figures against the targets, the flow, every other indicator grouped as on
the dashboard, every breakdown that applies, the trend and the definitions.

Every value is suppressed as on the dashboard (``evaluations.indicators.suppress``) unless
the report is raw. The labels, sections, targets and group names are the dashboard's
(``evaluations.dashboards``), so a report and the dashboard never disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evaluations import dashboards
from evaluations.definition_texts import CONCEPTS, DEFINITIONS
from evaluations.indicators import (
    DIMENSIONS,
    IndicatorQuery,
    IndicatorResult,
    compute,
    project_by_code,
    suppress,
)
from evaluations.indicators.definitions import AGE_BANDS, DIMENSION_LABELS, INDICATORS_BY_CODE, Kind
from evaluations.indicators.over_time import suppress_over_time
from evaluations.indicators.result import Cell
from evaluations.models import PeriodKind, Project
from evaluations.summary import ProgrammeSummary, summary_of

# The headline figures are the dashboard's; they are the ones with targets.
SUMMARY = dashboards.HEADLINE
# Every other indicator, in the dashboard's sections where it has them. A test checks
# that each indicator of INDICATORS.md is in the report once at least.
SECTIONS = (
    ("participants", gettext_lazy("Participants and measures"),
     ("participants", "new_participants", "referrals", "starts", "measures_per_exit")),
    ("waiting", gettext_lazy("Waiting"), dashboards.WAITING),
    ("follow_up", gettext_lazy("Continuity and follow-up"), dashboards.FOLLOW_UP),
    ("after_job", gettext_lazy("After a job starts"), dashboards.AFTER_JOB),
    ("after_exit", gettext_lazy("Outcomes after exit"),
     ("completed_rate", "completers", "completers_work_or_education_rate", "onward_rate",
      "days_to_work_median", "q2_cohort", "employed_q2_rate", "q4_cohort",
      "employed_q4_rate")),
    ("voice", gettext_lazy("The participant's own view"),
     ("voice_pairs", "voice_change_mean", "voice_improved_rate")),
)
TREND_CODES = (*dashboards.TREND_RATES, "starts", "exits")
BREAKDOWN_COLUMNS = dashboards.BREAKDOWN_COLUMNS
# A period of up to six calendar months is followed by month, a longer one by quarter.
# Beyond this many quarters (six years) by year, so that a very long period does not
# cost hundreds of computations and the trend still fits a page.
TREND_MONTHS_UP_TO = 6
MAX_QUARTERS = 24

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
    None when hidden or empty, and ``status`` tells which; ``text`` is how the dashboard
    shows it ("<5" or "–" when hidden)."""

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
        return "" if self.target is None else dashboards._percent(self.target)

    @property
    def target_status(self) -> str:
        """met, not met, or cannot be judged (a hidden or empty value); "" without target."""
        if self.target is None:
            return ""
        if self.target_met is None:
            return _("cannot be judged")
        return _("met") if self.target_met else _("not met")


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    values: list[Value]


class GroupRow(NamedTuple):
    group: str  # the code as computed (provider code, gender code, age band…)
    name: str  # the readable name, in the active language
    values: list[Value]


@dataclass
class Breakdown:
    dimension: str
    label: str
    columns: list[tuple[str, str, str]]  # code, label, kind
    rows: list[GroupRow] = field(default_factory=list)

    def column(self, code: str) -> list[Value]:
        index = [column for column, _label, _kind in self.columns].index(code)
        return [row.values[index] for row in self.rows]


@dataclass(frozen=True)
class TrendPoint:
    label: str
    date_from: dt.date
    date_to: dt.date
    values: list[Value]


@dataclass
class Report:
    spec: ReportSpec
    title: str
    scope: str  # the project (with its sub-projects) or all projects
    period: str  # the period as people read it, in the active language
    computed_at: dt.datetime
    produced_by: str  # the system that computed it
    requested_by: str  # who asked, when the caller says so
    programme_summary: ProgrammeSummary  # what every format opens with
    summary: list[Value]  # the headline figures
    flow: list[Value]
    sections: list[Section]
    breakdowns: list[Breakdown]
    trend_kind: str  # month, quarter or year
    trend: list[TrendPoint]
    definitions: list[tuple[str, str, str]]  # code, label, text
    concepts: list[tuple[str, str]]  # title, text
    suppression_note: str
    legend: str  # what "<5" and "–" stand for

    @property
    def raw(self) -> bool:
        return self.spec.raw

    @property
    def project_code(self) -> str:
        return self.spec.project_code or ""

    def period_key(self) -> str:
        return period_key(self.spec.date_from, self.spec.date_to)

    def all_values(self) -> list[Value]:
        """The whole period's figures, each indicator once (summary first)."""
        seen: dict[str, Value] = {}
        for value in [*self.summary, *(v for section in self.sections for v in section.values)]:
            seen.setdefault(value.code, value)
        return list(seen.values())


def period_key(date_from: dt.date, date_to: dt.date) -> str:
    return f"{date_from.isoformat()}/{date_to.isoformat()}"


def check_spec(spec: ReportSpec) -> Project | None:
    """The project of the report (None for all projects); IndicatorQueryError for a bad
    period or an unknown project, before anything is computed or recorded."""
    IndicatorQuery(date_from=spec.date_from, date_to=spec.date_to,
                   project_code=spec.project_code)
    return project_by_code(spec.project_code)


def build_report(spec: ReportSpec, *, progress: ProgressCallback | None = None,
                 requested_by: str = "") -> Report:
    """Compute everything the report shows. IndicatorQueryError for a bad period or an
    unknown project. ``progress(done, total, step)`` is called after each computation;
    ``requested_by`` is printed on the title page when given."""
    project = check_spec(spec)
    computed_at = timezone.now()
    dimensions = dimensions_for(project)
    trend_kind, periods = trend_periods_of(spec.date_from, spec.date_to)
    total_steps = 1 + len(dimensions) + len(periods)
    done = 0

    def step(text: str) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total_steps, text)

    def query(date_from: dt.date, date_to: dt.date, by: str | None = None) -> IndicatorQuery:
        return IndicatorQuery(date_from=date_from, date_to=date_to,
                              project_code=spec.project_code, by=by)

    raw_total = compute(query(spec.date_from, spec.date_to))
    total = _shown(raw_total, spec.raw)
    step(_("Headline figures"))

    breakdowns = []
    for dimension in dimensions:
        by = _shown(compute(query(spec.date_from, spec.date_to, dimension)), spec.raw)
        breakdowns.append(_breakdown(by, dimension))
        step(_("Breakdown by %(dimension)s") % {"dimension": DIMENSION_LABELS[dimension]})

    points = {}
    for period in periods:
        points[(period.date_from, period.date_to)] = compute(
            query(period.date_from, period.date_to)).total
        step(_("Trend: %(period)s") % {"period": period.short_label})
    if not spec.raw:
        points = suppress_over_time(points, wholes_of(spec.date_from, spec.date_to))
    trend = [TrendPoint(label=period.short_label, date_from=period.date_from,
                        date_to=period.date_to,
                        values=[value_of(code, points[(period.date_from, period.date_to)]
                                         .get(code)) for code in TREND_CODES])
             for period in periods]

    sections = [Section(key, str(title), [value_of(code, total.total.get(code))
                                          for code in codes])
                for key, title, codes in SECTIONS]
    used = [*SUMMARY, *(code for _key, _title, codes in SECTIONS for code in codes),
            *BREAKDOWN_COLUMNS, *TREND_CODES]
    return Report(
        spec=spec,
        title=_("Evaluation report"),
        scope=scope_label(project),
        period=_("%(start)s to %(end)s") % {
            "start": date_format(spec.date_from, "SHORT_DATE_FORMAT"),
            "end": date_format(spec.date_to, "SHORT_DATE_FORMAT")},
        computed_at=computed_at,
        produced_by=_("Vocational rehabilitation"),
        requested_by=requested_by,
        programme_summary=summary_of(raw_total, project=project, raw=spec.raw),
        summary=[value_of(code, total.total.get(code), project) for code in SUMMARY],
        flow=_flow(total, raw_total, raw=spec.raw),
        sections=sections,
        breakdowns=breakdowns,
        trend_kind=trend_kind,
        trend=trend,
        definitions=[(code, str(INDICATORS_BY_CODE[code].label), str(DEFINITIONS[code]))
                     for code in dict.fromkeys(used)],
        concepts=[(str(title), str(text)) for _key, title, text in CONCEPTS],
        suppression_note=suppression_note(spec.raw),
        legend=_("“<5” marks a hidden count: one from 1 to 4, or one hidden with it so that "
                 "it cannot be worked out. “–” marks a figure that is not shown: it rests on "
                 "fewer than five people, or there is nothing to count."),
    )


def dimensions_for(project: Project | None) -> tuple[str, ...]:
    """The breakdowns that apply: by project only when the scope holds more than one."""
    if project is not None and not Project.objects.filter(parent=project).exists():
        return tuple(dimension for dimension in DIMENSIONS if dimension != "project")
    return DIMENSIONS


def scope_label(project: Project | None) -> str:
    if project is None:
        return _("All projects")
    if Project.objects.filter(parent=project).exists():
        return _("%(code)s – %(name)s, with its sub-projects") % {"code": project.code,
                                                                   "name": project.name}
    return f"{project.code} – {project.name}"


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
    """One figure as the dashboard shows it, with the number behind it (None if hidden)."""
    shown = dashboards.figure(code, cell, project)
    if cell is not None and cell.suppressed:
        status, value = STATUS_SUPPRESSED, None
    elif cell is None or cell.value is None:
        status, value = STATUS_NONE, None
    else:
        status, value = STATUS_SHOWN, cell.value
    target = None
    if project is not None and code in dashboards.TARGETS:
        stored = getattr(project, dashboards.TARGETS[code])
        target = None if stored is None else float(stored)
    return Value(code=code, label=shown.label, kind=INDICATORS_BY_CODE[code].kind,
                 value=value, text=shown.text, status=status, target=target,
                 target_met=shown.target_met if target is not None else None)


def _flow(shown: IndicatorResult, raw_result: IndicatorResult, *, raw: bool) -> list[Value]:
    """Referral → start → exit → in work or education, as counts: the dashboard's flow.
    The last step is the rate's numerator, worked out from the unsuppressed result."""
    steps = [value_of(code, shown.total.get(code)) for code in dashboards.FLOW[:-1]]
    rate = raw_result.total.get("work_or_education_rate")
    count = 0 if rate is None or rate.value is None else round(rate.value * rate.units)
    if raw:
        # dashboards.flow hides a count of 1 to 4 even from raw figures; a raw report shows it.
        label, text, hidden = _("In work or education"), dashboards._count(count), False
    else:
        last = dashboards.flow(shown, raw_result)[-1]
        label, text, hidden = last.label, last.text, last.suppressed
    steps.append(Value(
        code=dashboards.FLOW[-1], label=label, kind=Kind.COUNT,
        value=None if hidden else count, text=text,
        status=STATUS_SUPPRESSED if hidden else STATUS_SHOWN,
    ))
    return steps


def _breakdown(result: IndicatorResult, dimension: str) -> Breakdown:
    names = dashboards.group_names(dimension, [row.group for row in result.rows])
    table = Breakdown(
        dimension=dimension, label=str(DIMENSION_LABELS[dimension]),
        columns=[(code, str(INDICATORS_BY_CODE[code].label), INDICATORS_BY_CODE[code].kind)
                 for code in BREAKDOWN_COLUMNS],
    )
    rows = result.rows
    if dimension == "age_band":  # youngest first, not in the order of the text
        rows = sorted(rows, key=lambda row: AGE_BANDS.index(row.group)
                      if row.group in AGE_BANDS else len(AGE_BANDS))
    for row in rows:
        table.rows.append(GroupRow(row.group, names.get(row.group, row.group),
                                   [value_of(code, row.values.get(code))
                                    for code in BREAKDOWN_COLUMNS]))
    return table


def trend_periods_of(start: dt.date, end: dt.date) -> tuple[str, list[dashboards.Period]]:
    """The months (up to six months), quarters, or years (beyond 24 quarters) that overlap
    the period, the first and last cut to it."""
    if end < _add_months(start, TREND_MONTHS_UP_TO):
        kind, months = PeriodKind.MONTH, 1
    elif _quarters_between(start, end) > MAX_QUARTERS:
        kind, months = PeriodKind.YEAR, 12
    else:
        kind, months = PeriodKind.QUARTER, 3
    periods = []
    cursor = dt.date(start.year, (start.month - 1) // months * months + 1, 1)
    while cursor <= end:
        following = _add_months(cursor, months)
        periods.append(dashboards.Period(str(kind), max(cursor, start),
                                         min(following - dt.timedelta(days=1), end)))
        cursor = following
    return str(kind), periods


def wholes_of(start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The periods a report's trend could be summed up to: the report's own, and every
    calendar quarter and year it touches (the dashboard shows those, and a trend of months
    or quarters inside one makes it up)."""
    wholes = [(start, end)]
    for year in range(start.year, end.year + 1):
        wholes.append((dt.date(year, 1, 1), dt.date(year, 12, 31)))
        for first_month in (1, 4, 7, 10):
            first = dt.date(year, first_month, 1)
            wholes.append((first, _add_months(first, 3) - dt.timedelta(days=1)))
    return wholes


def _quarters_between(start: dt.date, end: dt.date) -> int:
    return (end.year - start.year) * 4 + (end.month - 1) // 3 - (start.month - 1) // 3 + 1


def _add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the last day of that month when it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return min(day.replace(year=year, month=month, day=1) + dt.timedelta(days=day.day - 1),
               following - dt.timedelta(days=1))

