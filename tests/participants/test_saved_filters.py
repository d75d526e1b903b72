"""Saved caseload filters: a case worker saves the current filters under a name, applies and
deletes them; nobody else ever sees or deletes them."""

from urllib.parse import parse_qs

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from participants.models import SavedCaseloadFilter
from participants.services.caseload import (
    MAX_SAVED_FILTERS,
    saved_filter_create,
    saved_filter_delete,
)
from tests import factories

pytestmark = pytest.mark.django_db

CASELOAD = reverse("participants:caseload")
TEAM = reverse("participants:team")
CREATE = reverse("participants:saved_filter_create")


def delete_url(saved) -> str:
    return reverse("participants:saved_filter_delete", args=[saved.pk])


@pytest.fixture
def colleague(office):
    return factories.CaseWorkerFactory(username="colleague", staff_profile__office=office)


def test_saving_keeps_the_filters_as_a_query(case_worker):
    saved = saved_filter_create(user=case_worker, name="  Support   phase ", team=False,
                                filters={"focus": "support", "status": "active",
                                         "project": 7, "sort": "name", "page": "3"})

    assert saved.name == "Support phase"
    assert parse_qs(saved.query) == {"focus": ["support"], "status": ["active"],
                                     "project": ["7"], "sort": ["name"]}


def test_an_empty_name_is_refused(case_worker):
    with pytest.raises(ValidationError):
        saved_filter_create(user=case_worker, name="   ", team=False, filters={})

    assert not SavedCaseloadFilter.objects.exists()


def test_a_name_used_already_on_the_same_page_is_refused(case_worker):
    saved_filter_create(user=case_worker, name="Waiting", team=False, filters={})

    with pytest.raises(ValidationError):
        saved_filter_create(user=case_worker, name="waiting", team=False,
                            filters={"status": "waiting"})

    assert SavedCaseloadFilter.objects.get().query == ""


def test_the_same_name_may_be_used_by_a_colleague_and_in_the_team_view(case_worker, colleague):
    saved_filter_create(user=case_worker, name="Waiting", team=False, filters={})
    saved_filter_create(user=case_worker, name="Waiting", team=True, filters={})
    saved_filter_create(user=colleague, name="Waiting", team=False, filters={})

    assert SavedCaseloadFilter.objects.count() == 3


def test_the_number_of_saved_filters_is_bounded(case_worker):
    for n in range(MAX_SAVED_FILTERS):
        saved_filter_create(user=case_worker, name=f"F{n}", team=False, filters={})

    with pytest.raises(ValidationError):
        saved_filter_create(user=case_worker, name="One too many", team=False, filters={})


def test_only_case_workers_save_filters(project_lead):
    with pytest.raises(PermissionDenied):
        saved_filter_create(user=project_lead, name="Mine", team=False, filters={})


def test_nobody_deletes_another_users_saved_filter_through_the_service(case_worker, colleague):
    saved = factories.SavedCaseloadFilterFactory(user=colleague)

    with pytest.raises(PermissionDenied):
        saved_filter_delete(user=case_worker, saved_filter=saved)

    assert SavedCaseloadFilter.objects.filter(pk=saved.pk).exists()


# The pages


def test_saving_the_current_filters_from_the_caseload(log_in, case_worker):
    response = log_in(case_worker).post(CREATE, {
        "saved-filter-name": "In work", "team": "0", "focus": "support", "status": "",
        "q": "", "sort": "-follow_up"})

    assert response.status_code == 200
    saved = SavedCaseloadFilter.objects.get(user=case_worker)
    assert (saved.name, saved.team) == ("In work", False)
    assert parse_qs(saved.query) == {"focus": ["support"], "sort": ["-follow_up"]}
    assert f'href="{CASELOAD}?{saved.query}"' in response.text.replace("&amp;", "&")


def test_invalid_filter_values_are_not_saved(log_in, case_worker):
    log_in(case_worker).post(CREATE, {"saved-filter-name": "Odd", "team": "1",
                                      "status": "nonsense", "measure": "99999",
                                      "focus": "no_contact"})

    saved = SavedCaseloadFilter.objects.get(user=case_worker)
    assert saved.team
    assert parse_qs(saved.query) == {"focus": ["no_contact"], "sort": ["name"]}


def test_saving_without_a_name_shows_an_error_and_saves_nothing(log_in, case_worker):
    response = log_in(case_worker).post(CREATE, {"saved-filter-name": "", "team": "0"})

    assert response.status_code == 200
    assert "This field is required" in response.text
    assert not SavedCaseloadFilter.objects.exists()


def test_a_saved_filter_applies_as_a_link_to_the_filtered_caseload(
    log_in, case_worker, office
):
    factories.ParticipantFactory(ref="P-ACTIVE", office=office, primary_case_worker=case_worker)
    saved = saved_filter_create(user=case_worker, name="Kari", team=False,
                                filters={"q": "P-ACTIVE"})
    client = log_in(case_worker)

    page = client.get(CASELOAD)
    applied = client.get(f"{CASELOAD}?{saved.query}")

    assert "Kari" in page.text
    assert [row.ref for row in applied.context["page"]] == ["P-ACTIVE"]


def test_my_caseload_and_the_team_view_show_their_own_saved_filters(log_in, case_worker):
    factories.SavedCaseloadFilterFactory(user=case_worker, name="Mine only", team=False)
    factories.SavedCaseloadFilterFactory(user=case_worker, name="Whole team", team=True)
    client = log_in(case_worker)

    mine, team = client.get(CASELOAD), client.get(TEAM)

    assert "Mine only" in mine.text and "Whole team" not in mine.text
    assert "Whole team" in team.text and "Mine only" not in team.text


def test_another_users_saved_filters_are_never_shown(log_in, case_worker, colleague):
    factories.SavedCaseloadFilterFactory(user=colleague, name="Colleague's secret list")

    response = log_in(case_worker).get(CASELOAD)

    assert "Colleague&#x27;s secret list" not in response.text
    assert list(response.context["saved_filters"]) == []


def test_deleting_my_saved_filter(log_in, case_worker):
    saved = factories.SavedCaseloadFilterFactory(user=case_worker, name="Old")

    response = log_in(case_worker).post(delete_url(saved))

    assert response.status_code == 200
    assert not SavedCaseloadFilter.objects.exists()


@pytest.mark.parametrize("persona", ["colleague", "other_office_case_worker"])
def test_another_users_saved_filter_cannot_be_deleted(request, log_in, case_worker, persona):
    saved = factories.SavedCaseloadFilterFactory(user=case_worker)
    other = request.getfixturevalue(persona)

    response = log_in(other).post(delete_url(saved))

    assert response.status_code == 404
    assert SavedCaseloadFilter.objects.filter(pk=saved.pk).exists()


def test_an_administrator_cannot_delete_a_case_workers_saved_filter(
    log_in, case_worker, administrator
):
    saved = factories.SavedCaseloadFilterFactory(user=case_worker)

    response = log_in(administrator).post(delete_url(saved))

    assert response.status_code == 403
    assert SavedCaseloadFilter.objects.filter(pk=saved.pk).exists()


def test_saved_filters_are_removed_with_their_user(case_worker):
    factories.SavedCaseloadFilterFactory(user=case_worker)
    case_worker.delete()

    assert not SavedCaseloadFilter.objects.exists()


# The database's own rules


def test_the_database_refuses_a_second_filter_of_the_same_name():
    """saved_filter_user_name_unique"""
    saved = factories.SavedCaseloadFilterFactory(name="Waiting")
    with pytest.raises(IntegrityError, match=None), transaction.atomic():
        SavedCaseloadFilter.objects.create(user=saved.user, team=saved.team, name="Waiting")


def test_the_database_refuses_a_filter_without_a_name():
    saved = factories.SavedCaseloadFilterFactory()
    with pytest.raises(IntegrityError, match="saved_filter_name_not_empty"), \
            transaction.atomic():
        SavedCaseloadFilter.objects.filter(pk=saved.pk).update(name="")
