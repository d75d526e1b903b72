"""Importing a CSV bundle (EXCHANGE.md): counts, idempotence, spreadsheet forms, every rule.

The example bundle is imported once per module, inside a transaction that is rolled back
when the module ends; each test runs in a savepoint on top of it. So most tests start
from "the example is already imported" and show that a broken bundle changes nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
import zipfile
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction

from evaluations.exchange import validate
from evaluations.exchange.importer import BundleInvalid, import_bundle
from evaluations.models import Project
from measures.models import Enrollment, Measure
from participants.models import (
    Answer,
    CaseWorkerAssignment,
    Channel,
    FollowUp,
    Office,
    OutcomeSpell,
    Participant,
    StaffProfile,
)
from providers.models import Provider
from rehab.roles import Role

from .bundles import (
    EXAMPLE,
    copy_example,
    edit,
    line_of,
    read_table,
    write_table,
    zip_folder,
)

User = get_user_model()

# Natural keys only, so a state read after wiping and importing again compares equal.
FIELDS = {
    Project: ["code", "name", "parent__code", "starts_on", "ends_on", "target_work_rate",
              "target_education_rate"],
    Provider: ["code", "name", "organisation_number", "municipality"],
    Measure: ["code", "name", "measure_type", "provider__code", "setting", "capacity"],
    Participant: ["ref", "project__code", "office__code", "birth_year", "gender",
                  "immigrant_background", "primary_case_worker__username", "given_name",
                  "family_name", "national_id", "national_id_country", "evaluation_consent"],
    Enrollment: ["ref", "participant__ref", "measure__code", "referred_on", "started_on",
                 "ended_on", "end_reason"],
    OutcomeSpell: ["participant__ref", "kind", "started_on", "ended_on", "hours_per_week",
                   "import_key"],
    FollowUp: ["participant__ref", "occurred_on", "case_worker__username", "channel",
               "with_employer", "with_treatment", "import_key"],
    Answer: ["participant__ref", "item__instrument__code", "item__code", "answered_on", "score"],
    User: ["username", "is_active", "groups__name"],
    Office: ["code", "name"],
    StaffProfile: ["user__username", "office__code"],
    CaseWorkerAssignment: ["participant__ref", "case_worker__username", "assigned_on"],
}


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in FIELDS}


def state() -> dict[str, Counter]:
    return {model.__name__: Counter(model.objects.values_list(*fields))
            for model, fields in FIELDS.items()}


def wipe() -> None:
    """Empty every table the importer writes (inside the test's savepoint)."""
    for model in (Answer, FollowUp, OutcomeSpell, Enrollment, CaseWorkerAssignment,
                  Participant, Measure, Provider, StaffProfile, Office):
        model.objects.all().delete()
    Project.objects.update(parent=None)
    Project.objects.all().delete()
    User.objects.all().delete()
    assert not any(counts().values())


@pytest.fixture(scope="module")
def example(django_db_setup, django_db_blocker):
    """The example bundle imported into an empty database: its summary, counts and state."""
    with django_db_blocker.unblock(), transaction.atomic():
        try:
            summary = import_bundle(EXAMPLE)
            yield {"summary": summary, "counts": counts(), "state": state()}
        finally:
            transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _example_imported(example, db):
    """Every test starts from the imported example, in a savepoint rolled back after it."""


def problems_of(path) -> list[str]:
    with pytest.raises(BundleInvalid) as caught:
        import_bundle(path)
    return [str(p) for p in caught.value.problems]


def assert_refused(path, example) -> list[str]:
    """Import ``path``, expect it refused, and show the database is as it was."""
    provider_name = Provider.objects.get(code="P06").name
    problems = problems_of(path)
    assert counts() == example["counts"]
    assert Provider.objects.get(code="P06").name == provider_name
    return problems


@pytest.fixture
def broken(tmp_path):
    """A copy of the example with two harmless changes that show up if anything is written
    (a provider renamed, a follow-up added); each test then breaks it in one place."""
    folder = copy_example(tmp_path)
    with edit(folder, "providers.csv") as t:
        t.rows[t.index(code="P06")]["name"] = "Renamed provider"
    with edit(folder, "follow_ups.csv") as t:
        t.append(participant_ref="R11-000000", occurred_on="2025-03-03", case_worker="navdal4",
                 channel="phone", with_employer="false", with_treatment="false")
    return folder


# --- the example bundle ----------------------------------------------------------------

def test_example_bundle_imports_every_record(example):
    assert example["summary"].rows == {
        "projects.csv": 8, "providers.csv": 7, "measures.csv": 18, "participants.csv": 267,
        "enrollments.csv": 379, "outcomes.csv": 144, "follow_ups.csv": 3011,
        "responses.csv": 1083,
    }
    participants = read_table(EXAMPLE / "participants.csv").rows
    primary = {r["primary_case_worker"] for r in participants}
    assert example["counts"] == {
        "Project": 8, "Provider": 7, "Measure": 18, "Participant": 267, "Enrollment": 379,
        "OutcomeSpell": 144, "FollowUp": 3011, "Answer": 1083, "User": 24,
        "Office": len({r["office"] for r in participants}), "StaffProfile": len(primary),
        "CaseWorkerAssignment": 267,
    }
    assert example["summary"].users_created == 24


def test_example_usernames_become_inactive_case_workers_without_password():
    users = User.objects.all()
    assert users.count() == 24
    assert not users.filter(is_active=True).exists()
    assert not any(u.has_usable_password() for u in users)
    assert set(users.filter(groups__name=Role.CASE_WORKER)) == set(users)


def test_example_primary_case_workers_get_the_office_of_their_participants():
    profile = StaffProfile.objects.get(user__username="navdal4")
    assert profile.office.code == "NAV-TRD-HEIMDAL"
    assert Office.objects.filter(code="JC-NAESTVED").exists()


def test_example_sets_project_parents_two_levels_deep():
    project = Project.objects.get(code="VVV-TRD-UNG")
    assert project.parent.code == "VVV-TRD"
    assert project.parent.parent.code == "VVV"
    assert project.parent.parent.parent is None
    assert Project.objects.get(code="VVV").target_work_rate == Decimal("0.25")


@pytest.mark.parametrize(("ref", "country", "stored"), [
    ("R11-000000", "NO", "05106003736"),
    ("R11-000002", "DK", "2807753462"),
    ("R11-000004", "SE", "641021-2499"),
])
def test_example_stores_national_ids_normalised_for_their_country(ref, country, stored):
    participant = Participant.objects.get(ref=ref)
    assert (participant.national_id_country, participant.national_id) == (country, stored)


def test_example_enrollment_keeps_its_dates_and_end_reason():
    withdrawn = Enrollment.objects.get(ref="E11-0000003")
    assert withdrawn.started_on is None
    assert withdrawn.ended_on == dt.date(2025, 1, 26)
    assert withdrawn.end_reason == "not_started"
    assert withdrawn.participant.ref == "R11-000000"
    assert withdrawn.measure.code == "M007"


# --- importing again -------------------------------------------------------------------

def test_importing_the_same_bundle_again_changes_nothing(example):
    import_bundle(EXAMPLE)
    assert counts() == example["counts"]
    assert state() == example["state"]


def test_reimporting_an_edited_bundle_updates_records_in_place(tmp_path, example):
    folder = copy_example(tmp_path)
    with edit(folder, "participants.csv") as t:
        t.rows[t.index(ref="R11-000001")]["birth_year"] = "1984"
    with edit(folder, "enrollments.csv") as t:
        t.rows[t.index(ref="E11-0000001")]["ended_on"] = "2025-02-14"
    with edit(folder, "outcomes.csv") as t:
        t.rows[t.index(participant_ref="R11-000002", kind="work")]["ended_on"] = "2025-08-31"
    participant = Participant.objects.get(ref="R11-000001")
    enrollment = Enrollment.objects.get(ref="E11-0000001")
    spell = OutcomeSpell.objects.get(participant__ref="R11-000002", kind="work",
                                     started_on=dt.date(2025, 4, 12))

    import_bundle(folder)

    assert counts() == example["counts"]
    assert Participant.objects.get(pk=participant.pk).birth_year == 1984
    assert Enrollment.objects.get(pk=enrollment.pk).ended_on == dt.date(2025, 2, 14)
    spell.refresh_from_db()
    assert spell.ended_on == dt.date(2025, 8, 31)
    assert spell.hours_per_week == 30


def test_reimport_keeps_follow_ups_entered_in_the_application(example):
    participant = Participant.objects.get(ref="R11-000000")
    entered = FollowUp.objects.create(
        participant=participant, occurred_on=dt.date(2025, 3, 3),
        case_worker=participant.primary_case_worker, channel=Channel.PHONE,
        with_employer=False, with_treatment=True,
    )
    import_bundle(EXAMPLE)
    assert FollowUp.objects.filter(pk=entered.pk, import_key__isnull=True).exists()
    assert FollowUp.objects.count() == example["counts"]["FollowUp"] + 1


def test_identical_follow_up_rows_stay_separate_follow_ups_on_reimport(tmp_path, example):
    folder = copy_example(tmp_path)
    same = {"participant_ref": "R11-000000", "occurred_on": "2025-03-03",
            "case_worker": "navdal4", "channel": "phone", "with_employer": "false",
            "with_treatment": "true"}
    with edit(folder, "follow_ups.csv") as t:
        t.append(**same)
        t.append(**same)

    def held():
        return FollowUp.objects.filter(participant__ref="R11-000000",
                                       occurred_on=dt.date(2025, 3, 3))

    import_bundle(folder)
    assert held().count() == 2
    import_bundle(folder)
    assert held().count() == 2
    assert FollowUp.objects.count() == example["counts"]["FollowUp"] + 2
    # The example's own pair of identical rows (lines 417 and 422) gives two follow-ups.
    assert FollowUp.objects.filter(participant__ref="R11-000036",
                                   occurred_on=dt.date(2023, 12, 16)).count() == 2


def test_an_imported_follow_up_on_or_after_the_planned_contact_fulfils_it(tmp_path, example):
    folder = copy_example(tmp_path)
    row = {"case_worker": "navdal4", "channel": "phone", "with_employer": "false",
           "with_treatment": "false"}
    with edit(folder, "follow_ups.csv") as t:
        t.append(participant_ref="R11-000000", occurred_on="2026-03-03", **row)
        t.append(participant_ref="R11-000001", occurred_on="2026-03-01", **row)
    Participant.objects.filter(ref__in=["R11-000000", "R11-000001"]).update(
        next_contact_on=dt.date(2026, 3, 2))

    import_bundle(folder)

    planned = dict(Participant.objects.filter(ref__in=["R11-000000", "R11-000001"])
                   .values_list("ref", "next_contact_on"))
    # On 3 March, after the plan: fulfilled. On 1 March, before it: still planned.
    assert planned == {"R11-000000": None, "R11-000001": dt.date(2026, 3, 2)}


def test_two_outcome_spells_starting_the_same_day_stay_two_on_reimport():
    import_bundle(EXAMPLE)
    spells = OutcomeSpell.objects.filter(participant__ref="X-EDGE-02", kind="work",
                                         started_on=dt.date(2023, 6, 1))
    assert sorted(s.hours_per_week for s in spells) == [10, 20]


def test_reimport_without_an_optional_file_keeps_what_is_there(tmp_path, example):
    folder = copy_example(tmp_path)
    (folder / "outcomes.csv").unlink()
    import_bundle(folder)
    assert counts() == example["counts"]


def test_national_id_d_number_and_samordningsnummer_are_stored(tmp_path):
    folder = copy_example(tmp_path)
    with edit(folder, "participants.csv") as t:
        t.rows[t.index(ref="R11-000001")].update(national_id="41019010110",
                                                  national_id_country="NO")
        t.rows[t.index(ref="R11-000000")].update(national_id="900161-1004",
                                                  national_id_country="SE")
    import_bundle(folder)
    assert Participant.objects.get(ref="R11-000001").national_id == "41019010110"
    assert Participant.objects.get(ref="R11-000000").national_id == "900161-1004"


# --- zip files and what spreadsheet programs write ---------------------------------------

@pytest.mark.parametrize("inside", ["bundle", None], ids=["folder-in-zip", "files-at-root"])
def test_zip_of_the_bundle_imports_the_same(tmp_path, example, inside):
    path = zip_folder(EXAMPLE, tmp_path / "bundle.zip", inside=inside)
    wipe()
    import_bundle(path)
    assert state() == example["state"]


DECIMAL_COLUMNS = {
    "projects.csv": ("target_work_rate", "target_education_rate"),
    "outcomes.csv": ("hours_per_week",),
}


def test_excel_csv_with_bom_crlf_semicolons_and_decimal_commas_imports_the_same(
        tmp_path, example):
    folder = tmp_path / "excel"
    folder.mkdir()
    for path in EXAMPLE.glob("*.csv"):
        table = read_table(path)
        for row in table.rows:
            for column in DECIMAL_COLUMNS.get(path.name, ()):
                row[column] = row[column].replace(".", ",")
        write_table(folder / path.name, table, delimiter=";", line_end="\r\n", bom=True)
    outcomes = (folder / "outcomes.csv").read_bytes()
    assert outcomes.startswith(b"\xef\xbb\xbfparticipant_ref;kind;") and b";37,5\r\n" in outcomes
    assert b";0,20;" in (folder / "projects.csv").read_bytes()

    wipe()
    import_bundle(folder)

    assert state() == example["state"]
    assert Project.objects.get(code="PVA").target_work_rate == Decimal("0.20")
    assert OutcomeSpell.objects.get(participant__ref="R11-000004",
                                    started_on=dt.date(2019, 1, 18)).hours_per_week == \
        Decimal("37.5")


@pytest.mark.parametrize(("file", "letter", "line"), [
    ("participants.csv", "ø", 2),  # Søren
    ("providers.csv", "æ", 5),  # Jobcenter Næstved, after three lines of plain ASCII
])
def test_windows_1252_file_is_refused_naming_the_file_its_line_and_csv_utf8(
        broken, example, file, letter, line):
    table = read_table(broken / file)
    first = next(i for i, r in enumerate(table.rows) if not "".join(r.values()).isascii())
    assert letter in "".join(table.rows[first].values())
    write_table(broken / file, table, encoding="cp1252")

    problems = assert_refused(broken, example)

    assert len(problems) == 1
    assert problems[0].startswith(f"{file}:{line}: -: the file is not UTF-8 text")
    assert problems[0].endswith('save it as "CSV UTF-8"')


# --- every rule, with its file, line and column; a refused bundle writes nothing ----------

E1 = {"ref": "E11-0000001"}  # referred 2024-05-13, started 2024-07-04, ended 2024-12-20
WITHDRAWN = {"ref": "E11-0000003"}  # referred 2024-12-21, not started, ended 2025-01-26
ONGOING = {"ref": "E11-0000006"}  # started 2024-11-19, not ended
P0 = {"ref": "R11-000000"}  # NO national id 05106003736
P1 = {"ref": "R11-000001"}  # no national id
WORK = {"participant_ref": "R11-000002", "kind": "work"}
EDUCATION = {"participant_ref": "R11-000002", "kind": "education"}
F0 = {"participant_ref": "R11-000000", "occurred_on": "2024-07-04"}
A0 = {"participant_ref": "R11-000000", "item": "self_belief"}  # 2024-08-04, score 2
A1 = {"participant_ref": "R11-000000", "item": "mastery"}  # the same day

RULES = [
    # file, row, changed cells, column reported, words of the message
    ("enrollments.csv", E1, {"referred_on": "2024-07-05"}, "started_on",
     "starts before the referral"),
    ("enrollments.csv", E1, {"started_on": "2024-12-21"}, "ended_on", "ends before it starts"),
    ("enrollments.csv", WITHDRAWN, {"ended_on": "2024-12-01"}, "ended_on",
     "ends before the referral"),
    ("enrollments.csv", E1, {"end_reason": ""}, "end_reason", "required when ended_on is given"),
    ("enrollments.csv", ONGOING, {"end_reason": "completed"}, "ended_on",
     "required when end_reason is given"),
    ("enrollments.csv", WITHDRAWN, {"started_on": "2024-12-22"}, "end_reason",
     "not_started is only for a referral without started_on"),
    ("enrollments.csv", WITHDRAWN, {"end_reason": "dropped_out"}, "end_reason",
     "a referral that never started must end with not_started"),
    ("enrollments.csv", E1, {"participant_ref": "R-NOBODY"}, "participant_ref",
     "unknown participant 'R-NOBODY'"),
    ("enrollments.csv", E1, {"measure_code": "M999"}, "measure_code", "unknown measure 'M999'"),
    ("enrollments.csv", E1, {"end_reason": "finished"}, "end_reason",
     "'finished' is not one of: completed, got_job"),
    ("enrollments.csv", E1, {"referred_on": ""}, "referred_on", "a value is required"),
    ("enrollments.csv", E1, {"referred_on": "1899-12-31"}, "referred_on",
     "1899-12-31 is outside 1900-01-01 to 2100-12-31"),
    ("enrollments.csv", E1, {"ended_on": "2101-01-01"}, "ended_on",
     "2101-01-01 is outside 1900-01-01 to 2100-12-31"),
    ("enrollments.csv", E1, {"started_on": "2024-13-01"}, "started_on",
     "'2024-13-01' is not a date of the form YYYY-MM-DD"),
    ("enrollments.csv", E1, {"referred_on": "01.02.2024"}, "referred_on",
     "'01.02.2024' is not a date of the form YYYY-MM-DD"),
    ("participants.csv", P0, {"birth_year": "1899"}, "birth_year", "1899 is outside 1900 to 2100"),
    ("participants.csv", P0, {"birth_year": "2101"}, "birth_year", "2101 is outside 1900 to 2100"),
    ("participants.csv", P0, {"birth_year": "19x0"}, "birth_year", "'19x0' is not a whole number"),
    ("participants.csv", P0, {"birth_year": "01960"}, "birth_year",
     "a birth year has four digits"),
    ("participants.csv", P0, {"gender": "f"}, "gender", "'f' is not one of: female, male, other"),
    ("participants.csv", P0, {"immigrant_background": "yes"}, "immigrant_background",
     "'yes' is not true or false"),
    ("participants.csv", P0, {"immigrant_background": ""}, "immigrant_background",
     "a value is required"),
    ("participants.csv", P0, {"evaluation_consent": "ja"}, "evaluation_consent",
     "'ja' is not true or false"),
    ("participants.csv", P0, {"project_code": "NOPE"}, "project_code", "unknown project 'NOPE'"),
    ("participants.csv", P0, {"primary_case_worker": "nav dal"}, "primary_case_worker",
     "'nav dal' is not a valid username"),
    ("participants.csv", P0, {"national_id": "05106003737"}, "national_id",
     "Not a valid Norwegian national identity number (fødselsnummer or D-number): "
     "the check digit does not match."),
    ("participants.csv", P0, {"national_id": "0510600373"}, "national_id",
     "the wrong number of digits"),
    ("participants.csv", P0, {"national_id": "320175-3462", "national_id_country": "DK"},
     "national_id", "Not a valid Danish CPR number: the date of birth in it does not exist."),
    ("participants.csv", P0, {"national_id": "641021-2498", "national_id_country": "SE"},
     "national_id", "Swedish personnummer or samordningsnummer: the check digit does not match"),
    ("participants.csv", P0, {"national_id_country": ""}, "national_id_country",
     "required when national_id is given"),
    ("participants.csv", P1, {"national_id_country": "NO"}, "national_id_country",
     "must be empty when national_id is empty"),
    ("participants.csv", P0, {"national_id_country": "FI"}, "national_id_country",
     "'FI' is not one of: NO, DK, SE"),
    ("projects.csv", {"code": "VVV-TRD"}, {"parent_code": "NOPE"}, "parent_code",
     "unknown project 'NOPE'"),
    ("projects.csv", {"code": "VVV"}, {"target_work_rate": "1.5"}, "target_work_rate",
     "1.5 is outside 0 to 1"),
    ("projects.csv", {"code": "VVV"}, {"target_work_rate": "20%"}, "target_work_rate",
     "'20%' is not a number"),
    ("projects.csv", {"code": "PVA"}, {"ends_on": "2020-12-31"}, "ends_on",
     "the project ends before it starts"),
    ("projects.csv", {"code": "VVV"}, {"parent_code": "VVV"}, "parent_code",
     "a project cannot be its own parent"),
    ("providers.csv", {"code": "P00"}, {"name": ""}, "name", "a value is required"),
    ("measures.csv", {"code": "M000"}, {"provider_code": "P99"}, "provider_code",
     "unknown provider 'P99'"),
    ("measures.csv", {"code": "M000"}, {"measure_type": "workshop"}, "measure_type",
     "'workshop' is not one of: assessment, work_practice"),
    ("measures.csv", {"code": "M000"}, {"setting": "outdoors"}, "setting",
     "'outdoors' is not one of: ordinary_workplace"),
    ("measures.csv", {"code": "M000"}, {"capacity": "ten"}, "capacity",
     "'ten' is not a whole number"),
    ("outcomes.csv", WORK, {"kind": "job"}, "kind", "'job' is not one of: work, education"),
    ("outcomes.csv", WORK, {"ended_on": "2025-04-11"}, "ended_on", "ends before it starts"),
    ("outcomes.csv", WORK, {"started_on": ""}, "started_on", "a value is required"),
    ("outcomes.csv", WORK, {"hours_per_week": "0"}, "hours_per_week", "0 must be above 0"),
    ("outcomes.csv", WORK, {"hours_per_week": "169"}, "hours_per_week",
     "169 is outside 0 to 168"),
    ("outcomes.csv", EDUCATION, {"hours_per_week": "20"}, "hours_per_week",
     "hours per week are only for work"),
    ("outcomes.csv", WORK, {"participant_ref": "R-NOBODY"}, "participant_ref",
     "unknown participant 'R-NOBODY'"),
    ("follow_ups.csv", F0, {"channel": "email"}, "channel", "'email' is not one of: meeting"),
    ("follow_ups.csv", F0, {"with_employer": "yes"}, "with_employer",
     "'yes' is not true or false"),
    ("follow_ups.csv", F0, {"with_treatment": ""}, "with_treatment", "a value is required"),
    ("follow_ups.csv", F0, {"occurred_on": "2024-02-30"}, "occurred_on",
     "'2024-02-30' is not a date of the form YYYY-MM-DD"),
    ("follow_ups.csv", F0, {"participant_ref": "R-NOBODY"}, "participant_ref",
     "unknown participant 'R-NOBODY'"),
    ("responses.csv", A0, {"instrument": "mood"}, "instrument",
     "unknown questionnaire 'mood' (a bundle does not carry questionnaires: an "
     "administrator creates it, with the same code and items, before the import)"),
    ("responses.csv", A0, {"item": "hope"}, "item", "voice has no item 'hope'"),
    ("responses.csv", A0, {"score": "6"}, "score", "6 is outside the scale 1 to 5"),
    ("responses.csv", A0, {"score": "0"}, "score", "0 is outside the scale 1 to 5"),
    ("responses.csv", A0, {"score": ""}, "score", "a value is required"),
    ("responses.csv", A0, {"score": "2.5"}, "score", "'2.5' is not a whole number"),
    # Digits of other scripts, which int() and \\d accept without a word:
    ("responses.csv", A0, {"score": "\uff13"}, "score", "is not a whole number"),
    ("participants.csv", P0, {"birth_year": "\u0661\u0669\u0669\u0660"}, "birth_year",
     "is not a whole number"),
    ("outcomes.csv", WORK, {"hours_per_week": "1e1"}, "hours_per_week", "'1e1' is not a number"),
    ("outcomes.csv", WORK, {"hours_per_week": "NaN"}, "hours_per_week", "'NaN' is not a number"),
    ("outcomes.csv", WORK, {"hours_per_week": "37.25"}, "hours_per_week",
     "37.25 has more than 1 decimals"),
    ("responses.csv", A1, {"item": "self_belief"}, "item",
     "the same item is answered twice on one date (first on line 2)"),
    ("responses.csv", A0, {"participant_ref": "R-NOBODY"}, "participant_ref",
     "unknown participant 'R-NOBODY'"),
]


@pytest.mark.parametrize(
    ("file", "match", "changes", "column", "words"), RULES,
    ids=[f"{r[0].removesuffix('.csv')}-{r[3]}-{'-'.join(r[2].values()) or 'empty'}"
         for r in RULES],
)
def test_broken_rule_is_reported_with_file_line_and_column_and_nothing_is_written(
        broken, example, file, match, changes, column, words):
    with edit(broken, file) as t:
        index = t.index(**match)
        t.rows[index].update(changes)

    problems = assert_refused(broken, example)

    prefix = f"{file}:{line_of(index)}: {column}: "
    assert len(problems) == 1, problems
    assert problems[0].startswith(prefix), problems
    assert words in problems[0].removeprefix(prefix)


@pytest.mark.parametrize(("file", "key", "value"), [
    ("projects.csv", "code", "VVV"),
    ("providers.csv", "code", "P00"),
    ("measures.csv", "code", "M000"),
    ("participants.csv", "ref", "R11-000000"),
    ("enrollments.csv", "ref", "E11-0000001"),
])
def test_duplicate_ref_or_code_is_reported_on_its_second_line(broken, example, file, key,
                                                               value):
    with edit(broken, file) as t:
        line = t.append(**t.rows[t.index(**{key: value})])
    assert assert_refused(broken, example) == [
        f"{file}:{line}: {key}: '{value}' appears more than once in the file"]


@pytest.mark.parametrize(("parents", "lines"), [
    ({"VVV": "VVV-TRD-UNG"}, [2, 3, 4]),
    ({"INKR": "INKR-DINO"}, [7, 8]),
], ids=["three-projects", "two-projects"])
def test_project_parent_cycle_is_reported_on_each_project_in_it(broken, example, parents,
                                                                lines):
    with edit(broken, "projects.csv") as t:
        for code, parent in parents.items():
            t.rows[t.index(code=code)]["parent_code"] = parent
    assert assert_refused(broken, example) == [
        f"projects.csv:{line}: parent_code: the parent projects form a cycle" for line in lines]


def test_project_parent_cycle_through_a_project_only_in_the_database_is_reported(
        broken, example):
    # Walked from the top, a project in a cycle is in no project tree: it would vanish from
    # every menu and dashboard choice.
    Project.objects.create(code="VVV-OLD", name="Gammelt delprosjekt",
                           parent=Project.objects.get(code="VVV"))
    before = state()
    with edit(broken, "projects.csv") as t:
        index = t.index(code="VVV")
        t.rows[index]["parent_code"] = "VVV-OLD"
    assert problems_of(broken) == [
        f"projects.csv:{line_of(index)}: parent_code: the parent projects form a cycle"]
    assert state() == before
    assert Project.objects.get(code="VVV").parent is None


def test_unknown_column_is_reported_on_the_header(broken, example):
    with edit(broken, "participants.csv") as t:
        t.add_column("notes", "x")
    assert assert_refused(broken, example) == ["participants.csv:1: notes: unknown column"]


def test_missing_required_column_is_reported_on_the_header(broken, example):
    with edit(broken, "participants.csv") as t:
        t.drop_column("gender")
    assert assert_refused(broken, example) == [
        "participants.csv:1: gender: required column is missing"]


def test_row_with_more_cells_than_the_header_is_reported(broken, example):
    path = broken / "providers.csv"
    line = line_of(len(read_table(path).rows))
    path.write_text(path.read_text(encoding="utf-8") + "P99,Extra,123,Oslo,surplus\n",
                    encoding="utf-8")
    assert assert_refused(broken, example) == [
        f"providers.csv:{line}: -: the row has more cells than the header"]


def test_line_break_inside_a_quoted_cell_keeps_the_following_line_numbers_right(
        broken, example):
    with edit(broken, "providers.csv") as t:
        t.rows[t.index(code="P00")]["name"] = "Stavne Arbeid\nog Kompetanse"
        t.rows[t.index(code="P02")]["name"] = ""
    assert assert_refused(broken, example) == ["providers.csv:5: name: a value is required"]


def test_missing_required_file_is_reported(broken, example):
    (broken / "projects.csv").unlink()
    assert assert_refused(broken, example) == [
        "projects.csv:0: -: the file is missing from the bundle"]


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\xef\xbb\xbf\r\n", b"\n \n\n"],
                         ids=["nothing", "byte-order-mark", "byte-order-mark-and-line-end",
                              "blank-lines"])
def test_empty_file_is_reported(broken, example, content):
    # Not as four missing columns, and then every measure as unknown.
    (broken / "measures.csv").write_bytes(content)
    assert assert_refused(broken, example) == [
        "measures.csv:1: -: the file is empty: a header row is required"]


def test_rows_below_an_empty_first_line_are_reported_as_having_no_header(broken, example):
    path = broken / "measures.csv"
    path.write_bytes(b"\r\n" + path.read_bytes())
    assert assert_refused(broken, example) == [
        "measures.csv:1: -: the first line is empty; it must be the header row, naming the "
        "columns"]


MANY = [
    ("participants.csv", P1, {"birth_year": "1899"}),
    ("enrollments.csv", ONGOING, {"end_reason": "completed"}),
    ("responses.csv", A0, {"score": "9"}),
    ("enrollments.csv", E1, {"referred_on": "2024-07-05"}),
    ("measures.csv", {"code": "M003"}, {"provider_code": "P99"}),
    ("follow_ups.csv", {"participant_ref": "R11-000155", "occurred_on": "2024-05-19"},
     {"channel": "email"}),
]


def test_every_broken_row_in_every_file_is_reported_sorted(broken, example):
    for file, match, changes in MANY:
        with edit(broken, file) as t:
            t.rows[t.index(**match)].update(changes)

    problems = assert_refused(broken, example)

    assert [p.split(": ", 1)[0] for p in problems] == [
        "enrollments.csv:2", "enrollments.csv:7", "follow_ups.csv:1881", "measures.csv:5",
        "participants.csv:3", "responses.csv:2",
    ]
    assert problems[0] == "enrollments.csv:2: started_on: starts before the referral (referred_on)"
    assert problems[4] == "participants.csv:3: birth_year: 1899 is outside 1900 to 2100"



def test_a_file_that_cannot_be_read_is_listed_before_what_it_leaves_unresolved(broken, example):
    """An empty measures.csv leaves every enrollment in a new measure unknown: the cause
    comes first, not after enrollments.csv's consequences because "e" sorts before "m"."""
    with edit(broken, "enrollments.csv") as t:
        t.append(ref="E-NEW-1", participant_ref="R11-000000", measure_code="M-NEW",
                 referred_on="2025-01-06")
    (broken / "measures.csv").write_bytes(b"")

    problems = assert_refused(broken, example)

    assert problems[0] == "measures.csv:1: -: the file is empty: a header row is required"
    assert any(p.startswith("enrollments.csv:") and "M-NEW" in p for p in problems[1:])

# --- messy and hostile files: each is a problem with its file and line, never a crash ----

def test_trailing_zeros_of_a_decimal_are_not_counted_as_decimals(tmp_path):
    # A spreadsheet that shows two decimals writes 37,50 (or 37.50) for 37.5 hours.
    folder = copy_example(tmp_path)
    with edit(folder, "outcomes.csv") as t:
        t.rows[t.index(**WORK)]["hours_per_week"] = "37.50"
    with edit(folder, "projects.csv") as t:
        t.rows[t.index(code="VVV")]["target_work_rate"] = "0.250000"
    import_bundle(folder)
    assert OutcomeSpell.objects.get(participant__ref="R11-000002", kind="work",
                                    started_on=dt.date(2025, 4, 12)).hours_per_week == \
        Decimal("37.5")
    assert Project.objects.get(code="VVV").target_work_rate == Decimal("0.25")


def test_a_cell_longer_than_the_csv_module_reads_is_a_problem_not_a_crash(broken, example):
    path = broken / "providers.csv"
    line = line_of(len(read_table(path).rows))
    path.write_text(path.read_text(encoding="utf-8") + f'P99,"{"x" * 200_000}",,\n',
                    encoding="utf-8")
    problems = assert_refused(broken, example)
    assert problems == [f"providers.csv:{line}: -: a cell is longer than 131072 characters: "
                        "a quotation mark is probably not closed"]


@pytest.mark.parametrize("bad_row", ['P98,"Stavne,,\nP97,Ny,,\n', 'P98,"Stavne"AS,,\n'],
                         ids=["never-closed", "text-after-closing-quote"])
def test_broken_quoting_is_reported_on_the_row_where_it_starts(broken, example, bad_row):
    # Read leniently, an unclosed quotation mark makes one cell of every row after it, and
    # that cell (rows and all) would be imported as a provider's name.
    path = broken / "providers.csv"
    line = line_of(len(read_table(path).rows))
    path.write_text(path.read_text(encoding="utf-8") + bad_row, encoding="utf-8")
    problems = assert_refused(broken, example)
    assert len(problems) == 1
    assert problems[0].startswith(f"providers.csv:{line}: -: the quotation marks are out "
                                  "of order")


def test_a_nul_character_is_refused_before_postgresql_can_choke_on_it(broken, example):
    with edit(broken, "providers.csv") as t:
        index = t.index(code="P00")
        t.rows[index]["name"] = "Stavne\x00Arbeid"
    assert assert_refused(broken, example) == [
        f"providers.csv:{line_of(index)}: -: the line holds a NUL character: this is not a "
        'CSV text file; save it as "CSV UTF-8"']


def test_a_utf16_file_is_refused_as_not_csv_text(broken, example):
    # What Excel calls "Unicode text".
    table = read_table(broken / "measures.csv")
    write_table(broken / "measures.csv", table, encoding="utf-16")
    problems = assert_refused(broken, example)
    assert len(problems) == 1
    assert problems[0].startswith("measures.csv:1: -: the file is not UTF-8 text")


def test_a_file_with_carriage_returns_alone_as_line_ends_is_reported_as_such(broken, example):
    table = read_table(broken / "measures.csv")
    write_table(broken / "measures.csv", table, line_end="\r")
    assert assert_refused(broken, example) == [
        "measures.csv:1: -: the lines end with a carriage return alone, as old Mac spreadsheet "
        'programs write; save the file as "CSV UTF-8"']


def test_a_tab_separated_file_is_reported_as_such(broken, example):
    table = read_table(broken / "providers.csv")
    write_table(broken / "providers.csv", table, delimiter="\t")
    assert assert_refused(broken, example) == [
        "providers.csv:1: -: the columns are separated by tabs; save the file as CSV, with "
        "commas or semicolons between the columns"]


def test_a_zip_bomb_line_is_refused_without_being_held_in_memory(tmp_path, example):
    import tracemalloc

    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in sorted(EXAMPLE.glob("*.csv")):
            if member.name != "follow_ups.csv":
                archive.write(member, member.name)
        with archive.open("follow_ups.csv", "w") as stream:
            stream.write(b"participant_ref,occurred_on,case_worker,channel,with_employer,"
                         b"with_treatment\n")
            for _ in range(40):
                stream.write(b"a" * (1 << 20))  # 40 MB on one line, a few kB packed
    assert path.stat().st_size < 1 << 20

    tracemalloc.start()
    try:
        problems = assert_refused(path, example)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert problems == ["follow_ups.csv:2: -: the line is longer than 1048576 bytes: this is "
                        "not a CSV file of the bundle, or a quotation mark is not closed"]
    assert peak < 20 * (1 << 20)


def test_a_zip_member_that_unpacks_beyond_the_limit_is_refused_unread(tmp_path, example,
                                                                       settings):
    settings.IMPORT_MAX_UNPACKED_MB = 1
    path = tmp_path / "bundle.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in sorted(EXAMPLE.glob("*.csv")):
            if member.name != "responses.csv":
                archive.write(member, member.name)
        archive.writestr("responses.csv", "participant_ref\n" + "\n" * (2 << 20))
    assert assert_refused(path, example) == [
        "responses.csv:0: -: the file unpacks to 2 MB, more than the 1 MB an import reads"]


def _first_member_patched(tmp_path, patch) -> Path:
    """The example zipped, with the bytes of its first member (enrollments.csv) changed by
    ``patch(data, local_header_offset, central_header_offset, info)``."""
    path = zip_folder(EXAMPLE, tmp_path / "bundle.zip")
    with zipfile.ZipFile(path) as archive:
        info = archive.infolist()[0]
    assert info.filename == "enrollments.csv"
    data = bytearray(path.read_bytes())
    patch(data, info.header_offset, data.find(b"PK\x01\x02"), info)
    path.write_bytes(bytes(data))
    return path


def _damage_the_middle(data, local, _central, info):
    start = local + 30 + len(info.filename) + len(info.extra) + info.compress_size // 2
    for i in range(start, start + 20):
        data[i] ^= 0xFF


def _mark_encrypted(data, local, central, _info):
    data[local + 6] |= 1  # general purpose bit 0: encrypted
    data[central + 8] |= 1


def _mark_deflate64(data, local, central, _info):
    struct.pack_into("<H", data, local + 8, 9)  # compression method 9, which zipfile lacks
    struct.pack_into("<H", data, central + 10, 9)


@pytest.mark.parametrize(("patch", "problem"), [
    (_damage_the_middle, "-: the .zip file is damaged here ("),
    (_mark_encrypted, "0: -: the file is encrypted in the .zip file; pack the bundle again "
                      "without a password"),
    (_mark_deflate64, "0: -: the .zip file packs this file in a way the import cannot unpack"),
], ids=["damaged", "encrypted", "deflate64"])
def test_a_zip_that_cannot_be_unpacked_is_a_problem_not_a_crash(tmp_path, example, patch,
                                                                problem):
    path = _first_member_patched(tmp_path, patch)
    problems = assert_refused(path, example)
    assert len(problems) == 1
    assert problems[0].startswith("enrollments.csv:")
    assert problem in problems[0]


def test_a_file_the_format_does_not_have_is_reported_not_left_out(broken, example):
    # follow_up.csv for follow_ups.csv: read as "no follow-ups" it would import without
    # a word and without them.
    (broken / "follow_ups.csv").rename(broken / "follow_up.csv")
    (broken / "._projects.csv").write_bytes(b"\x00\x05\x16\x07")  # macOS: skipped
    problems = assert_refused(broken, example)
    assert problems == [
        "follow_up.csv:0: -: not a file of the exchange format (its files are projects.csv, "
        "providers.csv, measures.csv, participants.csv, enrollments.csv, outcomes.csv, "
        "follow_ups.csv, responses.csv)"]


def test_a_zip_holding_a_file_twice_is_refused_whichever_comes_first(tmp_path, example):
    path = zip_folder(EXAMPLE, tmp_path / "bundle.zip", inside="bundle")
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("old/providers.csv", "code,name\nP00,Gammel leverandør\n")
        archive.writestr("__MACOSX/bundle/._providers.csv", b"\x00\x05\x16\x07")
        archive.writestr("bundle/readme.txt", "not a CSV file: left alone")
    assert assert_refused(path, example) == [
        "providers.csv:0: -: the .zip file holds this file more than once "
        "(bundle/providers.csv, old/providers.csv); leave one"]


def test_an_identity_number_given_twice_in_the_file_is_refused(broken, example):
    with edit(broken, "participants.csv") as t:
        first, second = t.index(**P0), t.index(**P1)
        # The same Norwegian number; a Swedish one is compared in each of its forms.
        t.rows[second].update(national_id=t.rows[first]["national_id"], national_id_country="NO")
    assert assert_refused(broken, example) == [
        f"participants.csv:{line_of(second)}: national_id: the same identity number as "
        f"participant R11-000000 on line {line_of(first)}"]


def test_a_swedish_number_in_its_twelve_digit_form_is_the_same_person(broken, example):
    with edit(broken, "participants.csv") as t:
        index = t.index(ref="R11-000004")  # SE 641021-2499
        other = t.index(**P1)
        t.rows[other].update(national_id="19641021-2499", national_id_country="SE")
    assert other < index
    assert assert_refused(broken, example) == [
        f"participants.csv:{line_of(index)}: national_id: the same identity number as "
        f"participant R11-000001 on line {line_of(other)}"]


def test_an_identity_number_of_a_participant_already_registered_is_refused(
        tmp_path, example):
    folder = copy_example(tmp_path)
    with edit(folder, "participants.csv") as t:
        source = t.rows[t.index(**P0)]
        t.rows = [dict(source, ref="NEW-0001")]
    for name in ("enrollments.csv", "outcomes.csv", "follow_ups.csv", "responses.csv"):
        with edit(folder, name) as t:
            t.rows = []
    assert assert_refused(folder, example) == [
        "participants.csv:2: national_id: a participant already registered, R11-000000, has "
        "this identity number"]


def test_a_bundle_that_moves_a_number_from_one_ref_to_another_imports(tmp_path, example):
    # Corrected in the source: the number belonged to R11-000001, not R11-000000.
    folder = copy_example(tmp_path)
    with edit(folder, "participants.csv") as t:
        first, second = t.rows[t.index(**P0)], t.rows[t.index(**P1)]
        second.update(national_id=first["national_id"], national_id_country="NO")
        first.update(national_id="", national_id_country="")
    import_bundle(folder)
    assert Participant.objects.get(**P1).national_id == "05106003736"
    assert Participant.objects.get(**P0).national_id == ""


def _follow_ups_of_nobody(folder: Path, count: int) -> None:
    with open(folder / "follow_ups.csv", "a", encoding="utf-8") as out:
        for i in range(count):
            out.write(f"NOBODY-{i:06d},2024-01-01,navdal4,phone,false,false\n")


def test_a_bundle_broken_on_every_row_keeps_the_first_problems_and_counts_them_all(
        broken, example, monkeypatch):
    monkeypatch.setattr(validate, "PROBLEMS_KEPT", 5)
    monkeypatch.setattr(validate, "REFERENCES_BATCH", 3)
    _follow_ups_of_nobody(broken, 20)
    first_line = line_of(len(read_table(EXAMPLE / "follow_ups.csv").rows)) + 1  # after broken's

    with pytest.raises(BundleInvalid) as caught:
        import_bundle(broken)

    assert caught.value.total == 20
    assert [str(p) for p in caught.value.problems] == [
        f"follow_ups.csv:{first_line + i}: participant_ref: unknown participant "
        f"'NOBODY-{i:06d}'" for i in range(5)]
    assert counts() == example["counts"]
    err = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("import_bundle", str(broken), stdout=io.StringIO(), stderr=err)
    assert err.getvalue().splitlines()[-1] == \
        "20 problems found, the first 5 listed; nothing was imported."


@pytest.mark.slow
def test_checking_a_bundle_broken_on_every_row_does_not_hold_every_problem(broken, example):
    import tracemalloc

    _follow_ups_of_nobody(broken, 50_000)
    tracemalloc.start()
    try:
        problems = assert_refused(broken, example)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(problems) == validate.PROBLEMS_KEPT
    # Held whole, the 50,000 problems and their references took about 20 MB; now 8.
    assert peak < 12 * 1024 * 1024, peak


# --- the management command -------------------------------------------------------------

def test_command_refuses_a_broken_bundle_with_status_1_and_every_problem_on_stderr(
        broken, example):
    for file, match, changes in MANY:
        with edit(broken, file) as t:
            t.rows[t.index(**match)].update(changes)
    expected = problems_of(broken)
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(SystemExit) as exit_:
        call_command("import_bundle", str(broken), stdout=out, stderr=err)

    assert exit_.value.code == 1
    lines = err.getvalue().splitlines()
    assert lines[:-1] == expected
    assert lines[-1] == "6 problems found; nothing was imported."
    assert "Import complete." not in out.getvalue()
    assert counts() == example["counts"]
    assert Provider.objects.get(code="P06").name != "Renamed provider"


def test_command_imports_a_good_bundle_and_prints_the_counts(example):
    wipe()
    out = io.StringIO()
    call_command("import_bundle", str(EXAMPLE), stdout=out, stderr=io.StringIO())
    printed = out.getvalue()
    for file, rows in example["summary"].rows.items():
        assert f"{file}: {rows} rows" in printed
    assert "24 new user accounts were created inactive" in printed
    assert "Import complete." in printed
    assert counts() == example["counts"]


def test_command_reports_a_path_that_is_neither_folder_nor_zip(tmp_path):
    with pytest.raises(CommandError, match="neither a folder nor a .zip"):
        call_command("import_bundle", str(tmp_path / "missing"))
