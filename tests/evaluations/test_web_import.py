"""The administrators' import page: upload, validation report, confirmation, progress; a
failed import changes nothing, and nobody else reaches these pages."""

import datetime as dt
import io
import zipfile
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from evaluations import imports
from evaluations.models import ImportRequest, ImportStatus
from measures.models import Enrollment
from participants.models import FollowUp, Participant
from tests import factories
from tests.exchange.bundles import copy_example, edit

pytestmark = pytest.mark.django_db

LIST = reverse("evaluations:import_list")


def zipped(folder: Path, name: str = "bundle.zip") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, f"bundle/{path.name}")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/zip")


def stored_files() -> list[Path]:
    root = Path(settings.PRIVATE_ROOT) / imports.IMPORTS_FOLDER
    return list(root.iterdir()) if root.exists() else []


@pytest.fixture
def admin_client(log_in, administrator, django_capture_on_commit_callbacks):
    """An administrator's client whose posts run their queued tasks, as in-process mode."""
    client = log_in(administrator)
    original = client.post

    def post(*args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return original(*args, **kwargs)

    client.post = post
    return client


@pytest.fixture
def example_zip(tmp_path):
    return zipped(copy_example(tmp_path))


def upload(client, file) -> ImportRequest:
    response = client.post(LIST, {"bundle": file})
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportRequest.objects.latest("pk")


def test_a_valid_bundle_is_checked_then_imported_on_confirmation(admin_client, example_zip,
                                                                 administrator):
    checked = upload(admin_client, example_zip)
    assert checked.status == ImportStatus.VALID
    assert checked.summary["rows"]["participants.csv"] == 267
    assert checked.rows_total == sum(checked.summary["rows"].values())
    assert not Participant.objects.exists()  # nothing before confirmation
    page = admin_client.get(checked.get_absolute_url()).content.decode()
    assert 'id="import-confirm"' in page and "participants.csv" in page

    admin_client.post(reverse("evaluations:import_confirm", args=[checked.pk]))

    checked.refresh_from_db()
    assert checked.status == ImportStatus.DONE
    assert checked.confirmed_by == administrator and checked.confirmed_at
    assert checked.summary["rows"]["enrollments.csv"] == 379
    assert Participant.objects.count() == 267 and Enrollment.objects.count() == 379
    assert FollowUp.objects.count() == 3011
    assert not stored_files()
    assert 'id="import-done"' in admin_client.get(checked.get_absolute_url()).content.decode()


def test_a_broken_bundle_is_reported_by_file_line_and_column_and_never_imported(
    admin_client, tmp_path
):
    folder = copy_example(tmp_path)
    with edit(folder, "enrollments.csv") as table:
        table.rows[0]["referred_on"] = "2024-02-30"
        table.rows[1]["measure_code"] = "NO-SUCH-MEASURE"
    checked = upload(admin_client, zipped(folder))

    assert checked.status == ImportStatus.INVALID
    assert checked.problem_count == 2
    assert ["enrollments.csv", 2, "referred_on"] == checked.problems[0][:3]
    assert ["enrollments.csv", 3, "measure_code"] == checked.problems[1][:3]
    assert not stored_files()  # of no more use
    page = admin_client.get(checked.get_absolute_url()).content.decode()
    assert 'id="import-problem-list"' in page and "NO-SUCH-MEASURE" in page
    assert "2 problems found; nothing was imported." in page

    response = admin_client.post(reverse("evaluations:import_confirm", args=[checked.pk]),
                                 follow=True)
    assert "cannot be started now" in response.content.decode()
    checked.refresh_from_db()
    assert checked.status == ImportStatus.INVALID
    assert not Participant.objects.exists()


def test_the_page_lists_a_file_that_cannot_be_read_before_what_it_leaves_unresolved(
    admin_client, tmp_path
):
    """The order the check gives (validate.ProblemList), not file name order, in which
    enrollments.csv's unknown measures would come before the empty measures.csv."""
    folder = copy_example(tmp_path)
    with edit(folder, "enrollments.csv") as table:
        table.rows[0]["measure_code"] = "M-NEW"
    (folder / "measures.csv").write_bytes(b"")

    checked = upload(admin_client, zipped(folder))

    assert checked.status == ImportStatus.INVALID
    assert checked.problems[0][:3] == ["measures.csv", 1, "-"]
    assert any(problem[0] == "enrollments.csv" for problem in checked.problems[1:])

def test_a_zip_bomb_is_listed_as_a_problem_of_its_file_not_a_failed_import(
    admin_client, tmp_path, settings
):
    settings.IMPORT_MAX_UNPACKED_MB = 1
    folder = copy_example(tmp_path)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            if path.name != "follow_ups.csv":
                archive.write(path, f"bundle/{path.name}")
        # Two lines: a header, and 3 MB without a line end.
        archive.writestr("bundle/follow_ups.csv", "participant_ref\n" + "a" * (3 << 20))
        archive.writestr("../../etc/passwd.csv", "root\n")  # never unpacked anywhere
    bomb = SimpleUploadedFile("../../bomb.zip", buffer.getvalue(),
                              content_type="application/zip")

    checked = upload(admin_client, bomb)

    assert checked.status == ImportStatus.INVALID
    assert checked.original_name == "bomb.zip"
    assert [problem[:3] for problem in checked.problems] == [
        ["follow_ups.csv", 0, "-"], ["passwd.csv", 0, "-"]]
    assert "unpacks to 3 MB" in checked.problems[0][3]
    assert not stored_files()
    assert not Participant.objects.exists()


def test_the_problems_are_written_in_the_uploaders_language_whatever_the_worker_speaks(
    log_in, administrator, tmp_path
):
    client = log_in(administrator)
    client.post(reverse("set_language"), {"language": "sv", "next": LIST})
    folder = copy_example(tmp_path)
    with edit(folder, "enrollments.csv") as table:
        table.rows[0]["referred_on"] = "2024-02-30"
    with mock.patch.object(imports, "_queue"):  # queued for a worker, not run here
        checked = upload(client, zipped(folder))
    assert checked.language == "sv"

    with translation.override("nb"):  # the worker's own language
        imports.import_request_validate(checked.pk)

    checked.refresh_from_db()
    assert checked.status == ImportStatus.INVALID
    assert checked.problems[0][3] == "'2024-02-30' är inte ett datum på formen ÅÅÅÅ-MM-DD"


def test_only_the_first_thousand_problems_are_kept(admin_client, tmp_path):
    folder = copy_example(tmp_path)
    with edit(folder, "follow_ups.csv") as table:
        for row in table.rows[:1200]:
            row["channel"] = "pigeon"
    checked = upload(admin_client, zipped(folder))
    assert checked.problem_count == 1200 and len(checked.problems) == 1000
    page = admin_client.get(checked.get_absolute_url()).content.decode()
    assert "The first 1000 are listed." in page


@pytest.mark.parametrize(("name", "content", "message"), [
    ("bundle.csv", b"code,name\n", "Upload the bundle as a .zip file"),
    ("bundle.zip", b"", "The submitted file is empty."),
    ("bundle.zip", b"this is not a zip file", "not a readable .zip file"),
], ids=["not a zip name", "empty", "corrupt"])
def test_what_cannot_be_a_bundle_is_refused_and_nothing_is_stored(admin_client, name,
                                                                  content, message):
    response = admin_client.post(LIST, {"bundle": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ImportRequest.objects.exists() and not stored_files()


def test_a_zip_without_csv_files_is_refused(admin_client):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    response = admin_client.post(LIST, {"bundle": SimpleUploadedFile("b.zip",
                                                                     buffer.getvalue())})
    assert response.status_code == 400
    assert "holds no CSV files" in response.content.decode()
    assert not ImportRequest.objects.exists()


def test_a_bundle_larger_than_the_limit_is_refused(admin_client, example_zip, settings):
    settings.IMPORT_MAX_UPLOAD_MB = 0
    response = admin_client.post(LIST, {"bundle": example_zip})
    assert response.status_code == 400
    assert "larger than 0 MB" in response.content.decode()
    assert not ImportRequest.objects.exists() and not stored_files()


@pytest.mark.parametrize("role_fixture", ["case_worker", "provider_staff", "project_lead"])
def test_nobody_but_administrators_reaches_the_import(request, log_in, role_fixture):
    upload_row = factories.ImportRequestFactory()
    client = log_in(request.getfixturevalue(role_fixture))
    assert client.get(LIST).status_code == 404
    assert client.post(LIST, {"bundle": SimpleUploadedFile("b.zip", b"x")}).status_code == 404
    assert client.get(upload_row.get_absolute_url()).status_code == 404
    for name in ("evaluations:import_confirm", "evaluations:import_cancel"):
        assert client.post(reverse(name, args=[upload_row.pk])).status_code == 404
    upload_row.refresh_from_db()
    assert upload_row.status == ImportStatus.VALID
    assert ImportRequest.objects.count() == 1


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(LIST)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_confirming_twice_imports_once(admin_client, example_zip):
    checked = upload(admin_client, example_zip)
    url = reverse("evaluations:import_confirm", args=[checked.pk])
    with mock.patch.object(imports, "import_bundle", wraps=imports.import_bundle) as run:
        admin_client.post(url)
        response = admin_client.post(url, follow=True)
    assert run.call_count == 1
    assert "cannot be started now" in response.content.decode()
    imports.import_request_run(checked.pk)  # the task delivered a second time
    assert run.call_count == 1


def test_a_failure_during_the_import_changes_nothing(admin_client, example_zip):
    checked = upload(admin_client, example_zip)
    with mock.patch("evaluations.exchange.importer._write_answers",
                    side_effect=RuntimeError("disk full")):
        admin_client.post(reverse("evaluations:import_confirm", args=[checked.pk]))
    checked.refresh_from_db()
    assert checked.status == ImportStatus.FAILED
    assert "disk full" in checked.error
    assert not Participant.objects.exists() and not Enrollment.objects.exists()
    assert not stored_files()
    page = admin_client.get(checked.get_absolute_url()).content.decode()
    assert "The import failed; nothing was imported." in page
    assert "disk full" not in page  # the traceback is for the log, not the page


def test_cancelling_deletes_the_uploaded_file(admin_client, example_zip):
    checked = upload(admin_client, example_zip)
    assert len(stored_files()) == 1
    admin_client.post(reverse("evaluations:import_cancel", args=[checked.pk]))
    checked.refresh_from_db()
    assert checked.status == ImportStatus.CANCELLED and not stored_files()
    response = admin_client.post(reverse("evaluations:import_confirm", args=[checked.pk]),
                                 follow=True)
    assert "cannot be started now" in response.content.decode()
    assert not Participant.objects.exists()


def test_the_page_polls_while_the_bundle_is_checked(log_in, administrator):
    busy = factories.ImportRequestFactory(status="validating", rows_done=5000,
                                          step="follow_ups.csv")
    client = log_in(administrator)
    response = client.get(busy.get_absolute_url(), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert b'hx-trigger="every 2s"' in response.content
    assert b"5000 rows read so far." in response.content
    ImportRequest.objects.filter(pk=busy.pk).update(status="valid", summary={"rows": {}})
    response = client.get(busy.get_absolute_url(), HTTP_HX_REQUEST="true")
    assert response.status_code == 286
    assert b'id="import-confirm"' in response.content


def test_uploads_left_waiting_a_week_are_cancelled_and_deleted(admin_client, example_zip):
    checked = upload(admin_client, example_zip)
    assert imports.prune_stale_imports(now=timezone.now() + dt.timedelta(days=6)) == 0
    assert stored_files()
    assert imports.prune_stale_imports(now=timezone.now() + dt.timedelta(days=8)) == 1
    checked.refresh_from_db()
    assert checked.status == ImportStatus.CANCELLED and not stored_files()


def test_an_import_confirmed_a_day_after_its_upload_is_not_taken_for_abandoned(administrator):
    # Checked yesterday morning, confirmed a moment ago: the nightly clean-up counted its
    # twelve hours from the upload, marked the running import failed and deleted its file.
    now = timezone.now()
    running = factories.ImportRequestFactory(status="importing", confirmed_by=administrator,
                                             confirmed_at=now - dt.timedelta(minutes=5))
    ImportRequest.objects.filter(pk=running.pk).update(uploaded_at=now - dt.timedelta(days=1))

    assert imports.prune_stale_imports(now=now) == 0
    running.refresh_from_db()
    assert running.status == ImportStatus.IMPORTING

    assert imports.prune_stale_imports(now=now + dt.timedelta(hours=13)) == 1
    running.refresh_from_db()
    assert running.status == ImportStatus.FAILED


def test_a_check_whose_worker_died_is_marked_failed():
    stuck = factories.ImportRequestFactory(status="validating")
    imports.prune_stale_imports(now=timezone.now() + dt.timedelta(days=1))
    stuck.refresh_from_db()
    assert stuck.status == ImportStatus.FAILED
