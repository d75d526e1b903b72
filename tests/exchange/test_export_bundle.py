"""Exporting a bundle: the round trip gives the same indicators and records, pseudonyms are
stable and reveal nothing, and the export streams its rows."""

import csv
import datetime as dt
import io
import json
import tracemalloc
import zipfile
from pathlib import Path
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Q
from django.test import override_settings

from evaluations.exchange import exporter
from evaluations.exchange.exporter import ExportError, export_bundle
from evaluations.exchange.importer import import_bundle
from evaluations.exchange.pseudonyms import Pseudonymizer, PseudonymKeyMissing
from evaluations.indicators import IndicatorQuery, compute
from evaluations.models import DataRelease, Project
from measures.models import Enrollment, Measure
from participants.models import (
    Answer,
    FollowUp,
    Office,
    OutcomeSpell,
    Participant,
    StaffProfile,
)
from providers.models import Provider
from tests import factories

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[1] / "data"
EXPECTED = sorted((DATA / "expected").glob("*.json"))
COUNTED = (Project, Provider, Measure, Participant, Enrollment, OutcomeSpell, FollowUp, Answer)
FILES = ("projects.csv", "providers.csv", "measures.csv", "participants.csv",
         "enrollments.csv", "outcomes.csv", "follow_ups.csv", "responses.csv")


@pytest.fixture
def imported_example():
    """The example bundle imported in this test alone: these tests empty the database."""
    import_bundle(DATA / "bundle")


def documents() -> dict[str, dict]:
    """The raw indicator document of every expected query, computed now."""
    found = {}
    for path in EXPECTED:
        query = json.loads(path.read_text(encoding="utf-8"))
        found[path.stem] = compute(_query(query)).document(raw=True)
    return found


def _query(document: dict) -> IndicatorQuery:
    return IndicatorQuery(date_from=dt.date.fromisoformat(document["from"]),
                          date_to=dt.date.fromisoformat(document["to"]),
                          project_code=document["project"], by=document["by"])


def assert_same_documents(actual: dict, expected: dict) -> None:
    """Equal, numbers to 1e-9 (a sum may add the same values in another order)."""
    assert set(actual) == set(expected)
    for name, document in expected.items():
        other = actual[name]
        assert {k: other[k] for k in ("from", "to", "project", "by")} == \
            {k: document[k] for k in ("from", "to", "project", "by")}, name
        assert _close(other["total"], document["total"]), (name, other["total"])
        rows = {row["group"]: row["values"] for row in document["rows"]}
        other_rows = {row["group"]: row["values"] for row in other["rows"]}
        assert set(other_rows) == set(rows), name
        for group, values in rows.items():
            assert _close(other_rows[group], values), (name, group)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def wipe_case_data() -> None:
    """Everything an import writes, so the next import meets an empty database."""
    Participant.objects.all().delete()
    Measure.objects.all().delete()
    Provider.objects.all().delete()
    while Project.objects.exists():
        Project.objects.filter(children__isnull=True).delete()
    StaffProfile.objects.all().delete()
    Office.objects.all().delete()
    get_user_model().objects.all().delete()
    assert not any(counts().values())


def members(path: Path) -> dict[str, bytes]:
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as archive:
            return {Path(name).name: archive.read(name) for name in archive.namelist()}
    return {file.name: file.read_bytes() for file in path.iterdir()}


def table(path: Path, name: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(members(path)[name].decode("utf-8"))))


@pytest.mark.parametrize("target", ["bundle.zip", "bundle"], ids=["zip", "folder"])
def test_export_then_import_into_an_empty_database_gives_the_same_indicators_and_records(
    imported_example, tmp_path, target
):
    before, records = documents(), counts()
    summary = export_bundle(tmp_path / target, pseudonymize=False)
    assert summary.rows == {"projects.csv": 8, "providers.csv": 7, "measures.csv": 18,
                            "participants.csv": 267, "enrollments.csv": 379,
                            "outcomes.csv": 144, "follow_ups.csv": 3011,
                            "responses.csv": 1083}

    wipe_case_data()
    import_bundle(tmp_path / target)

    assert counts() == records
    assert_same_documents(documents(), before)


def test_export_import_export_gives_the_same_bytes(imported_example, tmp_path):
    export_bundle(tmp_path / "first.zip", pseudonymize=False)
    wipe_case_data()
    import_bundle(tmp_path / "first.zip")
    export_bundle(tmp_path / "second.zip", pseudonymize=False)
    first, second = members(tmp_path / "first.zip"), members(tmp_path / "second.zip")
    assert sorted(first) == sorted(FILES)
    for name in FILES:
        assert first[name] == second[name], name


def test_a_pseudonymised_extract_imported_and_exported_again_is_the_same_extract(
        imported_example, tmp_path):
    # What an evaluator who imports the extract into their own copy gets out of it again:
    # the same rows, the pseudonyms kept as refs and usernames.
    export_bundle(tmp_path / "extract.zip", pseudonymize=True)
    wipe_case_data()
    import_bundle(tmp_path / "extract.zip")
    export_bundle(tmp_path / "again.zip", pseudonymize=False)
    for name in FILES:
        again = table(tmp_path / "again.zip", name)
        if name == "participants.csv":
            for row in again:
                identity = [row.pop(c) for c in exporter.IDENTIFYING_PARTICIPANT_COLUMNS]
                assert identity == ["", "", "", ""]
        assert again == table(tmp_path / "extract.zip", name), name


def test_the_round_trip_still_gives_the_expected_documents(imported_example, tmp_path):
    export_bundle(tmp_path / "bundle.zip", pseudonymize=False)
    wipe_case_data()
    import_bundle(tmp_path / "bundle.zip")
    for path in EXPECTED:
        expected = json.loads(path.read_text(encoding="utf-8"))
        actual = compute(_query(expected)).document(raw=True)
        assert _close(actual["total"], expected["total"]), path.stem
        assert {row["group"] for row in actual["rows"]} == \
            {row["group"] for row in expected["rows"]}, path.stem


def _close(actual: dict, expected: dict) -> bool:
    if set(actual) != set(expected):
        return False
    for code, value in expected.items():
        got = actual.get(code)
        if (value is None) != (got is None):
            return False
        if value is not None and abs(value - got) > 1e-9:
            return False
    return True


def test_a_pseudonymised_round_trip_gives_the_indicators_of_the_consenting(imported_example,
                                                                          tmp_path):
    export_bundle(tmp_path / "extract.zip", pseudonymize=True)
    Participant.objects.filter(evaluation_consent=False).delete()
    consenting, records = documents(), counts()

    wipe_case_data()
    import_bundle(tmp_path / "extract.zip")

    assert counts() == records
    assert_same_documents(documents(), consenting)


def test_pseudonyms_are_stable_under_one_key_and_differ_under_another(imported_example, tmp_path):
    export_bundle(tmp_path / "first.zip", pseudonymize=True)
    export_bundle(tmp_path / "second.zip", pseudonymize=True)
    with override_settings(PSEUDONYM_KEY="another-key"):
        export_bundle(tmp_path / "other.zip", pseudonymize=True)

    first, second, other = (members(tmp_path / name) for name in
                            ("first.zip", "second.zip", "other.zip"))
    assert first == second
    refs = {row["ref"] for row in table(tmp_path / "first.zip", "participants.csv")}
    other_refs = {row["ref"] for row in table(tmp_path / "other.zip", "participants.csv")}
    assert len(refs) == len(other_refs) == \
        Participant.objects.filter(~Q(evaluation_consent=False)).count()
    assert not refs & other_refs


def test_a_pseudonymised_extract_reveals_nothing_that_identifies(imported_example, tmp_path):
    participant = Participant.objects.get(ref="R11-000000")
    factories.FollowUpFactory(participant=participant, note="Kjenner seg nedfor etter samtalen")
    factories.OutcomeSpellFactory(participant=participant, organisation_name="Hemmelig Bakeri AS")
    export_bundle(tmp_path / "extract.zip", pseudonymize=True)

    raw = (tmp_path / "extract.zip").read_bytes()
    files = members(tmp_path / "extract.zip")
    text = "\n".join(content.decode("utf-8") for content in files.values())
    cells = {cell for content in files.values()
             for row in csv.reader(io.StringIO(content.decode("utf-8"))) for cell in row}
    people = Participant.objects.values_list("ref", "given_name", "family_name", "national_id")
    for ref, given, family, national_id in people:
        assert ref not in cells
        assert f"{given} {family}" not in text and f"{given},{family}" not in text
        assert family not in cells and given not in cells
        if national_id:
            digits = national_id.replace("-", "")
            assert national_id not in text and digits not in text
            assert national_id.encode() not in raw
    original_ids = [row["national_id"] for row in
                    csv.DictReader(open(DATA / "bundle" / "participants.csv", encoding="utf-8"))
                    if row["national_id"]]
    assert original_ids and not any(number in text for number in original_ids)
    for username in get_user_model().objects.values_list("username", flat=True):
        assert username not in cells
    for ref in Enrollment.objects.values_list("ref", flat=True):
        assert ref not in cells
    for secret in ("Kjenner seg nedfor etter samtalen", "Hemmelig Bakeri AS"):
        assert secret not in text and secret.encode() not in raw
    header = next(csv.reader(io.StringIO(files["participants.csv"].decode("utf-8"))))
    assert not {"given_name", "family_name", "national_id", "national_id_country"} & set(header)


def test_participants_who_declined_are_left_out_with_everything_about_them(imported_example,
                                                                          tmp_path):
    export_bundle(tmp_path / "extract.zip", pseudonymize=True)
    declined = list(Participant.objects.filter(evaluation_consent=False)
                    .values_list("ref", flat=True))
    assert declined
    pseudonyms = Pseudonymizer.from_settings()
    text = "\n".join(c.decode() for c in members(tmp_path / "extract.zip").values())
    for ref in declined:
        assert pseudonyms.participant(ref) not in text
    kept = Participant.objects.filter(~Q(evaluation_consent=False))
    assert len(table(tmp_path / "extract.zip", "participants.csv")) == kept.count()
    assert len(table(tmp_path / "extract.zip", "follow_ups.csv")) == \
        FollowUp.objects.filter(participant__in=kept).count()
    assert len(table(tmp_path / "extract.zip", "enrollments.csv")) == \
        Enrollment.objects.filter(participant__in=kept).count()


def test_enrollments_are_numbered_in_the_order_of_their_refs_as_text(tmp_path):
    participant = factories.ParticipantFactory(ref="P-1")
    for ref, month in (("B-2", 1), ("A-10", 2), ("A-9", 3)):
        factories.EnrollmentFactory(participant=participant, ref=ref,
                                    referred_on=f"2024-{month:02d}-01")
    export_bundle(tmp_path / "extract.zip", pseudonymize=True)
    pseudonym = Pseudonymizer.from_settings().participant("P-1")
    rows = {row["ref"]: row["referred_on"]
            for row in table(tmp_path / "extract.zip", "enrollments.csv")}
    assert rows == {f"{pseudonym}-001": "2024-02-01", f"{pseudonym}-002": "2024-03-01",
                    f"{pseudonym}-003": "2024-01-01"}


def test_a_project_export_holds_the_project_and_its_sub_projects_only(imported_example, tmp_path):
    summary = export_bundle(tmp_path / "vvv.zip", pseudonymize=False, project_code="VVV-TRD")
    projects = table(tmp_path / "vvv.zip", "projects.csv")
    assert {row["code"]: row["parent_code"] for row in projects} == {
        "VVV-TRD": "", "VVV-TRD-UNG": "VVV-TRD"}
    chosen = Participant.objects.filter(project__code__in=["VVV-TRD", "VVV-TRD-UNG"])
    assert summary.rows["participants.csv"] == chosen.count()
    assert {row["ref"] for row in table(tmp_path / "vvv.zip", "participants.csv")} == \
        set(chosen.values_list("ref", flat=True))
    records = {"Participant": chosen.count(),
               "Enrollment": Enrollment.objects.filter(participant__in=chosen).count()}
    before = compute(_query({"from": "2024-01-01", "to": "2024-12-31",
                             "project": "VVV-TRD", "by": "provider"})).document(raw=True)

    wipe_case_data()
    import_bundle(tmp_path / "vvv.zip")  # imports on its own: no reference left dangling

    assert {"Participant": Participant.objects.count(),
            "Enrollment": Enrollment.objects.count()} == records
    after = compute(_query({"from": "2024-01-01", "to": "2024-12-31",
                            "project": "VVV-TRD", "by": "provider"})).document(raw=True)
    assert_same_documents({"vvv": after}, {"vvv": before})


def test_an_unknown_project_is_refused_and_nothing_is_written(tmp_path):
    with pytest.raises(ExportError, match="NOPE"):
        export_bundle(tmp_path / "x.zip", pseudonymize=False, project_code="NOPE")
    assert not list(tmp_path.iterdir())


@override_settings(PSEUDONYM_KEY="")
def test_a_pseudonymised_export_needs_the_key(tmp_path):
    with pytest.raises(PseudonymKeyMissing):
        export_bundle(tmp_path / "x.zip", pseudonymize=True)
    assert not list(tmp_path.iterdir())


def test_an_existing_file_or_folder_is_never_overwritten(tmp_path):
    (tmp_path / "taken.zip").write_bytes(b"keep")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("keep")
    with pytest.raises(ExportError):
        export_bundle(tmp_path / "taken.zip", pseudonymize=False)
    with pytest.raises(ExportError):
        export_bundle(tmp_path / "full", pseudonymize=False)
    assert (tmp_path / "taken.zip").read_bytes() == b"keep"
    assert [p.name for p in (tmp_path / "full").iterdir()] == ["notes.txt"]
    (tmp_path / "empty").mkdir()
    export_bundle(tmp_path / "empty", pseudonymize=False)
    assert sorted(p.name for p in (tmp_path / "empty").iterdir()) == sorted(FILES)


def test_a_failed_export_leaves_no_partial_file(tmp_path):
    factories.ParticipantFactory()
    with mock.patch.object(exporter._Export, "follow_up_rows", side_effect=RuntimeError),\
            pytest.raises(RuntimeError):
        export_bundle(tmp_path / "x.zip", pseudonymize=False)
    assert not list(tmp_path.iterdir())


def test_the_command_records_an_identifying_export_and_not_a_pseudonymised_one(tmp_path):
    factories.ParticipantFactory()
    call_command("export_bundle", str(tmp_path / "p.zip"), "--pseudonymize",
                 stdout=io.StringIO())
    assert not DataRelease.objects.exists()
    call_command("export_bundle", str(tmp_path / "full.zip"), stdout=io.StringIO())
    release = DataRelease.objects.get()
    assert release.channel == "command" and release.kind == "extract"
    assert release.operator and release.user is None
    assert release.parameters["path"] == str(tmp_path / "full.zip")


def test_the_command_explains_what_it_refuses(tmp_path):
    with pytest.raises(CommandError, match="NOPE"):
        call_command("export_bundle", str(tmp_path / "x.zip"), "--project", "NOPE")
    with override_settings(PSEUDONYM_KEY=""), pytest.raises(CommandError,
                                                            match="PSEUDONYM_KEY"):
        call_command("export_bundle", str(tmp_path / "x.zip"), "--pseudonymize")
    assert not DataRelease.objects.exists()  # the refused export was never released
    assert not list(tmp_path.iterdir())


def _peak_export_memory(tmp_path: Path, name: str) -> int:
    tracemalloc.start()
    try:
        export_bundle(tmp_path / name, pseudonymize=True)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_number_of_rows(tmp_path):
    """Rows are streamed in batches: four times the follow-ups, about the same peak."""
    participant = factories.ParticipantFactory()
    worker = factories.CaseWorkerFactory()

    def add_follow_ups(count):
        FollowUp.objects.bulk_create([
            FollowUp(participant=participant, occurred_on="2024-01-01", case_worker=worker,
                     channel="phone") for _ in range(count)])

    with mock.patch.object(exporter, "BATCH_SIZE", 100):
        add_follow_ups(2_000)
        small = _peak_export_memory(tmp_path, "small.zip")
        add_follow_ups(6_000)
        large = _peak_export_memory(tmp_path, "large.zip")
    assert len(table(tmp_path / "large.zip", "follow_ups.csv")) == 8_000
    assert large < small * 1.5, (small, large)


def test_a_participant_without_a_case_worker_goes_out_and_comes_back_without_one(tmp_path):
    """The case worker's account was deleted, or no one has been assigned yet: the export
    writes the cell empty ("none", as everywhere in a bundle), and the import of that
    export, here or elsewhere, takes it as none instead of refusing the whole bundle."""
    worker = factories.CaseWorkerFactory(username="kari")
    with_one = factories.ParticipantFactory(ref="P-WITH", primary_case_worker=worker)
    factories.ParticipantFactory(ref="P-WITHOUT", project=with_one.project,
                                 primary_case_worker=None)
    export_bundle(tmp_path / "bundle.zip", pseudonymize=False)
    assert {row["ref"]: row["primary_case_worker"]
            for row in table(tmp_path / "bundle.zip", "participants.csv")}["P-WITHOUT"] == ""
    wipe_case_data()

    import_bundle(tmp_path / "bundle.zip")

    assert Participant.objects.get(ref="P-WITHOUT").primary_case_worker is None
    assert not Participant.objects.get(ref="P-WITHOUT").case_worker_assignments.exists()
    assert Participant.objects.get(ref="P-WITH").primary_case_worker.username == "kari"
