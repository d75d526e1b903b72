"""Administrators see the snapshots, the scopes and the runs, read-only and cheaply listed."""

import pytest
from django.urls import reverse

from evaluations.models import IndicatorSnapshot, SnapshotRun, SnapshotScope
from rehab.admin import admin_site
from tests import factories

pytestmark = pytest.mark.django_db

MODELS = [IndicatorSnapshot, SnapshotScope, SnapshotRun]
MAX_QUERIES_PER_CHANGELIST = 10  # as in tests/test_admin.py


def changelist_url(model) -> str:
    return reverse(f"admin:evaluations_{model._meta.model_name}_changelist")


@pytest.fixture
def rows():
    for _ in range(5):
        factories.IndicatorSnapshotFactory()
        factories.SnapshotRunFactory()
        factories.SnapshotRunFactory(failed=True)


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_each_snapshot_model_is_listed_in_a_bounded_number_of_queries(
    log_in, administrator, rows, django_assert_max_num_queries, model
):
    assert admin_site.is_registered(model)
    client = log_in(administrator)
    with django_assert_max_num_queries(MAX_QUERIES_PER_CHANGELIST):
        response = client.get(changelist_url(model))
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 5


def test_failed_runs_can_be_listed_with_their_error(log_in, administrator, rows):
    response = log_in(administrator).get(changelist_url(SnapshotRun), {"status__exact": "failed"})
    assert response.context["cl"].result_count == 5
    run = SnapshotRun.objects.filter(status="failed").first()
    page = log_in(administrator).get(
        reverse("admin:evaluations_snapshotrun_change", args=[run.pk])
    )
    assert page.status_code == 200
    assert "Traceback" in page.content.decode()


def test_snapshots_are_read_only_in_the_admin(log_in, administrator, rows):
    client = log_in(administrator)
    assert client.get(reverse("admin:evaluations_indicatorsnapshot_add")).status_code == 403
    snapshot = IndicatorSnapshot.objects.first()
    page = client.get(reverse("admin:evaluations_indicatorsnapshot_change", args=[snapshot.pk]))
    assert page.status_code == 200
    # No save buttons (the menu may name other models with the word "Save" in them).
    assert 'name="_save"' not in page.content.decode()
    assert 'name="_continue"' not in page.content.decode()


@pytest.mark.parametrize("persona", ["case_worker", "project_lead", "provider_staff"])
def test_other_roles_do_not_see_the_snapshot_admin(request, log_in, persona):
    response = log_in(request.getfixturevalue(persona)).get(changelist_url(SnapshotRun))
    assert response.status_code in (302, 403)
