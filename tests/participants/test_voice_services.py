"""The participant's own voice: the questionnaires as data (texts per language, validation,
the built-in ``voice``), and the services that write answers, the share and the PIN."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from participants.models import Answer, Instrument, Participant, StaffProfile
from participants.services import voice as services
from tests import factories

pytestmark = pytest.mark.django_db

VOICE_CODES = ["joy", "self_belief", "mastery", "structure", "heard"]


@pytest.fixture
def participant(office):
    return factories.ParticipantFactory(office=office)


@pytest.fixture
def voice():
    return Instrument.objects.get(code="voice")


@pytest.fixture
def today():
    return timezone.localdate()


# The questionnaires


def test_the_built_in_voice_has_five_items_scored_1_to_5_in_four_languages(voice):
    assert voice.built_in and (voice.scale_min, voice.scale_max) == (1, 5)
    assert [item.code for item in voice.items.order_by("position")] == VOICE_CODES
    assert voice.offered_languages() == ["nb", "da", "sv", "en"]
    for item in voice.items.all():
        texts = [item.text_nb, item.text_da, item.text_sv, item.text_en]
        assert all(texts) and len(set(texts)) == 4, item.code
    joy = voice.items.get(code="joy")
    assert joy.text_in("nb") == "Jeg kjenner glede i livet mitt"
    assert joy.text_in("sv") == "Jag känner glädje i mitt liv"
    assert voice.low_label_in("da") == "Slet ikke" and voice.high_label_in("en") == "Very much"
    voice.full_clean()  # the built-in instrument passes its own validation
    for item in voice.items.all():
        item.full_clean()


def test_a_language_the_instrument_does_not_offer_falls_back_to_english():
    instrument = factories.InstrumentFactory(languages="nb,en", name_da="")
    item = factories.InstrumentItemFactory(instrument=instrument, text_en="Sleep",
                                           text_nb="Søvn", text_da="")
    assert instrument.language_for("da") == "en"
    assert item.text_in("da") == "Sleep" and item.text_in("nb") == "Søvn"
    assert instrument.name_in("da") == instrument.name_en


def test_an_item_needs_a_text_in_every_language_its_instrument_offers():
    instrument = factories.InstrumentFactory(languages="nb,sv,en")
    item = factories.InstrumentItemFactory.build(instrument=instrument, text_sv="")
    with pytest.raises(ValidationError) as caught:
        item.full_clean()
    assert set(caught.value.message_dict) == {"text_sv"}
    item.text_da = ""  # not offered: not required
    item.text_sv = "Sömn"
    item.full_clean()


@pytest.mark.parametrize(("fields", "field"), [
    ({"languages": "nb,da"}, "languages"),  # English is always offered
    ({"languages": "nb,fi,en"}, "languages"),
    ({"scale_min": 3, "scale_max": 3}, "scale_max"),
    ({"scale_min": -1, "scale_max": 3}, "scale_max"),
    ({"scale_min": 0, "scale_max": 11}, "scale_max"),  # 12 buttons do not fit
    ({"name_sv": ""}, "name_sv"),
    ({"low_label_nb": ""}, "low_label_nb"),
])
def test_an_instrument_is_validated(fields, field):
    instrument = factories.InstrumentFactory.build(code="wellbeing", **fields)
    with pytest.raises(ValidationError) as caught:
        instrument.full_clean()
    assert field in caught.value.message_dict


def test_a_scale_cannot_be_narrowed_below_answers_already_given(participant):
    answer = factories.AnswerFactory(participant=participant, score=5,
                                     item__instrument__scale_max=5)
    instrument = answer.item.instrument
    instrument.scale_max = 4
    with pytest.raises(ValidationError, match="outside this scale"):
        instrument.full_clean()
    instrument.scale_max = 7
    instrument.full_clean()


# Answers


def test_an_answer_is_saved_once_per_item_and_day_and_replaced_by_a_new_click(
        case_worker, participant, voice, today):
    joy = voice.items.get(code="joy")
    services.answer_record(participant=participant, item=joy, score=2, answered_on=today,
                           user=case_worker)
    services.answer_record(participant=participant, item=joy, score=4, answered_on=today,
                           user=case_worker)
    assert list(Answer.objects.values_list("score", flat=True)) == [4]


def test_answers_given_before_an_interruption_are_kept(case_worker, participant, voice, today):
    items = list(voice.items.order_by("position"))
    for item, score in zip(items[:3], [3, 4, 5], strict=True):
        services.answer_record(participant=participant, item=item, score=score,
                               answered_on=today, user=case_worker)
    # ... the session stops here; the three answers are there, the rest is unanswered.
    assert dict(Answer.objects.values_list("item__code", "score")) == {
        "joy": 3, "self_belief": 4, "mastery": 5}


@pytest.mark.parametrize("score", [0, 6, -3])
def test_a_score_outside_the_scale_is_refused(case_worker, participant, voice, today, score):
    with pytest.raises(ValidationError, match="from 1 to 5"):
        services.answer_record(participant=participant, item=voice.items.first(), score=score,
                               answered_on=today, user=case_worker)
    assert not Answer.objects.exists()


def test_an_answer_cannot_be_dated_in_the_future(case_worker, participant, voice, today):
    with pytest.raises(ValidationError):
        services.answer_record(participant=participant, item=voice.items.first(), score=3,
                               answered_on=today + dt.timedelta(days=1), user=case_worker)
    assert not Answer.objects.exists()


def test_only_those_who_may_change_the_participant_record_answers(
        other_office_case_worker, project_lead, participant, voice, today):
    participant.project.leads.add(project_lead)
    for user in (other_office_case_worker, project_lead):
        with pytest.raises(PermissionDenied):
            services.answer_record(participant=participant, item=voice.items.first(),
                                   score=3, answered_on=today, user=user)
    assert not Answer.objects.exists()


# Participant mode, sharing, the PIN


def test_opening_participant_mode_keeps_the_chosen_language(case_worker, participant, voice):
    participant.language = "nb"
    participant.save()
    services.participant_mode_start(participant=participant, instrument=voice, language="sv",
                                    user=case_worker)
    participant.refresh_from_db()
    assert participant.language == "sv"
    assert participant.history.first().language == "sv"


def test_a_questionnaire_without_questions_cannot_be_opened(case_worker, participant):
    empty = factories.InstrumentFactory()
    with pytest.raises(ValidationError, match="no questions"):
        services.participant_mode_start(participant=participant, instrument=empty,
                                        language="nb", user=case_worker)


def test_a_participant_without_a_language_of_their_own_speaks_the_sites(settings):
    participant = factories.ParticipantFactory()
    assert participant.language == ""
    settings.LANGUAGE_CODE = "da"
    assert participant.spoken_language() == "da"
    settings.LANGUAGE_CODE = "de"  # none of the four: Norwegian
    assert participant.spoken_language() == "nb"
    participant.language = "sv"
    assert participant.spoken_language() == "sv"


def test_a_participant_written_by_raw_sql_gets_no_language_and_no_share(participant):
    """The bundle import and the synthetic data insert rows with SQL of their own: the
    database's defaults fill the new columns."""
    from django.db import connection

    table = Participant._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (ref, given_name, family_name, national_id, "  # noqa: S608
            "national_id_hash, national_id_country, birth_year, gender, "
            "immigrant_background, project_id, office_id, created_at, updated_at) "
            "VALUES ('P-RAW', '', '', '', '', '', 1990, 'female', %s, %s, %s, %s, %s)",
            [False, participant.project_id, participant.office_id, timezone.now(),
             timezone.now()])
    raw = Participant.objects.get(ref="P-RAW")
    assert raw.language == "" and raw.voice_shared_with_provider is False


def test_sharing_with_the_provider_is_recorded_in_the_history(case_worker, participant):
    services.voice_share_set(participant=participant, shared=True, user=case_worker)
    participant.refresh_from_db()
    assert participant.voice_shared_with_provider
    assert participant.history.first().voice_shared_with_provider  # who: see the view test
    services.voice_share_set(participant=participant, shared=False, user=case_worker)
    assert not Participant.objects.get(pk=participant.pk).voice_shared_with_provider


def test_a_project_lead_cannot_share(project_lead, participant):
    participant.project.leads.add(project_lead)
    with pytest.raises(PermissionDenied):
        services.voice_share_set(participant=participant, shared=True, user=project_lead)
    assert not Participant.objects.get(pk=participant.pk).voice_shared_with_provider


def test_the_pin_is_stored_hashed_and_needs_the_password(case_worker):
    with pytest.raises(ValidationError, match="not your password"):
        services.participant_mode_pin_set(user=case_worker, pin="4321", password="wrong")
    assert not services.participant_mode_has_pin(case_worker)
    services.participant_mode_pin_set(user=case_worker, pin="4321",
                                      password=factories.PASSWORD)
    stored = StaffProfile.objects.get(user=case_worker).participant_mode_pin
    assert stored and "4321" not in stored
    assert services.participant_mode_pin_matches(user=case_worker, pin="4321")
    assert not services.participant_mode_pin_matches(user=case_worker, pin="1234")


@pytest.mark.parametrize("pin", ["123", "123456789", "12a4"])
def test_a_pin_is_4_to_8_digits(case_worker, pin):
    with pytest.raises(ValidationError, match="4 to 8 digits"):
        services.participant_mode_pin_set(user=case_worker, pin=pin,
                                          password=factories.PASSWORD)
    assert not services.participant_mode_has_pin(case_worker)


def test_provider_staff_cannot_set_a_pin(provider_staff):
    with pytest.raises(PermissionDenied):
        services.participant_mode_pin_set(user=provider_staff, pin="4321",
                                          password=factories.PASSWORD)
