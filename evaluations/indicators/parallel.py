"""Running the indicator statement on several cores of PostgreSQL at once.

PostgreSQL runs one statement on one core (its parallel workers cannot scan the
materialised CTEs the statement is built from). Every figure is a count or a sum over
participants, or a percentile over a distribution, so the participants can be split into
parts by ranges of their ids: each part runs the same statement on a connection of its
own, the counts and sums add up, and the distributions (value and count rows) merge
exactly. Ranges rather than ``id % parts``: the planner estimates a range from its
statistics (a modulo it takes for 0.5 % of the rows), and reads a range through the
participant indexes in order, which saves a sort (one year at 1,000,000 8 % faster).

All parts read the same snapshot of the data: the first part's transaction exports its
snapshot (``pg_export_snapshot``) and the others import it (``SET TRANSACTION SNAPSHOT``),
as ``pg_dump --jobs`` does, so the figures are those of one instant even while case
workers keep saving.

Only outside a transaction: inside one (a request's, a test's) other connections could not
see its uncommitted rows, so the statement then runs whole on the caller's connection.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import connections, transaction

from participants.models import Participant

PARTICIPANT = Participant._meta.db_table
SNAPSHOT_ID = re.compile(r"[0-9A-F]+-[0-9A-F]+(-[0-9A-F]+)?")


def parts_for(alias: str) -> int:
    """How many parts to split the participants into on this connection."""
    connection = connections[alias]
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return 1
    return max(1, settings.INDICATOR_PARALLEL_QUERIES)


def fetch_in_parts(alias: str, sql: str, params: dict, parts: int, prepare) -> list[list]:
    """The rows of each part (``params`` gains ``part_from`` and ``part_to``, its range of
    participant ids); ``prepare(cursor)`` runs first in each part's transaction (planner
    settings)."""
    with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        # In the snapshot every part reads: no participant falls outside the ranges.
        cursor.execute(f"SELECT MIN(id), MAX(id) FROM {PARTICIPANT}")
        first_id, last_id = cursor.fetchone()
        ranges = id_ranges(first_id or 0, last_id or 0, parts)
        with ThreadPoolExecutor(max_workers=parts - 1) as pool:
            others = [pool.submit(_run_part, alias, sql, {**params, **bounds}, prepare,
                                  snapshot) for bounds in ranges[1:]]
            prepare(cursor)
            cursor.execute(sql, {**params, **ranges[0]})
            first = cursor.fetchall()
            return [first, *(future.result() for future in others)]


def id_ranges(first_id: int, last_id: int, parts: int) -> list[dict]:
    """``parts`` ranges of ids of equal width that together cover first_id..last_id."""
    width = (last_id - first_id) // parts + 1
    return [{"part_from": first_id + part * width,
             "part_to": last_id if part == parts - 1 else first_id + (part + 1) * width - 1}
            for part in range(parts)]


def _run_part(alias: str, sql: str, params: dict, prepare, snapshot: str) -> list:
    connection = connections[alias]  # this thread's own connection
    try:
        with transaction.atomic(using=alias), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            if not SNAPSHOT_ID.fullmatch(snapshot):
                raise ValueError(f"unexpected snapshot id {snapshot!r}")
            cursor.execute(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
            prepare(cursor)
            cursor.execute(sql, params)
            return cursor.fetchall()
    finally:
        connection.close()
