"""The derived facts of INDICATORS.md as SQL common table expressions, all as of T.

One CTE per derived fact, each computed in one pass: `enrollment` (as of T), `ranked`
(the tie-break order as a window row number), `participant_fact` (one row per participant
with a started enrollment, naming each attribution enrollment), then one `*_units` CTE per
family of indicators with one row per unit: the participant, the enrollment the unit is
attributed to (its measure, for the measure breakdowns) and the date its age is taken at.
"""

from evaluations.models import Project
from measures.models import COMPLETED_END_REASONS, EARLY_END_REASONS, EndReason, Enrollment
from participants.models import (
    Answer,
    FollowUp,
    Instrument,
    InstrumentItem,
    OutcomeSpell,
    Participant,
)

from .dialect import Dialect

ONWARD_END_REASONS = (EndReason.GOT_JOB, EndReason.STARTED_EDUCATION, EndReason.OTHER_SUPPORT)

# participant_fact packs a sort key and a value into one integer (see there). Measure ids
# are below 2^31 (integer keys), a participant has fewer than 10,000 enrollments, and an
# end is counted in days from EARLIEST_DATE (1900), under 80,000: the largest packed value,
# about 1.7e18, fits in a signed 64-bit integer.
MEASURE_SPAN = 2**31
ORDER_SPAN = 10_000
REASON_CODES = {"": 0, **{str(reason): code
                           for code, reason in enumerate(EndReason.values, start=1)}}
REASON_SPAN = 100

PARTICIPANT = Participant._meta.db_table
ENROLLMENT = Enrollment._meta.db_table
FOLLOW_UP = FollowUp._meta.db_table
SPELL = OutcomeSpell._meta.db_table
ANSWER = Answer._meta.db_table
ITEM = InstrumentItem._meta.db_table
INSTRUMENT = Instrument._meta.db_table
PROJECT = Project._meta.db_table


def sql_codes(codes) -> str:
    """A literal list of fixed enumeration codes (never user input)."""
    return ", ".join(f"'{code}'" for code in sorted(str(code) for code in codes))


def in_part(participant_id_sql: str) -> str:
    """The participants of one part of a statement run in parts (parallel.py)."""
    return f"{participant_id_sql} BETWEEN %(part_from)s AND %(part_to)s"


def part_of(alias: str, in_parts: bool) -> str:
    """The condition that keeps a table's rows to the participants of this part, where a
    join would otherwise look each row up only to drop it."""
    return f"AND {in_part(f'{alias}.participant_id')}" if in_parts else ""


def scope_cte(group_columns_sql: str, joins: str, project_filter: str) -> str:
    return f"""
scope AS MATERIALIZED (
    SELECT p.id AS participant_id, p.birth_year{group_columns_sql}
    FROM {PARTICIPANT} p {joins}
    {project_filter}
)"""


def enrollment_ctes(d: Dialect, whole_programme: bool, in_parts: bool = False) -> str:
    end_day = f"CAST({d.days_between(d.date_param('epoch'), 'ended_on')} AS BIGINT)"
    reason_code = "CASE end_reason " + " ".join(
        f"WHEN '{reason}' THEN {code}" for reason, code in REASON_CODES.items()) + " END"
    reason_decode = " ".join(f"WHEN {code} THEN '{reason}'"
                             for reason, code in REASON_CODES.items())
    # Without a project every enrollment is in scope: no join needed.
    in_scope = "" if whole_programme else "JOIN scope s ON s.participant_id = e.participant_id"
    part = part_of("e", in_parts)
    return f"""
enrollment AS NOT MATERIALIZED (
    -- As of T: later referrals do not exist, later starts and ends are empty.
    SELECT e.id, e.ref, e.participant_id, e.measure_id, e.referred_on,
           CASE WHEN e.started_on <= %(t)s THEN e.started_on END AS started_on,
           CASE WHEN e.ended_on <= %(t)s THEN e.ended_on END AS ended_on,
           CASE WHEN e.ended_on <= %(t)s THEN e.end_reason ELSE '' END AS end_reason
    FROM {ENROLLMENT} e
    {in_scope}
    WHERE e.referred_on <= %(t)s {part}
),
ranked AS (
    -- One ordering of a participant's enrollments, by start then ref (code point); the
    -- not yet started sort first or last depending on the database, which no figure
    -- below depends on: each reads the order among started enrollments only.
    SELECT enrollment.*,
           ROW_NUMBER() OVER (
               PARTITION BY participant_id ORDER BY started_on, {d.by_code_point("ref")}
           ) AS start_order,
           {end_day} AS end_day,
           {reason_code} AS reason_code
    FROM enrollment
),
participant_fact AS MATERIALIZED (
    -- Each "the measure of the enrollment first or last by some order" is an argmax in
    -- one aggregate: the sort key and the value packed into one integer, MAX or MIN of
    -- it, and the value taken back as the remainder (one window pass instead of three).
    SELECT participant_id,
           MIN(started_on) AS programme_start,
           COUNT(started_on) AS started_count,
           MAX(CASE WHEN started_on IS NOT NULL AND ended_on IS NULL THEN 1 ELSE 0 END)
               AS is_active,
           MAX(CASE WHEN started_on IS NULL AND ended_on IS NULL THEN 1 ELSE 0 END)
               AS is_waiting,
           MAX(CASE WHEN started_on IS NOT NULL THEN ended_on END) AS exit_date,
           -- first enrollment: earliest start, ties the smaller ref
           MIN(CASE WHEN started_on IS NOT NULL
                    THEN start_order * {MEASURE_SPAN} + measure_id END) %% {MEASURE_SPAN}
               AS first_measure_id,
           -- latest active (no end): latest start, then greater ref
           MAX(CASE WHEN started_on IS NOT NULL AND ended_on IS NULL
                    THEN start_order * {MEASURE_SPAN} + measure_id END) %% {MEASURE_SPAN}
               AS active_measure_id,
           -- exit enrollment: latest end, then latest start, then greater ref
           MAX(CASE WHEN started_on IS NOT NULL AND ended_on IS NOT NULL
                    THEN (end_day * {ORDER_SPAN} + start_order) * {MEASURE_SPAN} + measure_id
               END) %% {MEASURE_SPAN} AS exit_measure_id,
           CASE MAX(CASE WHEN started_on IS NOT NULL AND ended_on IS NOT NULL
                         THEN (end_day * {ORDER_SPAN} + start_order) * {REASON_SPAN}
                              + reason_code END) %% {REASON_SPAN}
                {reason_decode}
           END AS exit_end_reason,
           -- overlapping the period: latest start, then greater ref
           MAX(CASE WHEN started_on IS NOT NULL AND (ended_on IS NULL OR ended_on >= %(f)s)
                    THEN start_order * {MEASURE_SPAN} + measure_id END) %% {MEASURE_SPAN}
               AS overlap_measure_id
    FROM ranked
    GROUP BY participant_id
    HAVING COUNT(started_on) > 0
),
spell AS MATERIALIZED (
    -- As of T: later spells do not exist, a later end is still ongoing.
    SELECT o.participant_id, o.kind, o.started_on,
           CASE WHEN o.ended_on <= %(t)s THEN o.ended_on END AS ended_on
    FROM {SPELL} o
    JOIN participant_fact pf ON pf.participant_id = o.participant_id
    WHERE o.started_on <= %(t)s
)"""


def enrollment_units_cte(d: Dialect) -> str:
    t = d.date_param("t")
    return f"""
enrollment_units AS MATERIALIZED (
    SELECT e.participant_id, e.measure_id, e.referred_on AS age_on,
           CASE WHEN e.referred_on >= %(f)s THEN 1 ELSE 0 END AS is_referral,
           CASE WHEN e.started_on >= %(f)s THEN 1 ELSE 0 END AS is_start,
           CASE WHEN e.started_on IS NULL AND e.ended_on IS NULL THEN 1 ELSE 0 END AS is_waiting,
           CASE WHEN e.started_on >= %(f)s
                THEN {d.days_between("e.referred_on", "e.started_on")} END AS wait_days,
           CASE WHEN e.started_on IS NULL AND e.ended_on IS NULL
                THEN {d.days_between("e.referred_on", t)} END AS waiting_age
    FROM enrollment e
    WHERE e.referred_on >= %(f)s OR e.started_on >= %(f)s
          OR (e.started_on IS NULL AND e.ended_on IS NULL)
)"""


def first_units_cte() -> str:
    return """
first_units AS MATERIALIZED (
    SELECT pf.participant_id, pf.first_measure_id AS measure_id,
           pf.programme_start AS age_on
    FROM participant_fact pf
    WHERE pf.programme_start >= %(f)s AND pf.programme_start <= %(t)s
)"""


def overlap_units_cte() -> str:
    return """
overlap_units AS MATERIALIZED (
    SELECT pf.participant_id, pf.overlap_measure_id AS measure_id,
           pf.programme_start AS age_on
    FROM participant_fact pf
    WHERE pf.overlap_measure_id IS NOT NULL
)"""


def active_units_cte(last_30_days_in_period: bool = False) -> str:
    """``last_30_days_in_period``: the 30 days up to T lie inside the period, so their
    follow-ups are among the period's (follow_up_units, already read)."""
    if last_30_days_in_period:
        recent = """
    SELECT f.participant_id
    FROM follow_up_units f
    JOIN participant_fact pf ON pf.participant_id = f.participant_id AND pf.is_active = 1
    WHERE f.age_on >= %(t_minus_29)s"""
    else:
        recent = f"""
    SELECT f.participant_id
    FROM {FOLLOW_UP} f
    JOIN participant_fact pf ON pf.participant_id = f.participant_id AND pf.is_active = 1
    WHERE f.occurred_on >= %(t_minus_29)s AND f.occurred_on <= %(t)s"""
    return f"""
recently_followed_up AS ({recent}
    GROUP BY f.participant_id
),
outcome_since_start AS (
    SELECT s.participant_id
    FROM spell s
    JOIN participant_fact pf ON pf.participant_id = s.participant_id AND pf.is_active = 1
    WHERE s.kind IN ('work', 'education') AND s.started_on >= pf.programme_start
    GROUP BY s.participant_id
),
active_units AS MATERIALIZED (
    SELECT pf.participant_id, pf.active_measure_id AS measure_id,
           pf.programme_start AS age_on,
           CASE WHEN rf.participant_id IS NOT NULL THEN 1 ELSE 0 END AS followed_up_recently,
           CASE WHEN pf.programme_start <= %(t_minus_730)s AND os.participant_id IS NULL
                THEN 1 ELSE 0 END AS long_stayer
    FROM participant_fact pf
    LEFT JOIN recently_followed_up rf ON rf.participant_id = pf.participant_id
    LEFT JOIN outcome_since_start os ON os.participant_id = pf.participant_id
    WHERE pf.is_active = 1
)"""


def exit_units_cte(d: Dialect, in_parts: bool = False) -> str:
    follow_up_part = part_of("f", in_parts)
    t = d.date_param("t")
    window_end = d.add_days("pf.exit_date", 180)

    def in_window(kind):
        return (f"MAX(CASE WHEN s.kind = '{kind}' AND s.started_on <= x.window_end"
                f" AND (s.ended_on IS NULL OR s.ended_on >= x.programme_start)"
                f" THEN 1 ELSE 0 END)")

    def employed_in_quarter(offset):
        quarter = f"x.exit_quarter + {offset}"
        return (f"MAX(CASE WHEN s.kind = 'work' AND {d.quarter_index('s.started_on')} <= {quarter}"
                f" AND (s.ended_on IS NULL OR {d.quarter_index('s.ended_on')} >= {quarter})"
                f" THEN 1 ELSE 0 END)")

    return f"""
exit_cohort AS MATERIALIZED (
    SELECT pf.participant_id, pf.programme_start, pf.exit_date, pf.started_count,
           pf.exit_measure_id AS measure_id, pf.exit_end_reason AS end_reason,
           CASE WHEN {window_end} < {t} THEN {window_end} ELSE {t} END AS window_end,
           {d.quarter_index("pf.exit_date")} AS exit_quarter
    FROM participant_fact pf
    WHERE pf.is_active = 0 AND pf.is_waiting = 0
          AND pf.exit_date >= %(f)s AND pf.exit_date <= %(t)s
),
exit_spell_fact AS (
    SELECT x.participant_id,
           {in_window("work")} AS in_work,
           {in_window("education")} AS in_education,
           MIN(CASE WHEN s.kind = 'work' AND s.started_on >= x.programme_start
                         AND s.started_on <= x.window_end THEN s.started_on END) AS first_work_on,
           {employed_in_quarter(2)} AS employed_q2,
           {employed_in_quarter(4)} AS employed_q4
    FROM exit_cohort x
    JOIN spell s ON s.participant_id = x.participant_id
    GROUP BY x.participant_id
),
exit_follow_up_fact AS (
    -- the case workers who held a follow-up between start and exit; distinct pairs first,
    -- which hashes where COUNT(DISTINCT) would sort a million rows
    SELECT participant_id, COUNT(*) AS case_workers
    FROM (
        SELECT DISTINCT x.participant_id, f.case_worker_id
        FROM exit_cohort x
        JOIN {FOLLOW_UP} f ON f.participant_id = x.participant_id
             AND f.occurred_on >= x.programme_start AND f.occurred_on <= x.exit_date
        -- implied by the join; filtering first spares most rows the hash lookup
        WHERE f.occurred_on <= %(t)s {follow_up_part}
    ) held_by
    GROUP BY participant_id
),
{voice_ctes(d, in_parts)},
exit_units AS MATERIALIZED (
    SELECT x.participant_id, x.measure_id, x.programme_start AS age_on,
           CASE WHEN x.end_reason IN ({sql_codes(COMPLETED_END_REASONS)}) THEN 1 ELSE 0 END
               AS completed,
           CASE WHEN x.end_reason IN ({sql_codes(EARLY_END_REASONS)}) THEN 1 ELSE 0 END
               AS ended_early,
           CASE WHEN x.end_reason IN ({sql_codes(ONWARD_END_REASONS)}) THEN 1 ELSE 0 END
               AS went_onward,
           COALESCE(sf.in_work, 0) AS in_work,
           COALESCE(sf.in_education, 0) AS in_education,
           CASE WHEN sf.in_work = 1 OR sf.in_education = 1 THEN 1 ELSE 0 END
               AS in_work_or_education,
           {d.days_between("x.programme_start", "sf.first_work_on")} AS days_to_work,
           -- the quarter ends on or before T exactly when it comes before the quarter of T + 1
           CASE WHEN x.exit_quarter + 2 < %(quarter_after_t)s THEN 1 ELSE 0 END AS in_q2_cohort,
           CASE WHEN x.exit_quarter + 4 < %(quarter_after_t)s THEN 1 ELSE 0 END AS in_q4_cohort,
           COALESCE(sf.employed_q2, 0) AS employed_q2,
           COALESCE(sf.employed_q4, 0) AS employed_q4,
           x.started_count,
           CASE WHEN ff.case_workers IS NOT NULL THEN 1 ELSE 0 END AS followed_up,
           CASE WHEN ff.case_workers = 1 THEN 1 ELSE 0 END AS one_case_worker,
           CASE WHEN vp.participant_id IS NOT NULL THEN 1 ELSE 0 END AS voice_pair,
           vp.score_change AS voice_change,
           COALESCE(vp.improved, 0) AS voice_improved
    FROM exit_cohort x
    LEFT JOIN exit_spell_fact sf ON sf.participant_id = x.participant_id
    LEFT JOIN exit_follow_up_fact ff ON ff.participant_id = x.participant_id
    LEFT JOIN voice_pair vp ON vp.participant_id = x.participant_id
)"""


def voice_ctes(d: Dialect, in_parts: bool = False) -> str:
    def score(alias):
        return f"CAST({alias}.score_sum AS DOUBLE PRECISION) / {alias}.item_count"

    return f"""
voice_response AS MATERIALIZED (
    -- one response: all voice items of one participant answered on one date
    SELECT a.participant_id, a.answered_on, SUM(a.score) AS score_sum, COUNT(*) AS item_count
    FROM {ANSWER} a
    JOIN {ITEM} i ON i.id = a.item_id
    JOIN {INSTRUMENT} ins ON ins.id = i.instrument_id
    JOIN exit_cohort x ON x.participant_id = a.participant_id
    WHERE ins.code = 'voice' AND a.answered_on <= %(t)s {part_of("a", in_parts)}
    GROUP BY a.participant_id, a.answered_on
),
voice_baseline AS (
    SELECT x.participant_id, MIN(r.answered_on) AS answered_on
    FROM exit_cohort x
    JOIN voice_response r ON r.participant_id = x.participant_id
    WHERE r.answered_on >= {d.add_days("x.programme_start", -30)}
          AND r.answered_on <= {d.add_days("x.programme_start", 30)}
    GROUP BY x.participant_id
),
voice_final AS (
    SELECT x.participant_id, MAX(r.answered_on) AS answered_on
    FROM exit_cohort x
    JOIN voice_baseline b ON b.participant_id = x.participant_id
    JOIN voice_response r ON r.participant_id = x.participant_id
    WHERE r.answered_on >= {d.add_days("x.exit_date", -30)}
          AND r.answered_on <= {d.add_days("x.exit_date", 90)}
          AND r.answered_on > b.answered_on
    GROUP BY x.participant_id
),
voice_pair AS (
    SELECT f.participant_id,
           {score("rf")} - {score("rb")} AS score_change,
           -- compared as fractions in integers, so equal scores are never "improved"
           CASE WHEN rf.score_sum * rb.item_count > rb.score_sum * rf.item_count
                THEN 1 ELSE 0 END AS improved
    FROM voice_final f
    JOIN voice_baseline b ON b.participant_id = f.participant_id
    JOIN voice_response rb ON rb.participant_id = b.participant_id
         AND rb.answered_on = b.answered_on
    JOIN voice_response rf ON rf.participant_id = f.participant_id
         AND rf.answered_on = f.answered_on
)"""


def job_units_cte(d: Dialect) -> str:
    return f"""
first_job_start AS (
    SELECT s.participant_id, MIN(s.started_on) AS job_start
    FROM spell s
    JOIN participant_fact pf ON pf.participant_id = s.participant_id
    WHERE s.kind = 'work' AND s.started_on >= pf.programme_start
    GROUP BY s.participant_id
),
first_job AS MATERIALIZED (
    -- among work spells starting that day an ongoing one counts, else the latest end
    SELECT j.participant_id, j.job_start,
           MAX(CASE WHEN s.ended_on IS NULL THEN 1 ELSE 0 END) AS ongoing,
           MAX(s.ended_on) AS latest_end
    FROM first_job_start j
    JOIN spell s ON s.participant_id = j.participant_id AND s.kind = 'work'
         AND s.started_on = j.job_start
    WHERE j.job_start >= %(f)s
    GROUP BY j.participant_id, j.job_start
),
job_enrollment AS (
    SELECT participant_id, measure_id
    FROM (
        SELECT j.participant_id, e.measure_id,
               ROW_NUMBER() OVER (
                   PARTITION BY j.participant_id
                   ORDER BY e.started_on DESC, {d.by_code_point("e.ref")} DESC
               ) AS job_rank
        FROM first_job j
        JOIN enrollment e ON e.participant_id = j.participant_id
             AND e.started_on <= j.job_start
    ) ranked_for_job
    WHERE job_rank = 1
),
supported_in_job AS (
    -- The job starts in the period, so these follow-ups are among the period's
    -- (follow_up_units, already read): no second pass over the follow-up table.
    SELECT j.participant_id
    FROM first_job j
    JOIN follow_up_units f ON f.participant_id = j.participant_id
         AND f.age_on >= j.job_start
         AND f.age_on <= {d.add_days("j.job_start", 90)}
    GROUP BY j.participant_id
),
job_units AS MATERIALIZED (
    SELECT j.participant_id, je.measure_id, pf.programme_start AS age_on,
           CASE WHEN j.job_start <= %(t_minus_90)s THEN 1 ELSE 0 END AS in_job_cohort,
           CASE WHEN j.ongoing = 1 OR j.latest_end >= {d.add_days("j.job_start", 90)}
                THEN 1 ELSE 0 END AS retained,
           CASE WHEN sj.participant_id IS NOT NULL THEN 1 ELSE 0 END AS supported
    FROM first_job j
    JOIN participant_fact pf ON pf.participant_id = j.participant_id
    JOIN job_enrollment je ON je.participant_id = j.participant_id
    LEFT JOIN supported_in_job sj ON sj.participant_id = j.participant_id
)"""


def follow_up_units_cte(whole_programme: bool, in_parts: bool = False) -> str:
    in_scope = "" if whole_programme else "JOIN scope s ON s.participant_id = f.participant_id"
    part = part_of("f", in_parts)
    return f"""
follow_up_units AS MATERIALIZED (
    SELECT f.participant_id, f.occurred_on AS age_on,
           CASE WHEN f.with_employer THEN 1 ELSE 0 END AS with_employer,
           CASE WHEN f.with_treatment THEN 1 ELSE 0 END AS with_treatment
    FROM {FOLLOW_UP} f
    {in_scope}
    WHERE f.occurred_on >= %(f)s AND f.occurred_on <= %(t)s {part}
)"""
