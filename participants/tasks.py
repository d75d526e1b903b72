"""Celery tasks of the participants app (schedule: rehab/celery.py)."""

from celery import shared_task

from . import retention


@shared_task(ignore_result=True)
def anonymise_expired_participants() -> int:
    """Nightly: remove the personal data of participants past the retention time."""
    return retention.anonymise_due_participants()
