"""The htmx actions and regions of the participant page.

An action returns its form partial: blank with ``HX-Trigger`` after a save; with the
errors next to the fields and the input kept (status 200) otherwise.
"""

import datetime as dt

import pytest
from django.urls import reverse
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
    PlanReview,
)
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def participant(office):
    return factories.ParticipantFactory(office=office)


@pytest.fixture
def today():
    return timezone.localdate()


def url(name, participant, *more):
    return reverse(f"participants:{name}", args=[participant.pk, *more])


def iso(value: dt.date) -> str:
    return value.isoformat()


# Follow-ups


def test_case_worker_logs_a_follow_up(log_in, case_worker, participant, today):
    factories.FollowUpFactory(participant=participant, channel=Channel.PHONE)

    response = log_in(case_worker).post(url("follow_up_create", participant), {
        "follow-up-occurred_on": iso(today), "follow-up-channel": Channel.VIDEO,
        "follow-up-with_employer": "on", "follow-up-note": "Avklart oppstart.",
    })

    assert response.status_code == 200
    assert response["HX-Trigger"] == "timeline-changed"
    follow_up = FollowUp.objects.get(note="Avklart oppstart.")
    assert follow_up.case_worker == case_worker
    assert follow_up.with_employer and not follow_up.with_treatment
    assert 'id="follow-up-form"' in response.text
    assert "Avklart oppstart." not in response.text  # a blank form for the next one
    assert response.context["form"].initial["channel"] == Channel.VIDEO  # the one used last
    assert "Follow-up saved." in response.text


def test_follow_up_in_the_future_comes_back_with_the_error_and_the_input(
    log_in, case_worker, participant, today
):
    tomorrow = today + dt.timedelta(days=1)
    response = log_in(case_worker).post(url("follow_up_create", participant), {
        "follow-up-occurred_on": iso(tomorrow), "follow-up-channel": Channel.PHONE,
        "follow-up-note": "Skrevet på forhånd",
    })

    assert response.status_code == 200
    assert "HX-Trigger" not in response
    assert "The date cannot be in the future." in response.text
    assert "Skrevet på forhånd" in response.text
    assert iso(tomorrow) in response.text
    assert not FollowUp.objects.exists()


def test_follow_up_before_1900_is_refused(log_in, case_worker, participant):
    response = log_in(case_worker).post(url("follow_up_create", participant), {
        "follow-up-occurred_on": "1899-12-31", "follow-up-channel": Channel.PHONE,
    })
    assert "between 1900 and 2100" in response.text
    assert not FollowUp.objects.exists()


# Outcome spells


def test_case_worker_records_a_work_spell(log_in, case_worker, participant):
    response = log_in(case_worker).post(url("outcome_spell_create", participant), {
        "outcome-kind": OutcomeKind.WORK, "outcome-started_on": "2024-08-01",
        "outcome-hours_per_week": "18.5", "outcome-organisation_name": "Bakeriet AS",
    })

    assert response["HX-Trigger"] == "timeline-changed, outcomes-changed"
    spell = OutcomeSpell.objects.get()
    assert spell.organisation_name == "Bakeriet AS"
    assert "Bakeriet AS" not in response.text


def test_hours_for_education_are_shown_next_to_the_field(log_in, case_worker, participant):
    response = log_in(case_worker).post(url("outcome_spell_create", participant), {
        "outcome-kind": OutcomeKind.EDUCATION, "outcome-started_on": "2024-08-01",
        "outcome-hours_per_week": "10", "outcome-organisation_name": "Fagskolen",
    })

    assert response.status_code == 200
    assert response.context["form"].errors["hours_per_week"] == [
        "Hours per week are recorded for work only."
    ]
    assert "Fagskolen" in response.text
    assert not OutcomeSpell.objects.exists()


def test_open_spells_region_lists_only_open_spells(log_in, case_worker, participant):
    factories.OutcomeSpellFactory(participant=participant, organisation_name="Åpen AS")
    factories.OutcomeSpellFactory(participant=participant, organisation_name="Avsluttet AS",
                                  ended_on=dt.date(2024, 9, 1))

    response = log_in(case_worker).get(url("outcome_spells", participant))

    assert 'id="outcome-spells"' in response.text
    assert "Åpen AS" in response.text
    assert "Avsluttet AS" not in response.text


def test_case_worker_ends_an_open_spell(log_in, case_worker, participant):
    spell = factories.OutcomeSpellFactory(participant=participant)
    prefix = f"spell-{spell.pk}"

    response = log_in(case_worker).post(url("outcome_spell_end", participant, spell.pk), {
        f"{prefix}-ended_on": "2024-10-01",
        f"{prefix}-expected_updated_at": spell.updated_at.isoformat(),
    })

    assert response["HX-Trigger"] == "timeline-changed, outcomes-changed"
    spell.refresh_from_db()
    assert spell.ended_on == dt.date(2024, 10, 1)


def test_ending_a_spell_changed_by_someone_else_shows_the_conflict(
    log_in, case_worker, participant
):
    spell = factories.OutcomeSpellFactory(participant=participant)
    seen = spell.updated_at
    OutcomeSpell.objects.filter(pk=spell.pk).update(
        hours_per_week=30, updated_at=seen + dt.timedelta(seconds=1)
    )
    prefix = f"spell-{spell.pk}"

    response = log_in(case_worker).post(url("outcome_spell_end", participant, spell.pk), {
        f"{prefix}-ended_on": "2024-10-01", f"{prefix}-expected_updated_at": seen.isoformat(),
    })

    assert response.status_code == 200
    assert "HX-Trigger" not in response
    assert "Someone else changed this" in response.text
    assert "Reload the page" in response.text
    spell.refresh_from_db()
    assert spell.ended_on is None


def test_tampered_version_is_reported_and_nothing_changes(log_in, case_worker, participant):
    spell = factories.OutcomeSpellFactory(participant=participant)
    prefix = f"spell-{spell.pk}"

    response = log_in(case_worker).post(url("outcome_spell_end", participant, spell.pk), {
        f"{prefix}-ended_on": "2024-10-01", f"{prefix}-expected_updated_at": "yesterday",
    })

    assert "This form is out of date. Reload the page." in response.text
    spell.refresh_from_db()
    assert spell.ended_on is None


def test_spell_of_another_participant_is_404(log_in, case_worker, participant, office):
    stranger_spell = factories.OutcomeSpellFactory(participant__office=office)
    response = log_in(case_worker).post(
        url("outcome_spell_end", participant, stranger_spell.pk),
        {f"spell-{stranger_spell.pk}-ended_on": "2024-10-01"},
    )
    assert response.status_code == 404


# Goals and plan reviews


def test_case_worker_adds_a_goal(log_in, case_worker, participant):
    response = log_in(case_worker).post(url("goal_add", participant), {
        "goal-text": "Fullføre kurs i truckkjøring", "goal-target_date": "2025-06-30",
    })

    assert response["HX-Trigger"] == "timeline-changed, goals-changed"
    goal = Goal.objects.get()
    assert goal.plan.participant == participant
    assert goal.target_date == dt.date(2025, 6, 30)


def test_goals_region_lists_the_goals_with_their_status(log_in, case_worker, participant):
    factories.GoalFactory(plan__participant=participant, text="Søke jobb",
                          status=GoalStatus.ACHIEVED)

    response = log_in(case_worker).get(url("goals", participant))

    assert 'id="goals"' in response.text
    assert "Søke jobb" in response.text
    assert "Achieved" in response.text


def test_case_worker_reviews_a_goal(log_in, case_worker, participant):
    goal = factories.GoalFactory(plan__participant=participant)
    prefix = f"goal-{goal.pk}"

    response = log_in(case_worker).post(url("goal_review", participant, goal.pk), {
        f"{prefix}-status": GoalStatus.NOT_ACHIEVED, f"{prefix}-note": "Utsatt.",
        f"{prefix}-expected_updated_at": goal.updated_at.isoformat(),
    })

    assert response["HX-Trigger"] == "timeline-changed"
    goal.refresh_from_db()
    assert goal.status == GoalStatus.NOT_ACHIEVED
    assert PlanReview.objects.filter(plan=goal.plan).count() == 1
    # The form comes back for the next review, carrying the new version.
    assert goal.updated_at.isoformat() in response.text


def test_a_goals_change_of_status_reads_in_each_readers_language(log_in, case_worker,
                                                                 participant):
    """A goal reviewed by a colleague whose pages speak Danish read 'Mål "Søke jobb":
    I gang → Nået.' on the Norwegian timeline and notes too: the sentence was stored in the
    reviewer's language."""
    goal = factories.GoalFactory(plan__participant=participant, text="Søke jobb")
    prefix = f"goal-{goal.pk}"
    client = log_in(case_worker)
    client.post(url("goal_review", participant, goal.pk), {
        f"{prefix}-status": GoalStatus.ACHIEVED, f"{prefix}-note": "Fikk jobb.",
        f"{prefix}-expected_updated_at": goal.updated_at.isoformat(),
    }, HTTP_ACCEPT_LANGUAGE="da")

    for name in ["timeline", "notes"]:
        norwegian = client.get(url(name, participant), HTTP_ACCEPT_LANGUAGE="nb").text
        assert "Mål «Søke jobb»: Pågår → Nådd." in norwegian, name
        assert "Nået" not in norwegian and "Fikk jobb." in norwegian, name
    swedish = client.get(url("timeline", participant), HTTP_ACCEPT_LANGUAGE="sv").text
    assert "Søke jobb" in swedish and "Pågår → Nådd" not in swedish


def test_goal_review_on_a_goal_changed_meanwhile_shows_the_conflict(
    log_in, case_worker, participant
):
    goal = factories.GoalFactory(plan__participant=participant)
    seen = goal.updated_at
    Goal.objects.filter(pk=goal.pk).update(text="Endret av en kollega",
                                           updated_at=seen + dt.timedelta(seconds=1))
    prefix = f"goal-{goal.pk}"

    response = log_in(case_worker).post(url("goal_review", participant, goal.pk), {
        f"{prefix}-status": GoalStatus.DROPPED, f"{prefix}-expected_updated_at": seen.isoformat(),
    })

    assert "Someone else changed this" in response.text
    goal.refresh_from_db()
    assert goal.status == GoalStatus.OPEN
    assert not PlanReview.objects.exists()


def test_case_worker_adds_a_plan_review(log_in, case_worker, participant, today):
    response = log_in(case_worker).post(url("plan_review_add", participant), {
        "plan-review-reviewed_on": iso(today), "plan-review-note": "Planen er oppdatert.",
    })

    assert response["HX-Trigger"] == "timeline-changed"
    assert PlanReview.objects.get().note == "Planen er oppdatert."


def test_plan_review_without_a_note_is_refused(log_in, case_worker, participant, today):
    response = log_in(case_worker).post(url("plan_review_add", participant), {
        "plan-review-reviewed_on": iso(today), "plan-review-note": "",
    })
    assert "note" in response.context["form"].errors
    assert not PlanReview.objects.exists()


# Change of primary case worker


def test_case_worker_hands_the_participant_to_a_colleague(
    log_in, case_worker, participant, office, today
):
    colleague = factories.CaseWorkerFactory(staff_profile__office=office)

    response = log_in(case_worker).post(url("case_worker_change", participant), {
        "case-worker-new_case_worker": colleague.pk, "case-worker-changed_on": iso(today),
    })

    assert response["HX-Trigger"] == "timeline-changed, case-worker-changed"
    assert Participant.objects.get(pk=participant.pk).primary_case_worker == colleague
    # The name shown above the form is replaced by the new one.
    assert 'id="primary-case-worker-name" class="mb-2" hx-swap-oob="true"' in response.text
    assert colleague.get_full_name() in response.text
    assignment = CaseWorkerAssignment.objects.get()
    assert (assignment.case_worker, assignment.assigned_by) == (colleague, case_worker)


def test_a_colleague_deactivated_after_the_form_was_opened_is_refused_with_a_clear_reason(
    log_in, case_worker, participant, office, today
):
    colleague = factories.CaseWorkerFactory(staff_profile__office=office)
    colleague.is_active = False
    colleague.save()
    before = participant.primary_case_worker_id

    response = log_in(case_worker).post(url("case_worker_change", participant), {
        "case-worker-new_case_worker": colleague.pk, "case-worker-changed_on": iso(today),
    })

    assert "This case worker can no longer be chosen" in response.text
    assert "Select a valid choice" not in response.text
    assert Participant.objects.get(pk=participant.pk).primary_case_worker_id == before


def test_case_worker_choices_are_the_offices_active_case_workers(
    log_in, case_worker, participant, office, other_office_case_worker
):
    colleague = factories.CaseWorkerFactory(staff_profile__office=office)
    retired = factories.CaseWorkerFactory(staff_profile__office=office, is_active=False)

    response = log_in(case_worker).get(url("case_worker_form", participant))

    choices = set(response.context["form"].fields["new_case_worker"].queryset)
    assert choices == {case_worker, colleague}
    assert retired not in choices and other_office_case_worker not in choices


def test_participant_page_loads_the_case_worker_form_only_when_it_is_opened(
    log_in, case_worker, participant, office
):
    factories.CaseWorkerFactory(staff_profile__office=office, first_name="Turid",
                                last_name="Aas")

    text = log_in(case_worker).get(url("detail", participant)).text

    assert 'id="case-worker-toggle"' in text
    assert url("case_worker_form", participant) in text
    assert "Turid Aas" not in text and 'id="case-worker-form"' not in text
    form = log_in(case_worker).get(url("case_worker_form", participant)).text
    assert 'id="case-worker-form"' in form and "Turid Aas" in form


def test_header_shows_the_new_case_worker(log_in, case_worker, office):
    participant = factories.ParticipantFactory(office=office, primary_case_worker=case_worker)

    response = log_in(case_worker).get(url("header", participant))

    assert 'id="participant-header"' in response.text
    assert 'hx-trigger="case-worker-changed from:body, enrollment-changed from:body"' in (
        response.text
    )
    assert case_worker.get_full_name() in response.text


# Access: every participant-scoped URL


def actions(participant, today):
    spell = factories.OutcomeSpellFactory(participant=participant)
    goal = factories.GoalFactory(plan__participant=participant)
    colleague = factories.CaseWorkerFactory(staff_profile__office=participant.office)
    return [
        ("follow_up_create", (), {"follow-up-occurred_on": iso(today),
                                  "follow-up-channel": Channel.MEETING}),
        ("outcome_spell_create", (), {"outcome-kind": OutcomeKind.WORK,
                                      "outcome-started_on": iso(today)}),
        ("outcome_spell_end", (spell.pk,), {
            f"spell-{spell.pk}-ended_on": iso(today),
            f"spell-{spell.pk}-expected_updated_at": spell.updated_at.isoformat()}),
        ("goal_add", (), {"goal-text": "Mål"}),
        ("goal_review", (goal.pk,), {
            f"goal-{goal.pk}-status": GoalStatus.ACHIEVED,
            f"goal-{goal.pk}-expected_updated_at": goal.updated_at.isoformat()}),
        ("plan_review_add", (), {"plan-review-reviewed_on": iso(today),
                                 "plan-review-note": "Notat"}),
        ("case_worker_change", (), {"case-worker-new_case_worker": colleague.pk,
                                    "case-worker-changed_on": iso(today)}),
    ]


READ_ONLY = ["detail", "header", "timeline", "outcome_spells", "goals"]


def snapshot():
    return (FollowUp.objects.count(), OutcomeSpell.objects.filter(ended_on=None).count(),
            OutcomeSpell.objects.count(), Goal.objects.count(),
            Goal.objects.filter(status=GoalStatus.OPEN).count(), PlanReview.objects.count(),
            CaseWorkerAssignment.objects.count())


@pytest.mark.parametrize("persona", ["other_office_case_worker", "provider_staff",
                                     "project_lead"])
def test_people_without_the_case_file_get_404_and_change_nothing(
    request, log_in, participant, provider, persona, today
):
    # Provider staff work with this participant: they still do not get the case file.
    factories.EnrollmentFactory(participant=participant, measure__provider=provider, active=True)
    client = log_in(request.getfixturevalue(persona))
    posts = actions(participant, today)
    before = snapshot()

    for name in READ_ONLY:
        assert client.get(url(name, participant)).status_code == 404, name
    for name, extra, data in posts:
        assert client.post(url(name, participant, *extra), data).status_code == 404, name

    assert snapshot() == before


def test_case_worker_of_the_office_may_use_every_action(log_in, case_worker, participant, today):
    client = log_in(case_worker)
    for name in READ_ONLY:
        assert client.get(url(name, participant)).status_code == 200, name
    for name, extra, data in actions(participant, today):
        response = client.post(url(name, participant, *extra), data)
        assert response.status_code == 200, name
        assert "timeline-changed" in response["HX-Trigger"], name


def test_anonymous_user_is_sent_to_login_and_nothing_is_created(client, participant, today):
    for name in READ_ONLY:
        response = client.get(url(name, participant))
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    posts = actions(participant, today)
    before = snapshot()
    for name, extra, data in posts:
        assert client.post(url(name, participant, *extra), data).status_code == 302
    assert snapshot() == before


def test_actions_accept_post_only(log_in, case_worker, participant):
    client = log_in(case_worker)
    assert client.get(url("follow_up_create", participant)).status_code == 405


@pytest.mark.parametrize(("action", "field", "fields"), [
    ("follow_up_create", "follow-up-note", {"follow-up-channel": Channel.PHONE}),
    ("goal_add", "goal-text", {}),
])
def test_a_text_longer_than_a_text_box_takes_is_refused_and_nothing_is_saved(
    log_in, case_worker, participant, today, action, field, fields
):
    fields = {**fields, "follow-up-occurred_on": iso(today)}
    response = log_in(case_worker).post(url(action, participant),
                                        {**fields, field: "x" * 10_001})

    assert "at most 10000 characters" in response.text
    assert not FollowUp.objects.exists() and not Goal.objects.exists()
