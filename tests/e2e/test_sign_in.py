import pytest

from tests.factories import PASSWORD, ParticipantFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_case_worker_signs_in_and_sees_office_participants_in_chosen_language(
    live_server, page, case_worker
):
    participant = ParticipantFactory(office=case_worker.staff_profile.office,
                                     given_name="Kari", family_name="Nordmann")
    page.goto(live_server.url + "/")
    page.fill("input[name=username]", case_worker.username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("form button[type=submit]")
    assert participant.ref in page.inner_text("#participants")
    assert page.locator("link[href*='vendor/bootstrap.min.css']").count() == 1

    with page.expect_navigation():
        page.select_option("#language-select", "sv")
    assert page.get_attribute("html", "lang") == "sv"
    page.wait_for_selector("#projects-region table, #projects-region p")
