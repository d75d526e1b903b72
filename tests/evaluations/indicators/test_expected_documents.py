"""The example bundle gives exactly the documents in tests/data/expected (`--raw`)."""

import datetime as dt
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

DATA = Path(__file__).resolve().parents[2] / "data"
EXPECTED = sorted((DATA / "expected").glob("*.json"))
TOLERANCE = 1e-9


def run_indicators(expected: dict) -> dict:
    arguments = ["--from", expected["from"], "--to", expected["to"], "--format", "json", "--raw"]
    if expected["project"]:
        arguments += ["--project", expected["project"]]
    if expected["by"]:
        arguments += ["--by", expected["by"]]
    out = StringIO()
    call_command("indicators", *arguments, stdout=out)
    return json.loads(out.getvalue())


def differences(where: str, expected: dict, actual: dict) -> list[str]:
    found = []
    if set(expected) != set(actual):
        found.append(f"{where}: keys differ: {sorted(set(expected) ^ set(actual))}")
    for code, value in expected.items():
        got = actual.get(code)
        if isinstance(value, int) and not isinstance(got, int):
            found.append(f"{where}.{code}: expected the integer {value}, got {got!r}")
        elif value is None or got is None:
            if value != got:
                found.append(f"{where}.{code}: expected {value!r}, got {got!r}")
        elif abs(value - got) > TOLERANCE:
            found.append(f"{where}.{code}: expected {value!r}, got {got!r}")
    return found


@pytest.mark.parametrize("path", EXPECTED, ids=[path.stem for path in EXPECTED])
def test_the_example_bundle_gives_the_expected_document(example, path):
    expected = json.loads(path.read_text(encoding="utf-8"))

    actual = run_indicators(expected)

    assert {key: actual[key] for key in ("from", "to", "project", "by")} == {
        key: expected[key] for key in ("from", "to", "project", "by")}
    expected_rows = {row["group"]: row["values"] for row in expected["rows"]}
    actual_rows = {row["group"]: row["values"] for row in actual["rows"]}
    assert sorted(actual_rows) == sorted(expected_rows)
    problems = differences("total", expected["total"], actual["total"])
    for group, values in expected_rows.items():
        problems += differences(group, values, actual_rows[group])
    assert problems == []


def test_there_are_twelve_expected_documents():
    assert len(EXPECTED) == 12


@pytest.mark.parametrize("project", [None, "VVV"])
def test_every_breakdown_in_one_statement_gives_what_each_gives_alone(example, project):
    from evaluations.indicators import DIMENSIONS, IndicatorQuery, compute, compute_breakdowns

    expected = json.loads(EXPECTED[0].read_text(encoding="utf-8"))
    period = (dt.date.fromisoformat(expected["from"]), dt.date.fromisoformat(expected["to"]))
    together = compute_breakdowns(*period, project, (None, *DIMENSIONS))

    assert set(together) == {None, *DIMENSIONS}
    for by in (None, *DIMENSIONS):
        alone = compute(IndicatorQuery(*period, project, by))
        assert together[by] == alone, by
        assert together[by].rows or by is None


def test_the_last_30_days_read_from_the_periods_follow_ups_give_what_the_table_gives(
        example, monkeypatch):
    from evaluations.indicators import DIMENSIONS, IndicatorQuery, compute, facts

    queries = [IndicatorQuery(dt.date(2024, 1, 1), dt.date(2024, 12, 31), None, by)
               for by in (None, *DIMENSIONS)]
    queries += [IndicatorQuery(dt.date(2025, 3, 1), dt.date(2025, 3, 31), "VVV", "gender")]
    shortcut = [compute(query) for query in queries]
    reading_the_table = facts.active_units_cte
    monkeypatch.setattr(facts, "active_units_cte",
                        lambda last_30_days_in_period=False: reading_the_table(False))
    assert [compute(query) for query in queries] == shortcut
    assert shortcut[0].total["followed_up_30d_rate"].units > 0
