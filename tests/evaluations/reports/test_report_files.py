"""The report files: a tidy CSV, an XLSX with numbers as numbers, and a PDF with the
figures, the charts, the definitions and the suppression note."""

import csv
import io
import os
from pathlib import Path

import openpyxl
import pypdfium2 as pdfium
import pytest
from django.utils import translation

from evaluations.definition_texts import DEFINITIONS
from evaluations.indicators import DIMENSIONS
from evaluations.indicators.definitions import DIMENSION_LABELS
from evaluations.reports import ReportSpec, build_report, render_report, report_file_name
from evaluations.reports.csv_report import COLUMNS
from evaluations.reports.xlsx_report import sheet_title

from .conftest import YEAR_2024

A4_RATIO = 297 / 210
CHART_BLUE = (0x36, 0xA2, 0xEB)


def csv_rows(path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_the_csv_is_one_tidy_table_of_the_shown_values(report_2024, tmp_path):
    path = tmp_path / "report.csv"
    render_report(report_2024, "csv", path)
    rows = csv_rows(path)
    assert tuple(rows[0]) == COLUMNS
    whole = {r["indicator"]: r for r in rows if r["period"] == "2024-01-01/2024-12-31"
             and not r["dimension"]}
    for value in report_2024.summary:
        row = whole[value.code]
        assert row["project"] == "VVV" and row["status"] == value.status
        assert (float(row["value"]) if row["value"] else None) == (
            None if value.value is None else pytest.approx(value.value))
    by_provider = [r for r in rows if r["dimension"] == "provider"]
    provider = next(t for t in report_2024.breakdowns if t.dimension == "provider")
    assert len(by_provider) == len(provider.rows) * len(provider.columns)
    hidden = [r for r in rows if r["status"] == "suppressed"]
    assert hidden and all(r["value"] == "" for r in hidden)
    quarters = {r["period"] for r in rows if r["period"] != "2024-01-01/2024-12-31"}
    assert quarters == {"2024-01-01/2024-03-31", "2024-04-01/2024-06-30",
                        "2024-07-01/2024-09-30", "2024-10-01/2024-12-31"}


def test_the_workbook_has_a_sheet_per_part_with_numbers_as_numbers(report_2024, tmp_path):
    path = tmp_path / "report.xlsx"
    render_report(report_2024, "xlsx", path)
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == [
        "Summary", *(sheet_title(str(DIMENSION_LABELS[d])) for d in DIMENSIONS), "Trend",
        "Definitions"]

    summary = workbook["Summary"]
    assert summary["A1"].value == "Evaluation report"
    assert summary.freeze_panes == "A8"
    assert [c.value for c in summary[7][:4]] == ["Indicator", "Value", "Target", "Target met"]
    rows = {row[0].value: row for row in summary.iter_rows(min_row=8, max_row=20)}
    work = next(v for v in report_2024.summary if v.code == "work_rate")
    cell = rows[work.label][1]
    assert cell.value == pytest.approx(work.value) and cell.number_format == "0.0%"
    assert rows[work.label][2].value == pytest.approx(0.25)
    assert rows[work.label][3].value in ("met", "not met")
    referrals = next(v for v in report_2024.summary if v.code == "referrals")
    assert rows[referrals.label][1].value == referrals.value
    assert isinstance(rows[referrals.label][1].value, int)
    assert rows[referrals.label][1].number_format == "#,##0"
    assert summary.column_dimensions["A"].width > 20

    sheet = workbook[sheet_title(str(DIMENSION_LABELS["provider"]))]
    assert sheet.freeze_panes == "B2"
    provider = next(t for t in report_2024.breakdowns if t.dimension == "provider")
    for (_group, name, values), row in zip(provider.rows, sheet.iter_rows(min_row=2),
                                           strict=True):
        assert row[0].value == name
        for value, cell in zip(values, row[1:], strict=True):
            if value.value is None:
                assert cell.value == value.text  # "<5" or "–", never a zero
            else:
                assert cell.value == pytest.approx(value.value)
    trend = workbook["Trend"]
    assert [trend.cell(row=r, column=1).value for r in range(2, 6)] == [
        "2024 Q1", "2024 Q2", "2024 Q3", "2024 Q4"]
    definitions = workbook["Definitions"]
    texts = [row[2].value for row in definitions.iter_rows(min_row=2)]
    assert str(DEFINITIONS["referrals"]) in texts


def pdf_text(path: Path) -> list[str]:
    document = pdfium.PdfDocument(path)
    try:
        return [document[i].get_textpage().get_text_range() for i in range(len(document))]
    finally:
        document.close()


def test_the_pdf_holds_the_title_figures_breakdowns_definitions_and_note(report_2024,
                                                                        tmp_path):
    path = tmp_path / "report.pdf"
    render_report(report_2024, "pdf", path)
    pages = pdf_text(path)
    text = "\n".join(pages)
    flat = " ".join(text.split())
    assert "Evaluation report" in pages[0]
    assert "VVV – Vilje viser vei, with its sub-projects" in " ".join(pages[0].split())
    assert report_2024.period in pages[0]
    assert "Summary" in pages[1] and "Share in work or education" in pages[1]
    work = next(v for v in report_2024.summary if v.code == "work_rate")
    assert work.text in pages[1] and "25.0 %" in pages[1]
    assert "By Provider" in text and "By Age band" in text
    assert " ".join(str(DEFINITIONS["referrals"]).split()) in flat
    assert "Small numbers are hidden" in flat
    assert f"Page 1 / {len(pages)}" in pages[0]
    assert f"Page {len(pages)} / {len(pages)}" in pages[-1]


def test_the_pdf_pages_are_a4_with_the_charts_drawn(report_2024, tmp_path):
    path = tmp_path / "report.pdf"
    render_report(report_2024, "pdf", path)
    document = pdfium.PdfDocument(path)
    try:
        images = [document[i].render(scale=1).to_pil().convert("RGB")
                  for i in range(len(document))]
    finally:
        document.close()
    screenshots = os.environ.get("SCREENSHOT_DIR")
    for image in images:
        width, height = image.size
        assert height / width == pytest.approx(A4_RATIO, rel=0.01)
        assert len(image.getcolors(1 << 24)) > 10  # not blank
    charts = next(i for i, page in enumerate(pdf_text(path)) if "Flow and trend" in page)
    blue = sum(count for count, colour in images[charts].getcolors(1 << 24)
               if all(abs(a - b) < 40 for a, b in zip(colour, CHART_BLUE, strict=True)))
    assert blue > 2_000  # the flow bars and a trend line are drawn
    if screenshots:
        images[1].save(Path(screenshots) / "report-summary.png")
        images[charts].save(Path(screenshots) / "report-charts.png")


def test_the_pdf_is_in_the_language_it_was_asked_in(example, tmp_path):
    with translation.override("nb"):
        report = build_report(ReportSpec(*YEAR_2024, project_code="VVV"))
        render_report(report, "pdf", tmp_path / "rapport.pdf")
    text = "\n".join(pdf_text(tmp_path / "rapport.pdf"))
    assert "Henvisninger" in text  # "Referrals" in Norwegian


def test_file_names_say_what_the_report_is():
    spec = ReportSpec(*YEAR_2024, project_code="VVV")
    assert report_file_name(spec, "xlsx") == "evaluation-VVV-2024-01-01-2024-12-31.xlsx"
    raw = ReportSpec(*YEAR_2024, raw=True)
    assert report_file_name(raw, "pdf") == "evaluation-all-2024-01-01-2024-12-31-raw.pdf"
