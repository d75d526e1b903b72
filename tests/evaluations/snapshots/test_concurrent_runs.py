"""Two runs for the same scope at the same moment, each in its own thread and connection."""

import threading

import pytest
from django.db import connection

from evaluations.models import IndicatorSnapshot, SnapshotRun, SnapshotTrigger
from evaluations.snapshots import service
from tests import factories

from .conftest import TODAY


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_compute_and_write_the_scope_once(fake_compute):
    project = factories.ProjectFactory()
    first_is_computing = threading.Event()
    second_is_done = threading.Event()

    def hold_the_first_run(query):
        if not first_is_computing.is_set():
            first_is_computing.set()
            assert second_is_done.wait(timeout=30)

    fake_compute.before = hold_the_first_run
    outcomes = {}

    def run(name):
        try:
            outcomes[name] = service.refresh_scope(
                project.pk, trigger=SnapshotTrigger.REQUESTED, today=TODAY
            ).status
        finally:
            if name == "second":
                second_is_done.set()
            connection.close()

    first = threading.Thread(target=run, args=["first"])
    first.start()
    assert first_is_computing.wait(timeout=30)
    second = threading.Thread(target=run, args=["second"])
    second.start()
    second.join(timeout=30)
    first.join(timeout=30)

    assert outcomes == {"first": "succeeded", "second": "skipped"}
    assert SnapshotRun.objects.filter(scope__project=project).count() == 1
    keys = list(IndicatorSnapshot.objects.filter(project=project).values_list(
        "period_kind", "date_from", "date_to", "dimension"))
    assert len(keys) == len(set(keys)) > 0
