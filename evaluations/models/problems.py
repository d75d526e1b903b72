from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from rehab.roles import Role, roles_of


class ProblemReportStatus(models.TextChoices):
    """Where a report stands; the context lets each language inflect the word for a report."""

    NEW = "new", pgettext_lazy("problem report status", "New")
    UNDER_CONSIDERATION = "under_consideration", pgettext_lazy(
        "problem report status", "Under consideration"
    )
    PLANNED = "planned", pgettext_lazy("problem report status", "Planned")
    DONE = "done", pgettext_lazy("problem report status", "Done")
    REJECTED = "rejected", pgettext_lazy("problem report status", "Rejected")


def follows_up_problem_reports(user) -> bool:
    """Project leads and administrators follow up the problem reports (Lex Heller)."""
    return bool(roles_of(user) & {Role.PROJECT_LEAD, Role.ADMINISTRATOR})


def may_report_problems(user) -> bool:
    """Every member of staff with a known role may report a problem or an idea."""
    return bool(roles_of(user) & set(Role.values))


class ProblemReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Those who follow reports up see all of them; other staff see only their own.

        A report can describe a situation with a participant, so a colleague's report
        is not shown to other staff.
        """
        if follows_up_problem_reports(user):
            return self
        if may_report_problems(user):
            return self.filter(reported_by=user)
        return self.none()

    def answerable_by(self, user):
        """Reports the user may answer and give a status: all for leads and administrators."""
        if follows_up_problem_reports(user):
            return self
        return self.none()


class ProblemReport(models.Model):
    """A system problem report or idea for change from staff (avviksmelding, Lex Heller)."""

    Status = ProblemReportStatus

    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="problem_reports",
        verbose_name=_("reported by"),
    )
    created_at = models.DateTimeField(_("reported"), auto_now_add=True)
    summary = models.CharField(_("what happened, or what is the problem"), max_length=500)
    suggestion = models.TextField(_("what would make it better"), blank=True)
    status = models.CharField(
        _("status"), max_length=24, choices=ProblemReportStatus.choices,
        default=ProblemReportStatus.NEW,
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="problem_reports_answered",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ProblemReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("system problem report")
        verbose_name_plural = _("system problem reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ProblemReportStatus.values),
                name="problem_report_status_is_known",
            ),
            models.CheckConstraint(
                condition=Q(answered_by__isnull=True, answered_at__isnull=True)
                | Q(answered_by__isnull=False, answered_at__isnull=False),
                name="problem_report_answered_by_and_at_together",
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.summary[:60]}"

    def get_absolute_url(self):
        return reverse("evaluations:problem_report_detail", args=[self.pk])
