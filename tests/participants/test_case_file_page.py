"""The participant page (case file): who may open it, what the header shows, its cost."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from participants.case_file_selectors import masked_national_id
from participants.models import Channel, Country
from tests import factories

pytestmark = pytest.mark.django_db

# Checksums deliberately wrong: invented numbers that cannot belong to anyone.
NATIONAL_ID = "24037612345"


@pytest.fixture
def participant(office, case_worker):
    return factories.ParticipantFactory(
        office=office, given_name="Kari", family_name="Nordmann", ref="P-LADE-1",
        national_id=NATIONAL_ID, national_id_country=Country.NORWAY,
        primary_case_worker=case_worker, evaluation_consent=True,
        project__code="VVV-TRD", project__name="Vekst i Trøndelag",
    )


def detail_url(participant):
    return reverse("participants:detail", args=[participant.pk])


def test_participant_page_has_the_agreed_url(participant):
    assert detail_url(participant) == f"/participants/{participant.pk}/"


def test_case_worker_of_the_office_sees_the_header(log_in, case_worker, participant):
    response = log_in(case_worker).get(detail_url(participant))

    assert response.status_code == 200
    text = response.text
    assert "Kari Nordmann" in text
    assert "P-LADE-1" in text
    assert "Vekst i Trøndelag" in text
    assert "NAV Lade" in text
    assert case_worker.get_full_name() in text
    assert "Given" in text  # consent
    assert "Not referred yet" in text  # status, from the enrollments


def test_national_identity_number_is_never_shown_in_full(log_in, case_worker, participant):
    response = log_in(case_worker).get(detail_url(participant))

    assert NATIONAL_ID not in response.text
    assert "240376*****" in response.text


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("24037612345", "240376*****"),  # Norway: 11 digits
        ("2403761234", "240376*****"),  # Denmark: 10 digits
        ("760324-1234", "760324*****"),  # Sweden without the century
        ("19760324-1234", "760324*****"),  # Sweden with the century
        ("", ""),
    ],
)
def test_masking_keeps_the_date_of_birth_and_hides_the_rest(number, masked):
    assert masked_national_id(number) == masked


@pytest.mark.parametrize(
    ("enrollments", "status"),
    [
        ([{"active": True}, {"ended": True}], "In a measure"),
        ([{"waiting": True}, {"ended": True}], "Waiting for a measure"),
        ([{"ended": True}, {"withdrawn": True}], "No open enrollment"),
        ([], "Not referred yet"),
    ],
)
def test_header_status_comes_from_the_enrollments(
    log_in, case_worker, participant, enrollments, status
):
    for traits in enrollments:
        factories.EnrollmentFactory(participant=participant, **traits)

    response = log_in(case_worker).get(detail_url(participant))

    assert status in response.text


def test_page_offers_each_action_with_its_partial(log_in, case_worker, participant):
    text = log_in(case_worker).get(detail_url(participant)).text

    for region in ['id="participant-header"', 'id="timeline"', 'id="follow-up-form"',
                   'id="outcome-form"', 'id="outcome-spells"', 'id="goals"', 'id="goal-form"',
                   'id="plan-review-form"', 'id="case-worker-toggle"']:
        assert region in text


def test_enrollments_region_is_loaded_from_measures_when_it_exists(
    log_in, case_worker, participant
):
    text = log_in(case_worker).get(detail_url(participant)).text
    try:
        url = reverse("measures:for_participant", args=[participant.pk])
    except NoReverseMatch:
        assert 'id="enrollments"' not in text
    else:
        assert f'hx-get="{url}"' in text


def test_follow_up_form_starts_with_today_and_the_last_channel(log_in, case_worker, participant):
    factories.FollowUpFactory(participant=participant, occurred_on=dt.date(2024, 1, 5),
                              channel=Channel.VIDEO)
    factories.FollowUpFactory(participant=participant, occurred_on=dt.date(2024, 3, 5),
                              channel=Channel.HOME_VISIT)

    response = log_in(case_worker).get(detail_url(participant))

    form = response.context["follow_up_form"]
    assert form.initial["channel"] == Channel.HOME_VISIT
    assert form.initial["occurred_on"] == timezone.localdate()


def test_follow_up_form_defaults_to_a_meeting_the_first_time(log_in, case_worker, participant):
    response = log_in(case_worker).get(detail_url(participant))
    assert response.context["follow_up_form"].initial["channel"] == Channel.MEETING


def test_case_worker_of_another_office_gets_404(log_in, other_office_case_worker, participant):
    assert log_in(other_office_case_worker).get(detail_url(participant)).status_code == 404


def test_provider_staff_get_404_even_for_a_participant_in_their_measure(
    log_in, provider_staff, provider, participant
):
    factories.EnrollmentFactory(participant=participant, measure__provider=provider, active=True)
    assert log_in(provider_staff).get(detail_url(participant)).status_code == 404


def test_project_lead_gets_404(log_in, project_lead, participant):
    assert log_in(project_lead).get(detail_url(participant)).status_code == 404


def test_administrator_opens_any_participant_page(log_in, administrator, participant):
    assert log_in(administrator).get(detail_url(participant)).status_code == 200


def test_anonymous_user_is_sent_to_login(client, participant):
    response = client.get(detail_url(participant))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def fill_case_file(participant, case_worker, *, follow_ups, spells, goals):
    factories.FollowUpFactory.create_batch(follow_ups, participant=participant,
                                           case_worker=case_worker)
    factories.OutcomeSpellFactory.create_batch(spells, participant=participant)  # open
    plan = factories.PlanFactory(participant=participant)
    factories.GoalFactory.create_batch(goals, plan=plan)
    factories.PlanReviewFactory.create_batch(goals, plan=plan, reviewed_by=case_worker)
    factories.CaseWorkerAssignmentFactory.create_batch(3, participant=participant,
                                                       case_worker=case_worker)
    factories.EnrollmentFactory.create_batch(3, participant=participant, active=True)


def test_page_queries_do_not_grow_with_the_case_file(
    log_in, case_worker, office, participant, django_assert_max_num_queries
):
    small = factories.ParticipantFactory(office=office)
    fill_case_file(small, case_worker, follow_ups=1, spells=1, goals=1)
    fill_case_file(participant, case_worker, follow_ups=50, spells=10, goals=10)
    factories.CaseWorkerFactory.create_batch(5, staff_profile__office=office)
    client = log_in(case_worker)

    with CaptureQueriesContext(connection) as for_small:
        client.get(detail_url(small))
    with django_assert_max_num_queries(25), CaptureQueriesContext(connection) as for_large:
        response = client.get(detail_url(participant))

    assert response.status_code == 200
    assert len(for_large) == len(for_small)
