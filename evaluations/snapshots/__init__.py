"""Indicator snapshots: computed ahead of time and stored, so dashboards read, never compute.

- ``periods``: the standard periods for a given day.
- ``staleness``: marking scopes stale when case data change (signals, and the import).
- ``service``: computing and storing the snapshots of one scope, under a lease.

The Celery tasks that drive them are in ``evaluations/tasks.py``. The submodules are
imported by name: ``staleness`` is loaded at start-up by the app config and must stay
free of the indicator computation.
"""
