"""A snapshot task queued through the real broker is run by a real worker.

Runs only with REDIS_URL (CI runs the suite against its Redis service) and on
PostgreSQL: the worker is a separate process, so it needs a database it can reach by
URL, which an in-memory SQLite test database is not. The worker listens on a queue of
its own, so it takes no other task and no other worker takes this one.
"""

import io
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from kombu import Exchange, Queue

from evaluations.indicators import IndicatorQuery, compute
from evaluations.models import IndicatorSnapshot, Project, SnapshotRun
from evaluations.tasks import refresh_project_snapshots
from rehab.celery import app

BASE_DIR = Path(settings.BASE_DIR)
BUNDLE = BASE_DIR / "tests" / "data" / "bundle"
TASK_TIMEOUT_SECONDS = 90

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"),
                       reason="REDIS_URL is not set: the broker check needs a Redis server "
                              "(CI runs it against its Redis service)"),
]


def database_url(settings_dict) -> str:
    """The URL of the test database, for the worker process (django-environ's format)."""
    user = quote(settings_dict["USER"] or "", safe="")
    password = quote(settings_dict["PASSWORD"] or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict["HOST"] or "localhost"
    port = settings_dict["PORT"] or "5432"
    return f"postgres://{credentials}{host}:{port}/{settings_dict['NAME']}"


@pytest.fixture
def worker(transactional_db):
    """A `celery -A rehab worker` on a queue of its own, against the test database."""
    if connection.vendor != "postgresql":
        pytest.skip("the worker process needs a database reachable by URL; the SQLite test "
                    "database may be in memory (CI runs this check on PostgreSQL)")
    queue = f"snapshot-test-{uuid.uuid4().hex[:12]}"
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "rehab.settings",
        "DATABASE_URL": database_url(connection.settings_dict),
        "REDIS_URL": settings.REDIS_URL,
    }
    log = tempfile.NamedTemporaryFile(mode="w+", suffix=".log", delete=False)  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "rehab", "worker", "--queues", queue,
         "--pool", "solo", "--hostname", f"{queue}@%h", "--without-gossip",
         "--without-mingle", "--without-heartbeat", "--loglevel", "INFO"],
        cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        yield queue
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        # The queue goes, with a task a failed run may have left (a retry waiting).
        with app.connection_for_write() as broker:
            own_queue = Queue(queue, Exchange(queue), routing_key=queue)(broker.default_channel)
            own_queue.declare()
            own_queue.delete()
        log.seek(0)
        output = log.read()
        log.close()
        os.unlink(log.name)
        print(output[-5000:])  # shown by pytest when the test failed


def test_a_snapshot_task_queued_through_the_broker_completes(worker, migration_data, monkeypatch):
    call_command("import_bundle", str(BUNDLE), stdout=io.StringIO())
    project = Project.objects.get(code="INKR-DINO")
    # The test settings run tasks in-process; this one must go through the broker.
    monkeypatch.setitem(app.conf, "task_always_eager", False)

    started = time.monotonic()
    result = refresh_project_snapshots.apply_async(args=[project.pk, "requested"], queue=worker)
    outcome = result.get(timeout=TASK_TIMEOUT_SECONDS)
    result.forget()  # the result backend keeps it a day otherwise

    assert outcome["status"] == "succeeded", outcome
    snapshots = IndicatorSnapshot.objects.filter(project=project)
    assert snapshots.count() == outcome["snapshots"] > 0
    run = SnapshotRun.objects.get(scope__project=project)
    assert (run.status, run.trigger) == ("succeeded", "requested")
    assert time.monotonic() - started < TASK_TIMEOUT_SECONDS

    # What the worker stored is what this process computes for the same query.
    stored = snapshots.filter(period_kind="rolling12", dimension="gender").get()
    query = IndicatorQuery(stored.date_from, stored.date_to, project.code, "gender")
    assert stored.result == compute(query).to_json()
