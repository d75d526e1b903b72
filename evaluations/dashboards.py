"""What the outcome dashboard shows, read from stored indicator snapshots only.

The page never computes indicators itself: it picks snapshots (a handful of rows, one query
each) and turns them into figures to show. Every value passes through ``suppress`` first,
and what reaches the template or the chart data is the shown value only, never the unit
count behind a hidden cell.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from measures.models import MeasureType, Setting
from participants.models import Gender, Office
from providers.models import Provider

from .indicators import IndicatorResult, suppress
from .indicators.definitions import DIMENSION_LABELS, INDICATORS_BY_CODE, Kind
from .indicators.over_time import suppress_over_time
from .indicators.result import SUPPRESSED_COUNT, Cell
from .models import (
    IndicatorRequest,
    IndicatorSnapshot,
    PeriodKind,
    Project,
    SnapshotScope,
    SnapshotTrigger,
)

HEADLINE = ("work_or_education_rate", "work_rate", "education_rate", "dropout_rate", "exits",
            "active", "waiting", "wait_days_median")
FLOW = ("referrals", "starts", "exits", "work_or_education_rate")
WAITING = ("waiting", "waiting_age_median", "starts", "wait_days_mean", "wait_days_median",
           "wait_days_p90")
FOLLOW_UP = ("continuity_rate", "followed_up_30d_rate", "employer_contact_share",
             "treatment_contact_share", "long_stayers")
AFTER_JOB = ("job_starts", "retained_90d_rate", "supported_after_job_rate")
BREAKDOWN_COLUMNS = ("participants", "exits", "work_or_education_rate", "work_rate",
                     "education_rate", "dropout_rate", "starts", "waiting")
TREND_RATES = ("work_or_education_rate", "work_rate", "education_rate", "dropout_rate")
TREND_KINDS = {"month": PeriodKind.MONTH, "quarter": PeriodKind.QUARTER}
TREND_LENGTH = {PeriodKind.MONTH: 24, PeriodKind.QUARTER: 8}
PERIOD_KIND_ORDER = [PeriodKind.ROLLING_12_MONTHS, PeriodKind.YEAR, PeriodKind.QUARTER,
                     PeriodKind.MONTH]
TARGETS = {"work_rate": "target_work_rate", "education_rate": "target_education_rate"}


@dataclass(frozen=True)
class Period:
    kind: str
    date_from: dt.date
    date_to: dt.date

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.date_from.isoformat()}:{self.date_to.isoformat()}"

    @classmethod
    def from_key(cls, key: str) -> Period | None:
        try:
            kind, start, end = key.split(":")
            return cls(kind, dt.date.fromisoformat(start), dt.date.fromisoformat(end))
        except ValueError:
            return None

    @property
    def label(self) -> str:
        end = date_format(self.date_to, "SHORT_DATE_FORMAT")
        if self.kind == PeriodKind.YEAR:
            return str(self.date_from.year)
        if self.kind == PeriodKind.QUARTER:
            return _("%(year)s quarter %(quarter)s") % {
                "year": self.date_from.year, "quarter": (self.date_from.month - 1) // 3 + 1}
        if self.kind == PeriodKind.MONTH:
            return date_format(self.date_from, "YEAR_MONTH_FORMAT")
        if self.kind == PeriodKind.ROLLING_12_MONTHS:
            return _("12 months to %(end)s") % {"end": end}
        return f"{date_format(self.date_from, 'SHORT_DATE_FORMAT')}–{end}"

    @property
    def short_label(self) -> str:
        if self.kind == PeriodKind.MONTH:
            return self.date_from.strftime("%Y-%m")
        return self.label


@dataclass(frozen=True)
class Figure:
    """One shown figure: its label, the text to show and, for charts, the plain number."""

    code: str
    label: str
    text: str
    number: float | None  # None when suppressed or empty: charts leave a gap
    suppressed: bool
    definition_url: str
    target: str = ""
    target_met: bool | None = None


@dataclass
class Breakdown:
    dimension: str
    label: str
    columns: list[tuple[str, str, str]]  # code, label, definition URL
    rows: list[tuple[str, list[Figure]]] = field(default_factory=list)


def scope_snapshots(project: Project | None) -> QuerySet[IndicatorSnapshot]:
    if project is None:
        return IndicatorSnapshot.objects.filter(project__isnull=True)
    return IndicatorSnapshot.objects.filter(project=project)


def available_periods(project: Project | None) -> list[Period]:
    """The periods with stored figures for this scope: rolling 12 months, years, quarters,
    months, newest first within each kind."""
    rows = (scope_snapshots(project).filter(dimension="")
            .values_list("period_kind", "date_from", "date_to").distinct())
    periods = [Period(kind, start, end) for kind, start, end in rows]
    return sorted(periods, key=lambda p: (PERIOD_KIND_ORDER.index(p.kind)
                                          if p.kind in PERIOD_KIND_ORDER else 99,
                                          -p.date_to.toordinal()))


def default_period(periods: list[Period]) -> Period | None:
    return periods[0] if periods else None


def snapshot_for(project: Project | None, period: Period, dimension: str = ""
                 ) -> IndicatorSnapshot | None:
    return scope_snapshots(project).filter(
        period_kind=period.kind, date_from=period.date_from, date_to=period.date_to,
        dimension=dimension,
    ).first()


def shown_result(snapshot: IndicatorSnapshot) -> IndicatorResult:
    return suppress(IndicatorResult.from_json(snapshot.result))


def definition_url(code: str) -> str:
    return reverse("evaluations:indicator_definitions") + "#" + code


def figure(code: str, cell: Cell | None, project: Project | None = None) -> Figure:
    indicator = INDICATORS_BY_CODE[code]
    target_text, met = "", None
    value = None if cell is None or cell.suppressed else cell.value
    if project is not None and code in TARGETS:
        target = getattr(project, TARGETS[code])
        if target is not None:
            target_text = _("target %(value)s") % {"value": _percent(float(target))}
            met = None if value is None else value >= float(target) - 1e-12
    return Figure(
        code=code,
        label=str(indicator.label),
        text=_text(indicator.kind, cell),
        number=_chart_number(indicator.kind, value),
        suppressed=bool(cell and cell.suppressed),
        definition_url=definition_url(code),
        target=target_text,
        target_met=met,
    )


def figures(codes, result: IndicatorResult, project: Project | None = None) -> list[Figure]:
    return [figure(code, result.total.get(code), project) for code in codes]


def flow(result: IndicatorResult, raw: IndicatorResult) -> list[Figure]:
    """Referral → start → exit → in work or education, as counts. The last is the rate's
    numerator, worked out from the unsuppressed result and then suppressed as a count."""
    steps = [figure(code, result.total.get(code)) for code in ("referrals", "starts", "exits")]
    rate = raw.total.get("work_or_education_rate")
    count = 0 if rate is None or rate.value is None else round(rate.value * rate.units)
    shown = result.total.get("work_or_education_rate")
    hidden = shown is None or shown.suppressed or 1 <= count <= 4
    steps.append(Figure(
        code="work_or_education_rate", label=_("In work or education"),
        text=SUPPRESSED_COUNT if hidden and count else _count(count),
        number=None if hidden else float(count), suppressed=hidden and bool(count),
        definition_url=definition_url("work_or_education_rate"),
    ))
    return steps


def breakdown(raw: IndicatorResult | None, dimension: str) -> Breakdown | None:
    if raw is None or not dimension:
        return None
    result = suppress(raw)
    names = group_names(dimension, [row.group for row in result.rows])
    table = Breakdown(
        dimension=dimension,
        label=str(DIMENSION_LABELS[dimension]),
        columns=[(code, str(INDICATORS_BY_CODE[code].label), definition_url(code))
                 for code in BREAKDOWN_COLUMNS],
    )
    for row in result.rows:
        table.rows.append((names.get(row.group, row.group),
                           [figure(code, row.values.get(code)) for code in BREAKDOWN_COLUMNS]))
    return table


def trend(project: Project | None, kind: str, *, up_to: dt.date) -> list[tuple[Period,
                                                                              list[Figure]]]:
    """The latest months (24) or quarters (8) up to the chosen period, oldest first.

    Suppressed over time as well as each on its own: a quarter shown as "<5" must not be
    the year minus the other quarters (indicators/over_time.py). Which cells that hides
    depends on every stored month or quarter of the scope and the periods they make up, so
    all of them are read (a few dozen rows), not only those in view."""
    snapshots = list(scope_snapshots(project).filter(period_kind=kind, dimension="")
                     .only("date_from", "date_to", "result"))
    wholes = (scope_snapshots(project).filter(dimension="").exclude(period_kind=kind)
              .values_list("date_from", "date_to").distinct())
    shown = suppress_over_time(
        {(snapshot.date_from, snapshot.date_to): IndicatorResult.from_json(snapshot.result).total
         for snapshot in snapshots},
        list(wholes))
    in_view = sorted((snapshot for snapshot in snapshots if snapshot.date_to <= up_to),
                     key=lambda snapshot: snapshot.date_from)[-TREND_LENGTH[kind]:]
    return [
        (Period(kind, snapshot.date_from, snapshot.date_to),
         [figure(code, shown[(snapshot.date_from, snapshot.date_to)].get(code))
          for code in TREND_RATES + ("starts", "exits")])
        for snapshot in in_view
    ]


def group_names(dimension: str, groups: list[str]) -> dict[str, str]:
    """Readable names of the stored group codes, in the user's language."""
    if dimension == "gender":
        return {code: str(label) for code, label in Gender.choices}
    if dimension == "measure_type":
        return {code: str(label) for code, label in MeasureType.choices}
    if dimension == "setting":
        return {code: str(label) for code, label in Setting.choices}
    if dimension == "immigrant_background":
        return {"true": _("Immigrant background"), "false": _("No immigrant background")}
    if dimension == "provider":
        return dict(Provider.objects.filter(code__in=groups).values_list("code", "name"))
    if dimension == "office":
        return dict(Office.objects.filter(code__in=groups).values_list("code", "name"))
    if dimension == "project":
        return {code: f"{code} – {name}" for code, name in
                Project.objects.filter(code__in=groups).values_list("code", "name")}
    return {}


def computed_at(project: Project | None, period: Period) -> dt.datetime | None:
    """When the oldest of the period's figures was computed (what the page may lag by)."""
    return scope_snapshots(project).filter(
        period_kind=period.kind, date_from=period.date_from, date_to=period.date_to,
    ).order_by("computed_at").values_list("computed_at", flat=True).first()


def chart_data(trend_points, table: Breakdown | None) -> dict:
    """The numbers the charts draw (shown values only; suppressed ones are null)."""
    data: dict = {}
    if trend_points:
        data["trend"] = {
            "labels": [period.short_label for period, _figures in trend_points],
            "series": [
                {"code": code, "label": str(INDICATORS_BY_CODE[code].label),
                 "values": [next(f.number for f in figs if f.code == code)
                            for _period, figs in trend_points]}
                for code in TREND_RATES
            ],
        }
    if table is not None:
        column = BREAKDOWN_COLUMNS.index("work_or_education_rate")
        data["breakdown"] = {
            "label": str(INDICATORS_BY_CODE["work_or_education_rate"].label),
            "labels": [name for name, _cells in table.rows],
            "values": [cells[column].number for _name, cells in table.rows],
        }
    return data


def _text(kind: str, cell: Cell | None) -> str:
    if cell is None:
        return "–"
    if cell.suppressed:
        return SUPPRESSED_COUNT if kind == Kind.COUNT else "–"
    if cell.value is None:
        return "–"
    if kind == Kind.COUNT:
        return _count(cell.value)
    if kind == Kind.RATE:
        return _percent(cell.value)
    return number_format(round(cell.value, 1), decimal_pos=1, use_l10n=True)


def _count(value) -> str:
    return number_format(int(value), use_l10n=True, force_grouping=True)


def _percent(value: float) -> str:
    return _("%(value)s %%") % {"value": number_format(round(value * 100, 1), decimal_pos=1,
                                                        use_l10n=True)}


def _chart_number(kind: str, value) -> float | None:
    if value is None:
        return None
    if kind == Kind.RATE:
        return round(float(value) * 100, 2)
    return float(value)


TREND_CHOICES = (("quarter", gettext_lazy("By quarter")), ("month", gettext_lazy("By month")))


def dashboard_context(*, project: Project | None, period: Period | None, by: str,
                      trend_kind: str) -> dict:
    """Everything the dashboard shows for one standard period, from stored snapshots."""
    snapshot = snapshot_for(project, period) if period is not None else None
    if snapshot is None:
        return {"has_figures": False}
    by_snapshot = snapshot_for(project, period, by) if by else None
    points = trend(project, TREND_KINDS.get(trend_kind, PeriodKind.QUARTER), up_to=period.date_to)
    context = sections(
        IndicatorResult.from_json(snapshot.result),
        IndicatorResult.from_json(by_snapshot.result) if by_snapshot else None,
        project=project, by=by,
    )
    context.update({
        "computed_at": computed_at(project, period),
        "trend_points": points,
        "trend_codes": [(code, str(INDICATORS_BY_CODE[code].label), definition_url(code))
                        for code in TREND_RATES + ("starts", "exits")],
    })
    context["chart_data"] = chart_data(points, context["breakdown"])
    return context


def sections(raw: IndicatorResult, by_raw: IndicatorResult | None, *,
             project: Project | None, by: str) -> dict:
    """The figures of one result (and its breakdown), suppressed, ready to show."""
    result = suppress(raw)
    table = breakdown(by_raw, by)
    return {
        "has_figures": True,
        "headline": figures(HEADLINE, result, project),
        "flow": flow(result, raw),
        "waiting": figures(WAITING, result),
        "follow_up": figures(FOLLOW_UP, result),
        "after_job": figures(AFTER_JOB, result),
        "breakdown": table,
        "breakdown_missing": bool(by) and table is None,
        "chart_data": chart_data([], table),
    }


@dataclass(frozen=True)
class ScopeState:
    refreshed_at: dt.datetime | None
    stale: bool
    computing: bool


def scope_state(project: Project | None) -> ScopeState:
    """Whether the figures lag the case data, and whether they are being computed now."""
    scope = SnapshotScope.objects.filter(
        project=project if project else None, all_projects=project is None).first()
    if scope is None:
        return ScopeState(refreshed_at=None, stale=False, computing=False)
    computing = bool(scope.lease_token) and scope.lease_until is not None and \
        scope.lease_until > timezone.now()
    return ScopeState(refreshed_at=scope.refreshed_at, stale=scope.is_stale,
                      computing=computing)


def request_refresh(project: Project | None) -> None:
    """Queue a recomputation of the scope's snapshots (after the request commits)."""
    from .tasks import queue_refreshes

    project_id = project.pk if project else None
    transaction.on_commit(lambda: queue_refreshes([project_id], SnapshotTrigger.REQUESTED))


def custom_context(custom: IndicatorRequest) -> dict:
    raw = IndicatorResult.from_json(custom.result)
    return sections(raw, raw if custom.dimension else None, project=custom.project,
                    by=custom.dimension)
