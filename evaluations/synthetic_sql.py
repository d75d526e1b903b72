"""The synthetic histories of synthetic.py, built by PostgreSQL itself.

Building rows in Python costs about 140 µs a participant, which caps generation near
7,000 participants a second however fast the writes are. Here every row is built by
INSERT … SELECT over ``generate_series``: one statement per table for a whole batch of
participants, no rows cross the wire. The draws come from ``hashint8extended(key, seed)``
with a distinct key per participant and draw, so the same seed gives the same data
whatever the batch size, and rerunning a batch is deterministic.

The shape follows synthetic.py's Python builder (used on SQLite): chains of up to five
enrollments where each referral follows the previous end (the same day in a chain),
withdrawn and still-waiting referrals, a concurrent second measure started the same day,
work for about a third (some before the programme began), education for some, ten or so
follow-ups (some by another case worker of the office, some with the employer after a job
start), and voice answers at the start and the end for some, items left out now and then.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection

from measures.models import Enrollment
from participants.models import (
    Answer,
    CaseWorkerAssignment,
    FollowUp,
    OutcomeSpell,
    Participant,
)

PARTICIPANT = Participant._meta.db_table
ASSIGNMENT = CaseWorkerAssignment._meta.db_table
ENROLLMENT = Enrollment._meta.db_table
FOLLOW_UP = FollowUp._meta.db_table
SPELL = OutcomeSpell._meta.db_table
ANSWER = Answer._meta.db_table

# Draw slots per participant: key = participant id * SLOTS + slot.
SLOTS = 1000


def _draw(seed: int, key_sql: str) -> str:
    """A uniform number in [0, 1) for the key: the same for the same seed and key."""
    hashed = f"hashint8extended(({key_sql})::bigint, {int(seed)})"
    return f"(({hashed} & 2147483647)::float8 / 2147483648.0)"


def _pick(values: tuple, draw_sql: str, cast: str = "") -> str:
    """One of ``values`` (fixed literals, never user input), chosen by the draw."""
    array = ", ".join("'" + str(v).replace("'", "''") + "'" if isinstance(v, str) else str(v)
                      for v in values)
    return f"(ARRAY[{array}]{cast})[1 + floor({draw_sql} * {len(values)})::int]"


def _between(low: int, high: int, draw_sql: str) -> str:
    """An integer from low to high, both included."""
    return f"({low} + floor({draw_sql} * {high - low + 1})::int)"


def write_batch(*, first_id: int, last_id: int, seed: int, today: dt.date, now: dt.datetime,
                catalogue, given: tuple, family: tuple, completed: tuple, early: tuple,
                channels: tuple) -> None:
    """Participants first_id..last_id with their histories, in the open transaction."""
    def r(slot) -> str:
        return _draw(seed, f"g * {SLOTS} + {slot}")

    params = {
        "a": first_id, "b": last_id, "today": today, "now": now,
        "projects": catalogue.projects, "offices": catalogue.offices,
        "workers": [catalogue.workers_by_office[office] for office in catalogue.offices],
        "measures": catalogue.measures, "items": catalogue.voice_items,
    }
    per_office = len(catalogue.workers_by_office[catalogue.offices[0]])
    with connection.cursor() as cursor:
        def run(sql: str) -> None:
            cursor.execute(sql, params)

        # The person: office, case worker, first referral and how many enrollments.
        run(f"""
CREATE TEMP TABLE syn_person ON COMMIT DROP AS
SELECT g, g AS pid,
       1 + g %% cardinality(%(offices)s::int[]) AS office_index,
       (%(workers)s::int[])[1 + g %% cardinality(%(offices)s::int[])][1 + g %% {per_office}]
           AS worker,
       %(today)s::date - {_between(20, 1800, r(1))} AS first_day,
       {_pick((1, 2, 3, 3, 3, 4, 5), r(2))} AS planned
FROM generate_series(%(a)s::bigint, %(b)s::bigint) g""")
        run(f"""
INSERT INTO {PARTICIPANT} (id, ref, given_name, family_name, national_id, national_id_hash,
    national_id_country, birth_year, gender, immigrant_background, project_id, office_id,
    primary_case_worker_id, evaluation_consent, created_at, updated_at)
SELECT g, 'SYN-' || lpad(g::text, 8, '0'), {_pick(given, r(3))}, {_pick(family, r(4))},
       '', '', '', {_between(1960, 2006, r(5))},
       CASE WHEN {r(6)} < 0.52 THEN 'female' WHEN {r(7)} < 0.97 THEN 'male' ELSE 'other' END,
       {r(8)} < 0.2,
       (%(projects)s::int[])[1 + g %% cardinality(%(projects)s::int[])],
       (%(offices)s::int[])[s.office_index], s.worker,
       CASE WHEN {r(9)} < 0.85 THEN true WHEN {r(9)} < 0.9 THEN false END,
       %(now)s, %(now)s
FROM syn_person s""")
        run(f"""
INSERT INTO {ASSIGNMENT} (participant_id, case_worker_id, assigned_on, created_at)
SELECT pid, worker, first_day, %(now)s FROM syn_person""")

        # Enrollment n of a person: its own draws at slots 100 + 10n + j.
        def e(j) -> str:
            return _draw(seed, f"pid * {SLOTS} + 100 + n * 10 + {j}")

        # The enrollments are written and, in the same statement, what the rest hangs on
        # is kept: each started person's first start and last end. Nothing else reads the
        # enrollments again (the table's participant index is set aside in a bulk load).
        run("""
CREATE TEMP TABLE syn_started (g bigint, pid bigint, office_index bigint, worker integer,
    first_start date, anchor date, last_day date, last_end date) ON COMMIT DROP""")
        run(f"""
WITH step AS (
    SELECT pid, n, planned, first_day,
           {e(0)} < 0.056 AS withdrawn,
           {e(1)} < 0.03 AND n = planned - 1 AS left_waiting,
           {_pick((0, 0, 3, 7, 14, 21, 30, 45, 60, 90), e(2))} AS wait,
           {_between(20, 330, e(3))} AS duration,
           {_pick((0, 0, 7, 30, 90), e(4))} AS gap,
           {_between(1, 40, e(5))} AS withdrawn_after,
           (%(measures)s::int[])[1 + floor({e(6)} * cardinality(%(measures)s::int[]))::int]
               AS measure_id,
           {_pick(completed, e(7))} AS completed_reason,
           {_pick(early, e(7))} AS early_reason,
           {e(8)} < 0.6 AS completes,
           {e(9)} < 0.07 AS concurrent
    FROM syn_person CROSS JOIN generate_series(0, 4) n
    WHERE n < planned
),
chained AS (
    -- The next referral follows the previous end (or withdrawal) after a gap.
    SELECT step.*,
           first_day + COALESCE(SUM(CASE WHEN withdrawn THEN withdrawn_after
                                         ELSE wait + duration + gap END)
               OVER (PARTITION BY pid ORDER BY n
                     ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)::int AS referred
    FROM step
),
dated AS MATERIALIZED (
    SELECT pid, n, measure_id, referred, completed_reason, concurrent,
           CASE WHEN withdrawn OR left_waiting OR referred + wait > %(today)s THEN NULL
                ELSE referred + wait END AS started,
           CASE WHEN left_waiting THEN NULL
                WHEN withdrawn THEN LEAST(referred + withdrawn_after, %(today)s)
                WHEN referred + wait + duration <= %(today)s THEN referred + wait + duration
           END AS ended,
           CASE WHEN left_waiting THEN ''
                WHEN withdrawn THEN 'not_started'
                WHEN referred + wait + duration > %(today)s THEN ''
                WHEN completes THEN completed_reason ELSE early_reason END AS reason
    FROM chained
    WHERE referred <= %(today)s
),
written AS (
    INSERT INTO {ENROLLMENT} (ref, participant_id, measure_id, referred_on, started_on,
        ended_on, end_reason, created_at, updated_at)
    SELECT 'SYN-' || lpad(pid::text, 8, '0') || '-' || n, pid, measure_id, referred, started,
           ended, reason, %(now)s, %(now)s
    FROM dated
    UNION ALL
    -- A second measure at the same time, started the same day.
    SELECT 'SYN-' || lpad(pid::text, 8, '0') || '-' || n || 'b', pid,
           (%(measures)s::int[])[1 + floor({e(10)} * cardinality(%(measures)s::int[]))::int],
           referred, started, ended, completed_reason, %(now)s, %(now)s
    FROM dated
    WHERE concurrent AND started IS NOT NULL AND ended IS NOT NULL
)
-- The second measure starts and ends with the first: the same first start and last end.
INSERT INTO syn_started
SELECT s.pid, s.pid, s.office_index, s.worker, e.first_start,
       COALESCE(e.last_end, e.last_start),
       CASE WHEN e.active OR e.last_end IS NULL THEN %(today)s ELSE e.last_end END,
       e.last_end
FROM syn_person s
JOIN (SELECT pid, MIN(started) AS first_start, MAX(started) AS last_start,
             MAX(ended) AS last_end, BOOL_OR(ended IS NULL) AS active
      FROM dated
      WHERE started IS NOT NULL
      GROUP BY pid) e ON e.pid = s.pid""")

        # Work for a third (a few began before the programme), else education for some.
        run(f"""
CREATE TEMP TABLE syn_job ON COMMIT DROP AS
SELECT pid, first_start, worker, job,
       CASE WHEN {r(24)} < 0.4 AND job + {_between(30, 600, r(25))} <= %(today)s
            THEN job + {_between(30, 600, r(25))} END AS job_end,
       {_pick((10, 15, 20, 37.5), r(26), "::numeric[]")} AS hours
FROM (SELECT g, pid, first_start, worker,
             LEAST(CASE WHEN {r(21)} < 0.05 THEN first_start - {_between(30, 400, r(22))}
                        ELSE anchor + {_between(-60, 90, r(23))} END, %(today)s) AS job
      FROM syn_started WHERE {r(20)} < 0.33) w""")
        run(f"""
INSERT INTO {SPELL} (participant_id, kind, started_on, ended_on, hours_per_week,
    organisation_name, created_at, updated_at)
SELECT pid, 'work', job, job_end, hours, '', %(now)s, %(now)s FROM syn_job
UNION ALL
SELECT pid, 'education', LEAST(anchor + 30, %(today)s), NULL, NULL, '', %(now)s, %(now)s
FROM syn_started WHERE {r(20)} >= 0.33 AND {r(27)} < 0.15""")

        def f(j) -> str:
            return _draw(seed, f"g * {SLOTS} + 300 + i * 5 + {j}")

        run(f"""
INSERT INTO {FOLLOW_UP} (participant_id, occurred_on, case_worker_id, channel, with_employer,
    with_treatment, note, created_at, updated_at)
SELECT pid,
       LEAST(first_start + floor({f(0)} * (GREATEST(last_day - first_start, 1) + 1))::int,
             %(today)s),
       CASE WHEN {f(1)} < 0.85 THEN worker
            ELSE (%(workers)s::int[])[office_index][1 + floor({f(2)} * {per_office})::int] END,
       {_pick(channels, f(3))}, {f(4)} < 0.15, {f(4)} > 0.9, '', %(now)s, %(now)s
FROM syn_started CROSS JOIN LATERAL generate_series(1, {_between(5, 15, r(30))}) i
UNION ALL
-- Support after the job started: a call after one, four and eight weeks.
SELECT pid, LEAST(job + weeks * 7, %(today)s), worker, 'phone', true, false, '',
       %(now)s, %(now)s
FROM syn_job CROSS JOIN (VALUES (1), (4), (8)) w(weeks)
WHERE job > first_start""")

        def v(j) -> str:
            return _draw(seed, f"g * {SLOTS} + 500 + m.moment * 50 + item.position * 2 + {j}")

        run(f"""
INSERT INTO {ANSWER} (participant_id, item_id, answered_on, score, created_at, updated_at)
SELECT g, item.id, m.answered_on, {_between(1, 5, v(1))}, %(now)s, %(now)s
FROM (SELECT * FROM syn_started WHERE {r(40)} < 0.4) s
CROSS JOIN LATERAL (
    SELECT 1 AS moment, first_start + {_between(0, 25, r(41))} AS answered_on
    UNION ALL
    SELECT 2, last_end - {_between(0, 20, r(42))}
    WHERE last_end IS NOT NULL AND last_end - {_between(0, 20, r(42))}
                                   <> first_start + {_between(0, 25, r(41))}
) m
CROSS JOIN unnest(%(items)s::int[]) WITH ORDINALITY AS item(id, position)
WHERE m.answered_on <= %(today)s AND {v(0)} < 0.9""")
        # Gone now, not at commit: a bulk load runs many batches in one transaction.
        run("DROP TABLE syn_person, syn_started, syn_job")


BULK_TABLES = (PARTICIPANT, ASSIGNMENT, ENROLLMENT, FOLLOW_UP, SPELL, ANSWER)


class IndexesSetAside:
    """The secondary indexes and foreign keys of the history tables, dropped for a bulk
    load and built again at the end, in the caller's transaction.

    PostgreSQL's own advice for populating a database: keeping six b-trees and two
    foreign-key checks up to date row by row costs about ten times what building them
    once at the end does. The primary keys go too (with the foreign keys of other tables
    that refer to them): even appended in order, keeping a key's index up to date made
    writing the follow-ups 40 % slower than building it afterwards. Rebuilding a key
    checks it as its row-by-row upkeep would have. Inside one transaction an interruption
    rolls the drops back with the rows, so the schema is never left without them. CHECK
    constraints stay: the rows are checked as they are written.
    """

    def __enter__(self) -> IndexesSetAside:
        with connection.cursor() as cursor:
            cursor.execute("""
SELECT format('ALTER TABLE %%I DROP CONSTRAINT %%I', c.conrelid::regclass::text, c.conname),
       format('ALTER TABLE %%I ADD CONSTRAINT %%I %%s', c.conrelid::regclass::text,
              c.conname, pg_get_constraintdef(c.oid))
FROM pg_constraint c
WHERE (c.conrelid::regclass::text = ANY(%(tables)s) AND c.contype IN ('f', 'p', 'u'))
      OR (c.confrelid::regclass::text = ANY(%(tables)s) AND c.contype = 'f')
ORDER BY c.contype, c.conname""", {"tables": list(BULK_TABLES)})
            self.constraints = cursor.fetchall()
            cursor.execute("""
SELECT format('DROP INDEX %%I', i.indexrelid::regclass::text), pg_get_indexdef(i.indexrelid)
FROM pg_index i
LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid
WHERE i.indrelid::regclass::text = ANY(%(tables)s) AND c.oid IS NULL
ORDER BY 1""", {"tables": list(BULK_TABLES)})
            self.indexes = cursor.fetchall()
            for drop, _ in [*self.constraints, *self.indexes]:
                cursor.execute(drop)
        return self

    def __exit__(self, kind, error, traceback) -> None:
        if kind is not None:
            return  # the transaction rolls the drops back
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '128MB'")
            # Keys first: a foreign key needs the unique index it refers to.
            for _, create in [*self.indexes, *reversed(self.constraints)]:
                cursor.execute(create)
