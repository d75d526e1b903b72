"""Administrators keep the questionnaires in the admin: an instrument with its items and
their texts per language on one page, validated; the built-in ``voice`` is read-only."""

import pytest
from django.urls import reverse

from participants.models import Instrument, InstrumentItem
from tests import factories

pytestmark = pytest.mark.django_db

ADD = reverse("admin:participants_instrument_add")


def form(**changes):
    data = {
        "code": "wellbeing", "languages": ["nb", "en"], "scale_min": "0", "scale_max": "4",
        "name_en": "Well-being", "name_nb": "Trivsel", "name_da": "", "name_sv": "",
        "low_label_en": "Never", "low_label_nb": "Aldri", "high_label_en": "Always",
        "high_label_nb": "Alltid",
        "items-TOTAL_FORMS": "1", "items-INITIAL_FORMS": "0", "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        "items-0-code": "sleep", "items-0-position": "1", "items-0-text_en": "I sleep well",
        "items-0-text_nb": "Jeg sover godt", "items-0-text_da": "", "items-0-text_sv": "",
    }
    data.update(changes)
    return data


def test_administrator_adds_a_questionnaire_with_its_texts(log_in, administrator):
    response = log_in(administrator).post(ADD, form())
    assert response.status_code == 302, response.content.decode()[:2000]
    instrument = Instrument.objects.get(code="wellbeing")
    assert instrument.offered_languages() == ["nb", "en"] and not instrument.built_in
    item = instrument.items.get()
    assert item.text_in("nb") == "Jeg sover godt" and item.text_in("sv") == "I sleep well"


def test_an_item_without_a_text_in_an_offered_language_is_refused(log_in, administrator):
    response = log_in(administrator).post(ADD, form(**{"items-0-text_nb": ""}))
    assert response.status_code == 200
    assert "Required: the instrument is offered in this language." in response.content.decode()
    assert not Instrument.objects.filter(code="wellbeing").exists()


def test_offering_a_language_makes_its_texts_required(log_in, administrator):
    response = log_in(administrator).post(ADD, form(languages=["nb", "sv", "en"]))
    assert response.status_code == 200
    assert not Instrument.objects.filter(code="wellbeing").exists()


def test_english_is_always_offered(log_in, administrator):
    response = log_in(administrator).post(ADD, form(languages=["nb"]))
    assert response.status_code == 200 and "English (en) is always offered" in (
        response.content.decode())
    assert not Instrument.objects.filter(code="wellbeing").exists()


def test_the_built_in_questionnaire_is_shown_but_not_changed(log_in, administrator):
    voice = Instrument.objects.get(code="voice")
    client = log_in(administrator)
    change = reverse("admin:participants_instrument_change", args=[voice.pk])
    page = client.get(change)
    assert page.status_code == 200 and "Jeg kjenner glede i livet mitt" in page.content.decode()
    assert 'name="name_en"' not in page.content.decode()  # read-only
    response = client.post(change, {**form(code="voice"), "name_en": "Changed"})
    assert response.status_code == 403
    delete = reverse("admin:participants_instrument_delete", args=[voice.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    item = voice.items.get(code="joy")
    item_change = reverse("admin:participants_instrumentitem_change", args=[item.pk])
    assert client.post(item_change, {"code": "joy", "text_en": "Changed"}).status_code == 403
    assert Instrument.objects.get(code="voice").name_en == "My own view"
    assert InstrumentItem.objects.get(pk=item.pk).text_en == "I feel joy in my life"


def test_case_workers_do_not_reach_the_questionnaires(log_in, case_worker):
    assert log_in(case_worker).get(ADD).status_code in (302, 403, 404)


def test_a_language_no_longer_offered_needs_no_texts(log_in, administrator):
    instrument = factories.InstrumentFactory(code="wellbeing", languages="nb,da,sv,en")
    item = factories.InstrumentItemFactory(instrument=instrument, code="sleep")
    change = reverse("admin:participants_instrument_change", args=[instrument.pk])
    response = log_in(administrator).post(change, form(**{
        "items-INITIAL_FORMS": "1", "items-0-id": str(item.pk),
        "items-0-instrument": str(instrument.pk), "items-0-text_sv": ""}))
    assert response.status_code == 302
    instrument.refresh_from_db()
    item.refresh_from_db()
    assert instrument.offered_languages() == ["nb", "en"] and item.text_sv == ""
    assert item.text_in("sv") == "I sleep well"
