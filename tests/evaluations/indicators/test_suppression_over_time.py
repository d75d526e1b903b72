"""Small-number suppression across time: a trend's periods beside the wholes they make up."""

import datetime as dt

from evaluations.indicators.over_time import parts_making_up, suppress_over_time
from evaluations.indicators.result import Cell

D = dt.date
Q1, Q2, Q3, Q4 = ((D(2025, 1, 1), D(2025, 3, 31)), (D(2025, 4, 1), D(2025, 6, 30)),
                  (D(2025, 7, 1), D(2025, 9, 30)), (D(2025, 10, 1), D(2025, 12, 31)))
YEAR = (D(2025, 1, 1), D(2025, 12, 31))


def quarters(*counts) -> dict:
    return {span: {"exits": Cell(count, count)} for span, count in zip((Q1, Q2, Q3, Q4), counts,
                                                                       strict=False)}


def hidden(shown: dict) -> list:
    return [span for span, cells in shown.items() if cells["exits"].suppressed]


def test_a_small_quarter_takes_the_smallest_other_quarter_of_the_year_with_it():
    shown = suppress_over_time(quarters(12, 3, 7, 9), [YEAR])

    assert hidden(shown) == [Q2, Q3]
    assert shown[Q3]["exits"] == Cell(None, 7, suppressed=True)
    assert shown[Q1]["exits"].value == 12


def test_ties_hide_the_earliest_and_a_zero_is_never_chosen():
    shown = suppress_over_time(quarters(0, 8, 2, 8), [YEAR])

    assert hidden(shown) == [Q2, Q3]


def test_two_small_quarters_still_take_a_third_with_them():
    """Two hidden quarters adding up to 3 (the year minus the others) would show each is
    1 or 2."""
    assert hidden(suppress_over_time(quarters(1, 2, 5, 6), [YEAR])) == [Q1, Q2, Q3]


def test_without_a_whole_they_make_up_each_period_stands_alone():
    assert hidden(suppress_over_time(quarters(12, 3, 7, 9), [])) == [Q2]
    # Three quarters do not make up the year: the year minus them is not a quarter.
    assert hidden(suppress_over_time(quarters(12, 3, 7), [YEAR])) == [Q2]


def test_nothing_small_hides_nothing():
    shown = suppress_over_time(quarters(12, 0, 7, 9), [YEAR])

    assert hidden(shown) == []
    assert shown[Q2]["exits"] == Cell(0, 0)


def test_a_period_hidden_for_one_whole_is_not_left_alone_in_another():
    """March is hidden beside small January for the first quarter. The rolling stretch of
    March and April holds March but not January: hidden alone there, March would be worked
    back from it, and January with it from the quarter."""
    jan, feb, mar, apr = ((D(2025, 1, 1), D(2025, 1, 31)), (D(2025, 2, 1), D(2025, 2, 28)),
                          (D(2025, 3, 1), D(2025, 3, 31)), (D(2025, 4, 1), D(2025, 4, 30)))
    months = {jan: {"exits": Cell(2, 2)}, feb: {"exits": Cell(9, 9)},
              mar: {"exits": Cell(6, 6)}, apr: {"exits": Cell(20, 20)}}

    shown = suppress_over_time(months, [(D(2025, 1, 1), D(2025, 3, 31)),
                                        (D(2025, 3, 1), D(2025, 4, 30))])

    assert hidden(shown) == [jan, mar, apr]


def test_each_indicator_is_decided_on_its_own_units():
    parts = {Q1: {"exits": Cell(3, 3), "work_rate": Cell(0.5, 8)},
             Q2: {"exits": Cell(8, 8), "work_rate": Cell(0.25, 8)}}

    shown = suppress_over_time(parts, [(D(2025, 1, 1), D(2025, 6, 30))])

    assert shown[Q1]["exits"].suppressed and shown[Q2]["exits"].suppressed
    assert shown[Q1]["work_rate"].value == 0.5 and shown[Q2]["work_rate"].value == 0.25


def test_parts_make_up_a_whole_only_day_by_day_without_a_gap():
    assert parts_making_up(YEAR, [Q4, Q1, Q3, Q2]) == [Q1, Q2, Q3, Q4]
    assert parts_making_up(YEAR, [Q1, Q2, Q4]) == []
    assert parts_making_up(YEAR, [YEAR]) == []  # itself is not a breakdown of itself
    cut_short = (D(2025, 10, 1), D(2025, 12, 5))  # the quarter to date
    assert parts_making_up((D(2025, 1, 1), D(2025, 12, 5)), [Q1, Q2, Q3, cut_short]) == [
        Q1, Q2, Q3, cut_short]
