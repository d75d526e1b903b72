import json
from datetime import date

from django.core.management.base import CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from evaluations.indicators import (
    DIMENSIONS,
    INDICATORS,
    IndicatorQuery,
    IndicatorQueryError,
    compute,
    project_by_code,
)
from evaluations.indicators.definitions import Kind
from evaluations.indicators.result import SUPPRESSED_COUNT
from evaluations.models import ReleaseChannel
from evaluations.releases import command_operator, release_raw_report
from rehab.commands import LocalisedCommand

FORMATS = ("json", "table")
# The status of a usage error, as argparse gives for the arguments it checks itself.
USAGE_ERROR = 2


class Command(LocalisedCommand):
    help = (
        "Print the outcome indicators of INDICATORS.md for a period, optionally for one project "
        "(with its sub-projects) and broken down by one dimension. Small numbers are suppressed "
        "unless --raw is given; this command is for administrators on the server, and a raw "
        "run is recorded as a release of raw data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="date_from", help="first day of the period, YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", help="last day of the period, YYYY-MM-DD")
        parser.add_argument("--project", help="project code; its sub-projects are included")
        parser.add_argument("--by", help="breakdown: " + ", ".join(DIMENSIONS))
        parser.add_argument("--format", default="json", help="json (default) or table")
        parser.add_argument(
            "--raw", action="store_true",
            help="unsuppressed values, small numbers included: for administrators only, recorded",
        )

    def handle(self, *args, date_from, date_to, project, by, format, raw, **options):
        if format not in FORMATS:
            raise _usage_error(_("Unknown format “%(format)s”; choose json or table.")
                               % {"format": format})
        try:
            query = IndicatorQuery(
                date_from=_parse_date("--from", date_from),
                date_to=_parse_date("--to", date_to),
                project_code=project,
                by=by,
            )
            scope = project_by_code(project)
            with transaction.atomic():
                if raw:
                    # INDICATORS.md: every raw export is recorded, before it is computed.
                    release_raw_report(
                        project=scope, date_from=query.date_from, date_to=query.date_to,
                        channel=ReleaseChannel.COMMAND, operator=command_operator(),
                        detail="indicators", figures_only=True,
                        parameters={"command": "indicators", "project": project, "by": by,
                                    "from": query.date_from.isoformat(),
                                    "to": query.date_to.isoformat(), "raw": True})
                result = compute(query)
        except IndicatorQueryError as exc:
            raise _usage_error(str(exc)) from None
        document = result.document(raw=raw)
        if format == "json":
            self.stdout.write(json.dumps(document, ensure_ascii=False))
        else:
            self.stdout.write(render_table(document))


def _usage_error(message: str) -> CommandError:
    return CommandError(message, returncode=USAGE_ERROR)


def _parse_date(option: str, text: str | None) -> date:
    if not text:
        raise IndicatorQueryError(_("%(option)s is required (YYYY-MM-DD).") % {"option": option})
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise IndicatorQueryError(
            _("%(option)s: “%(text)s” is not a date (YYYY-MM-DD).")
            % {"option": option, "text": text}
        ) from None


def render_table(document: dict) -> str:
    """Indicators as rows; the total and each group as columns."""
    headings = [_("Indicator"), _("Total")] + [row["group"] for row in document["rows"]]
    columns = [document["total"]] + [row["values"] for row in document["rows"]]
    lines = [[str(indicator.label)] + [_format(indicator, values[indicator.code])
                                       for values in columns]
             for indicator in INDICATORS]
    title = _("Indicators %(from)s – %(to)s") % {"from": document["from"], "to": document["to"]}
    if document["project"]:
        title += ", " + _("project %(code)s") % {"code": document["project"]}
    if document["by"]:
        title += ", " + _("by %(dimension)s") % {"dimension": document["by"]}
    widths = [max(len(line[index]) for line in [headings, *lines])
              for index in range(len(headings))]
    return "\n".join([title, "", _table_line(headings, widths),
                      _table_line(["-" * width for width in widths], widths),
                      *(_table_line(line, widths) for line in lines)])


def _table_line(cells: list[str], widths: list[int]) -> str:
    first, *rest = cells
    return "  ".join([first.ljust(widths[0])]
                     + [cell.rjust(width) for cell, width in zip(rest, widths[1:], strict=True)])


def _format(indicator, value) -> str:
    if value is None:
        return "–"
    if value == SUPPRESSED_COUNT:
        return value
    if indicator.kind == Kind.COUNT:
        return str(value)
    if indicator.kind == Kind.RATE:
        return f"{value * 100:.1f} %"
    if indicator.kind == Kind.MEAN:
        return f"{value:.2f}"
    return f"{value:.1f}"
