"""`manage.py indicators`: the document, the table, and one line with status 2 on bad input."""

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from evaluations.indicators import INDICATORS
from evaluations.models import DataRelease, ReleaseChannel
from participants.models import AccessLogEntry
from tests import factories

from .conftest import enrol

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]


def run(*arguments) -> str:
    out = StringIO()
    call_command("indicators", *arguments, stdout=out)
    return out.getvalue()


@pytest.fixture
def three_referrals(db):
    project = factories.ProjectFactory(code="VVV")
    office = factories.OfficeFactory(code="nav-lade")
    for index in range(3):
        participant = factories.ParticipantFactory(project=project, office=office,
                                                   gender="female")
        enrol(participant, f"E{index}", "2024-03-01")


@pytest.mark.parametrize("arguments", [
    ["--from", "2024-01-01", "--to", "2024-12-31", "--project", "NOPE"],
    ["--from", "2024-01-01", "--to", "2024-12-31", "--by", "shoe_size"],
    ["--from", "2024-12-31", "--to", "2024-01-01"],
    ["--from", "2024-02-30", "--to", "2024-12-31"],
    ["--from", "01.01.2024", "--to", "2024-12-31"],
    ["--from", "2024-01-01", "--to", "2024-12-31", "--format", "xml"],
    ["--to", "2024-12-31"],
    ["--from", "0001-01-01", "--to", "0001-12-31"],
    ["--from", "2024-01-01", "--to", "9999-12-31"],
], ids=["unknown project", "unknown dimension", "from after to", "impossible date",
        "malformed date", "unknown format", "missing from", "year 1", "year 9999"])
def test_a_bad_argument_is_one_line_and_status_2(arguments):
    with pytest.raises(CommandError) as caught:
        run(*arguments)

    assert caught.value.returncode == 2
    assert "\n" not in str(caught.value) and str(caught.value)


def test_a_bad_argument_exits_with_status_2_from_the_shell(tmp_path):
    completed = subprocess.run(
        [sys.executable, "manage.py", "indicators", "--from", "2024-13-01", "--to",
         "2024-12-31"],
        cwd=ROOT, capture_output=True, text=True,
        env={"DJANGO_SETTINGS_MODULE": "rehab.settings_test",
             "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
             "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
    )

    assert completed.returncode == 2
    assert completed.stdout == ""
    assert len(completed.stderr.strip().splitlines()) == 1
    assert "2024-13-01" in completed.stderr


def test_json_suppresses_small_counts_unless_raw(three_referrals):
    shown = json.loads(run("--from", "2024-01-01", "--to", "2024-12-31", "--by", "gender"))
    raw = json.loads(run("--from", "2024-01-01", "--to", "2024-12-31", "--by", "gender",
                         "--raw"))

    assert shown["total"]["referrals"] == "<5"
    assert shown["rows"][0]["values"]["wait_days_mean"] is None
    assert raw["total"]["referrals"] == 3
    assert raw["rows"] == [{"group": "female", "values": raw["rows"][0]["values"]}]
    assert list(raw["total"]) == [indicator.code for indicator in INDICATORS]
    assert (raw["project"], raw["by"]) == (None, "gender")


def test_without_a_breakdown_rows_are_empty_and_by_is_null(three_referrals):
    document = json.loads(run("--from", "2024-01-01", "--to", "2024-12-31", "--project", "VVV",
                              "--raw"))

    assert document["rows"] == []
    assert document["by"] is None
    assert document["project"] == "VVV"


def test_table_has_indicators_as_rows_and_groups_as_columns(three_referrals):
    table = run("--from", "2024-01-01", "--to", "2024-12-31", "--by", "office", "--format",
                "table", "--raw")

    lines = table.splitlines()
    assert "Total" in lines[2] and "nav-lade" in lines[2]
    referrals = next(line for line in lines if line.startswith("Referrals"))
    assert referrals.split()[-2:] == ["3", "3"]
    assert len([line for line in lines if line.strip()]) == len(INDICATORS) + 3


def test_table_shows_suppressed_counts(three_referrals):
    table = run("--from", "2024-01-01", "--to", "2024-12-31", "--format", "table")

    assert next(line for line in table.splitlines()
                if line.startswith("Referrals")).endswith("<5")


def test_the_help_says_raw_is_for_administrators():
    from evaluations.management.commands.indicators import Command

    assert "administrators" in Command.help


def test_raw_figures_are_recorded_as_a_release_with_the_participants_they_cover(
        three_referrals):
    # INDICATORS.md: "every raw export is recorded in the audit log", as the raw
    # evaluation_report is; the command printed raw figures and recorded nothing.
    factories.ParticipantFactory(project=factories.ProjectFactory(code="PVA"))
    run("--from", "2024-01-01", "--to", "2024-12-31", "--project", "VVV", "--by", "gender",
        "--raw")

    release = DataRelease.objects.get()
    assert release.channel == ReleaseChannel.COMMAND and release.kind == "report"
    assert release.user is None and release.operator
    assert release.parameters == {"command": "indicators", "project": "VVV", "by": "gender",
                                  "from": "2024-01-01", "to": "2024-12-31", "raw": True}
    assert "VVV" in release.description
    covered = set(AccessLogEntry.objects.values_list("participant__project__code", flat=True))
    assert covered == {"VVV"} and AccessLogEntry.objects.count() == 3


def test_suppressed_figures_record_no_release(three_referrals):
    run("--from", "2024-01-01", "--to", "2024-12-31")

    assert not DataRelease.objects.exists() and not AccessLogEntry.objects.exists()


def test_a_bad_argument_with_raw_records_nothing(three_referrals):
    with pytest.raises(CommandError):
        run("--from", "2024-01-01", "--to", "2024-12-31", "--project", "NOPE", "--raw")

    assert not DataRelease.objects.exists()
