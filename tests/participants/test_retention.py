"""Retention: a set time after the last exit, personal data go and statistics stay; the
indicators are the same before and after."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from measures.models import Enrollment
from participants import retention
from participants.models import AccessLogEntry, FollowUp, Participant
from participants.tasks import anonymise_expired_participants
from tests import factories

pytestmark = pytest.mark.django_db



def left_on(day: dt.date, **participant):
    """A participant whose only enrollment ended on ``day``."""
    return factories.EnrollmentFactory(
        referred_on=day - dt.timedelta(days=200), started_on=day - dt.timedelta(days=180),
        ended_on=day, end_reason="completed", **participant)


def test_personal_data_and_their_history_go_and_the_statistics_stay(office, case_worker):
    person = factories.ParticipantFactory(given_name="Kari", family_name="Nordmann",
                                          national_id="05106003736", national_id_country="NO",
                                          ref="NAV-SAK-123", birth_year=1980, office=office)
    person.family_name = "Nordmann-Berg"
    person.save()  # a second version in the history
    enrollment = left_on(dt.date(2019, 3, 1), participant=person)
    factories.FollowUpFactory(participant=person, note="Strevde med søvnen")
    factories.OutcomeSpellFactory(participant=person, organisation_name="Bakeri AS")
    factories.GoalFactory(plan__participant=person, text="Jobbe tre dager i uka")
    factories.EnrollmentProposalFactory(enrollment=enrollment, comment="Har vondt i ryggen")
    factories.AccessLogEntryFactory(participant=person)

    retention.anonymise_due_participants(dt.date(2025, 1, 1))

    person.refresh_from_db()
    assert (person.given_name, person.family_name, person.national_id, person.ref) == (
        "", "", "", f"ANON-{person.pk}")
    assert person.anonymised_at is not None
    assert (person.birth_year, person.office, person.gender) == (1980, office, person.gender)
    assert FollowUp.objects.get(participant=person).note == ""
    assert person.outcome_spells.get().organisation_name == ""
    assert person.plan.goals.get().text == ""
    assert Enrollment.objects.get().proposals.get().comment == ""
    assert Enrollment.objects.get().ended_on == dt.date(2019, 3, 1)
    assert not Participant.history.filter(id=person.pk).exists()
    assert not FollowUp.history.filter(participant_id=person.pk).exists()
    assert AccessLogEntry.objects.filter(participant_id=person.pk).exists()


def test_participants_still_enrolled_or_recently_out_are_kept():
    ongoing = factories.EnrollmentFactory(started_on=dt.date(2015, 1, 1),
                                          referred_on=dt.date(2015, 1, 1)).participant
    recent = left_on(dt.date(2023, 6, 1)).participant
    old = left_on(dt.date(2019, 6, 1)).participant
    due = set(retention.due_for_anonymisation(dt.date(2025, 1, 1)))
    assert old in due and ongoing not in due and recent not in due


def test_the_retention_time_is_a_setting(settings):
    old = left_on(dt.date(2019, 6, 1)).participant
    settings.RETENTION_YEARS_AFTER_EXIT = 10
    assert old not in retention.due_for_anonymisation(dt.date(2025, 1, 1))


def test_anonymising_twice_changes_nothing_more():
    left_on(dt.date(2010, 6, 1))
    assert retention.anonymise_due_participants() == 1
    assert retention.anonymise_due_participants() == 0


def test_the_nightly_task_and_the_command_anonymise(tmp_path):
    left_on(dt.date(2010, 6, 1))
    out = io.StringIO()
    call_command("anonymise_expired", "--dry-run", stdout=out)
    assert "1 participant is due for anonymisation." in out.getvalue()
    assert not Participant.objects.filter(anonymised_at__isnull=False).exists()
    assert anonymise_expired_participants.delay().get() == 1


@pytest.mark.parametrize("shell, due, done", [
    ("nb_NO.UTF-8", "1 deltaker skal anonymiseres.", "1 deltaker anonymisert."),
    ("da_DK.UTF-8", "1 borger skal anonymiseres.", "1 borger anonymiseret."),
    ("sv_SE.UTF-8", "1 deltagare ska anonymiseras.", "1 deltagare anonymiserad."),
    ("en_GB.UTF-8", "1 participant is due for anonymisation.", "1 participant anonymised."),
])
def test_the_command_counts_one_participant_in_the_singular(monkeypatch, shell, due, done):
    """It said "1 participants anonymised" ("1 deltakere anonymisert")."""
    monkeypatch.setenv("LANG", shell)
    left_on(dt.date(2010, 6, 1))
    out = io.StringIO()
    call_command("anonymise_expired", "--dry-run", stdout=out)
    call_command("anonymise_expired", stdout=out)
    assert out.getvalue().splitlines() == [due, done]
