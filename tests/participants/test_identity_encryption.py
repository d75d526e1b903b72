"""National identity numbers: stored encrypted, found by a keyed hash, shown masked except
to the participant's own case worker on request (and that request is logged)."""

from importlib import import_module

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from evaluations.exchange.importer import import_bundle
from participants.encryption import decrypt, lookup_hash
from participants.models import AccessKind, AccessLogEntry, Participant
from participants.services.registration import _refuse_known_number
from tests import factories
from tests.conftest import EXAMPLE_BUNDLE

pytestmark = pytest.mark.django_db

NUMBER = "05106003736"


@pytest.fixture
def participant(office, case_worker):
    return factories.ParticipantFactory(office=office, primary_case_worker=case_worker,
                                        national_id=NUMBER, national_id_country="NO")


def stored_columns(participant_id):
    with connection.cursor() as cursor:
        cursor.execute("SELECT national_id, national_id_hash FROM participants_participant "
                       "WHERE id = %s", [participant_id])
        return cursor.fetchone()


def test_the_number_is_stored_encrypted_and_read_back_in_clear(participant):
    token, number_hash = stored_columns(participant.pk)
    assert NUMBER not in token and decrypt(token) == NUMBER
    assert number_hash == lookup_hash("NO", NUMBER)
    assert Participant.objects.get(pk=participant.pk).national_id == NUMBER


def test_the_history_holds_the_number_encrypted_too(participant):
    with connection.cursor() as cursor:
        cursor.execute("SELECT national_id FROM participants_historicalparticipant "
                       "WHERE id = %s", [participant.pk])
        assert all(NUMBER not in token for (token,) in cursor.fetchall())


def test_a_known_number_is_found_by_its_hash(participant, case_worker):
    with pytest.raises(ValidationError, match="already registered"):
        _refuse_known_number(user=case_worker, national_id=NUMBER, country="NO")
    _refuse_known_number(user=case_worker, national_id="12107310787", country="NO")


def test_the_lookup_hash_depends_on_the_key(settings):
    first = lookup_hash("NO", NUMBER)
    settings.IDENTITY_LOOKUP_KEY = "another-key"
    assert lookup_hash("NO", NUMBER) != first


def test_numbers_stored_in_clear_before_are_encrypted_by_the_migration(participant):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE participants_participant SET national_id = %s, "
                       "national_id_hash = '' WHERE id = %s", [NUMBER, participant.pk])
    migration = import_module("participants.migrations.0006_encrypted_identity_numbers")
    migration.encrypt_stored_numbers(None, connection.schema_editor())
    token, number_hash = stored_columns(participant.pk)
    assert token != NUMBER and decrypt(token) == NUMBER
    assert number_hash == lookup_hash("NO", NUMBER)


def test_others_see_the_number_masked(log_in, project_lead, participant):
    participant.project.leads.add(project_lead)
    page = log_in(project_lead).get(reverse("participants:detail", args=[participant.pk]))
    text = page.content.decode()
    assert NUMBER not in text and "051060*****" in text
    assert "reveal-national-id" not in text


def test_the_case_worker_sees_the_whole_number_on_request_and_it_is_logged(
    log_in, case_worker, participant
):
    client = log_in(case_worker)
    page = client.get(reverse("participants:detail", args=[participant.pk]))
    assert NUMBER not in page.content.decode() and "reveal-national-id" in page.content.decode()
    response = client.post(reverse("participants:national_id", args=[participant.pk]),
                           HTTP_HX_REQUEST="true")
    assert NUMBER in response.content.decode()
    assert AccessLogEntry.objects.filter(participant_id=participant.pk,
                                         what=AccessKind.IDENTITY_NUMBER).count() == 1


def test_a_colleague_of_the_office_cannot_reveal_the_number(log_in, office, participant):
    colleague = factories.CaseWorkerFactory(staff_profile__office=office)
    response = log_in(colleague).post(reverse("participants:national_id",
                                              args=[participant.pk]))
    assert response.status_code == 404
    assert not AccessLogEntry.objects.filter(what=AccessKind.IDENTITY_NUMBER).exists()


def test_an_import_again_keeps_the_stored_token(example):
    """Encryption is not deterministic; an unchanged number keeps its token, so a second
    import of the same bundle changes nothing."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT ref, national_id FROM participants_participant "
                       "WHERE national_id <> '' ORDER BY ref")
        before = cursor.fetchall()
    import_bundle(EXAMPLE_BUNDLE)
    with connection.cursor() as cursor:
        cursor.execute("SELECT ref, national_id FROM participants_participant "
                       "WHERE national_id <> '' ORDER BY ref")
        assert cursor.fetchall() == before
    assert before and all(token.startswith("gAAAA") for _ref, token in before)
