from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from evaluations.exchange import rows_of_file
from evaluations.exchange.importer import BundleInvalid, import_bundle
from rehab.commands import LocalisedCommand


class Command(LocalisedCommand):
    help = "Import a case data bundle (a folder or .zip of CSV files, see EXCHANGE.md)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the bundle: a folder or a .zip file")

    def handle(self, *args, path, **options):
        def progress(file_name: str, rows: int) -> None:
            if options["verbosity"] >= 2:
                self.stderr.write(rows_of_file(file_name, rows))

        try:
            summary = import_bundle(path, progress=progress)
        except FileNotFoundError as exc:
            raise CommandError(str(exc)) from None
        except BundleInvalid as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            if exc.total > len(exc.problems):
                self.stderr.write(
                    _("%(count)d problems found, the first %(shown)d listed; nothing was "
                      "imported.") % {"count": exc.total, "shown": len(exc.problems)})
            else:
                self.stderr.write(
                    ngettext("%(count)d problem found; nothing was imported.",
                             "%(count)d problems found; nothing was imported.", exc.total)
                    % {"count": exc.total})
            raise SystemExit(1) from None
        for file_name, rows in summary.rows.items():
            self.stdout.write(rows_of_file(file_name, rows))
        if summary.users_created:
            self.stdout.write(
                ngettext("%(count)d new user account was created inactive; an administrator "
                         "activates it.",
                         "%(count)d new user accounts were created inactive; an administrator "
                         "activates them.", summary.users_created)
                % {"count": summary.users_created}
            )
        self.stdout.write(self.style.SUCCESS(_("Import complete.")))
