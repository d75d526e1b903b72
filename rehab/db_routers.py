"""Reads that can lag a little (dashboards, reports, extracts) may go to a read replica
(DATABASE_REPLICA_URL), which takes their load off the primary. Everything else, and every
write, uses the primary, so case workers always read what they have just saved.

Code that may read from the replica says so with ``reading_from_replica()``; the router
sends its ORM reads there when a replica is configured, and ``read_alias()`` names the
database for raw SQL (the indicators).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

REPLICA = "replica"
_replica_reads: ContextVar[bool] = ContextVar("replica_reads", default=False)


@contextmanager
def reading_from_replica() -> Iterator[None]:
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


def read_alias() -> str:
    if _replica_reads.get() and REPLICA in settings.DATABASES:
        return REPLICA
    return "default"


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return read_alias()

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary: the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
