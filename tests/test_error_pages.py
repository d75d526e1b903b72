"""Refusals, missing pages and failures answer with the application's own page, in the
user's language, and an htmx request whose session has ended goes to the login page."""

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import path, reverse

from rehab.urls import urlpatterns as site_urls

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.test_error_pages")]


def refuse(request):
    raise PermissionDenied


def fail(request):
    raise RuntimeError("the database went away")


urlpatterns = [path("test-refuse/", refuse), path("test-fail/", fail), *site_urls]


def test_a_refusal_answers_with_the_sites_page_in_the_users_language(client, case_worker):
    client.force_login(case_worker)
    response = client.get("/test-refuse/", headers={"accept-language": "nb"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Ingen tilgang" in page and 'id="main-nav"' in page


def test_a_missing_page_answers_with_the_sites_page(client, case_worker):
    client.force_login(case_worker)
    response = client.get("/no-such-page/", headers={"accept-language": "sv"})
    assert response.status_code == 404
    assert "Hittades inte" in response.content.decode()


def test_an_expired_form_says_that_nothing_was_saved(case_worker):
    client = Client(enforce_csrf_checks=True)
    client.force_login(case_worker)
    response = client.post(reverse("participants:register"), {"given_name": "Kari"},
                           headers={"accept-language": "da"})
    assert response.status_code == 403
    assert "Intet blev gemt" in response.content.decode()
    assert response["X-Form-Expired"] == "1"  # rehab.js tells it from a refusal


def test_a_server_error_answers_with_a_page_of_its_own(case_worker):
    client = Client(raise_request_exception=False)
    client.force_login(case_worker)
    response = client.get("/test-fail/", headers={"accept-language": "nb"})
    assert response.status_code == 500
    assert "Noe gikk galt" in response.content.decode()


def test_an_htmx_request_after_the_session_ended_sends_the_browser_to_the_login_page(client):
    page = "http://testserver/participants/7/?tab=plan"
    response = client.get(reverse("participants:detail", args=[7]),
                          headers={"hx-request": "true", "hx-current-url": page})
    assert response.status_code == 204
    assert response["HX-Redirect"] == (
        reverse("login") + "?next=%2Fparticipants%2F7%2F%3Ftab%3Dplan")


def test_an_htmx_request_from_another_site_is_sent_to_the_plain_login_page(client):
    response = client.get(reverse("participants:detail", args=[7]),
                          headers={"hx-request": "true",
                                   "hx-current-url": "https://elsewhere.example/x"})
    assert response["HX-Redirect"] == reverse("login")


def test_an_ordinary_request_after_the_session_ended_is_redirected_as_before(client):
    response = client.get(reverse("participants:detail", args=[7]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_language_menu_names_each_language_in_its_own_words(client):
    page = client.get(reverse("login"), headers={"accept-language": "en"}).content.decode()
    for own_name in ("Norsk (bokmål)", "Dansk", "Svenska", "English"):
        assert f">{own_name}</option>" in page


SIGNED_OUT = "You were signed out after 30 minutes without activity."


def _session_ended_in(client):
    """As a browser finds it after the idle timeout: the session is gone on the server
    and its cookie expired in the browser."""
    Session.objects.all().delete()
    del client.cookies[settings.SESSION_COOKIE_NAME]


def test_the_login_page_says_when_a_session_ended(log_in, case_worker):
    client = log_in(case_worker)
    client.get(reverse("participants:caseload"))
    _session_ended_in(client)
    response = client.get(reverse("participants:detail", args=[7]), follow=True)
    assert response.request["PATH_INFO"] == reverse("login")
    assert SIGNED_OUT in response.content.decode()
    again = client.get(reverse("participants:detail", args=[7]), follow=True)
    assert SIGNED_OUT not in again.content.decode()  # said once


def test_a_first_visit_is_not_told_about_a_session(client):
    response = client.get(reverse("participants:detail", args=[7]), follow=True)
    assert SIGNED_OUT not in response.content.decode()


def test_after_an_htmx_request_the_login_page_says_the_session_ended(log_in, case_worker):
    client = log_in(case_worker)
    client.get(reverse("participants:caseload"))
    _session_ended_in(client)
    response = client.get(reverse("participants:detail", args=[7]),
                          headers={"hx-request": "true"})
    assert response.status_code == 204
    assert SIGNED_OUT in client.get(response["HX-Redirect"]).content.decode()


def test_signing_out_is_not_taken_for_a_session_that_ended(log_in, case_worker):
    client = log_in(case_worker)
    client.get(reverse("participants:caseload"))
    response = client.post(reverse("logout"), follow=True)
    assert response.request["PATH_INFO"] == reverse("login")
    assert SIGNED_OUT not in response.content.decode()
    later = client.get(reverse("participants:detail", args=[7]), follow=True)
    assert SIGNED_OUT not in later.content.decode()
