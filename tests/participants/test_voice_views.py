"""The participant page's region of the participant's own voice (answers over time as a
chart and a table, reminders, sharing), and the shared answers on the provider staff's
enrollment page. Answers are case-file data: other offices get a 404, project leads read
without changing, provider staff see them only once the case worker shares them."""

import datetime as dt
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from participants.models import AccessKind, AccessLogEntry, Instrument, Participant
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def participant(office, provider):
    participant = factories.ParticipantFactory(office=office)
    factories.EnrollmentFactory(participant=participant, measure__provider=provider,
                                active=True)
    return participant


@pytest.fixture
def voice():
    return Instrument.objects.get(code="voice")


@pytest.fixture
def answered(participant, voice):
    """Two responses: all five items in January, two of them in June."""
    for item, score in zip(voice.items.order_by("position"), [2, 3, 1, 2, 2], strict=True):
        factories.AnswerFactory(participant=participant, item=item, score=score,
                                answered_on=dt.date(2025, 1, 10))
    for code, score in [("joy", 4), ("heard", 5)]:
        factories.AnswerFactory(participant=participant, item=voice.items.get(code=code),
                                score=score, answered_on=dt.date(2025, 6, 12))
    return participant


def region(client, participant):
    return client.get(reverse("participants:voice", args=[participant.pk]),
                      HTTP_HX_REQUEST="true")


def shared(client, participant):
    return client.get(reverse("participants:voice_shared", args=[participant.pk]),
                      HTTP_HX_REQUEST="true")


def test_the_participant_page_loads_the_region(log_in, case_worker, participant):
    text = log_in(case_worker).get(
        reverse("participants:detail", args=[participant.pk])).content.decode()
    assert f'hx-get="{reverse("participants:voice", args=[participant.pk])}"' in text
    assert "vendor/chart.umd.min.js" in text and "js/voice_chart.js" in text


def test_the_answers_are_shown_as_a_chart_and_a_table(log_in, case_worker, answered):
    response = region(log_in(case_worker), answered)
    text = response.content.decode()
    assert 'id="voice"' in text and "<html" not in text
    data = json.loads(re.search(r'id="voice-data-voice"[^>]*>(.*?)</script>', text,
                                re.S).group(1))
    assert data["labels"] == ["2025-01-10", "2025-06-12"]
    assert (data["min"], data["max"]) == (1, 5)
    assert data["series"][0] == {"label": "I feel joy in my life", "values": [2, 4]}
    assert data["series"][1]["values"] == [3, None]  # not answered in June: a gap
    table = re.search(r'<table[^>]*id="voice-table-voice".*?</table>', text, re.S).group(0)
    rows = [re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", row)
            for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)]
    assert len(rows) == 7  # the dates, five questions, the mean
    assert rows[1] == ["I feel joy in my life", "2", "4"]
    assert rows[2] == ["I believe in myself", "3", "–"]  # not answered in June
    assert rows[-1][1:] == ["2.0", "4.5"]  # the mean of the items answered that day


@pytest.mark.parametrize("language, labels", [
    ("nb", ["10.01.2025", "12.06.2025"]),
    ("da", ["10.01.2025", "12.06.2025"]),
    ("sv", ["2025-01-10", "2025-06-12"]),
])
def test_the_chart_writes_its_dates_as_the_language_does(log_in, case_worker, answered,
                                                       language, labels):
    """The chart's dates read as the table's beside it (they were ISO dates on every
    page, 2025-01-10 beside 10.01.2025 in Norwegian)."""
    client = log_in(case_worker)
    text = client.get(reverse("participants:voice", args=[answered.pk]),
                      HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    data = json.loads(re.search(r'id="voice-data-voice"[^>]*>(.*?)</script>', text,
                                re.S).group(1))
    assert data["labels"] == labels
    table = re.search(r'<table[^>]*id="voice-table-voice".*?</table>', text, re.S).group(0)
    assert all(label in table for label in labels)


def test_reading_the_answers_is_logged(log_in, case_worker, answered):
    region(log_in(case_worker), answered)
    entry = AccessLogEntry.objects.get(what=AccessKind.VOICE)
    assert entry.participant_id == answered.pk and entry.user == case_worker


def test_no_answers_yet(log_in, case_worker, participant):
    assert 'id="voice-none"' in region(log_in(case_worker), participant).content.decode()


def test_the_region_fetches_itself_again_when_the_case_file_changes(log_in, case_worker,
                                                                   participant):
    """An enrollment ended or started on the page changes which reminder is due."""
    text = region(log_in(case_worker), participant).content.decode()
    assert 'hx-trigger="timeline-changed from:body"' in text
    assert f'hx-get="{reverse("participants:voice", args=[participant.pk])}"' in text


def test_case_worker_shares_the_answers_and_the_history_says_who(
        log_in, case_worker, participant):
    client = log_in(case_worker)
    url = reverse("participants:voice_share", args=[participant.pk])
    response = client.post(url, {"shared": "on"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Stop sharing" in response.content.decode()
    participant.refresh_from_db()
    assert participant.voice_shared_with_provider
    change = participant.history.first()
    assert change.voice_shared_with_provider and change.history_user == case_worker
    client.post(url, {}, HTTP_HX_REQUEST="true")
    assert not Participant.objects.get(pk=participant.pk).voice_shared_with_provider


def test_a_project_lead_reads_the_answers_but_changes_nothing(log_in, project_lead, answered):
    answered.project.leads.add(project_lead)
    client = log_in(project_lead)
    text = region(client, answered).content.decode()
    assert 'id="voice-data-voice"' in text
    assert "<form" not in text
    response = client.post(reverse("participants:voice_share", args=[answered.pk]),
                           {"shared": "on"})
    assert response.status_code == 404
    assert not Participant.objects.get(pk=answered.pk).voice_shared_with_provider


def test_another_offices_case_worker_gets_a_404(log_in, other_office_case_worker, answered):
    client = log_in(other_office_case_worker)
    assert region(client, answered).status_code == 404
    assert shared(client, answered).status_code == 404
    assert client.post(reverse("participants:voice_share", args=[answered.pk]),
                       {"shared": "on"}).status_code == 404
    assert not AccessLogEntry.objects.exists()


def test_provider_staff_see_no_answers_unless_shared(log_in, provider_staff, answered):
    client = log_in(provider_staff)
    assert region(client, answered).status_code == 404  # never the case worker's region
    text = shared(client, answered).content.decode()
    assert 'id="voice-shared"' in text and "<table" not in text
    assert "I feel joy in my life" not in text
    assert not AccessLogEntry.objects.filter(what=AccessKind.VOICE).exists()


def test_provider_staff_see_the_answers_once_shared(log_in, provider_staff, answered):
    Participant.objects.filter(pk=answered.pk).update(voice_shared_with_provider=True)
    text = shared(log_in(provider_staff), answered).content.decode()
    assert "I feel joy in my life" in text and text.count("<tr>") == 7
    entry = AccessLogEntry.objects.get(what=AccessKind.VOICE)
    assert entry.user == provider_staff and entry.participant_id == answered.pk


def test_another_providers_staff_see_nothing_even_when_shared(log_in, other_provider_staff,
                                                              answered):
    Participant.objects.filter(pk=answered.pk).update(voice_shared_with_provider=True)
    assert shared(log_in(other_provider_staff), answered).status_code == 404


def test_the_provider_enrollment_page_loads_the_shared_answers(log_in, provider_staff,
                                                               answered):
    enrollment = answered.enrollments.get()
    text = log_in(provider_staff).get(
        reverse("measures:provider_enrollment", args=[enrollment.pk])).content.decode()
    assert f'hx-get="{reverse("participants:voice_shared", args=[answered.pk])}"' in text


def test_the_region_reminds_of_a_baseline_due(log_in, case_worker, office):
    participant = factories.ParticipantFactory(office=office)
    started = timezone.localdate() - dt.timedelta(days=5)
    factories.EnrollmentFactory(participant=participant, referred_on=started,
                                started_on=started)
    text = region(log_in(case_worker), participant).content.decode()
    assert 'id="voice-reminder-baseline"' in text
    assert 'id="voice-reminder-final"' not in text


def test_the_region_reminds_of_a_final_answer_due(log_in, case_worker, office, voice):
    participant = factories.ParticipantFactory(office=office)
    today = timezone.localdate()
    factories.EnrollmentFactory(participant=participant, measure__name="Jobbhuset IPS",
                                referred_on=today - dt.timedelta(days=200),
                                started_on=today - dt.timedelta(days=190),
                                planned_end_on=today + dt.timedelta(days=10))
    factories.AnswerFactory(participant=participant, item=voice.items.get(code="joy"),
                            answered_on=today - dt.timedelta(days=185))
    text = region(log_in(case_worker), participant).content.decode()
    assert 'id="voice-reminder-final"' in text and "Jobbhuset IPS" in text
    assert 'id="voice-reminder-baseline"' not in text
