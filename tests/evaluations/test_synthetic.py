"""generate_synthetic: realistic fictional histories that satisfy every rule of the
database, the same for the same seed, with the awkward cases among them."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, F, Q

from evaluations import synthetic
from evaluations.indicators import IndicatorQuery, compute
from evaluations.models import SnapshotScope
from measures.models import EndReason, Enrollment
from participants.models import Answer, FollowUp, OutcomeSpell, Participant

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 30)


@pytest.fixture
def generated(migration_data):
    synthetic.generate(participants=400, seed=7, today=TODAY)


@pytest.mark.django_db(transaction=True)
def test_histories_have_the_expected_shape_and_awkward_cases(generated):
    people = Participant.objects.count()
    assert people == 400
    enrollments = Enrollment.objects.count()
    assert 2.0 <= enrollments / people <= 4.0
    assert 6 <= FollowUp.objects.count() / people <= 14
    assert OutcomeSpell.objects.filter(kind="work").exists()
    assert Answer.objects.exists()
    # The awkward cases: withdrawn referrals, people still waiting, concurrent measures
    # started the same day, chains where the next referral is the day of the last end,
    # work before the programme, follow-ups held by someone else.
    assert Enrollment.objects.filter(end_reason=EndReason.NOT_STARTED).exists()
    assert Enrollment.objects.filter(started_on__isnull=True, ended_on__isnull=True).exists()
    assert Enrollment.objects.values("participant", "started_on").annotate(
        n=Count("pk")).filter(n__gt=1, started_on__isnull=False).exists()
    assert Enrollment.objects.filter(participant__enrollments__ended_on=F("referred_on")
                                     ).exists()
    first_starts = {p: s for p, s in Enrollment.objects.filter(started_on__isnull=False)
                    .values_list("participant", "started_on").order_by("-started_on")}
    assert any(started < first_starts.get(pid, started) for pid, started in
               OutcomeSpell.objects.filter(kind="work").values_list("participant",
                                                                    "started_on"))
    assert FollowUp.objects.exclude(case_worker=F("participant__primary_case_worker")).exists()
    assert Participant.objects.filter(evaluation_consent=False).exists()
    # Every scope is to be computed again.
    assert all(scope.is_stale for scope in SnapshotScope.objects.all())
    result = compute(IndicatorQuery(dt.date(2025, 1, 1), dt.date(2025, 12, 31), "SYN", None))
    assert result.total["participants"].value > 0


@pytest.mark.django_db(transaction=True)
def test_the_same_seed_gives_the_same_data(migration_data):
    synthetic.generate(participants=50, seed=3, today=TODAY)
    first = list(Enrollment.objects.order_by("ref").values_list(
        "ref", "referred_on", "started_on", "ended_on", "end_reason"))
    Participant.objects.all().delete()
    synthetic.generate(participants=50, seed=3, today=TODAY)
    second = list(Enrollment.objects.order_by("ref").values_list(
        "ref", "referred_on", "started_on", "ended_on", "end_reason"))
    assert [row[1:] for row in first] == [row[1:] for row in second]


@pytest.mark.django_db(transaction=True)
def test_generating_again_adds_more(migration_data):
    synthetic.generate(participants=20, seed=1, today=TODAY)
    synthetic.generate(participants=30, seed=2, today=TODAY)
    assert Participant.objects.count() == 50
    Participant.objects.create(ref="AFTER", birth_year=1990, gender="female",
                               project_id=Participant.objects.first().project_id,
                               office_id=Participant.objects.first().office_id)
    assert not Participant.objects.filter(~Q(ref__startswith="SYN-"), ~Q(ref="AFTER")).exists()


def test_the_command_reports_what_it_made(migration_data):
    out = io.StringIO()
    call_command("generate_synthetic", "--participants", "10", stdout=out)
    assert "10 participants generated" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("generate_synthetic", "--participants", "0")


def test_it_refuses_a_database_with_real_case_data_and_changes_nothing(migration_data):
    from evaluations.models import Project
    from tests import factories
    factories.ParticipantFactory(ref="P-00001")
    projects = Project.objects.count()

    with pytest.raises(CommandError, match="never beside real case data"):
        call_command("generate_synthetic", "--participants", "10")

    assert Participant.objects.count() == 1
    assert Project.objects.count() == projects


def test_demo_participants_are_not_case_data(migration_data):
    from tests import factories
    factories.ParticipantFactory(ref="DEMO-0001")

    assert synthetic.generate(participants=5, seed=1, today=TODAY) == 5


def _schema_of_history_tables():
    """Their keys, constraints and indexes, and the foreign keys of other tables that
    refer to them (a bulk load sets all of these aside)."""
    from evaluations.synthetic_sql import BULK_TABLES
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT conrelid::regclass::text || '.' || conname, pg_get_constraintdef(oid)
            FROM pg_constraint
            WHERE conrelid::regclass::text = ANY(%(tables)s)
                  OR confrelid::regclass::text = ANY(%(tables)s)
            UNION ALL
            SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index
            WHERE indrelid::regclass::text = ANY(%(tables)s)
            ORDER BY 1, 2""", {"tables": list(BULK_TABLES)})
        schema = cursor.fetchall()
    assert any(definition.startswith("PRIMARY KEY") for _, definition in schema)
    assert any(name.startswith("participants_plan.") for name, _ in schema)
    return schema


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the bulk load is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_a_bulk_load_gives_the_same_rows_and_leaves_every_index_and_key(migration_data,
                                                                         monkeypatch):
    schema = _schema_of_history_tables()
    synthetic.generate(participants=60, seed=5, today=TODAY)
    batched = list(Enrollment.objects.order_by("ref").values_list(
        "ref", "referred_on", "started_on", "ended_on", "end_reason", "measure_id"))
    Participant.objects.all().delete()
    monkeypatch.setattr(synthetic, "BULK_LOAD_FROM", 1)
    synthetic.generate(participants=60, seed=5, today=TODAY)
    bulk = list(Enrollment.objects.order_by("ref").values_list(
        "ref", "referred_on", "started_on", "ended_on", "end_reason", "measure_id"))
    assert [row[1:] for row in bulk] == [row[1:] for row in batched]
    assert _schema_of_history_tables() == schema


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the bulk load is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_a_failed_bulk_load_leaves_nothing_and_keeps_the_indexes(migration_data, monkeypatch):
    from evaluations import synthetic_sql
    schema = _schema_of_history_tables()
    monkeypatch.setattr(synthetic, "BULK_LOAD_FROM", 1)
    monkeypatch.setattr(synthetic, "SQL_CHUNK", 10)
    written = synthetic_sql.write_batch
    batches = []

    def fail_on_the_second_batch(**kwargs):
        batches.append(kwargs)
        if len(batches) == 2:
            raise RuntimeError("interrupted")
        written(**kwargs)

    monkeypatch.setattr(synthetic_sql, "write_batch", fail_on_the_second_batch)
    with pytest.raises(RuntimeError):
        synthetic.generate(participants=30, seed=5, today=TODAY)
    assert not Participant.objects.exists()
    assert _schema_of_history_tables() == schema
