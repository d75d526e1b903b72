"""A region that cannot be loaded says why instead of staying as it was, and a session
that ended while the page was open leads to the login page, not into the region."""

import re

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from playwright.sync_api import expect

from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def participant_page(live_server, page, sign_in):
    office = factories.OfficeFactory()
    ingrid = factories.CaseWorkerFactory(staff_profile__office=office)
    factories.CaseWorkerFactory(first_name="Turid", last_name="Aas",
                                staff_profile__office=office)
    sigrid = factories.ParticipantFactory(office=office, primary_case_worker=ingrid)
    sign_in(page, ingrid)
    url = live_server.url + reverse("participants:detail", args=[sigrid.pk])
    page.goto(url)
    return url


def test_a_refused_region_says_so(page, participant_page):
    page.route(re.compile(r".*/case-worker/form/$"),
               lambda route: route.fulfill(status=403, body="refused"))
    page.locator("#case-worker-toggle summary").click()
    problem = page.locator("#request-problem")
    expect(problem).to_be_visible()
    expect(problem).to_have_text(
        "That was refused: you do not have access to it. Nothing was changed.")


def test_a_region_elsewhere_that_loads_afterwards_does_not_hide_the_message(page,
                                                                            participant_page):
    page.wait_for_load_state("networkidle")
    page.route(re.compile(r".*/case-worker/form/$"),
               lambda route: route.fulfill(status=403, body="refused"))
    page.locator("#case-worker-toggle summary").click()
    problem = page.locator("#request-problem")
    expect(problem).to_be_visible()

    # As when a region that loads by itself finishes after the refusal.
    with page.expect_response(re.compile(r".*/goals/$")):
        page.evaluate("htmx.trigger('#goals', 'goals-changed')")

    expect(page.locator("#goals")).to_be_visible()
    expect(problem).to_be_visible()


def test_a_form_sent_from_an_expired_page_says_so_and_changes_nothing(page,
                                                                     participant_page):
    office_worker = page.locator("#primary-case-worker-name").inner_text()
    page.locator("#case-worker-toggle summary").click()
    form = page.locator("#case-worker-form")
    form.get_by_label("New primary case worker").select_option(label="Turid Aas")
    # Every answer that renders a form sends the token's cookie again: one of the regions
    # that load by themselves, answered after the cookie was cleared, would put it back.
    page.wait_for_load_state("networkidle")
    # As after the browser lost its cookies: the page's token matches nothing.
    page.context.clear_cookies(name="csrftoken")
    form.get_by_role("button", name="Change primary case worker").click()
    expect(page.locator("#request-problem")).to_have_text(
        "The page has expired, and nothing was saved. Reload the page and try again.")
    expect(page.locator("#primary-case-worker-name")).to_have_text(office_worker)


def test_a_session_that_ended_leads_to_the_login_page(page, participant_page):
    page.wait_for_load_state("networkidle")  # the regions that load by themselves, loaded
    Session.objects.all().delete()  # ended on the server; the browser still has its cookie
    page.locator("#case-worker-toggle summary").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=%2Fparticipants%2F\d+%2F$"))
    expect(page.locator("#case-worker-toggle")).to_have_count(0)
    expect(page.get_by_role("status")).to_contain_text(
        "You were signed out after 30 minutes without activity.")
