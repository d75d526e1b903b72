from django.core.management.base import CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from evaluations.exchange import rows_of_file
from evaluations.exchange.exporter import ExportError, export_bundle
from evaluations.exchange.pseudonyms import PseudonymKeyMissing
from evaluations.models import Project, ReleaseChannel
from evaluations.releases import release_identifying_extract
from rehab.commands import LocalisedCommand


class Command(LocalisedCommand):
    help = (
        "Write the case data as a bundle (EXCHANGE.md): a folder, or a .zip when PATH ends "
        "in .zip. --pseudonymize for evaluators: keyed pseudonyms (PSEUDONYM_KEY), no names, "
        "identity numbers or notes, nobody who declined evaluation use. An export that is "
        "not pseudonymised is recorded as a release of identifying data."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the folder (new or empty) or the .zip file to write")
        parser.add_argument("--pseudonymize", action="store_true",
                            help="pseudonyms instead of references, nothing that identifies")
        parser.add_argument("--project", help="project code; its sub-projects are included")

    def handle(self, *args, path, pseudonymize, project, **options):
        def progress(file_name: str, rows: int) -> None:
            if options["verbosity"] >= 2:
                self.stderr.write(rows_of_file(file_name, rows))

        scope = Project.objects.filter(code=project).first() if project else None
        if project and scope is None:
            raise CommandError(_("There is no project with the code %(code)s.")
                               % {"code": project})
        try:
            with transaction.atomic():
                if not pseudonymize:
                    release_identifying_extract(
                        project=scope, channel=ReleaseChannel.COMMAND,
                        detail=f"export_bundle {path}",
                        parameters={"command": "export_bundle", "path": str(path),
                                    "project": project, "pseudonymized": False})
                summary = export_bundle(path, pseudonymize=pseudonymize, project_code=project,
                                        progress=progress)
        except (ExportError, PseudonymKeyMissing) as exc:
            raise CommandError(str(exc)) from None
        for file_name, rows in summary.rows.items():
            self.stdout.write(rows_of_file(file_name, rows))
        self.stdout.write(self.style.SUCCESS(_("Export complete: %(path)s") % {"path": path}))

