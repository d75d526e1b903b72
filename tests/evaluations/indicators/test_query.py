"""The public API: the query, its errors, the definitions and the round trip."""

import datetime as dt
import json

import pytest
from django.db import connection

from evaluations.indicators import (
    DIMENSIONS,
    INDICATORS,
    IndicatorQuery,
    IndicatorQueryError,
    IndicatorResult,
    compute,
)

from .conftest import enrol, spell

JAN_1 = dt.date(2024, 1, 1)
DEC_31 = dt.date(2024, 12, 31)


def test_the_eight_dimensions_in_the_order_of_the_specification():
    assert DIMENSIONS == ("project", "provider", "measure_type", "setting", "gender",
                          "immigrant_background", "office", "age_band")


def test_thirty_six_indicators_with_kind_unit_and_label():
    assert len(INDICATORS) == len({indicator.code for indicator in INDICATORS}) == 36
    for indicator in INDICATORS:
        assert indicator.kind in {"count", "rate", "mean", "days"}
        assert str(indicator.label)


def test_a_query_is_a_frozen_value():
    query = IndicatorQuery(JAN_1, DEC_31, "VVV", "gender")

    assert query == IndicatorQuery(JAN_1, DEC_31, "VVV", "gender")
    with pytest.raises(AttributeError):
        query.by = "office"


def test_a_period_ending_before_it_starts_is_refused():
    with pytest.raises(IndicatorQueryError, match="after it ends"):
        IndicatorQuery(DEC_31, JAN_1)


def test_an_unknown_dimension_is_refused():
    with pytest.raises(IndicatorQueryError, match="Unknown breakdown"):
        IndicatorQuery(JAN_1, DEC_31, by="shoe_size")


@pytest.mark.parametrize("date_from, date_to", [
    (dt.date(1, 1, 1), DEC_31),
    (JAN_1, dt.date(9999, 12, 31)),
    (dt.date(1899, 12, 31), DEC_31),
    (JAN_1, dt.date(2101, 1, 1)),
], ids=["year 1", "year 9999", "before 1900", "after 2100"])
def test_a_period_outside_the_dates_case_data_may_have_is_refused(date_from, date_to):
    # Case data are dated 1900-2100 (EXCHANGE.md); beyond, the computation itself failed
    # with an OverflowError (a traceback from the command, a failed report or custom period).
    with pytest.raises(IndicatorQueryError, match="1900-01-01 and 2100-12-31"):
        IndicatorQuery(date_from, date_to)


def test_the_widest_period_case_data_may_have_is_computed(db):
    result = compute(IndicatorQuery(dt.date(1900, 1, 1), dt.date(2100, 12, 31), by="age_band"))

    assert result.total["participants"].value == 0


def test_query_errors_are_value_errors():
    assert issubclass(IndicatorQueryError, ValueError)


def test_a_one_day_period_is_fine():
    assert IndicatorQuery(JAN_1, JAN_1).date_to == JAN_1


@pytest.mark.django_db
def test_a_computed_result_survives_json_storage(participant):
    enrol(participant, "E1", "2024-01-01", "2024-01-10", "2024-03-01")
    spell(participant, "2024-04-01")
    result = compute(IndicatorQuery(JAN_1, DEC_31, by="age_band"))

    stored = json.loads(json.dumps(result.to_json()))

    assert IndicatorResult.from_json(stored) == result
    assert IndicatorResult.from_json(stored).document(raw=True) == result.document(raw=True)


@pytest.mark.django_db
def test_planner_settings_do_not_outlive_the_computation():
    if connection.vendor != "postgresql":
        pytest.skip("the planner settings are PostgreSQL's")
    compute(IndicatorQuery(JAN_1, DEC_31))

    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('enable_nestloop'), current_setting('jit')")
        assert cursor.fetchone()[0] == "on"
