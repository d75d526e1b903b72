"""The support phase after a job start, and the next planned contact: the definition
(caseload_focus), the caseload's filter and status, the participant page's region, and the
services that plan the next contact and clear it when a contact is logged.

Dates are relative to today: the services refuse follow-ups in the future and plans in
the past.
"""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from participants.caseload_focus import support_phase_of
from participants.models import Channel, OutcomeKind, Participant
from participants.retention import participants_anonymise
from participants.services.case_file import follow_up_create
from participants.services.caseload import next_contact_plan
from tests import factories

pytestmark = pytest.mark.django_db

CASELOAD = reverse("participants:caseload")


def days_ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


def in_days(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


@pytest.fixture
def mine(case_worker, office):
    def mine(ref, **kwargs):
        return factories.ParticipantFactory(ref=ref, office=office,
                                            primary_case_worker=case_worker, **kwargs)
    return mine


def work(participant, started, ended=None, kind=OutcomeKind.WORK):
    return factories.OutcomeSpellFactory(participant=participant, kind=kind,
                                         started_on=days_ago(started),
                                         ended_on=None if ended is None else days_ago(ended))


def contact(participant, days, case_worker):
    return factories.FollowUpFactory(participant=participant, occurred_on=days_ago(days),
                                     case_worker=case_worker)


def rows_by_ref(response) -> dict:
    return {row.ref: row for row in response.context["page"]}


# The definition


def test_a_current_work_spell_puts_the_participant_in_the_support_phase(mine):
    participant = mine("P-JOB")
    work(participant, started=12)

    phase = support_phase_of(participant=participant, today=timezone.localdate())

    assert phase.active
    assert phase.started_on == days_ago(12)
    assert phase.days == 12


def test_the_support_phase_ends_with_the_work_spell(mine):
    participant = mine("P-ENDED")
    work(participant, started=100, ended=1)

    assert not support_phase_of(participant=participant, today=timezone.localdate()).active


def test_a_work_spell_ending_today_still_counts(mine):
    participant = mine("P-LASTDAY")
    work(participant, started=100, ended=0)

    assert support_phase_of(participant=participant, today=timezone.localdate()).active


def test_education_is_no_support_phase(mine):
    participant = mine("P-EDU")
    work(participant, started=10, kind=OutcomeKind.EDUCATION)

    assert not support_phase_of(participant=participant, today=timezone.localdate()).active


def test_a_second_job_does_not_restart_the_support_phase(mine):
    participant = mine("P-TWO")
    work(participant, started=60)
    work(participant, started=5)

    assert support_phase_of(participant=participant,
                            today=timezone.localdate()).started_on == days_ago(60)


def test_follow_ups_are_counted_from_the_job_start(mine, case_worker):
    participant = mine("P-COUNT")
    work(participant, started=20)
    contact(participant, 25, case_worker)  # before the job
    contact(participant, 20, case_worker)  # on the first day
    contact(participant, 3, case_worker)

    phase = support_phase_of(participant=participant, today=timezone.localdate())

    assert phase.follow_ups == 2
    assert phase.days_without_contact == 3
    assert not phase.overdue


@pytest.mark.parametrize(("started", "last_contact", "overdue"), [
    (30, None, False),  # exactly 30 days without contact since the job started
    (31, None, True),
    (90, 30, False),  # a contact exactly 30 days ago
    (90, 31, True),
    (31, 40, True),  # the contact before the job does not count in the phase
])
def test_over_30_days_without_contact_in_the_support_phase_stands_out(
    mine, case_worker, started, last_contact, overdue
):
    participant = mine("P-ALERT")
    work(participant, started=started)
    if last_contact is not None:
        contact(participant, last_contact, case_worker)

    assert support_phase_of(participant=participant,
                            today=timezone.localdate()).overdue is overdue


# The caseload


def test_the_support_filter_lists_only_participants_in_the_support_phase(
    log_in, case_worker, mine
):
    working = mine("P-WORK")
    work(working, started=10)
    work(mine("P-PAST"), started=200, ended=100)
    mine("P-NONE")

    response = log_in(case_worker).get(CASELOAD, {"focus": "support"})

    assert list(rows_by_ref(response)) == ["P-WORK"]


def test_the_caseload_shows_days_follow_ups_and_next_contact_of_the_support_phase(
    log_in, case_worker, mine
):
    working = mine("P-WORK", next_contact_on=in_days(7))
    work(working, started=10)
    contact(working, 4, case_worker)
    contact(working, 12, case_worker)

    response = log_in(case_worker).get(CASELOAD)
    row = rows_by_ref(response)["P-WORK"]

    assert (row.days_in_support, row.support_follow_ups, row.support_overdue) == (10, 1, False)
    assert row.next_contact_on == in_days(7)
    assert "Support phase" in response.text
    assert "1 follow-up since the job started" in response.text


@pytest.mark.parametrize(("started", "listed"), [(30, False), (31, True)])
def test_the_support_without_contact_filter_starts_after_exactly_30_days(
    log_in, case_worker, mine, started, listed
):
    work(mine("P-SUP"), started=started)

    response = log_in(case_worker).get(CASELOAD, {"focus": "support_no_contact"})

    assert ("P-SUP" in rows_by_ref(response)) is listed


def test_support_without_contact_stands_out_in_words(log_in, case_worker, mine):
    participant = mine("P-SILENT")
    work(participant, started=45)

    response = log_in(case_worker).get(CASELOAD)

    assert rows_by_ref(response)["P-SILENT"].support_overdue
    assert "Needs contact" in response.text
    assert "45 days without contact" in response.text


def test_a_passed_planned_contact_is_marked_on_the_caseload(log_in, case_worker, mine):
    participant = mine("P-LATE")
    Participant.objects.filter(pk=participant.pk).update(next_contact_on=days_ago(2))

    response = log_in(case_worker).get(CASELOAD)

    assert rows_by_ref(response)["P-LATE"].next_contact_overdue
    assert "date passed" in response.text


# The next planned contact: services


def test_a_case_worker_plans_the_next_contact(case_worker, mine):
    participant = mine("P-PLAN")

    next_contact_plan(participant=participant, user=case_worker, next_contact_on=in_days(14))

    participant.refresh_from_db()
    assert participant.next_contact_on == in_days(14)
    assert participant.history.first().next_contact_on == in_days(14)


def test_the_plan_can_be_removed(case_worker, mine):
    participant = mine("P-UNPLAN", next_contact_on=in_days(3))

    next_contact_plan(participant=participant, user=case_worker, next_contact_on=None)

    participant.refresh_from_db()
    assert participant.next_contact_on is None


def test_a_contact_cannot_be_planned_in_the_past(case_worker, mine):
    participant = mine("P-PAST", next_contact_on=in_days(3))

    with pytest.raises(ValidationError):
        next_contact_plan(participant=participant, user=case_worker,
                          next_contact_on=days_ago(1))

    participant.refresh_from_db()
    assert participant.next_contact_on == in_days(3)


def test_another_office_cannot_plan_a_contact(other_office_case_worker, mine):
    participant = mine("P-OTHER")

    with pytest.raises(PermissionDenied):
        next_contact_plan(participant=participant, user=other_office_case_worker,
                          next_contact_on=in_days(3))


def test_a_contact_on_the_planned_day_clears_the_plan(case_worker, mine):
    participant = mine("P-DUE", next_contact_on=timezone.localdate())

    follow_up_create(participant=participant, user=case_worker,
                     occurred_on=timezone.localdate(), channel=Channel.PHONE)

    participant.refresh_from_db()
    assert participant.next_contact_on is None


def test_a_contact_logged_late_leaves_a_later_plan_alone(case_worker, mine):
    participant = mine("P-LATER", next_contact_on=in_days(10))

    follow_up_create(participant=participant, user=case_worker,
                     occurred_on=days_ago(3), channel=Channel.PHONE)

    participant.refresh_from_db()
    assert participant.next_contact_on == in_days(10)


def test_a_contact_with_a_new_plan_moves_the_plan_on(case_worker, mine):
    participant = mine("P-MOVE", next_contact_on=days_ago(2))

    follow_up_create(participant=participant, user=case_worker, occurred_on=days_ago(1),
                     channel=Channel.MEETING, next_contact_on=in_days(21))

    participant.refresh_from_db()
    assert participant.next_contact_on == in_days(21)


def test_a_past_plan_with_a_contact_saves_neither(case_worker, mine):
    participant = mine("P-BAD", next_contact_on=in_days(5))

    with pytest.raises(ValidationError):
        follow_up_create(participant=participant, user=case_worker, occurred_on=days_ago(1),
                         channel=Channel.MEETING, next_contact_on=days_ago(1))

    participant.refresh_from_db()
    assert participant.next_contact_on == in_days(5)
    assert not participant.follow_ups.exists()


def test_the_database_refuses_a_planned_contact_after_2100(mine):
    participant = mine("P-FAR")
    with pytest.raises(IntegrityError, match="participant_next_contact_in_range"), \
            transaction.atomic():
        Participant.objects.filter(pk=participant.pk).update(
            next_contact_on=dt.date(2101, 1, 1))


def test_anonymising_a_participant_removes_the_planned_contact(mine):
    participant = mine("P-GONE", next_contact_on=in_days(3))

    participants_anonymise(participant_ids=[participant.pk])

    participant.refresh_from_db()
    assert participant.next_contact_on is None


# The participant page


def test_the_participant_page_shows_the_support_phase_and_next_contact(
    log_in, case_worker, mine
):
    participant = mine("P-PAGE", next_contact_on=in_days(5))
    work(participant, started=9)

    response = log_in(case_worker).get(reverse("participants:detail", args=[participant.pk]))

    assert 'id="support-phase"' in response.text
    assert response.context["support"].days == 9
    assert "Days since the job started" in response.text
    assert in_days(5).isoformat() in response.text
    assert 'id="next-contact-form"' in response.text


def test_a_reader_who_may_not_change_the_file_sees_no_plan_form(
    log_in, project_lead, case_worker, mine
):
    project = factories.ProjectFactory()
    project.leads.add(project_lead)
    participant = mine("P-LEAD", project=project)

    response = log_in(project_lead).get(reverse("participants:support_phase",
                                                args=[participant.pk]))

    assert response.status_code == 200
    assert 'id="next-contact-form"' not in response.text


def test_planning_from_the_participant_page(log_in, case_worker, mine):
    participant = mine("P-FORM")

    response = log_in(case_worker).post(
        reverse("participants:next_contact_set", args=[participant.pk]),
        {"next-contact-next_contact_on": in_days(4).isoformat()})

    assert response.status_code == 200
    participant.refresh_from_db()
    assert participant.next_contact_on == in_days(4)


def test_planning_in_the_past_from_the_page_shows_an_error_and_changes_nothing(
    log_in, case_worker, mine
):
    participant = mine("P-FORMBAD", next_contact_on=in_days(4))

    response = log_in(case_worker).post(
        reverse("participants:next_contact_set", args=[participant.pk]),
        {"next-contact-next_contact_on": days_ago(4).isoformat()})

    assert response.status_code == 200
    assert "cannot be planned in the past" in response.text
    participant.refresh_from_db()
    assert participant.next_contact_on == in_days(4)


def test_logging_a_follow_up_with_a_next_contact_from_the_page(log_in, case_worker, mine):
    participant = mine("P-FUFORM")

    response = log_in(case_worker).post(
        reverse("participants:follow_up_create", args=[participant.pk]),
        {"follow-up-occurred_on": timezone.localdate().isoformat(),
         "follow-up-channel": Channel.PHONE,
         "follow-up-next_contact_on": in_days(30).isoformat()})

    assert response.status_code == 200
    assert response["HX-Trigger"]
    participant.refresh_from_db()
    assert participant.next_contact_on == in_days(30)


@pytest.mark.parametrize("name", ["participants:support_phase", "participants:next_contact_set"])
def test_another_office_gets_404_for_the_support_phase(
    log_in, other_office_case_worker, mine, name
):
    participant = mine("P-HIDDEN", next_contact_on=in_days(3))
    client = log_in(other_office_case_worker)
    url = reverse(name, args=[participant.pk])

    response = client.post(url, {}) if name.endswith("_set") else client.get(url)

    assert response.status_code == 404
    participant.refresh_from_db()
    assert participant.next_contact_on == in_days(3)
