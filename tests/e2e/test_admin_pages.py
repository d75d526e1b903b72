"""The administrator's pages (Django's admin, the change history, the access log) obey the
Content-Security-Policy too: the autouse check in conftest.py fails on any violation."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from rehab.roles import Role
from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_administrator_pages_load_without_breaking_the_policy(live_server, migration_data,
                                                              page, sign_in):
    administrator = factories.UserFactory(username="ada", roles=[Role.ADMINISTRATOR])
    participant = factories.ParticipantFactory(family_name="Nordmann")
    participant.family_name = "Nordmann-Berg"
    participant.save()
    sign_in(page, administrator)
    for url in (reverse("admin:index"),
                reverse("admin:participants_participant_changelist"),
                reverse("admin:participants_participant_change", args=[participant.pk]),
                reverse("admin:participants_participant_history", args=[participant.pk]),
                reverse("admin:participants_accesslogentry_changelist"),
                reverse("participants:access_log")):
        page.goto(live_server.url + url)
        page.wait_for_load_state("networkidle")
        expect(page.locator("body")).not_to_contain_text("Server Error")
