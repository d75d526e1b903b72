"""The report as a PDF an evaluator can send on, from an HTML template through WeasyPrint.

WeasyPrint is imported when a PDF is made, not when the application starts: it needs the
Pango library of the system, and the rest of the application runs without it.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import charts
from .content import Report

STYLESHEET = Path(settings.BASE_DIR) / "templates" / "evaluations" / "reports" / "report.css"


def chart_images(report: Report) -> dict:
    flow = charts.horizontal_bars(
        [value.label for value in report.flow],
        [value.value for value in report.flow], title=_("From referral to work or education"),
        percent=False)
    trend = ""
    if report.trend:
        columns = [(index, value.label) for index, value in enumerate(report.trend[0].values)
                   if value.kind == "rate"]
        trend = charts.line_chart(
            [point.label for point in report.trend],
            [(label, [point.values[index].value for point in report.trend])
             for index, label in columns],
            title=_("Trend"))
    breakdowns = {}
    for table in report.breakdowns:
        column = [code for code, _label, _kind in table.columns].index("work_or_education_rate")
        breakdowns[table.dimension] = charts.horizontal_bars(
            [name for _group, name, _values in table.rows],
            [values[column].value for _group, _name, values in table.rows],
            title=table.columns[column][1], percent=True) if table.rows else ""
    return {"flow": flow, "trend": trend, "breakdowns": breakdowns}


def render_html(report: Report) -> str:
    images = chart_images(report)
    return render_to_string("evaluations/reports/report.html", {
        "report": report,
        "stylesheet": STYLESHEET.read_text(encoding="utf-8"),
        "charts": images,
        "breakdowns": [(table, images["breakdowns"].get(table.dimension, ""))
                       for table in report.breakdowns],
        "language": get_language() or "en",
    })


def write_pdf(report: Report, path: Path) -> None:
    import weasyprint  # noqa: PLC0415 (needs Pango; loaded only for PDFs)

    weasyprint.HTML(string=render_html(report), base_url=str(settings.BASE_DIR)).write_pdf(
        str(path))
