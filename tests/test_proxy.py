"""The client's address behind reverse proxies (rehab/proxy.py): what the sign-in lockout
counts by and what the access log keeps."""

import pytest
from django.conf import settings
from django.urls import reverse

from participants.models import AccessLogEntry
from rehab.proxy import client_address_from
from tests import factories

PROXY = "172.18.0.1"
LOGIN = reverse("login")


@pytest.mark.parametrize(("header", "proxies", "client"), [
    ("203.0.113.7", 1, "203.0.113.7"),
    # The client wrote an address of its own; the proxy appended the real one.
    ("198.51.100.1, 203.0.113.7", 1, "203.0.113.7"),
    ("198.51.100.1, 203.0.113.7, 10.0.0.2", 2, "203.0.113.7"),
    (" 2001:db8::7 ", 1, "2001:db8::7"),
    ("203.0.113.7", 0, None),
    ("", 1, None),
    ("203.0.113.7", 2, None),  # fewer entries than proxies: not through them all
    ("not-an-address", 1, None),
    ("203.0.113.7, unknown", 1, None),
])
def test_the_client_is_the_entry_the_outermost_trusted_proxy_added(header, proxies, client):
    assert client_address_from(header, proxies) == client


def sign_in(client, password, *, through):
    return client.post(LOGIN, {"username": "case_worker", "password": password},
                       REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=through)


@pytest.mark.django_db
def test_behind_a_proxy_a_lockout_is_for_the_client_not_for_everyone(client, case_worker,
                                                                    settings):
    settings.PROXY_COUNT = 1
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "wrong", through="198.51.100.9, 203.0.113.7")

    assert sign_in(client, factories.PASSWORD, through="203.0.113.7").status_code == 429
    # Another client, through the same proxy, signs in: before, every request came from
    # the proxy's address and one client locked the user out for all.
    assert sign_in(client, factories.PASSWORD, through="203.0.113.8").status_code == 302


@pytest.mark.django_db
def test_behind_a_proxy_the_access_log_keeps_the_clients_address(log_in, case_worker,
                                                                 settings):
    settings.PROXY_COUNT = 1
    participant = factories.ParticipantFactory(
        office=case_worker.staff_profile.office, primary_case_worker=case_worker)
    log_in(case_worker).get(reverse("participants:detail", args=[participant.pk]),
                            REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.7")

    assert AccessLogEntry.objects.latest("pk").address == "203.0.113.7"


@pytest.mark.django_db
def test_without_proxies_the_header_is_ignored(log_in, case_worker):
    assert settings.PROXY_COUNT == 0
    participant = factories.ParticipantFactory(
        office=case_worker.staff_profile.office, primary_case_worker=case_worker)
    log_in(case_worker).get(reverse("participants:detail", args=[participant.pk]),
                            REMOTE_ADDR="192.0.2.4", HTTP_X_FORWARDED_FOR="203.0.113.7")

    assert AccessLogEntry.objects.latest("pk").address == "192.0.2.4"
