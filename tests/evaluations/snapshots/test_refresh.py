"""Computing and storing the snapshots of one scope: idempotent, locked, failure-safe."""

import datetime as dt

import pytest
from django.utils import timezone

from evaluations.indicators import DIMENSIONS
from evaluations.models import (
    IndicatorSnapshot,
    PeriodKind,
    SnapshotRun,
    SnapshotScope,
    SnapshotTrigger,
)
from evaluations.snapshots import service
from evaluations.snapshots.periods import data_range, standard_periods
from evaluations.snapshots.staleness import mark_projects_stale
from participants.models import Participant
from tests import factories

from .conftest import TODAY

pytestmark = pytest.mark.django_db

NIGHTLY = SnapshotTrigger.NIGHTLY


def refresh(project=None, **kwargs):
    kwargs.setdefault("trigger", NIGHTLY)
    kwargs.setdefault("today", TODAY)
    return service.refresh_scope(project.pk if project else None, **kwargs)


def stored(project=None):
    snapshots = IndicatorSnapshot.objects.filter(project=project)
    return sorted(snapshots.values_list("period_kind", "date_from", "date_to", "dimension"))


def scope_of(project=None):
    if project is None:
        return SnapshotScope.objects.get(all_projects=True)
    return SnapshotScope.objects.get(project=project)


def programme_participant(programme):
    return Participant.objects.filter(project__parent__parent=programme).first()


@pytest.fixture
def programme(tree):
    """The programme with one participant in the team, enrolled 2024-01-15..2024-06-28."""
    participant = factories.ParticipantFactory(project=tree["team"])
    factories.EnrollmentFactory(participant=participant, ended=True)
    return tree["programme"]


def test_every_standard_period_is_stored_by_every_breakdown(fake_compute, programme):
    outcome = refresh(programme)

    periods = standard_periods(TODAY, data_range(programme, TODAY))
    assert outcome.status == "succeeded"
    assert outcome.snapshots == len(periods) * (1 + len(DIMENSIONS)) == len(stored(programme))
    assert stored(programme) == sorted(
        (p.kind, p.date_from, p.date_to, by) for p in periods for by in ("", *DIMENSIONS)
    )
    assert fake_compute.projects() == {"VVV"}


def test_the_stored_result_is_the_result_of_its_query(fake_compute, programme):
    refresh(programme)
    snapshot = IndicatorSnapshot.objects.get(
        project=programme, period_kind=PeriodKind.YEAR, date_from=dt.date(2024, 1, 1),
        dimension="gender",
    )
    assert snapshot.date_to == dt.date(2024, 12, 31)
    assert snapshot.result == {"from": "2024-01-01", "to": "2024-12-31", "project": "VVV",
                               "by": "gender", "total": {}, "rows": []}
    assert snapshot.computed_at is not None


def test_all_projects_is_a_scope_of_its_own(fake_compute, programme):
    refresh(None)
    assert stored(None)
    assert stored(programme) == []
    assert fake_compute.projects() == {None}
    assert scope_of(None).refreshed_at is not None


def test_running_twice_gives_the_same_rows_and_no_duplicates(fake_compute, programme):
    refresh(programme)
    first = stored(programme)
    refresh(programme)
    assert stored(programme) == first
    assert IndicatorSnapshot.objects.filter(project=programme).count() == len(first)


def test_periods_that_left_the_window_are_removed(fake_compute, programme):
    refresh(programme, today=TODAY)
    refresh(programme, today=TODAY + dt.timedelta(days=40))
    months = IndicatorSnapshot.objects.filter(project=programme, period_kind=PeriodKind.MONTH,
                                              dimension="")
    assert months.count() == 24
    assert not months.filter(date_from=dt.date(2023, 7, 1)).exists()  # 25 months back now


def test_a_successful_run_is_recorded_and_clears_the_stale_mark(fake_compute, programme):
    SnapshotScope.objects.create(project=programme, data_version=3)
    refresh(programme)
    run = SnapshotRun.objects.get()
    assert (run.status, run.trigger, run.attempt) == ("succeeded", "nightly", 1)
    assert run.finished_at >= run.started_at
    assert run.snapshots_written == len(stored(programme))
    scope = scope_of(programme)
    assert (scope.refreshed_version, scope.is_stale, scope.stale_since) == (3, False, None)
    assert scope.lease_token == "" and scope.lease_until is None


def test_a_change_while_computing_leaves_the_scope_stale(
    fake_compute, programme, django_capture_on_commit_callbacks
):
    """The version is read before computing: a change committed meanwhile is not lost."""
    mark_projects_stale({programme.pk})  # data_version 1
    changed = []

    def change_once(query):
        if not changed:
            with django_capture_on_commit_callbacks(execute=True):
                factories.FollowUpFactory(participant=programme_participant(programme))
            changed.append(True)

    fake_compute.before = change_once
    refresh(programme)
    scope = scope_of(programme)
    assert (scope.refreshed_version, scope.data_version, scope.is_stale) == (1, 2, True)
    assert scope.stale_since is not None


def test_a_failed_run_keeps_the_last_good_snapshots_and_is_recorded(fake_compute, programme):
    refresh(programme)
    good = list(IndicatorSnapshot.objects.filter(project=programme).values("pk", "result"))
    mark_projects_stale({programme.pk})

    fake_compute.fail_times = 1
    with pytest.raises(RuntimeError, match="computation broke"):
        refresh(programme, attempt=2)

    assert list(IndicatorSnapshot.objects.filter(project=programme).values("pk", "result")) == good
    failed = SnapshotRun.objects.get(status="failed")
    assert failed.attempt == 2
    assert "RuntimeError: the indicator computation broke" in failed.error
    assert failed.finished_at is not None and failed.snapshots_written == 0
    scope = scope_of(programme)
    assert scope.is_stale  # still to be done
    assert scope.lease_until is None  # and the next try may start at once


def test_a_failure_while_writing_rolls_the_whole_write_back(fake_compute, programme, monkeypatch):
    refresh(programme)
    before = stored(programme)

    def broken_bulk_create(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(IndicatorSnapshot.objects, "bulk_create", broken_bulk_create)
    with pytest.raises(RuntimeError, match="disk full"):
        refresh(programme)
    assert stored(programme) == before  # the delete before the insert was rolled back


def test_a_scope_held_by_another_run_is_skipped_without_computing(fake_compute, programme):
    """Two runs at once: the second finds the lease taken and leaves the scope alone."""
    refresh(programme)
    before = stored(programme)
    fake_compute.queries.clear()
    SnapshotScope.objects.filter(project=programme).update(
        lease_token="another-run", lease_until=timezone.now() + dt.timedelta(minutes=30)
    )

    outcome = refresh(programme)

    assert outcome.status == "skipped"
    assert fake_compute.queries == []
    assert stored(programme) == before
    assert SnapshotRun.objects.count() == 1  # only the first run
    assert scope_of(programme).lease_token == "another-run"  # not released by the skipped run


def test_a_run_started_inside_another_is_skipped(fake_compute, programme):
    """The lease is held for the whole computation: a second refresh meanwhile is skipped."""
    inner = []

    def start_another(query):
        if not inner:
            inner.append(refresh(programme))

    fake_compute.before = start_another
    outcome = refresh(programme)
    assert (outcome.status, inner[0].status) == ("succeeded", "skipped")
    assert SnapshotRun.objects.count() == 1
    assert len(stored(programme)) == outcome.snapshots


def test_a_lapsed_lease_of_a_dead_worker_is_taken_over(fake_compute, programme):
    scope = service.scope_for(programme)
    dead = SnapshotRun.objects.create(scope=scope, trigger=NIGHTLY,
                                      started_at=timezone.now() - dt.timedelta(hours=2))
    SnapshotScope.objects.filter(pk=scope.pk).update(
        lease_token="dead-worker", lease_until=timezone.now() - dt.timedelta(minutes=1)
    )

    assert refresh(programme).status == "succeeded"
    dead.refresh_from_db()
    assert dead.status == "failed"
    assert "Interrupted" in dead.error


def test_a_run_whose_lease_was_taken_over_does_not_write(fake_compute, programme):
    refresh(programme)
    before = list(IndicatorSnapshot.objects.filter(project=programme).values_list("pk", flat=True))

    def steal_the_lease(query):
        SnapshotScope.objects.filter(project=programme).update(lease_token="newer-run")

    fake_compute.before = steal_the_lease
    mark_projects_stale({programme.pk})
    with pytest.raises(service.LeaseLost):
        refresh(programme)
    after = IndicatorSnapshot.objects.filter(project=programme).values_list("pk", flat=True)
    assert list(after) == before
    assert SnapshotRun.objects.filter(status="failed").count() == 1


def test_a_deleted_project_is_gone_not_failed(fake_compute):
    outcome = service.refresh_scope(987654, trigger=NIGHTLY, today=TODAY)
    assert outcome.status == "gone"
    assert SnapshotRun.objects.count() == 0


def test_old_finished_runs_are_pruned(programme):
    now = timezone.now()
    scope = service.scope_for(programme)
    old = factories.SnapshotRunFactory(scope=scope, started_at=now - dt.timedelta(days=91),
                                       finished_at=now - dt.timedelta(days=91))
    recent = factories.SnapshotRunFactory(scope=scope, started_at=now - dt.timedelta(days=89),
                                          finished_at=now - dt.timedelta(days=89))
    assert service.prune_old_runs(now) == 1
    assert list(SnapshotRun.objects.all()) == [recent]
    assert not SnapshotRun.objects.filter(pk=old.pk).exists()


def test_a_refresh_computes_only_new_periods_and_those_a_change_reached(fake_compute,
                                                                       programme):
    refresh(programme)
    everything = stored(programme)
    fake_compute.queries.clear()

    refresh(programme)
    assert fake_compute.queries == []  # nothing changed, today did not move
    mark_projects_stale({programme.pk}, dt.date(2025, 4, 20))
    refresh(programme)
    assert fake_compute.queries
    assert {q.date_to >= dt.date(2025, 4, 20) for q in fake_compute.queries} == {True}
    assert stored(programme) == everything
    assert scope_of(programme).changed_from is None

    fake_compute.queries.clear()
    refresh(programme, today=TODAY + dt.timedelta(days=1))  # the periods to date moved
    assert {q.date_to for q in fake_compute.queries} == {TODAY + dt.timedelta(days=1)}


def test_a_full_refresh_computes_every_period(fake_compute, programme):
    refresh(programme)
    fake_compute.queries.clear()
    outcome = refresh(programme, full=True)
    assert outcome.snapshots == len(stored(programme)) == len(fake_compute.queries)
