"""Synthetic case data at scale, for benchmarks and load tests (issue: performance).

``generate(participants=N, seed=S)`` adds N fictional participants with realistic
histories: about three enrollments (chained, some concurrent, some withdrawn or still
waiting), ten follow-ups, work or education for about a third, and voice answers for some,
with the awkward cases of INDICATORS.md among them (same-day chains and ties, work that
began before the programme, follow-ups by someone other than the primary case worker,
support after a job starts, questionnaires with items left out). The same seed gives the
same data.

On PostgreSQL the rows are built by the database itself, a batch of participants per
statement (synthetic_sql.py); on SQLite, the embedded default for small demos and tests,
they are built here in Python and written with executemany. No model code runs per row,
so no signals and no change history: the snapshots of every project are marked stale at
the end instead.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from evaluations import synthetic_sql
from evaluations.demo.data import REF_PREFIX as DEMO_REF_PREFIX
from evaluations.models import Project
from evaluations.snapshots.staleness import mark_all_projects_stale
from measures.models import EndReason, Enrollment, Measure, MeasureType, Setting
from participants.models import (
    Answer,
    CaseWorkerAssignment,
    FollowUp,
    InstrumentItem,
    Office,
    OutcomeSpell,
    Participant,
    StaffProfile,
)
from providers.models import Provider
from rehab.roles import Role

CHUNK = 5_000
SQL_CHUNK = 20_000
BULK_LOAD_FROM = 50_000  # participants; below this, building indexes again costs more
PARTICIPANTS_PER_CASE_WORKER = 60
OFFICES = 50
PROVIDERS = 20
MEASURES = 60
GIVEN = ("Kari", "Ola", "Aisha", "Mohammed", "Ingrid", "Lars", "Sanna", "Søren", "Märta",
         "Zofia", "Nguyen", "Fatima", "Bjørn", "Linnéa", "Jørgen", "Mette")
FAMILY = ("Hansen", "Olsen", "Berg", "Dahl", "Nørgaard", "Säll", "Ali", "Haugen",
          "Johansson", "Kowalski", "Ødegård", "Christensen", "Lindqvist", "Strøm")
COMPLETED = (EndReason.COMPLETED, EndReason.GOT_JOB, EndReason.STARTED_EDUCATION,
             EndReason.OTHER_SUPPORT)
EARLY = (EndReason.DROPPED_OUT, EndReason.HEALTH, EndReason.MOVED, EndReason.OTHER)
CHANNELS = ("meeting", "phone", "video", "message", "home_visit")

Progress = Callable[[int, int], None]
FICTIONAL_REF_PREFIXES = ("SYN-", DEMO_REF_PREFIX)


class CaseDataPresent(Exception):
    """The database holds participants that are neither synthetic nor the demo's: real case
    data, which fictional participants must never be mixed into (they would count in
    every figure of the offices and providers they share, and a bulk load locks the case
    tables for minutes)."""


@dataclass
class Catalogue:
    projects: list[int]
    offices: list[int]
    workers_by_office: dict[int, list[int]]
    measures: list[int]
    voice_items: list[int]
    next_ids: dict[str, int] = field(default_factory=dict)


@dataclass
class Rows:
    participants: list[tuple] = field(default_factory=list)
    assignments: list[tuple] = field(default_factory=list)
    enrollments: list[tuple] = field(default_factory=list)
    follow_ups: list[tuple] = field(default_factory=list)
    outcomes: list[tuple] = field(default_factory=list)
    answers: list[tuple] = field(default_factory=list)


def generate(*, participants: int, seed: int = 1, today: dt.date | None = None,
             progress: Progress | None = None) -> int:
    """Add ``participants`` synthetic participants with their histories. The number added."""
    if holds_case_data():
        raise CaseDataPresent
    today = today or timezone.localdate()
    catalogue = _catalogue(participants, seed)
    start = Participant.objects.aggregate(last=Max("pk"))["last"] or 0
    if connection.vendor == "postgresql":
        made = _generate_in_sql(participants, seed, today, catalogue, start, progress)
    else:
        made = 0
        while made < participants:
            size = min(CHUNK, participants - made)
            rng = random.Random(f"{seed}:{start + made}")
            rows = Rows()
            for offset in range(size):
                _participant(rng, catalogue, start + made + offset + 1, today, rows)
            with transaction.atomic():
                _write(rows)
            made += size
            if progress is not None:
                progress(made, participants)
    with transaction.atomic():
        _reset_sequences()
        mark_all_projects_stale()
    return made


def holds_case_data() -> bool:
    """Whether any participant is neither synthetic nor from the demo."""
    others = Participant.objects.all()
    for prefix in FICTIONAL_REF_PREFIXES:
        others = others.exclude(ref__startswith=prefix)
    return others.exists()


def _generate_in_sql(participants: int, seed: int, today: dt.date, catalogue: Catalogue,
                     start: int, progress: Progress | None) -> int:
    """Batches built by PostgreSQL; a large run as one bulk load (IndexesSetAside)."""
    bulk = participants >= BULK_LOAD_FROM
    made = 0
    with transaction.atomic(), (synthetic_sql.IndexesSetAside() if bulk else nullcontext()):
        with connection.cursor() as cursor:
            # A batch's statements are costly enough for PostgreSQL to compile them to
            # machine code, each time: 0.10 s of the follow-ups' 0.50 s, and no faster run.
            cursor.execute("SET LOCAL jit = off")
        while made < participants:
            size = min(SQL_CHUNK, participants - made)
            with transaction.atomic():
                synthetic_sql.write_batch(
                    first_id=start + made + 1, last_id=start + made + size, seed=seed,
                    today=today, now=timezone.now(), catalogue=catalogue, given=GIVEN,
                    family=FAMILY, completed=COMPLETED, early=EARLY, channels=CHANNELS)
            made += size
            if progress is not None:
                progress(made, participants)
    # Fresh statistics, or the planner takes the catalogue's 16,700 case workers for a few
    # dozen (the change-of-case-worker list took 60 ms instead of 6 at 1,000,000).
    catalogue_tables = [model._meta.db_table for model in (
        get_user_model(), get_user_model().groups.through, StaffProfile, Office, Project,
        Provider, Measure)]
    with connection.cursor() as cursor:
        for table in [*(synthetic_sql.BULK_TABLES if bulk else ()), *catalogue_tables]:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
    return made


def _catalogue(participants: int, seed: int) -> Catalogue:
    """Projects, providers, measures, offices and case workers: created once, reused."""
    rng = random.Random(seed)
    programme, _ = Project.objects.get_or_create(
        code="SYN", defaults={"name": "Synthetic programme", "target_work_rate": "0.2000",
                              "target_education_rate": "0.1500"})
    subs = []
    for n in range(4):
        sub, _ = Project.objects.get_or_create(code=f"SYN-{n}", defaults={
            "name": f"Synthetic sub-project {n}", "parent": programme})
        leaf, _ = Project.objects.get_or_create(code=f"SYN-{n}-A", defaults={
            "name": f"Synthetic sub-project {n} A", "parent": sub})
        subs += [sub.pk, leaf.pk]
    providers = [Provider.objects.get_or_create(code=f"SYN-P{n}", defaults={
        "name": f"Synthetic provider {n}"})[0] for n in range(PROVIDERS)]
    types, settings_ = MeasureType.values, Setting.values
    measures = [Measure.objects.get_or_create(code=f"SYN-M{n}", defaults={
        "name": f"Synthetic measure {n}", "measure_type": types[n % len(types)],
        "provider": providers[n % PROVIDERS], "setting": settings_[n % len(settings_)],
        "capacity": rng.randint(5, 40)})[0].pk for n in range(MEASURES)]
    offices = [Office.objects.get_or_create(code=f"SYN-O{n}", defaults={
        "name": f"Synthetic office {n}"})[0].pk for n in range(OFFICES)]
    # At least two per office, so some follow-ups are held by someone else.
    per_office = max(2, participants // PARTICIPANTS_PER_CASE_WORKER // OFFICES + 1)
    group = Group.objects.get(name=Role.CASE_WORKER)
    User = get_user_model()
    workers: dict[int, list[int]] = {}
    for office_id in offices:
        names = [f"syn-cw-{office_id}-{n}" for n in range(per_office)]
        existing = set(User.objects.filter(username__in=names).values_list("username",
                                                                           flat=True))
        new = [User(username=name, is_active=True) for name in names if name not in existing]
        for user in new:
            user.set_unusable_password()
        User.objects.bulk_create(new)
        users = list(User.objects.filter(username__in=names))
        group.user_set.add(*users)
        with_profile = set(StaffProfile.objects.filter(user__in=users)
                           .values_list("user_id", flat=True))
        StaffProfile.objects.bulk_create(
            [StaffProfile(user=user, office_id=office_id) for user in users
             if user.pk not in with_profile])
        workers[office_id] = [user.pk for user in users]
    voice = list(InstrumentItem.objects.filter(instrument__code="voice")
                 .order_by("position").values_list("pk", flat=True))
    return Catalogue(projects=subs, offices=offices, workers_by_office=workers,
                     measures=measures, voice_items=voice)


def _participant(rng: random.Random, catalogue: Catalogue, pid: int, today: dt.date,
                 rows: Rows) -> None:
    now = timezone.now()
    office = catalogue.offices[pid % len(catalogue.offices)]
    workers = catalogue.workers_by_office[office]
    worker = workers[pid % len(workers)]
    consent = rng.random()
    rows.participants.append((
        pid, f"SYN-{pid:08d}", rng.choice(GIVEN), rng.choice(FAMILY), "", "", "",
        rng.randint(1960, 2006), "female" if rng.random() < 0.52 else
        ("male" if rng.random() < 0.97 else "other"), rng.random() < 0.2,
        catalogue.projects[pid % len(catalogue.projects)], office, worker,
        True if consent < 0.85 else (False if consent < 0.9 else None), now, now))
    first = today - dt.timedelta(days=rng.randint(20, 1800))
    rows.assignments.append((pid, worker, first, now))

    day = first
    starts, ends = [], []
    for n in range(rng.choice((1, 2, 3, 3, 3, 4, 5))):
        referred = day
        measure = rng.choice(catalogue.measures)
        wait = rng.choice((0, 0, 3, 7, 14, 21, 30, 45, 60, 90))
        started = referred + dt.timedelta(days=wait)
        ref = f"SYN-{pid:08d}-{n}"
        if rng.random() < 0.08 or started > today:
            if started > today or rng.random() < 0.3:  # still waiting
                rows.enrollments.append((ref, pid, measure, referred, None, None, "", now))
                break
            withdrawn = min(referred + dt.timedelta(days=rng.randint(1, 40)), today)
            rows.enrollments.append((ref, pid, measure, referred, None, withdrawn,
                                     EndReason.NOT_STARTED, now))
            day = withdrawn
            continue
        ended = started + dt.timedelta(days=rng.randint(20, 330))
        if ended > today:
            rows.enrollments.append((ref, pid, measure, referred, started, None, "", now))
            starts.append(started)
            break
        reason = rng.choice(COMPLETED) if rng.random() < 0.6 else rng.choice(EARLY)
        rows.enrollments.append((ref, pid, measure, referred, started, ended, reason, now))
        starts.append(started)
        ends.append(ended)
        if rng.random() < 0.07:  # a second measure at the same time, started the same day
            rows.enrollments.append((f"{ref}b", pid, rng.choice(catalogue.measures), referred,
                                     started, ended, rng.choice(COMPLETED), now))
        # The next referral the same day as this end (a chain), or some weeks later.
        day = ended + dt.timedelta(days=rng.choice((0, 0, 7, 30, 90)))
        if day > today:
            break

    if starts:
        job = None
        if rng.random() < 0.33:
            anchor = ends[-1] if ends else starts[-1]
            job = anchor + dt.timedelta(days=rng.randint(-60, 90))
            if rng.random() < 0.05:
                job = starts[0] - dt.timedelta(days=rng.randint(30, 400))  # before it began
            job = min(job, today)
            job_end = (job + dt.timedelta(days=rng.randint(30, 600))
                       if rng.random() < 0.4 else None)
            if job_end is not None and job_end > today:
                job_end = None
            rows.outcomes.append((pid, "work", job, job_end,
                                  rng.choice((10, 15, 20, 37.5)), now))
        elif rng.random() < 0.15:
            school = min((ends[-1] if ends else starts[-1]) + dt.timedelta(days=30), today)
            rows.outcomes.append((pid, "education", school, None, None, now))

        last = ends[-1] if ends else today
        span = max((last - starts[0]).days, 1)
        for _ in range(rng.randint(5, 15)):
            occurred = min(starts[0] + dt.timedelta(days=rng.randint(0, span)), today)
            held_by = worker if rng.random() < 0.85 or len(workers) == 1 else rng.choice(workers)
            rows.follow_ups.append((pid, occurred, held_by, rng.choice(CHANNELS),
                                    rng.random() < 0.15, rng.random() < 0.1, now))
        if job is not None and job > starts[0]:  # support after the job started
            for weeks in (1, 4, 8):
                rows.follow_ups.append((pid, min(job + dt.timedelta(weeks=weeks), today),
                                        worker, "phone", True, False, now))

        if catalogue.voice_items and rng.random() < 0.4:
            moments = [starts[0] + dt.timedelta(days=rng.randint(0, 25))]
            if ends:
                moments.append(ends[-1] - dt.timedelta(days=rng.randint(0, 20)))
            for answered in sorted(set(moments)):
                for item in catalogue.voice_items:
                    if rng.random() < 0.9:  # an item left out now and then
                        rows.answers.append((pid, item, answered, rng.randint(1, 5), now))


PARTICIPANT_COLUMNS = ("id", "ref", "given_name", "family_name", "national_id",
                       "national_id_hash", "national_id_country", "birth_year", "gender",
                       "immigrant_background", "project_id", "office_id",
                       "primary_case_worker_id", "evaluation_consent", "created_at",
                       "updated_at")


def _write(rows: Rows) -> None:
    _insert(Participant, PARTICIPANT_COLUMNS, rows.participants)
    _insert(CaseWorkerAssignment, ("participant_id", "case_worker_id", "assigned_on",
                                   "created_at"), rows.assignments)
    _insert(Enrollment, ("ref", "participant_id", "measure_id", "referred_on", "started_on",
                         "ended_on", "end_reason", "created_at", "updated_at"),
            [(*row, row[-1]) for row in rows.enrollments])
    _insert(FollowUp, ("participant_id", "occurred_on", "case_worker_id", "channel",
                       "with_employer", "with_treatment", "note", "created_at",
                       "updated_at"),
            [(*row[:-1], "", row[-1], row[-1]) for row in rows.follow_ups])
    _insert(OutcomeSpell, ("participant_id", "kind", "started_on", "ended_on",
                           "hours_per_week", "organisation_name", "created_at", "updated_at"),
            [(*row[:-1], "", row[-1], row[-1]) for row in rows.outcomes])
    _insert(Answer, ("participant_id", "item_id", "answered_on", "score", "created_at",
                     "updated_at"), [(*row, row[-1]) for row in rows.answers])


def _insert(model, columns: tuple[str, ...], rows: Iterable[tuple]) -> None:
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(c) for c in columns)
    adapt = connection.ops.adapt_datetimefield_value
    prepared = [tuple(adapt(v) if isinstance(v, dt.datetime) else v for v in row)
                for row in rows]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})",
            prepared)


def _reset_sequences() -> None:
    """Participants were written with explicit ids: move the id sequence past them."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                       "(SELECT COALESCE(MAX(id), 1) FROM participants_participant))",
                       ["participants_participant"])
