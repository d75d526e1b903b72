"""manage.py evaluation_report: each format, bad arguments in one line with status 2, a raw
report recorded as a release and a suppressed one not, the active language."""

import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from evaluations.indicators.definitions import INDICATORS_BY_CODE
from evaluations.models import DataRelease, ReleaseChannel
from participants.models import AccessLogEntry

PERIOD = ["--from", "2024-01-01", "--to", "2024-12-31"]
OUTPUT = "<output>"


def run(*arguments, **options):
    out, err = io.StringIO(), io.StringIO()
    call_command("evaluation_report", *arguments, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "pdf"])
def test_it_writes_the_report_in_each_format(example, tmp_path, file_format):
    path = tmp_path / f"report.{file_format}"
    output, _err = run(*PERIOD, "--project", "VVV", "--format", file_format,
                       "--output", str(path))
    assert str(path) in output
    content = path.read_bytes()
    assert content.startswith({"csv": b"period,", "xlsx": b"PK", "pdf": b"%PDF"}[file_format])
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no partial file left


def test_a_suppressed_report_records_no_release(example, tmp_path):
    run(*PERIOD, "--format", "csv", "--output", str(tmp_path / "report.csv"))
    assert not DataRelease.objects.exists()
    rows = (tmp_path / "report.csv").read_text(encoding="utf-8")
    assert ",suppressed" in rows


def test_a_raw_report_is_recorded_as_a_release(example, tmp_path):
    path = tmp_path / "raw.xlsx"
    run(*PERIOD, "--project", "VVV", "--format", "xlsx", "--output", str(path), "--raw")
    release = DataRelease.objects.get()
    assert release.channel == ReleaseChannel.COMMAND and release.kind == "report"
    assert release.user is None and release.operator
    assert release.parameters == {
        "command": "evaluation_report", "project": "VVV", "from": "2024-01-01",
        "to": "2024-12-31", "format": "xlsx", "output": str(path), "raw": True}
    assert "VVV" in release.description
    summary = openpyxl.load_workbook(path)["Summary"]
    texts = [row[0] for row in summary.iter_rows(values_only=True)]
    assert any(text and "NOT hidden" in text for text in texts)
    assert AccessLogEntry.objects.exists()  # the participants covered, as for the web


@pytest.mark.parametrize("arguments", [
    [*PERIOD, "--format", "doc", "--output", OUTPUT],
    [*PERIOD, "--output", OUTPUT],
    [*PERIOD, "--format", "csv"],
    ["--to", "2024-12-31", "--format", "csv", "--output", OUTPUT],
    ["--from", "2024-12-31", "--to", "2024-01-01", "--format", "csv", "--output", OUTPUT],
    ["--from", "2024-02-30", "--to", "2024-12-31", "--format", "csv", "--output", OUTPUT],
    [*PERIOD, "--format", "csv", "--project", "NOPE", "--output", OUTPUT],
    [*PERIOD, "--format", "csv", "--output", "<missing folder>"],
], ids=["unknown format", "no format", "no output", "no start", "from after to",
        "impossible date", "unknown project", "no such folder"])
@pytest.mark.parametrize("raw", [False, True], ids=["suppressed", "raw"])
def test_a_bad_argument_is_one_line_and_status_2(example, tmp_path, arguments, raw):
    arguments = [str(tmp_path / "out.csv") if a == OUTPUT else
                 str(tmp_path / "missing" / "out.csv") if a == "<missing folder>" else a
                 for a in arguments]
    with pytest.raises(CommandError) as caught:
        run(*arguments, *(["--raw"] if raw else []))
    assert caught.value.returncode == 2
    assert "\n" not in str(caught.value) and str(caught.value)
    assert not list(tmp_path.iterdir())
    assert not DataRelease.objects.exists()


def test_an_existing_file_is_never_overwritten(example, tmp_path):
    path = tmp_path / "taken.csv"
    path.write_text("keep")
    with pytest.raises(CommandError) as caught:
        run(*PERIOD, "--format", "csv", "--output", str(path))
    assert caught.value.returncode == 2 and path.read_text() == "keep"


def test_progress_is_shown_at_verbosity_2(example, tmp_path):
    _out, err = run(*PERIOD, "--format", "csv", "--output", str(tmp_path / "r.csv"),
                    verbosity=2)
    lines = err.splitlines()
    assert lines[0].startswith("1/") and lines[-1].split()[0] == "13/13"  # 1 + 8 + 4 quarters


def test_the_report_is_in_the_active_language(example, tmp_path):
    path = tmp_path / "rapport.xlsx"
    with translation.override("nb"):
        run(*PERIOD, "--project", "VVV", "--format", "xlsx", "--output", str(path))
        referrals = str(INDICATORS_BY_CODE["referrals"].label)
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames[0] == "Sammendrag"
    labels = [row[0] for row in workbook["Sammendrag"].iter_rows(values_only=True)]
    assert referrals in labels and referrals != "Referrals"
