"""My caseload and the team view: whose rows, what they say, filters, sorting, pages, access.

The cast (office ``NAV Lade`` unless said otherwise), all with ``case_worker`` as primary
case worker except where named:
- ``active``: an active enrollment in "Skomakerverkstedet" and a waiting one in
  "Jobbklubben"; follow-up 10 days ago; open goals due 2031-03-01 and 2031-05-01, an
  achieved goal due earlier;
- ``waiting``: waiting for "Jobbklubben"; last follow-up 45 days ago;
- ``ended``: one ended enrollment, never followed up;
- ``withdrawn``: a referral withdrawn before a start: no enrollment to speak of;
- ``colleagues``: a colleague's participant in the same office;
- ``elsewhere``: the case worker's own participant, registered with the other office;
- ``stranger``: the other office's case worker's participant.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from participants import selectors
from participants.models import GoalStatus
from rehab.roles import Role
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
def cast(office, other_office, provider, other_provider, case_worker, colleague,
         other_office_case_worker):
    programme = factories.ProjectFactory(code="VVV", name="Vekst")
    sub_project = factories.ProjectFactory(code="VVV-LADE", name="Lade", parent=programme)
    other_project = factories.ProjectFactory(code="IPS", name="IPS Midt")
    workshop = factories.MeasureFactory(name="Skomakerverkstedet", provider=provider)
    job_club = factories.MeasureFactory(name="Jobbklubben", provider=other_provider)

    def person(name, ref, **kwargs):
        given, family = name.split()
        kwargs.setdefault("office", office)
        kwargs.setdefault("primary_case_worker", case_worker)
        kwargs.setdefault("project", other_project)
        return factories.ParticipantFactory(
            given_name=given, family_name=family, ref=ref, **kwargs
        )

    people = {
        "active": person("Kari Nordmann", "P-ACT", project=sub_project),
        "waiting": person("Ola Hansen", "P-WAIT", project=programme),
        "ended": person("Åse Østby", "P-END"),
        "withdrawn": person("Per Berg", "P-WDR"),
        "colleagues": person("Lise Dahl", "P-COL", primary_case_worker=colleague),
        "elsewhere": person("Nils Lie", "P-ELS", office=other_office),
        # A name the factories' Faker never gives a case worker shown on the page.
        "stranger": person("Xanthippe Utenforsen", "P-STR", office=other_office,
                           primary_case_worker=other_office_case_worker),
    }
    factories.EnrollmentFactory(participant=people["active"], measure=workshop, active=True)
    factories.EnrollmentFactory(participant=people["active"], measure=job_club)
    factories.EnrollmentFactory(participant=people["waiting"], measure=job_club)
    factories.EnrollmentFactory(participant=people["ended"], measure=workshop, ended=True)
    factories.EnrollmentFactory(participant=people["withdrawn"], measure=workshop,
                                withdrawn=True)
    factories.EnrollmentFactory(participant=people["stranger"], measure=workshop, active=True)
    factories.FollowUpFactory(participant=people["active"], occurred_on=days_ago(40),
                              case_worker=case_worker)
    factories.FollowUpFactory(participant=people["active"], occurred_on=days_ago(10),
                              case_worker=case_worker)
    factories.FollowUpFactory(participant=people["waiting"], occurred_on=days_ago(45),
                              case_worker=case_worker)
    plan = factories.PlanFactory(participant=people["active"])
    factories.GoalFactory(plan=plan, target_date=dt.date(2031, 5, 1))
    factories.GoalFactory(plan=plan, target_date=dt.date(2031, 3, 1))
    factories.GoalFactory(plan=plan, target_date=None)
    factories.GoalFactory(plan=plan, target_date=dt.date(2030, 1, 1),
                          status=GoalStatus.ACHIEVED)
    people.update(programme=programme, sub_project=sub_project, workshop=workshop,
                  job_club=job_club, other_project=other_project)
    return people


def refs(response) -> list[str]:
    return [row.ref for row in response.context["page"]]


def rows_by_ref(response) -> dict:
    return {row.ref: row for row in response.context["page"]}


def test_home_sends_case_workers_to_their_caseload(log_in, case_worker):
    response = log_in(case_worker).get(reverse("participants:home"))

    assert response.status_code == 302
    assert response.url == CASELOAD


def test_home_sends_provider_staff_to_the_participants_in_their_measures(log_in, provider_staff):
    response = log_in(provider_staff).get(reverse("participants:home"))

    assert response.status_code == 302
    assert response.url == reverse("measures:provider_participants")


def test_home_sends_project_leads_to_the_dashboard(log_in, project_lead):
    response = log_in(project_lead).get(reverse("participants:home"))

    assert response.status_code == 302
    assert response.url == reverse("evaluations:dashboard")


def test_home_stays_the_start_page_of_administrators(log_in, administrator):
    response = log_in(administrator).get(reverse("participants:home"))

    assert response.status_code == 200
    assert 'id="projects-region"' in response.text


@pytest.mark.parametrize("url", [CASELOAD, TEAM])
@pytest.mark.parametrize("persona", ["provider_staff", "project_lead", "administrator"])
def test_people_who_are_not_case_workers_get_no_caseload(request, log_in, persona, url):
    user = request.getfixturevalue(persona)

    assert log_in(user).get(url).status_code == 403


def test_caseload_shows_only_the_participants_the_user_is_primary_case_worker_for(
    log_in, case_worker, cast
):
    response = log_in(case_worker).get(CASELOAD)

    assert response.status_code == 200
    assert sorted(refs(response)) == ["P-ACT", "P-ELS", "P-END", "P-WAIT", "P-WDR"]
    assert "P-COL" not in response.text
    assert "P-STR" not in response.text
    assert "Xanthippe" not in response.text


def test_caseload_row_shows_status_measure_days_since_follow_up_and_next_goal(
    log_in, case_worker, cast
):
    rows = rows_by_ref(log_in(case_worker).get(CASELOAD))

    active, waiting, ended, withdrawn = (rows[r] for r in ("P-ACT", "P-WAIT", "P-END", "P-WDR"))
    assert (active.caseload_status, active.current_measure) == ("active", "Skomakerverkstedet")
    assert (active.days_since_follow_up, active.follow_up_overdue) == (10, False)
    assert active.next_goal_on == dt.date(2031, 3, 1)
    assert (waiting.caseload_status, waiting.current_measure) == ("waiting", "Jobbklubben")
    assert (waiting.days_since_follow_up, waiting.follow_up_overdue) == (45, True)
    assert waiting.next_goal_on is None
    assert (ended.caseload_status, ended.current_measure) == ("ended", None)
    assert ended.days_since_follow_up is None
    assert withdrawn.caseload_status == "none"
    assert (rows["P-ELS"].caseload_status, rows["P-ELS"].current_measure) == ("none", None)


def test_caseload_page_marks_long_gaps_and_says_never(log_in, case_worker, cast):
    text = log_in(case_worker).get(CASELOAD).text

    assert '<span class="badge text-bg-warning follow-up-overdue">45</span>' in text
    assert "(more than 30 days)" in text
    assert "never" in text
    assert "No enrollment" in text
    assert f'href="{reverse("participants:detail", args=[cast["active"].pk])}"' in text


def test_team_view_shows_the_whole_office_with_the_primary_case_worker(
    log_in, case_worker, colleague, cast
):
    response = log_in(case_worker).get(TEAM)

    assert response.status_code == 200
    assert sorted(refs(response)) == ["P-ACT", "P-COL", "P-END", "P-WAIT", "P-WDR"]
    assert colleague.get_full_name() in response.text
    assert "P-STR" not in response.text
    assert "P-ELS" not in response.text  # the team is the office


def test_other_offices_participants_never_appear_whatever_the_filters(
    log_in, case_worker, other_office_case_worker, cast
):
    client = log_in(case_worker)
    queries = [
        {"q": "Xanthippe"}, {"q": "P-STR"}, {"measure": cast["workshop"].pk},
        {"case_worker": other_office_case_worker.pk}, {"status": "active"},
    ]
    for url in (CASELOAD, TEAM):
        for query in queries:
            assert "P-STR" not in refs(client.get(url, query))


def test_case_worker_without_an_office_has_an_empty_team_view(log_in, cast):
    lonely = factories.CaseWorkerFactory(staff_profile__office=None)

    response = log_in(lonely).get(TEAM)

    assert response.status_code == 200
    assert refs(response) == []
    assert "No participants to show." in response.text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kari", ["P-ACT"]),
        ("NORDMANN kari", ["P-ACT"]),
        ("p-wait", ["P-WAIT"]),
        ("Østby", ["P-END"]),
        ("østby", ["P-END"]),
        ("ÅSE", ["P-END"]),
        ("nobody", []),
    ],
)
def test_search_matches_names_and_reference(log_in, case_worker, cast, query, expected):
    assert refs(log_in(case_worker).get(CASELOAD, {"q": query})) == expected


@pytest.mark.parametrize(
    ("status", "expected"),
    [("active", ["P-ACT"]), ("waiting", ["P-WAIT"]), ("ended", ["P-END"]),
     ("none", ["P-ELS", "P-WDR"])],
)
def test_status_filter(log_in, case_worker, cast, status, expected):
    assert sorted(refs(log_in(case_worker).get(CASELOAD, {"status": status}))) == expected


def test_project_filter_includes_sub_projects(log_in, case_worker, cast):
    client = log_in(case_worker)

    programme = refs(client.get(CASELOAD, {"project": cast["programme"].pk}))
    sub_project = refs(client.get(CASELOAD, {"project": cast["sub_project"].pk}))

    assert sorted(programme) == ["P-ACT", "P-WAIT"]
    assert sub_project == ["P-ACT"]


def test_measure_and_provider_filters_match_any_enrollment(
    log_in, case_worker, cast, provider, other_provider
):
    client = log_in(case_worker)

    assert sorted(refs(client.get(CASELOAD, {"measure": cast["job_club"].pk}))) == [
        "P-ACT", "P-WAIT"]
    assert sorted(refs(client.get(CASELOAD, {"provider": provider.pk}))) == [
        "P-ACT", "P-END", "P-WDR"]
    assert sorted(refs(client.get(CASELOAD, {"provider": other_provider.pk}))) == [
        "P-ACT", "P-WAIT"]


def test_filters_combine(log_in, case_worker, cast, provider):
    response = log_in(case_worker).get(CASELOAD, {"provider": provider.pk, "status": "ended"})

    assert refs(response) == ["P-END"]


@pytest.fixture
def catalogue(cast, case_worker, colleague, provider, other_provider):
    """Measures beside the cast's two, each reached (or not) by one kind of enrollment."""
    lade_practice = factories.ProviderFactory(name="Lade Praksis AS")
    north = factories.ProviderFactory(name="Utdanning Nord AS")
    downtown = factories.ProviderFactory(name="Sentrum Tiltak AS")
    active_growth = factories.ProviderFactory(name="aktiv Vekst AS")  # sorted without case

    def measure(name, provider, participant=None, **state):
        made = factories.MeasureFactory(name=name, provider=provider)
        if participant is not None:
            factories.EnrollmentFactory(participant=cast[participant], measure=made, **state)
        return made

    return {
        # Two measures of the same name: the catalogue's order (the id) breaks the tie.
        "job_club": cast["job_club"],
        "second_job_club": measure("Jobbklubben", active_growth, "waiting", active=True),
        "workshop": cast["workshop"],
        # A referral withdrawn before a start and an ended enrollment still count.
        "withdrawn_only": measure("Avklaring", provider, "withdrawn", withdrawn=True),
        "ended_only": measure("Kurs i jobbsøking", other_provider, "ended", ended=True),
        # A colleague's participant: the office's, not the case worker's own.
        "colleagues": measure("Praksisplass", lade_practice, "colleagues"),
        # The case worker's own participant, registered with the other office.
        "elsewhere": measure("Utdanningsstøtte", north, "elsewhere", active=True),
        # The other office's participant, and no enrollment at all: never offered.
        "strangers": measure("Tiltak i Sentrum", downtown, "stranger", active=True),
        "unused": measure("Ubrukt tiltak", downtown),
    }


def offered(response, field: str) -> list[tuple[str, str]]:
    """The choices of one filter as the page offers them, "All" left out."""
    return [(str(value), str(label))
            for value, label in response.context["form"].fields[field].choices][1:]


def as_choices(*measures) -> list[tuple[str, str]]:
    return [(str(measure.pk), measure.name) for measure in measures]


def test_team_view_offers_the_measures_of_the_offices_enrollments_whatever_their_state(
    log_in, case_worker, catalogue
):
    response = log_in(case_worker).get(TEAM)

    assert offered(response, "measure") == as_choices(
        catalogue["withdrawn_only"], catalogue["job_club"], catalogue["second_job_club"],
        catalogue["ended_only"], catalogue["colleagues"], catalogue["workshop"],
    )
    assert [label for _value, label in offered(response, "provider")] == [
        "aktiv Vekst AS", "Jobbhuset AS", "Lade Praksis AS", "Skomakerverkstedet AS"]


def test_my_caseload_offers_the_measures_of_my_participants_in_any_office(
    log_in, case_worker, catalogue
):
    response = log_in(case_worker).get(CASELOAD)

    assert offered(response, "measure") == as_choices(
        catalogue["withdrawn_only"], catalogue["job_club"], catalogue["second_job_club"],
        catalogue["ended_only"], catalogue["workshop"], catalogue["elsewhere"],
    )
    assert [label for _value, label in offered(response, "provider")] == [
        "aktiv Vekst AS", "Jobbhuset AS", "Skomakerverkstedet AS", "Utdanning Nord AS"]


def test_the_measures_of_other_offices_are_not_offered_to_a_team_lead_who_also_leads_them(
    log_in, case_worker, other_office_case_worker, catalogue, cast
):
    """Leading the other office's project shows its participants elsewhere, not here."""
    team_lead = factories.CaseWorkerFactory(
        staff_profile__office=case_worker.staff_profile.office,
        roles=[Role.CASE_WORKER, Role.TEAM_LEAD, Role.PROJECT_LEAD])
    cast["other_project"].leads.add(team_lead)

    team = log_in(team_lead).get(TEAM)
    other_office = log_in(other_office_case_worker).get(TEAM)

    assert offered(team, "measure") == offered(log_in(case_worker).get(TEAM), "measure")
    assert offered(other_office, "measure") == as_choices(
        catalogue["workshop"], catalogue["strangers"], catalogue["elsewhere"])
    assert [label for _value, label in offered(other_office, "provider")] == [
        "Sentrum Tiltak AS", "Skomakerverkstedet AS", "Utdanning Nord AS"]


def test_without_an_office_the_team_view_offers_no_measures(log_in, catalogue):
    lonely = factories.CaseWorkerFactory(staff_profile__office=None)

    response = log_in(lonely).get(TEAM)

    assert offered(response, "measure") == []
    assert offered(response, "provider") == []


def _measures_as_before(rows):
    """The statement the choices were read with until the catalogue was read instead: every
    enrollment of the rows joined to its measure and provider, made distinct and sorted."""
    return [
        (str(measure_id), name, str(provider_id), provider_name)
        for measure_id, name, provider_id, provider_name in (
            rows.filter(enrollments__isnull=False)
            .values_list(
                "enrollments__measure_id", "enrollments__measure__name",
                "enrollments__measure__provider_id", "enrollments__measure__provider__name",
            )
            .order_by("enrollments__measure__name", "enrollments__measure_id")
            .distinct()
        )
    ]


@pytest.mark.parametrize("team", [False, True])
def test_the_choices_are_those_of_the_statement_they_replace(
    case_worker, colleague, other_office_case_worker, catalogue, team
):
    for user in (case_worker, colleague, other_office_case_worker):
        rows = selectors.caseload_rows(user=user, team=team)
        options = selectors.caseload_options(user=user, rows=rows, team=team)
        before = _measures_as_before(rows)

        assert [(c.value, c.label) for c in options.measures] == [
            (measure_id, name) for measure_id, name, *_provider in before]
        expected_providers = {(provider_id, label) for *_m, provider_id, label in before}
        assert {(c.value, c.label) for c in options.providers} == expected_providers
        assert [c.label.casefold() for c in options.providers] == sorted(
            label.casefold() for _value, label in expected_providers)


def test_team_view_filters_by_primary_case_worker(log_in, case_worker, colleague, cast, office):
    factories.ParticipantFactory(ref="P-ORPHAN", office=office, primary_case_worker=None)
    client = log_in(case_worker)

    assert refs(client.get(TEAM, {"case_worker": colleague.pk})) == ["P-COL"]
    assert refs(client.get(TEAM, {"case_worker": "none"})) == ["P-ORPHAN"]


def test_unknown_filter_values_are_ignored_and_the_rest_still_apply(log_in, case_worker, cast):
    response = log_in(case_worker).get(
        CASELOAD, {"project": "999999", "measure": "abc", "status": "active", "sort": "evil"}
    )

    assert response.status_code == 200
    assert refs(response) == ["P-ACT"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["P-BERG", "P-HANSEN", "P-LIE", "P-NORDMANN", "P-OSTBY"]),
        ("-name", ["P-OSTBY", "P-NORDMANN", "P-LIE", "P-HANSEN", "P-BERG"]),
        ("ref", ["P-BERG", "P-HANSEN", "P-LIE", "P-NORDMANN", "P-OSTBY"]),
        ("-ref", ["P-OSTBY", "P-NORDMANN", "P-LIE", "P-HANSEN", "P-BERG"]),
        # Days since the last follow-up: fewest first; never contacted counts as longest.
        ("follow_up", ["P-NORDMANN", "P-HANSEN", "P-LIE", "P-BERG", "P-OSTBY"]),
        ("-follow_up", ["P-BERG", "P-OSTBY", "P-LIE", "P-HANSEN", "P-NORDMANN"]),
        # Next goal date: soonest first; no goal date last either way.
        ("next_goal", ["P-HANSEN", "P-NORDMANN", "P-BERG", "P-LIE", "P-OSTBY"]),
        ("-next_goal", ["P-NORDMANN", "P-HANSEN", "P-BERG", "P-LIE", "P-OSTBY"]),
    ],
)
def test_sorting(log_in, case_worker, office, sort, expected):
    people = {
        "P-NORDMANN": ("Kari", "Nordmann", 2, dt.date(2031, 6, 1)),
        "P-HANSEN": ("Ola", "Hansen", 20, dt.date(2031, 1, 1)),
        "P-LIE": ("Nils", "Lie", 50, None),
        "P-BERG": ("Per", "Berg", None, None),
        "P-OSTBY": ("Åse", "Østby", None, None),
    }
    for ref, (given, family, follow_up, goal) in people.items():
        participant = factories.ParticipantFactory(
            ref=ref, given_name=given, family_name=family, office=office,
            primary_case_worker=case_worker,
        )
        if follow_up is not None:
            factories.FollowUpFactory(participant=participant, occurred_on=days_ago(follow_up))
        if goal is not None:
            factories.GoalFactory(plan__participant=participant, target_date=goal)

    response = log_in(case_worker).get(CASELOAD, {"sort": sort})

    assert refs(response) == expected


def test_sorted_column_header_carries_aria_sort_and_links_to_the_other_direction(
    log_in, case_worker, cast
):
    text = log_in(case_worker).get(CASELOAD, {"sort": "-ref", "status": "active"}).text

    assert 'aria-sort="descending"' in text
    assert text.count("aria-sort=") == 1
    assert 'href="/caseload/?sort=ref&amp;status=active"' in text
    assert 'name="sort" value="-ref" form="caseload-filters"' in text


def test_caseload_is_paginated_by_fifty_and_pages_keep_the_filters(
    log_in, case_worker, office
):
    factories.ParticipantFactory.create_batch(
        51, office=office, primary_case_worker=case_worker, given_name="Kari"
    )
    client = log_in(case_worker)

    first = client.get(CASELOAD, {"q": "kari"})
    second = client.get(CASELOAD, {"q": "kari", "page": 2})

    assert len(refs(first)) == 50
    assert len(refs(second)) == 1
    assert 'href="/caseload/?q=kari&amp;page=2"' in first.text
    assert "51 participants" in first.text


def test_htmx_request_gets_only_the_results_region(log_in, case_worker, cast):
    response = log_in(case_worker).get(
        CASELOAD, {"status": "waiting"}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert "<html" not in response.text
    assert response.text.count('id="caseload-results"') == 1
    assert "P-WAIT" in response.text
    assert "P-ACT" not in response.text


def test_history_restore_gets_the_whole_page(log_in, case_worker, cast):
    response = log_in(case_worker).get(
        CASELOAD, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )

    assert "<html" in response.text


def test_filter_form_works_with_and_without_javascript(log_in, case_worker, cast):
    text = log_in(case_worker).get(CASELOAD).text

    assert '<form id="caseload-filters" method="get" action="/caseload/"' in text
    assert 'hx-get="/caseload/" hx-target="#caseload-results"' in text
    assert 'hx-push-url="true"' in text
    assert '<section id="caseload-results"' in text


def test_menu_offers_the_case_worker_pages(log_in, case_worker):
    text = log_in(case_worker).get(CASELOAD).text

    for url in (CASELOAD, TEAM, reverse("participants:register")):
        assert f'href="{url}"' in text


def test_menu_hides_the_case_worker_pages_from_provider_staff(log_in, provider_staff):
    text = log_in(provider_staff).get(reverse("participants:home"), follow=True).text

    assert f'href="{CASELOAD}"' not in text
    assert f'href="{reverse("participants:register")}"' not in text


def _busy_office(office, case_worker, colleague, count):
    """``count`` participants with two enrollments, three follow-ups and two goals each."""
    project = factories.ProjectFactory()
    measures = factories.MeasureFactory.create_batch(3)
    for number in range(count):
        participant = factories.ParticipantFactory(
            office=office, project=project,
            primary_case_worker=case_worker if number % 2 else colleague,
        )
        factories.EnrollmentFactory(participant=participant, measure=measures[number % 3],
                                    ended=True)
        factories.EnrollmentFactory(participant=participant, measure=measures[(number + 1) % 3],
                                    active=True)
        for days in (3, 20, 60):
            factories.FollowUpFactory(participant=participant, occurred_on=days_ago(days))
        plan = factories.PlanFactory(participant=participant)
        factories.GoalFactory(plan=plan, target_date=dt.date(2031, 1, 1))
        factories.GoalFactory(plan=plan, target_date=dt.date(2031, 2, 1))


@pytest.mark.parametrize("url", [CASELOAD, TEAM])
def test_caseload_needs_a_bounded_number_of_queries(
    log_in, case_worker, colleague, office, url, django_assert_max_num_queries
):
    _busy_office(office, case_worker, colleague, count=120)  # 60 each
    client = log_in(case_worker)

    # The session, the user, the roles, the "no contact" setting, the office, projects,
    # measures, the count and the page; on My caseload also the lists' counts and the saved
    # filters.
    with django_assert_max_num_queries(11):
        response = client.get(url, {"sort": "-follow_up"})

    assert response.status_code == 200
    assert len(refs(response)) == 50
    assert {row.caseload_status for row in response.context["page"]} == {"active"}


def test_a_user_with_both_case_worker_and_provider_roles_sees_only_own_rows(
    log_in, case_worker, cast, provider
):
    factories.give_roles(case_worker, Role.PROVIDER_STAFF)
    factories.ProviderMembershipFactory(user=case_worker, provider=provider)

    response = log_in(case_worker).get(CASELOAD)

    assert "P-STR" not in refs(response)
