"""The report as an Excel workbook: a summary sheet (headline figures against targets and
the dashboard's sections), one sheet per breakdown, the trend, and the definitions. Numbers
are numbers with number formats; a hidden value is the text the dashboard shows ("<5" or
"–"), so it is never mistaken for a zero."""

from __future__ import annotations

import re
from pathlib import Path

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from evaluations.indicators.definitions import Kind

from .content import Report, Value

FORMATS = {Kind.COUNT: "#,##0", Kind.RATE: "0.0%", Kind.DAYS: "0.0", Kind.MEAN: "0.00"}
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
TITLE_FONT = Font(bold=True, size=14)
MAX_WIDTH = 60
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_title(text: str) -> str:
    """Excel allows 31 characters and none of []:*?/\\ in a sheet's name."""
    return SHEET_NAME_FORBIDDEN.sub("-", text)[:31]


def _put(sheet, row: int, column: int, value: Value):
    cell = sheet.cell(row=row, column=column)
    if value.value is None:
        cell.value = value.text
        cell.alignment = Alignment(horizontal="right")
    else:
        cell.value = value.value
        cell.number_format = FORMATS.get(value.kind, "General")
    return cell


def _header(sheet, row: int, titles: list[str]) -> None:
    for column, title in enumerate(titles, start=1):
        cell = sheet.cell(row=row, column=column, value=title)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _fit_columns(sheet, *, wrap_from: int | None = None) -> None:
    widths: dict[int, int] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is None:
                continue
            text = cell.value if isinstance(cell.value, str) else f"{cell.value:,}" \
                if isinstance(cell.value, int) else "0.000"
            longest = max(len(part) for part in str(text).split("\n"))
            widths[cell.column] = max(widths.get(cell.column, 0), longest)
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = \
            min(max(width + 2, 10), MAX_WIDTH)


def write_xlsx(report: Report, path: Path) -> None:
    workbook = Workbook()
    _summary_sheet(workbook.active, report)
    for table in report.breakdowns:
        _breakdown_sheet(workbook.create_sheet(sheet_title(table.label)), table)
    _trend_sheet(workbook.create_sheet(sheet_title(_("Trend"))), report)
    _definitions_sheet(workbook.create_sheet(sheet_title(_("Definitions"))), report)
    workbook.properties.title = f"{report.title}: {report.scope}, {report.period}"
    workbook.properties.creator = "rehab"
    workbook.save(path)


def _summary_sheet(sheet, report: Report) -> None:
    sheet.title = sheet_title(_("Summary"))
    sheet.cell(row=1, column=1, value=report.title).font = TITLE_FONT
    sheet.cell(row=2, column=1, value=report.scope)
    sheet.cell(row=3, column=1, value=report.period)
    sheet.cell(row=4, column=1, value=_("Computed %(when)s") % {
        "when": date_format(timezone.localtime(report.computed_at), "SHORT_DATETIME_FORMAT")})
    sheet.cell(row=5, column=1, value=report.suppression_note).alignment = \
        Alignment(wrap_text=False)
    header_row = 7
    _header(sheet, header_row, [_("Indicator"), _("Value"), _("Target"), _("Target met")])
    row = header_row + 1
    for value in report.summary:
        sheet.cell(row=row, column=1, value=value.label)
        _put(sheet, row, 2, value)
        if value.target is not None:
            target = sheet.cell(row=row, column=3, value=value.target)
            target.number_format = FORMATS[Kind.RATE]
            met = value.target_met
            sheet.cell(row=row, column=4, value=_("cannot be judged") if met is None
                       else _("met") if met else _("not met"))
        row += 1
    for _key, title, values in report.sections:
        row += 1
        sheet.cell(row=row, column=1, value=title).font = HEADER_FONT
        row += 1
        for value in values:
            sheet.cell(row=row, column=1, value=value.label)
            _put(sheet, row, 2, value)
            row += 1
    row += 1
    sheet.cell(row=row, column=1, value=_("Flow")).font = HEADER_FONT
    for value in report.flow:
        row += 1
        sheet.cell(row=row, column=1, value=value.label)
        _put(sheet, row, 2, value)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    _fit_columns(sheet)
    # The title and notes are long single lines: they may run over, not widen column A.
    sheet.column_dimensions["A"].width = min(
        max(len(v.label) for v in [*report.summary, *report.flow]) + 2, MAX_WIDTH)


def _breakdown_sheet(sheet, table) -> None:
    _header(sheet, 1, [table.label, *(label for _code, label, _kind in table.columns)])
    for index, (_group, name, values) in enumerate(table.rows, start=2):
        sheet.cell(row=index, column=1, value=name)
        for column, value in enumerate(values, start=2):
            _put(sheet, index, column, value)
    sheet.freeze_panes = "B2"
    _fit_columns(sheet)
    for column in range(2, len(table.columns) + 2):
        letter = get_column_letter(column)
        sheet.column_dimensions[letter].width = min(sheet.column_dimensions[letter].width, 18)
    sheet.row_dimensions[1].height = 45


def _trend_sheet(sheet, report: Report) -> None:
    labels = [value.label for value in report.trend[0].values] if report.trend else []
    _header(sheet, 1, [_("Period"), _("From"), _("To"), *labels])
    for index, point in enumerate(report.trend, start=2):
        sheet.cell(row=index, column=1, value=point.label)
        for column, day in ((2, point.date_from), (3, point.date_to)):
            cell = sheet.cell(row=index, column=column, value=day)
            cell.number_format = "yyyy-mm-dd"
        for column, value in enumerate(point.values, start=4):
            _put(sheet, index, column, value)
    sheet.freeze_panes = "B2"
    _fit_columns(sheet)
    for column in range(4, len(labels) + 4):
        letter = get_column_letter(column)
        sheet.column_dimensions[letter].width = min(sheet.column_dimensions[letter].width, 18)
    sheet.row_dimensions[1].height = 45


def _definitions_sheet(sheet, report: Report) -> None:
    _header(sheet, 1, [_("Indicator"), _("Code"), _("Definition")])
    row = 2
    for code, label, text in report.definitions:
        sheet.cell(row=row, column=1, value=label)
        sheet.cell(row=row, column=2, value=code)
        sheet.cell(row=row, column=3, value=text).alignment = Alignment(wrap_text=True,
                                                                         vertical="top")
        row += 1
    for title, text in report.concepts:
        sheet.cell(row=row, column=1, value=title)
        sheet.cell(row=row, column=3, value=text).alignment = Alignment(wrap_text=True,
                                                                         vertical="top")
        row += 1
    sheet.cell(row=row + 1, column=1, value=report.suppression_note)
    sheet.freeze_panes = "A2"
    _fit_columns(sheet)
    sheet.column_dimensions["C"].width = 90
