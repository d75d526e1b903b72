"""Every page that lists or shows records makes as many queries for a big caseload as for a
small one: no query per row (an N+1) anywhere.

Each page is rendered by a user who may see it (the roles and the world of
tests/test_url_access.py), once with a little data and once with clearly more: two units
of data, then twelve. A unit is a participant of the case worker's caseload with several
enrollments, follow-ups, outcome spells, goals, answers, proposals, progress reports,
access-log rows and case worker changes, a colleague's participant in the same office, a
sub-project, measures of the provider and of another provider, problem reports, reports,
uploads, custom periods and stored figures; the participant the record pages are about gets
more of everything of its own too. The number of queries must not move.

A GET page of tests/test_url_access.py's RULES table that is neither in ``PAGES`` nor in
``NOT_COUNTED`` fails ``test_every_get_page_is_counted_or_excluded_for_a_reason``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evaluations.indicators import INDICATORS, IndicatorResult
from evaluations.indicators.definitions import Kind
from evaluations.indicators.result import Cell, Row
from evaluations.models import (
    ImportRequest,
    IndicatorRequest,
    IndicatorSnapshot,
    PeriodKind,
    Project,
)
from measures.models import Enrollment, ProposalStatus
from participants.models import Employer, Participant, Plan
from tests import factories
from tests.test_url_access import OK, ROLES, RULES, build_world

pytestmark = pytest.mark.django_db

# Units of data of the small and of the large rendering. With twelve units some lists pass
# a page or a cap that two units stay under: the access log and the provider's list (50 rows
# a page), the case file's timeline (the latest 100 events). The count must not move for
# that either: a page costs a count and its rows however many pages there are, and the
# timeline cuts its events in memory, after the same queries.
# Sub-projects are one level deep in both: a project lead's visibility rule walks the
# project tree with one query per level (evaluations.models.descendant_ids_of), so the
# depth of the tree, not the amount of data, sets that part of the count.
SMALL, LARGE = 2, 12

YEAR = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))


@dataclass(frozen=True)
class Page:
    """A GET page as one reader sees it.

    ``query`` builds the query string from the world; ``grows`` says the page shows more
    when the data grow (its HTML gets longer), which proves the reader sees the data at all.
    A page about one record (a problem report, an export) shows the same however much else
    there is; its query count must not move either.
    """

    name: str
    reader: str  # a fixture of tests/conftest.py
    query: Any = None  # world -> dict of GET parameters
    grows: bool = True
    note: str = ""

    @property
    def id(self) -> str:
        return "-".join(part for part in (self.name, self.reader, self.note) if part)


PAGES = [
    # An administrator's start page lists every participant (the roles with a page of
    # their own are redirected there).
    Page("participants:home", "administrator"),
    Page("participants:caseload", "case_worker"),
    Page("participants:team", "case_worker"),
    # The form offers projects, offices and the office's case workers.
    Page("participants:register", "case_worker"),
    Page("participants:detail", "case_worker"),
    # A lead reads the case files of the projects they lead (and their sub-projects).
    Page("participants:detail", "project_lead", note="read-only"),
    Page("participants:detail", "administrator"),
    # The header is about the participant alone: the same however big the file.
    Page("participants:header", "case_worker", grows=False),
    Page("participants:timeline", "case_worker"),
    Page("participants:timeline", "case_worker", query=lambda world: {"all": "1"},
         note="every-event"),
    Page("participants:outcome_spells", "case_worker"),
    # Loaded when opened: it offers the office's case workers.
    Page("participants:case_worker_form", "case_worker"),
    Page("participants:goals", "case_worker"),
    Page("participants:who_read", "case_worker"),
    # The counts of My caseload's lists (the start page's), and one participant's support
    # phase: a count of follow-ups, the same queries however many.
    Page("participants:caseload_counts", "case_worker"),
    Page("participants:support_phase", "case_worker", grows=False),
    # Every note of the case file, for its readers.
    Page("participants:notes", "case_worker"),
    Page("participants:notes", "project_lead", note="read-only"),
    Page("participants:voice", "case_worker"),
    Page("participants:voice", "project_lead", note="read-only"),
    Page("participants:access_log", "administrator"),
    # The employer register, and one employer with the participants placed there, the
    # follow-ups that named it and its job development contacts.
    Page("participants:employer_list", "case_worker"),
    # The picker of the case-file forms: at most twenty of the employers found.
    Page("participants:employer_choices", "case_worker", query=lambda world: {"q": "a"}),
    Page("participants:employer_detail", "case_worker"),
    Page("participants:employer_detail", "project_lead", note="read-only"),
    Page("participants:employer_edit", "case_worker", grows=False),
    Page("participants:job_development_contacts", "case_worker"),
    Page("participants:job_development_contact_edit", "case_worker", grows=False),
    # One row per case worker of the office.
    Page("participants:job_development_weeks", "case_worker"),
    Page("measures:for_participant", "case_worker"),
    Page("measures:waiting_lists", "case_worker"),
    Page("measures:waiting_lists", "project_lead"),
    Page("measures:waiting_lists", "provider_staff"),
    Page("measures:measure_wait_info", "case_worker",
         query=lambda world: {"measure": world.measure.pk}),
    # The provider staff of tests/test_url_access.py belong to another provider and see
    # none of the world's enrollments; ``provider_staff`` works for the world's provider.
    Page("measures:provider_participants", "provider_staff"),
    Page("measures:provider_enrollment", "provider_staff"),
    Page("evaluations:project_list", "case_worker"),
    Page("evaluations:dashboard", "project_lead",
         query=lambda world: {"project": world.project.code, "by": "provider"}),
    Page("evaluations:dashboard", "administrator", note="all-projects"),
    Page("evaluations:custom_period", "project_lead"),
    Page("evaluations:problem_reports", "case_worker"),
    Page("evaluations:problem_reports", "project_lead", note="every-report"),
    # One report, one export: pages about a record, not lists.
    Page("evaluations:problem_report_detail", "project_lead", grows=False),
    Page("evaluations:export_list", "project_lead"),
    Page("evaluations:export_detail", "project_lead", grows=False),
    Page("evaluations:import_list", "administrator"),
    Page("evaluations:import_detail", "administrator"),
]

# GET pages whose queries cannot depend on how much data there is, and why.
NOT_COUNTED = {
    # A form for someone not signed in; it reads nothing.
    "login": "the sign-in form",
    # The user's own authenticator device, one row at most.
    "participants:two_factor_setup": "one user's own device",
    "participants:two_factor_verify": "one user's own device",
    # The case worker's own PIN, one row at most.
    "participants:participant_mode_pin": "one user's own profile",
    # Outside participant mode these are not found; inside it they show one questionnaire
    # (tests/participants/test_voice_participant_mode.py).
    "participants:participant_mode": "only in participant mode",
    "participants:participant_mode_done": "only in participant mode",
    "participants:participant_mode_leave": "a form, only in participant mode",
    # Empty unless the case worker shared the answers; the provider staff of this world
    # belong to another provider.
    "participants:voice_shared": "empty for the readers of this world",
    # The definitions are texts in the code, not rows.
    "evaluations:indicator_definitions": "texts from the code",
    # An empty form with fixed choices.
    "evaluations:problem_report_create": "an empty form",
    "participants:employer_create": "an empty form",
    # A file streamed from disk, after one look-up of the request.
    "evaluations:export_download": "a file, not a page",
}


def cells() -> dict[str, Cell]:
    """Every indicator with a plain value resting on 40 units."""
    plain = {Kind.COUNT: 40, Kind.RATE: 0.25, Kind.MEAN: 1.5, Kind.DAYS: 21.0}
    return {indicator.code: Cell(value=plain[indicator.kind], units=40)
            for indicator in INDICATORS}


def result_json(project, period, *, by=None, groups=()) -> dict:
    return IndicatorResult(
        date_from=period[0], date_to=period[1], project_code=project.code if project else None,
        by=by, total=cells(), rows=tuple(Row(group, cells()) for group in groups),
    ).to_json()


def store(project, kind, period, *, by=None, groups=()) -> None:
    IndicatorSnapshot.objects.create(
        project=project, period_kind=kind, date_from=period[0], date_to=period[1],
        dimension=by or "", result=result_json(project, period, by=by, groups=groups),
        computed_at=timezone.now(),
    )


def quarter_before(date: dt.date, quarters: int) -> tuple[dt.date, dt.date]:
    """The quarter ``quarters`` before the one that starts on ``date``."""
    month = date.year * 12 + date.month - 1 - 3 * quarters
    start = dt.date(month // 12, month % 12 + 1, 1)
    end = (start + dt.timedelta(days=95)).replace(day=1) - dt.timedelta(days=1)
    return start, end


@dataclass
class World:
    """tests/test_url_access.py's world, and the objects it is made of, to grow."""

    urls: dict
    participant: Participant
    project: Project
    office: Any
    provider: Any
    case_worker: Any
    project_lead: Any
    administrator: Any
    enrollment: Enrollment
    plan: Plan
    custom: IndicatorRequest
    upload: ImportRequest
    instrument: Any
    employer: Any
    units: int = 0
    providers: list = field(default_factory=list)
    problems: list = field(default_factory=list)

    @property
    def measure(self):
        return self.enrollment.measure

    def grow(self, units: int) -> None:
        for _ in range(units):
            self.units += 1
            self._add_unit(self.units)
        self._refresh_figures()

    def _add_unit(self, n: int) -> None:
        colleague = factories.CaseWorkerFactory(staff_profile__office=self.office)
        uploader = factories.UserFactory()
        sub_project = factories.ProjectFactory(parent=self.project)
        own_measure = factories.MeasureFactory(provider=self.provider)
        other_measure = factories.MeasureFactory()
        self.providers.append(other_measure.provider)
        # Another employer in the register, and the colleague's contact with the world's.
        factories.EmployerFactory()
        factories.JobDevelopmentContactFactory(employer=self.employer, case_worker=colleague,
                                               occurred_on=timezone.localdate())

        # One more participant of the caseload, with a case file of several of everything.
        participant = factories.ParticipantFactory(
            office=self.office, project=sub_project if n % 2 else self.project,
            primary_case_worker=self.case_worker)
        self._case_file(participant, colleague, own_measure, other_measure, items=3)
        # And a colleague's participant in the same office, for the team view.
        factories.EnrollmentFactory(
            participant=factories.ParticipantFactory(
                office=self.office, project=self.project, primary_case_worker=colleague),
            measure=other_measure, active=True)
        # The participant the record pages are about gets more of its own.
        self._case_file(self.participant, colleague, own_measure, other_measure, items=1)

        # Problem reports, one answered by a lead of its own.
        factories.ProblemReportFactory(reported_by=self.case_worker)
        factories.ProblemReportFactory(reported_by=self.case_worker, answered=True)
        # Reports of the project lead, uploads of the administrator, custom periods.
        factories.ExportRequestFactory(requested_by=self.project_lead, project=sub_project)
        factories.ExportRequestFactory(requested_by=self.project_lead, project=None,
                                       done=True)
        factories.ImportRequestFactory(uploaded_by=self.administrator)
        factories.ImportRequestFactory(uploaded_by=uploader, confirmed_by=self.administrator,
                                       confirmed_at=timezone.now(), status="done")
        IndicatorRequest.objects.create(requested_by=self.project_lead, project=sub_project,
                                        date_from=dt.date(2025, 1, 1),
                                        date_to=dt.date(2025, 6, 30))
        self.problems.append([f"participants{n}.csv", n, "ref", "Unknown office"])
        # A quarter more of stored figures, for the trend.
        for project in (self.project, None):
            store(project, PeriodKind.QUARTER, quarter_before(dt.date(2025, 10, 1), n - 1))

    def _case_file(self, participant, colleague, own_measure, other_measure, *, items):
        proposer = factories.UserFactory()  # of the provider
        for _ in range(items):
            waiting = factories.EnrollmentFactory(participant=participant,
                                                  measure=self.measure, referred_by=colleague)
            factories.EnrollmentProposalFactory(enrollment=waiting, proposed_by=proposer)
            factories.EnrollmentProposalFactory(
                enrollment=waiting, proposed_by=proposer, status=ProposalStatus.REJECTED,
                decided_by=colleague, decided_at=timezone.now(), decision_reason="Not yet")
            active = factories.EnrollmentFactory(participant=participant, measure=own_measure,
                                                 referred_by=self.case_worker, active=True)
            factories.ProgressReportFactory(enrollment=active, written_by=proposer)
            factories.EnrollmentFactory(participant=participant, measure=other_measure,
                                        ended=True)
            factories.EnrollmentFactory(participant=participant, measure=other_measure,
                                        withdrawn=True)
            factories.FollowUpFactory(participant=participant, case_worker=colleague,
                                      with_employer=True, note="Called the employer")
            factories.FollowUpFactory(participant=participant, case_worker=self.case_worker,
                                      employer=self.employer)
            factories.OutcomeSpellFactory(participant=participant, ended_on=None,
                                          hours_per_week=20, employer=self.employer)
            factories.OutcomeSpellFactory(participant=participant,
                                          ended_on=dt.date(2024, 9, 30))
            factories.CaseWorkerAssignmentFactory(participant=participant,
                                                  case_worker=self.case_worker,
                                                  assigned_by=colleague)
            factories.AccessLogEntryFactory(participant=participant, user=colleague,
                                            username=colleague.username)
            factories.AccessLogEntryFactory(participant=participant, user=self.case_worker,
                                            username=self.case_worker.username)
        plan = self.plan if participant == self.participant else \
            factories.PlanFactory(participant=participant)
        factories.GoalFactory.create_batch(items + 1, plan=plan)
        factories.PlanReviewFactory(plan=plan, reviewed_by=colleague)
        for item in factories.InstrumentItemFactory.create_batch(items,
                                                                 instrument=self.instrument):
            factories.AnswerFactory(participant=participant, item=item)

    def _refresh_figures(self) -> None:
        """The year's figures (with a row per provider) and the custom period's result,
        for as many providers as there are now."""
        groups = [self.provider.code, *(provider.code for provider in self.providers)]
        IndicatorSnapshot.objects.filter(date_from=YEAR[0], date_to=YEAR[1]).delete()
        for project in (self.project, None):
            store(project, PeriodKind.YEAR, YEAR)
            store(project, PeriodKind.YEAR, YEAR, by="provider", groups=groups)
        self.custom.status = IndicatorRequest.Status.DONE
        self.custom.project = self.project
        self.custom.dimension = "provider"
        self.custom.finished_at = timezone.now()
        self.custom.result = result_json(self.project, (self.custom.date_from,
                                                        self.custom.date_to),
                                         by="provider", groups=groups)
        self.custom.save()
        self.upload.status = "invalid"
        self.upload.problem_count = len(self.problems)
        self.upload.problems = self.problems
        self.upload.save()


@pytest.fixture
def world(case_worker, office, provider, project_lead, administrator):
    urls = build_world(case_worker, office, provider, project_lead, administrator)
    participant = Participant.objects.get(pk=urls["participant"]["pk"])
    enrollment = Enrollment.objects.select_related("measure").get(pk=urls["enrollment"]["pk"])
    return World(
        urls=urls, participant=participant, project=participant.project, office=office,
        provider=provider, case_worker=case_worker, project_lead=project_lead,
        administrator=administrator, enrollment=enrollment,
        plan=Plan.objects.get(participant=participant),
        custom=IndicatorRequest.objects.get(pk=urls["custom_period"]["pk"]),
        upload=ImportRequest.objects.get(pk=urls["import"]["pk"]),
        instrument=factories.InstrumentFactory(),
        employer=Employer.objects.get(pk=urls["employer"]["pk"]),
    )


class CapturedQueries:
    """The queries of every database (a replica too, when the settings name one)."""

    def __enter__(self):
        self._stack = ExitStack()
        self._captured = [self._stack.enter_context(CaptureQueriesContext(connections[alias]))
                          for alias in connections]
        return self

    def __exit__(self, *exc):
        return self._stack.__exit__(*exc)

    @property
    def sql(self) -> list[str]:
        return [query["sql"] for captured in self._captured for query in captured]


def shape(sql: str) -> str:
    """The query without its values, so the same query about other rows compares equal."""
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    sql = re.sub(r"\b\d+(?:\.\d+)?\b", "?", sql)
    return re.sub(r"\(\?(?:, \?)*\)", "(…)", sql)


def differing(small: list[str], large: list[str]) -> str:
    fewer, more = Counter(map(shape, small)), Counter(map(shape, large))
    lines = [f"{len(small)} queries with {SMALL} units of data, {len(large)} with {LARGE}."]
    for label, extra in (("Only with more data", more - fewer),
                         ("Only with less data", fewer - more)):
        for query, times in extra.items():
            lines.append(f"{label} ({times}x): {query}")
    return "\n".join(lines)


def render(client, view: Page, world: World):
    about = RULES[view.name][1]
    url = reverse(view.name, kwargs=world.urls[about] if about else None)
    with CapturedQueries() as captured:
        response = client.get(url, view.query(world) if view.query else {})
    assert response.status_code == 200, (url, response.status_code)
    return response, captured.sql


@pytest.mark.parametrize("view", PAGES, ids=lambda view: view.id)
def test_the_number_of_queries_of_a_page_does_not_grow_with_the_data(
    request, log_in, world, view
):
    client = log_in(request.getfixturevalue(view.reader))
    world.grow(SMALL)
    # A first request fills what a process caches once (content types, translations...).
    render(client, view, world)
    small_page, small = render(client, view, world)
    world.grow(LARGE - SMALL)
    large_page, large = render(client, view, world)

    assert len(large) == len(small), differing(small, large)
    if view.grows:
        assert len(large_page.content) > len(small_page.content), "the reader saw no data"


def test_every_get_page_is_counted_or_excluded_for_a_reason():
    get_pages = {name for name, (method, _about, _rule) in RULES.items() if method == "get"}
    counted = {view.name for view in PAGES}

    assert counted & set(NOT_COUNTED) == set()
    assert get_pages - counted - set(NOT_COUNTED) == set(), "count these pages' queries"
    assert (counted | set(NOT_COUNTED)) - get_pages == set(), "no such GET page"


def test_each_page_is_counted_as_a_reader_the_rules_let_in():
    for view in PAGES:
        if view.reader in ROLES:
            assert RULES[view.name][2][view.reader] == OK, view.id
