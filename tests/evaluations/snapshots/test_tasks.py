"""The Celery tasks: what they refresh, how they retry, and when beat runs them."""

import pytest
from celery.schedules import crontab

from evaluations import tasks
from evaluations.models import IndicatorSnapshot, SnapshotRun, SnapshotScope
from evaluations.snapshots.staleness import ensure_scopes, mark_projects_stale
from rehab.celery import app

pytestmark = pytest.mark.django_db


def refreshed_scopes(fake_compute) -> set:
    return {code or "all" for code in fake_compute.projects()}


def test_a_project_refresh_retries_with_backoff():
    task = tasks.refresh_project_snapshots
    assert task.autoretry_for == (Exception,)
    assert task.max_retries == 3
    assert task.retry_backoff == 60 and task.retry_backoff_max == 15 * 60
    assert task.retry_jitter is True
    assert task.acks_late is True


@pytest.fixture
def run_like_a_worker(monkeypatch):
    """Run a task in-process as a worker would: a failure is retried, not raised.

    With task_eager_propagates (the settings) the first failure is raised at once.
    """
    monkeypatch.setitem(app.conf, "task_eager_propagates", False)

    def run(task, *args):
        return task.apply(args=args)

    return run


def test_a_failing_refresh_is_retried_until_it_succeeds(fake_compute, tree, run_like_a_worker):
    """Each try is a recorded run with its attempt number."""
    fake_compute.fail_times = 2
    result = run_like_a_worker(tasks.refresh_project_snapshots, tree["other"].pk, "requested")
    assert result.get()["status"] == "succeeded"
    runs = SnapshotRun.objects.order_by("attempt")
    assert [(run.attempt, run.status) for run in runs] == [
        (1, "failed"), (2, "failed"), (3, "succeeded")
    ]
    assert IndicatorSnapshot.objects.filter(project=tree["other"]).exists()


def test_a_refresh_that_keeps_failing_gives_up_after_the_last_retry(
    fake_compute, tree, run_like_a_worker
):
    fake_compute.fail_times = 10
    result = run_like_a_worker(tasks.refresh_project_snapshots, tree["other"].pk, "requested")
    assert result.failed()
    assert isinstance(result.result, RuntimeError)
    assert SnapshotRun.objects.filter(status="failed").count() == 4  # the try and 3 retries
    assert not IndicatorSnapshot.objects.exists()


def test_stale_refresh_recomputes_the_project_its_ancestors_and_all_projects(fake_compute, tree):
    ensure_scopes(project.pk for project in tree.values())
    mark_projects_stale({tree["team"].pk})

    assert tasks.refresh_stale_snapshots.delay().get() == 4

    assert refreshed_scopes(fake_compute) == {"VVV-TRD-A", "VVV-TRD", "VVV", "all"}
    assert not SnapshotScope.objects.stale().exists()
    assert set(SnapshotRun.objects.values_list("trigger", flat=True)) == {"stale"}


def test_stale_refresh_with_nothing_stale_computes_nothing(fake_compute, tree):
    ensure_scopes(project.pk for project in tree.values())
    assert tasks.refresh_stale_snapshots.delay().get() == 0
    assert fake_compute.queries == []


def test_nightly_refresh_computes_every_project_and_all_projects(fake_compute, tree):
    assert tasks.refresh_all_snapshots.delay().get() == 5
    assert refreshed_scopes(fake_compute) == {"VVV", "VVV-TRD", "VVV-TRD-A", "PVA", "all"}
    assert set(SnapshotRun.objects.values_list("trigger", flat=True)) == {"nightly"}
    assert SnapshotRun.objects.filter(status="succeeded").count() == 5


def test_one_failing_scope_does_not_stop_the_others_in_process(fake_compute, tree, monkeypatch):
    def fail_for_pva(query):
        if query.project_code == "PVA":
            raise RuntimeError("PVA is broken")

    fake_compute.before = fail_for_pva
    assert tasks.refresh_all_snapshots.delay().get() == 5
    assert refreshed_scopes(fake_compute) == {"VVV", "VVV-TRD", "VVV-TRD-A", "all"}
    failed = SnapshotRun.objects.get(status="failed")
    assert failed.scope.project == tree["other"]
    assert "PVA is broken" in failed.error


def test_beat_runs_the_nightly_refresh_at_half_past_two_and_the_stale_check_often():
    schedule = app.conf.beat_schedule
    nightly = schedule["refresh-all-snapshots-nightly"]
    assert nightly["task"] == tasks.refresh_all_snapshots.name
    assert nightly["schedule"] == crontab(hour=2, minute=30)
    stale = schedule["refresh-stale-snapshots"]
    assert stale["task"] == tasks.refresh_stale_snapshots.name
    assert stale["schedule"] <= 5 * 60
    assert stale["options"]["expires"] < stale["schedule"]
    assert app.conf.timezone == "Europe/Oslo"


def test_the_tasks_are_registered_with_the_app():
    app.loader.import_default_modules()
    assert {
        "evaluations.tasks.refresh_all_snapshots",
        "evaluations.tasks.refresh_stale_snapshots",
        "evaluations.tasks.refresh_project_snapshots",
    } <= set(app.tasks)
