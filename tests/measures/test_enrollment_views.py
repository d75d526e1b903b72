"""The participant's enrollments region (``measures:for_participant``) and its actions."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from measures.models import EndReason, Enrollment, EnrollmentStatus
from tests import factories

from .conftest import days_ago

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def region_url(participant):
    return reverse("measures:for_participant", args=[participant.pk])


def version(enrollment):
    return enrollment.updated_at.isoformat()


def start_data(enrollment, started_on=None, seen=None):
    prefix = f"start-{enrollment.pk}"
    return {f"{prefix}-started_on": (started_on or days_ago(1)).isoformat(),
            f"{prefix}-expected_updated_at": seen or version(enrollment)}


def end_data(enrollment, end_reason=EndReason.COMPLETED, ended_on=None):
    prefix = f"end-{enrollment.pk}"
    return {f"{prefix}-ended_on": (ended_on or days_ago(1)).isoformat(),
            f"{prefix}-end_reason": end_reason,
            f"{prefix}-expected_updated_at": version(enrollment)}


def withdraw_data(enrollment, withdrawn_on=None):
    prefix = f"withdraw-{enrollment.pk}"
    return {f"{prefix}-withdrawn_on": (withdrawn_on or days_ago(1)).isoformat(),
            f"{prefix}-expected_updated_at": version(enrollment)}


def refer_data(measure, referred_on=None, **extra):
    return {"measure": measure.pk, "referred_on": (referred_on or days_ago(1)).isoformat(),
            "participation_percent": "", "days_per_week": "", **extra}


# The region -------------------------------------------------------------------------------


def test_region_lists_the_participants_enrollments_with_status_and_actions(
    log_in, case_worker, participant, waiting, active
):
    factories.EnrollmentFactory(participant=participant, measure=factories.MeasureFactory(
        name="Kurs i CV-skriving"), referred_on=days_ago(200), started_on=days_ago(190),
        ended_on=days_ago(150), end_reason=EndReason.HEALTH)

    response = log_in(case_worker).get(region_url(participant), headers=HTMX)

    assert response.status_code == 200
    text = response.text
    assert "<html" not in text
    assert text.count('id="enrollments"') == 1
    assert "hx-trigger" not in text.split(">", 1)[0]  # its actions answer with it: no refetch
    for shown in ["Arbeidstrening verksted", "Arbeidspraksis butikk", "Kurs i CV-skriving",
                  "Waiting", "Active", "Ended", "Health reasons or treatment needs"]:
        assert shown in text
    assert reverse("measures:enrollment_start", args=[waiting.pk]) in text
    assert reverse("measures:enrollment_withdraw", args=[waiting.pk]) in text
    assert reverse("measures:enrollment_end", args=[active.pk]) in text
    assert reverse("measures:enrollment_refer", args=[participant.pk]) in text
    assert reverse("measures:measure_wait_info") in text


def test_region_requested_without_htmx_is_a_page_of_its_own(log_in, case_worker, participant,
                                                            waiting):
    response = log_in(case_worker).get(region_url(participant))

    assert response.status_code == 200
    assert "<html" in response.text
    assert response.text.count('id="enrollments"') == 1
    assert "Arbeidstrening verksted" in response.text
    assert "HX-Request" in response["Vary"]


def test_provider_staff_see_their_own_providers_enrollments_without_actions(
    log_in, provider_staff, participant, waiting, other_measure
):
    factories.EnrollmentFactory(participant=participant, measure=other_measure)

    response = log_in(provider_staff).get(region_url(participant), headers=HTMX)

    assert response.status_code == 200
    assert "Arbeidstrening verksted" in response.text
    assert "Jobbhuset IPS" not in response.text
    assert "<form" not in response.text


@pytest.mark.parametrize("persona", ["other_office_case_worker", "project_lead"])
def test_region_of_a_participant_outside_need_to_know_is_not_found(
    request, log_in, participant, waiting, persona
):
    response = log_in(request.getfixturevalue(persona)).get(region_url(participant),
                                                            headers=HTMX)
    assert response.status_code == 404


def test_region_takes_the_same_number_of_queries_for_many_enrollments(
    log_in, case_worker, participant, django_assert_max_num_queries
):
    client = log_in(case_worker)
    factories.EnrollmentFactory(participant=participant, referred_on=days_ago(10))
    with django_assert_max_num_queries(12) as few:
        client.get(region_url(participant), headers=HTMX)
    for n in range(40):
        factories.EnrollmentFactory(participant=participant, referred_on=days_ago(n + 20),
                                    started_on=days_ago(n + 10) if n % 2 else None,
                                    referred_by=case_worker)

    with django_assert_max_num_queries(len(few)):
        response = client.get(region_url(participant), headers=HTMX)

    assert response.text.count('class="list-group-item"') == 41


def test_anonymous_user_is_sent_to_sign_in(client, participant, waiting):
    for url in [region_url(participant), reverse("measures:waiting_lists"),
                reverse("measures:measure_wait_info")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    response = client.post(reverse("measures:enrollment_withdraw", args=[waiting.pk]),
                           withdraw_data(waiting))
    assert response.status_code == 302
    assert Enrollment.objects.get(pk=waiting.pk).status == EnrollmentStatus.WAITING


# Referral ---------------------------------------------------------------------------------


def test_case_worker_refers_and_the_region_comes_back_with_the_referral(
    log_in, case_worker, participant, measure
):
    response = log_in(case_worker).post(
        reverse("measures:enrollment_refer", args=[participant.pk]),
        refer_data(measure, participation_percent="60"), headers=HTMX,
    )

    assert response.status_code == 200
    assert response["HX-Trigger"] == "enrollment-changed, timeline-changed"
    enrollment = Enrollment.objects.get(participant=participant)
    assert (enrollment.measure, enrollment.referred_by) == (measure, case_worker)
    assert enrollment.participation_percent == 60
    assert 'id="enrollments"' in response.text
    assert "Arbeidstrening verksted" in response.text


def test_invalid_referral_comes_back_with_its_errors_and_keeps_the_input(
    log_in, case_worker, participant, measure
):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    response = log_in(case_worker).post(
        reverse("measures:enrollment_refer", args=[participant.pk]),
        refer_data(measure, referred_on=tomorrow, days_per_week="4"), headers=HTMX,
    )

    assert response.status_code == 200
    assert "HX-Trigger" not in response
    assert "The date cannot be in the future." in response.text
    assert f'value="{tomorrow.isoformat()}"' in response.text
    assert 'value="4"' in response.text
    assert "0 waiting · no starts in the last 12 months" in response.text
    assert not Enrollment.objects.exists()


def test_referral_refused_by_a_rule_shows_the_rule_next_to_the_field(
    log_in, case_worker, participant, measure, waiting
):
    response = log_in(case_worker).post(
        reverse("measures:enrollment_refer", args=[participant.pk]), refer_data(measure),
        headers=HTMX,
    )

    assert response.status_code == 200
    assert "already waiting for or taking part in this measure" in response.text
    assert Enrollment.objects.count() == 1


def test_referral_to_a_measure_closed_after_the_form_was_opened_says_so(
    log_in, case_worker, participant, measure
):
    """The form offered the measure; it stopped taking referrals before the case worker
    sent the referral. The answer says that, not Django's "Select a valid choice"."""
    measure.active = False
    measure.save()

    response = log_in(case_worker).post(
        reverse("measures:enrollment_refer", args=[participant.pk]), refer_data(measure),
        headers=HTMX,
    )

    assert response.status_code == 200
    assert "This measure no longer takes referrals." in response.text
    assert "Select a valid choice" not in response.text
    assert not Enrollment.objects.exists()


def test_referral_without_htmx_redirects_to_the_enrollments_page(
    log_in, case_worker, participant, measure
):
    response = log_in(case_worker).post(
        reverse("measures:enrollment_refer", args=[participant.pk]), refer_data(measure))

    assert response.status_code == 302
    assert response.url == region_url(participant)
    assert Enrollment.objects.filter(participant=participant).exists()


def test_invalid_referral_without_htmx_shows_the_page_with_its_errors(
    log_in, case_worker, participant, measure
):
    response = log_in(case_worker).post(
        reverse("measures:enrollment_refer", args=[participant.pk]),
        refer_data(measure, participation_percent="150"))

    assert response.status_code == 200
    assert "<html" in response.text
    assert "Ensure this value is less than or equal to 100." in response.text
    assert not Enrollment.objects.exists()


def test_administrator_may_change_any_participants_enrollments(log_in, administrator,
                                                                waiting):
    response = log_in(administrator).post(
        reverse("measures:enrollment_start", args=[waiting.pk]), start_data(waiting),
        headers=HTMX)
    assert response["HX-Trigger"] == "enrollment-changed, timeline-changed"
    assert Enrollment.objects.get(pk=waiting.pk).status == EnrollmentStatus.ACTIVE


def test_other_offices_case_worker_cannot_refer_nor_learn_the_participant_exists(
    log_in, other_office_case_worker, participant, measure
):
    response = log_in(other_office_case_worker).post(
        reverse("measures:enrollment_refer", args=[participant.pk]), refer_data(measure),
        headers=HTMX,
    )
    assert response.status_code == 404
    assert not Enrollment.objects.exists()


def test_provider_staff_cannot_refer(log_in, provider_staff, participant, waiting,
                                     second_measure):
    response = log_in(provider_staff).post(
        reverse("measures:enrollment_refer", args=[participant.pk]),
        refer_data(second_measure), headers=HTMX,
    )
    assert response.status_code == 403
    assert Enrollment.objects.count() == 1


# Start, end, withdrawal -------------------------------------------------------------------


def test_case_worker_starts_a_waiting_referral(log_in, case_worker, waiting):
    response = log_in(case_worker).post(
        reverse("measures:enrollment_start", args=[waiting.pk]), start_data(waiting),
        headers=HTMX,
    )

    assert response.status_code == 200
    assert response["HX-Trigger"] == "enrollment-changed, timeline-changed"
    waiting.refresh_from_db()
    assert waiting.started_on == days_ago(1)
    assert reverse("measures:enrollment_end", args=[waiting.pk]) in response.text


def test_start_before_the_referral_shows_the_error_in_place(log_in, case_worker, waiting):
    too_early = waiting.referred_on - dt.timedelta(days=1)

    response = log_in(case_worker).post(
        reverse("measures:enrollment_start", args=[waiting.pk]),
        start_data(waiting, started_on=too_early), headers=HTMX,
    )

    assert response.status_code == 200
    assert "The start cannot be before the referral" in response.text
    assert f'value="{too_early.isoformat()}"' in response.text
    assert "<details class=\"enrollment-action\" open>" in response.text
    assert Enrollment.objects.get(pk=waiting.pk).started_on is None


def test_case_worker_ends_an_active_enrollment(log_in, case_worker, active):
    response = log_in(case_worker).post(
        reverse("measures:enrollment_end", args=[active.pk]),
        end_data(active, end_reason=EndReason.STARTED_EDUCATION), headers=HTMX,
    )

    assert response["HX-Trigger"] == "enrollment-changed, timeline-changed"
    active.refresh_from_db()
    assert active.end_reason == EndReason.STARTED_EDUCATION
    assert "Started education" in response.text


def test_end_without_an_end_reason_is_refused_in_place(log_in, case_worker, active):
    response = log_in(case_worker).post(
        reverse("measures:enrollment_end", args=[active.pk]), end_data(active, end_reason=""),
        headers=HTMX,
    )

    assert response.status_code == 200
    assert "This field is required." in response.text
    assert Enrollment.objects.get(pk=active.pk).ended_on is None


def test_end_reason_not_started_is_not_offered_for_an_end(log_in, case_worker, active):
    response = log_in(case_worker).post(
        reverse("measures:enrollment_end", args=[active.pk]),
        end_data(active, end_reason=EndReason.NOT_STARTED), headers=HTMX,
    )
    assert "Select a valid choice." in response.text
    assert Enrollment.objects.get(pk=active.pk).ended_on is None


def test_case_worker_withdraws_a_waiting_referral(log_in, case_worker, waiting):
    response = log_in(case_worker).post(
        reverse("measures:enrollment_withdraw", args=[waiting.pk]), withdraw_data(waiting),
        headers=HTMX,
    )

    assert response["HX-Trigger"] == "enrollment-changed, timeline-changed"
    waiting.refresh_from_db()
    assert (waiting.status, waiting.end_reason) == (EnrollmentStatus.WITHDRAWN,
                                                    EndReason.NOT_STARTED)
    assert "Withdrawn" in response.text


def test_colleagues_change_in_the_meantime_is_reported_and_the_row_shows_it(
    log_in, case_worker, waiting
):
    seen = version(waiting)
    client = log_in(case_worker)
    client.post(reverse("measures:enrollment_withdraw", args=[waiting.pk]),
                withdraw_data(waiting), headers=HTMX)

    response = client.post(reverse("measures:enrollment_start", args=[waiting.pk]),
                           start_data(waiting, seen=seen), headers=HTMX)

    assert response.status_code == 200
    assert "HX-Trigger" not in response
    assert "changed by someone else in the meantime" in response.text
    assert "Withdrawn" in response.text
    assert Enrollment.objects.get(pk=waiting.pk).started_on is None


def test_form_without_its_version_is_refused(log_in, case_worker, waiting):
    data = start_data(waiting)
    data[f"start-{waiting.pk}-expected_updated_at"] = "yesterday"

    response = log_in(case_worker).post(
        reverse("measures:enrollment_start", args=[waiting.pk]), data, headers=HTMX)

    assert "This form is out of date. Reload the page." in response.text
    assert Enrollment.objects.get(pk=waiting.pk).started_on is None


ACTIONS = [
    ("enrollment_start", "waiting", start_data),
    ("enrollment_withdraw", "waiting", withdraw_data),
    ("enrollment_end", "active", end_data),
]


@pytest.mark.parametrize(("name", "fixture", "data"), ACTIONS)
def test_other_offices_case_worker_gets_not_found_and_nothing_changes(
    request, log_in, other_office_case_worker, name, fixture, data
):
    enrollment = request.getfixturevalue(fixture)
    response = log_in(other_office_case_worker).post(
        reverse(f"measures:{name}", args=[enrollment.pk]), data(enrollment), headers=HTMX)

    assert response.status_code == 404
    assert Enrollment.objects.get(pk=enrollment.pk).updated_at == enrollment.updated_at


@pytest.mark.parametrize(("name", "fixture", "data"), ACTIONS)
def test_provider_staff_cannot_change_enrollments_in_their_own_measures(
    request, log_in, provider_staff, name, fixture, data
):
    enrollment = request.getfixturevalue(fixture)
    response = log_in(provider_staff).post(
        reverse(f"measures:{name}", args=[enrollment.pk]), data(enrollment), headers=HTMX)

    assert response.status_code == 403
    assert Enrollment.objects.get(pk=enrollment.pk).updated_at == enrollment.updated_at


@pytest.mark.parametrize(("name", "fixture", "data"), ACTIONS)
def test_actions_take_post_only(request, log_in, case_worker, name, fixture, data):
    enrollment = request.getfixturevalue(fixture)
    response = log_in(case_worker).get(reverse(f"measures:{name}", args=[enrollment.pk]))
    assert response.status_code == 405


# The waiting figures of one measure -------------------------------------------------------


def test_wait_info_gives_the_measures_waiting_list_length_and_median_wait(
    log_in, case_worker, measure
):
    for _ in range(6):
        factories.EnrollmentFactory(measure=measure, referred_on=days_ago(3))
    for started in (17, 16, 18, 17, 17):
        factories.EnrollmentFactory(measure=measure, referred_on=days_ago(40),
                                    started_on=days_ago(started))

    response = log_in(case_worker).get(reverse("measures:measure_wait_info"),
                                       {"measure": measure.pk}, headers=HTMX)

    assert response.status_code == 200
    assert response.text.strip() == "6 waiting · median wait 23 days"


def test_wait_info_hides_small_numbers_of_people_the_case_worker_may_not_see(
    log_in, case_worker, measure, participant
):
    """Other offices' referrals: two waiting and one start would single them out."""
    for _ in range(2):
        factories.EnrollmentFactory(measure=measure, referred_on=days_ago(3))
    factories.EnrollmentFactory(measure=measure, referred_on=days_ago(40),
                                started_on=days_ago(17))

    response = log_in(case_worker).get(reverse("measures:measure_wait_info"),
                                       {"measure": measure.pk}, headers=HTMX)

    assert response.text.strip() == (
        "fewer than 5 waiting · median wait not shown: fewer than 5 starts in the last 12 "
        "months")
    assert "23" not in response.text


def test_wait_info_shows_the_case_workers_own_referrals_as_they_are(
    log_in, case_worker, measure, participant
):
    for _ in range(2):
        factories.EnrollmentFactory(participant=participant, measure=measure,
                                    referred_on=days_ago(3))
    factories.EnrollmentFactory(participant=participant, measure=measure,
                                referred_on=days_ago(40), started_on=days_ago(17))

    response = log_in(case_worker).get(reverse("measures:measure_wait_info"),
                                       {"measure": measure.pk}, headers=HTMX)

    assert response.text.strip() == "2 waiting · median wait 23 days"


def test_wait_info_says_when_nobody_started_lately(log_in, case_worker, measure):
    response = log_in(case_worker).get(reverse("measures:measure_wait_info"),
                                       {"measure": measure.pk})
    assert response.text.strip() == "0 waiting · no starts in the last 12 months"


def test_wait_info_is_empty_without_a_measure(log_in, case_worker):
    response = log_in(case_worker).get(reverse("measures:measure_wait_info"), {"measure": ""})
    assert response.status_code == 200
    assert response.text.strip() == ""


@pytest.mark.parametrize("value", ["abc", "²", "-1"])
def test_wait_info_ignores_a_measure_that_is_not_a_number(log_in, case_worker, value):
    response = log_in(case_worker).get(reverse("measures:measure_wait_info"), {"measure": value})
    assert response.status_code == 200
    assert response.text.strip() == ""


def test_wait_info_of_an_unknown_measure_is_not_found(log_in, case_worker):
    response = log_in(case_worker).get(reverse("measures:measure_wait_info"), {"measure": 999})
    assert response.status_code == 404
