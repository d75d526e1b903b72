"""The report as one tidy table (UTF-8, comma-separated, numbers with "."):

    period, project, dimension, group, indicator, value, status

The first rows are the programme summary (``dimension`` "summary"): its figures in their
order (the indicator codes, and ``early_ends`` and ``completers_work_or_education`` for
the two counts worked out from them), then one row per target of the project (``group``
"target", ``indicator`` the indicator it is judged on, ``value`` the target, ``status``
"met", "not_met" or "not_judged").

``period`` is "YYYY-MM-DD/YYYY-MM-DD": the report's period for the summary, the
whole-period rows (``dimension`` and ``group`` empty) and the breakdown rows, each trend
period's own for the trend rows. ``value`` is a count, a fraction for a rate, or days;
``status`` tells a hidden value ("suppressed", value empty) from one there is none of
("none", e.g. a rate without a denominator); it is empty for a value shown.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from evaluations.indicators.definitions import Kind
from evaluations.summary import Shown

from .content import Report, Value, period_key

COLUMNS = ("period", "project", "dimension", "group", "indicator", "value", "status")
SUMMARY_DIMENSION = "summary"
TARGET_GROUP = "target"
TARGET_STATUS = {True: "met", False: "not_met", None: "not_judged"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def number_text(value: Value | Shown) -> str:
    """The value in plain decimal notation: no grouping, no exponent, "." for decimals."""
    return plain_number(value.value, value.kind)


def plain_number(number, kind: str) -> str:
    if number is None:
        return ""
    if kind == Kind.COUNT:
        return str(int(number))
    text = format(Decimal(repr(float(number))), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def text_cell(text: str) -> str:
    """A code people typed, made safe to open in a spreadsheet program: one that starts
    like a formula (= + - @, or a tab or carriage return that some programs skip) gets a
    leading apostrophe, as OWASP recommends against CSV injection. Only the cells that
    hold codes from the case data; numbers are written as numbers."""
    return f"'{text}" if text.startswith(FORMULA_START) else text


def rows(report: Report) -> Iterator[list[str]]:
    project, period = text_cell(report.project_code), report.period_key()

    def row(period: str, dimension: str, group: str, value: Value | Shown) -> list[str]:
        return [period, project, dimension, text_cell(group), value.code,
                number_text(value), value.status]

    for figure in report.programme_summary.figures:
        for value in figure.values:
            yield row(period, SUMMARY_DIMENSION, "", value)
    for target in report.programme_summary.targets:
        yield [period, project, SUMMARY_DIMENSION, TARGET_GROUP, target.code,
               plain_number(target.target, Kind.RATE), TARGET_STATUS[target.met]]
    for value in report.all_values():
        yield row(period, "", "", value)
    for table in report.breakdowns:
        for group in table.rows:
            for value in group.values:
                yield row(period, table.dimension, group.group, value)
    for point in report.trend:
        for value in point.values:
            yield row(period_key(point.date_from, point.date_to), "", "", value)


def write_csv(report: Report, path: Path) -> None:
    with open(path, "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows(report))
