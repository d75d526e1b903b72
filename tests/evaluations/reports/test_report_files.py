"""The report files: a tidy CSV, an XLSX with numbers as numbers, and a PDF with the
figures, the charts, the definitions and the suppression note."""

import csv
import datetime as dt
from pathlib import Path

import openpyxl
import pypdfium2 as pdfium
import pytest
from django.conf import settings
from django.utils import translation

from evaluations.definition_texts import DEFINITIONS
from evaluations.indicators.definitions import DIMENSION_LABELS, INDICATORS_BY_CODE
from evaluations.indicators.over_time import suppress_over_time
from evaluations.reports import ReportSpec, build_report, render_report, report_file_name
from evaluations.reports.charts import BLUE, ORANGE, RED
from evaluations.reports.csv_report import COLUMNS
from evaluations.reports.xlsx_report import FORMATS, sheet_title

from .conftest import YEAR_2024, built, expected_status, expected_value

A4_RATIO = 297 / 210
WHOLE_YEAR = "2024-01-01/2024-12-31"


@pytest.fixture(scope="module")
def files(report_2024, raw_report_2024, tmp_path_factory):
    """The 2024 report written once in each format (and the raw one as CSV)."""
    folder = tmp_path_factory.mktemp("reports")
    paths = {}
    with translation.override(settings.LANGUAGE_CODE):
        for file_format in ("csv", "xlsx", "pdf"):
            paths[file_format] = folder / f"report.{file_format}"
            render_report(report_2024, file_format, paths[file_format])
        paths["raw.csv"] = folder / "raw.csv"
        render_report(raw_report_2024, "csv", paths["raw.csv"])
    return paths


def csv_rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def hex_colour(text: str) -> tuple[int, int, int]:
    return tuple(int(text[i:i + 2], 16) for i in (1, 3, 5))


# CSV


def test_the_csv_is_one_tidy_table_in_plain_utf8(files):
    content = files["csv"].read_bytes()
    assert not content.startswith(b"\xef\xbb\xbf")  # no byte-order mark
    assert content.splitlines()[0] == b"period,project,dimension,group,indicator,value,status"
    rows = csv_rows(files["csv"])
    assert tuple(rows[0]) == COLUMNS
    assert {row["project"] for row in rows} == {"VVV"}
    assert all("," not in row["value"] and "e" not in row["value"] for row in rows)


def test_every_csv_value_is_the_suppressed_result(files, expected):
    """The trend's quarters suppressed with the year they make up (over_time.py)."""
    rows = [row for row in csv_rows(files["csv"]) if row["dimension"] != "summary"]
    quarters = {period: expected(*period, raw=True).total for period in {
        tuple(dt.date.fromisoformat(day) for day in row["period"].split("/"))
        for row in rows if row["period"] != WHOLE_YEAR}}
    trend = suppress_over_time(quarters, [YEAR_2024])
    for row in rows:
        start, end = (dt.date.fromisoformat(day) for day in row["period"].split("/"))
        result = expected(start, end, row["dimension"] or None)
        if row["dimension"]:
            assert row["period"] == WHOLE_YEAR
            cell = next(r for r in result.rows if r.group == row["group"]).values.get(
                row["indicator"])
        elif row["period"] != WHOLE_YEAR:
            assert row["group"] == ""
            cell = trend[(start, end)].get(row["indicator"])
        else:
            assert row["group"] == ""
            cell = result.total.get(row["indicator"])
        assert row["status"] == expected_status(cell), row
        number = expected_value(cell)
        if number is None:
            assert row["value"] == ""
        else:
            assert float(row["value"]) == pytest.approx(number), row
            if INDICATORS_BY_CODE[row["indicator"]].is_count:
                assert row["value"] == str(int(number))


def test_the_csv_has_the_whole_period_every_breakdown_and_the_trend(files, report_2024):
    rows = csv_rows(files["csv"])
    whole = [r for r in rows if r["period"] == WHOLE_YEAR and not r["dimension"]]
    assert len(whole) == len(INDICATORS_BY_CODE)
    for table in report_2024.breakdowns:
        found = [r for r in rows if r["dimension"] == table.dimension]
        assert len(found) == len(table.rows) * len(table.columns)
        assert {r["group"] for r in found} == {row.group for row in table.rows}
    assert {r["period"] for r in rows if r["period"] != WHOLE_YEAR} == {
        "2024-01-01/2024-03-31", "2024-04-01/2024-06-30", "2024-07-01/2024-09-30",
        "2024-10-01/2024-12-31"}
    statuses = {r["status"] for r in rows if r["dimension"] != "summary"}
    assert statuses == {"", "suppressed", "none"}
    assert all(r["value"] == "" for r in rows if r["status"] in ("suppressed", "none"))


def test_the_csv_opens_with_the_programme_summary_and_its_targets(files, report_2024):
    rows = csv_rows(files["csv"])
    summary = report_2024.programme_summary
    values = [value for figure in summary.figures for value in figure.values]
    first = rows[:len(values) + len(summary.targets)]
    assert {row["dimension"] for row in first} == {"summary"}
    assert all(row["dimension"] != "summary" for row in rows[len(first):])
    assert [row["indicator"] for row in first[:len(values)]] == [v.code for v in values]
    assert [row["indicator"] for row in first[:5]] == [
        "participants", "new_participants", "completers", "early_ends",
        "completers_work_or_education"]
    for row, value in zip(first, values, strict=False):
        assert row["period"] == WHOLE_YEAR and row["group"] == ""
        assert row["status"] == value.status
        assert (float(row["value"]) if row["value"] else None) == (
            None if value.value is None else pytest.approx(value.value))
    targets = first[len(values):]
    assert [(r["group"], r["indicator"], r["value"]) for r in targets] == [
        ("target", "work_rate", "0.25"), ("target", "education_rate", "0.1")]
    assert [r["status"] for r in targets] == [
        {True: "met", False: "not_met", None: "not_judged"}[t.met] for t in summary.targets]


def test_a_raw_csv_hides_nothing(files, expected):
    rows = csv_rows(files["raw.csv"])
    assert "suppressed" not in {r["status"] for r in rows}
    assert rows[0]["dimension"] == "summary"
    raw = expected(*YEAR_2024, raw=True)
    for row in rows:
        if row["period"] == WHOLE_YEAR and not row["dimension"]:
            number = expected_value(raw.total.get(row["indicator"]))
            assert (float(row["value"]) if row["value"] else None) == (
                None if number is None else pytest.approx(number))


# XLSX


def test_the_first_sheet_opens_with_the_programme_summary(files, report_2024):
    sheet = openpyxl.load_workbook(files["xlsx"]).worksheets[0]
    summary = report_2024.programme_summary
    header = header_row(sheet, "Programme summary")
    assert sheet.cell(row=header - 2, column=1).value == summary.sentence
    assert [c.value for c in sheet[header][:5]] == ["Programme summary", "Value", "Share",
                                                    "Target", "Target met"]
    assert sheet.freeze_panes == f"A{header + 1}"
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=header + 1,
                                                        max_row=header + 12)}
    for figure in summary.figures:
        cells = rows[figure.label]
        for cell, value in zip(cells[1:], figure.values, strict=False):
            if value.value is None:
                assert cell.value == value.text
            else:
                assert cell.value == pytest.approx(value.value)
                assert cell.number_format == FORMATS[value.kind]
    for target in summary.targets:
        cells = rows[f"Target: {target.label} (share of all who ended)"]
        assert cells[3].value == pytest.approx(target.target)
        assert cells[3].number_format == "0.0%" and cells[4].value == target.status


def test_the_workbook_has_a_summary_each_breakdown_the_trend_and_definitions(files,
                                                                            report_2024):
    workbook = openpyxl.load_workbook(files["xlsx"])
    assert workbook.sheetnames == [
        "Summary", *(sheet_title(table.label) for table in report_2024.breakdowns), "Trend",
        "Definitions"]
    assert [sheet_title(str(DIMENSION_LABELS[t.dimension])) for t in report_2024.breakdowns
            ] == workbook.sheetnames[1:-2]


def header_row(sheet, first: str) -> int:
    return next(row[0].row for row in sheet.iter_rows() if row[0].value == first)


def test_the_summary_sheet_holds_the_headline_figures_against_targets(files, report_2024):
    sheet = openpyxl.load_workbook(files["xlsx"])["Summary"]
    assert sheet["A1"].value == "Evaluation report"
    about = {sheet.cell(row=r, column=1).value: sheet.cell(row=r, column=2).value
             for r in range(2, 9)}
    assert about["Project"] == report_2024.scope and about["Period"] == report_2024.period
    assert isinstance(about["Computed"], dt.datetime)
    assert about["Produced by"] == report_2024.produced_by
    header = header_row(sheet, "Headline figures")
    assert [c.value for c in sheet[header][:4]] == ["Headline figures", "Value", "Target",
                                                    "Target met"]
    assert header > header_row(sheet, "Programme summary")  # the summary comes first
    for offset, value in enumerate(report_2024.summary, start=1):
        label, cell, target, met = sheet[header + offset][:4]
        assert label.value == value.label
        if value.value is None:
            assert cell.value == value.text
        else:
            assert cell.value == pytest.approx(value.value)
            assert isinstance(cell.value, int | float) and not isinstance(cell.value, bool)
            assert cell.number_format == FORMATS[value.kind]
        if value.target is not None:
            assert target.value == pytest.approx(value.target)
            assert target.number_format == "0.0%" and met.value == value.target_status
    work = next(v for v in report_2024.summary if v.code == "work_rate")
    assert sheet.cell(row=header + 1 + report_2024.summary.index(work), column=3).value == \
        pytest.approx(0.25)
    labels = {row[0].value: row[1] for row in sheet.iter_rows(min_row=header + 1)}
    referrals = labels[str(INDICATORS_BY_CODE["referrals"].label)]
    assert isinstance(referrals.value, int) and referrals.number_format == "#,##0"
    days = labels[str(INDICATORS_BY_CODE["wait_days_mean"].label)]
    assert isinstance(days.value, float) and days.number_format == "0.0"
    longest = max(len(v.label) for v in report_2024.all_values())
    assert sheet.column_dimensions["A"].width >= longest
    assert sheet.column_dimensions["A"].width < longest + 10  # the notes run over


def test_each_breakdown_sheet_has_its_groups_numbers_and_formats(files, report_2024):
    workbook = openpyxl.load_workbook(files["xlsx"])
    for table in report_2024.breakdowns:
        sheet = workbook[sheet_title(table.label)]
        assert sheet.freeze_panes == "C2"
        assert sheet["A1"].value == table.label and sheet["B1"].value == "Code"
        assert [c.value for c in sheet[1][2:]] == [label for _c, label, _k in table.columns]
        for group, row in zip(table.rows, sheet.iter_rows(min_row=2), strict=True):
            assert row[0].value == group.name and row[1].value == group.group
            for value, cell in zip(group.values, row[2:], strict=True):
                if value.value is None:
                    assert cell.value == value.text  # "<5" or "–", never a zero
                else:
                    assert cell.value == pytest.approx(value.value)
                    assert cell.number_format == FORMATS[value.kind]
        widest = max(len(group.name) for group in table.rows)
        assert sheet.column_dimensions["A"].width >= widest


def test_the_trend_sheet_has_one_row_per_period(files, report_2024):
    sheet = openpyxl.load_workbook(files["xlsx"])["Trend"]
    assert sheet.freeze_panes == "B2"
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [row[:3] for row in rows] == [
        (point.label, dt.datetime.combine(point.date_from, dt.time()),
         dt.datetime.combine(point.date_to, dt.time())) for point in report_2024.trend]
    assert sheet["B2"].number_format == "yyyy-mm-dd"
    first = report_2024.trend[0].values
    for value, cell in zip(first, sheet[2][3:], strict=True):
        assert cell.value == (value.text if value.value is None else pytest.approx(value.value))


def test_the_definitions_sheet_explains_every_figure(files, report_2024):
    sheet = openpyxl.load_workbook(files["xlsx"])["Definitions"]
    assert sheet.freeze_panes == "A2"
    rows = {row[1]: row for row in sheet.iter_rows(min_row=2, values_only=True) if row[1]}
    assert set(rows) == {code for code, _label, _text in report_2024.definitions}
    assert rows["referrals"][2] == str(DEFINITIONS["referrals"])
    texts = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert report_2024.suppression_note in texts


def test_a_workbook_in_norwegian_has_norwegian_sheets_and_labels(example, django_db_blocker,
                                                                 tmp_path):
    report = built(ReportSpec(*YEAR_2024, project_code="VVV"), django_db_blocker, "nb")
    with translation.override("nb"):
        render_report(report, "xlsx", tmp_path / "rapport.xlsx")
        exits = str(INDICATORS_BY_CODE["exits"].label)
    workbook = openpyxl.load_workbook(tmp_path / "rapport.xlsx")
    assert workbook.sheetnames[0] == "Sammendrag" and workbook.sheetnames[-1] == "Definisjoner"
    assert "Tiltaksarrangør" in workbook.sheetnames  # "Provider"
    labels = [row[0] for row in workbook["Sammendrag"].iter_rows(values_only=True)]
    assert exits in labels and "Hovedtall" in labels


# PDF


def pdf_pages(path: Path) -> list[str]:
    document = pdfium.PdfDocument(path)
    try:
        return [" ".join(document[i].get_textpage().get_text_range().split())
                for i in range(len(document))]
    finally:
        document.close()


def test_the_pdf_has_a_title_page_that_says_what_it_is(files, report_2024):
    cover = pdf_pages(files["pdf"])[0]
    assert "Evaluation report" in cover
    assert "VVV – Vilje viser vei, with its sub-projects" in cover
    assert "2024-01-01 to 2024-12-31" in cover
    assert report_2024.produced_by in cover and "Computed" in cover
    assert "Small numbers are hidden" in cover


def test_the_pdf_opens_with_the_programme_summary(files, report_2024):
    cover = pdf_pages(files["pdf"])[0]
    summary = report_2024.programme_summary
    assert cover.index("Programme summary") < cover.index("Project")
    assert " ".join(summary.sentence.split()) in cover
    for figure in summary.figures:
        assert f"{figure.label} {figure.text}" in cover
    for target in summary.targets:
        assert f"{target.target_text} {target.label} (now {target.actual.text})" in cover


def test_the_pdf_holds_the_figures_breakdowns_definitions_and_note(files, report_2024):
    pages = pdf_pages(files["pdf"])
    summary = next(page for page in pages if "Summary" in page and "Headline figures" in page)
    for value in report_2024.summary:
        assert f"{value.label} {value.text}" in summary
    work = next(v for v in report_2024.summary if v.code == "work_rate")
    assert f"{work.label} {work.text} 25.0 % {work.target_status}" in summary
    text = " ".join(pages)
    assert "Breakdowns" in text and "By Provider" in text and "By Age band" in text
    provider = next(t for t in report_2024.breakdowns if t.dimension == "provider")
    assert all(row.name in text for row in provider.rows)
    assert " ".join(str(DEFINITIONS["referrals"]).split()) in text
    assert "Small numbers are hidden" in pages[-1] and "<5” marks a hidden count" in pages[-1]
    assert "Computed" in pages[-1]


def test_every_pdf_page_is_numbered_page_x_of_y(files):
    pages = pdf_pages(files["pdf"])
    assert len(pages) > 5
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page


def test_the_pdf_pages_are_a4_with_the_charts_drawn(files, tmp_path):
    document = pdfium.PdfDocument(files["pdf"])
    try:
        images = [document[i].render(scale=1).to_pil().convert("RGB")
                  for i in range(len(document))]
    finally:
        document.close()
    for number, image in enumerate(images):
        width, height = image.size
        assert height / width == pytest.approx(A4_RATIO, rel=0.01)
        assert len(image.getcolors(1 << 24)) > 10, number  # not blank
    images[0].save(tmp_path / "cover.png")
    charts = next(i for i, page in enumerate(pdf_pages(files["pdf"]))
                  if "Flow and trend" in page)
    images[charts].save(tmp_path / "charts.png")
    colours = images[charts].getcolors(1 << 24)

    def pixels(colour: str, tolerance: int = 40) -> int:
        target = hex_colour(colour)
        return sum(count for count, found in colours
                   if all(abs(a - b) < tolerance for a, b in zip(found, target, strict=True)))

    width, height = images[charts].size
    assert 0.03 * width * height < pixels(BLUE) < 0.3 * width * height  # the flow's columns
    assert pixels(ORANGE) > 50 and pixels(RED) > 50  # trend lines


def test_a_pdf_in_norwegian_has_norwegian_headings(example, django_db_blocker, tmp_path):
    report = built(ReportSpec(*YEAR_2024, project_code="VVV"), django_db_blocker, "nb")
    with translation.override("nb"):
        render_report(report, "pdf", tmp_path / "rapport.pdf")
        referrals = str(INDICATORS_BY_CODE["referrals"].label)
    text = " ".join(pdf_pages(tmp_path / "rapport.pdf"))
    assert "Evalueringsrapport" in text and "Sammendrag" in text and "Definisjoner" in text
    assert referrals in text and referrals != "Referrals"


def test_a_raw_pdf_says_so_on_the_cover(raw_report_2024, tmp_path):
    render_report(raw_report_2024, "pdf", tmp_path / "raw.pdf")
    cover = pdf_pages(tmp_path / "raw.pdf")[0]
    assert "Raw values" in cover and "NOT hidden" in cover


# Names


def test_file_names_say_what_the_report_is():
    spec = ReportSpec(*YEAR_2024, project_code="VVV")
    assert report_file_name(spec, "xlsx") == "evaluation-VVV-2024-01-01-2024-12-31.xlsx"
    raw = ReportSpec(*YEAR_2024, raw=True)
    assert report_file_name(raw, "pdf") == "evaluation-all-2024-01-01-2024-12-31-raw.pdf"


def test_an_unknown_format_is_refused(report_2024, tmp_path):
    with pytest.raises(ValueError):
        render_report(report_2024, "docx", tmp_path / "report.docx")


def test_a_report_of_a_short_period_by_month_renders(example, tmp_path):
    report = build_report(ReportSpec(dt.date(2024, 1, 1), dt.date(2024, 3, 31)))
    render_report(report, "pdf", tmp_path / "q1.pdf")
    text = " ".join(pdf_pages(tmp_path / "q1.pdf"))
    assert "2024-01" in text and "2024-03" in text and "All projects" in text


def test_a_period_without_any_case_data_still_makes_every_file(example, tmp_path):
    report = build_report(ReportSpec(dt.date(1990, 1, 1), dt.date(1990, 12, 31)))
    assert all(not table.rows for table in report.breakdowns)
    for file_format in ("csv", "xlsx", "pdf"):
        render_report(report, file_format, tmp_path / f"empty.{file_format}")
    rows = csv_rows(tmp_path / "empty.csv")
    assert rows and not any(r["dimension"] not in ("", "summary") for r in rows)
    assert {r["status"] for r in rows if r["value"] == ""} == {"none"}
    text = " ".join(pdf_pages(tmp_path / "empty.pdf"))
    assert "No figures for this breakdown in the period." in text
