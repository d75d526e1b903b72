"""The nightly snapshot job's own work at a size where computing every period first would
take hours: every scope's periods that end today, the ones a night with a day of case work
computes once the earlier periods are stored (evaluations/snapshots/service.py).

    DATABASE_URL=postgres://… python benchmarks/snapshots_due.py

Prints one JSON line per scope and the total, without storing anything.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rehab.settings")


def main() -> None:
    import django

    django.setup()
    from django.utils import timezone

    from evaluations.models import Project
    from evaluations.snapshots import service
    from evaluations.snapshots.periods import data_range, standard_periods
    from participants.models import Participant

    today = timezone.localdate()
    total = 0.0
    for project_id in service.all_scope_project_ids():
        project = Project.objects.get(pk=project_id) if project_id else None
        due = [period for period in standard_periods(today, data_range(project, today))
               if period.date_to == today]
        started = time.perf_counter()
        for period in due:
            service.compute_period(project, period)
        seconds = time.perf_counter() - started
        total += seconds
        print(json.dumps({"scope": project.code if project else "all", "periods": len(due),
                          "seconds": round(seconds, 1)}), flush=True)
    print(json.dumps({"figure": "snapshots_due_s", "participants": Participant.objects.count(),
                      "value": round(total, 1), "unit": "s", "target": 1800}))


if __name__ == "__main__":
    main()
