"""A region reloaded because something else on the page was saved keeps what the case
worker typed in it but had not sent yet (static/js/rehab.js)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_goal_review_being_written_survives_the_review_of_another_goal(
    live_server, page, sign_in
):
    office = factories.OfficeFactory()
    worker = factories.CaseWorkerFactory(staff_profile__office=office)
    participant = factories.ParticipantFactory(office=office, primary_case_worker=worker)
    plan = factories.PlanFactory(participant=participant)
    first = factories.GoalFactory(plan=plan, text="Arbeidstrening i butikk")
    second = factories.GoalFactory(plan=plan, text="Førerkort klasse B")

    sign_in(page, worker)
    page.goto(live_server.url + reverse("participants:detail", args=[participant.pk]))
    writing = page.locator(f"#goal-review-{first.pk}")
    writing.locator("summary").click()
    writing.get_by_label("Note").fill("Trives godt, vil fortsette")
    other = page.locator(f"#goal-review-{second.pk}")
    other.locator("summary").click()
    other.get_by_label("Status").select_option(value="achieved")

    with page.expect_response(lambda r: r.url.endswith(
            reverse("participants:goals", args=[participant.pk]))):
        other.get_by_role("button", name="Save review").click()

    reloaded = page.locator(f"#goal-review-{first.pk}")
    expect(page.locator(f"#goal-review-{second.pk}")).to_contain_text("Achieved")
    expect(reloaded.get_by_label("Note")).to_have_value("Trives godt, vil fortsette")
    expect(reloaded.locator("details")).to_have_attribute("open", "")
