"""A case worker hands a participant to a colleague: the form is fetched when opened, and
the new name replaces the old one on the page and in the header."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from participants.models import Participant
from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_case_worker_hands_a_participant_to_a_colleague(live_server, page, sign_in):
    office = factories.OfficeFactory(name="NAV Lade")
    ingrid = factories.CaseWorkerFactory(username="ingrid", first_name="Ingrid",
                                         last_name="Berg", staff_profile__office=office)
    turid = factories.CaseWorkerFactory(first_name="Turid", last_name="Aas",
                                        staff_profile__office=office)
    sigrid = factories.ParticipantFactory(given_name="Sigrid", family_name="Haugen",
                                          office=office, primary_case_worker=ingrid)

    sign_in(page, ingrid)
    page.goto(live_server.url + reverse("participants:detail", args=[sigrid.pk]))
    expect(page.locator("#primary-case-worker-name")).to_have_text("Ingrid Berg")
    expect(page.locator("#case-worker-form")).to_have_count(0)

    page.locator("#case-worker-toggle summary").click()
    form = page.locator("#case-worker-form")
    form.get_by_label("New primary case worker").select_option(label="Turid Aas")
    form.get_by_role("button", name="Change primary case worker").click()

    expect(page.locator("#case-worker-form [role=status]")).to_have_text(
        "Primary case worker changed.")
    expect(page.locator("#primary-case-worker-name")).to_have_text("Turid Aas")
    expect(page.locator("#participant-header")).to_contain_text("Turid Aas")
    page.wait_for_function("() => !document.querySelector('.htmx-request')")
    assert Participant.objects.get(pk=sigrid.pk).primary_case_worker == turid
