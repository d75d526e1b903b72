from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from rehab.roles import Role, roles_of


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Projects are the frame of the figures, not personal data: all staff see them."""
        if not roles_of(user):
            return self.none()
        return self

    def with_descendants(self, project):
        """The project and its sub-projects at every depth."""
        ids = descendant_ids(project.pk)
        return self.filter(pk__in=ids)


class Project(models.Model):
    """A programme or sub-project (prosjekt / delprosjekt) with its outcome targets."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent project"),
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    target_work_rate = models.DecimalField(
        _("target: share in work"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    target_education_rate = models.DecimalField(
        _("target: share in education"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    leads = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="led_projects",
        verbose_name=_("project leads"),
        help_text=_("Project leads see the participants of this project and its sub-projects."),
    )

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="project_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(target_work_rate__isnull=True)
                | Q(target_work_rate__gte=0, target_work_rate__lte=1),
                name="project_target_work_rate_is_fraction",
            ),
            models.CheckConstraint(
                condition=Q(target_education_rate__isnull=True)
                | Q(target_education_rate__gte=0, target_education_rate__lte=1),
                name="project_target_education_rate_is_fraction",
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="project_is_not_its_own_parent"
            ),
        ]

    def __str__(self):
        return f"{self.code} – {self.name}"


def descendant_ids(project_id: int) -> set[int]:
    """Ids of a project and all its sub-projects, walking the tree level by level."""
    return descendant_ids_of({project_id})


def descendant_ids_of(project_ids: set[int]) -> set[int]:
    """Ids of these projects and all their sub-projects."""
    found = set(project_ids)
    frontier = set(project_ids)
    while frontier:
        frontier = set(
            Project.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
        ) - found
        found |= frontier
    return found


def led_project_ids(user) -> set[int]:
    """The projects this user leads, with their sub-projects at every depth."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return descendant_ids_of(set(user.led_projects.values_list("pk", flat=True)))



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
