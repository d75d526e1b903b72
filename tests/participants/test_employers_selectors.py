"""Who sees which employers, what an employer's page tells of participants, and the team
view's job development contacts per case worker per week."""

import datetime as dt

import pytest
from django.db import connection, transaction

from participants import employer_selectors
from participants.employer_selectors import (
    employer_overview,
    employer_page,
    job_development_contacts_of,
    job_development_weeks,
)
from participants.models import Employer, JobDevelopmentContact, OutcomeKind
from rehab.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def employer():
    return factories.EmployerFactory(name="Lade Bakeri AS", organisation_number="974760673")


# Employer.objects.visible_to


@pytest.mark.parametrize("persona", ["case_worker", "other_office_case_worker", "project_lead",
                                     "administrator"])
def test_staff_who_work_with_employers_see_the_whole_register(request, persona, employer):
    user = request.getfixturevalue(persona)

    assert list(Employer.objects.visible_to(user)) == [employer]
    assert list(JobDevelopmentContact.objects.visible_to(user)) == []


def test_provider_staff_see_no_employer_even_where_their_participant_works(provider_staff,
                                                                            provider, employer):
    participant = factories.ParticipantFactory()
    factories.EnrollmentFactory(participant=participant, measure__provider=provider)
    factories.OutcomeSpellFactory(participant=participant, employer=employer)
    factories.JobDevelopmentContactFactory(employer=employer)

    assert not Employer.objects.visible_to(provider_staff).exists()
    assert not JobDevelopmentContact.objects.visible_to(provider_staff).exists()


def test_a_user_without_role_sees_no_employer(employer):
    assert not Employer.objects.visible_to(factories.UserFactory()).exists()


def test_an_inactive_case_worker_sees_no_employer(case_worker, employer):
    case_worker.is_active = False
    case_worker.save()

    assert not Employer.objects.visible_to(case_worker).exists()


# The list


@pytest.mark.parametrize("search", ["bakeri", "974 760 673", "974760", "974-760-673"])
def test_employers_are_found_by_name_or_organisation_number(case_worker, employer, search):
    factories.EmployerFactory(name="Sentrum Kafé")

    assert list(employer_page(user=case_worker, search=search)) == [employer]


@pytest.mark.parametrize("search", ["bakeri", "974760"])
def test_on_postgresql_a_search_can_be_answered_from_the_trigram_indexes(employer, search):
    """Part of a name or number cannot use a b-tree: without these indexes each search
    reads the whole national register."""
    if connection.vendor != "postgresql":
        pytest.skip("trigram indexes are PostgreSQL's")
    query = Employer.objects.search(search).order_by("name", "pk")
    with transaction.atomic(), connection.cursor() as cursor:
        # A tiny table is read whole, or in name order, whatever the indexes.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = query.explain()
    assert "employer_name_trgm_idx" in plan
    if search.isdigit():
        assert "employer_number_trgm_idx" in plan


@pytest.mark.parametrize("model", ["FollowUp", "OutcomeSpell"])
def test_on_postgresql_an_employers_rows_are_found_from_the_index_of_rows_naming_one(
        employer, model):
    """The index holds only rows that name an employer: it must still serve the employer
    page and the PROTECT check when an employer is deleted (employer = X implies it)."""
    if connection.vendor != "postgresql":
        pytest.skip("the planner's choice is PostgreSQL's")
    from participants import models
    manager = getattr(models, model).objects
    queries = [manager.filter(employer=employer), manager.filter(employer__in=[employer.pk])]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plans = [query.explain() for query in queries]
    index = {"FollowUp": "follow_up_employer_idx",
             "OutcomeSpell": "outcome_spell_employer_idx"}[model]
    assert all(index in plan for plan in plans), plans


def test_the_list_is_paginated_by_name(case_worker):
    for n in range(27):
        factories.EmployerFactory(name=f"Bedrift {n:02d}")

    first = employer_page(user=case_worker)
    second = employer_page(user=case_worker, number=2)

    assert first.paginator.count == 27
    assert [e.name for e in first][:2] == ["Bedrift 00", "Bedrift 01"]
    assert [e.name for e in second] == ["Bedrift 25", "Bedrift 26"]


# The employer's page


def test_employer_page_lists_only_the_participants_the_reader_may_see(
    case_worker, office, other_office, employer
):
    own = factories.ParticipantFactory(office=office)
    elsewhere = factories.ParticipantFactory(office=other_office)
    factories.OutcomeSpellFactory(participant=own, employer=employer)
    factories.OutcomeSpellFactory(participant=elsewhere, employer=employer)
    factories.FollowUpFactory(participant=own, employer=employer)
    factories.FollowUpFactory(participant=elsewhere, employer=employer)

    overview = employer_overview(employer=employer, user=case_worker)

    assert [spell.participant for spell in overview.placements] == [own]
    assert [follow_up.participant for follow_up in overview.follow_ups] == [own]
    assert overview.follow_ups_total == 1
    assert overview.participant_ids == {own.pk}


def test_placements_show_the_current_ones_first(case_worker, office, employer):
    participants = factories.ParticipantFactory.create_batch(3, office=office)
    ended_late = factories.OutcomeSpellFactory(participant=participants[0], employer=employer,
                                               started_on=dt.date(2024, 5, 1),
                                               ended_on=dt.date(2024, 12, 31))
    current_old = factories.OutcomeSpellFactory(participant=participants[1], employer=employer,
                                                started_on=dt.date(2023, 1, 1))
    current_new = factories.OutcomeSpellFactory(participant=participants[2], employer=employer,
                                                started_on=dt.date(2024, 9, 1))
    # Another employer's spell is not listed.
    factories.OutcomeSpellFactory(participant=participants[0],
                                  employer=factories.EmployerFactory())

    placements = employer_overview(employer=employer, user=case_worker).placements

    assert placements == [current_new, current_old, ended_late]


def test_a_large_employer_shows_its_latest_placements_and_says_how_many(
        monkeypatch, case_worker, office, employer):
    monkeypatch.setattr(employer_selectors, "PLACEMENTS_SHOWN", 2)
    spells = [factories.OutcomeSpellFactory(
        participant=factories.ParticipantFactory(office=office), employer=employer,
        started_on=dt.date(2024, 1, day), ended_on=dt.date(2024, 2, day)) for day in (1, 2, 3)]

    overview = employer_overview(employer=employer, user=case_worker)

    assert overview.placements == [spells[2], spells[1]]
    assert overview.placements_total == 3
    assert overview.participant_ids == {spells[2].participant_id, spells[1].participant_id}


def test_project_lead_sees_the_participants_of_the_projects_they_lead(project_lead, employer):
    led = factories.ProjectFactory()
    led.leads.add(project_lead)
    theirs = factories.ParticipantFactory(project=led)
    other = factories.ParticipantFactory()
    factories.OutcomeSpellFactory(participant=theirs, employer=employer)
    factories.OutcomeSpellFactory(participant=other, employer=employer)

    overview = employer_overview(employer=employer, user=project_lead)

    assert [spell.participant for spell in overview.placements] == [theirs]


def test_education_spells_are_no_placements(case_worker, office, employer):
    participant = factories.ParticipantFactory(office=office)
    factories.OutcomeSpellFactory(participant=participant, kind=OutcomeKind.EDUCATION,
                                  organisation_name="NTNU")

    assert employer_overview(employer=employer, user=case_worker).placements == []


def test_job_development_contacts_of_the_employer_newest_first(case_worker, employer):
    old = factories.JobDevelopmentContactFactory(employer=employer,
                                                 occurred_on=dt.date(2024, 1, 5))
    new = factories.JobDevelopmentContactFactory(employer=employer,
                                                 occurred_on=dt.date(2024, 2, 5))
    factories.JobDevelopmentContactFactory()  # another employer's

    assert list(job_development_contacts_of(employer=employer, user=case_worker)) == [new, old]


# The team view's table


TODAY = dt.date(2025, 3, 12)  # a Wednesday of ISO week 11


def test_contacts_are_counted_per_case_worker_per_iso_week_with_zeros(case_worker, office,
                                                                       other_office):
    colleague = factories.CaseWorkerFactory(staff_profile__office=office, first_name="Åse")
    stranger = factories.CaseWorkerFactory(staff_profile__office=other_office)
    factories.UserFactory(roles=[Role.PROJECT_LEAD])
    for day in (dt.date(2025, 3, 10), dt.date(2025, 3, 16), dt.date(2025, 3, 3)):
        factories.JobDevelopmentContactFactory(case_worker=case_worker, occurred_on=day)
    # Monday of week 4, the oldest of the eight weeks shown; the Sunday before is outside.
    factories.JobDevelopmentContactFactory(case_worker=colleague, occurred_on=dt.date(2025, 1, 20))
    factories.JobDevelopmentContactFactory(case_worker=colleague, occurred_on=dt.date(2025, 1, 19))
    factories.JobDevelopmentContactFactory(case_worker=stranger, occurred_on=dt.date(2025, 3, 10))

    table = job_development_weeks(user=case_worker, today=TODAY)

    assert [monday.isocalendar().week for monday in table.weeks] == [4, 5, 6, 7, 8, 9, 10, 11]
    assert all(monday.weekday() == 0 for monday in table.weeks)
    counts = {row.case_worker: row.counts for row in table.rows}
    assert counts == {case_worker: [0, 0, 0, 0, 0, 0, 1, 2],
                      colleague: [1, 0, 0, 0, 0, 0, 0, 0]}
    assert [row.total for row in table.rows if row.case_worker == case_worker] == [3]


def test_weeks_run_across_the_new_year(case_worker):
    factories.JobDevelopmentContactFactory(case_worker=case_worker,
                                           occurred_on=dt.date(2024, 12, 30))  # ISO 2025-W01

    table = job_development_weeks(user=case_worker, today=dt.date(2025, 1, 8))  # 2025-W02

    assert [m.isocalendar()[:2] for m in table.weeks][-3:] == [(2024, 52), (2025, 1),
                                                               (2025, 2)]
    assert table.rows[0].counts == [0, 0, 0, 0, 0, 0, 1, 0]


def test_inactive_case_workers_have_no_row(case_worker, office):
    gone = factories.CaseWorkerFactory(staff_profile__office=office, is_active=False)
    factories.JobDevelopmentContactFactory(case_worker=gone, occurred_on=TODAY)

    table = job_development_weeks(user=case_worker, today=TODAY)

    assert [row.case_worker for row in table.rows] == [case_worker]


def test_a_case_worker_without_office_sees_their_own_row_only(office):
    alone = factories.CaseWorkerFactory(staff_profile__office=None)
    factories.CaseWorkerFactory(staff_profile__office=office)

    table = job_development_weeks(user=alone, today=TODAY)

    assert [row.case_worker for row in table.rows] == [alone]
    assert table.rows[0].counts == [0] * 8
