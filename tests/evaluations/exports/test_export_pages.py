"""The reports and extracts page: who may ask for what, the file produced by the task,
its download, its expiry, and the record of every raw release."""

import datetime as dt
import io
import zipfile
from pathlib import Path
from unittest import mock

import openpyxl
import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from evaluations import exports
from evaluations.models import DataRelease, ExportRequest, ExportStatus
from rehab.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db

PAGE = reverse("evaluations:export_list")
REPORT = reverse("evaluations:report_request_create")
EXTRACT = reverse("evaluations:extract_request_create")


@pytest.fixture
def programme():
    """A project with a sub-project and a few participants with enrollments."""
    project = factories.ProjectFactory(code="VVV", name="Vilje viser vei")
    sub_project = factories.ProjectFactory(code="VVV-TRD", parent=project)
    for index in range(3):
        factories.EnrollmentFactory(
            participant__project=sub_project if index else project,
            participant__given_name=f"Given{index}", participant__family_name="Secretson",
            referred_on=dt.date(2024, 2, 1), started_on=dt.date(2024, 3, 1))
    return project


@pytest.fixture
def other_project():
    return factories.ProjectFactory(code="PVA", name="På vej til arbejde")


@pytest.fixture
def lead(programme):
    user = factories.UserFactory(username="turid", roles=[Role.PROJECT_LEAD])
    programme.leads.add(user)
    return user


@pytest.fixture
def post(django_capture_on_commit_callbacks):
    """``post(client, url, data)``: a POST whose queued task runs when it commits, as it
    does in-process without a broker."""

    def post(client, url, data, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data, **extra)

    return post


def report_form(project_code="VVV", file_format="xlsx", **extra):
    return {"project": project_code, "date_from": "2024-01-01", "date_to": "2024-12-31",
            "file_format": file_format, **extra}


def download(client, export) -> bytes:
    response = client.get(reverse("evaluations:export_download", args=[export.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("role_fixture", ["case_worker", "provider_staff"])
def test_it_refuses_the_page_to_staff_who_do_not_watch_outcomes(post, request, log_in,
                                                                 role_fixture):
    client = log_in(request.getfixturevalue(role_fixture))
    assert client.get(PAGE).status_code == 403
    assert post(client, REPORT, report_form()).status_code == 403
    assert post(client, EXTRACT, {"project": ""}).status_code == 403
    assert not ExportRequest.objects.exists()


def test_it_sends_anonymous_visitors_to_the_login_page(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_project_lead_is_offered_extracts_of_led_projects_only(log_in, lead, other_project):
    response = log_in(lead).get(PAGE)
    assert response.status_code == 200
    extract_choices = [code for code, _label in
                       response.context["extract_form"].fields["project"].choices]
    assert extract_choices == ["VVV", "VVV-TRD"]
    assert "identifiable" not in response.context["extract_form"].fields
    assert "raw" not in response.context["report_form"].fields


def test_project_lead_gets_a_suppressed_xlsx_report_to_download(post, log_in, lead, programme):
    client = log_in(lead)
    response = post(client, REPORT, report_form())
    export = ExportRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == export.get_absolute_url()
    assert export.status == ExportStatus.DONE  # tasks run in-process in the tests
    assert export.requested_by == lead and not export.raw
    assert export.expires_at == export.finished_at + dt.timedelta(
        hours=settings.EXPORT_FILE_LIFETIME_HOURS)
    page = client.get(export.get_absolute_url())
    assert b'id="export-download"' in page.content
    workbook = openpyxl.load_workbook(io.BytesIO(download(client, export)))
    assert len(workbook.sheetnames) >= 3
    assert not DataRelease.objects.exists()


def test_a_report_is_in_the_language_it_was_asked_in(post, log_in, lead, programme):
    client = log_in(lead)
    client.post(reverse("set_language"), {"language": "nb", "next": PAGE})
    post(client, REPORT, report_form(file_format="csv"))
    assert ExportRequest.objects.get().language == "nb"


def test_nobody_else_sees_or_downloads_a_report(post, log_in, lead, programme, administrator):
    post(log_in(lead), REPORT, report_form())
    export = ExportRequest.objects.get()
    other_lead = factories.UserFactory(roles=[Role.PROJECT_LEAD])
    for user in (other_lead, administrator):
        client = log_in(user)
        assert client.get(export.get_absolute_url()).status_code == 404
        assert client.get(reverse("evaluations:export_download",
                                  args=[export.pk])).status_code == 404


def test_a_project_lead_cannot_ask_for_raw_values(post, log_in, lead, programme):
    response = post(log_in(lead), REPORT, report_form(raw="on"))
    assert ExportRequest.objects.get().raw is False  # the field is not offered: ignored
    assert response.status_code == 302
    with pytest.raises(PermissionDenied):
        exports.report_request_create(user=lead, project=programme,
                                      date_from=dt.date(2024, 1, 1),
                                      date_to=dt.date(2024, 12, 31), file_format="csv", raw=True)
    assert not DataRelease.objects.exists()


def test_a_raw_report_is_recorded_with_who_when_what_and_where(post, log_in, administrator,
                                                                programme):
    response = post(log_in(administrator), REPORT, report_form(file_format="csv", raw="on"),
                                          REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302
    export = ExportRequest.objects.get()
    assert export.raw and export.status == ExportStatus.DONE
    release = DataRelease.objects.get()
    assert release.user == administrator and release.operator == "administrator"
    assert release.channel == "web" and release.kind == "report"
    assert release.address == "10.1.2.3"
    assert release.parameters == {
        "export_request": export.pk, "kind": "report", "format": "csv", "project": "VVV",
        "from": "2024-01-01", "to": "2024-12-31", "raw": True}
    assert "VVV" in release.description
    assert timezone.now() - release.released_at < dt.timedelta(minutes=1)


def test_a_period_that_ends_before_it_starts_is_refused(post, log_in, lead, programme):
    response = post(log_in(lead), REPORT, report_form(date_from="2024-12-31",
                                                     date_to="2024-01-01"))
    assert response.status_code == 400
    assert "The end of the period cannot be before its start." in response.content.decode()
    assert not ExportRequest.objects.exists()


def test_a_period_beyond_the_dates_of_case_data_is_refused_on_the_form(post, log_in, lead,
                                                                       programme):
    # It was queued, and the report failed in the background (year 10000 in the trend).
    response = post(log_in(lead), REPORT, report_form(date_to="9999-12-31"))

    assert response.status_code == 400
    assert "between 1900-01-01 and 2100-12-31" in response.content.decode()
    assert not ExportRequest.objects.exists()


def test_an_unknown_format_is_refused(post, log_in, lead, programme):
    response = post(log_in(lead), REPORT, report_form(file_format="docx"))
    assert response.status_code == 400
    assert not ExportRequest.objects.exists()


def test_project_lead_gets_a_pseudonymised_extract_of_a_led_project(post, log_in, lead, programme):
    client = log_in(lead)
    response = post(client, EXTRACT, {"project": "VVV"})
    export = ExportRequest.objects.get()
    assert response.status_code == 302
    assert export.kind == "extract" and export.file_format == "zip" and not export.raw
    with zipfile.ZipFile(io.BytesIO(download(client, export))) as bundle:
        names = {Path(name).name for name in bundle.namelist()}
        participants = bundle.read(next(n for n in bundle.namelist()
                                        if n.endswith("participants.csv")))
    assert {"projects.csv", "participants.csv", "enrollments.csv"} <= names
    assert b"Secretson" not in participants
    assert participants.count(b"\n") == 4  # the header and the three participants
    assert not DataRelease.objects.exists()


@pytest.mark.parametrize("code", ["../../../../escaped", "VVV/TRD"])
def test_an_extract_is_written_in_its_own_folder_whatever_the_project_code(
        post, log_in, lead, programme, tmp_path, code):
    # Codes are free text (EXCHANGE.md), and come from bundles made elsewhere too.
    programme.code = code
    programme.save()
    client = log_in(lead)
    post(client, EXTRACT, {"project": code})
    export = ExportRequest.objects.get()
    assert export.status == ExportStatus.DONE, export.error
    folder, name = Path(export.file_name).parts[1:]  # exports/<request's folder>/<name>
    stored = Path(settings.PRIVATE_ROOT) / export.file_name
    assert stored.resolve().parent == \
        (Path(settings.PRIVATE_ROOT) / exports.EXPORTS_FOLDER / folder).resolve()
    assert name.startswith("pseudonymised-extract-") and ".." not in name
    assert not list(tmp_path.rglob("escaped*"))
    with zipfile.ZipFile(io.BytesIO(download(client, export))) as bundle:
        assert "participants.csv" in bundle.namelist()


def test_project_lead_cannot_extract_a_project_they_do_not_lead(post, log_in, lead, other_project):
    response = post(log_in(lead), EXTRACT, {"project": "PVA"})
    assert response.status_code == 400
    assert not ExportRequest.objects.exists()
    with pytest.raises(PermissionDenied):
        exports.extract_request_create(user=lead, project=other_project)
    with pytest.raises(PermissionDenied):
        exports.extract_request_create(user=lead, project=None)


def test_an_identifiable_extract_is_for_administrators_and_recorded(post, log_in, administrator,
                                                                    lead, programme):
    with pytest.raises(PermissionDenied):
        exports.extract_request_create(user=lead, project=programme, pseudonymize=False)
    client = log_in(administrator)
    response = post(client, EXTRACT, {"project": "", "identifiable": "on"})
    assert response.status_code == 302
    export = ExportRequest.objects.get()
    assert export.raw and export.project is None
    with zipfile.ZipFile(io.BytesIO(download(client, export))) as bundle:
        participants = bundle.read(next(n for n in bundle.namelist()
                                        if n.endswith("participants.csv")))
    assert b"Secretson" in participants
    release = DataRelease.objects.get()
    assert release.kind == "extract" and release.user == administrator


@override_settings(PSEUDONYM_KEY="")
def test_a_pseudonymised_extract_is_refused_without_a_key(post, log_in, lead, programme):
    response = post(log_in(lead), EXTRACT, {"project": "VVV"})
    assert response.status_code == 400
    assert "PSEUDONYM_KEY" in response.content.decode()
    assert not ExportRequest.objects.exists()


def test_the_progress_is_polled_until_the_file_is_ready(log_in, lead, programme):
    client = log_in(lead)
    with mock.patch("evaluations.exports._queue"):
        exports.report_request_create(user=lead, project=programme,
                                      date_from=dt.date(2024, 1, 1),
                                      date_to=dt.date(2024, 12, 31), file_format="pdf")
    export = ExportRequest.objects.get()
    url = export.get_absolute_url()
    polling = client.get(url, HTTP_HX_REQUEST="true")
    assert polling.status_code == 200
    assert b'hx-trigger="every 2s"' in polling.content
    exports.export_request_run(export.pk)
    finished = client.get(url, HTTP_HX_REQUEST="true")
    assert finished.status_code == 286  # htmx stops polling
    assert b'id="export-download"' in finished.content
    assert download(client, export).startswith(b"%PDF")


def test_a_request_is_produced_once(lead, programme):
    with mock.patch("evaluations.exports._queue"):
        export = exports.report_request_create(
            user=lead, project=programme, date_from=dt.date(2024, 1, 1),
            date_to=dt.date(2024, 12, 31), file_format="csv")
    exports.export_request_run(export.pk)
    export.refresh_from_db()
    with mock.patch("evaluations.exports._produce") as produce:
        exports.export_request_run(export.pk)
    produce.assert_not_called()


def test_the_same_report_asked_for_twice_while_it_is_produced_is_made_once(
    log_in, lead, programme
):
    """A double click on the button queued two identical reports, and two files."""
    client = log_in(lead)
    with mock.patch("evaluations.exports._queue") as queue:
        first = client.post(REPORT, report_form())
        second = client.post(REPORT, report_form())

    assert first.url == second.url
    assert ExportRequest.objects.count() == 1
    assert queue.call_count == 1
    with mock.patch("evaluations.exports._queue"):
        client.post(REPORT, report_form(file_format="csv"))
    assert ExportRequest.objects.count() == 2  # another format is another report


def test_the_same_report_asked_for_again_once_it_is_ready_is_made_again(
    post, log_in, lead, programme
):
    client = log_in(lead)
    post(client, REPORT, report_form())
    post(client, REPORT, report_form())

    assert ExportRequest.objects.count() == 2


def test_the_same_extract_asked_for_twice_while_it_is_produced_is_made_once(
    log_in, lead, programme
):
    client = log_in(lead)
    with mock.patch("evaluations.exports._queue"):
        first = client.post(EXTRACT, {"project": "VVV"})
        second = client.post(EXTRACT, {"project": "VVV"})

    assert first.url == second.url
    assert ExportRequest.objects.count() == 1


def test_a_failed_report_says_so_and_leaves_no_file(post, log_in, lead, programme):
    client = log_in(lead)
    with mock.patch("evaluations.exports.render_report", side_effect=OSError("disk full")):
        post(client, REPORT, report_form())
    export = ExportRequest.objects.get()
    assert export.status == ExportStatus.FAILED
    assert "disk full" in export.error
    assert not any((Path(settings.PRIVATE_ROOT) / exports.EXPORTS_FOLDER).glob("*/*"))
    page = client.get(export.get_absolute_url())
    assert b'id="export-failed"' in page.content
    assert client.get(reverse("evaluations:export_download",
                              args=[export.pk])).status_code == 404


def test_files_expire_and_are_deleted(post, log_in, lead, programme):
    client = log_in(lead)
    post(client, REPORT, report_form(file_format="csv"))
    export = ExportRequest.objects.get()
    path = exports.export_file_path(export)
    assert path.is_file()
    assert exports.expire_exports(now=export.expires_at - dt.timedelta(seconds=1)) == 0
    assert path.is_file()
    assert exports.expire_exports(now=export.expires_at) == 1
    export.refresh_from_db()
    assert export.status == ExportStatus.EXPIRED
    assert not path.exists() and not path.parent.exists()
    response = client.get(reverse("evaluations:export_download", args=[export.pk]),
                          follow=True)
    assert b"The file has expired and was deleted." in response.content


def test_a_file_past_its_time_is_not_handed_out_even_before_the_job_runs(post, log_in, lead,
                                                                         programme):
    client = log_in(lead)
    post(client, REPORT, report_form(file_format="csv"))
    export = ExportRequest.objects.get()
    ExportRequest.objects.filter(pk=export.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1))
    response = client.get(reverse("evaluations:export_download", args=[export.pk]))
    assert response.status_code == 302
    export.refresh_from_db()
    assert export.status == ExportStatus.EXPIRED
    assert not exports.export_file_path(export).exists()


def test_a_run_abandoned_by_its_worker_is_marked_failed(lead, programme):
    export = factories.ExportRequestFactory(status="running", requested_by=lead,
                                            project=programme)
    ExportRequest.objects.filter(pk=export.pk).update(
        requested_at=timezone.now() - exports.ABANDONED_AFTER - dt.timedelta(minutes=1))
    exports.expire_exports()
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED


def test_the_page_lists_only_your_own_requests(log_in, lead, programme):
    mine = factories.ExportRequestFactory(requested_by=lead, project=programme)
    factories.ExportRequestFactory(project=programme)
    response = log_in(lead).get(PAGE)
    assert list(response.context["requests"]) == [mine]


def test_the_dashboard_links_to_a_report_of_its_project(log_in, lead, programme):
    client = log_in(lead)
    dashboard = client.get(reverse("evaluations:dashboard"), {"project": "VVV"})
    link = PAGE + "?project=VVV"
    assert f'href="{link}"' in dashboard.content.decode()
    form = client.get(link).context["report_form"]
    assert form["project"].value() == "VVV"


def test_a_report_on_a_period_still_to_come_is_refused(post, log_in, lead, programme):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = post(log_in(lead), REPORT, report_form(
        date_from=tomorrow.isoformat(), date_to=(tomorrow + dt.timedelta(days=9)).isoformat()))

    assert response.status_code == 400
    assert "The period has not begun yet" in response.content.decode()
    assert not ExportRequest.objects.exists()


def test_a_report_on_a_period_not_ended_yet_ends_today(post, log_in, lead, programme):
    today = timezone.localdate()
    post(log_in(lead), REPORT, report_form(
        date_from=(today - dt.timedelta(days=9)).isoformat(),
        date_to=(today + dt.timedelta(days=90)).isoformat()))

    assert ExportRequest.objects.get().date_to == today


def test_a_lead_who_no_longer_leads_the_project_loses_its_extracts_at_once(
    post, log_in, lead, programme
):
    """Not when the file expires: the extract holds the project's case data."""
    client = log_in(lead)
    post(client, EXTRACT, {"project": "VVV"})
    post(client, REPORT, report_form())
    extract = ExportRequest.objects.get(kind="extract")
    report = ExportRequest.objects.get(kind="report")
    download(client, extract)

    programme.leads.remove(lead)
    page = client.get(PAGE).text

    assert client.get(reverse("evaluations:export_download",
                              args=[extract.pk])).status_code == 404
    assert client.get(reverse("evaluations:export_detail", args=[extract.pk])).status_code == 404
    assert reverse("evaluations:export_detail", args=[extract.pk]) not in page
    # Suppressed figures are every project's to see: the report stays.
    assert download(client, report)


def test_someone_no_longer_an_administrator_loses_the_raw_files_at_once(
    post, log_in, administrator, programme
):
    factories.give_roles(administrator, Role.PROJECT_LEAD)
    programme.leads.add(administrator)
    client = log_in(administrator)
    post(client, REPORT, report_form(raw="on"))
    post(client, EXTRACT, {"project": "VVV", "identifiable": "on"})
    post(client, EXTRACT, {"project": "VVV"})
    raw_report = ExportRequest.objects.get(kind="report")
    raw_extract = ExportRequest.objects.get(kind="extract", raw=True)
    pseudonymised = ExportRequest.objects.get(kind="extract", raw=False)

    assert raw_report.raw
    administrator.groups.filter(name=Role.ADMINISTRATOR).delete()
    administrator.is_superuser = False
    administrator.save()

    for export in (raw_report, raw_extract):
        assert client.get(reverse("evaluations:export_download",
                                  args=[export.pk])).status_code == 404
    assert download(client, pseudonymised)
