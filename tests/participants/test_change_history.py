"""Changes to participant data keep their history: who changed what, when, from what to
what."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from participants.models import FollowUp, Participant
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def participant(office, case_worker):
    return factories.ParticipantFactory(office=office, primary_case_worker=case_worker)


def test_a_change_made_on_a_page_records_who_and_from_what_to_what(log_in, case_worker,
                                                                    participant, office):
    colleague = factories.CaseWorkerFactory(staff_profile__office=office)
    log_in(case_worker).post(
        reverse("participants:case_worker_change", args=[participant.pk]),
        {"case-worker-new_case_worker": colleague.pk,
         "case-worker-changed_on": timezone.localdate().isoformat()})

    latest, before = Participant.history.filter(id=participant.pk).order_by(
        "-history_date")[:2]
    assert latest.history_type == "~" and latest.history_user == case_worker
    changes = {c.field: (c.old, c.new) for c in latest.diff_against(before).changes}
    assert changes == {"primary_case_worker": (case_worker.pk, colleague.pk)}
    assert timezone.now() - latest.history_date < dt.timedelta(minutes=1)


def test_a_follow_up_keeps_the_history_of_its_creation(log_in, case_worker, participant):
    log_in(case_worker).post(
        reverse("participants:follow_up_create", args=[participant.pk]),
        {"follow-up-occurred_on": timezone.localdate().isoformat(),
         "follow-up-channel": "phone", "follow-up-note": "Talked about the work practice"})
    follow_up = FollowUp.objects.get()
    created = follow_up.history.get()
    assert created.history_type == "+" and created.history_user == case_worker
    assert created.note == "Talked about the work practice"


def test_a_deleted_record_keeps_its_history(participant):
    participant_id = participant.pk
    participant.delete()
    kinds = list(Participant.history.filter(id=participant_id).order_by("history_date")
                 .values_list("history_type", flat=True))
    assert kinds == ["+", "-"]


def test_the_administrator_reads_a_records_history(log_in, administrator, participant):
    participant.family_name = "Nytt-Navn"
    participant.save()
    response = log_in(administrator).get(
        reverse("admin:participants_participant_history", args=[participant.pk]))
    assert response.status_code == 200
    assert "Nytt-Navn" in response.content.decode() or "family name" in \
        response.content.decode().lower()
