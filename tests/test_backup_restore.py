"""scripts/backup.sh and scripts/restore.sh (docs/operations.md, "Backup and restore"): a
dump of the test database, restored into a scratch database, holds exactly the same rows;
a database that is not empty is refused without --force; a failed backup leaves no file;
the password never appears on a command line; no DATABASE_URL, no backup.

PostgreSQL only: the scripts use pg_dump, pg_restore and psql."""

import datetime as dt
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from types import SimpleNamespace
from unittest import mock
from urllib.parse import quote

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, connections
from django.test import override_settings

from evaluations.indicators import IndicatorQuery, compute
from participants.encryption import decrypt, lookup_hash
from participants.models import Country
from rehab.db_routers import REPLICA, reading_from_replica
from tests import factories

ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
MISSING_TOOLS = [tool for tool in ("pg_dump", "pg_restore", "psql") if not shutil.which(tool)]

pytestmark = [
    pytest.mark.skipif(not ON_POSTGRESQL,
                       reason="backup and restore are for PostgreSQL; the test database is not"),
    pytest.mark.skipif(bool(MISSING_TOOLS),
                       reason=f"PostgreSQL client tools not on PATH: {', '.join(MISSING_TOOLS)}"),
]

if ON_POSTGRESQL:  # psycopg is installed wherever the tests run on PostgreSQL
    import psycopg
    from psycopg import sql

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"
BACKUP = SCRIPTS / "backup.sh"
RESTORE = SCRIPTS / "restore.sh"
# Invented, with a wrong check digit: it cannot belong to anyone.
NATIONAL_ID = "24037612345"


def database_url(settings_dict: dict, name: str) -> str:
    """A libpq URL (which Django's DATABASE_URL understands too) of database ``name`` on the
    server of ``settings_dict``."""
    auth = quote(settings_dict["USER"] or "", safe="")
    if settings_dict["PASSWORD"]:
        auth += ":" + quote(settings_dict["PASSWORD"], safe="")
    host, query = settings_dict["HOST"] or "", ""
    if host.startswith("/"):  # a Unix socket directory
        host, query = "", "?host=" + quote(settings_dict["HOST"], safe="")
    port = f":{settings_dict['PORT']}" if settings_dict["PORT"] else ""
    return f"postgresql://{auth}{'@' if auth else ''}{host}{port}/{quote(name, safe='')}{query}"


def run(script: Path, *args, database_url: str | None):
    env = {**os.environ, "PYTHON": sys.executable, "DJANGO_SETTINGS_MODULE": "rehab.settings"}
    env.pop("DATABASE_REPLICA_URL", None)
    env.pop("DATABASE_URL", None)
    if database_url is not None:
        env["DATABASE_URL"] = database_url
    return subprocess.run([str(script), *map(str, args)], env=env, capture_output=True,
                          text=True, timeout=120, check=False)


def contents(url: str) -> dict:
    """Every table of the schema with its row count and a checksum of all its rows, and the
    position of every sequence (so new rows after a restore get fresh ids)."""
    with psycopg.connect(url) as conn:
        tables = [row[0] for row in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1")]
        rows = {
            table: conn.execute(sql.SQL(
                "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), ''))"
                " FROM {} AS t").format(sql.Identifier(table))).fetchone()
            for table in tables
        }
        sequences = dict(conn.execute(
            "SELECT sequencename, last_value FROM pg_sequences"
            " WHERE schemaname = current_schema()").fetchall())
    return {"rows": rows, "sequences": sequences}


def build_case_data():
    project = factories.ProjectFactory()
    case_worker = factories.CaseWorkerFactory()
    office = case_worker.staff_profile.office
    item = factories.InstrumentItemFactory()
    with_id = factories.ParticipantFactory(
        project=project, office=office, primary_case_worker=case_worker,
        national_id=NATIONAL_ID, national_id_country=Country.NORWAY)
    others = factories.ParticipantFactory.create_batch(
        3, project=project, office=office, primary_case_worker=case_worker)
    for participant, trait in zip([with_id, *others], ["ended", "active", "withdrawn", "ended"],
                                  strict=True):
        factories.EnrollmentFactory(participant=participant, **{trait: True})
        factories.FollowUpFactory(participant=participant, case_worker=case_worker)
        factories.AnswerFactory(participant=participant, item=item)
    factories.FollowUpFactory(participant=with_id, case_worker=case_worker,
                              occurred_on=dt.date(2024, 5, 3))
    factories.OutcomeSpellFactory(participant=with_id)
    factories.OutcomeSpellFactory(participant=others[2], ended_on=dt.date(2024, 12, 31))
    return with_id


def indicators_of(alias_settings: dict | None):
    """The indicators of 2024 over all projects, from the test database, or (given its
    settings) from another database, read as the dashboards read a replica."""
    query = IndicatorQuery(dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    if alias_settings is None:
        return compute(query)
    # A connection of its own, not in settings.DATABASES (so the test case allows it).
    replica = connections["default"].__class__(alias_settings, alias=REPLICA)
    connections[REPLICA] = replica
    databases = {"default": connection.settings_dict, REPLICA: alias_settings}
    try:
        # The scratch connection exists in this thread only: no parts on other threads.
        with (mock.patch("rehab.db_routers.settings", SimpleNamespace(DATABASES=databases)),
              override_settings(INDICATOR_PARALLEL_QUERIES=1), reading_from_replica()):
            return compute(query)
    finally:
        replica.close()
        del connections[REPLICA]


@pytest.fixture
def scratch_database():
    """An empty database of its own (the tests run in parallel), dropped at the end."""
    name = f"rehab_restore_{uuid.uuid4().hex[:16]}"
    maintenance = database_url(connection.settings_dict, "postgres")
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(
            sql.Identifier(name)))
    try:
        yield name
    finally:
        with psycopg.connect(maintenance, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)))


@pytest.mark.slow  # two restores and a migrate --check: several seconds
@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_to_the_same_rows(migration_data, scratch_database, tmp_path):
    participant = build_case_data()
    source = database_url(connection.settings_dict, connection.settings_dict["NAME"])
    target = database_url(connection.settings_dict, scratch_database)
    backups = tmp_path / "backups"

    backup = run(BACKUP, backups, database_url=source)
    assert backup.returncode == 0, backup.stderr
    [dump] = backups.iterdir()  # nothing else: no temporary file left behind
    assert dump.name.startswith("rehab-") and dump.name.endswith("Z.dump")
    assert f"{dump} (" in backup.stdout and "IDENTITY_ENCRYPTION_KEYS" in backup.stdout
    assert "postgres@" not in backup.stdout + backup.stderr  # the URL is never printed

    restore = run(RESTORE, dump, database_url=target)
    assert restore.returncode == 0, restore.stdout + restore.stderr
    assert "participants_participant   4" in restore.stdout
    assert "the schema is current" in restore.stdout

    original = contents(source)
    restored = contents(target)
    assert restored == original
    model_tables = {model._meta.db_table for model in apps.get_models(include_auto_created=True)
                    if model._meta.managed and not model._meta.proxy}
    assert model_tables <= restored["rows"].keys()
    for table in ("participants_participant", "measures_enrollment", "participants_followup",
                  "participants_outcomespell", "participants_answer", "auth_group",
                  "django_migrations"):
        assert restored["rows"][table][0] > 0, table

    # The identity number comes back encrypted, and the keys still read and find it.
    with psycopg.connect(target) as conn:
        token, found_by = conn.execute(
            "SELECT national_id, national_id_hash FROM participants_participant WHERE ref = %s",
            [participant.ref]).fetchone()
    assert token != NATIONAL_ID and decrypt(token) == NATIONAL_ID
    assert found_by == lookup_hash(Country.NORWAY, NATIONAL_ID)

    figures = indicators_of(None)
    assert any(cell.units for cell in figures.total.values())
    assert indicators_of({**connection.settings_dict, "NAME": scratch_database}) == figures

    # A database with tables is refused, and left as it was ...
    refused = run(RESTORE, dump, database_url=target)
    assert refused.returncode == 1
    assert "not empty" in refused.stderr and "--force" in refused.stderr
    assert contents(target) == original
    # ... unless --force replaces what the dump holds.
    forced = run(RESTORE, "--force", "--no-migrate-check", dump, database_url=target)
    assert forced.returncode == 0, forced.stdout + forced.stderr
    assert contents(target) == original


def test_a_failed_backup_leaves_no_file_and_no_password_on_a_command_line(tmp_path):
    """pg_dump gets the password in its environment, and a dump it leaves half written is
    removed (a stand-in pg_dump that writes part of the file and fails)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "pg_dump"
    fake.write_text('#!/bin/sh\necho "$*" > "$LOG"; echo "$PGPASSWORD" >> "$LOG"\n'
                    'for a; do case "$a" in --file=*) echo half > "${a#--file=}";; esac; done\n'
                    "exit 1\n")
    fake.chmod(0o755)
    log = tmp_path / "pg_dump.log"
    backups = tmp_path / "backups"
    with mock.patch.dict(os.environ, {"PATH": f"{bin_dir}:{os.environ['PATH']}",
                                      "LOG": str(log)}):
        result = run(BACKUP, backups,
                     database_url="postgres://rehab:s%40cr%2Ft@db.example:5432/rehab")
    assert result.returncode == 1
    assert "no backup was written" in result.stderr
    assert list(backups.iterdir()) == []
    arguments, password = log.read_text().splitlines()
    assert "--dbname=postgresql://rehab@db.example:5432/rehab" in arguments
    assert "s%40cr" not in arguments and password == "s@cr/t"
    assert "s%40cr" not in result.stdout + result.stderr


@pytest.mark.parametrize("database_url", [None, "", "sqlite:///var/rehab.sqlite3"])
def test_a_backup_needs_a_postgresql_database_url(database_url, tmp_path):
    result = run(BACKUP, tmp_path / "backups", database_url=database_url)
    assert result.returncode == 2
    assert "DATABASE_URL" in result.stderr
    assert not (tmp_path / "backups").exists()


def test_a_restore_needs_a_dump_and_a_postgresql_database_url(tmp_path):
    dump = tmp_path / "rehab.dump"
    dump.write_bytes(b"not a dump")
    assert run(RESTORE, dump, database_url=None).returncode == 2
    assert run(RESTORE, database_url="postgres://localhost/rehab").returncode == 2
    assert run(RESTORE, tmp_path / "missing.dump",
               database_url="postgres://localhost/rehab").returncode == 2
