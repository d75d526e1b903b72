"""The access log: every read of a participant's personal data is recorded with who, when,
what and from where; nobody changes or deletes it; the participant's case worker, the data
protection officer and administrators see who has read a record."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.urls import reverse

from participants.models import AccessKind, AccessLogEntry, Participant
from rehab.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def participant(office, case_worker):
    return factories.ParticipantFactory(ref="P-LOG-1", office=office,
                                        primary_case_worker=case_worker)


@pytest.fixture
def data_protection_officer():
    return factories.UserFactory(username="dpo", roles=[Role.DATA_PROTECTION_OFFICER])


def test_opening_the_participant_page_is_recorded(log_in, case_worker, participant):
    url = reverse("participants:detail", args=[participant.pk])
    log_in(case_worker).get(url, REMOTE_ADDR="10.9.8.7")
    entry = AccessLogEntry.objects.get()
    assert entry.user == case_worker and entry.username == "case_worker"
    assert entry.participant_id == participant.pk and entry.what == AccessKind.CASE_FILE
    assert entry.address == "10.9.8.7" and entry.detail == url


def test_a_page_that_is_refused_records_nothing(log_in, other_office_case_worker,
                                                participant):
    response = log_in(other_office_case_worker).get(
        reverse("participants:detail", args=[participant.pk]))
    assert response.status_code == 404
    assert not AccessLogEntry.objects.exists()


def test_the_timeline_is_recorded(log_in, case_worker, participant):
    log_in(case_worker).get(reverse("participants:timeline", args=[participant.pk]),
                            {"all": "1"}, HTTP_HX_REQUEST="true")
    assert AccessLogEntry.objects.get().what == AccessKind.TIMELINE


REGIONS = ["participants:header", "participants:outcome_spells", "participants:goals",
           "participants:support_phase", "measures:for_participant"]


@pytest.mark.parametrize("name", REGIONS)
def test_a_region_fetched_on_its_own_is_recorded_as_a_read_of_the_case_file(
        log_in, case_worker, participant, name):
    url = reverse(name, args=[participant.pk])
    log_in(case_worker).get(url, HTTP_HX_REQUEST="true")
    entry = AccessLogEntry.objects.get()
    assert (entry.what, entry.participant_id, entry.detail) == (
        AccessKind.CASE_FILE, participant.pk, url)


@pytest.mark.parametrize("name", REGIONS)
def test_a_region_reloaded_soon_after_the_page_adds_no_entry(log_in, case_worker, participant,
                                                             name):
    client = log_in(case_worker)
    client.get(reverse("participants:detail", args=[participant.pk]))
    client.get(reverse(name, args=[participant.pk]), HTTP_HX_REQUEST="true")
    assert AccessLogEntry.objects.count() == 1


def test_the_own_answers_are_recorded_once_even_after_a_read_of_the_case_file(
        log_in, case_worker, participant):
    client = log_in(case_worker)
    client.get(reverse("participants:detail", args=[participant.pk]))
    for _ in range(2):
        client.get(reverse("participants:voice", args=[participant.pk]), HTTP_HX_REQUEST="true")
    assert sorted(AccessLogEntry.objects.values_list("what", flat=True)) == [
        AccessKind.CASE_FILE, AccessKind.VOICE]


def test_a_region_read_by_someone_else_is_recorded_too(log_in, case_worker, participant,
                                                       office):
    url = reverse("participants:goals", args=[participant.pk])
    log_in(case_worker).get(url, HTTP_HX_REQUEST="true")
    colleague = factories.CaseWorkerFactory(staff_profile__office=office)
    log_in(colleague).get(url, HTTP_HX_REQUEST="true")
    assert [entry.user for entry in AccessLogEntry.objects.order_by("pk")] == [
        case_worker, colleague]


def test_a_region_read_after_the_covered_time_is_recorded_again(log_in, case_worker,
                                                                 participant, monkeypatch):
    from participants import access_log

    url = reverse("participants:goals", args=[participant.pk])
    client = log_in(case_worker)
    client.get(url, HTTP_HX_REQUEST="true")
    monkeypatch.setattr(access_log, "REGION_READ_COVERED", dt.timedelta(0))
    client.get(url, HTTP_HX_REQUEST="true")
    assert AccessLogEntry.objects.count() == 2


# Actions whose answer shows part of the case file again: the enrollments region (with its
# errors, or fresh after a save), a goal, an open work spell, the support phase. A form
# posted empty is refused but still answered with the data.
ANSWERS_WITH_THE_CASE_FILE = [
    ("measures:enrollment_refer", "participant_pk"),
    ("measures:enrollment_start", "enrollment"),
    ("measures:proposal_reject", "proposal"),
    ("participants:goal_review", "goal"),
    ("participants:outcome_spell_end", "spell"),
    ("participants:next_contact_set", "participant"),
]


def _case_file_action_url(name: str, about: str, participant, provider) -> str:
    enrollment = factories.EnrollmentFactory(participant=participant,
                                             measure__provider=provider)
    kwargs = {
        "participant_pk": {"participant_pk": participant.pk},
        "participant": {"pk": participant.pk},
        "enrollment": {"pk": enrollment.pk},
        "proposal": {"pk": factories.EnrollmentProposalFactory(enrollment=enrollment).pk},
        "goal": {"pk": participant.pk, "goal_pk": factories.GoalFactory(
            plan__participant=participant).pk},
        "spell": {"pk": participant.pk, "spell_pk": factories.OutcomeSpellFactory(
            participant=participant, ended_on=None).pk},
    }[about]
    return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize(("name", "about"), ANSWERS_WITH_THE_CASE_FILE)
@pytest.mark.parametrize("by_htmx", [True, False], ids=["htmx", "plain"])
def test_an_action_that_answers_with_part_of_the_case_file_records_the_read(
        log_in, case_worker, participant, provider, name, about, by_htmx):
    url = _case_file_action_url(name, about, participant, provider)
    headers = {"HTTP_HX_REQUEST": "true"} if by_htmx else {}
    response = log_in(case_worker).post(url, {}, **headers)
    assert response.status_code == 200
    entry = AccessLogEntry.objects.get()
    assert (entry.what, entry.participant_id, entry.user) == (
        AccessKind.CASE_FILE, participant.pk, case_worker)


@pytest.mark.parametrize(("name", "about"), ANSWERS_WITH_THE_CASE_FILE)
def test_an_action_soon_after_the_page_adds_no_entry(log_in, case_worker, participant,
                                                     provider, name, about):
    url = _case_file_action_url(name, about, participant, provider)
    client = log_in(case_worker)
    client.get(reverse("participants:detail", args=[participant.pk]))
    client.post(url, {}, HTTP_HX_REQUEST="true")
    assert AccessLogEntry.objects.count() == 1


@pytest.mark.parametrize("name", ["measures:provider_propose",
                                  "measures:provider_report_create"])
@pytest.mark.parametrize("by_htmx", [True, False], ids=["htmx", "plain"])
def test_a_providers_post_answered_with_the_enrollment_page_records_the_read(
        log_in, provider, provider_staff, participant, name, by_htmx):
    enrollment = factories.EnrollmentFactory(
        participant=participant, measure__provider=provider,
        referred_on=dt.date(2025, 1, 1), started_on=dt.date(2025, 2, 1))
    factories.GoalFactory(plan__participant=participant, text="Stable mornings")
    kwargs = {"pk": enrollment.pk} | ({"kind": "end"} if name.endswith("propose") else {})
    headers = {"HTTP_HX_REQUEST": "true"} if by_htmx else {}
    response = log_in(provider_staff).post(reverse(name, kwargs=kwargs), {}, **headers)
    assert "Stable mornings" in response.content.decode()  # refused, and shown the goals
    entry = AccessLogEntry.objects.get()
    assert (entry.what, entry.participant_id) == (AccessKind.PROVIDER_ENROLLMENT,
                                                  participant.pk)


def test_a_providers_post_soon_after_the_enrollment_page_adds_no_entry(
        log_in, provider, provider_staff, participant):
    enrollment = factories.EnrollmentFactory(participant=participant,
                                             measure__provider=provider)
    client = log_in(provider_staff)
    client.get(reverse("measures:provider_enrollment", args=[enrollment.pk]))
    client.post(reverse("measures:provider_propose", args=[enrollment.pk, "start"]), {},
                HTTP_HX_REQUEST="true")
    assert AccessLogEntry.objects.count() == 1


def test_the_providers_enrollment_page_is_recorded(log_in, provider, provider_staff,
                                                   participant):
    enrollment = factories.EnrollmentFactory(participant=participant,
                                             measure__provider=provider)
    log_in(provider_staff).get(reverse("measures:provider_enrollment", args=[enrollment.pk]))
    entry = AccessLogEntry.objects.get()
    assert entry.what == AccessKind.PROVIDER_ENROLLMENT and entry.username == "provider_staff"


def test_the_admin_change_page_is_recorded_and_the_list_is_not(log_in, administrator,
                                                               participant):
    client = log_in(administrator)
    client.get(reverse("admin:participants_participant_changelist"))
    assert not AccessLogEntry.objects.exists()
    client.get(reverse("admin:participants_participant_change", args=[participant.pk]))
    assert AccessLogEntry.objects.get().what == AccessKind.ADMIN


def _admin_pages_of_a_participant(participant, case_worker, provider) -> list[str]:
    """Every admin page that shows one record about the participant: its change page, its
    history, and for a record with change history one of its old versions."""
    participant.given_name = "Kari (changed)"
    participant.save()  # a second version in the change history
    enrollment = factories.EnrollmentFactory(participant=participant,
                                             measure__provider=provider)
    goal = factories.GoalFactory(plan__participant=participant)
    records = {
        "participant": participant,
        "followup": factories.FollowUpFactory(participant=participant),
        "outcomespell": factories.OutcomeSpellFactory(participant=participant),
        "plan": goal.plan,
        "goal": goal,
        "planreview": factories.PlanReviewFactory(plan=goal.plan, reviewed_by=case_worker),
        "answer": factories.AnswerFactory(participant=participant),
        "caseworkerassignment": factories.CaseWorkerAssignmentFactory(
            participant=participant, case_worker=case_worker),
        "enrollment": enrollment,
        "enrollmentproposal": factories.EnrollmentProposalFactory(enrollment=enrollment),
        "progressreport": factories.ProgressReportFactory(enrollment=enrollment),
    }
    pages = []
    for name, record in records.items():
        app = record._meta.app_label
        pages += [reverse(f"admin:{app}_{name}_change", args=[record.pk]),
                  reverse(f"admin:{app}_{name}_history", args=[record.pk])]
        if hasattr(record, "history"):
            version = record.history.order_by("history_id").first()
            pages.append(reverse(f"admin:{app}_{name}_simple_history",
                                 args=[record.pk, version.history_id]))
    return pages


def test_every_admin_page_of_a_record_about_a_participant_is_recorded(
        log_in, administrator, participant, case_worker, provider):
    """The old version of the participant shows the whole identity number, a follow-up's
    page its note: each such page is a read like the participant's change page."""
    pages = _admin_pages_of_a_participant(participant, case_worker, provider)
    client = log_in(administrator)
    unrecorded = []
    for page in pages:
        before = AccessLogEntry.objects.count()
        assert client.get(page).status_code == 200, page
        entries = AccessLogEntry.objects.order_by("-pk")[:AccessLogEntry.objects.count() - before]
        if [(e.participant_id, e.what, e.detail) for e in entries] != [
                (participant.pk, AccessKind.ADMIN, page)]:
            unrecorded.append(page)
    assert unrecorded == []


def test_an_admin_page_that_is_not_shown_records_nothing(log_in, administrator, participant):
    client = log_in(administrator)
    client.post(reverse("admin:participants_participant_change", args=[participant.pk]), {})
    client.get(reverse("admin:participants_followup_change", args=[987654]))
    assert not AccessLogEntry.objects.exists()


def test_an_identifying_extract_records_every_participant_in_it(
    log_in, administrator, django_capture_on_commit_callbacks
):
    programme = factories.ProjectFactory(code="VVV")
    inside = [factories.ParticipantFactory(project=programme) for _ in range(3)]
    factories.ParticipantFactory()  # another project
    with django_capture_on_commit_callbacks(execute=True):
        log_in(administrator).post(reverse("evaluations:extract_request_create"),
                                   {"project": "VVV", "identifiable": "on"})
    entries = AccessLogEntry.objects.all()
    assert {e.participant_id for e in entries} == {p.pk for p in inside}
    assert {(e.what, e.username) for e in entries} == {(AccessKind.EXTRACT, "administrator")}


def test_a_pseudonymised_extract_records_no_reads(log_in, administrator,
                                                  django_capture_on_commit_callbacks):
    factories.ParticipantFactory(project=factories.ProjectFactory(code="VVV"))
    with django_capture_on_commit_callbacks(execute=True):
        log_in(administrator).post(reverse("evaluations:extract_request_create"),
                                   {"project": "VVV"})
    assert not AccessLogEntry.objects.exists()


def test_a_raw_report_records_the_participants_it_covers(log_in, administrator,
                                                         django_capture_on_commit_callbacks):
    people = [factories.ParticipantFactory() for _ in range(2)]
    form = {"project": "", "date_from": "2024-01-01", "date_to": "2024-12-31",
            "file_format": "csv"}
    with django_capture_on_commit_callbacks(execute=True):
        client = log_in(administrator)
        client.post(reverse("evaluations:report_request_create"), form)
        assert not AccessLogEntry.objects.exists()  # suppressed: nobody's data
        client.post(reverse("evaluations:report_request_create"), {**form, "raw": "on"})
    assert {e.participant_id for e in AccessLogEntry.objects.all()} == {p.pk for p in people}
    assert {e.what for e in AccessLogEntry.objects.all()} == {AccessKind.RAW_REPORT}


def test_an_identifying_export_from_the_command_records_the_operator(tmp_path):
    person = factories.ParticipantFactory()
    call_command("export_bundle", str(tmp_path / "full.zip"), stdout=io.StringIO())
    entry = AccessLogEntry.objects.get()
    assert entry.participant_id == person.pk and entry.user is None and entry.username


def test_the_log_refuses_to_be_changed(participant):
    entry = factories.AccessLogEntryFactory(participant=participant)
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        AccessLogEntry.objects.filter(pk=entry.pk).update(username="someone else")
    entry.refresh_from_db()
    assert entry.username != "someone else"


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="SQLite's trigger refuses UPDATE only (docs/security.md)")
def test_the_log_refuses_to_be_deleted(participant):
    entry = factories.AccessLogEntryFactory(participant=participant)
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        AccessLogEntry.objects.filter(pk=entry.pk).delete()
    assert AccessLogEntry.objects.filter(pk=entry.pk).exists()


def test_the_log_outlives_the_participant(participant):
    factories.AccessLogEntryFactory(participant=participant)
    Participant.objects.filter(pk=participant.pk).delete()
    assert AccessLogEntry.objects.filter(participant_id=participant.pk).exists()


def test_an_unknown_kind_of_read_is_refused_by_the_database(participant, case_worker):
    with pytest.raises(IntegrityError, match="access_log_what_valid"), transaction.atomic():
        AccessLogEntry.objects.create(user=case_worker, username="x",
                                      participant=participant, what="gossip")


def who_read(client, participant):
    return client.get(reverse("participants:who_read", args=[participant.pk]),
                      HTTP_HX_REQUEST="true")


@pytest.mark.parametrize("viewer", ["case_worker", "data_protection_officer", "administrator"])
def test_who_has_seen_the_record_is_shown_to_those_who_answer_for_it(request, log_in,
                                                                     participant, viewer):
    factories.AccessLogEntryFactory(participant=participant, user__username="curious")
    response = who_read(log_in(request.getfixturevalue(viewer)), participant)
    assert response.status_code == 200
    assert "curious" in response.content.decode()
    assert AccessLogEntry.objects.count() == 1  # reading the log is not a read of the file


@pytest.mark.parametrize("viewer", ["project_lead", "provider_staff"])
def test_others_do_not_see_who_has_read_the_record(request, log_in, participant, viewer):
    assert who_read(log_in(request.getfixturevalue(viewer)), participant).status_code == 404


def test_another_case_worker_of_the_office_does_not_see_who_read(log_in, office, participant):
    colleague = factories.CaseWorkerFactory(staff_profile__office=office)
    assert who_read(log_in(colleague), participant).status_code == 404
    page = log_in(colleague).get(reverse("participants:detail", args=[participant.pk]))
    assert b"who-read" not in page.content


def test_the_participant_page_offers_who_read_to_the_case_worker(log_in, case_worker,
                                                                 participant):
    page = log_in(case_worker).get(reverse("participants:detail", args=[participant.pk]))
    assert reverse("participants:who_read", args=[participant.pk]) in page.content.decode()


def test_the_data_protection_officer_searches_the_log(log_in, data_protection_officer,
                                                      participant):
    factories.AccessLogEntryFactory(participant=participant, user__username="anna")
    factories.AccessLogEntryFactory(user__username="bert")
    client = log_in(data_protection_officer)
    assert client.get(reverse("participants:home")).url == reverse("participants:access_log")
    response = client.get(reverse("participants:access_log"), {"participant": "P-LOG-1"})
    assert response.status_code == 200
    assert [e.username for e in response.context["page"].object_list] == ["anna"]
    response = client.get(reverse("participants:access_log"), {"username": "bert"})
    assert [e.username for e in response.context["page"].object_list] == ["bert"]
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    response = client.get(reverse("participants:access_log"), {"date_from": tomorrow})
    assert not response.context["page"].object_list


@pytest.mark.parametrize("viewer", ["case_worker", "project_lead", "provider_staff"])
def test_only_administrators_and_the_dpo_search_the_log(request, log_in, viewer):
    response = log_in(request.getfixturevalue(viewer)).get(reverse("participants:access_log"))
    assert response.status_code == 404


def _entry_about(participant, reader):
    return AccessLogEntry.objects.create(user=reader, username=reader.username,
                                         participant_id=participant.pk,
                                         what=AccessKind.CASE_FILE)


def test_the_log_is_visible_in_full_to_administrators_and_the_dpo(
        administrator, data_protection_officer, case_worker, participant):
    other = factories.ParticipantFactory()
    entries = {_entry_about(participant, case_worker), _entry_about(other, case_worker)}
    for reader in (administrator, data_protection_officer):
        assert set(AccessLogEntry.objects.visible_to(reader)) == entries


def test_a_case_worker_sees_the_reads_of_their_own_participants_only(
        office, case_worker, participant, administrator):
    colleagues_participant = factories.ParticipantFactory(office=office)
    own = _entry_about(participant, administrator)
    _entry_about(colleagues_participant, administrator)
    assert list(AccessLogEntry.objects.visible_to(case_worker)) == [own]


@pytest.mark.parametrize("viewer", ["provider_staff", "project_lead"])
def test_others_see_no_part_of_the_log(request, viewer, case_worker, participant):
    _entry_about(participant, case_worker)
    assert not AccessLogEntry.objects.visible_to(request.getfixturevalue(viewer)).exists()
