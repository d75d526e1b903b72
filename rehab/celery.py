"""The Celery app. Configured from Django settings under the CELERY_ namespace.

Without REDIS_URL the settings make every task run in-process (task_always_eager),
so the embedded default works without a broker.
"""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rehab.settings")

app = Celery("rehab")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Run by the one `beat` container, in CELERY_TIMEZONE (the TIME_ZONE setting, Europe/Oslo
# by default). See docs/operations.md, "Indicator snapshots".
STALE_CHECK_SECONDS = 5 * 60
app.conf.beat_schedule = {
    "refresh-all-snapshots-nightly": {
        "task": "evaluations.tasks.refresh_all_snapshots",
        "schedule": crontab(hour=2, minute=30),
        # A night missed while the workers were down is not worth running the next morning.
        "options": {"expires": 6 * 60 * 60},
    },
    "refresh-stale-snapshots": {
        "task": "evaluations.tasks.refresh_stale_snapshots",
        "schedule": STALE_CHECK_SECONDS,
        # Checks queued behind a backlog are dropped: the next one does the same work.
        "options": {"expires": STALE_CHECK_SECONDS - 10},
    },
    "anonymise-expired-participants": {
        "task": "participants.tasks.anonymise_expired_participants",
        "schedule": crontab(hour=3, minute=30),
        "options": {"expires": 6 * 60 * 60},
    },
    "expire-export-files": {
        "task": "evaluations.tasks.expire_export_files",
        "schedule": 15 * 60,
        "options": {"expires": 15 * 60 - 10},
    },
}
