"""The database refuses duplicate snapshots and scopes, and inconsistent runs."""

import datetime as dt
from contextlib import contextmanager

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F

from evaluations.models import IndicatorSnapshot, SnapshotRun, SnapshotScope
from tests import factories

pytestmark = pytest.mark.django_db


@contextmanager
def refused_by(constraint: str | None = None):
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        yield


def copy_of(snapshot: IndicatorSnapshot, **changes) -> IndicatorSnapshot:
    fields = {f: getattr(snapshot, f) for f in
              ("project", "period_kind", "date_from", "date_to", "dimension", "result",
               "computed_at")}
    return IndicatorSnapshot(**(fields | changes))


def test_a_project_has_one_snapshot_per_period_and_breakdown():
    """unique_project_indicator_snapshot"""
    snapshot = factories.IndicatorSnapshotFactory(dimension="gender")
    with refused_by():
        IndicatorSnapshot.objects.bulk_create([copy_of(snapshot)])


def test_all_projects_have_one_snapshot_per_period_and_breakdown_too():
    """unique_all_projects_indicator_snapshot: NULL project rows are not all distinct."""
    snapshot = factories.IndicatorSnapshotFactory(project=None)
    with refused_by():
        IndicatorSnapshot.objects.bulk_create([copy_of(snapshot)])


def test_the_same_dates_may_be_stored_once_per_kind_breakdown_and_project():
    snapshot = factories.IndicatorSnapshotFactory(
        project=None, date_from=dt.date(2025, 1, 1), date_to=dt.date(2025, 1, 10)
    )
    IndicatorSnapshot.objects.bulk_create([
        copy_of(snapshot, period_kind="quarter"),
        copy_of(snapshot, period_kind="year"),
        copy_of(snapshot, dimension="gender"),
        copy_of(snapshot, project=factories.ProjectFactory()),
    ])
    assert IndicatorSnapshot.objects.count() == 5


@pytest.mark.parametrize(
    ("values", "constraint"),
    [
        pytest.param({"period_kind": "week"}, "indicator_snapshot_period_kind_valid", id="kind"),
        pytest.param({"date_to": dt.date(2024, 2, 29)}, "indicator_snapshot_period_is_ordered",
                     id="ends-before-start"),
    ],
)
def test_bad_snapshot_values_are_refused(values, constraint):
    snapshot = factories.IndicatorSnapshotFactory()
    with refused_by(constraint):
        IndicatorSnapshot.objects.filter(pk=snapshot.pk).update(**values)


def test_there_is_one_scope_of_all_projects():
    """unique_all_projects_snapshot_scope"""
    SnapshotScope.objects.create(all_projects=True)
    with refused_by():
        SnapshotScope.objects.bulk_create([SnapshotScope(all_projects=True)])


def test_a_project_has_one_scope():
    scope = factories.SnapshotScopeFactory()
    with refused_by():
        SnapshotScope.objects.bulk_create([SnapshotScope(project=scope.project)])


@pytest.mark.parametrize(
    "values",
    [
        pytest.param({"all_projects": True}, id="project-and-all"),
        pytest.param({"project": None}, id="neither"),
    ],
)
def test_a_scope_is_either_all_projects_or_one_project(values):
    scope = factories.SnapshotScopeFactory()
    with refused_by("snapshot_scope_is_all_or_one_project"):
        SnapshotScope.objects.filter(pk=scope.pk).update(**values)


def test_a_scope_cannot_be_refreshed_past_its_data_version():
    scope = factories.SnapshotScopeFactory(data_version=2, refreshed_version=2)
    with refused_by("snapshot_scope_refreshed_version_not_ahead"):
        SnapshotScope.objects.filter(pk=scope.pk).update(refreshed_version=F("data_version") + 1)


@pytest.mark.parametrize(
    ("values", "constraint"),
    [
        pytest.param({"status": "lost"}, "snapshot_run_status_valid", id="status"),
        pytest.param({"trigger": "whim"}, "snapshot_run_trigger_valid", id="trigger"),
        pytest.param({"finished_at": None}, "snapshot_run_finished_unless_running",
                     id="finished-without-end"),
        pytest.param({"status": "running"}, "snapshot_run_finished_unless_running",
                     id="running-with-end"),
    ],
)
def test_bad_run_values_are_refused(values, constraint):
    run = factories.SnapshotRunFactory()
    with refused_by(constraint):
        SnapshotRun.objects.filter(pk=run.pk).update(**values)
