"""A read replica (DATABASE_REPLICA_URL) serves the dashboards, reports and extracts; every
write, and every other read, goes to the primary."""

from types import SimpleNamespace
from unittest import mock

import pytest
from django.urls import reverse

from evaluations.models import Project
from participants.models import Participant
from rehab.db_routers import ReplicaRouter, read_alias, reading_from_replica
from tests.test_settings import run_settings

WITH_REPLICA = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"},
                "replica": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
router = ReplicaRouter()


def test_marked_reads_go_to_the_replica_and_writes_never_do():
    with mock.patch("rehab.db_routers.settings", SimpleNamespace(DATABASES=WITH_REPLICA)):
        marked_reads_go_to_the_replica()


def marked_reads_go_to_the_replica():
    assert router.db_for_read(Participant) == "default"
    with reading_from_replica():
        assert router.db_for_read(Participant) == "replica" == read_alias()
        assert router.db_for_write(Participant) == "default"
    assert router.db_for_read(Project) == "default"


def test_without_a_replica_everything_uses_the_primary():
    with reading_from_replica():
        assert router.db_for_read(Participant) == "default" == read_alias()


def test_migrations_run_on_the_primary_only():
    assert router.allow_migrate("default", "participants")
    assert not router.allow_migrate("replica", "participants")


def test_the_replica_is_configured_from_the_environment(tmp_path):
    result = run_settings(["DATABASES"], tmp_path,
                          DATABASE_URL="postgres://u:p@primary:5432/rehab",
                          DATABASE_REPLICA_URL="postgres://u:p@replica:5432/rehab")
    assert result.returncode == 0, result.stderr
    assert '"HOST": "replica"' in result.stdout and '"MIRROR": "default"' in result.stdout


@pytest.mark.django_db
def test_the_dashboard_and_reports_still_answer_through_the_router(log_in, project_lead):
    assert log_in(project_lead).get(reverse("evaluations:dashboard")).status_code == 200
