"""A participant answers the built-in questionnaire in participant mode on a telephone-sized
touch screen, and the case worker comes back with their password.

The case worker opens participant mode from the participant's page; the participant sees
only the questions, in Norwegian, taps the answers (each saved at once), uses the keyboard
for one, and is interrupted (the page reloads) without losing anything. Every other
address leads back to the questions. A wrong password changes nothing; the right one
returns to the participant's page, where the answers are a chart and a table.
"""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from participants.models import Answer, Instrument
from tests import factories
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser, live_server):
    """A telephone: small viewport, touch, the same language and clock as the other tests."""
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True,
                                  device_scale_factor=1, locale="en-GB",
                                  timezone_id="Europe/Oslo", reduced_motion="reduce")
    page = context.new_page()
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    yield page
    context.close()
    assert violations == []


def test_participant_answers_on_a_phone_and_the_case_worker_returns(
        phone, live_server, sign_in, migration_data, screenshot):
    office = factories.OfficeFactory(code="nav-lade", name="NAV Lade")
    ingrid = factories.CaseWorkerFactory(username="ingrid", first_name="Ingrid",
                                         last_name="Berg", staff_profile__office=office)
    started = timezone.localdate() - dt.timedelta(days=6)
    sigrid = factories.ParticipantFactory(office=office, given_name="Sigrid",
                                          family_name="Moen", primary_case_worker=ingrid,
                                          language="en")
    factories.EnrollmentFactory(participant=sigrid, referred_on=started, started_on=started)
    voice = Instrument.objects.get(code="voice")
    items = {item.code: item for item in voice.items.all()}
    page = phone
    sign_in(page, ingrid)

    page.goto(live_server.url + reverse("participants:detail", args=[sigrid.pk]))
    region = page.locator("#voice")
    expect(region.locator("#voice-reminder-baseline")).to_be_visible()
    region.get_by_text("Let the participant answer (participant mode)").click()
    region.get_by_label("The participant's language").select_option("nb")
    with page.expect_navigation():
        region.get_by_role("button", name="Open participant mode").click()

    # Only the questions, in Norwegian, large enough for a finger.
    expect(page.get_by_role("heading", name="Min egen vurdering")).to_be_visible()
    expect(page.locator("nav")).to_have_count(0)
    expect(page.get_by_text("Moen")).to_have_count(0)
    button = page.locator(f"label[for=score-{items['joy'].pk}-4]")
    box = button.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44  # a touch target

    for code, score in [("joy", 4), ("self_belief", 3), ("mastery", 5)]:
        page.locator(f"label[for=score-{items[code].pk}-{score}]").tap()
        expect(page.locator(f"#item-{items[code].pk} [role=status]")).not_to_be_empty()
    # The keyboard: focus the first answer of a question, move one to the right.
    page.focus(f"#score-{items['structure'].pk}-1")
    page.keyboard.press("ArrowRight")
    expect(page.locator(f"#item-{items['structure'].pk} [role=status]")).not_to_be_empty()
    assert dict(Answer.objects.values_list("item__code", "score")) == {
        "joy": 4, "self_belief": 3, "mastery": 5, "structure": 2}

    screenshot(page, "participant-mode", as_is=True)

    # Interrupted: the page reloads, nothing is lost.
    page.reload()
    expect(page.locator(f"#score-{items['mastery'].pk}-5")).to_be_checked()
    expect(page.locator(f"#score-{items['structure'].pk}-2")).to_be_checked()

    # Any other address leads back to the questions.
    page.goto(live_server.url + reverse("participants:caseload"))
    assert page.url.endswith(reverse("participants:participant_mode"))
    page.goto(live_server.url + reverse("participants:detail", args=[sigrid.pk]))
    assert page.url.endswith(reverse("participants:participant_mode"))

    page.locator(".participant-mode-done").tap()
    expect(page.locator("#participant-mode-summary")).to_contain_text("4")
    page.locator(f"a[href='{reverse('participants:participant_mode_leave')}']").tap()

    # A wrong password changes nothing.
    page.get_by_label("Your password or PIN").fill("not-the-password")
    with page.expect_navigation():
        page.get_by_role("button", name="Return to the case file").tap()
    expect(page.get_by_text("You are still in participant mode.")).to_be_visible()
    page.goto(live_server.url + reverse("participants:caseload"))
    assert page.url.endswith(reverse("participants:participant_mode"))

    # The case worker's password: back on the participant's page, the answers as a chart.
    page.goto(live_server.url + reverse("participants:participant_mode_leave"))
    page.get_by_label("Your password or PIN").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Return to the case file").tap()
    assert re.search(rf"/participants/{sigrid.pk}/$", page.url)
    expect(page.get_by_role("heading", name="The participant's own view")).to_be_visible()
    expect(page.locator("#voice canvas")).to_be_visible()
    page.wait_for_function("() => typeof Chart !== 'undefined' && "
                           "!!Chart.getChart(document.querySelector('#voice canvas'))")
    expect(page.locator("#voice-reminder-baseline")).to_have_count(0)  # answered now
    page.locator("#voice summary", has_text="The answers as a table").click()
    expect(page.locator("#voice-table-voice tbody tr")).to_have_count(5)  # 4 answered, the mean
    expect(page.locator("#voice-table-voice tbody tr").first).to_contain_text("4")


def test_an_answer_that_could_not_be_saved_says_so_and_shows_what_is_stored(
        phone, live_server, sign_in, migration_data):
    """The tablet lost its connection (or the server failed) as an answer was chosen: the
    question says, in the participant's language, that the answer was not saved, and shows
    the answer that is stored, not the one that was lost; before, it kept the new choice
    checked beside the "Saved" of the earlier one."""
    office = factories.OfficeFactory()
    ingrid = factories.CaseWorkerFactory(staff_profile__office=office)
    sigrid = factories.ParticipantFactory(office=office, primary_case_worker=ingrid)
    voice = Instrument.objects.get(code="voice")
    joy = voice.items.get(code="joy")
    page = phone
    sign_in(page, ingrid)
    page.goto(live_server.url + reverse("participants:detail", args=[sigrid.pk]))
    region = page.locator("#voice")
    region.get_by_text("Let the participant answer (participant mode)").click()
    region.get_by_label("The participant's language").select_option("nb")
    with page.expect_navigation():
        region.get_by_role("button", name="Open participant mode").click()
    status = page.locator(f"#item-{joy.pk} [role=status]")
    page.locator(f"label[for=score-{joy.pk}-4]").tap()
    expect(status).to_have_text("Lagret")

    answer_url = re.compile(rf".*/participant-mode/answer/{joy.pk}/$")
    page.route(answer_url, lambda route: route.abort("internetdisconnected"))
    page.locator(f"label[for=score-{joy.pk}-2]").tap()
    expect(status).to_contain_text("Svaret ble ikke lagret")
    expect(page.locator(f"#score-{joy.pk}-4")).to_be_checked()
    expect(page.locator(f"#score-{joy.pk}-2")).not_to_be_checked()

    page.unroute(answer_url)
    page.route(answer_url, lambda route: route.fulfill(status=500, body="failed"))
    page.locator(f"label[for=score-{joy.pk}-5]").tap()
    expect(status).to_contain_text("Svaret ble ikke lagret")
    expect(page.locator(f"#score-{joy.pk}-4")).to_be_checked()
    assert Answer.objects.get().score == 4

    # Back online: choosing again saves it.
    page.unroute(answer_url)
    page.locator(f"label[for=score-{joy.pk}-2]").tap()
    expect(status).to_have_text("Lagret")
    expect(page.locator(f"#score-{joy.pk}-2")).to_be_checked()
    assert Answer.objects.get().score == 2
