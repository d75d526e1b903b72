"""The provider's pages: only their own measures' participants, only what they need to know,
proposals and progress reports from the browser; and the case worker's answer."""

import re

import pytest
from django.urls import reverse

from measures.models import (
    EndReason,
    Enrollment,
    EnrollmentProposal,
    ProgressReport,
    ProposalStatus,
)
from participants.models import Channel, Country, GoalStatus
from tests import factories

from .conftest import days_ago

pytestmark = pytest.mark.django_db

LIST = reverse("measures:provider_participants")
NATIONAL_ID = "15076500565"
SECRET_NOTE = "Snakket om angst og medisinering"


def page(pk):
    return reverse("measures:provider_enrollment", args=[pk])


def propose(pk, kind):
    return reverse("measures:provider_propose", args=[pk, kind])


@pytest.fixture
def case_file(participant, waiting, active, other_measure, case_worker):
    """A participant with an identity number, a follow-up note, a work spell, a goal, and an
    enrollment with another provider besides the two with ``provider``."""
    participant.national_id = NATIONAL_ID
    participant.national_id_country = Country.NORWAY
    participant.save()
    factories.FollowUpFactory(participant=participant, case_worker=case_worker,
                              channel=Channel.MEETING, note=SECRET_NOTE)
    factories.OutcomeSpellFactory(participant=participant, organisation_name="Rema 1000 Lade",
                                  started_on=days_ago(20))
    plan = factories.PlanFactory(participant=participant)
    factories.GoalFactory(plan=plan, text="Møte presis tre dager i uka",
                          status=GoalStatus.OPEN)
    other = factories.EnrollmentFactory(ref="E-OTHER", participant=participant,
                                        measure=other_measure, referred_on=days_ago(10))
    return {"waiting": waiting, "active": active, "other": other}


def test_provider_staff_list_only_the_enrollments_in_their_own_measures(
    log_in, provider_staff, case_file, other_participant, other_measure
):
    factories.EnrollmentFactory(participant=other_participant, measure=other_measure,
                                referred_on=days_ago(3))

    response = log_in(provider_staff).get(LIST)

    assert response.status_code == 200
    text = response.text.split("<main")[1]
    assert "Kari" in text and "P-OWN" in text
    assert "Arbeidstrening verksted" in text and "Arbeidspraksis butikk" in text
    assert "Jobbhuset IPS" not in text and "P-ELSEWHERE" not in text
    assert page(case_file["waiting"].pk) in text
    assert page(case_file["other"].pk) not in text


def test_provider_list_filters_by_status_and_search(log_in, provider_staff, case_file):
    client = log_in(provider_staff)

    active_only = client.get(LIST, {"status": "active"}).text
    assert page(case_file["active"].pk) in active_only
    assert page(case_file["waiting"].pk) not in active_only
    assert "P-OWN" not in client.get(LIST, {"q": "nobody-by-that-name"}).text.split("<main")[1]


def test_provider_list_ignores_an_unknown_filter_value(log_in, provider_staff, case_file):
    response = log_in(provider_staff).get(LIST, {"status": "bogus", "measure": "x"})

    assert response.status_code == 200
    assert page(case_file["waiting"].pk) in response.text


def test_provider_pages_never_show_identity_number_notes_outcomes_or_other_providers(
    log_in, provider_staff, case_file
):
    client = log_in(provider_staff)
    texts = [client.get(LIST).text, client.get(page(case_file["active"].pk)).text,
             client.get(page(case_file["waiting"].pk)).text]

    for text in texts:
        for secret in [NATIONAL_ID, "150765", SECRET_NOTE, "Rema 1000", "Jobbhuset",
                       "NAV Lade"]:
            assert secret not in text
    assert "Møte presis tre dager i uka" in texts[1]  # the goals are theirs to know


@pytest.mark.parametrize("persona", ["other_provider_staff", "case_worker", "project_lead"])
def test_an_enrollment_outside_the_users_providers_is_not_found(
    request, log_in, persona, case_file
):
    client = log_in(request.getfixturevalue(persona))

    assert client.get(page(case_file["active"].pk)).status_code == 404
    response = client.post(propose(case_file["active"].pk, "end"),
                           {f"propose-end-{case_file['active'].pk}-ended_on": days_ago(1)})
    assert response.status_code == 404
    assert not EnrollmentProposal.objects.exists()


def test_provider_staff_cannot_open_another_providers_enrollment_of_the_same_participant(
    log_in, provider_staff, case_file
):
    assert log_in(provider_staff).get(page(case_file["other"].pk)).status_code == 404


def test_waiting_enrollment_offers_a_start_proposal_and_active_one_the_other_three(
    log_in, provider_staff, case_file
):
    client = log_in(provider_staff)
    waiting = client.get(page(case_file["waiting"].pk)).text
    active = client.get(page(case_file["active"].pk)).text

    assert propose(case_file["waiting"].pk, "start") in waiting
    assert propose(case_file["waiting"].pk, "end") not in waiting
    for kind in ["end", "extension", "participation"]:
        assert propose(case_file["active"].pk, kind) in active
    assert propose(case_file["active"].pk, "start") not in active


def test_provider_proposes_an_end_and_the_enrollment_stays_as_it_was(
    log_in, provider_staff, case_file
):
    active = case_file["active"]
    prefix = f"propose-end-{active.pk}-"

    response = log_in(provider_staff).post(
        propose(active.pk, "end"),
        {prefix + "ended_on": days_ago(1).isoformat(), prefix + "end_reason": EndReason.GOT_JOB,
         prefix + "comment": "Fikk fast jobb hos oss"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert "Proposal sent to the case worker." in response.text
    proposal = EnrollmentProposal.objects.get()
    assert (proposal.kind, proposal.ended_on, proposal.end_reason, proposal.proposed_by) == (
        "end", days_ago(1), EndReason.GOT_JOB, provider_staff)
    active.refresh_from_db()
    assert active.ended_on is None
    assert 'id="proposal-history"' in response.text and "Fikk fast jobb hos oss" in response.text


def test_a_proposal_with_errors_keeps_the_input_and_saves_nothing(
    log_in, provider_staff, case_file
):
    active = case_file["active"]
    prefix = f"propose-end-{active.pk}-"

    response = log_in(provider_staff).post(
        propose(active.pk, "end"),
        {prefix + "ended_on": days_ago(200).isoformat(), prefix + "end_reason": EndReason.HEALTH,
         prefix + "comment": "Husk dette"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert "The end cannot be before the start." in response.text
    assert "Husk dette" in response.text
    assert not EnrollmentProposal.objects.exists()


def test_participation_proposal_needs_a_percentage_or_days(log_in, provider_staff, case_file):
    active = case_file["active"]

    response = log_in(provider_staff).post(propose(active.pk, "participation"), {},
                                           HTTP_HX_REQUEST="true")

    assert "Enter the new participation percentage or days per week." in response.text
    assert not EnrollmentProposal.objects.exists()


def test_an_unknown_proposal_kind_is_not_found(log_in, provider_staff, case_file):
    response = log_in(provider_staff).post(propose(case_file["active"].pk, "delete"), {})

    assert response.status_code == 404


def test_provider_writes_a_progress_report_without_htmx_and_is_redirected(
    log_in, provider_staff, case_file
):
    active = case_file["active"]
    prefix = f"report-{active.pk}-"

    response = log_in(provider_staff).post(
        reverse("measures:provider_report_create", args=[active.pk]),
        {prefix + "period_start": days_ago(30).isoformat(),
         prefix + "period_end": days_ago(1).isoformat(), prefix + "attendance_percent": "85",
         prefix + "went_well": "Stabilt oppmøte", prefix + "next_steps": "Prøve kassa"},
    )

    assert response.status_code == 302
    assert response.url == page(active.pk)
    report = ProgressReport.objects.get()
    assert (report.attendance_percent, report.went_well, report.written_by) == (
        85, "Stabilt oppmøte", provider_staff)


def test_a_waiting_referral_offers_no_progress_report_until_it_starts(
    log_in, provider_staff, case_file
):
    client = log_in(provider_staff)
    report_url = reverse("measures:provider_report_create", args=[case_file["waiting"].pk])

    waiting = client.get(page(case_file["waiting"].pk)).text

    assert report_url not in waiting
    assert "A progress report can be written once the participant has started." in waiting
    assert reverse("measures:provider_report_create", args=[case_file["active"].pk]) in \
        client.get(page(case_file["active"].pk)).text


def test_an_ended_enrollment_offers_a_report_on_its_last_month(
    log_in, provider_staff, case_file
):
    """Today's month, the usual offer, lies after the end and would be refused."""
    active = case_file["active"]
    active.ended_on, active.end_reason = days_ago(40), EndReason.COMPLETED
    active.save()
    prefix = f"report-{active.pk}-"

    text = log_in(provider_staff).get(page(active.pk)).text

    assert f'name="{prefix}period_end" value="{days_ago(40).isoformat()}"' in text
    assert (f'name="{prefix}period_start" value="{days_ago(40).replace(day=1).isoformat()}"'
            in text)


def test_a_report_on_a_referral_withdrawn_since_the_page_was_opened_says_why(
    log_in, provider_staff, case_file
):
    waiting = case_file["waiting"]
    waiting.ended_on, waiting.end_reason = days_ago(1), EndReason.NOT_STARTED
    waiting.save()
    prefix = f"report-{waiting.pk}-"

    response = log_in(provider_staff).post(
        reverse("measures:provider_report_create", args=[waiting.pk]),
        {prefix + "period_start": days_ago(30).isoformat(),
         prefix + "period_end": days_ago(1).isoformat(), prefix + "went_well": "Kom hver dag"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert ("A progress report can only be written once the participant has started in the "
            "measure.") in response.text
    assert not ProgressReport.objects.exists()


def test_a_report_period_ending_in_9999_is_refused_beside_the_field(
    log_in, provider_staff, case_file
):
    active = case_file["active"]
    prefix = f"report-{active.pk}-"

    response = log_in(provider_staff).post(
        reverse("measures:provider_report_create", args=[active.pk]),
        {prefix + "period_start": days_ago(30).isoformat(), prefix + "period_end": "9999-12-31",
         prefix + "went_well": "Stabilt oppmøte"},
        HTTP_HX_REQUEST="true",
    )

    field = re.search(rf'id="div_id_{prefix}period_end".*?</div>\s*</div>', response.text,
                      re.S).group(0)
    assert "Dates must be between 1900 and 2100." in field
    assert "Stabilt oppmøte" in response.text  # what was typed stays
    assert not ProgressReport.objects.exists()


def test_an_empty_progress_report_is_refused(log_in, provider_staff, case_file):
    active = case_file["active"]
    prefix = f"report-{active.pk}-"

    response = log_in(provider_staff).post(
        reverse("measures:provider_report_create", args=[active.pk]),
        {prefix + "period_start": days_ago(30).isoformat(),
         prefix + "period_end": days_ago(1).isoformat()},
        HTTP_HX_REQUEST="true",
    )

    assert "Write what went well, the next steps or the attendance." in response.text
    assert not ProgressReport.objects.exists()


def test_provider_pages_issue_a_bounded_number_of_queries(
    log_in, provider_staff, provider, django_assert_max_num_queries
):
    measure = factories.MeasureFactory(provider=provider)
    for _ in range(30):
        enrollment = factories.EnrollmentFactory(measure=measure, referred_on=days_ago(40),
                                                 started_on=days_ago(30))
        factories.EnrollmentProposalFactory(enrollment=enrollment, proposed_by=provider_staff)
        factories.ProgressReportFactory(enrollment=enrollment, written_by=provider_staff)
    client = log_in(provider_staff)

    with django_assert_max_num_queries(12):
        assert client.get(LIST).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(page(enrollment.pk)).status_code == 200


# The case worker's side ----------------------------------------------------------------


def pending(enrollment, provider_staff, **values):
    values.setdefault("kind", "end")
    values.setdefault("ended_on", days_ago(2))
    values.setdefault("end_reason", EndReason.COMPLETED)
    return factories.EnrollmentProposalFactory(enrollment=enrollment, proposed_by=provider_staff,
                                               **values)


def decide(client, proposal, action, reason=""):
    prefix = f"decide-{proposal.pk}-"
    return client.post(
        reverse(f"measures:proposal_{action}", args=[proposal.pk]),
        {prefix + "reason": reason,
         prefix + "expected_updated_at": proposal.updated_at.isoformat()},
        HTTP_HX_REQUEST="true",
    )


def test_case_worker_sees_pending_proposals_with_accept_and_reject(
    log_in, case_worker, provider_staff, case_file
):
    proposal = pending(case_file["active"], provider_staff, comment="Ferdig med praksis")

    response = log_in(case_worker).get(
        reverse("measures:for_participant", args=[case_file["active"].participant_id]),
        HTTP_HX_REQUEST="true",
    )

    assert "Ferdig med praksis" in response.text
    assert reverse("measures:proposal_accept", args=[proposal.pk]) in response.text
    assert reverse("measures:proposal_reject", args=[proposal.pk]) in response.text


def test_case_worker_accepts_an_end_proposal_and_the_enrollment_ends(
    log_in, case_worker, provider_staff, case_file
):
    proposal = pending(case_file["active"], provider_staff)

    response = decide(log_in(case_worker), proposal, "accept", reason="Avtalt i møte")

    assert response.status_code == 200
    assert response["HX-Trigger"] == "enrollment-changed, timeline-changed"
    proposal.refresh_from_db()
    case_file["active"].refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED
    assert proposal.decision_reason == "Avtalt i møte"
    assert case_file["active"].ended_on == days_ago(2)
    assert case_file["active"].end_reason == EndReason.COMPLETED


def test_a_rejection_needs_a_reason_and_changes_nothing_without_one(
    log_in, case_worker, provider_staff, case_file
):
    proposal = pending(case_file["active"], provider_staff)
    client = log_in(case_worker)

    response = decide(client, proposal, "reject")

    assert "Give a reason for the rejection." in response.text
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING

    decide(client, proposal, "reject", reason="Hun fortsetter ut måneden")
    proposal.refresh_from_db()
    case_file["active"].refresh_from_db()
    assert proposal.status == ProposalStatus.REJECTED
    assert case_file["active"].ended_on is None


def test_a_proposal_decided_meanwhile_shows_a_message_and_is_not_decided_twice(
    log_in, case_worker, provider_staff, case_file
):
    proposal = pending(case_file["active"], provider_staff)
    stale = EnrollmentProposal.objects.get(pk=proposal.pk)
    decide(log_in(case_worker), proposal, "reject", reason="Nei")

    response = decide(log_in(case_worker), stale, "accept")

    assert "This proposal has already been decided." in response.text
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REJECTED


def test_accepting_a_proposal_the_enrollment_no_longer_allows_shows_why_instead_of_failing(
    log_in, case_worker, provider_staff, case_file
):
    """The proposed end is checked again on acceptance; since it was made, a bundle import
    moved the start after it. The reason is shown on the proposal, not a server error."""
    proposal = pending(case_file["active"], provider_staff, ended_on=days_ago(2))
    Enrollment.objects.filter(pk=case_file["active"].pk).update(started_on=days_ago(1))

    response = decide(log_in(case_worker), proposal, "accept")

    assert response.status_code == 200
    assert "HX-Trigger" not in response
    assert "The end cannot be before the start" in response.text
    proposal.refresh_from_db()
    case_file["active"].refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING
    assert case_file["active"].ended_on is None


def test_provider_staff_cannot_decide_their_own_proposal(log_in, provider_staff, case_file):
    proposal = pending(case_file["active"], provider_staff)

    response = decide(log_in(provider_staff), proposal, "accept")

    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING


def test_case_worker_of_another_office_cannot_see_or_decide_the_proposal(
    log_in, other_office_case_worker, provider_staff, case_file
):
    proposal = pending(case_file["active"], provider_staff)

    assert decide(log_in(other_office_case_worker), proposal, "accept").status_code == 404


def test_both_sides_see_the_answer_in_the_history(
    log_in, case_worker, provider_staff, case_file
):
    proposal = pending(case_file["active"], provider_staff)
    decide(log_in(case_worker), proposal, "reject", reason="Vi venter til neste uke")

    response = log_in(provider_staff).get(page(case_file["active"].pk))

    assert "Vi venter til neste uke" in response.text
    assert "Rejected" in response.text


def test_a_progress_report_longer_than_a_text_box_takes_is_refused_and_nothing_is_saved(
    log_in, provider_staff, case_file
):
    """200,000 characters were saved and shown whole on the case worker's timeline."""
    active = case_file["active"]
    prefix = f"report-{active.pk}-"
    fields = {prefix + "period_start": days_ago(30).isoformat(),
              prefix + "period_end": days_ago(1).isoformat(), prefix + "attendance_percent": "85",
              prefix + "next_steps": "Prøve kassa"}
    client = log_in(provider_staff)

    response = client.post(reverse("measures:provider_report_create", args=[active.pk]),
                           {**fields, prefix + "went_well": "x" * 10_001})

    assert "Ensure this value has at most 10000 characters (it has 10001)." in response.text
    assert not ProgressReport.objects.exists()
    page_text = client.get(page(active.pk)).text
    assert 'maxlength="10000"' in page_text
    response = client.post(reverse("measures:provider_report_create", args=[active.pk]),
                           {**fields, prefix + "went_well": "x" * 10_000})
    assert ProgressReport.objects.get().went_well == "x" * 10_000


def test_reports_are_taken_until_the_providers_time_after_the_end_and_then_refused(
    log_in, provider_staff, case_file, settings
):
    """A report comes after the period it is on, not years later: once the time the
    provider keeps the participant's goals is over, the form is gone and a report is
    refused with the last day, and nothing is saved."""
    settings.PROVIDER_ACCESS_AFTER_END_DAYS = 30
    active = case_file["active"]
    active.ended_on, active.end_reason = days_ago(31), EndReason.COMPLETED
    active.save()
    prefix = f"report-{active.pk}-"
    client = log_in(provider_staff)
    report_url = reverse("measures:provider_report_create", args=[active.pk])

    shown = client.get(page(active.pk)).text
    response = client.post(report_url, {
        prefix + "period_start": days_ago(40).isoformat(),
        prefix + "period_end": days_ago(31).isoformat(), prefix + "went_well": "Kom hver dag",
    }, HTTP_HX_REQUEST="true")

    assert report_url not in shown
    assert 'id="reports-closed"' in shown
    assert response.status_code == 200
    assert "Progress reports on this enrollment were taken until" in response.text
    assert "30 days after it ended." in response.text
    assert not ProgressReport.objects.exists()


def test_a_report_on_the_last_day_of_the_providers_time_is_taken(
    log_in, provider_staff, case_file, settings
):
    settings.PROVIDER_ACCESS_AFTER_END_DAYS = 30
    active = case_file["active"]
    active.ended_on, active.end_reason = days_ago(30), EndReason.COMPLETED
    active.save()
    prefix = f"report-{active.pk}-"

    log_in(provider_staff).post(
        reverse("measures:provider_report_create", args=[active.pk]),
        {prefix + "period_start": days_ago(40).isoformat(),
         prefix + "period_end": days_ago(30).isoformat(), prefix + "went_well": "Kom hver dag"},
        HTTP_HX_REQUEST="true",
    )

    assert ProgressReport.objects.filter(enrollment=active).count() == 1
