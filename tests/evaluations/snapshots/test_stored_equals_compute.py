"""End to end with the real computation: import the example bundle, refresh, compare.

What is stored is exactly ``compute(query).to_json()`` for the same query, and the
example's expected values (tests/data/expected) can be read back from stored snapshots.
"""

import datetime as dt
import io
import json
import math
from pathlib import Path

import pytest
from django.core.management import call_command

from evaluations.indicators import IndicatorQuery, IndicatorResult, compute
from evaluations.models import IndicatorSnapshot, PeriodKind, Project, SnapshotTrigger
from evaluations.snapshots import service
from evaluations.snapshots.periods import data_range, standard_periods

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

DATA = Path(__file__).resolve().parents[2] / "data"
TODAY = dt.date(2025, 12, 31)  # the example's data end in 2025


@pytest.fixture
def imported():
    call_command("import_bundle", str(DATA / "bundle"), stdout=io.StringIO())


def refresh(project: Project | None) -> None:
    outcome = service.refresh_scope(project.pk if project else None,
                                    trigger=SnapshotTrigger.COMMAND, today=TODAY)
    assert outcome.status == "succeeded"


def stored(project, kind, date_from, date_to, dimension="") -> IndicatorSnapshot:
    return IndicatorSnapshot.objects.get(project=project, period_kind=kind, date_from=date_from,
                                         date_to=date_to, dimension=dimension)


def assert_same_document(actual: dict, expected: dict) -> None:
    """Equal, numbers to 1e-9 and rows in any order (as tests/data/README.md says)."""
    def close(a, b):
        if isinstance(a, float) or isinstance(b, float):
            return a is not None and b is not None and math.isclose(a, b, abs_tol=1e-9)
        return a == b

    assert {k: actual[k] for k in ("from", "to", "project", "by")} == {
        k: expected[k] for k in ("from", "to", "project", "by")}
    pairs = [(actual["total"], expected["total"])]
    actual_rows = {row["group"]: row["values"] for row in actual["rows"]}
    expected_rows = {row["group"]: row["values"] for row in expected["rows"]}
    assert actual_rows.keys() == expected_rows.keys()
    pairs += [(actual_rows[group], expected_rows[group]) for group in expected_rows]
    for got, want in pairs:
        assert got.keys() == want.keys()
        wrong = {code: (got[code], want[code]) for code in want if not close(got[code], want[code])}
        assert wrong == {}


def test_a_project_scope_stores_what_compute_gives(imported):
    project = Project.objects.get(code="VVV-TRD")
    refresh(project)

    periods = standard_periods(TODAY, data_range(project, TODAY))
    assert IndicatorSnapshot.objects.filter(project=project).count() == len(periods) * 9
    for period in (periods[0], periods[-1], *[p for p in periods if p.kind == PeriodKind.YEAR]):
        for by in (None, "gender", "project"):
            snapshot = stored(project, period.kind, period.date_from, period.date_to, by or "")
            query = IndicatorQuery(period.date_from, period.date_to, "VVV-TRD", by)
            assert snapshot.result == compute(query).to_json()


EXPECTED = [  # (file in tests/data/expected, the kind of standard period it is)
    ("all-2023.json", PeriodKind.YEAR),
    ("2024-by-provider.json", PeriodKind.YEAR),
    ("2024q2-by-measure_type.json", PeriodKind.QUARTER),
    ("2022-by-age_band.json", PeriodKind.YEAR),
]


def test_the_expected_values_can_be_read_back_from_stored_snapshots(imported):
    refresh(None)
    for expected_file, kind in EXPECTED:
        expected = json.loads((DATA / "expected" / expected_file).read_text(encoding="utf-8"))
        snapshot = stored(None, kind, dt.date.fromisoformat(expected["from"]),
                          dt.date.fromisoformat(expected["to"]), expected["by"] or "")
        document = IndicatorResult.from_json(snapshot.result).document(raw=True)
        assert_same_document(document, expected)


def all_results(project=None) -> dict:
    return {(s.period_kind, s.date_from, s.date_to, s.dimension): s.result
            for s in IndicatorSnapshot.objects.filter(project=project)}


def test_an_incremental_refresh_after_changes_stores_what_a_full_one_does(
        imported, django_capture_on_commit_callbacks):
    from measures.models import Enrollment
    from participants.models import FollowUp, OutcomeSpell

    refresh(None)
    computed_at = {key: s.computed_at for key, s in (
        ((s.period_kind, s.date_from, s.date_to, s.dimension), s)
        for s in IndicatorSnapshot.objects.filter(project=None))}
    # Changes dated in 2025 (and one moved out of 2024): periods ending before the
    # earliest of those dates keep their snapshots.
    with django_capture_on_commit_callbacks(execute=True):
        follow_up = FollowUp.objects.filter(occurred_on__year=2024).order_by("pk").first()
        moved_from = follow_up.occurred_on
        follow_up.occurred_on = dt.date(2025, 9, 1)
        follow_up.save()
        spell = OutcomeSpell.objects.filter(kind="work").order_by("pk").first()
        spell.delete()
        ended = Enrollment.objects.filter(ended_on__year=2025, started_on__isnull=False
                                          ).order_by("pk").first()
        ended.end_reason = "dropped_out" if ended.end_reason != "dropped_out" else "completed"
        ended.save()
    earliest = min(moved_from, spell.started_on, ended.referred_on)

    refresh(None)
    incremental = all_results()
    kept = {key for key, s in ((
        (s.period_kind, s.date_from, s.date_to, s.dimension), s)
        for s in IndicatorSnapshot.objects.filter(project=None))
        if s.computed_at == computed_at.get(key)}
    assert kept and all(key[2] < earliest for key in kept)

    service.refresh_scope(None, trigger=SnapshotTrigger.COMMAND, today=TODAY, full=True)
    assert all_results() == incremental
