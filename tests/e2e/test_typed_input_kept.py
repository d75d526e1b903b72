"""A region reloaded because something else on the page was saved keeps what the case
worker typed in it but had not sent yet (static/js/rehab.js)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_goal_review_being_written_survives_the_addition_of_another_goal(
    live_server, page, sign_in
):
    office = factories.OfficeFactory()
    worker = factories.CaseWorkerFactory(staff_profile__office=office)
    participant = factories.ParticipantFactory(office=office, primary_case_worker=worker)
    plan = factories.PlanFactory(participant=participant)
    first = factories.GoalFactory(plan=plan, text="Arbeidstrening i butikk")

    sign_in(page, worker)
    page.goto(live_server.url + reverse("participants:detail", args=[participant.pk]))
    writing = page.locator(f"#goal-review-{first.pk}")
    writing.locator("summary").click()
    writing.get_by_label("Note").fill("Trives godt, vil fortsette")
    page.get_by_text("Add a goal", exact=True).click()
    adding = page.locator("#goal-form")
    adding.get_by_label("Goal").fill("Førerkort klasse B")

    with page.expect_response(lambda r: r.url.endswith(
            reverse("participants:goals", args=[participant.pk]))):
        adding.get_by_role("button", name="Add goal").click()

    reloaded = page.locator(f"#goal-review-{first.pk}")
    expect(page.locator("#goals")).to_contain_text("Førerkort klasse B")
    expect(reloaded.get_by_label("Note")).to_have_value("Trives godt, vil fortsette")
    expect(reloaded.locator("details")).to_have_attribute("open", "")


def test_a_goal_review_leaves_the_other_goals_and_its_own_message_in_place(
    live_server, page, sign_in
):
    """A review changes neither a goal's text nor its place: the list is not reloaded, so
    "Review saved." stays in sight and a review being written beside it is untouched."""
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
            reverse("participants:timeline", args=[participant.pk]))):
        other.get_by_role("button", name="Save review").click()

    expect(other).to_contain_text("Achieved")
    expect(other.locator("[role=status]")).to_have_text("Review saved.")
    expect(writing.get_by_label("Note")).to_have_value("Trives godt, vil fortsette")


def test_a_progress_report_being_written_survives_sending_a_proposal(
    live_server, page, sign_in
):
    """The provider's enrollment page is one region with several forms: sending one
    brought back the others empty."""
    provider = factories.ProviderFactory()
    staff = factories.ProviderStaffFactory(membership__provider=provider)
    enrollment = factories.EnrollmentFactory(
        measure=factories.MeasureFactory(provider=provider), active=True)

    sign_in(page, staff)
    page.goto(live_server.url + reverse("measures:provider_enrollment", args=[enrollment.pk]))
    report = page.locator("#progress-report-form")
    report.get_by_label("What went well").fill("Møtt presis alle dager")
    extension = page.locator("details", has_text="Propose an extension")
    extension.locator("summary").click()
    extension.get_by_label("New planned end").fill("2100-06-30")
    extension.get_by_label("Comment to the case worker").fill("Trenger to måneder til")
    end = page.locator("details", has_text="Propose an end")
    end.locator("summary").click()
    end.get_by_label("Comment to the case worker").fill("Ikke sendt ennå")

    with page.expect_response(lambda r: "/propose/extension/" in r.url):
        extension.get_by_role("button", name="Send the proposal").click()

    expect(page.get_by_role("status")).to_contain_text("Proposal sent to the case worker.")
    expect(page.locator("#progress-report-form").get_by_label("What went well")).to_have_value(
        "Møtt presis alle dager")
    end = page.locator("details", has_text="Propose an end")
    expect(end).to_have_attribute("open", "")
    expect(end.get_by_label("Comment to the case worker")).to_have_value("Ikke sendt ennå")
    # The form that was sent is answered by the page: empty again, its fold closed.
    extension = page.locator("details", has_text="Propose an extension")
    expect(extension.get_by_label("Comment to the case worker")).to_have_value("")
