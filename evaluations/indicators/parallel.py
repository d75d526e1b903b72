"""Running the indicator statement on several cores of PostgreSQL at once.

PostgreSQL runs one statement on one core (its parallel workers cannot scan the
materialised CTEs the statement is built from). Every figure is a count or a sum over
participants, or a percentile over a distribution, so the participants can be split into
parts by ``id % parts``: each part runs the same statement on a connection of its own, the
counts and sums add up, and the distributions (value and count rows) merge exactly.

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

SNAPSHOT_ID = re.compile(r"[0-9A-F]+-[0-9A-F]+(-[0-9A-F]+)?")


def parts_for(alias: str) -> int:
    """How many parts to split the participants into on this connection."""
    connection = connections[alias]
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return 1
    return max(1, settings.INDICATOR_PARALLEL_QUERIES)


def fetch_in_parts(alias: str, sql: str, params: dict, parts: int, prepare) -> list[list]:
    """The rows of each part (``params`` gains ``parts`` and ``part``); ``prepare(cursor)``
    runs first in each part's transaction (planner settings)."""
    with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        with ThreadPoolExecutor(max_workers=parts - 1) as pool:
            others = [pool.submit(_run_part, alias, sql, params, parts, part, prepare,
                                  snapshot) for part in range(1, parts)]
            prepare(cursor)
            cursor.execute(sql, {**params, "parts": parts, "part": 0})
            first = cursor.fetchall()
            return [first, *(future.result() for future in others)]


def _run_part(alias: str, sql: str, params: dict, parts: int, part: int, prepare,
              snapshot: str) -> list:
    connection = connections[alias]  # this thread's own connection
    try:
        with transaction.atomic(using=alias), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            if not SNAPSHOT_ID.fullmatch(snapshot):
                raise ValueError(f"unexpected snapshot id {snapshot!r}")
            cursor.execute(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
            prepare(cursor)
            cursor.execute(sql, {**params, "parts": parts, "part": part})
            return cursor.fetchall()
    finally:
        connection.close()
