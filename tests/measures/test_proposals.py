"""Provider staff propose changes to enrollments; case workers accept or reject them."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from measures import provider_services as services
from measures.models import EndReason, EnrollmentProposal, ProposalKind, ProposalStatus

from .conftest import days_ago

pytestmark = pytest.mark.django_db


def accept(proposal, user, **kwargs):
    proposal.refresh_from_db()
    return services.proposal_accept(proposal=proposal, user=user,
                                    expected_updated_at=proposal.updated_at, **kwargs)


def test_provider_staff_proposal_changes_nothing_until_accepted(waiting, provider_staff):
    before = waiting.updated_at
    proposal = services.proposal_create(enrollment=waiting, user=provider_staff,
                                        kind=ProposalKind.START, started_on=days_ago(5))
    waiting.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING
    assert waiting.started_on is None
    assert waiting.updated_at == before


def test_accepted_start_proposal_starts_the_enrollment(waiting, provider_staff, case_worker):
    proposal = services.proposal_create(enrollment=waiting, user=provider_staff,
                                        kind=ProposalKind.START, started_on=days_ago(5))
    accept(proposal, case_worker)
    waiting.refresh_from_db()
    proposal.refresh_from_db()
    assert waiting.started_on == days_ago(5)
    assert proposal.status == ProposalStatus.ACCEPTED
    assert proposal.decided_by == case_worker
    assert proposal.decided_at is not None


def test_accepted_end_proposal_ends_the_enrollment(active, provider_staff, case_worker):
    proposal = services.proposal_create(enrollment=active, user=provider_staff,
                                        kind=ProposalKind.END, ended_on=days_ago(1),
                                        end_reason=EndReason.GOT_JOB)
    accept(proposal, case_worker)
    active.refresh_from_db()
    assert (active.ended_on, active.end_reason) == (days_ago(1), EndReason.GOT_JOB)


def test_accepted_extension_sets_the_planned_end(active, provider_staff, case_worker):
    proposal = services.proposal_create(enrollment=active, user=provider_staff,
                                        kind=ProposalKind.EXTENSION,
                                        planned_end_on=days_ago(-60))
    accept(proposal, case_worker)
    active.refresh_from_db()
    assert active.planned_end_on == days_ago(-60)


def test_an_extension_beyond_2100_is_refused_and_nothing_is_proposed(active, provider_staff):
    with pytest.raises(ValidationError) as refused:
        services.proposal_create(enrollment=active, user=provider_staff,
                                 kind=ProposalKind.EXTENSION,
                                 planned_end_on=dt.date(9999, 12, 31))

    assert refused.value.message_dict == {
        "planned_end_on": ["Dates must be between 1900 and 2100."]}
    assert not EnrollmentProposal.objects.exists()


def test_accepted_participation_change_applies(active, provider_staff, case_worker):
    proposal = services.proposal_create(enrollment=active, user=provider_staff,
                                        kind=ProposalKind.PARTICIPATION,
                                        participation_percent=60, days_per_week=3)
    accept(proposal, case_worker)
    active.refresh_from_db()
    assert (active.participation_percent, active.days_per_week) == (60, 3)


def test_irrelevant_fields_are_ignored(waiting, provider_staff):
    proposal = services.proposal_create(enrollment=waiting, user=provider_staff,
                                        kind=ProposalKind.START, started_on=days_ago(5),
                                        days_per_week=9, planned_end_on=days_ago(1))
    assert proposal.days_per_week is None
    assert proposal.planned_end_on is None


def test_start_can_only_be_proposed_for_a_waiting_enrollment(active, provider_staff):
    with pytest.raises(ValidationError):
        services.proposal_create(enrollment=active, user=provider_staff,
                                 kind=ProposalKind.START, started_on=days_ago(5))


def test_end_cannot_be_proposed_for_a_waiting_enrollment(waiting, provider_staff):
    with pytest.raises(ValidationError):
        services.proposal_create(enrollment=waiting, user=provider_staff, kind=ProposalKind.END,
                                 ended_on=days_ago(1), end_reason=EndReason.COMPLETED)


def test_end_proposal_cannot_be_not_started(active, provider_staff):
    with pytest.raises(ValidationError):
        services.proposal_create(enrollment=active, user=provider_staff, kind=ProposalKind.END,
                                 ended_on=days_ago(1), end_reason=EndReason.NOT_STARTED)


def test_start_proposal_cannot_be_in_the_future(waiting, provider_staff):
    with pytest.raises(ValidationError):
        services.proposal_create(enrollment=waiting, user=provider_staff,
                                 kind=ProposalKind.START, started_on=days_ago(-1))


def test_other_providers_staff_cannot_propose(waiting, other_provider_staff):
    with pytest.raises(PermissionDenied):
        services.proposal_create(enrollment=waiting, user=other_provider_staff,
                                 kind=ProposalKind.START, started_on=days_ago(5))
    assert not EnrollmentProposal.objects.exists()


def test_case_worker_cannot_propose(waiting, case_worker):
    with pytest.raises(PermissionDenied):
        services.proposal_create(enrollment=waiting, user=case_worker,
                                 kind=ProposalKind.START, started_on=days_ago(5))


def test_reject_needs_a_reason(waiting, provider_staff, case_worker):
    proposal = services.proposal_create(enrollment=waiting, user=provider_staff,
                                        kind=ProposalKind.START, started_on=days_ago(5))
    with pytest.raises(ValidationError):
        services.proposal_reject(proposal=proposal, user=case_worker, reason="  ",
                                 expected_updated_at=proposal.updated_at)
    services.proposal_reject(proposal=proposal, user=case_worker, reason="Not yet agreed",
                             expected_updated_at=proposal.updated_at)
    proposal.refresh_from_db()
    waiting.refresh_from_db()
    assert proposal.status == ProposalStatus.REJECTED
    assert proposal.decision_reason == "Not yet agreed"
    assert waiting.started_on is None


def test_case_worker_of_another_office_cannot_decide(waiting, provider_staff,
                                                     other_office_case_worker):
    proposal = services.proposal_create(enrollment=waiting, user=provider_staff,
                                        kind=ProposalKind.START, started_on=days_ago(5))
    with pytest.raises(PermissionDenied):
        accept(proposal, other_office_case_worker)
    with pytest.raises(PermissionDenied):
        services.proposal_reject(proposal=proposal, user=other_office_case_worker,
                                 reason="No", expected_updated_at=proposal.updated_at)


def test_provider_staff_cannot_accept_their_own_proposal(waiting, provider_staff):
    proposal = services.proposal_create(enrollment=waiting, user=provider_staff,
                                        kind=ProposalKind.START, started_on=days_ago(5))
    with pytest.raises(PermissionDenied):
        accept(proposal, provider_staff)


def test_stale_expected_updated_at_is_refused(waiting, provider_staff, case_worker):
    proposal = services.proposal_create(enrollment=waiting, user=provider_staff,
                                        kind=ProposalKind.START, started_on=days_ago(5))
    seen = proposal.updated_at
    EnrollmentProposal.objects.filter(pk=proposal.pk).update(comment="edited")
    with pytest.raises(ValidationError) as exc:
        services.proposal_accept(proposal=proposal, user=case_worker,
                                 expected_updated_at=seen.replace(year=2000))
    assert exc.value.code == "conflict"


def test_decided_proposal_cannot_be_decided_again(waiting, provider_staff, case_worker):
    proposal = services.proposal_create(enrollment=waiting, user=provider_staff,
                                        kind=ProposalKind.START, started_on=days_ago(5))
    accept(proposal, case_worker)
    with pytest.raises(ValidationError):
        accept(proposal, case_worker)


def test_proposal_that_no_longer_applies_is_refused(waiting, provider_staff, case_worker):
    first = services.proposal_create(enrollment=waiting, user=provider_staff,
                                     kind=ProposalKind.START, started_on=days_ago(5))
    second = services.proposal_create(enrollment=waiting, user=provider_staff,
                                      kind=ProposalKind.START, started_on=days_ago(3))
    accept(first, case_worker)
    with pytest.raises(ValidationError) as exc:
        accept(second, case_worker)
    assert exc.value.code == "no_longer_applies"


def test_proposals_are_visible_to_own_provider_and_case_worker_only(
    waiting, provider_staff, other_provider_staff, case_worker, other_office_case_worker
):
    proposal = services.proposal_create(enrollment=waiting, user=provider_staff,
                                        kind=ProposalKind.START, started_on=days_ago(5))
    assert list(EnrollmentProposal.objects.visible_to(provider_staff)) == [proposal]
    assert list(EnrollmentProposal.objects.visible_to(case_worker)) == [proposal]
    assert not EnrollmentProposal.objects.visible_to(other_provider_staff).exists()
    assert not EnrollmentProposal.objects.visible_to(other_office_case_worker).exists()


def test_the_same_proposal_sent_twice_is_kept_once(active, provider_staff):
    """A double click on Send sent two identical proposals, and the case worker had to
    reject the second with a reason after accepting the first."""
    def send():
        return services.proposal_create(enrollment=active, user=provider_staff,
                                        kind=ProposalKind.EXTENSION,
                                        planned_end_on=days_ago(-60), comment="Needs 2 months")

    first, second = send(), send()

    assert first == second
    assert EnrollmentProposal.objects.count() == 1


def test_a_different_proposal_of_the_same_kind_is_kept_beside_the_first(
    active, provider_staff
):
    services.proposal_create(enrollment=active, user=provider_staff,
                             kind=ProposalKind.EXTENSION, planned_end_on=days_ago(-60))
    services.proposal_create(enrollment=active, user=provider_staff,
                             kind=ProposalKind.EXTENSION, planned_end_on=days_ago(-90))

    assert EnrollmentProposal.objects.count() == 2


def test_the_same_proposal_again_after_the_first_was_decided_is_a_new_one(
    waiting, provider_staff, case_worker
):
    first = services.proposal_create(enrollment=waiting, user=provider_staff,
                                      kind=ProposalKind.START, started_on=days_ago(5))
    first.refresh_from_db()
    services.proposal_reject(proposal=first, user=case_worker, reason="Not yet",
                             expected_updated_at=first.updated_at)

    again = services.proposal_create(enrollment=waiting, user=provider_staff,
                                     kind=ProposalKind.START, started_on=days_ago(5))

    assert again != first and again.status == ProposalStatus.PENDING
