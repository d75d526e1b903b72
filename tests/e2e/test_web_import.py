"""An administrator imports a bundle in the browser: upload, the check's report, confirm,
and the import's outcome."""

import pytest
from playwright.sync_api import expect

from participants.models import Participant
from rehab.roles import Role
from tests import factories
from tests.exchange.bundles import EXAMPLE, zip_folder

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_administrator_uploads_checks_and_imports_a_bundle(
    live_server, migration_data, page, sign_in, screenshot, tmp_path
):
    bundle = zip_folder(EXAMPLE, tmp_path / "bundle.zip")
    administrator = factories.UserFactory(username="ada", roles=[Role.ADMINISTRATOR])

    sign_in(page, administrator)
    page.get_by_role("link", name="Import").click()
    expect(page.get_by_role("heading", name="Import case data")).to_be_visible()
    page.get_by_label("Bundle (.zip)").set_input_files(str(bundle))
    page.get_by_role("button", name="Upload and check").click()

    expect(page.locator("#import-valid")).to_be_visible(timeout=60_000)
    expect(page.locator("#import-rows")).to_contain_text("participants.csv")
    assert not Participant.objects.exists()
    screenshot(page, "import-checked")
    page.get_by_role("button", name="Import now").click()

    expect(page.locator("#import-done")).to_be_visible(timeout=120_000)
    assert Participant.objects.count() == 267
