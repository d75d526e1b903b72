"""A project lead in the browser: the demo data (dated relative to today, so the trend has
months to draw), the snapshot job run for one programme, and its outcome dashboard with the
charts drawn, a breakdown and the definitions."""

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from evaluations.models import IndicatorSnapshot, Project
from rehab.roles import Role
from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def canvas_has_pixels(page, selector: str) -> bool:
    return page.eval_on_selector(selector, """canvas => {
        const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
        for (let i = 3; i < data.length; i += 4) { if (data[i] !== 0) return true; }
        return false;
    }""")


def test_project_lead_sees_the_programme_dashboard_with_charts(
    live_server, migration_data, page, sign_in, screenshot
):
    call_command("seed_demo", stdout=StringIO())
    call_command("refresh_snapshots", "--project", "VVV", stdout=StringIO())
    assert IndicatorSnapshot.objects.exists()
    lead = factories.UserFactory(username="turid", first_name="Turid", last_name="Aasen",
                                 roles=[Role.PROJECT_LEAD])
    programme = Project.objects.get(code="VVV")
    programme.leads.add(lead)

    sign_in(page, lead)
    expect(page.get_by_role("heading", name="Outcome dashboard")).to_be_visible()
    page.get_by_label("Project").select_option("VVV")
    page.get_by_label("Breakdown").select_option("gender")
    page.get_by_role("button", name="Show").click()

    expect(page.locator("#dashboard-scope")).to_contain_text("VVV")
    expect(page.locator("#headline")).to_contain_text("Share in work or education")
    expect(page.locator("#breakdown-table")).to_contain_text("Female")
    page.wait_for_function("() => window.Chart && Chart.getChart('breakdown-chart')")
    drawn = page.evaluate("""() => ["trend-chart", "breakdown-chart"].map(id =>
        Chart.getChart(id).data.datasets.some(set => set.data.some(v => v !== null)))""")
    assert drawn == [True, True]  # both charts have numbers to draw, not only axes
    assert canvas_has_pixels(page, "#trend-chart")
    assert canvas_has_pixels(page, "#breakdown-chart")
    screenshot(page, "dashboard")

    page.locator("#headline").get_by_role("link", name="Share in work", exact=True).click()
    expect(page.get_by_role("heading", name="What the figures mean")).to_be_visible()
    expect(page.locator("#work_rate")).to_be_in_viewport()
