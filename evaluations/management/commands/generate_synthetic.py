import sys
import time

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from evaluations import synthetic
from rehab.commands import LocalisedCommand


class Command(LocalisedCommand):
    help = (
        "Fill the database with N fictional participants and realistic histories (about 3 "
        "enrollments and 10 follow-ups each), for benchmarks and load tests. It refuses a "
        "database that holds real case data (participants neither synthetic nor from the "
        "demo)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--participants", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, participants, seed, **options):
        if participants < 1:
            raise CommandError(_("--participants must be at least 1."))
        started = time.monotonic()
        show = options["verbosity"] >= 1 and sys.stderr.isatty()

        def progress(done: int, total: int) -> None:
            if show:
                width = 40
                filled = width * done // total
                rate = done / max(time.monotonic() - started, 1e-9)
                self.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,}"
                                  f" ({rate:,.0f}/s)", ending="")

        try:
            made = synthetic.generate(participants=participants, seed=seed, progress=progress)
        except synthetic.CaseDataPresent:
            raise CommandError(_(
                "This database holds participants who are neither synthetic nor from the "
                "demo. Synthetic participants are only for databases used for benchmarks, "
                "tests and demonstrations, never beside real case data. Nothing was "
                "generated.")) from None
        if show:
            self.stderr.write("")
        seconds = time.monotonic() - started
        self.stdout.write(_("%(count)d participants generated in %(seconds).1f s "
                            "(%(rate).0f per second).")
                          % {"count": made, "seconds": seconds, "rate": made / seconds})
