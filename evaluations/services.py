"""Writes of the evaluations app. Each service is one transaction and checks the rights itself."""

import datetime as dt
import logging

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ProblemReport, ProblemReportStatus, may_report_problems

logger = logging.getLogger(__name__)


@transaction.atomic
def problem_report_create(
    *, user: AbstractBaseUser, summary: str, suggestion: str = ""
) -> ProblemReport:
    """Record a system problem or an idea for change, reported by a member of staff."""
    if not may_report_problems(user):
        raise PermissionDenied
    summary = summary.strip()
    if not summary:
        raise ValidationError(_("Describe what happened or what the problem is."))
    report = ProblemReport.objects.create(
        reported_by=user, summary=summary, suggestion=suggestion.strip()
    )
    logger.info("problem report %s created by user %s", report.pk, user.pk)
    return report


@transaction.atomic
def problem_report_answer(
    *,
    report: ProblemReport,
    user: AbstractBaseUser,
    status: str,
    answer: str,
    expected_updated_at: dt.datetime,
) -> ProblemReport:
    """Give a report its status and answer, unless someone changed it in the meantime.

    ``expected_updated_at`` is the report's ``updated_at`` as the user saw it. The row is
    locked before it is compared, so of two leads answering at once the second is refused
    instead of silently replacing the first one's answer.
    """
    if not ProblemReport.objects.answerable_by(user).filter(pk=report.pk).exists():
        raise PermissionDenied
    if status not in ProblemReportStatus.values:
        raise ValidationError(_("Choose one of the statuses in the list."))
    current = ProblemReport.objects.select_for_update().get(pk=report.pk)
    if current.updated_at != expected_updated_at:
        raise ValidationError(
            _(
                "Someone else changed this report after you opened it, so your answer "
                "was not saved. Their version is shown now: check it, then save again."
            ),
            code="stale",
        )
    current.status = status
    current.answer = answer.strip()
    current.answered_by = user
    current.answered_at = timezone.now()
    current.save()
    logger.info("problem report %s answered by user %s", current.pk, user.pk)
    return current
