"""Need to know over time: a provider's staff see the participant's goals and the answers
the case worker shares while the participant is in their care (referred, taking part, or
ended within PROVIDER_ACCESS_AFTER_END_DAYS), and their own enrollments for good."""

import pytest
from django.urls import reverse

from measures.models import EndReason
from participants.models import (
    Answer,
    Goal,
    GoalStatus,
    Instrument,
    Participant,
    PlanReview,
)
from participants.timeline_sources import case_file_events
from tests import factories

from .conftest import days_ago

pytestmark = pytest.mark.django_db

GOAL = "Møte presis tre dager i uka"


@pytest.fixture
def plan_and_answers(participant):
    plan = factories.PlanFactory(participant=participant)
    factories.GoalFactory(plan=plan, text=GOAL, status=GoalStatus.OPEN)
    joy = Instrument.objects.get(code="voice").items.get(code="joy")
    factories.AnswerFactory(participant=participant, item=joy, answered_on=days_ago(200))
    Participant.objects.filter(pk=participant.pk).update(voice_shared_with_provider=True)
    return participant


STATES = {
    "waiting": {"referred_on": days_ago(10)},
    "active": {"referred_on": days_ago(300), "started_on": days_ago(280)},
    "ended 90 days ago": {"referred_on": days_ago(300), "started_on": days_ago(280),
                          "ended_on": days_ago(90), "end_reason": EndReason.COMPLETED},
    "ended 91 days ago": {"referred_on": days_ago(300), "started_on": days_ago(280),
                          "ended_on": days_ago(91), "end_reason": EndReason.COMPLETED},
    "withdrawn yesterday": {"referred_on": days_ago(30), "ended_on": days_ago(1),
                            "end_reason": EndReason.NOT_STARTED},
}
IN_CARE = {"waiting", "active", "ended 90 days ago"}


@pytest.mark.parametrize("state", STATES)
def test_goals_and_shared_answers_are_the_providers_while_the_participant_is_in_their_care(
    state, participant, measure, plan_and_answers, provider_staff
):
    factories.EnrollmentFactory(participant=participant, measure=measure, **STATES[state])

    assert Goal.objects.visible_to(provider_staff).exists() == (state in IN_CARE)
    assert Answer.objects.visible_to(provider_staff).exists() == (state in IN_CARE)
    assert Participant.objects.visible_to(provider_staff).filter(pk=participant.pk).exists()


def test_one_referral_in_care_is_enough_beside_an_old_one(participant, measure,
                                                          second_measure, plan_and_answers,
                                                          provider_staff):
    factories.EnrollmentFactory(participant=participant, measure=measure,
                                **STATES["ended 91 days ago"])
    factories.EnrollmentFactory(participant=participant, measure=second_measure,
                                **STATES["waiting"])

    assert Goal.objects.visible_to(provider_staff).exists()


def test_another_providers_referral_in_care_does_not_count(
    participant, measure, other_measure, plan_and_answers, provider_staff
):
    factories.EnrollmentFactory(participant=participant, measure=measure,
                                **STATES["ended 91 days ago"])
    factories.EnrollmentFactory(participant=participant, measure=other_measure,
                                **STATES["active"])

    assert not Goal.objects.visible_to(provider_staff).exists()
    assert not Answer.objects.visible_to(provider_staff).exists()


def test_the_case_worker_keeps_the_whole_plan(participant, measure, plan_and_answers,
                                              case_worker):
    factories.EnrollmentFactory(participant=participant, measure=measure,
                                **STATES["ended 91 days ago"])

    assert Goal.objects.visible_to(case_worker).exists()
    assert Answer.objects.visible_to(case_worker).exists()


def test_an_old_enrollment_page_keeps_the_enrollment_and_says_why_the_goals_are_gone(
    log_in, participant, measure, plan_and_answers, provider_staff
):
    enrollment = factories.EnrollmentFactory(participant=participant, measure=measure,
                                             **STATES["ended 91 days ago"])
    client = log_in(provider_staff)

    response = client.get(reverse("measures:provider_enrollment", args=[enrollment.pk]))

    assert response.status_code == 200
    assert "Arbeidstrening verksted" in response.text
    assert GOAL not in response.text
    assert 'id="goals-withheld"' in response.text and "for 90 days after it ends" in \
        response.text
    shared = client.get(reverse("participants:voice_shared", args=[participant.pk]))
    assert "<table" not in shared.text


def test_a_current_enrollment_page_shows_the_goals(log_in, participant, measure,
                                                   plan_and_answers, provider_staff):
    enrollment = factories.EnrollmentFactory(participant=participant, measure=measure,
                                             **STATES["active"])

    response = log_in(provider_staff).get(
        reverse("measures:provider_enrollment", args=[enrollment.pk]))

    assert GOAL in response.text and 'id="goals-withheld"' not in response.text


def test_plan_reviews_are_the_case_workers_notes_and_never_the_providers(
        participant, measure, plan_and_answers, provider_staff, case_worker):
    """Provider staff see the goals (while in care), not the case worker's notes of the
    plan's reviews."""
    factories.EnrollmentFactory(participant=participant, measure=measure, **STATES["active"])
    factories.PlanReviewFactory(plan=participant.plan, note="Talked about the divorce")

    assert not PlanReview.objects.visible_to(provider_staff).exists()
    assert PlanReview.objects.visible_to(case_worker).exists()


@pytest.mark.parametrize("state", STATES)
def test_the_timeline_gives_provider_staff_no_more_than_the_goals_in_their_care(
        state, participant, measure, plan_and_answers, provider_staff):
    """The timeline's rule for readers who are not case-file readers follows
    Goal.objects.visible_to: goals while in care, never the notes of plan reviews."""
    factories.EnrollmentFactory(participant=participant, measure=measure, **STATES[state])
    factories.PlanReviewFactory(plan=participant.plan, note="Talked about the divorce")

    events = case_file_events(participant=participant, user=provider_staff)

    assert [event.kind for event in events] == (["goal_added"] if state in IN_CARE else [])
    assert all(GOAL in event.detail for event in events)
