"""The measures app's events on the participant page's timeline: each referral, start, end
and withdrawal of the enrollments the user may see.

Registered from ``MeasuresConfig.ready()`` (see ``participants/timeline.py``). One query
for the enrollments, with their measure, provider and referrer (plus the office look-up
that ``visible_to`` makes for a case worker), whatever the number of events.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from participants.models import Participant
from participants.timeline import TimelineEvent

from .models import EndReason, Enrollment, EnrollmentProposal, ProgressReport, ProposalStatus

TICK = dt.timedelta(microseconds=1)


def enrollment_events(*, participant: Participant, user) -> list[TimelineEvent]:
    rows = (
        Enrollment.objects.visible_to(user)
        .filter(participant_id=participant.pk)
        .select_related("measure__provider", "referred_by")
    )
    return [event for enrollment in rows for event in _events(enrollment)]


def _events(enrollment: Enrollment) -> Iterator[TimelineEvent]:
    measure = enrollment.measure.name
    # The timeline orders events of one day by when they were recorded; an enrollment keeps
    # only created_at and updated_at, so its steps are nudged apart to stay in their order
    # (referral, start, end) when they fall on the same day.
    created, updated = enrollment.created_at, enrollment.updated_at
    started_recorded = created + TICK if enrollment.ended_on else max(updated, created + TICK)
    ended_recorded = max(updated, created + 2 * TICK)
    yield TimelineEvent(
        on=enrollment.referred_on,
        kind="referral",
        title=_("Referred to %(measure)s") % {"measure": measure},
        detail=_referral_detail(enrollment),
        actor=_display_name(enrollment.referred_by),
        recorded_at=enrollment.created_at,
    )
    if enrollment.started_on is not None:
        yield TimelineEvent(
            on=enrollment.started_on,
            kind="enrollment_started",
            title=_("Started in %(measure)s") % {"measure": measure},
            detail=enrollment.measure.provider.name,
            recorded_at=started_recorded,
        )
    if enrollment.ended_on is None:
        return
    if enrollment.end_reason == EndReason.NOT_STARTED:
        yield TimelineEvent(
            on=enrollment.ended_on,
            kind="enrollment_withdrawn",
            title=_("Referral to %(measure)s withdrawn") % {"measure": measure},
            detail=enrollment.get_end_reason_display(),
            recorded_at=ended_recorded,
        )
    else:
        yield TimelineEvent(
            on=enrollment.ended_on,
            kind="enrollment_ended",
            title=_("Ended in %(measure)s") % {"measure": measure},
            detail=enrollment.get_end_reason_display(),
            recorded_at=ended_recorded,
        )


def _referral_detail(enrollment: Enrollment) -> str:
    parts = [enrollment.measure.provider.name]
    if enrollment.participation_percent is not None:
        percent = enrollment.participation_percent
        parts.append(_("%(percent)s %% participation") % {"percent": percent})
    if enrollment.days_per_week is not None:
        days = enrollment.days_per_week
        parts.append(ngettext("%(days)s day per week", "%(days)s days per week", days)
                     % {"days": days})
    return " · ".join(parts)


def _display_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


def provider_events(*, participant: Participant, user) -> list[TimelineEvent]:
    """Proposals from providers (made, accepted, rejected) and their progress reports: one
    query each, whatever the number of events."""
    events = []
    proposals = (
        EnrollmentProposal.objects.visible_to(user)
        .filter(enrollment__participant_id=participant.pk)
        .select_related("enrollment__measure", "proposed_by", "decided_by")
    )
    for proposal in proposals:
        measure = proposal.enrollment.measure.name
        events.append(TimelineEvent(
            on=timezone.localdate(proposal.created_at),
            kind="proposal_made",
            title=_("Provider proposed: %(kind)s in %(measure)s")
            % {"kind": proposal.get_kind_display(), "measure": measure},
            detail=proposal.comment,
            actor=_display_name(proposal.proposed_by),
            recorded_at=proposal.created_at,
            note=bool(proposal.comment),
        ))
        if proposal.status == ProposalStatus.PENDING:
            continue
        if proposal.status == ProposalStatus.ACCEPTED:
            title = _("Proposal accepted: %(kind)s in %(measure)s")
        else:
            title = _("Proposal rejected: %(kind)s in %(measure)s")
        events.append(TimelineEvent(
            on=timezone.localdate(proposal.decided_at),
            kind=f"proposal_{proposal.status}",
            title=title % {"kind": proposal.get_kind_display(), "measure": measure},
            detail=proposal.decision_reason,
            actor=_display_name(proposal.decided_by),
            recorded_at=proposal.decided_at,
            note=bool(proposal.decision_reason),
        ))
    reports = (
        ProgressReport.objects.visible_to(user)
        .filter(enrollment__participant_id=participant.pk)
        .select_related("enrollment__measure", "written_by")
    )
    for report in reports:
        detail = _("%(start)s to %(end)s") % {"start": _short(report.period_start),
                                               "end": _short(report.period_end)}
        if report.attendance_percent is not None:
            detail += " · " + _("attendance %(percent)s %%") % {
                "percent": report.attendance_percent}
        if report.went_well:
            detail += " · " + _("What went well: %(text)s") % {"text": report.went_well}
        if report.next_steps:
            detail += " · " + _("Next steps: %(text)s") % {"text": report.next_steps}
        events.append(TimelineEvent(
            on=report.period_end,
            kind="progress_report",
            title=_("Progress report from %(measure)s")
            % {"measure": report.enrollment.measure.name},
            detail=detail,
            actor=_display_name(report.written_by),
            recorded_at=report.created_at,
            note=True,
        ))
    return events


def _short(value: dt.date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")
