"""All notes of a participant on one printable page: every note the case file holds, from
both apps, for those who may read the case file; logged as a read; 404 for anyone else."""

import datetime as dt
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from participants.models import AccessKind, AccessLogEntry
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def file(case_worker, office, provider):
    """A case file with a note of every kind, and rows that are no notes."""
    project = factories.ProjectFactory(code="VVV")
    participant = factories.ParticipantFactory(ref="P-NOTES", given_name="Kari",
                                               family_name="Nordmann", office=office,
                                               project=project, primary_case_worker=case_worker)
    factories.FollowUpFactory(participant=participant, case_worker=case_worker,
                              occurred_on=dt.date(2025, 3, 1),
                              note="Talked about the first weeks at work.\nShe is tired.")
    factories.FollowUpFactory(participant=participant, case_worker=case_worker,
                              occurred_on=dt.date(2025, 2, 1), note="")
    plan = factories.PlanFactory(participant=participant)
    factories.GoalFactory(plan=plan, text="Work 20 hours a week in a bike shop")
    factories.PlanReviewFactory(plan=plan, reviewed_by=case_worker,
                                reviewed_on=dt.date(2025, 1, 15),
                                note="Plan reviewed with the employer.")
    enrollment = factories.EnrollmentFactory(participant=participant, active=True,
                                             measure__provider=provider)
    factories.ProgressReportFactory(enrollment=enrollment, went_well="Came every day.")
    factories.EnrollmentProposalFactory(enrollment=enrollment, comment="Ready to start.")
    factories.OutcomeSpellFactory(participant=participant, organisation_name="Sykkel AS")
    return participant


def url(participant) -> str:
    return reverse("participants:notes", args=[participant.pk])


def test_the_notes_view_holds_every_note_of_the_case_file(log_in, case_worker, file):
    response = log_in(case_worker).get(url(file))

    assert response.status_code == 200
    text = response.text
    assert "Talked about the first weeks at work.<br>She is tired." in text
    assert "Plan reviewed with the employer." in text
    assert "Work 20 hours a week in a bike shop" in text
    assert "What went well: Came every day." in text
    assert "Ready to start." in text
    # Events without a written note are not notes.
    assert "Sykkel AS" not in text
    assert [note.kind for note in response.context["notes"]].count("follow_up") == 1


def test_the_notes_are_printed_oldest_first(log_in, case_worker, file):
    notes = log_in(case_worker).get(url(file)).context["notes"]

    dates = [note.on for note in notes]
    assert dates == sorted(dates)


def test_the_notes_view_is_printable_without_navigation(log_in, case_worker, file):
    response = log_in(case_worker).get(url(file))

    assert 'class="no-print' in response.text
    assert "data-print" in response.text
    stylesheet = Path(finders.find("css/rehab.css")).read_text(encoding="utf-8")
    assert "@media print" in stylesheet
    assert ".navbar, .no-print { display: none !important; }" in stylesheet


def test_reading_the_notes_is_logged_as_a_read_of_the_case_file(log_in, case_worker, file):
    log_in(case_worker).get(url(file))

    entry = AccessLogEntry.objects.get(participant_id=file.pk)
    assert (entry.user, entry.what) == (case_worker, AccessKind.CASE_FILE)
    assert entry.detail == url(file)


def test_a_project_lead_of_the_project_reads_the_notes(log_in, project_lead, file):
    file.project.leads.add(project_lead)

    response = log_in(project_lead).get(url(file))

    assert response.status_code == 200
    assert "Plan reviewed with the employer." in response.text


@pytest.mark.parametrize("persona", ["provider_staff", "other_office_case_worker",
                                     "project_lead"])
def test_those_who_may_not_read_the_case_file_get_404(request, log_in, file, persona):
    """The provider's staff see the participant (enrolled in their measure) but never the
    case file's notes; the other office and a lead of other projects see nothing."""
    user = request.getfixturevalue(persona)

    response = log_in(user).get(url(file))

    assert response.status_code == 404
    assert not AccessLogEntry.objects.filter(participant_id=file.pk).exists()


def test_the_participant_page_links_to_the_notes(log_in, case_worker, file):
    response = log_in(case_worker).get(reverse("participants:detail", args=[file.pk]))

    assert f'href="{url(file)}"' in response.text
