import pytest

from tests.factories import PASSWORD, ParticipantFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_case_worker_signs_in_lands_on_caseload_and_switches_language(
    live_server, page, case_worker
):
    participant = ParticipantFactory(office=case_worker.staff_profile.office,
                                     primary_case_worker=case_worker,
                                     given_name="Kari", family_name="Nordmann")
    page.goto(live_server.url + "/")
    page.fill("input[name=username]", case_worker.username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("form button[type=submit]")
    page.wait_for_url("**/caseload/")
    assert participant.ref in page.inner_text("#caseload-results")
    assert page.locator("link[href*='vendor/bootstrap.min.css']").count() == 1

    with page.expect_navigation():
        page.select_option("#language-select", "sv")
    assert page.get_attribute("html", "lang") == "sv"
    assert participant.ref in page.inner_text("#caseload-results")
