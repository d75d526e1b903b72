from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rehab.roles import roles_of


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
    found = {project_id}
    frontier = {project_id}
    while frontier:
        frontier = set(
            Project.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
        ) - found
        found |= frontier
    return found

