"""A project lead in the browser opens the programme summary: the demo data, the snapshot
job run for På vej til arbejde, and its dashboard opening with the sentence and the ten
figures against the programme's targets."""

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from evaluations.models import IndicatorSnapshot, Project
from rehab.roles import Role
from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LABELS = ["Took part", "Started in the period", "Completed", "Ended early",
          "Completers in paid work or education",
          "Went on to work, studies or other support", "Started a first job",
          "Still in the first job after 90 days", "Followed up after the job began",
          "Change in their own view (1–5 scale)"]


def test_project_lead_opens_the_programme_summary_on_the_dashboard(
    live_server, migration_data, page, sign_in, screenshot
):
    call_command("seed_demo", stdout=StringIO())
    call_command("refresh_snapshots", "--project", "PVA", stdout=StringIO())
    assert IndicatorSnapshot.objects.filter(project__code="PVA").exists()
    lead = factories.UserFactory(username="turid", first_name="Turid", last_name="Aasen",
                                 roles=[Role.PROJECT_LEAD])
    Project.objects.get(code="PVA").leads.add(lead)

    sign_in(page, lead)
    expect(page.get_by_role("heading", name="Outcome dashboard")).to_be_visible()
    page.get_by_label("Project").select_option("PVA")
    page.get_by_role("button", name="Show").click()

    summary = page.get_by_role("region", name="Programme summary")
    expect(summary).to_be_visible()
    expect(page.locator("#dashboard-scope")).to_contain_text("PVA")
    sentence = page.locator("#programme-summary-sentence")
    expect(sentence).to_contain_text("took part")
    expect(sentence).to_contain_text("of them are in paid work or education")
    expect(sentence).to_contain_text("Targets, as shares of all who ended: 20.0 % in work")
    table = summary.get_by_role("table")
    expect(table.get_by_role("rowheader")).to_have_text(LABELS)
    outcome = table.get_by_role("row", name="Completers in paid work or education")
    expect(outcome).to_contain_text("15.0 % in education (now")
    expect(outcome).to_contain_text("met")  # met or not met, said in words
    # The summary is the first section of the figures
    first = page.locator("main section").first
    expect(first).to_have_id("programme-summary")
    screenshot(page, "programme-summary")

    table.get_by_role("link", name="Ended early").click()
    expect(page.get_by_role("heading", name="What the figures mean")).to_be_visible()
    expect(page.locator("#dropout_rate")).to_be_in_viewport()
