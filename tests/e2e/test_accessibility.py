"""Every main page of every role meets WCAG 2.1 AA, as far as axe-core can tell.

Public-sector services in Norway, Denmark and Sweden must meet WCAG 2.1 AA (the EU Web
Accessibility Directive). Each page below is opened in Chromium as the role that uses it,
with invented but realistic data, its folded parts (``<details>``) opened and the regions
htmx loads into it settled, and then checked by axe-core (bundled with
axe-playwright-python, nothing is fetched) with the rules tagged WCAG 2.0 and 2.1, levels A
and AA. A failure lists each violation with the elements it was found on.

axe finds about half of what a person testing by hand would: keyboard use, focus order,
the sense of labels and texts still need a human.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from io import StringIO

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.core.management import call_command
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from playwright.sync_api import expect

from measures.models import EndReason, MeasureType, ProposalKind, Setting
from participants.models import Channel, GoalStatus, Instrument, OutcomeKind
from participants.two_factor import needs_two_factor
from rehab.roles import Role
from tests import factories
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WCAG_2_1_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE = Axe()


def days_ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


@dataclass
class Site:
    """The people and records the pages show."""

    case_worker: object
    team_lead: object
    provider_staff: object
    project_lead: object
    administrator: object
    participant: object
    provider_enrollment: object
    employer: object
    contact: object
    problem_report: object
    export: object
    project: object


def build_site() -> Site:
    """NAV Lade: a case worker's caseload with a participant who has it all (enrollments,
    a pending proposal, follow-ups, a plan, a job, the own view answered), an employer,
    a provider with staff, a project with its lead, and the administrator."""
    office = factories.OfficeFactory(code="nav-lade", name="NAV Lade")
    ingrid = factories.CaseWorkerFactory(
        username="ingrid", first_name="Ingrid", last_name="Berg", staff_profile__office=office)
    hilde = factories.CaseWorkerFactory(
        username="hilde", first_name="Hilde", last_name="Dahl", staff_profile__office=office,
        roles=[Role.CASE_WORKER, Role.TEAM_LEAD])
    lead = factories.UserFactory(username="turid", first_name="Turid", last_name="Aasen",
                                 roles=[Role.PROJECT_LEAD])
    administrator = factories.UserFactory(username="ada", first_name="Ada", last_name="Holm",
                                          roles=[Role.ADMINISTRATOR])
    project = factories.ProjectFactory(
        code="VIT", name="Vekst i Trøndelag", starts_on=days_ago(700),
        ends_on=timezone.localdate() + dt.timedelta(days=400),
        target_work_rate="0.2000", target_education_rate="0.1500")
    project.leads.add(lead)
    provider = factories.ProviderFactory(code="skomaker", name="Skomakerverkstedet AS",
                                         municipality="Trondheim")
    bjorn = factories.ProviderStaffFactory(
        username="bjorn", first_name="Bjørn", last_name="Lunde", membership__provider=provider)
    training = factories.MeasureFactory(
        code="SKO-AT", name="Arbeidstrening verksted", measure_type=MeasureType.WORK_TRAINING,
        provider=provider, setting=Setting.SHELTERED_WORKPLACE, capacity=12)
    practice = factories.MeasureFactory(
        code="SKO-AP", name="Arbeidspraksis butikk", measure_type=MeasureType.WORK_PRACTICE,
        provider=provider, setting=Setting.ORDINARY_WORKPLACE, capacity=8)
    employer = factories.EmployerFactory(name="Sykkelverkstedet på Lade AS",
                                         registered_by_office=office)

    def person(ref, given, family, worker=ingrid, **extra):
        participant = factories.ParticipantFactory(
            ref=ref, given_name=given, family_name=family, project=project, office=office,
            primary_case_worker=worker, evaluation_consent=True, language="en", **extra)
        factories.CaseWorkerAssignmentFactory(participant=participant, case_worker=worker,
                                              assigned_on=days_ago(240))
        return participant

    sigrid = person("P-LADE-0142", "Sigrid", "Haugen", next_contact_on=days_ago(-7))
    ahmed = person("P-LADE-0157", "Ahmed", "Hassan")
    emma = person("P-LADE-0163", "Emma", "Solberg")
    person("P-LADE-0134", "Ole", "Bakke", worker=hilde)

    factories.EnrollmentFactory(participant=sigrid, measure=training, referred_on=days_ago(230),
                                started_on=days_ago(215), ended_on=days_ago(150),
                                end_reason=EndReason.COMPLETED, referred_by=ingrid)
    active = factories.EnrollmentFactory(
        participant=sigrid, measure=practice, referred_on=days_ago(120),
        started_on=days_ago(100), planned_end_on=timezone.localdate() + dt.timedelta(days=60),
        participation_percent=60, days_per_week=3, referred_by=ingrid)
    factories.EnrollmentFactory(participant=ahmed, measure=training, referred_on=days_ago(12),
                                referred_by=ingrid)
    factories.EnrollmentFactory(participant=emma, measure=training, referred_on=days_ago(150),
                                started_on=days_ago(129), referred_by=ingrid)
    factories.ProgressReportFactory(enrollment=active, written_by=bjorn,
                                    period_start=days_ago(100), period_end=days_ago(30),
                                    attendance_percent=95,
                                    went_well="Møtt presis alle dager.",
                                    next_steps="Varemottak to dager i uka.")
    factories.EnrollmentProposalFactory(enrollment=active, kind=ProposalKind.END,
                                        proposed_by=bjorn, started_on=None,
                                        ended_on=days_ago(1), end_reason=EndReason.GOT_JOB,
                                        comment="Hun har fått fast jobb hos oss.")
    for days, channel, note in [
        (95, Channel.PHONE, "Venter på plass; avtalt ny samtale om en måned."),
        (40, Channel.VIDEO, "Trives i butikken, tre dager i uka."),
        (5, Channel.MEETING, "Har fått tilbud om fast jobb."),
    ]:
        factories.FollowUpFactory(participant=sigrid, case_worker=ingrid,
                                  occurred_on=days_ago(days), channel=channel, note=note)
    factories.FollowUpFactory(participant=ahmed, case_worker=ingrid, occurred_on=days_ago(3),
                              channel=Channel.PHONE)
    plan = factories.PlanFactory(participant=sigrid)
    factories.GoalFactory(plan=plan, text="Arbeide minst 50 % i ordinært arbeid.",
                          status=GoalStatus.OPEN, target_date=days_ago(-120))
    factories.PlanReviewFactory(plan=plan, reviewed_by=ingrid, reviewed_on=days_ago(30),
                                note="Timene opp fra 20 til 25 i uka.")
    factories.OutcomeSpellFactory(participant=sigrid, kind=OutcomeKind.WORK,
                                  started_on=days_ago(20), hours_per_week=25,
                                  employer=employer, organisation_name=employer.name)
    voice = Instrument.objects.get(code="voice")
    for score, item in enumerate(voice.items.all()[:4], start=2):
        factories.AnswerFactory(participant=sigrid, item=item, answered_on=days_ago(90),
                                score=score)
        factories.AnswerFactory(participant=sigrid, item=item, answered_on=days_ago(10),
                                score=min(score + 1, 5))
    contact = factories.JobDevelopmentContactFactory(
        employer=employer, case_worker=ingrid, occurred_on=days_ago(2),
        note="Daglig leder kan ta inn en lærling til våren.")
    factories.SavedCaseloadFilterFactory(user=ingrid, name="Venter", query="status=waiting")
    report = factories.ProblemReportFactory(reported_by=ingrid, answered=True, answered_by=lead)
    export = factories.ExportRequestFactory(project=project, requested_by=lead, done=True)
    factories.ImportRequestFactory(uploaded_by=administrator)
    factories.AccessLogEntryFactory(user=ingrid, participant=sigrid,
                                    detail=reverse("participants:detail", args=[sigrid.pk]))
    return Site(case_worker=ingrid, team_lead=hilde, provider_staff=bjorn, project_lead=lead,
                administrator=administrator, participant=sigrid, provider_enrollment=active,
                employer=employer, contact=contact, problem_report=report, export=export,
                project=project)


def sign_in_quickly(context, live_server, user) -> None:
    """The session cookie of a signed-in user (the code from the authenticator app
    counted as typed), so that each test does not go through the login form again: the
    form itself is checked as the login page."""
    client = Client()
    client.login(request=HttpRequest(), username=user.username, password=PASSWORD)
    if needs_two_factor(user):
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = factories.totp_device(user).persistent_id
        session.save()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def htmx_done(page) -> None:
    """Wait until the regions htmx loads have arrived (quicker than "networkidle", which
    waits half a second for nothing)."""
    page.wait_for_load_state("load")
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")


def open_folded_parts(page) -> None:
    """Open every <details> (axe checks only what is shown) and wait for what htmx loads
    when one opens."""
    htmx_done(page)
    page.evaluate("""async () => {
        document.querySelectorAll("details").forEach(details => { details.open = true; });
        await new Promise(done => setTimeout(done, 50));  // the toggle events, htmx's requests
    }""")
    htmx_done(page)


@dataclass
class Visit:
    """A page as one role sees it: where it is, and what is done there before checking."""

    role: str  # the Site attribute of the user, or "" for no one signed in
    url: Callable[[Site], str]
    then: Callable | None = None  # (page, site) after the page has loaded
    shows: tuple[str, ...] = ("main h1",)  # what must be on the page when it is checked
    status: int = 200
    # axe reads the page's style sheets before it runs (for css-orientation-lock); a sheet
    # that @imports another (Django admin's forms.css) it copies into a <style> element,
    # which the Content-Security-Policy blocks and the policy check of conftest.py reports
    # as the page's fault. Such pages are checked without that reading.
    preload: bool = True


def submit_empty(selector: str) -> Callable:
    """Send the form without filling it in, to check the errors as they are shown."""

    def then(page, site):
        form = page.locator(selector)
        form.evaluate("""form => {
            form.setAttribute("novalidate", "");
            form.querySelectorAll("input:not([type=hidden]):not([type=checkbox]), textarea")
                .forEach(field => { field.value = ""; });
            form.querySelectorAll("select").forEach(field => { field.selectedIndex = 0; });
        }""")
        form.locator("button[type=submit]").last.click()
        expect(page.locator(f"{selector} .invalid-feedback, {selector} .is-invalid")
               .first).to_be_visible()

    return then


def start_participant_mode(page, site):
    region = page.locator("#voice")
    region.get_by_text("Let the participant answer (participant mode)").click()
    region.get_by_label("The participant's language").select_option("en")
    with page.expect_navigation():
        region.get_by_role("button", name="Open participant mode").click()
    expect(page.locator("[role=radiogroup], fieldset").first).to_be_visible()


def refresh_snapshots(page, site):
    call_command("refresh_snapshots", "--project", site.project.code, stdout=StringIO())
    page.goto(page.url.split("?")[0] + f"?project={site.project.code}&by=gender")
    page.wait_for_function("() => window.Chart && Chart.getChart('breakdown-chart')")


def sign_in_as(role: str, *, has_the_app: bool) -> Callable:
    """The login form, up to the code from the authenticator app (or setting it up)."""

    def then(page, site):
        user = getattr(site, role)
        if has_the_app:
            factories.totp_device(user)
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", PASSWORD)
        with page.expect_navigation():
            page.click("#main form button[type=submit]")
        expect(page.locator("input[name=token]")).to_be_visible()

    return then


def in_participant_mode(path: str) -> Callable:
    def then(page, site):
        start_participant_mode(page, site)
        page.goto(page.url.rsplit("/participant-mode/", 1)[0] + reverse(path))

    return then


def detail(site):
    return reverse("participants:detail", args=[site.participant.pk])


VISITS = {
    # No one signed in.
    "login": Visit("", lambda site: reverse("login")),
    "two-factor-code": Visit("", lambda site: reverse("login"),
                             then=sign_in_as("project_lead", has_the_app=True)),
    "two-factor-setup": Visit("", lambda site: reverse("login"),
                              then=sign_in_as("administrator", has_the_app=False)),
    # The case worker.
    "caseload": Visit("case_worker", lambda site: reverse("participants:caseload")),
    "team": Visit("case_worker", lambda site: reverse("participants:team")),
    # With what htmx loads into it, and what it loads when a folded part is opened.
    "participant-page": Visit("case_worker", detail, shows=(
        "main h1", "#enrollments .list-group-item", "#voice h3", "#case-worker-form select",
        "#who-read p")),
    "participant-page-form-errors": Visit("case_worker", detail,
                                          then=submit_empty("#follow-up-form")),
    "participant-notes": Visit(
        "case_worker", lambda site: reverse("participants:notes", args=[site.participant.pk])),
    "register-participant": Visit("case_worker", lambda site: reverse("participants:register")),
    "register-participant-errors": Visit("case_worker",
                                         lambda site: reverse("participants:register"),
                                         then=submit_empty("#main form")),
    "waiting-lists": Visit("case_worker", lambda site: reverse("measures:waiting_lists")),
    "employers": Visit("case_worker", lambda site: reverse("participants:employer_list")),
    "employer": Visit("case_worker", lambda site: reverse("participants:employer_detail",
                                                          args=[site.employer.pk])),
    "register-employer": Visit("case_worker",
                               lambda site: reverse("participants:employer_create")),
    "participant-mode": Visit("case_worker", detail, then=start_participant_mode),
    "participant-mode-done": Visit(
        "case_worker", detail, then=in_participant_mode("participants:participant_mode_done")),
    "participant-mode-leave": Visit(
        "case_worker", detail, then=in_participant_mode("participants:participant_mode_leave")),
    "problems-and-ideas": Visit("case_worker",
                                lambda site: reverse("evaluations:problem_reports")),
    "problem-report": Visit("case_worker", lambda site: reverse(
        "evaluations:problem_report_detail", args=[site.problem_report.pk])),
    "page-not-found": Visit("case_worker", lambda site: "/no-such-page/", status=404),
    # The team lead.
    "team-of-the-team-lead": Visit("team_lead", lambda site: reverse("participants:team"),
                                   shows=("main h1", "#job-development-weeks td")),
    "job-development-contact-edit": Visit("team_lead", lambda site: reverse(
        "participants:job_development_contact_edit", args=[site.contact.pk])),
    # Provider staff.
    "provider-participants": Visit("provider_staff",
                                   lambda site: reverse("measures:provider_participants")),
    "provider-enrollment": Visit("provider_staff", lambda site: reverse(
        "measures:provider_enrollment", args=[site.provider_enrollment.pk])),
    # The project lead.
    "dashboard": Visit("project_lead", lambda site: reverse("evaluations:dashboard"),
                       then=refresh_snapshots),
    "indicator-definitions": Visit("project_lead",
                                   lambda site: reverse("evaluations:indicator_definitions")),
    "projects": Visit("project_lead", lambda site: reverse("evaluations:project_list")),
    "reports": Visit("project_lead", lambda site: reverse("evaluations:export_list")),
    "report-ready": Visit("project_lead", lambda site: reverse(
        "evaluations:export_detail", args=[site.export.pk])),
    # The administrator.
    "administrator-home": Visit("administrator", lambda site: reverse("participants:home")),
    "imports": Visit("administrator", lambda site: reverse("evaluations:import_list")),
    "access-log": Visit("administrator", lambda site: reverse("participants:access_log")),
    "administration": Visit("administrator", lambda site: reverse("admin:index")),
    "administration-participant": Visit("administrator", lambda site: reverse(
        "admin:participants_participant_change", args=[site.participant.pk]), preload=False),
    "participant-history": Visit("administrator", lambda site: reverse(
        "admin:participants_participant_history", args=[site.participant.pk])),
}


def describe(violations: list[dict]) -> str:
    """Each violation: the rule, its impact and help, and the elements it was found on."""
    lines = []
    for violation in violations:
        lines.append("%s (%s): %s\n  %s" % (violation["id"], violation["impact"],
                                             violation["help"], violation["helpUrl"]))
        for node in violation["nodes"]:
            lines.append("  - %s\n    %s" % (
                " ".join(str(part) for part in node["target"]),
                node.get("failureSummary", "").replace("\n", "\n    ")))
    return "\n".join(lines)


@pytest.mark.parametrize("name", list(VISITS))
def test_the_page_meets_wcag_2_1_aa(name, live_server, migration_data, page, context):
    visit = VISITS[name]
    site = build_site()
    if visit.role:
        sign_in_quickly(context, live_server, getattr(site, visit.role))
    response = page.goto(live_server.url + visit.url(site))
    assert response.status == visit.status
    if visit.then:
        visit.then(page, site)
    open_folded_parts(page)
    for shown in visit.shows:
        expect(page.locator(shown).first).to_be_visible()
    if visit.role:  # signed in, not sent to the login page
        assert not page.url.startswith(live_server.url + reverse("login")), page.url

    results = AXE.run(page, options={"runOnly": {"type": "tag", "values": WCAG_2_1_AA},
                                     "resultTypes": ["violations"], "preload": visit.preload})
    violations = results.response["violations"]
    if violations:
        pytest.fail("%s (%s) breaks WCAG 2.1 AA:\n%s" % (name, page.url, describe(violations)),
                    pytrace=False)
