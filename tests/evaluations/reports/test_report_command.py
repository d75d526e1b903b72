"""manage.py evaluation_report: each format, bad arguments in one line with status 2, and
a raw report recorded."""

import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from evaluations.models import DataRelease


def run(*arguments):
    out = io.StringIO()
    call_command("evaluation_report", *arguments, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "pdf"])
def test_it_writes_the_report_in_each_format(example, tmp_path, file_format):
    path = tmp_path / f"report.{file_format}"
    output = run("--from", "2024-01-01", "--to", "2024-12-31", "--project", "VVV",
                 "--format", file_format, "--output", str(path))
    assert str(path) in output
    content = path.read_bytes()
    assert content.startswith({"csv": b"period,", "xlsx": b"PK", "pdf": b"%PDF"}[file_format])
    assert not DataRelease.objects.exists()


def test_a_raw_report_is_recorded_before_it_is_written(example, tmp_path):
    path = tmp_path / "raw.xlsx"
    run("--from", "2024-01-01", "--to", "2024-12-31", "--format", "xlsx", "--output",
        str(path), "--raw")
    release = DataRelease.objects.get()
    assert release.channel == "command" and release.kind == "report" and release.user is None
    assert release.parameters["raw"] is True and release.parameters["output"] == str(path)
    assert "NOT hidden" in openpyxl.load_workbook(path)["Summary"]["A5"].value


OUTPUT = "<output>"


@pytest.mark.parametrize("arguments", [
    ["--from", "2024-01-01", "--to", "2024-12-31", "--format", "doc", "--output", OUTPUT],
    ["--from", "2024-01-01", "--to", "2024-12-31", "--format", "csv"],
    ["--from", "2024-12-31", "--to", "2024-01-01", "--format", "csv", "--output", OUTPUT],
    ["--from", "2024-02-30", "--to", "2024-12-31", "--format", "csv", "--output", OUTPUT],
    ["--from", "2024-01-01", "--to", "2024-12-31", "--format", "csv", "--project", "NOPE",
     "--output", OUTPUT],
], ids=["unknown format", "no output", "from after to", "impossible date", "unknown project"])
def test_a_bad_argument_is_one_line_and_status_2(example, tmp_path, arguments):
    arguments = [str(tmp_path / "out.csv") if a == OUTPUT else a for a in arguments]
    with pytest.raises(CommandError) as caught:
        run(*arguments)
    assert caught.value.returncode == 2
    assert "\n" not in str(caught.value) and str(caught.value)
    assert not list(tmp_path.iterdir())
    assert not DataRelease.objects.exists()


def test_an_existing_file_is_never_overwritten(example, tmp_path):
    path = tmp_path / "taken.csv"
    path.write_text("keep")
    with pytest.raises(CommandError):
        run("--from", "2024-01-01", "--to", "2024-12-31", "--format", "csv", "--output",
            str(path))
    assert path.read_text() == "keep"
