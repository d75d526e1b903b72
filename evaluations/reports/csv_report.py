"""The report as one tidy table: period, project, dimension, group, indicator, value, and
a status that tells a hidden value ("suppressed") from one there is none of ("none")."""

from __future__ import annotations

import csv
from pathlib import Path

from .content import Report, Value

COLUMNS = ("period", "project", "dimension", "group", "indicator", "value", "status")


def _number(value: Value) -> str:
    if value.value is None:
        return ""
    if isinstance(value.value, float) and not value.value.is_integer():
        return repr(value.value)
    return str(int(value.value)) if value.kind == "count" else repr(float(value.value))


def rows(report: Report):
    project = report.spec.project_code or ""
    period = report.period_key()
    for value in report.summary:
        yield [period, project, "", "", value.code, _number(value), value.status]
    listed = {value.code for value in report.summary}
    for _key, _title, values in report.sections:
        for value in values:
            if value.code not in listed:
                listed.add(value.code)
                yield [period, project, "", "", value.code, _number(value), value.status]
    for table in report.breakdowns:
        for group, _name, values in table.rows:
            for value in values:
                yield [period, project, table.dimension, group, value.code, _number(value),
                       value.status]
    for point in report.trend:
        key = f"{point.date_from.isoformat()}/{point.date_to.isoformat()}"
        for value in point.values:
            yield [key, project, "", "", value.code, _number(value), value.status]


def write_csv(report: Report, path: Path) -> None:
    with open(path, "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows(report))
