"""The standard periods: 24 months, the quarters and years with data, the rolling 12 months."""

import datetime as dt

import pytest

from evaluations.models import PeriodKind
from evaluations.snapshots.periods import (
    DataRange,
    Period,
    data_range,
    rolling_12_months,
    standard_periods,
)
from tests import factories

D = dt.date


def of_kind(periods, kind):
    return [(p.date_from, p.date_to) for p in periods if p.kind == kind]


def test_the_last_24_months_end_with_the_current_month_to_date():
    months = of_kind(standard_periods(D(2025, 6, 15), None), PeriodKind.MONTH)
    assert len(months) == 24
    assert months[0] == (D(2023, 7, 1), D(2023, 7, 31))
    assert months[-2] == (D(2025, 5, 1), D(2025, 5, 31))
    assert months[-1] == (D(2025, 6, 1), D(2025, 6, 15))


def test_months_cross_a_february_of_a_leap_year():
    months = of_kind(standard_periods(D(2024, 3, 10), None), PeriodKind.MONTH)
    assert (D(2024, 2, 1), D(2024, 2, 29)) in months
    assert (D(2023, 2, 1), D(2023, 2, 28)) in months


def test_without_data_there_are_no_quarters_or_years():
    periods = standard_periods(D(2025, 6, 15), None)
    assert of_kind(periods, PeriodKind.QUARTER) == []
    assert of_kind(periods, PeriodKind.YEAR) == []
    assert {p.kind for p in periods} == {PeriodKind.MONTH, PeriodKind.ROLLING_12_MONTHS}


def test_quarters_and_years_span_the_data_and_the_current_one_ends_today():
    periods = standard_periods(D(2025, 6, 15), DataRange(D(2024, 2, 20), D(2025, 6, 15)))
    assert of_kind(periods, PeriodKind.QUARTER) == [
        (D(2024, 1, 1), D(2024, 3, 31)),
        (D(2024, 4, 1), D(2024, 6, 30)),
        (D(2024, 7, 1), D(2024, 9, 30)),
        (D(2024, 10, 1), D(2024, 12, 31)),
        (D(2025, 1, 1), D(2025, 3, 31)),
        (D(2025, 4, 1), D(2025, 6, 15)),
    ]
    assert of_kind(periods, PeriodKind.YEAR) == [
        (D(2024, 1, 1), D(2024, 12, 31)),
        (D(2025, 1, 1), D(2025, 6, 15)),
    ]


def test_quarters_stop_at_the_last_day_with_data():
    periods = standard_periods(D(2025, 6, 15), DataRange(D(2022, 11, 1), D(2023, 2, 1)))
    assert of_kind(periods, PeriodKind.QUARTER) == [
        (D(2022, 10, 1), D(2022, 12, 31)), (D(2023, 1, 1), D(2023, 3, 31)),
    ]
    assert of_kind(periods, PeriodKind.YEAR) == [
        (D(2022, 1, 1), D(2022, 12, 31)), (D(2023, 1, 1), D(2023, 12, 31)),
    ]


def test_data_dated_in_the_future_counts_only_up_to_today():
    periods = standard_periods(D(2025, 6, 15), DataRange(D(2025, 1, 5), D(2026, 3, 1)))
    assert of_kind(periods, PeriodKind.YEAR) == [(D(2025, 1, 1), D(2025, 6, 15))]
    assert standard_periods(D(2025, 6, 15), DataRange(D(2026, 1, 1), D(2026, 3, 1))) == (
        standard_periods(D(2025, 6, 15), None)
    )


@pytest.mark.parametrize(
    ("today", "first"),
    [
        (D(2025, 6, 15), D(2024, 6, 16)),
        (D(2025, 1, 1), D(2024, 1, 2)),
        (D(2024, 2, 29), D(2023, 3, 1)),
        (D(2025, 2, 28), D(2024, 2, 29)),
    ],
)
def test_rolling_12_months_end_today_and_are_a_year_long(today, first):
    assert rolling_12_months(today) == Period(PeriodKind.ROLLING_12_MONTHS, first, today)


def test_every_period_is_listed_once():
    periods = standard_periods(D(2025, 1, 10), DataRange(D(2020, 1, 1), D(2025, 1, 10)))
    assert len({(p.kind, p.date_from, p.date_to) for p in periods}) == len(periods)


@pytest.mark.django_db
def test_data_range_is_the_first_referral_to_the_last_date_in_the_scope(tree):
    today = D(2025, 6, 15)
    in_team = factories.ParticipantFactory(project=tree["team"])
    factories.EnrollmentFactory(participant=in_team, ended=True)  # 2024-01-15 .. 2024-06-28
    in_other = factories.ParticipantFactory(project=tree["other"])
    factories.EnrollmentFactory(participant=in_other, referred_on=D(2021, 3, 3), withdrawn=True,
                                ended_on=D(2021, 4, 1))
    assert data_range(tree["programme"], today) == DataRange(D(2024, 1, 15), D(2024, 6, 28))
    assert data_range(tree["team"], today) == DataRange(D(2024, 1, 15), D(2024, 6, 28))
    assert data_range(None, today) == DataRange(D(2021, 3, 3), D(2024, 6, 28))


@pytest.mark.django_db
def test_an_open_enrollment_makes_the_data_last_until_today(tree):
    participant = factories.ParticipantFactory(project=tree["region"])
    factories.EnrollmentFactory(participant=participant, active=True)
    assert data_range(tree["programme"], D(2025, 6, 15)) == DataRange(D(2024, 1, 15),
                                                                      D(2025, 6, 15))


@pytest.mark.django_db
def test_a_scope_without_enrollments_has_no_data_range(tree):
    assert data_range(tree["other"], D(2025, 6, 15)) is None
