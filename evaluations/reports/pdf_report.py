"""The report as a PDF an evaluator can send on: an HTML template (with the stylesheet kept
beside it) laid out by WeasyPrint on A4, the dashboard's charts drawn as SVG.

WeasyPrint is imported when a PDF is made, not when the application starts: it needs the
Pango library of the system, and the rest of the application runs without it.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.template import loader
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from evaluations import dashboards

from . import charts
from .content import Breakdown, Report

TEMPLATE = "evaluations/reports/report.html"
STYLESHEET = "evaluations/reports/report.css"
# The flow's last step is the outcome: drawn in the dashboard palette's next colour.
FLOW_COLOURS = [charts.BLUE, charts.BLUE, charts.BLUE, charts.TEAL]


def stylesheet() -> str:
    """The stylesheet beside the template, found by the template loaders (no static URL:
    the PDF is made from files, not from a web server)."""
    origin = loader.get_template(STYLESHEET).origin
    return Path(origin.name).read_text(encoding="utf-8")


def css_string(text: str) -> str:
    """``text`` as a CSS string literal that cannot end the string or the style element."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return '"' + escaped.replace("<", "\\3c ").replace(">", "\\3e ") + '"'


def page_css(report: Report) -> SafeString:
    """The margin boxes' translated texts: "Page X of Y" and when the figures were
    computed (a margin box cannot take them from the page: they are built here)."""
    marks = {"page": "\x00page\x00", "pages": "\x00pages\x00"}
    pieces = (_("Page %(page)s of %(pages)s") % marks).split("\x00")
    counter = " ".join(f"counter({piece})" if index % 2 else css_string(piece)
                       for index, piece in enumerate(pieces) if piece or index % 2)
    computed = _("Computed %(when)s") % {"when": date_format(
        timezone.localtime(report.computed_at), "SHORT_DATETIME_FORMAT")}
    return mark_safe(
        f"@page {{ @bottom-right {{ content: {counter}; }} "
        f"@bottom-left {{ content: {css_string(computed)}; }} }}"
    )


def flow_chart(report: Report) -> SafeString:
    return charts.column_chart(
        [charts.Bar(value.label, value.value, value.text) for value in report.flow],
        title=_("From referral to work or education"), colours=FLOW_COLOURS)


def trend_chart(report: Report) -> SafeString | str:
    if not report.trend:
        return ""
    columns = [(index, value.label) for index, value in enumerate(report.trend[0].values)
               if value.code in dashboards.TREND_RATES]
    return charts.line_chart(
        [point.label for point in report.trend],
        [(label, [point.values[index].value for point in report.trend])
         for index, label in columns],
        title=_("Trend"))


def breakdown_chart(table: Breakdown) -> SafeString | str:
    """The breakdown's share in work or education by group, as on the dashboard; nothing
    when no group has a share to show (every bar would be missing)."""
    column = table.column("work_or_education_rate")
    if not any(value.value is not None for value in column):
        return ""
    return charts.horizontal_bars(
        [charts.Bar(row.name, value.value, value.text)
         for row, value in zip(table.rows, column, strict=True)],
        title=table.columns[[code for code, _l, _k in table.columns].index(
            "work_or_education_rate")][1])


def render_html(report: Report) -> str:
    return loader.render_to_string(TEMPLATE, {
        "report": report,
        "stylesheet": mark_safe(stylesheet()),
        "page_css": page_css(report),
        "language": get_language() or settings.LANGUAGE_CODE,
        "flow_chart": flow_chart(report),
        "trend_chart": trend_chart(report),
        "breakdowns": [(table, breakdown_chart(table)) for table in report.breakdowns],
    })


def write_pdf(report: Report, path: Path) -> None:
    import weasyprint  # noqa: PLC0415 (needs Pango; loaded only for PDFs)

    weasyprint.HTML(string=render_html(report), base_url=str(settings.BASE_DIR)).write_pdf(
        str(path))
