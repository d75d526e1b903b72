from django.conf import settings
from django.core.exceptions import ValidationError
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

    def led_ids(self, user) -> set[int]:
        """Ids of the projects this user leads, sub-projects included (led_project_ids):
        for apps that reach Project through the registry rather than an import."""
        return led_project_ids(user)


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

    def clean(self):
        # Walked from the top, a project under one of its own sub-projects is in no
        # project tree: it would vanish from menus and dashboards with its sub-projects.
        # (The import checks the same: exchange/validate.py.)
        if self.pk is not None and self.parent_id is not None and \
                self.parent_id in descendant_ids(self.pk):
            raise ValidationError({"parent": _(
                "A project cannot be placed under itself or one of its own sub-projects.")})


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
    """The projects this user leads, with their sub-projects at every depth (cached on the
    user object, as office_id_of is: one page asks several times, and the walk takes a
    query per level of the tree)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    if not hasattr(user, "_rehab_led_project_ids"):
        user._rehab_led_project_ids = frozenset(
            descendant_ids_of(set(user.led_projects.values_list("pk", flat=True))))
    return set(user._rehab_led_project_ids)
