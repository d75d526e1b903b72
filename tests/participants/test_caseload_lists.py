"""My caseload's lists: "no contact in N days" with each user's own N, "recently assigned to
me" (14 days), and their counts on the case worker's start page (My caseload)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from participants.caseload_focus import no_contact_days_of
from participants.models import CaseloadPreference, OutcomeKind
from participants.selectors import caseload_counts
from participants.services.caseload import caseload_preference_set
from tests import factories

pytestmark = pytest.mark.django_db

CASELOAD = reverse("participants:caseload")
TEAM = reverse("participants:team")


def days_ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


@pytest.fixture
def colleague(office):
    return factories.CaseWorkerFactory(username="colleague", staff_profile__office=office)


@pytest.fixture
def mine(case_worker, office):
    def mine(ref, *, contacted=None, **kwargs):
        kwargs.setdefault("primary_case_worker", case_worker)
        participant = factories.ParticipantFactory(ref=ref, office=office, **kwargs)
        if contacted is not None:
            factories.FollowUpFactory(participant=participant, occurred_on=days_ago(contacted),
                                      case_worker=case_worker)
        return participant
    return mine


def refs(response) -> set[str]:
    return {row.ref for row in response.context["page"]}


# No contact in N days


def test_no_contact_lists_those_not_contacted_within_30_days_by_default(
    log_in, case_worker, mine
):
    mine("P-30", contacted=30)  # exactly 30 days ago: still within
    mine("P-31", contacted=31)
    mine("P-NEVER")
    mine("P-TODAY", contacted=0)

    response = log_in(case_worker).get(CASELOAD, {"focus": "no_contact"})

    assert refs(response) == {"P-31", "P-NEVER"}


def test_no_contact_uses_the_users_own_number_of_days(log_in, case_worker, mine):
    mine("P-7", contacted=7)
    mine("P-8", contacted=8)
    mine("P-20", contacted=20)
    caseload_preference_set(user=case_worker, no_contact_days=7)

    response = log_in(case_worker).get(CASELOAD, {"focus": "no_contact"})

    assert refs(response) == {"P-8", "P-20"}
    assert "No contact in 7 days" in response.text


def test_a_colleagues_setting_does_not_change_mine(case_worker, colleague):
    caseload_preference_set(user=colleague, no_contact_days=3)

    assert no_contact_days_of(user=case_worker) == 30
    assert no_contact_days_of(user=colleague) == 3


@pytest.mark.parametrize("days", [0, 366, -1])
def test_the_number_of_days_must_be_from_1_to_365(case_worker, days):
    with pytest.raises(ValidationError):
        caseload_preference_set(user=case_worker, no_contact_days=days)

    assert not CaseloadPreference.objects.exists()


@pytest.mark.parametrize("days", [0, 366])
def test_the_database_refuses_days_out_of_range(case_worker, days):
    preference = CaseloadPreference.objects.create(user=case_worker)
    with pytest.raises(IntegrityError, match="caseload_preference_days_in_range"), \
            transaction.atomic():
        CaseloadPreference.objects.filter(pk=preference.pk).update(no_contact_days=days)


@pytest.mark.parametrize("days", [1, 365])
def test_the_limits_of_the_number_of_days_are_allowed(case_worker, days):
    caseload_preference_set(user=case_worker, no_contact_days=days)

    assert no_contact_days_of(user=case_worker) == days


def test_only_case_workers_have_a_caseload_setting(project_lead):
    with pytest.raises(PermissionDenied):
        caseload_preference_set(user=project_lead, no_contact_days=10)


def test_setting_the_days_from_the_page_reloads_it(log_in, case_worker):
    response = log_in(case_worker).post(reverse("participants:caseload_preference"),
                                        {"preference-no_contact_days": "14"},
                                        HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert response["HX-Refresh"] == "true"
    assert no_contact_days_of(user=case_worker) == 14


def test_a_wrong_number_of_days_shows_an_error_and_changes_nothing(log_in, case_worker):
    caseload_preference_set(user=case_worker, no_contact_days=20)

    response = log_in(case_worker).post(reverse("participants:caseload_preference"),
                                        {"preference-no_contact_days": "400"},
                                        HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert "HX-Refresh" not in response
    assert "less than or equal to 365" in response.text
    assert no_contact_days_of(user=case_worker) == 20


# Recently assigned to me


def test_recently_assigned_lists_assignments_to_me_within_14_days(
    log_in, case_worker, colleague, mine
):
    for ref, days in [("P-14", 14), ("P-15", 15), ("P-0", 0)]:
        factories.CaseWorkerAssignmentFactory(participant=mine(ref), case_worker=case_worker,
                                              assigned_on=days_ago(days))
    old = mine("P-OLD")
    factories.CaseWorkerAssignmentFactory(participant=old, case_worker=case_worker,
                                          assigned_on=days_ago(200))

    response = log_in(case_worker).get(CASELOAD, {"focus": "recently_assigned"})

    assert refs(response) == {"P-14", "P-0"}


def test_recently_assigned_to_a_colleague_is_not_mine_in_the_team_view(
    log_in, case_worker, colleague, mine
):
    theirs = mine("P-THEIRS", primary_case_worker=colleague)
    factories.CaseWorkerAssignmentFactory(participant=theirs, case_worker=colleague,
                                          assigned_on=days_ago(2))
    moved_on = mine("P-MOVED", primary_case_worker=colleague)
    factories.CaseWorkerAssignmentFactory(participant=moved_on, case_worker=case_worker,
                                          assigned_on=days_ago(5))
    factories.CaseWorkerAssignmentFactory(participant=moved_on, case_worker=colleague,
                                          assigned_on=days_ago(1))
    recent = mine("P-MINE")
    factories.CaseWorkerAssignmentFactory(participant=recent, case_worker=case_worker,
                                          assigned_on=days_ago(1))

    response = log_in(case_worker).get(TEAM, {"focus": "recently_assigned"})

    assert refs(response) == {"P-MINE"}


def test_an_unknown_list_is_ignored_with_an_error(log_in, case_worker, mine):
    mine("P-A")

    response = log_in(case_worker).get(CASELOAD, {"focus": "everyone-ever"})

    assert refs(response) == {"P-A"}
    assert response.context["form"].errors["focus"]


# Counts on the start page


def test_the_start_page_counts_each_list_of_my_caseload(log_in, case_worker, colleague, mine,
                                                        office):
    silent = mine("P-SILENT", contacted=40)
    factories.OutcomeSpellFactory(participant=silent, kind=OutcomeKind.WORK,
                                  started_on=days_ago(60), ended_on=None)
    working = mine("P-WORKING", contacted=2)
    factories.OutcomeSpellFactory(participant=working, kind=OutcomeKind.WORK,
                                  started_on=days_ago(60), ended_on=None)
    new = mine("P-NEW")
    factories.CaseWorkerAssignmentFactory(participant=new, case_worker=case_worker,
                                          assigned_on=days_ago(3))
    factories.EnrollmentFactory(participant=new)  # waiting
    busy = mine("P-BUSY", contacted=1)
    factories.EnrollmentFactory(participant=busy)
    factories.EnrollmentFactory(participant=busy, active=True)  # active wins over waiting
    mine("P-COLLEAGUE", primary_case_worker=colleague)  # the team's, not mine

    counts = caseload_counts(user=case_worker, no_contact_days=30)

    assert (counts.no_contact, counts.support, counts.support_no_contact,
            counts.recently_assigned, counts.waiting) == (2, 2, 1, 1, 1)

    response = log_in(case_worker).get(CASELOAD)
    assert 'id="caseload-counts"' in response.text
    assert "No contact in 30 days: <strong>2</strong>" in response.text
    assert f'href="{CASELOAD}?focus=support_no_contact"' in response.text


def test_the_counts_follow_the_users_number_of_days(log_in, case_worker, mine):
    mine("P-10", contacted=10)
    caseload_preference_set(user=case_worker, no_contact_days=5)

    response = log_in(case_worker).get(reverse("participants:caseload_counts"))

    assert response.context["counts"].no_contact == 1
    assert "No contact in 5 days: <strong>1</strong>" in response.text


def test_the_team_view_has_no_counts_of_my_caseload(log_in, case_worker):
    response = log_in(case_worker).get(TEAM)

    assert 'id="caseload-counts"' not in response.text


@pytest.mark.parametrize("persona", ["provider_staff", "project_lead", "administrator"])
def test_only_case_workers_get_the_counts(request, log_in, persona):
    user = request.getfixturevalue(persona)

    assert log_in(user).get(reverse("participants:caseload_counts")).status_code == 403
