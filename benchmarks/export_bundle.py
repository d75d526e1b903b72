"""Time and peak memory of `export_bundle` on a large synthetic data set.

    python benchmarks/export_bundle.py --participants 100000 [--follow-ups-per 10]

Runs against the database in DATABASE_URL (use an empty one): imports a synthetic bundle
(benchmarks/import_bundle.py writes it), then exports everything, plain and
pseudonymised, each in a process of its own so that its peak memory is its own. Prints
one JSON object per figure: {"figure": ..., "participants": N, "value": ..., "unit": ...}.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rehab.settings")

from benchmarks.import_bundle import write_bundle  # noqa: E402


def run_export(target: Path, *extra: str) -> tuple[float, float]:
    """Seconds and peak resident memory (MB) of one export command in its own process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "export_bundle", str(target),
                    *extra], check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of the children is the largest of them so far: the first run is measured
    # alone; a later one counts only if it went higher.
    return seconds, max(peak, before) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=100_000)
    parser.add_argument("--follow-ups-per", type=int, default=10)
    args = parser.parse_args()

    import django

    django.setup()
    from evaluations.exchange.importer import import_bundle

    work = Path(tempfile.mkdtemp(prefix="bench-export-"))
    n = args.participants

    def figure(name, value, unit):
        print(json.dumps({"figure": name, "participants": n, "value": round(value, 2),
                          "unit": unit}), flush=True)

    try:
        source = work / "source"
        source.mkdir()
        write_bundle(source, n, args.follow_ups_per)
        import_bundle(source)
        seconds, peak = run_export(work / "plain.zip")
        figure("export_s", seconds, "s")
        figure("export_peak_mb", peak, "MB")
        seconds, peak = run_export(work / "pseudonymised.zip", "--pseudonymize")
        figure("export_pseudonymised_s", seconds, "s")
        figure("export_pseudonymised_peak_mb", peak, "MB")
        figure("export_zip_mb", (work / "plain.zip").stat().st_size / 1024 / 1024, "MB")
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
