"""The waiting lists page (``measures:waiting_lists``) and withdrawing from it."""

import pytest
from django.urls import reverse

from measures.models import EndReason, Enrollment, EnrollmentStatus
from tests import factories

from .conftest import days_ago

pytestmark = pytest.mark.django_db

URL = reverse("measures:waiting_lists")


def region(response, region_id: str) -> str:
    """The markup of one ``<section id=...>`` of the page."""
    return response.text.split(f'<section id="{region_id}"')[1].split("</section>")[0]


@pytest.fixture
def lists(participant, other_participant, measure, second_measure, other_measure, office,
          case_worker):
    """Waiting referrals of both offices in all three measures, and one of each other status."""
    neighbour = factories.ParticipantFactory(ref="P-NEIGHBOUR", given_name="Siri",
                                             family_name="Dahl", office=office)
    rows = {
        "own-old": factories.EnrollmentFactory(participant=participant, measure=measure,
                                               referred_on=days_ago(60)),
        "neighbour": factories.EnrollmentFactory(participant=neighbour, measure=measure,
                                                 referred_on=days_ago(12)),
        "own-other-provider": factories.EnrollmentFactory(
            participant=participant, measure=other_measure, referred_on=days_ago(20)),
        "elsewhere": factories.EnrollmentFactory(participant=other_participant, measure=measure,
                                                 referred_on=days_ago(30)),
    }
    factories.EnrollmentFactory(participant=neighbour, measure=second_measure,
                                referred_on=days_ago(40), started_on=days_ago(30))
    factories.EnrollmentFactory(participant=neighbour, measure=other_measure,
                                referred_on=days_ago(40), ended_on=days_ago(30),
                                end_reason=EndReason.NOT_STARTED)
    return rows


def test_case_worker_sees_their_offices_waiting_referrals_oldest_first_with_days_waited(
    log_in, case_worker, lists
):
    response = log_in(case_worker).get(URL)

    assert response.status_code == 200
    text = response.text
    assert text.index("P-OWN") < text.index("P-NEIGHBOUR")
    assert "P-ELSEWHERE" not in text
    assert '<td class="num">60</td>' in text
    assert '<td class="num">12</td>' in text
    assert f'href="{reverse("participants:detail", args=[lists["own-old"].participant_id])}"' \
        in text
    assert reverse("measures:enrollment_withdraw", args=[lists["own-old"].pk]) in text
    assert reverse("measures:enrollment_withdraw", args=[lists["elsewhere"].pk]) not in text


def test_waiting_lists_filter_by_measure_and_by_provider(
    log_in, case_worker, lists, measure, other_provider
):
    client = log_in(case_worker)

    by_measure = region(client.get(URL, {"measure": measure.pk}), "waiting-list")
    by_provider = region(client.get(URL, {"provider": other_provider.pk}), "waiting-list")

    assert "P-NEIGHBOUR" in by_measure and "Jobbhuset IPS" not in by_measure
    assert "P-OWN" in by_provider and "P-NEIGHBOUR" not in by_provider


def test_summary_hides_from_1_to_4_waiting_when_the_reader_may_not_see_them_all(
    log_in, case_worker, lists
):
    """Own-old, neighbour and elsewhere: the last is another office's, whom three would
    single out (INDICATORS.md, small numbers)."""
    response = log_in(case_worker).get(URL, {"measure": lists["own-old"].measure_id})
    summary = region(response, "waiting-summary")

    assert '<td class="num">&lt;5</td>' in summary
    assert '<td class="num">3</td>' not in summary
    assert "P-" not in summary


def test_summary_shows_a_small_count_to_a_reader_who_sees_everyone_in_it(
    log_in, provider_staff, administrator, lists
):
    """A provider's own waiting list is on the same page, name by name."""
    for reader in (provider_staff, administrator):
        summary = region(log_in(reader).get(URL, {"measure": lists["own-old"].measure_id}),
                         "waiting-summary")
        assert '<td class="num">3</td>' in summary


def test_summary_counts_everyone_waiting_from_five_without_naming_them(
    log_in, case_worker, lists, measure, other_participant
):
    for _ in range(2):
        factories.EnrollmentFactory(participant=other_participant, measure=measure,
                                    referred_on=days_ago(8))

    summary = region(log_in(case_worker).get(URL, {"measure": measure.pk}), "waiting-summary")

    assert '<td class="num">5</td>' in summary
    assert "P-" not in summary


def test_provider_staff_see_their_own_providers_waiting_lists_without_withdraw_buttons(
    log_in, provider_staff, lists
):
    response = log_in(provider_staff).get(URL)

    text = response.text.split("<main")[1]
    assert "P-OWN" in text and "P-NEIGHBOUR" in text and "P-ELSEWHERE" in text
    assert "Jobbhuset" not in text
    assert "Withdraw" not in text
    assert "/participants/" not in region(response, "waiting-list")  # not theirs to open


def test_project_lead_of_no_project_sees_counts_per_measure_but_no_names(
    log_in, project_lead, lists
):
    response = log_in(project_lead).get(URL)

    assert response.status_code == 200
    text = response.text.split('<main')[1]  # the menu shows the user's own name
    assert "Arbeidstrening verksted" in text
    assert '<td class="num">&lt;5</td>' in text  # three, of projects they do not lead
    for personal in ["P-OWN", "P-NEIGHBOUR", "P-ELSEWHERE", "Kari", "Lien", "Siri", "Dahl"]:
        assert personal not in text


def test_project_lead_sees_the_waiting_participants_of_the_projects_they_lead_only(
    log_in, project_lead, lists, participant
):
    participant.project.leads.add(project_lead)

    response = log_in(project_lead).get(URL)

    text = region(response, "waiting-list")
    assert "P-OWN" in text
    assert "P-NEIGHBOUR" not in text and "P-ELSEWHERE" not in text
    assert "Withdraw" not in text  # project leads read; case workers act


def test_user_without_a_role_sees_nothing(client, lists):
    user = factories.UserFactory()
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    assert "P-OWN" not in response.text
    assert "Arbeidstrening verksted" not in response.text


def test_withdrawing_from_the_waiting_list_returns_to_it(log_in, case_worker, lists):
    enrollment = lists["own-old"]
    back = f"{URL}?measure={enrollment.measure_id}"
    prefix = f"withdraw-{enrollment.pk}"

    response = log_in(case_worker).post(
        reverse("measures:enrollment_withdraw", args=[enrollment.pk]),
        {f"{prefix}-withdrawn_on": days_ago(0).isoformat(),
         f"{prefix}-expected_updated_at": enrollment.updated_at.isoformat(), "next": back},
        follow=True,
    )

    assert response.redirect_chain == [(back, 302)]
    assert "Referral withdrawn." in response.text
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.WITHDRAWN
    assert "P-OWN" not in response.text


def test_failed_withdrawal_from_the_waiting_list_returns_with_the_reason(
    log_in, case_worker, lists
):
    enrollment = lists["own-old"]
    prefix = f"withdraw-{enrollment.pk}"

    response = log_in(case_worker).post(
        reverse("measures:enrollment_withdraw", args=[enrollment.pk]),
        {f"{prefix}-withdrawn_on": days_ago(61).isoformat(),
         f"{prefix}-expected_updated_at": enrollment.updated_at.isoformat(), "next": URL},
        follow=True,
    )

    assert response.redirect_chain == [(URL, 302)]
    assert "The withdrawal cannot be before the referral" in response.text
    assert Enrollment.objects.get(pk=enrollment.pk).status == EnrollmentStatus.WAITING


@pytest.mark.parametrize("back", ["https://evil.example/", "//evil.example/", "zz-junk",
                                  "participants:home"])
def test_withdrawal_ignores_a_next_that_is_not_a_path_on_this_site(log_in, case_worker,
                                                                    lists, back):
    """Another site, or a bare word that redirect() would look up as a view's name (a
    500 before)."""
    enrollment = lists["own-old"]
    prefix = f"withdraw-{enrollment.pk}"

    response = log_in(case_worker).post(
        reverse("measures:enrollment_withdraw", args=[enrollment.pk]),
        {f"{prefix}-withdrawn_on": days_ago(0).isoformat(),
         f"{prefix}-expected_updated_at": enrollment.updated_at.isoformat(),
         "next": back},
    )

    assert response.status_code == 302
    assert response.url == reverse("measures:for_participant",
                                   args=[enrollment.participant_id])


def test_waiting_list_is_paginated_and_pages_keep_the_filter(
    log_in, case_worker, office, measure
):
    for n in range(55):
        factories.EnrollmentFactory(participant=factories.ParticipantFactory(office=office),
                                    measure=measure, referred_on=days_ago(n + 1))

    response = log_in(case_worker).get(URL, {"measure": measure.pk})

    assert response.text.count('<tr id="waiting-') == 50
    assert f"?measure={measure.pk}&amp;page=2" in response.text


def test_waiting_list_takes_the_same_number_of_queries_for_many_rows(
    log_in, case_worker, office, measure, other_measure, django_assert_max_num_queries
):
    client = log_in(case_worker)
    factories.EnrollmentFactory(participant=factories.ParticipantFactory(office=office),
                                measure=measure)
    with django_assert_max_num_queries(20) as few:
        client.get(URL)
    for n in range(60):
        factories.EnrollmentFactory(
            participant=factories.ParticipantFactory(office=office),
            measure=measure if n % 2 else other_measure, referred_on=days_ago(n + 1),
            referred_by=case_worker,
        )
        factories.EnrollmentFactory(measure=other_measure, referred_on=days_ago(n + 50),
                                    started_on=days_ago(n + 1))

    with django_assert_max_num_queries(len(few)):
        response = client.get(URL)

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("persona", "shown"),
    [("case_worker", True), ("provider_staff", True), ("administrator", True),
     ("project_lead", True)],
)
def test_menu_offers_the_waiting_lists_to_those_who_work_with_them(
    request, log_in, persona, shown
):
    response = log_in(request.getfixturevalue(persona)).get(URL)
    assert (f'aria-current="page" href="{URL}">Waiting lists</a>' in response.text) is shown
