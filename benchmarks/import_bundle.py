"""Time and peak memory of `import_bundle` on a large synthetic bundle.

    python benchmarks/import_bundle.py --participants 100000 [--follow-ups-per 10] [--keep DIR]

Runs against the database in DATABASE_URL (use an empty one: the bundle is imported
twice, the second time to measure an idempotent re-import). Prints one JSON object per
figure: {"figure": ..., "participants": N, "value": ..., "unit": ...}.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rehab.settings")


def write_bundle(folder: Path, participants: int, follow_ups_per: int, seed: int = 1) -> int:
    rng = random.Random(seed)
    anchor = dt.date(2026, 6, 30)

    def write(name, header, rows):
        with open(folder / name, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)

    write("projects.csv", ["code", "name", "parent_code"],
          [["BIG", "Benchmark", ""], ["BIG-A", "Benchmark A", "BIG"]])
    write("providers.csv", ["code", "name"], [[f"P{i}", f"Provider {i}"] for i in range(20)])
    types = ["assessment", "work_practice", "supported_employment", "course"]
    write("measures.csv", ["code", "name", "measure_type", "provider_code", "setting"],
          [[f"M{i}", f"Measure {i}", types[i % 4], f"P{i % 20}", "individual"]
           for i in range(60)])
    write("participants.csv",
          ["ref", "project_code", "office", "birth_year", "gender", "immigrant_background",
           "primary_case_worker"],
          ([f"R{i:07d}", "BIG-A" if i % 2 else "BIG", f"OFF{i % 50}", 1960 + i % 45,
            ("female", "male", "other")[i % 3], "true" if i % 7 == 0 else "false",
            f"cw{i % 400}"] for i in range(participants)))

    def enrollments():
        for i in range(participants):
            day = anchor - dt.timedelta(days=rng.randrange(30, 1500))
            for n in range(3):
                start = day + dt.timedelta(days=rng.randrange(0, 40))
                end = start + dt.timedelta(days=rng.randrange(30, 200))
                if end > anchor:
                    yield [f"E{i:07d}-{n}", f"R{i:07d}", f"M{rng.randrange(60)}",
                           day.isoformat(), start.isoformat(), "", ""]
                    break
                yield [f"E{i:07d}-{n}", f"R{i:07d}", f"M{rng.randrange(60)}", day.isoformat(),
                       start.isoformat(), end.isoformat(), rng.choice(["completed", "dropped_out"])]
                day = end

    write("enrollments.csv", ["ref", "participant_ref", "measure_code", "referred_on",
                              "started_on", "ended_on", "end_reason"], enrollments())
    channels = ["meeting", "phone", "video", "message", "home_visit"]
    write("follow_ups.csv", ["participant_ref", "occurred_on", "case_worker", "channel",
                             "with_employer", "with_treatment"],
          ([f"R{i:07d}", (anchor - dt.timedelta(days=rng.randrange(0, 1400))).isoformat(),
            f"cw{i % 400}", channels[(i + n) % 5], "true" if n == 3 else "false", "false"]
           for i in range(participants) for n in range(follow_ups_per)))
    write("outcomes.csv", ["participant_ref", "kind", "started_on", "ended_on", "hours_per_week"],
          ([f"R{i:07d}", "work", (anchor - dt.timedelta(days=rng.randrange(0, 700))).isoformat(),
            "", "20"] for i in range(0, participants, 3)))
    return participants * follow_ups_per


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=100_000)
    parser.add_argument("--follow-ups-per", type=int, default=10)
    parser.add_argument("--keep", type=Path, help="write the bundle here and keep it")
    args = parser.parse_args()

    import django

    django.setup()
    from evaluations.exchange.importer import import_bundle

    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-bundle-"))
    folder.mkdir(parents=True, exist_ok=True)
    follow_ups = write_bundle(folder, args.participants, args.follow_ups_per)
    n = args.participants

    def figure(name, value, unit):
        print(json.dumps({"figure": name, "participants": n, "follow_ups": follow_ups,
                          "value": round(value, 2), "unit": unit}), flush=True)

    try:
        started = time.perf_counter()
        import_bundle(folder)
        figure("import_s", time.perf_counter() - started, "s")
        started = time.perf_counter()
        import_bundle(folder)
        figure("reimport_s", time.perf_counter() - started, "s")
        figure("import_peak_mb", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "MB")
    finally:
        if not args.keep:
            shutil.rmtree(folder)


if __name__ == "__main__":
    main()
