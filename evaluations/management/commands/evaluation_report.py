import os
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from evaluations.indicators import IndicatorQueryError
from evaluations.management.commands.indicators import _parse_date, _usage_error
from evaluations.models import ReleaseChannel
from evaluations.releases import command_operator, release_raw_report
from evaluations.reports import (
    REPORT_FORMATS,
    ReportSpec,
    build_report,
    check_spec,
    render_report,
)
from rehab.commands import LocalisedCommand


class Command(LocalisedCommand):
    help = (
        "Write an evaluation report of a period, optionally for one project with its "
        "sub-projects: headline figures against targets, every breakdown, the trend and the "
        "definitions, as CSV, XLSX or PDF. Small numbers are suppressed unless --raw is "
        "given; a raw report is recorded as a release of raw data before it is computed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="date_from", help="first day of the period, YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", help="last day of the period, YYYY-MM-DD")
        parser.add_argument("--project", help="project code; its sub-projects are included")
        parser.add_argument("--format", dest="file_format", help="csv, xlsx or pdf")
        parser.add_argument("--output", help="the file to write; never overwritten")
        parser.add_argument("--raw", action="store_true",
                            help="unsuppressed values: for administrators only, recorded")

    def handle(self, *args, date_from, date_to, project, file_format, output, raw, **options):
        if file_format not in REPORT_FORMATS:
            raise _usage_error(_("Unknown format “%(format)s”; choose csv, xlsx or pdf.")
                               % {"format": file_format or ""})
        if not output:
            raise _usage_error(_("--output is required: the file to write."))
        path = Path(output)
        if path.exists():
            raise _usage_error(_("%(path)s already exists; choose another name.")
                               % {"path": path})
        if not path.parent.is_dir():
            raise _usage_error(_("There is no folder %(path)s.") % {"path": path.parent})
        operator = command_operator()
        try:
            spec = ReportSpec(date_from=_parse_date("--from", date_from),
                              date_to=_parse_date("--to", date_to), project_code=project,
                              raw=raw)
            scope = check_spec(spec)
        except IndicatorQueryError as exc:
            raise _usage_error(str(exc)) from None
        with transaction.atomic():
            if raw:
                # Recorded before any figure is computed, and kept only with the report.
                release_raw_report(
                    project=scope, date_from=spec.date_from, date_to=spec.date_to,
                    channel=ReleaseChannel.COMMAND, operator=operator,
                    detail=f"evaluation_report {path}",
                    parameters={"command": "evaluation_report", "project": project,
                                "from": spec.date_from.isoformat(),
                                "to": spec.date_to.isoformat(), "format": file_format,
                                "output": str(path), "raw": True})
            report = build_report(spec, progress=self._progress(options["verbosity"]),
                                  requested_by=operator)
        self._write(report, file_format, path)
        self.stdout.write(self.style.SUCCESS(_("Report written: %(path)s") % {"path": path}))

    def _progress(self, verbosity: int):
        if verbosity < 2:
            return None
        return lambda done, total, step: self.stderr.write(f"{done}/{total} {step}")

    def _write(self, report, file_format: str, path: Path) -> None:
        """Into a temporary file beside the output, renamed when complete: a failure
        leaves no half-written report under the name asked for."""
        partial = path.with_name(f".{path.name}.partial")
        try:
            render_report(report, file_format, partial)
            if path.exists():  # appeared while the report was being computed
                raise _usage_error(_("%(path)s already exists; choose another name.")
                                   % {"path": path})
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)
