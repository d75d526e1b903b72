"""Provider staff in the browser: they land on the participants in their own measures (and no
one else's), write a progress report and propose an end; the case worker sees the proposal on
the participant's page and accepts it, and only then does the enrollment end.
"""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from measures.models import EndReason, Enrollment, MeasureType, ProgressReport, Setting
from participants.models import Country, GoalStatus
from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WENT_WELL = "Møtt presis alle dager, tar ansvar for kassa."
NEXT_STEPS = "Prøve seg på varemottak to dager i uka."


def days_ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


def build():
    office = factories.OfficeFactory(code="nav-lade", name="NAV Lade")
    ingrid = factories.CaseWorkerFactory(
        username="ingrid", first_name="Ingrid", last_name="Berg", staff_profile__office=office
    )
    provider = factories.ProviderFactory(code="skomaker", name="Skomakerverkstedet AS")
    elsewhere = factories.ProviderFactory(code="jobbhuset", name="Jobbhuset AS")
    bjorn = factories.ProviderStaffFactory(
        username="bjorn", first_name="Bjørn", last_name="Lunde", membership__provider=provider
    )
    practice = factories.MeasureFactory(
        code="SKO-AP", name="Arbeidspraksis butikk", measure_type=MeasureType.WORK_PRACTICE,
        provider=provider, setting=Setting.ORDINARY_WORKPLACE,
    )
    training = factories.MeasureFactory(
        code="SKO-AT", name="Arbeidstrening verksted", measure_type=MeasureType.WORK_TRAINING,
        provider=provider, setting=Setting.SHELTERED_WORKPLACE,
    )
    ips = factories.MeasureFactory(code="JOB-IPS", name="Jobbhuset IPS", provider=elsewhere)

    def person(ref, given, family, national_id=""):
        return factories.ParticipantFactory(
            ref=ref, given_name=given, family_name=family, office=office,
            primary_case_worker=ingrid, national_id=national_id,
            national_id_country=Country.NORWAY if national_id else "",
        )

    sigrid = person("P-LADE-0142", "Sigrid", "Haugen", national_id="15076500565")
    emma = person("P-LADE-0163", "Emma", "Solberg")
    ahmed = person("P-LADE-0157", "Ahmed", "Hassan")
    active = factories.EnrollmentFactory(
        ref="E-0142-1", participant=sigrid, measure=practice, referred_on=days_ago(120),
        started_on=days_ago(100), planned_end_on=timezone.localdate() + dt.timedelta(days=60),
        participation_percent=60, days_per_week=3,
    )
    factories.EnrollmentFactory(participant=emma, measure=training, referred_on=days_ago(14))
    factories.EnrollmentFactory(participant=ahmed, measure=ips, referred_on=days_ago(20),
                                started_on=days_ago(10))
    plan = factories.PlanFactory(participant=sigrid)
    factories.GoalFactory(plan=plan, text="Jobbe fast i butikk innen sommeren",
                          status=GoalStatus.OPEN, target_date=days_ago(-200))
    return ingrid, bjorn, sigrid, active


def test_provider_staff_report_and_propose_and_the_case_worker_accepts(
    live_server, page, sign_in, sign_out, screenshot
):
    ingrid, bjorn, sigrid, active = build()

    sign_in(page, bjorn)
    expect(page.get_by_role("heading", name="My participants")).to_be_visible()
    table = page.locator("#provider-enrollments")
    expect(table).to_contain_text("Sigrid Haugen")
    expect(table).to_contain_text("Emma Solberg")
    expect(table).not_to_contain_text("Ahmed")  # another provider's participant
    screenshot(page, "provider-participants")

    page.get_by_role("link", name="Sigrid Haugen").click()
    region = page.locator("#provider-enrollment")
    expect(region).to_contain_text("Jobbe fast i butikk innen sommeren")
    expect(page.locator("main")).not_to_contain_text("150765")  # no identity number

    report = page.locator("#progress-report-form")
    report.get_by_label("Attendance (%)").fill("95")
    report.get_by_label("What went well").fill(WENT_WELL)
    report.get_by_label("Next steps").fill(NEXT_STEPS)
    report.get_by_role("button", name="Save the report").click()
    expect(page.get_by_role("status")).to_contain_text("Progress report saved.")
    expect(page.locator("#report-history")).to_contain_text(WENT_WELL)

    page.get_by_text("Propose an end").click()
    proposal = page.locator("details", has_text="Propose an end")
    proposal.get_by_label("Ended on").fill(days_ago(1).isoformat())
    proposal.get_by_label("End reason").select_option(EndReason.GOT_JOB)
    proposal.get_by_label("Comment to the case worker").fill("Hun har fått fast jobb hos oss.")
    proposal.get_by_role("button", name="Send the proposal").click()
    expect(page.get_by_role("status")).to_contain_text("Proposal sent to the case worker.")
    expect(page.locator("#proposal-history")).to_contain_text("Pending")
    screenshot(page, "provider-enrollment")
    active.refresh_from_db()
    assert active.ended_on is None  # nothing changes until the case worker accepts
    assert ProgressReport.objects.get(enrollment=active).went_well == WENT_WELL

    sign_out(page)
    sign_in(page, ingrid)
    page.goto(f"{live_server.url}/participants/{sigrid.pk}/")
    decision = page.locator(".proposal")
    expect(decision).to_contain_text("Hun har fått fast jobb hos oss.")
    expect(page.locator("#timeline")).to_contain_text(WENT_WELL)
    decision.get_by_label("Reason").fill("Avtalt med Sigrid i dag.")
    screenshot(page, "proposal-decision")
    decision.get_by_role("button", name="Accept").click()

    expect(page.locator(f"#enrollment-{active.pk}")).to_contain_text("Ended")
    expect(page.locator(".proposal")).to_have_count(0)
    active = Enrollment.objects.get(pk=active.pk)
    assert (active.ended_on, active.end_reason) == (days_ago(1), EndReason.GOT_JOB)
