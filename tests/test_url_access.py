"""Every URL of the project, for every role: the answer each one gets.

The table below names every URL pattern outside the admin (the admin is for
administrators only: tests/test_admin.py). A view added without a row here fails
``test_every_url_has_an_access_rule``, so no page is ever reached by accident.

Outcomes: ``OK`` the page or action answers (2xx, or a redirect that is not the login
page); ``NO`` refused (403 or 404: a 404 does not even say the record exists); ``LOGIN``
sent to the login page.
"""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from evaluations.models import IndicatorRequest
from rehab.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db

OK, NO, LOGIN = "ok", "refused", "login"
ROLES = ("anonymous", "case_worker", "other_office_case_worker", "other_provider_staff",
         "project_lead", "administrator")


def every(outcome, **exceptions):
    return {role: exceptions.get(role, outcome) for role in ROLES} | {
        "anonymous": exceptions.get("anonymous", LOGIN)}


STAFF = every(OK)
CASE_FILE_READ = every(OK, other_office_case_worker=NO, other_provider_staff=NO)
CASE_FILE_WRITE = every(OK, other_office_case_worker=NO, other_provider_staff=NO,
                        project_lead=NO)
CASE_WORKERS = every(NO, case_worker=OK, other_office_case_worker=OK)
WATCHERS = every(NO, project_lead=OK, administrator=OK)
ADMINISTRATORS = every(NO, administrator=OK)
OWN_PROVIDER_ONLY = every(NO)  # the provider staff here belong to another provider
REQUESTER_ONLY = every(NO, project_lead=OK)  # the project lead asked for it
READERS_OF_WHO_READ = every(NO, case_worker=OK, administrator=OK)
EMPLOYER_READERS = every(OK, other_provider_staff=NO)
EMPLOYER_EDITORS = every(NO, case_worker=OK, other_office_case_worker=OK, administrator=OK)

# name: (method, object the URL is about, expected outcome per role)
RULES = {
    "login": ("get", None, every(OK, anonymous=OK)),
    # Signing out ends on the login page, whoever asks.
    "logout": ("post", None, every(LOGIN)),
    "set_language": ("post", None, every(OK, anonymous=OK)),
    "participants:home": ("get", None, STAFF),
    "participants:caseload": ("get", None, CASE_WORKERS),
    "participants:team": ("get", None, CASE_WORKERS),
    "participants:register": ("get", None, every(NO, case_worker=OK,
                                                 other_office_case_worker=OK,
                                                 administrator=OK)),
    "participants:detail": ("get", "participant", CASE_FILE_READ),
    "participants:header": ("get", "participant", CASE_FILE_READ),
    "participants:timeline": ("get", "participant", CASE_FILE_READ),
    "participants:outcome_spells": ("get", "participant", CASE_FILE_READ),
    "participants:goals": ("get", "participant", CASE_FILE_READ),
    "participants:who_read": ("get", "participant", READERS_OF_WHO_READ),
    # The whole identity number: the participant's own case worker only.
    "participants:national_id": ("post", "participant", every(NO, case_worker=OK)),
    "participants:access_log": ("get", None, ADMINISTRATORS),
    "participants:two_factor_setup": ("get", None, STAFF),
    "participants:two_factor_verify": ("get", None, STAFF),
    "participants:follow_up_create": ("post", "participant", CASE_FILE_WRITE),
    "participants:outcome_spell_create": ("post", "participant", CASE_FILE_WRITE),
    "participants:outcome_spell_end": ("post", "spell", CASE_FILE_WRITE),
    "participants:goal_add": ("post", "participant", CASE_FILE_WRITE),
    "participants:goal_review": ("post", "goal", CASE_FILE_WRITE),
    "participants:plan_review_add": ("post", "participant", CASE_FILE_WRITE),
    "participants:case_worker_change": ("post", "participant", CASE_FILE_WRITE),
    "participants:case_worker_form": ("get", "participant", CASE_FILE_WRITE),
    # The employer register is shared by the offices; provider staff see none of it.
    "participants:employer_list": ("get", None, EMPLOYER_READERS),
    "participants:employer_create": ("get", None, EMPLOYER_EDITORS),
    "participants:employer_choices": ("get", None, EMPLOYER_READERS),
    "participants:employer_detail": ("get", "employer", EMPLOYER_READERS),
    "participants:employer_edit": ("get", "employer", EMPLOYER_EDITORS),
    "participants:job_development_contacts": ("get", "employer", EMPLOYER_READERS),
    "participants:job_development_contact_create": ("post", "employer", CASE_WORKERS),
    # The case worker's own contact: theirs and the administrators' to change.
    "participants:job_development_contact_edit": ("get", "job_development_contact",
                                                  every(NO, case_worker=OK,
                                                        administrator=OK)),
    "participants:job_development_weeks": ("get", None, CASE_WORKERS),
    "participants:caseload_counts": ("get", None, CASE_WORKERS),
    "participants:caseload_preference": ("post", None, CASE_WORKERS),
    "participants:saved_filter_create": ("post", None, CASE_WORKERS),
    # A saved filter is its owner's alone (the case worker's here).
    "participants:saved_filter_delete": ("post", "saved_filter", every(NO, case_worker=OK)),
    "participants:support_phase": ("get", "participant", CASE_FILE_READ),
    "participants:next_contact_set": ("post", "participant", CASE_FILE_WRITE),
    "participants:notes": ("get", "participant", CASE_FILE_READ),
    # The participant's own voice. The shared answers answer (empty unless shared) to
    # whoever may see the participant; another provider's staff get a 404.
    "participants:voice": ("get", "participant", CASE_FILE_READ),
    "participants:voice_share": ("post", "participant", CASE_FILE_WRITE),
    "participants:voice_shared": ("get", "participant", CASE_FILE_READ),
    "participants:participant_mode_start": ("post", "participant", CASE_FILE_WRITE),
    # Participant mode's own pages: not found outside participant mode (signing in again
    # ends it); leaving it then just goes home.
    "participants:participant_mode": ("get", None, every(NO)),
    "participants:participant_mode_answer": ("post", "item", every(NO)),
    "participants:participant_mode_done": ("get", None, every(NO)),
    "participants:participant_mode_leave": ("get", None, STAFF),
    "participants:participant_mode_pin": ("get", None, every(NO, case_worker=OK,
                                                              other_office_case_worker=OK,
                                                              administrator=OK)),
    "measures:for_participant": ("get", "participant_pk", CASE_FILE_READ),
    "measures:enrollment_refer": ("post", "participant_pk", CASE_FILE_WRITE),
    "measures:enrollment_start": ("post", "enrollment", CASE_FILE_WRITE),
    "measures:enrollment_end": ("post", "enrollment", CASE_FILE_WRITE),
    "measures:enrollment_withdraw": ("post", "enrollment", CASE_FILE_WRITE),
    "measures:waiting_lists": ("get", None, STAFF),
    "measures:measure_wait_info": ("get", None, STAFF),
    "measures:provider_participants": ("get", None, every(NO, other_provider_staff=OK)),
    "measures:provider_enrollment": ("get", "enrollment", OWN_PROVIDER_ONLY),
    "measures:provider_propose": ("post", "enrollment_kind", OWN_PROVIDER_ONLY),
    "measures:provider_report_create": ("post", "enrollment", OWN_PROVIDER_ONLY),
    "measures:proposal_accept": ("post", "proposal", CASE_FILE_WRITE),
    "measures:proposal_reject": ("post", "proposal", CASE_FILE_WRITE),
    "evaluations:project_list": ("get", None, STAFF),
    "evaluations:dashboard": ("get", None, WATCHERS),
    "evaluations:dashboard_refresh": ("post", None, WATCHERS),
    "evaluations:custom_period_create": ("post", None, WATCHERS),
    "evaluations:custom_period": ("get", "custom_period", WATCHERS),
    "evaluations:indicator_definitions": ("get", None, STAFF),
    "evaluations:problem_reports": ("get", None, STAFF),
    "evaluations:problem_report_create": ("get", None, STAFF),
    "evaluations:problem_report_detail": ("get", "problem_report",
                                          every(NO, case_worker=OK, project_lead=OK,
                                                administrator=OK)),
    "evaluations:export_list": ("get", None, WATCHERS),
    "evaluations:report_request_create": ("post", None, WATCHERS),
    "evaluations:extract_request_create": ("post", None, WATCHERS),
    "evaluations:export_detail": ("get", "export", REQUESTER_ONLY),
    "evaluations:export_download": ("get", "export", REQUESTER_ONLY),
    "evaluations:import_list": ("get", None, ADMINISTRATORS),
    "evaluations:import_detail": ("get", "import", ADMINISTRATORS),
    "evaluations:import_confirm": ("post", "import", ADMINISTRATORS),
    "evaluations:import_cancel": ("post", "import", ADMINISTRATORS),
}


def url_names(patterns=None, namespace=None):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin" or str(pattern.pattern).startswith("static"):
                continue
            yield from url_names(pattern.url_patterns, pattern.namespace or namespace)
        elif pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_url_has_an_access_rule():
    assert set(url_names()) == set(RULES)


@pytest.fixture
def world(case_worker, office, provider, project_lead, administrator):
    return build_world(case_worker, office, provider, project_lead, administrator)


def build_world(case_worker, office, provider, project_lead, administrator) -> dict:
    """One participant of the case worker's office, in a project the lead leads, enrolled
    (waiting) in a measure of ``provider``, with a work spell at an employer, a goal, a
    provider's proposal, a problem report, a custom period, a report, an upload and a job
    development contact of the case worker with that employer."""
    project = factories.ProjectFactory(code="VVV")
    project.leads.add(project_lead)
    participant = factories.ParticipantFactory(office=office, project=project,
                                               primary_case_worker=case_worker,
                                               national_id="05106003736",
                                               national_id_country="NO")
    enrollment = factories.EnrollmentFactory(participant=participant,
                                             measure__provider=provider)
    employer = factories.EmployerFactory(registered_by_office=office)
    return {
        "participant": {"pk": participant.pk},
        "participant_pk": {"participant_pk": participant.pk},
        "enrollment": {"pk": enrollment.pk},
        "enrollment_kind": {"pk": enrollment.pk, "kind": "start"},
        "spell": {"pk": participant.pk, "spell_pk": factories.OutcomeSpellFactory(
            participant=participant, ended_on=None, employer=employer).pk},
        "employer": {"pk": employer.pk},
        "job_development_contact": {"pk": factories.JobDevelopmentContactFactory(
            employer=employer, case_worker=case_worker).pk},
        "goal": {"pk": participant.pk, "goal_pk": factories.GoalFactory(
            plan__participant=participant).pk},
        "proposal": {"pk": factories.EnrollmentProposalFactory(enrollment=enrollment).pk},
        "problem_report": {"pk": factories.ProblemReportFactory(reported_by=case_worker).pk},
        "item": {"item_pk": factories.InstrumentItemFactory().pk},
        "custom_period": {"pk": IndicatorRequest.objects.create(
            requested_by=project_lead, date_from=dt.date(2025, 1, 1),
            date_to=dt.date(2025, 3, 31)).pk},
        "export": {"pk": _ready_export(project_lead, project).pk},
        "import": {"pk": factories.ImportRequestFactory(uploaded_by=administrator).pk},
        "saved_filter": {"pk": factories.SavedCaseloadFilterFactory(user=case_worker).pk},
    }


def _ready_export(user, project):
    """A finished report whose file is there to download."""
    export = factories.ExportRequestFactory(
        requested_by=user, project=project, done=True,
        expires_at=timezone.now() + dt.timedelta(hours=1))
    path = Path(settings.PRIVATE_ROOT) / export.file_name
    path.parent.mkdir(parents=True)
    path.write_bytes(b"PK report")
    return export


def outcome(response) -> str:
    if response.status_code in (403, 404):
        return NO
    location = response.get("Location", "")
    if response.status_code == 302 and location.startswith(reverse("login")):
        return LOGIN
    # htmx is sent to the login page as a whole page (rehab/htmx.py)
    if response.status_code == 204 and response.get("HX-Redirect", "").startswith(
            reverse("login")):
        return LOGIN
    assert response.status_code < 500, response
    assert response.status_code != 405, "the rule's method is wrong"
    return OK


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_answer_from_every_url(request, client, log_in, world,
                                                           role):
    user = AnonymousUser() if role == "anonymous" else request.getfixturevalue(role)
    found = {}
    for name, (method, about, _expected) in sorted(RULES.items()):
        http = log_in(user) if role != "anonymous" else client
        url = reverse(name, kwargs=world[about] if about else None)
        response = getattr(http, method)(url, HTTP_HX_REQUEST="true")
        found[name] = outcome(response)
    expected = {name: rule[2][role] for name, rule in RULES.items()}
    assert {n: o for n, o in found.items() if o != expected[n]} == {}


def test_the_roles_are_the_ones_the_issue_names():
    assert {Role.CASE_WORKER, Role.PROVIDER_STAFF, Role.PROJECT_LEAD,
            Role.ADMINISTRATOR} <= set(Role.values)
