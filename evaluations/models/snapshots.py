from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .projects import Project

# Indicator snapshots: the stored results the dashboards read (evaluations/snapshots.py
# computes them; evaluations/tasks.py keeps them fresh).


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")
    ROLLING_12_MONTHS = "rolling12", _("Rolling 12 months")


class SnapshotScopeQuerySet(models.QuerySet):
    def stale(self):
        """Scopes whose case data changed after their last good refresh began reading."""
        return self.filter(data_version__gt=models.F("refreshed_version"))


class SnapshotScope(models.Model):
    """One project, or all projects: the unit that is refreshed, locked and marked stale.

    The scope is stale while ``data_version`` is ahead of ``refreshed_version``, the
    ``data_version`` a good refresh read before it began computing. A change to the case
    data increments ``data_version`` (see snapshots/staleness.py). A counter rather than
    timestamps, so clocks on different hosts cannot hide a change. The lease is a lock
    that needs no open transaction while computing (see snapshots/service.py).
    """

    project = models.OneToOneField(
        Project,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="snapshot_scope",
        verbose_name=_("project"),
        help_text=_("Empty for the scope of all projects."),
    )
    all_projects = models.BooleanField(_("all projects"), default=False, editable=False)
    data_version = models.PositiveBigIntegerField(_("case data version"), default=0)
    refreshed_version = models.PositiveBigIntegerField(_("refreshed version"), default=0)
    stale_since = models.DateTimeField(
        _("stale since"), null=True, blank=True,
        help_text=_("The first change to the case data that the snapshots do not show yet."),
    )
    refreshed_at = models.DateTimeField(_("last good refresh"), null=True, blank=True)
    changed_from = models.DateField(
        _("changed from"), null=True, blank=True,
        help_text=_("The earliest date touched by a change to the case data since the last "
                    "good refresh: periods that ended before it are kept as they are."),
    )
    lease_token = models.CharField(_("lease held by"), max_length=32, blank=True)
    lease_until = models.DateTimeField(_("lease until"), null=True, blank=True)

    objects = SnapshotScopeQuerySet.as_manager()

    class Meta:
        ordering = ["-all_projects", "project__code"]
        verbose_name = _("snapshot scope")
        verbose_name_plural = _("snapshot scopes")
        constraints = [
            models.CheckConstraint(
                condition=Q(all_projects=True, project__isnull=True)
                | Q(all_projects=False, project__isnull=False),
                name="snapshot_scope_is_all_or_one_project",
            ),
            models.UniqueConstraint(
                fields=["all_projects"],
                condition=Q(all_projects=True),
                name="unique_all_projects_snapshot_scope",
            ),
            models.CheckConstraint(
                condition=Q(refreshed_version__lte=models.F("data_version")),
                name="snapshot_scope_refreshed_version_not_ahead",
            ),
        ]

    def __str__(self):
        return str(self.project) if self.project_id else str(_("All projects"))

    @property
    def is_stale(self) -> bool:
        return self.data_version > self.refreshed_version


class IndicatorSnapshot(models.Model):
    """The stored result of one indicator query: ``IndicatorResult.to_json()``."""

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indicator_snapshots",
        verbose_name=_("project"),
        help_text=_("Empty for all projects."),
    )
    period_kind = models.CharField(_("period"), max_length=10, choices=PeriodKind.choices)
    date_from = models.DateField(_("from"))
    date_to = models.DateField(_("to"))
    dimension = models.CharField(
        _("breakdown"), max_length=40, blank=True, help_text=_("Empty for no breakdown.")
    )
    result = models.JSONField(_("result"))
    computed_at = models.DateTimeField(_("computed"))

    class Meta:
        ordering = ["project__code", "period_kind", "-date_from", "dimension"]
        verbose_name = _("indicator snapshot")
        verbose_name_plural = _("indicator snapshots")
        # The period kind is part of the key: at the start of a year the month, the
        # quarter and the year to date cover the same dates, and each is looked up by kind.
        constraints = [
            models.UniqueConstraint(
                fields=["project", "period_kind", "date_from", "date_to", "dimension"],
                condition=Q(project__isnull=False),
                name="unique_project_indicator_snapshot",
            ),
            models.UniqueConstraint(
                fields=["period_kind", "date_from", "date_to", "dimension"],
                condition=Q(project__isnull=True),
                name="unique_all_projects_indicator_snapshot",
            ),
            models.CheckConstraint(
                condition=Q(period_kind__in=PeriodKind.values),
                name="indicator_snapshot_period_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(date_to__gte=models.F("date_from")),
                name="indicator_snapshot_period_is_ordered",
            ),
        ]

    def __str__(self):
        scope = self.project.code if self.project_id else _("All projects")
        by = f" · {self.dimension_label}" if self.dimension else ""
        return f"{scope} {self.date_from}–{self.date_to}{by}"

    @property
    def dimension_label(self) -> str:
        """The breakdown as people read it ("Gender", not "gender"); empty for none."""
        from evaluations.indicators.definitions import dimension_label  # noqa: PLC0415

        return dimension_label(self.dimension)


class SnapshotRunStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class SnapshotTrigger(models.TextChoices):
    NIGHTLY = "nightly", _("Nightly")
    STALE = "stale", _("Case data changed")
    REQUESTED = "requested", _("Requested")
    COMMAND = "command", _("Command line")


class SnapshotRun(models.Model):
    """One refresh of one scope, so an administrator can see the jobs' health."""

    Status = SnapshotRunStatus

    scope = models.ForeignKey(
        SnapshotScope, on_delete=models.CASCADE, related_name="runs", verbose_name=_("scope")
    )
    trigger = models.CharField(_("trigger"), max_length=10, choices=SnapshotTrigger.choices)
    attempt = models.PositiveSmallIntegerField(
        _("attempt"), default=1, help_text=_("1 for the first try, 2 for the first retry.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=SnapshotRunStatus.choices,
        default=SnapshotRunStatus.RUNNING,
    )
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    snapshots_written = models.PositiveIntegerField(_("snapshots written"), default=0)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("snapshot run")
        verbose_name_plural = _("snapshot runs")
        indexes = [models.Index(fields=["status", "started_at"], name="snapshot_run_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=SnapshotRunStatus.values),
                name="snapshot_run_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(trigger__in=SnapshotTrigger.values),
                name="snapshot_run_trigger_valid",
            ),
            models.CheckConstraint(
                condition=Q(status=SnapshotRunStatus.RUNNING, finished_at__isnull=True)
                | (~Q(status=SnapshotRunStatus.RUNNING) & Q(finished_at__isnull=False)),
                name="snapshot_run_finished_unless_running",
            ),
        ]

    def __str__(self):
        return f"{self.scope} {self.started_at:%Y-%m-%d %H:%M} {self.get_status_display()}"
