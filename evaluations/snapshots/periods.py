"""The standard periods snapshots are computed for.

Every month of the last 24 (the current one to date), every calendar quarter and year
from the first referral in the scope to the last day something happened (today while any
enrollment is still open), and the rolling 12 months ending today. A period that has
not ended yet ends today: indicators are computed as of the period's last day, and a
day in the future would treat plans as facts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Max, Min, Q

from evaluations.models import PeriodKind, Project, descendant_ids
from measures.models import Enrollment

MONTHS_BACK = 24


@dataclass(frozen=True)
class Period:
    kind: str
    date_from: dt.date
    date_to: dt.date


@dataclass(frozen=True)
class DataRange:
    """The first and the last day on which the scope's enrollments have anything dated."""

    first: dt.date
    last: dt.date


def standard_periods(today: dt.date, data: DataRange | None) -> list[Period]:
    """The periods to compute on ``today`` for a scope whose data span ``data``."""
    periods = [_month_to_date(_add_months(_first_of_month(today), -back), today)
               for back in reversed(range(MONTHS_BACK))]
    if data is not None and data.first <= today:
        last = min(data.last, today)
        periods += quarters_between(data.first, last, today)
        periods += years_between(data.first, last, today)
    periods.append(rolling_12_months(today))
    return periods


def rolling_12_months(today: dt.date) -> Period:
    """The 12 months ending today: from the day after the same date a year ago."""
    return Period(PeriodKind.ROLLING_12_MONTHS, _one_year_before(today) + dt.timedelta(days=1),
                  today)


def quarters_between(first: dt.date, last: dt.date, today: dt.date) -> list[Period]:
    """Calendar quarters from the one holding ``first`` to the one holding ``last``."""
    periods = []
    start = dt.date(first.year, 3 * ((first.month - 1) // 3) + 1, 1)
    while start <= last:
        end = _add_months(start, 3) - dt.timedelta(days=1)
        periods.append(Period(PeriodKind.QUARTER, start, min(end, today)))
        start = _add_months(start, 3)
    return periods


def years_between(first: dt.date, last: dt.date, today: dt.date) -> list[Period]:
    """Calendar years from the one holding ``first`` to the one holding ``last``."""
    return [Period(PeriodKind.YEAR, dt.date(year, 1, 1), min(dt.date(year, 12, 31), today))
            for year in range(first.year, last.year + 1)]


def data_range(project: Project | None, today: dt.date) -> DataRange | None:
    """The span of the scope's enrollments, in one aggregate query; None without any.

    referred_on <= started_on <= ended_on is a CHECK constraint, so the first referral
    is the first date of all. While any enrollment is open (waiting or active) its state
    lasts until today, so the range does too.
    """
    enrollments = Enrollment.objects.all()
    if project is not None:
        enrollments = enrollments.filter(participant__project__in=descendant_ids(project.pk))
    span = enrollments.aggregate(
        first=Min("referred_on"),
        last_referred=Max("referred_on"),
        last_started=Max("started_on"),
        last_ended=Max("ended_on"),
        open=Count("pk", filter=Q(ended_on__isnull=True)),
    )
    if span["first"] is None:
        return None
    if span["open"]:
        return DataRange(span["first"], today)
    dates = [span[key] for key in ("last_referred", "last_started", "last_ended") if span[key]]
    return DataRange(span["first"], max(dates))


def _month_to_date(first: dt.date, today: dt.date) -> Period:
    end = _add_months(first, 1) - dt.timedelta(days=1)
    return Period(PeriodKind.MONTH, first, min(end, today))


def _first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _add_months(first_of_month: dt.date, months: int) -> dt.date:
    index = first_of_month.year * 12 + first_of_month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _one_year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February: a year earlier there is only the 28th
        return day.replace(year=day.year - 1, day=28)
