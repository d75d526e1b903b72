"""The indicator statement run in parts on several connections gives exactly the figures
of the whole statement (PostgreSQL; SQLite always runs it whole)."""

import datetime as dt
import io
import math
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from evaluations.indicators import DIMENSIONS, compute_breakdowns
from evaluations.indicators.parallel import parts_for

DATA = Path(__file__).resolve().parents[2] / "data"

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql",
                                reason="the statement runs in parts on PostgreSQL only")


def differences(got: dict, expected: dict) -> list:
    """Cells that differ: counts exactly, other numbers to 1e-9 (sums of fractional
    scores added in another order differ in the last bits)."""
    def same(a, b):
        if a.value is None or b.value is None:
            return a == b
        return (a.units, a.suppressed) == (b.units, b.suppressed) and math.isclose(
            a.value, b.value, rel_tol=0, abs_tol=1e-9)

    found = []
    for by, result in expected.items():
        other = got[by]
        pairs = [("total", result.total, other.total)]
        assert [row.group for row in other.rows] == [row.group for row in result.rows]
        pairs += [(row.group, row.values, mine.values)
                  for row, mine in zip(result.rows, other.rows, strict=True)]
        found += [(by, group, code) for group, want, have in pairs
                  for code in want if not same(want[code], have[code])]
    return found


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("project", [None, "VVV"])
def test_parts_on_their_own_connections_give_the_figures_of_the_whole(migration_data, settings,
                                                                       project):
    call_command("import_bundle", str(DATA / "bundle"), stdout=io.StringIO())
    period = (dt.date(2024, 1, 1), dt.date(2025, 12, 31))
    breakdowns = (None, *DIMENSIONS)

    settings.INDICATOR_PARALLEL_QUERIES = 1
    assert parts_for("default") == 1
    whole = compute_breakdowns(*period, project, breakdowns)
    for parts in (2, 3):
        settings.INDICATOR_PARALLEL_QUERIES = parts
        assert parts_for("default") == parts
        assert differences(compute_breakdowns(*period, project, breakdowns), whole) == []
    assert whole[None].total["participants"].value > 0


@pytest.mark.django_db(transaction=True)
def test_inside_a_transaction_the_statement_runs_whole_on_the_callers_connection(
        migration_data, settings):
    # Other connections could not see what this transaction has not committed.
    settings.INDICATOR_PARALLEL_QUERIES = 4
    with transaction.atomic():
        assert parts_for("default") == 1
    assert parts_for("default") == 4


@pytest.mark.django_db(transaction=True)
def test_without_a_connection_to_spare_the_statement_runs_whole(migration_data, settings,
                                                                monkeypatch, caplog):
    from django.db import OperationalError

    from evaluations.indicators import parallel

    call_command("import_bundle", str(DATA / "bundle"), stdout=io.StringIO())
    period = (dt.date(2024, 1, 1), dt.date(2025, 12, 31))
    settings.INDICATOR_PARALLEL_QUERIES = 1
    whole = compute_breakdowns(*period, None, (None, "gender"))

    def no_connection(*args, **kwargs):
        raise OperationalError("sorry, too many clients already")

    monkeypatch.setattr(parallel, "_run_part", no_connection)
    settings.INDICATOR_PARALLEL_QUERIES = 2
    assert differences(compute_breakdowns(*period, None, (None, "gender")), whole) == []
    assert "computing them whole" in caplog.text


@pytest.mark.parametrize("first_id, last_id, parts", [
    (1, 1_000_000, 2), (1, 10, 3), (7, 8, 3), (0, 0, 2), (5, 1_000_003, 7)])
def test_the_id_ranges_of_the_parts_cover_every_id_once(first_id, last_id, parts):
    from evaluations.indicators.parallel import id_ranges

    ranges = id_ranges(first_id, last_id, parts)

    assert len(ranges) == parts
    assert (ranges[0]["part_from"], ranges[-1]["part_to"]) == (first_id, last_id)
    # Each range starts where the one before ends: no id in two parts, none in none.
    assert all(a["part_to"] + 1 == b["part_from"] for a, b in zip(ranges, ranges[1:], strict=False))
    assert all(r["part_from"] <= r["part_to"] + 1 for r in ranges)
