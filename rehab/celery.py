"""The Celery app. Configured from Django settings under the CELERY_ namespace.

Without REDIS_URL the settings make every task run in-process (task_always_eager),
so the embedded default works without a broker.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rehab.settings")

app = Celery("rehab")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
