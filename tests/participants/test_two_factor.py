"""Two-factor sign-in for administrators and project leads: set up once with a QR code,
then a code after every password; until then nothing else answers them."""

import pytest
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests import factories
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

SETUP = reverse("participants:two_factor_setup")
VERIFY = reverse("participants:two_factor_verify")
DASHBOARD = reverse("evaluations:dashboard")


def password_only(user) -> Client:
    client = Client()
    assert client.login(request=HttpRequest(), username=user.username, password=PASSWORD)
    return client


def code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.mark.parametrize("role_fixture", ["project_lead", "administrator"])
def test_without_a_device_every_page_leads_to_the_set_up(request, role_fixture):
    client = password_only(request.getfixturevalue(role_fixture))
    response = client.get(DASHBOARD)
    assert response.status_code == 302 and response["Location"].startswith(SETUP)
    assert client.get(reverse("admin:index"))["Location"].startswith(SETUP)
    htmx = client.get(DASHBOARD, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 204 and htmx["HX-Redirect"].startswith(SETUP)


def test_setting_up_takes_a_code_from_the_app_and_then_the_pages_open(project_lead):
    client = password_only(project_lead)
    page = client.get(SETUP + "?next=" + DASHBOARD)
    assert b"<svg" in page.content and page.context["secret"]
    device = TOTPDevice.objects.get(user=project_lead, confirmed=False)
    wrong = client.post(SETUP, {"token": "000000" if code(device) != "000000" else "111111",
                                "next": DASHBOARD})
    assert wrong.status_code == 400 and b"The code is not right" in wrong.content
    device.refresh_from_db()
    device.throttle_reset()  # a wrong code makes the next try wait a second or more
    right = client.post(SETUP, {"token": code(device), "next": DASHBOARD})
    assert right.status_code == 302 and right["Location"] == DASHBOARD
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(DASHBOARD).status_code == 200


def test_with_a_device_the_code_is_asked_after_every_password(administrator):
    device = factories.totp_device(administrator)
    client = password_only(administrator)
    response = client.get(DASHBOARD)
    assert response["Location"].startswith(VERIFY)
    assert client.post(VERIFY, {"token": "12345x"}).status_code == 400
    assert client.get(DASHBOARD).status_code == 302  # still not in
    device.refresh_from_db()
    device.throttle_reset()
    response = client.post(VERIFY, {"token": code(device), "next": DASHBOARD})
    assert response["Location"] == DASHBOARD
    assert client.get(DASHBOARD).status_code == 200


@pytest.mark.parametrize("back", ["https://evil.example/", "zz-junk"])
def test_a_code_from_elsewhere_never_leads_off_the_site(administrator, back):
    device = factories.totp_device(administrator)
    client = password_only(administrator)
    response = client.post(VERIFY, {"token": code(device), "next": back})
    assert response["Location"] == "/"


def test_case_workers_are_not_asked_for_a_second_factor(case_worker):
    client = password_only(case_worker)
    assert client.get(reverse("participants:caseload")).status_code == 200


def test_signing_out_and_the_language_switch_stay_open(project_lead):
    client = password_only(project_lead)
    assert client.post(reverse("set_language"), {"language": "nb"}).status_code == 302
    assert client.post(reverse("logout"))["Location"] == reverse("login")


def test_without_the_requirement_nobody_is_stopped(settings, project_lead):
    settings.REQUIRE_TWO_FACTOR = False
    assert password_only(project_lead).get(DASHBOARD).status_code == 200


def test_wrong_codes_slow_the_next_tries_down(administrator):
    device = factories.totp_device(administrator)
    client = password_only(administrator)
    wrong = "000001" if code(device) != "000001" else "000002"
    client.post(VERIFY, {"token": wrong})
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    # Even the right code waits until the delay has passed.
    assert client.post(VERIFY, {"token": code(device)}).status_code == 400
