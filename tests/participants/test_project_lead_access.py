"""Project leads read the participants of the projects they lead (sub-projects included) and
change nothing; other projects' participants do not exist for them."""

import pytest
from django.urls import reverse

from measures.models import Enrollment
from participants.models import FollowUp, Participant
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme():
    return factories.ProjectFactory(code="VVV", name="Vilje viser vei")


@pytest.fixture
def sub_project(programme):
    return factories.ProjectFactory(code="VVV-TRD", name="Trondheim", parent=programme)


@pytest.fixture
def led(project_lead, programme):
    programme.leads.add(project_lead)
    return project_lead


def test_project_lead_sees_participants_of_their_project_and_its_sub_projects(
    led, programme, sub_project
):
    own = factories.ParticipantFactory(project=programme)
    in_sub = factories.ParticipantFactory(project=sub_project)
    elsewhere = factories.ParticipantFactory()

    visible = set(Participant.objects.visible_to(led))
    readable = set(Participant.objects.case_file_visible_to(led))

    assert visible == readable == {own, in_sub}
    assert elsewhere not in visible
    assert not Participant.objects.editable_by(led).exists()


def test_project_lead_of_no_project_sees_no_participant(project_lead):
    factories.ParticipantFactory()

    assert not Participant.objects.visible_to(project_lead).exists()
    assert not Participant.objects.case_file_visible_to(project_lead).exists()


def test_project_lead_reads_the_case_file_without_forms(log_in, led, sub_project):
    participant = factories.ParticipantFactory(project=sub_project, given_name="Åse")
    factories.EnrollmentFactory(participant=participant)

    client = log_in(led)
    response = client.get(reverse("participants:detail", args=[participant.pk]))
    enrollments = client.get(reverse("measures:for_participant", args=[participant.pk]),
                             HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert "Åse" in response.text
    assert "You can read this case file but not change it." in response.text
    assert reverse("participants:follow_up_create", args=[participant.pk]) not in response.text
    assert reverse("participants:case_worker_change", args=[participant.pk]) not in response.text
    assert reverse("participants:case_worker_form", args=[participant.pk]) not in response.text
    assert enrollments.status_code == 200
    assert reverse("measures:enrollment_refer", args=[participant.pk]) not in enrollments.text
    assert "Start…" not in enrollments.text


def test_project_lead_cannot_log_a_follow_up_or_refer(log_in, led, programme):
    participant = factories.ParticipantFactory(project=programme)
    measure = factories.MeasureFactory()
    client = log_in(led)

    follow_up = client.post(reverse("participants:follow_up_create", args=[participant.pk]),
                            {"occurred_on": "2025-01-10", "channel": "meeting"})
    referral = client.post(reverse("measures:enrollment_refer", args=[participant.pk]),
                           {"measure": measure.pk, "referred_on": "2025-01-10"})

    assert follow_up.status_code == 404
    assert referral.status_code == 403
    assert not FollowUp.objects.exists()
    assert not Enrollment.objects.exists()


def test_project_lead_gets_404_for_a_participant_of_another_project(log_in, led):
    participant = factories.ParticipantFactory()

    response = log_in(led).get(reverse("participants:detail", args=[participant.pk]))

    assert response.status_code == 404
