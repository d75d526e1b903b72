"""A case worker's day in the browser: from My caseload to a participant's page, where a
follow-up, a referral, its start and end, and the job that came of it are recorded, each
by htmx without leaving the page; the waiting lists, registration and the team view on the
way; and the switch to Norwegian.

The data are invented, with dates relative to today: the forms refuse dates in the future,
and the waiting figures look back twelve months.
"""

import datetime as dt
import re
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from measures.models import EndReason, Enrollment, MeasureType, Setting
from participants.models import Channel, FollowUp, OutcomeKind, OutcomeSpell
from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EMPLOYER = "Sykkelverkstedet på Lade AS"
FOLLOW_UP_NOTE = "Sigrid har fått tilbud om jobb som sykkelmekaniker; vi snakket om oppstarten."


def days_ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


def build_office():
    """NAV Lade: Ingrid Berg's caseload, a colleague's, one provider with three measures,
    and enough history that the waiting figures and the timeline look like real work."""
    office = factories.OfficeFactory(code="nav-lade", name="NAV Lade")
    ingrid = factories.CaseWorkerFactory(
        username="ingrid", first_name="Ingrid", last_name="Berg", staff_profile__office=office
    )
    tor = factories.CaseWorkerFactory(
        username="tor", first_name="Tor", last_name="Eriksen", staff_profile__office=office
    )
    project = factories.ProjectFactory(
        code="VIT", name="Vekst i Trøndelag",
        starts_on=days_ago(700), ends_on=timezone.localdate() + dt.timedelta(days=400),
    )
    provider = factories.ProviderFactory(
        code="skomaker", name="Skomakerverkstedet AS", municipality="Trondheim"
    )
    assessment = factories.MeasureFactory(
        code="SKO-AV", name="Avklaring", measure_type=MeasureType.ASSESSMENT,
        provider=provider, setting=Setting.INDIVIDUAL, capacity=6,
    )
    training = factories.MeasureFactory(
        code="SKO-AT", name="Arbeidstrening verksted", measure_type=MeasureType.WORK_TRAINING,
        provider=provider, setting=Setting.SHELTERED_WORKPLACE, capacity=12,
    )
    practice = factories.MeasureFactory(
        code="SKO-AP", name="Arbeidspraksis butikk", measure_type=MeasureType.WORK_PRACTICE,
        provider=provider, setting=Setting.ORDINARY_WORKPLACE, capacity=8,
    )

    def participant(ref, given, family, worker, birth_year, gender):
        person = factories.ParticipantFactory(
            ref=ref, given_name=given, family_name=family, birth_year=birth_year,
            gender=gender, project=project, office=office, primary_case_worker=worker,
            evaluation_consent=True,
        )
        factories.CaseWorkerAssignmentFactory(
            participant=person, case_worker=worker, assigned_on=days_ago(240)
        )
        return person

    sigrid = participant("P-LADE-0142", "Sigrid", "Haugen", ingrid, 1991, "female")
    ahmed = participant("P-LADE-0157", "Ahmed", "Hassan", ingrid, 1986, "male")
    emma = participant("P-LADE-0163", "Emma", "Solberg", ingrid, 1998, "female")
    jonas = participant("P-LADE-0171", "Jonas", "Nilsen", ingrid, 2001, "male")
    marte = participant("P-LADE-0188", "Marte", "Lie", ingrid, 1979, "female")
    ole = participant("P-LADE-0134", "Ole", "Bakke", tor, 1983, "male")
    nora = participant("P-LADE-0149", "Nora", "Strand", tor, 1995, "female")
    fatima = participant("P-LADE-0192", "Fatima", "Ali", tor, 1990, "female")

    def enrollment(person, measure, referred, started=None, ended=None, reason=""):
        return factories.EnrollmentFactory(
            participant=person, measure=measure, referred_on=days_ago(referred),
            started_on=None if started is None else days_ago(started),
            ended_on=None if ended is None else days_ago(ended), end_reason=reason,
            referred_by=person.primary_case_worker,
        )

    # Sigrid's assessment is over; the work training she is referred to below has two
    # people waiting, and its last three starts waited 21, 24 and 31 days (median 24).
    enrollment(sigrid, assessment, 230, 215, 150, EndReason.COMPLETED)
    enrollment(ahmed, training, 12)
    enrollment(ole, training, 26)
    enrollment(emma, training, 150, 129)
    enrollment(nora, training, 200, 176, 60, EndReason.COMPLETED)
    enrollment(jonas, training, 95, 64)
    enrollment(marte, practice, 160, 140, 40, EndReason.GOT_JOB)
    enrollment(fatima, assessment, 8)

    for person, days, channel, note in [
        (sigrid, 150, Channel.MEETING, "Oppsummering av avklaringen. Sigrid vil prøve "
                                       "arbeidstrening i verksted."),
        (sigrid, 95, Channel.PHONE, "Venter på plass; avtalt ny samtale om en måned."),
        (sigrid, 40, Channel.VIDEO, "Trives i verkstedet, fire dager i uka. Behandler deltok."),
        (ahmed, 3, Channel.PHONE, ""),
        (emma, 45, Channel.MEETING, ""),
        (jonas, 10, Channel.MEETING, ""),
        (ole, 20, Channel.PHONE, ""),
    ]:
        factories.FollowUpFactory(
            participant=person, case_worker=person.primary_case_worker,
            occurred_on=days_ago(days), channel=channel, note=note,
            with_treatment=channel == Channel.VIDEO,
        )
    factories.GoalFactory(
        plan__participant=sigrid, text="Arbeide minst 50 % i ordinært arbeid.",
        target_date=timezone.localdate() + dt.timedelta(days=120),
    )
    return ingrid, sigrid, training


@contextmanager
def htmx_settled(page, timeout_ms: int = 10_000):
    """After the block, wait until htmx has swapped in the answer to a request it made."""
    page.evaluate(
        """timeout => {
            window.htmxSettled = new Promise((done, fail) => {
                document.body.addEventListener("htmx:afterSettle", done, {once: true});
                setTimeout(() => fail(new Error("htmx did not settle")), timeout);
            });
        }""",
        timeout_ms,
    )
    yield
    page.evaluate("() => window.htmxSettled.then(() => true)")


def timeline_events(page) -> list[tuple[dt.date, str]]:
    """The timeline as shown, top down: each event's date and title."""
    rows = page.locator("#timeline .timeline-event").evaluate_all(
        "events => events.map(e => [e.querySelector('time').getAttribute('datetime'),"
        " e.querySelector('.fw-semibold').innerText])"
    )
    return [(dt.date.fromisoformat(on), title) for on, title in rows]


def test_case_worker_follows_a_participant_from_referral_to_work(
    live_server, page, sign_in, screenshot
):
    ingrid, sigrid, training = build_office()
    referred, started, ended, hired = days_ago(70), days_ago(49), days_ago(8), days_ago(5)

    # Signing in lands a case worker on My caseload.
    sign_in(page, ingrid)
    expect(page).to_have_url(live_server.url + reverse("participants:caseload"))
    results = page.locator("#caseload-results")
    expect(results.locator("#caseload-count")).to_have_text("5 participants")
    for name in ["Sigrid Haugen", "Ahmed Hassan", "Emma Solberg", "Jonas Nilsen", "Marte Lie"]:
        expect(results).to_contain_text(name)
    expect(results).not_to_contain_text("Ole Bakke")  # Tor's, in the team view only
    screenshot(page, "caseload")

    # Typing a name narrows the results region in place, and the URL follows.
    search = page.get_by_label("Name or reference")
    with htmx_settled(page):
        search.fill("Haugen")
    page.evaluate("""() => {
        window.htmxRequests = 0;
        document.body.addEventListener("htmx:beforeRequest", () => window.htmxRequests++);
    }""")
    search.blur()
    page.wait_for_timeout(700)
    assert page.evaluate("() => window.htmxRequests") == 0  # leaving the field asks no more
    expect(results.locator("#caseload-count")).to_have_text("1 participant")
    expect(results).to_contain_text("Sigrid Haugen")
    expect(results).not_to_contain_text("Ahmed Hassan")
    expect(page).to_have_url(re.compile(r"/caseload/\?(.*&)?q=Haugen(&|$)"))

    with page.expect_navigation():
        results.get_by_role("link", name="Sigrid Haugen").click()
    expect(page).to_have_url(live_server.url + reverse("participants:detail", args=[sigrid.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sigrid Haugen")
    enrollments = page.locator("#enrollments")
    timeline = page.locator("#timeline")
    expect(enrollments).to_contain_text("Avklaring")  # loaded by htmx after the page
    # The actions below change regions of this page, never the page: a mark on window
    # would not survive a reload.
    page.evaluate("window.journeyMark = 'no reload'")

    # A phone call logged in seconds: today's date is filled in already.
    follow_up = page.locator("#follow-up-form")
    expect(follow_up.get_by_label("Date")).to_have_value(timezone.localdate().isoformat())
    follow_up.get_by_label("Channel").select_option(label="Phone")
    follow_up.get_by_label("Note").fill(FOLLOW_UP_NOTE)
    follow_up.get_by_role("button", name="Save follow-up").click()
    expect(page.locator("#follow-up-form [role=status]")).to_have_text("Follow-up saved.")
    expect(timeline.locator(".timeline-event").first).to_contain_text("Follow-up: Phone")
    expect(timeline.locator(".timeline-event").first).to_contain_text(FOLLOW_UP_NOTE)

    # The referral: choosing the measure tells how long its waiting list is.
    enrollments.locator("summary", has_text="Refer to a measure").click()
    enrollments.get_by_label("Measure").select_option(label="Arbeidstrening verksted")
    expect(page.locator("#refer-wait-info")).to_have_text("2 waiting · median wait 24 days")
    enrollments.get_by_label("Referred on").fill(referred.isoformat())
    enrollments.get_by_label("Days per week").fill("4")
    enrollments.get_by_role("button", name="Refer", exact=True).click()
    row = enrollments.locator("li.list-group-item", has_text="Arbeidstrening verksted")
    expect(row.locator(".badge")).to_have_text("Waiting")
    expect(row).to_contain_text("by Ingrid Berg")
    expect(timeline).to_contain_text("Referred to Arbeidstrening verksted")
    expect(page.locator("#participant-header")).to_contain_text("Waiting for a measure")
    assert page.evaluate("window.journeyMark") == "no reload"
    enrollment = Enrollment.objects.get(participant=sigrid, measure=training)

    # The waiting list of that measure now names her, oldest referral first.
    page.get_by_role("link", name="Waiting lists").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Waiting lists")
    summary_row = page.locator("#waiting-summary tr", has_text="Arbeidstrening verksted")
    expect(summary_row.locator("td.num").nth(1)).to_have_text("3")  # waiting now
    waiting_row = page.locator(f"#waiting-{enrollment.pk}")
    expect(waiting_row).to_contain_text("Sigrid Haugen")
    expect(waiting_row.locator("td.num")).to_have_text("70")  # days waited
    group = waiting_row.locator("xpath=preceding-sibling::tr[contains(@class,'table-light')][1]")
    expect(group).to_contain_text("Arbeidstrening verksted")
    screenshot(page, "waiting-lists")

    # Back on her page: she starts, and the training ends because she got a job.
    with page.expect_navigation():
        waiting_row.get_by_role("link", name="Sigrid Haugen").click()
    page.evaluate("window.journeyMark = 'no reload'")
    row = page.locator(f"#enrollment-{enrollment.pk}")
    row.locator("summary", has_text="Start…").click()
    row.get_by_label("Started on").fill(started.isoformat())
    row.get_by_role("button", name="Register the start").click()
    expect(row.locator(".badge")).to_have_text("Active")
    expect(page.locator("#participant-header")).to_contain_text("In a measure")
    expect(timeline).to_contain_text("Started in Arbeidstrening verksted")

    row.locator("summary", has_text="End…").click()
    row.get_by_label("Ended on").fill(ended.isoformat())
    row.get_by_label("End reason").select_option(label="Started paid work")
    row.get_by_role("button", name="Register the end").click()
    expect(row.locator(".badge")).to_have_text("Ended")
    expect(row).to_contain_text("Started paid work")
    expect(timeline).to_contain_text("Ended in Arbeidstrening verksted")

    # The job itself, as a work spell.
    page.locator("summary", has_text="Record work or education").click()
    outcome = page.locator("#outcome-form")
    outcome.get_by_label("Kind").select_option(label="Work")
    outcome.get_by_label("Started on").fill(hired.isoformat())
    outcome.get_by_label("Hours per week").fill("30")
    outcome.get_by_label("Employer or school").fill(EMPLOYER)
    outcome.get_by_role("button", name="Record work or education").click()
    expect(page.locator("#outcome-form [role=status]")).to_have_text("Recorded.")
    expect(page.locator("#outcome-spells")).to_contain_text(EMPLOYER)
    expect(timeline).to_contain_text("Started work")

    # One timeline, newest first: today's call, the job, the end, the start and the referral
    # (marked <-), among what was there before.
    expect(timeline.locator(".timeline-event")).to_have_count(13)
    assert timeline_events(page) == [
        (timezone.localdate(), "Follow-up: Phone"),  # <-
        (timezone.localdate(), "Goal added"),
        (hired, "Started work"),  # <-
        (ended, "Ended in Arbeidstrening verksted"),  # <-
        (days_ago(40), "Follow-up: Video"),
        (started, "Started in Arbeidstrening verksted"),  # <-
        (referred, "Referred to Arbeidstrening verksted"),  # <-
        (days_ago(95), "Follow-up: Phone"),
        (days_ago(150), "Follow-up: Meeting"),
        (days_ago(150), "Ended in Avklaring"),
        (days_ago(215), "Started in Avklaring"),
        (days_ago(230), "Referred to Avklaring"),
        (days_ago(240), "Primary case worker: Ingrid Berg"),
    ]
    work = timeline.locator(".timeline-outcome_started")
    expect(work).to_contain_text(EMPLOYER)
    expect(work).to_contain_text(re.compile(r"\b30(\.0)? hours per week"))
    assert page.evaluate("window.journeyMark") == "no reload"
    screenshot(page, "participant-page")

    enrollment.refresh_from_db()
    assert (enrollment.referred_on, enrollment.started_on, enrollment.ended_on) == (
        referred, started, ended
    )
    assert (enrollment.end_reason, enrollment.referred_by, enrollment.days_per_week) == (
        EndReason.GOT_JOB, ingrid, 4
    )
    spell = OutcomeSpell.objects.get(participant=sigrid)
    assert (spell.kind, spell.started_on, spell.ended_on) == (OutcomeKind.WORK, hired, None)
    assert (spell.hours_per_week, spell.organisation_name) == (Decimal("30.0"), EMPLOYER)
    call = FollowUp.objects.get(participant=sigrid, occurred_on=timezone.localdate())
    assert (call.channel, call.case_worker, call.note) == (Channel.PHONE, ingrid, FOLLOW_UP_NOTE)

    # Registering a participant, and the team view of the whole office.
    page.get_by_role("link", name="Register participant", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register participant")
    screenshot(page, "register-participant")
    page.get_by_role("link", name="Team", exact=True).click()
    expect(page.locator("#caseload-count")).to_have_text("8 participants")
    expect(page.locator("#caseload-results")).to_contain_text("Tor Eriksen")
    screenshot(page, "team")


def test_switching_to_norwegian_shows_norwegian(page, sign_in):
    ingrid, _sigrid, _training = build_office()
    sign_in(page, ingrid)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    with page.expect_navigation():
        page.locator("#language-select").select_option("nb")

    expect(page.locator("html")).to_have_attribute("lang", "nb")
    expect(page.locator("#language-select")).to_have_value("nb")
    expect(page.get_by_role("button", name="Logg ut")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    expect(page.get_by_role("link", name="Forside")).to_be_visible()  # "Home"
    expect(page.locator("#caseload-results")).to_contain_text("Sigrid Haugen")
