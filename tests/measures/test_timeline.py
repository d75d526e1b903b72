"""The measures app's events on the participant page's timeline."""

import datetime as dt

import pytest

from measures.models import EndReason, EnrollmentProposal, ProposalKind, ProposalStatus
from measures.timeline import enrollment_events, provider_events
from participants.timeline import events_for
from rehab.roles import roles_of
from tests import factories

from .conftest import days_ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(participant, measure, second_measure, other_measure, case_worker):
    ended = factories.EnrollmentFactory(
        participant=participant, measure=measure, referred_on=days_ago(100),
        referred_by=case_worker, started_on=days_ago(90), ended_on=days_ago(40),
        end_reason=EndReason.GOT_JOB, participation_percent=50, days_per_week=3,
    )
    withdrawn = factories.EnrollmentFactory(
        participant=participant, measure=second_measure, referred_on=days_ago(40),
        ended_on=days_ago(35), end_reason=EndReason.NOT_STARTED,
    )
    elsewhere = factories.EnrollmentFactory(participant=participant, measure=other_measure,
                                            referred_on=days_ago(30))
    return ended, withdrawn, elsewhere


def kinds_and_titles(events):
    return [(event.on, event.kind, str(event.title)) for event in events]


def test_each_step_of_an_enrollment_is_an_event(participant, history, case_worker):
    events = enrollment_events(participant=participant, user=case_worker)

    assert sorted(kinds_and_titles(events)) == sorted([
        (days_ago(100), "referral", "Referred to Arbeidstrening verksted"),
        (days_ago(90), "enrollment_started", "Started in Arbeidstrening verksted"),
        (days_ago(40), "enrollment_ended", "Ended in Arbeidstrening verksted"),
        (days_ago(40), "referral", "Referred to Arbeidspraksis butikk"),
        (days_ago(35), "enrollment_withdrawn", "Referral to Arbeidspraksis butikk withdrawn"),
        (days_ago(30), "referral", "Referred to Jobbhuset IPS"),
    ])
    by_kind = {(event.kind, event.on): event for event in events}
    referral = by_kind["referral", days_ago(100)]
    assert referral.actor == case_worker.get_full_name()
    assert referral.detail == "Skomakerverkstedet AS · 50 % participation · 3 days per week"
    assert by_kind["enrollment_ended", days_ago(40)].detail == "Started paid work"
    assert by_kind["enrollment_withdrawn", days_ago(35)].detail == "Withdrawn before a start"


def test_steps_on_one_day_stay_in_their_order_newest_first(participant, measure,
                                                           case_worker):
    factories.EnrollmentFactory(participant=participant, measure=measure,
                                referred_on=days_ago(5), started_on=days_ago(5),
                                ended_on=days_ago(5), end_reason=EndReason.COMPLETED)

    kinds = [event.kind for event in events_for(participant=participant, user=case_worker)
             if event.kind.startswith(("referral", "enrollment"))]

    assert kinds == ["enrollment_ended", "enrollment_started", "referral"]


def test_provider_staff_see_only_the_events_of_their_own_providers_measures(
    participant, history, provider_staff
):
    events = enrollment_events(participant=participant, user=provider_staff)
    assert "Referred to Jobbhuset IPS" not in {str(event.title) for event in events}
    assert len(events) == 5


@pytest.mark.parametrize("persona", ["other_office_case_worker", "project_lead"])
def test_those_without_need_to_know_get_no_events(request, participant, history, persona):
    assert enrollment_events(participant=participant,
                             user=request.getfixturevalue(persona)) == []


def test_source_is_registered_for_the_participant_page(participant, history, case_worker):
    kinds = {event.kind for event in events_for(participant=participant, user=case_worker)}
    assert {"referral", "enrollment_started", "enrollment_ended",
            "enrollment_withdrawn"} <= kinds


def test_events_take_two_queries_whatever_their_number(
    participant, history, case_worker, django_assert_max_num_queries
):
    for n in range(20):
        factories.EnrollmentFactory(participant=participant, referred_on=days_ago(n + 1),
                                    referred_by=case_worker, started_on=days_ago(n + 1))
    roles_of(case_worker)  # the roles are read once per request, before any source

    with django_assert_max_num_queries(2):
        events = enrollment_events(participant=participant, user=case_worker)

    assert len(events) == 6 + 40


def test_a_proposal_is_dated_on_the_day_it_was_made_in_the_sites_time_zone(
    participant, measure, case_worker, settings
):
    """Made and answered half an hour after midnight in Oslo (still the day before in UTC,
    which the database keeps): the timeline shows the Oslo day, as it does for goals."""
    settings.TIME_ZONE = "Europe/Oslo"
    enrollment = factories.EnrollmentFactory(participant=participant, measure=measure,
                                             started_on=factories.STARTED_ON)
    proposal = factories.EnrollmentProposalFactory(
        enrollment=enrollment, kind=ProposalKind.EXTENSION, started_on=None,
        planned_end_on=dt.date(2024, 6, 1), status=ProposalStatus.REJECTED,
        decided_by=case_worker, decided_at=dt.datetime(2024, 3, 4, 23, 30, tzinfo=dt.UTC),
        decision_reason="Ikke nå.")
    EnrollmentProposal.objects.filter(pk=proposal.pk).update(
        created_at=dt.datetime(2024, 3, 1, 23, 30, tzinfo=dt.UTC))

    events = {event.kind: event.on
              for event in provider_events(participant=participant, user=case_worker)}

    assert events == {"proposal_made": dt.date(2024, 3, 2),
                      "proposal_rejected": dt.date(2024, 3, 5)}
