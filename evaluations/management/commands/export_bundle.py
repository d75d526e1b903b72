from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from evaluations.exchange.exporter import ExportError, export_bundle
from evaluations.exchange.pseudonyms import PseudonymKeyMissing
from evaluations.exports import participants_in
from evaluations.models import ExportKind, Project, ReleaseChannel
from evaluations.releases import command_operator, record_release
from participants import access_log
from participants.models import AccessKind


class Command(BaseCommand):
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
                self.stderr.write(_("%(file)s: %(rows)d rows") % {"file": file_name, "rows": rows})

        try:
            with transaction.atomic():
                if not pseudonymize:
                    _record_reads(project, str(path))
                    record_release(
                        kind=ExportKind.EXTRACT, channel=ReleaseChannel.COMMAND,
                        description=_("Data extract with names and identity numbers: "
                                      "%(what)s") % {"what": project or _("all projects")},
                        parameters={"command": "export_bundle", "path": str(path),
                                    "project": project, "pseudonymized": False},
                    )
                summary = export_bundle(path, pseudonymize=pseudonymize, project_code=project,
                                        progress=progress)
        except (ExportError, PseudonymKeyMissing) as exc:
            raise CommandError(str(exc)) from None
        for file_name, rows in summary.rows.items():
            self.stdout.write(_("%(file)s: %(rows)d rows") % {"file": file_name, "rows": rows})
        self.stdout.write(self.style.SUCCESS(_("Export complete: %(path)s") % {"path": path}))


def _record_reads(project_code: str | None, path: str) -> None:
    """Every participant in an identifying extract has been read, by whoever ran it. An
    unknown project writes nothing: the export refuses it, and the transaction with it."""
    scope = Project.objects.filter(code=project_code).first() if project_code else None
    if project_code and scope is None:
        return
    access_log.record_reads(user=None, username=command_operator(),
                            participants=participants_in(scope), what=AccessKind.EXTRACT,
                            detail=f"export_bundle {path}")
