"""The participant page's timeline: the participants app's own events, newest first."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from participants import timeline
from participants.models import Channel, GoalStatus, OutcomeKind
from participants.timeline_sources import case_file_events
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def participant(office):
    return factories.ParticipantFactory(office=office)


def one_of_each(participant, case_worker):
    """One event of every kind, each on its own day (the assignment is the oldest)."""
    factories.CaseWorkerAssignmentFactory(
        participant=participant, case_worker=case_worker, assigned_on=dt.date(2024, 1, 10)
    )
    factories.FollowUpFactory(
        participant=participant, case_worker=case_worker, occurred_on=dt.date(2024, 2, 1),
        channel=Channel.PHONE, with_employer=True, with_treatment=True, note="Ringte om praksis.",
    )
    factories.OutcomeSpellFactory(
        participant=participant, kind=OutcomeKind.WORK, started_on=dt.date(2024, 3, 1),
        ended_on=dt.date(2024, 5, 1), hours_per_week=Decimal("15.0"),
        organisation_name="Bakeriet AS",
    )
    factories.OutcomeSpellFactory(
        participant=participant, kind=OutcomeKind.EDUCATION, started_on=dt.date(2024, 4, 1),
        organisation_name="Fagskolen",
    )
    goal = factories.GoalFactory(plan__participant=participant, text="Fullføre kurs",
                                 target_date=dt.date(2030, 6, 30))
    factories.PlanReviewFactory(plan=goal.plan, reviewed_on=dt.date(2024, 6, 1),
                                reviewed_by=case_worker, note="Planen er gjennomgått.")


def test_registry_holds_the_participants_source():
    assert case_file_events in timeline._sources


def test_timeline_shows_each_event_kind_newest_first(participant, case_worker):
    one_of_each(participant, case_worker)

    events = case_file_events(participant=participant, user=case_worker)
    ordered = sorted(events, key=lambda e: (e.on, e.recorded_at), reverse=True)

    assert [e.kind for e in ordered] == [
        "goal_added",  # dated the day it was recorded: today
        "plan_review",
        "outcome_ended",
        "outcome_started",
        "outcome_started",
        "follow_up",
        "case_worker_changed",
    ]
    by_kind = {e.kind: e for e in ordered}
    follow_up = by_kind["follow_up"]
    assert str(follow_up.title) == "Follow-up: Phone"
    assert follow_up.detail == "Ringte om praksis."
    assert follow_up.badges == ("Employer took part", "Treatment service took part")
    assert follow_up.actor == case_worker.get_full_name()
    assert "Work ended" == by_kind["outcome_ended"].title
    assert by_kind["outcome_ended"].detail == "Bakeriet AS"
    started = [e for e in ordered if e.kind == "outcome_started"]
    assert [e.title for e in started] == ["Started education", "Started work"]
    assert started[1].detail == "Bakeriet AS · 15 hours per week"
    assert "Fullføre kurs" in by_kind["goal_added"].detail
    assert "target date" in by_kind["goal_added"].detail
    assert by_kind["plan_review"].detail == "Planen er gjennomgått."
    assert by_kind["case_worker_changed"].title == (
        f"Primary case worker: {case_worker.get_full_name()}"
    )


def test_timeline_partial_lists_events_newest_first(log_in, case_worker, participant):
    one_of_each(participant, case_worker)

    response = log_in(case_worker).get(reverse("participants:timeline", args=[participant.pk]))

    assert response.status_code == 200
    text = response.text
    assert 'id="timeline"' in text
    assert 'hx-trigger="timeline-changed from:body"' in text
    positions = [text.index(title) for title in [
        "Plan reviewed", "Work ended", "Started education", "Started work", "Follow-up: Phone",
        "Primary case worker:",
    ]]
    assert positions == sorted(positions)


def test_goal_status_change_appears_as_a_plan_review(log_in, case_worker, participant):
    goal = factories.GoalFactory(plan__participant=participant, text="Søke jobb")
    client = log_in(case_worker)

    client.post(reverse("participants:goal_review", args=[participant.pk, goal.pk]), {
        f"goal-{goal.pk}-status": GoalStatus.ACHIEVED,
        f"goal-{goal.pk}-note": "",
        f"goal-{goal.pk}-expected_updated_at": goal.updated_at.isoformat(),
    })
    response = client.get(reverse("participants:timeline", args=[participant.pk]))

    assert "Plan reviewed" in response.text
    assert "Open → Achieved" in response.text


def test_other_office_case_worker_gets_no_events(participant, case_worker,
                                                 other_office_case_worker):
    one_of_each(participant, case_worker)
    assert case_file_events(participant=participant, user=other_office_case_worker) == []


def test_provider_staff_see_only_the_goals_of_a_participant_they_work_with(
    participant, case_worker, provider_staff, provider
):
    """The goals are shared with the provider (docs/security.md); the notes of the plan's
    reviews are the case worker's."""
    one_of_each(participant, case_worker)
    factories.EnrollmentFactory(participant=participant, measure__provider=provider)

    events = case_file_events(participant=participant, user=provider_staff)

    assert {e.kind for e in events} == {"goal_added"}


def many_events(participant, case_worker, *, follow_ups=50, spells=10, goals=10):
    factories.FollowUpFactory.create_batch(follow_ups, participant=participant,
                                           case_worker=case_worker)
    factories.OutcomeSpellFactory.create_batch(spells, participant=participant,
                                               ended_on=dt.date(2024, 8, 1))
    plan = factories.PlanFactory(participant=participant)
    factories.GoalFactory.create_batch(goals, plan=plan)
    factories.PlanReviewFactory.create_batch(goals, plan=plan, reviewed_by=case_worker)
    factories.CaseWorkerAssignmentFactory.create_batch(3, participant=participant,
                                                       case_worker=case_worker)


def test_timeline_queries_do_not_grow_with_the_number_of_events(
    log_in, case_worker, office, django_assert_max_num_queries
):
    few = factories.ParticipantFactory(office=office)
    many = factories.ParticipantFactory(office=office)
    many_events(few, case_worker, follow_ups=1, spells=1, goals=1)
    many_events(many, case_worker)
    client = log_in(case_worker)

    with CaptureQueriesContext(connection) as for_few:
        client.get(reverse("participants:timeline", args=[few.pk]))
    with django_assert_max_num_queries(20), CaptureQueriesContext(connection) as for_many:
        response = client.get(reverse("participants:timeline", args=[many.pk]))

    assert response.status_code == 200
    assert len(for_many) == len(for_few)


def test_timeline_shows_the_latest_100_with_a_link_to_all(log_in, case_worker, participant):
    factories.FollowUpFactory.create_batch(
        105, participant=participant, case_worker=case_worker, channel=Channel.VIDEO
    )
    client = log_in(case_worker)
    url = reverse("participants:timeline", args=[participant.pk])

    capped = client.get(url)
    everything = client.get(url, {"all": "1"})

    assert capped.text.count("Follow-up: Video") == 100
    assert "Showing the latest 100 of 105 events." in capped.text
    assert f"{url}?all=1" in capped.text
    assert everything.text.count("Follow-up: Video") == 105
    assert "Show all" not in everything.text
    assert f'hx-get="{url}?all=1"' in everything.text  # a refresh keeps showing all
