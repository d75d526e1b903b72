"""Small-number suppression: primary, secondary, and the total left alone unless small."""

import datetime as dt

import pytest

from evaluations.indicators import INDICATORS, IndicatorResult, suppress
from evaluations.indicators.result import Cell, Row


def cells(**given) -> dict:
    """Every indicator empty, except the given ones: ``exits=(7, 7)`` as (value, units)."""
    values = {indicator.code: Cell(None, 0) for indicator in INDICATORS}
    for code, (value, units) in given.items():
        values[code] = Cell(value, units)
    return values


def result(total: dict, **rows) -> IndicatorResult:
    return IndicatorResult(
        date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 12, 31), project_code=None,
        by="office" if rows else None, total=total,
        rows=tuple(Row(group, values) for group, values in rows.items()),
    )


def shown(document, group, code):
    return next(row["values"][code] for row in document["rows"] if row["group"] == group)


@pytest.mark.parametrize("count", [1, 2, 3, 4])
def test_a_count_from_1_to_4_is_shown_as_less_than_five(count):
    document = result(cells(exits=(count, count))).document(raw=False)

    assert document["total"]["exits"] == "<5"


@pytest.mark.parametrize("count", [0, 5, 17])
def test_zero_and_counts_from_five_are_shown(count):
    document = result(cells(exits=(count, count))).document(raw=False)

    assert document["total"]["exits"] == count


def test_a_rate_over_1_to_4_units_is_not_shown_but_over_5_it_is():
    document = result(cells(work_rate=(0.5, 4), completed_rate=(0.4, 5))).document(raw=False)

    assert document["total"]["work_rate"] is None
    assert document["total"]["completed_rate"] == 0.4


def test_raw_shows_everything():
    document = result(cells(exits=(2, 2), work_rate=(0.5, 2))).document(raw=True)

    assert document["total"]["exits"] == 2
    assert document["total"]["work_rate"] == 0.5


def test_the_next_smallest_cell_of_the_breakdown_is_suppressed_too():
    raw = result(
        cells(exits=(30, 30)),
        a=cells(exits=(3, 3)), b=cells(exits=(12, 12)), c=cells(exits=(8, 8)),
        d=cells(exits=(0, 0)), e=cells(exits=(7, 7)),
    )

    document = raw.document(raw=False)

    assert shown(document, "a", "exits") == "<5"
    assert shown(document, "e", "exits") == "<5"  # 7 is the next smallest; 0 protects nothing
    assert shown(document, "c", "exits") == 8
    assert shown(document, "b", "exits") == 12
    assert shown(document, "d", "exits") == 0
    assert document["total"]["exits"] == 30


def test_secondary_suppression_works_per_indicator_and_for_rates():
    raw = result(
        cells(exits=(20, 20), work_rate=(0.5, 20)),
        a=cells(exits=(6, 6), work_rate=(0.5, 6)),
        b=cells(exits=(14, 14), work_rate=(0.5, 14)),
        c=cells(work_rate=(None, 0), employer_contact_share=(0.25, 4)),
    )

    document = raw.document(raw=False)

    assert shown(document, "a", "exits") == 6  # nothing suppressed in this column
    assert shown(document, "c", "employer_contact_share") is None
    assert shown(document, "a", "work_rate") == 0.5


def test_ties_for_the_next_smallest_hide_the_first_group_by_code():
    raw = result(cells(exits=(22, 22)), a=cells(exits=(2, 2)),
                 b=cells(exits=(10, 10)), c=cells(exits=(10, 10)))

    document = raw.document(raw=False)

    assert [shown(document, group, "exits") for group in "abc"] == ["<5", "<5", 10]


def test_the_total_is_suppressed_only_when_itself_small():
    small = result(cells(exits=(3, 3)), a=cells(exits=(3, 3)))

    assert small.document(raw=False)["total"]["exits"] == "<5"


def test_suppressed_cells_lose_their_value():
    hidden = suppress(result(cells(exits=(3, 3), work_rate=(1.0, 3))))

    assert hidden.total["exits"] == Cell(None, 3, suppressed=True)
    assert hidden.total["work_rate"].value is None


def test_two_small_cells_still_hide_the_next_smallest():
    raw = result(cells(exits=(22, 22)), a=cells(exits=(1, 1)), b=cells(exits=(1, 1)),
                 c=cells(exits=(8, 8)), d=cells(exits=(12, 12)))

    document = raw.document(raw=False)

    assert [shown(document, group, "exits") for group in "abcd"] == ["<5", "<5", "<5", 12]


def test_suppressing_twice_changes_nothing_more():
    raw = result(cells(exits=(30, 30)), a=cells(exits=(3, 3)), b=cells(exits=(9, 9)),
                 c=cells(exits=(18, 18)))

    assert suppress(suppress(raw)) == suppress(raw)


def test_json_round_trip_is_lossless():
    raw = result(cells(exits=(3, 3), wait_days_mean=(12.25, 4)), a=cells(exits=(3, 3)))

    assert IndicatorResult.from_json(raw.to_json()) == raw
    assert IndicatorResult.from_json(suppress(raw).to_json()) == suppress(raw)
