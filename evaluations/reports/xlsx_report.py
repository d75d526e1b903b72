"""The report as an Excel workbook: a summary sheet (the programme summary first, then the
headline figures against the targets, then every other figure by section and the flow),
one sheet per breakdown, the trend, and the definitions.

Numbers are numbers with number formats (percent for rates, integers for counts, one
decimal for days); a hidden value is the text the dashboard shows ("<5" or "–"), so it is
never mistaken for a zero. Header rows are frozen and columns fitted to their content.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from evaluations.indicators.definitions import Kind
from evaluations.summary import Shown

from .content import Breakdown, Report, Value

FORMATS = {Kind.COUNT: "#,##0", Kind.RATE: "0.0%", Kind.DAYS: "0.0", Kind.MEAN: "0.00"}
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
TITLE_FONT = Font(bold=True, size=16, color="0B3D66")
BOLD = Font(bold=True)
SECTION_FONT = Font(bold=True, color="0B3D66")
MUTED = Font(color="6C757D")
HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
MIN_WIDTH, MAX_WIDTH, NUMBER_COLUMN_WIDTH = 8, 60, 16
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_title(text: str) -> str:
    """Excel allows 31 characters and none of []:*?/\\ in a sheet's name."""
    return SHEET_NAME_FORBIDDEN.sub("-", text).strip("'")[:31] or "-"


def _cell(sheet: Worksheet, *, row: int, column: int, value=None) -> Cell:
    """The cell, with ``value`` when given. Text loses the control characters the XLSX
    format cannot hold (openpyxl refuses them, and the whole report failed): names come
    from bundles and the admin, which take any character but NUL."""
    cell = sheet.cell(row=row, column=column)
    if value is not None:
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
        cell.value = value
    return cell


def write_xlsx(report: Report, path: Path) -> None:
    workbook = Workbook()
    titles: set[str] = set()

    def sheet(title: str, first: bool = False) -> Worksheet:
        name, number = sheet_title(title), 2
        while name.lower() in titles:  # names must differ, ignoring case
            suffix = f" ({number})"
            name, number = sheet_title(title)[: 31 - len(suffix)] + suffix, number + 1
        titles.add(name.lower())
        if first:
            workbook.active.title = name
            return workbook.active
        return workbook.create_sheet(name)

    _summary_sheet(sheet(_("Summary"), first=True), report)
    for table in report.breakdowns:
        _breakdown_sheet(sheet(table.label), table)
    _trend_sheet(sheet(_("Trend")), report)
    _definitions_sheet(sheet(_("Definitions")), report)
    workbook.properties.title = ILLEGAL_CHARACTERS_RE.sub(
        "\ufffd", f"{report.title}: {report.scope}, {report.period}")
    workbook.properties.creator = report.produced_by
    _no_formulas(workbook)
    workbook.save(path)


def _no_formulas(workbook: Workbook) -> None:
    """openpyxl makes a formula of any text that starts with "=", and the report shows
    names people typed (projects, providers, measures, offices): a provider named
    =HYPERLINK(...) would run in Excel (OWASP, "CSV injection"). The report has no
    formulas of its own, so every such cell is text; quotePrefix keeps it text when
    someone edits the cell in Excel."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
                    cell.quotePrefix = True


def put_value(sheet: Worksheet, row: int, column: int, value: Value | Shown):
    """A figure: the number with its format, or the text of a hidden or empty value."""
    cell = _cell(sheet, row=row, column=column)
    if value.value is None:
        cell.value = value.text
        cell.alignment = Alignment(horizontal="right")
        cell.font = MUTED
    else:
        cell.value = int(value.value) if value.kind == Kind.COUNT else float(value.value)
        cell.number_format = FORMATS.get(value.kind, "General")
    return cell


def _header(sheet: Worksheet, row: int, titles: list[str]) -> None:
    for column, title in enumerate(titles, start=1):
        cell = _cell(sheet, row=row, column=column, value=title)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="bottom",
                                   horizontal="left" if column == 1 else "center")


def _shown_width(value) -> int:
    """How many characters a cell shows, formatted as its number format does."""
    if value is None:
        return 0
    if isinstance(value, bool):
        return 5
    if isinstance(value, int):
        return len(f"{value:,}")
    if isinstance(value, float):
        return max(len(f"{value * 100:.1f}%"), len(f"{value:,.2f}"))
    if hasattr(value, "isoformat"):
        return 16 if hasattr(value, "hour") else 10
    return max(len(part) for part in str(value).split("\n"))


def _fit_columns(sheet: Worksheet, *, skip_rows: set[int] = frozenset(),
                 wrapped: set[int] = frozenset()) -> None:
    """Each column as wide as its longest content (rows in ``skip_rows``, whose text may
    run over into the next cells, left out; ``wrapped`` columns capped, their headers
    wrapping)."""
    widths: dict[int, int] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.row in skip_rows or cell.value is None:
                continue
            width = _shown_width(cell.value)
            if cell.column in wrapped and cell.font.b:  # a header that wraps
                width = min(width, NUMBER_COLUMN_WIDTH)
            widths[cell.column] = max(widths.get(cell.column, 0), width)
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = \
            min(max(width + 2, MIN_WIDTH), MAX_WIDTH)


def _landscape(sheet: Worksheet, header_rows: str) -> None:
    """Printed across the width of the page, the header repeated on every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = header_rows


def _summary_sheet(sheet: Worksheet, report: Report) -> None:
    _cell(sheet, row=1, column=1, value=report.title).font = TITLE_FONT
    about = [
        (_("Project"), report.scope),
        (_("Period"), report.period),
        (_("Computed"), timezone.localtime(report.computed_at).replace(tzinfo=None)),
        (_("Produced by"), report.produced_by),
    ]
    if report.requested_by:
        about.append((_("Asked for by"), report.requested_by))
    row = 3
    for label, value in about:
        _cell(sheet, row=row, column=1, value=label).font = BOLD
        cell = _cell(sheet, row=row, column=2, value=value)
        if not isinstance(value, str):
            cell.number_format = DATETIME_FORMAT
            cell.alignment = Alignment(horizontal="left")
        row += 1
    # title, about, notes and the summary's sentence run over into empty cells
    notes = set(range(1, row + 2)) | {row + 3}
    _cell(sheet, row=row, column=1, value=report.suppression_note).font = \
        Font(bold=report.raw, color="B02A37" if report.raw else "6C757D")
    _cell(sheet, row=row + 1, column=1, value=report.legend).font = MUTED

    summary_header = _programme_summary(sheet, report, row + 3)
    header_row = sheet.max_row + 2
    _header(sheet, header_row, [_("Headline figures"), _("Value"), _("Target"),
                                _("Target met")])
    row = header_row + 1
    for value in report.summary:
        _cell(sheet, row=row, column=1, value=value.label)
        put_value(sheet, row, 2, value)
        if value.target is not None:
            _cell(sheet, row=row, column=3, value=value.target).number_format = \
                FORMATS[Kind.RATE]
            met = _cell(sheet, row=row, column=4, value=value.target_status)
            met.font = Font(bold=True, color="146C43" if value.target_met
                            else "6C757D" if value.target_met is None else "B02A37")
        row += 1
    groups = [(section.title, section.values) for section in report.sections]
    groups.append((_("From referral to work or education"), report.flow))
    for title, values in groups:
        row += 1
        _cell(sheet, row=row, column=1, value=title).font = SECTION_FONT
        row += 1
        for value in values:
            _cell(sheet, row=row, column=1, value=value.label)
            put_value(sheet, row, 2, value)
            row += 1
    sheet.freeze_panes = _cell(sheet, row=summary_header + 1, column=1)
    _fit_columns(sheet, skip_rows=notes, wrapped={2, 3, 4, 5})
    sheet.column_dimensions["B"].width = max(sheet.column_dimensions["B"].width, 14)
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4


def _programme_summary(sheet: Worksheet, report: Report, row: int) -> int:
    """The sentence on ``row``, then the ten figures with the targets below the one they
    are shown with; returns the header's row."""
    summary = report.programme_summary
    _cell(sheet, row=row, column=1, value=summary.sentence).font = BOLD
    header = row + 2
    _header(sheet, header, [_("Programme summary"), _("Value"), _("Share"), _("Target"),
                            _("Target met")])
    row = header + 1
    for figure in summary.figures:
        _cell(sheet, row=row, column=1, value=figure.label)
        for column, value in enumerate(figure.values, start=2):
            put_value(sheet, row, column, value)
        row += 1
        for target in figure.targets:
            _cell(sheet, row=row, column=1, value=_("Target: %(label)s (share of all who ended)")
                       % {"label": target.label})
            put_value(sheet, row, 3, target.actual)
            _cell(sheet, row=row, column=4, value=target.target).number_format = \
                FORMATS[Kind.RATE]
            met = _cell(sheet, row=row, column=5, value=target.status)
            met.font = Font(bold=True, color="146C43" if target.met
                            else "6C757D" if target.met is None else "B02A37")
            row += 1
    return header


def _breakdown_sheet(sheet: Worksheet, table: Breakdown) -> None:
    _header(sheet, 1, [table.label, _("Code"),
                       *(label for _code, label, _kind in table.columns)])
    for index, group in enumerate(table.rows, start=2):
        _cell(sheet, row=index, column=1, value=group.name)
        _cell(sheet, row=index, column=2, value=group.group)
        for column, value in enumerate(group.values, start=3):
            put_value(sheet, index, column, value)
    if not table.rows:
        _cell(sheet, row=2, column=1, value=_("No figures for this breakdown in the period."))
    sheet.freeze_panes = "C2"
    last_column = get_column_letter(len(table.columns) + 2)
    if table.rows:
        sheet.auto_filter.ref = f"A1:{last_column}{len(table.rows) + 1}"
    _fit_columns(sheet, wrapped=set(range(3, len(table.columns) + 3)))
    sheet.row_dimensions[1].height = 45
    _landscape(sheet, "1:1")


def _trend_sheet(sheet: Worksheet, report: Report) -> None:
    labels = [value.label for value in report.trend[0].values] if report.trend else []
    _header(sheet, 1, [_("Period"), _("From"), _("To"), *labels])
    for index, point in enumerate(report.trend, start=2):
        _cell(sheet, row=index, column=1, value=point.label)
        for column, day in ((2, point.date_from), (3, point.date_to)):
            _cell(sheet, row=index, column=column, value=day).number_format = DATE_FORMAT
        for column, value in enumerate(point.values, start=4):
            put_value(sheet, index, column, value)
    sheet.freeze_panes = "B2"
    _fit_columns(sheet, wrapped=set(range(4, len(labels) + 4)))
    sheet.row_dimensions[1].height = 45
    _landscape(sheet, "1:1")


def _definitions_sheet(sheet: Worksheet, report: Report) -> None:
    _header(sheet, 1, [_("Indicator"), _("Code"), _("Definition")])
    row = 2
    for code, label, text in report.definitions:
        _cell(sheet, row=row, column=1, value=label).alignment = WRAP_TOP
        _cell(sheet, row=row, column=2, value=code).alignment = WRAP_TOP
        _cell(sheet, row=row, column=3, value=text).alignment = WRAP_TOP
        row += 1
    row += 1
    for title, text in report.concepts:
        _cell(sheet, row=row, column=1, value=title).alignment = WRAP_TOP
        _cell(sheet, row=row, column=1).font = BOLD
        _cell(sheet, row=row, column=3, value=text).alignment = WRAP_TOP
        row += 1
    row += 1
    notes = {row, row + 1}
    _cell(sheet, row=row, column=1, value=report.suppression_note)
    _cell(sheet, row=row + 1, column=1, value=report.legend)
    sheet.freeze_panes = "A2"
    _fit_columns(sheet, skip_rows=notes)
    sheet.column_dimensions["C"].width = 90
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.print_title_rows = "1:1"
