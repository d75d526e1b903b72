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

# The export runs in a fresh interpreter that reports its own peak memory (VmHWM, Linux):
# ru_maxrss of a child would count the pages of this process, which the child shares
# between fork and exec.
CHILD = (
    "import os, sys, django\n"
    "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'rehab.settings')\n"
    "django.setup()\n"
    "from django.core.management import call_command\n"
    "call_command('export_bundle', *sys.argv[1:], stdout=open(os.devnull, 'w'))\n"
    "print(next(l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1])\n"
)


def run_export(target: Path, *extra: str) -> tuple[float, float]:
    """Seconds and peak resident memory (MB) of one export in a process of its own."""
    started = time.perf_counter()
    completed = subprocess.run([sys.executable, "-c", CHILD, str(target), *extra], check=True,
                               capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - started
    return seconds, int(completed.stdout.split()[-1]) / 1024


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
