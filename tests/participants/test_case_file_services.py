"""The services behind the participant page: rules, write rights, concurrent changes."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import RestrictedError
from django.utils import timezone

from participants.models import (
    CaseWorkerAssignment,
    Channel,
    FollowUp,
    Goal,
    GoalStatus,
    OutcomeKind,
    OutcomeSpell,
    Participant,
    Plan,
    PlanReview,
)
from participants.services import case_file as services
from rehab.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db

CONFLICT = "Someone else changed this while you were working on it"


@pytest.fixture
def participant(office):
    return factories.ParticipantFactory(office=office)


@pytest.fixture
def today():
    return timezone.localdate()


# Follow-ups


def test_case_worker_logs_a_follow_up_for_own_offices_participant(participant, case_worker, today):
    follow_up = services.follow_up_create(
        participant=participant, user=case_worker, occurred_on=today, channel=Channel.PHONE,
        with_employer=True, with_treatment=False, note="  Snakket om arbeidstrening.  ",
    )

    follow_up.refresh_from_db()
    assert follow_up.case_worker == case_worker
    assert follow_up.channel == Channel.PHONE
    assert follow_up.with_employer is True
    assert follow_up.note == "Snakket om arbeidstrening."


def test_follow_up_in_the_future_is_refused(participant, case_worker, today):
    with pytest.raises(ValidationError, match="cannot be in the future"):
        services.follow_up_create(
            participant=participant, user=case_worker, occurred_on=today + dt.timedelta(days=1),
            channel=Channel.MEETING,
        )
    assert not FollowUp.objects.exists()


def test_follow_up_before_1900_is_refused(participant, case_worker):
    with pytest.raises(ValidationError, match="between 1900 and 2100"):
        services.follow_up_create(
            participant=participant, user=case_worker, occurred_on=dt.date(1899, 12, 31),
            channel=Channel.MEETING,
        )
    assert not FollowUp.objects.exists()


@pytest.mark.parametrize(
    "persona", ["other_office_case_worker", "provider_staff", "project_lead"]
)
def test_only_readers_of_the_case_file_may_log_follow_ups(request, participant, persona, today):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.follow_up_create(
            participant=participant, user=user, occurred_on=today, channel=Channel.MEETING
        )
    assert not FollowUp.objects.exists()


def test_administrator_may_log_a_follow_up(participant, administrator, today):
    services.follow_up_create(
        participant=participant, user=administrator, occurred_on=today, channel=Channel.VIDEO
    )
    assert FollowUp.objects.filter(participant=participant, case_worker=administrator).exists()


# Outcome spells


def test_work_spell_is_recorded_with_hours(participant, case_worker):
    spell = services.outcome_spell_create(
        participant=participant, user=case_worker, kind=OutcomeKind.WORK,
        started_on=dt.date(2024, 8, 1), hours_per_week=Decimal("20.0"),
        organisation_name="Bakeriet AS",
    )
    assert spell.ended_on is None
    assert spell.hours_per_week == Decimal("20.0")


def test_hours_per_week_are_refused_for_education(participant, case_worker):
    with pytest.raises(ValidationError, match="for work only"):
        services.outcome_spell_create(
            participant=participant, user=case_worker, kind=OutcomeKind.EDUCATION,
            started_on=dt.date(2024, 8, 1), hours_per_week=Decimal("10"),
        )
    assert not OutcomeSpell.objects.exists()


def test_spell_cannot_end_before_it_starts(participant, case_worker):
    with pytest.raises(ValidationError, match="before the start date"):
        services.outcome_spell_create(
            participant=participant, user=case_worker, kind=OutcomeKind.WORK,
            started_on=dt.date(2024, 8, 1), ended_on=dt.date(2024, 7, 1),
        )


def test_spell_for_other_offices_participant_is_refused(participant, other_office_case_worker):
    with pytest.raises(PermissionDenied):
        services.outcome_spell_create(
            participant=participant, user=other_office_case_worker, kind=OutcomeKind.WORK,
            started_on=dt.date(2024, 8, 1),
        )
    assert not OutcomeSpell.objects.exists()


def test_open_spell_is_ended(participant, case_worker):
    spell = factories.OutcomeSpellFactory(participant=participant, started_on=dt.date(2024, 7, 1))

    services.outcome_spell_end(
        spell=spell, user=case_worker, ended_on=dt.date(2024, 9, 30),
        expected_updated_at=spell.updated_at,
    )

    spell.refresh_from_db()
    assert spell.ended_on == dt.date(2024, 9, 30)


def test_ending_a_spell_changed_meanwhile_is_refused_and_keeps_the_other_change(
    participant, case_worker
):
    spell = factories.OutcomeSpellFactory(participant=participant, started_on=dt.date(2024, 7, 1))
    seen = spell.updated_at
    # A colleague corrects the spell after this user opened the page.
    OutcomeSpell.objects.filter(pk=spell.pk).update(
        ended_on=dt.date(2024, 8, 15), updated_at=seen + dt.timedelta(seconds=5)
    )

    with pytest.raises(ValidationError, match=CONFLICT) as raised:
        services.outcome_spell_end(
            spell=spell, user=case_worker, ended_on=dt.date(2024, 9, 30), expected_updated_at=seen
        )

    assert "Reload the page" in raised.value.messages[0]
    spell.refresh_from_db()
    assert spell.ended_on == dt.date(2024, 8, 15)


def test_ended_spell_cannot_be_ended_again(participant, case_worker):
    spell = factories.OutcomeSpellFactory(
        participant=participant, started_on=dt.date(2024, 7, 1), ended_on=dt.date(2024, 8, 1)
    )
    with pytest.raises(ValidationError, match="already ended"):
        services.outcome_spell_end(
            spell=spell, user=case_worker, ended_on=dt.date(2024, 9, 30),
            expected_updated_at=spell.updated_at,
        )
    spell.refresh_from_db()
    assert spell.ended_on == dt.date(2024, 8, 1)


def test_ending_other_offices_spell_is_refused(participant, other_office_case_worker):
    spell = factories.OutcomeSpellFactory(participant=participant, started_on=dt.date(2024, 7, 1))
    with pytest.raises(PermissionDenied):
        services.outcome_spell_end(
            spell=spell, user=other_office_case_worker, ended_on=dt.date(2024, 9, 30),
            expected_updated_at=spell.updated_at,
        )
    spell.refresh_from_db()
    assert spell.ended_on is None


# Plan, goals, reviews


def test_first_goal_creates_the_plan(participant, case_worker):
    goal = services.goal_add(
        participant=participant, user=case_worker, text="Prøve ut arbeidstrening",
        target_date=dt.date(2025, 6, 30),
    )
    assert Plan.objects.get(participant=participant) == goal.plan
    assert goal.status == GoalStatus.OPEN


def test_goals_are_listed_by_target_date_with_undated_ones_last(participant, case_worker):
    """The same order on SQLite and PostgreSQL (they put NULL at opposite ends)."""
    from participants.case_file_selectors import goals_of
    for text, target_date in [("Undated", None), ("Later", dt.date(2025, 9, 1)),
                              ("Sooner", dt.date(2025, 3, 1))]:
        services.goal_add(participant=participant, user=case_worker, text=text,
                          target_date=target_date)

    assert [g.text for g in goals_of(participant=participant)] == ["Sooner", "Later",
                                                                    "Undated"]


def test_second_goal_uses_the_same_plan(participant, case_worker):
    plan = factories.PlanFactory(participant=participant)
    goal = services.goal_add(participant=participant, user=case_worker, text="Søke jobb")
    assert goal.plan == plan
    assert Plan.objects.count() == 1


def test_empty_goal_is_refused(participant, case_worker):
    with pytest.raises(ValidationError):
        services.goal_add(participant=participant, user=case_worker, text="   ")
    assert not Plan.objects.exists()


def test_goal_for_other_offices_participant_is_refused(participant, other_office_case_worker):
    with pytest.raises(PermissionDenied):
        services.goal_add(participant=participant, user=other_office_case_worker, text="Mål")
    assert not Goal.objects.exists()


def test_goal_review_sets_the_status_and_records_a_plan_review(participant, case_worker, today):
    goal = factories.GoalFactory(plan__participant=participant, text="Søke jobb")

    services.goal_review(
        goal=goal, user=case_worker, status=GoalStatus.ACHIEVED, note="Fikk jobb på lageret.",
        expected_updated_at=goal.updated_at,
    )

    goal.refresh_from_db()
    assert goal.status == GoalStatus.ACHIEVED
    review = PlanReview.objects.get(plan=goal.plan)
    assert review.reviewed_on == today
    assert review.reviewed_by == case_worker
    assert review.note == "Fikk jobb på lageret."
    assert (review.goal, review.goal_status_before, review.goal_status_after) == (
        goal, GoalStatus.OPEN, GoalStatus.ACHIEVED)
    assert review.goal_change() == "Goal “Søke jobb”: Open → Achieved."


def test_goal_review_without_a_change_or_a_note_is_refused(participant, case_worker):
    goal = factories.GoalFactory(plan__participant=participant)
    with pytest.raises(ValidationError, match="new status or write a note"):
        services.goal_review(
            goal=goal, user=case_worker, status=GoalStatus.OPEN, expected_updated_at=goal.updated_at
        )
    assert not PlanReview.objects.exists()


def test_goal_changed_meanwhile_is_not_overwritten(participant, case_worker):
    goal = factories.GoalFactory(plan__participant=participant)
    seen = goal.updated_at
    Goal.objects.filter(pk=goal.pk).update(
        status=GoalStatus.DROPPED, updated_at=seen + dt.timedelta(seconds=5)
    )

    with pytest.raises(ValidationError, match=CONFLICT):
        services.goal_review(
            goal=goal, user=case_worker, status=GoalStatus.ACHIEVED, expected_updated_at=seen
        )

    goal.refresh_from_db()
    assert goal.status == GoalStatus.DROPPED
    assert not PlanReview.objects.exists()


def test_goal_review_by_other_office_is_refused(participant, other_office_case_worker):
    goal = factories.GoalFactory(plan__participant=participant)
    with pytest.raises(PermissionDenied):
        services.goal_review(
            goal=goal, user=other_office_case_worker, status=GoalStatus.ACHIEVED,
            expected_updated_at=goal.updated_at,
        )
    goal.refresh_from_db()
    assert goal.status == GoalStatus.OPEN


def test_plan_review_is_recorded_and_creates_the_plan(participant, case_worker, today):
    review = services.plan_review_add(
        participant=participant, user=case_worker, reviewed_on=today, note="Gjennomgått planen."
    )
    assert review.plan.participant == participant
    assert review.reviewed_by == case_worker


def test_plan_review_needs_a_note_and_a_past_date(participant, case_worker, today):
    with pytest.raises(ValidationError):
        services.plan_review_add(participant=participant, user=case_worker, reviewed_on=today,
                                 note=" ")
    with pytest.raises(ValidationError, match="future"):
        services.plan_review_add(participant=participant, user=case_worker,
                                 reviewed_on=today + dt.timedelta(days=1), note="Senere")
    assert not PlanReview.objects.exists()


def test_plan_review_by_provider_staff_is_refused(participant, provider_staff, today):
    with pytest.raises(PermissionDenied):
        services.plan_review_add(participant=participant, user=provider_staff, reviewed_on=today,
                                 note="Notat")


# Change of primary case worker


@pytest.fixture
def colleague(office):
    return factories.CaseWorkerFactory(staff_profile__office=office)


def test_change_of_case_worker_is_recorded_and_updates_the_participant(
    participant, case_worker, colleague, today
):
    assignment = services.participant_change_case_worker(
        participant=participant, new_case_worker=colleague, changed_on=today, user=case_worker
    )

    assert assignment.case_worker == colleague
    assert assignment.assigned_by == case_worker
    assert assignment.assigned_on == today
    assert Participant.objects.get(pk=participant.pk).primary_case_worker == colleague
    assert participant.primary_case_worker == colleague


def test_same_case_worker_again_is_refused(participant, case_worker, today):
    Participant.objects.filter(pk=participant.pk).update(primary_case_worker=case_worker)
    participant.refresh_from_db()
    with pytest.raises(ValidationError, match="already the primary case worker"):
        services.participant_change_case_worker(
            participant=participant, new_case_worker=case_worker, changed_on=today,
            user=case_worker,
        )
    assert not CaseWorkerAssignment.objects.exists()


@pytest.mark.parametrize("kind", ["inactive", "no_role", "provider_staff"])
def test_new_case_worker_must_be_an_active_case_worker(participant, case_worker, office, kind,
                                                        today):
    if kind == "inactive":
        new = factories.CaseWorkerFactory(staff_profile__office=office, is_active=False)
    elif kind == "no_role":
        new = factories.UserFactory()
    else:
        new = factories.UserFactory(roles=[Role.PROVIDER_STAFF])
    with pytest.raises(ValidationError, match="active case worker"):
        services.participant_change_case_worker(
            participant=participant, new_case_worker=new, changed_on=today, user=case_worker
        )
    participant.refresh_from_db()
    assert participant.primary_case_worker is None
    assert not CaseWorkerAssignment.objects.exists()


def test_change_dated_before_the_previous_change_is_refused(participant, case_worker, colleague):
    factories.CaseWorkerAssignmentFactory(
        participant=participant, case_worker=case_worker, assigned_on=dt.date(2024, 5, 1)
    )
    with pytest.raises(ValidationError, match="before the previous change"):
        services.participant_change_case_worker(
            participant=participant, new_case_worker=colleague, changed_on=dt.date(2024, 4, 1),
            user=case_worker,
        )
    assert CaseWorkerAssignment.objects.count() == 1


def test_change_of_case_worker_by_other_office_is_refused(
    participant, other_office_case_worker, colleague, today
):
    with pytest.raises(PermissionDenied):
        services.participant_change_case_worker(
            participant=participant, new_case_worker=colleague, changed_on=today,
            user=other_office_case_worker,
        )
    assert not CaseWorkerAssignment.objects.exists()


def test_a_reviewed_goal_goes_only_with_its_plan(participant, case_worker):
    """The review keeps the goal it changed (RESTRICT): the goal alone is not deleted, the
    participant with plan, goals and reviews is."""
    goal = factories.GoalFactory(plan__participant=participant)
    services.goal_review(goal=goal, user=case_worker, status=GoalStatus.DROPPED,
                         expected_updated_at=goal.updated_at)
    with pytest.raises(RestrictedError):
        Goal.objects.filter(pk=goal.pk).delete()

    participant.delete()
    assert not PlanReview.objects.exists() and not Goal.objects.exists()
