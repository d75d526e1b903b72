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
        by = f" · {self.dimension}" if self.dimension else ""
        return f"{scope} {self.date_from}–{self.date_to}{by}"


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


# Custom periods: asked for on the dashboard, computed in the background (not a standard
# period, so not among the snapshots).


class IndicatorRequestStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to be computed")
    RUNNING = "running", _("Being computed")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


def may_see_dashboards(user) -> bool:
    """Project leads and administrators watch the outcome figures (suppressed; they name
    nobody), of every project."""
    return bool(roles_of(user) & {Role.PROJECT_LEAD, Role.ADMINISTRATOR})


class IndicatorRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self if may_see_dashboards(user) else self.none()


class IndicatorRequest(models.Model):
    """The figures of a custom period for one project (or all), computed by a task."""

    Status = IndicatorRequestStatus

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, null=True, blank=True,
        related_name="indicator_requests", verbose_name=_("project"),
        help_text=_("Empty for all projects."),
    )
    date_from = models.DateField(_("from"))
    date_to = models.DateField(_("to"))
    dimension = models.CharField(_("breakdown"), max_length=40, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=IndicatorRequestStatus.choices,
                              default=IndicatorRequestStatus.QUEUED)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True, editable=False)
    error = models.TextField(_("error"), blank=True)

    objects = IndicatorRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("custom period request")
        verbose_name_plural = _("custom period requests")
        constraints = [
            models.CheckConstraint(condition=Q(date_to__gte=models.F("date_from")),
                                   name="indicator_request_period_is_ordered"),
            models.CheckConstraint(condition=Q(status__in=IndicatorRequestStatus.values),
                                   name="indicator_request_status_valid"),
            models.CheckConstraint(
                condition=~Q(status=IndicatorRequestStatus.DONE) | Q(result__isnull=False),
                name="indicator_request_done_has_result",
            ),
        ]

    def __str__(self):
        scope = self.project.code if self.project_id else _("All projects")
        return f"{scope} {self.date_from}–{self.date_to}"

    @property
    def is_pending(self) -> bool:
        return self.status in (IndicatorRequestStatus.QUEUED, IndicatorRequestStatus.RUNNING)


# Reports, extracts and imports: produced or run by tasks, kept as files in PRIVATE_ROOT
# (never under MEDIA_URL), handed out only through views that check who asks.


class ExportKind(models.TextChoices):
    REPORT = "report", _("Evaluation report")
    EXTRACT = "extract", _("Data extract")


class ExportFormat(models.TextChoices):
    CSV = "csv", _("CSV table")
    XLSX = "xlsx", _("Excel workbook (XLSX)")
    PDF = "pdf", _("PDF report")
    BUNDLE = "zip", _("CSV bundle (.zip)")


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Being produced")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


def may_request_reports(user) -> bool:
    """Project leads and administrators: the same people who watch the dashboards."""
    return may_see_dashboards(user)


class ExportRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A file is handed to the person who asked for it, and no one else."""
        if not may_request_reports(user):
            return self.none()
        return self.filter(requested_by=user)


class ExportRequest(models.Model):
    """A report or extract asked for on a page (or by a command), produced by a task."""

    Kind = ExportKind
    Format = ExportFormat
    Status = ExportStatus

    kind = models.CharField(_("kind"), max_length=10, choices=ExportKind.choices)
    file_format = models.CharField(_("format"), max_length=5, choices=ExportFormat.choices)
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        verbose_name=_("project"), help_text=_("Empty for all projects."),
    )
    date_from = models.DateField(_("from"), null=True, blank=True)
    date_to = models.DateField(_("to"), null=True, blank=True)
    raw = models.BooleanField(
        _("raw values"), default=False,
        help_text=_("Reports: without small-number suppression. Extracts: with names, "
                    "identity numbers and references, not pseudonymised."),
    )
    language = models.CharField(_("language"), max_length=10, default="en")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=ExportStatus.choices,
                              default=ExportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("step"), max_length=200, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    file_name = models.CharField(_("file"), max_length=200, blank=True)
    file_size = models.PositiveBigIntegerField(_("file size"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    objects = ExportRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("report or extract")
        verbose_name_plural = _("reports and extracts")
        indexes = [models.Index(fields=["status", "expires_at"], name="export_request_expiry_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ExportKind.values),
                                   name="export_request_kind_valid"),
            models.CheckConstraint(condition=Q(file_format__in=ExportFormat.values),
                                   name="export_request_format_valid"),
            models.CheckConstraint(condition=Q(status__in=ExportStatus.values),
                                   name="export_request_status_valid"),
            models.CheckConstraint(condition=Q(progress__lte=100),
                                   name="export_request_progress_in_range"),
            models.CheckConstraint(
                condition=Q(kind=ExportKind.EXTRACT)
                | Q(date_from__isnull=False, date_to__gte=models.F("date_from")),
                name="export_request_report_has_period",
            ),
            models.CheckConstraint(
                condition=~Q(status=ExportStatus.DONE) | ~Q(file_name=""),
                name="export_request_done_has_file",
            ),
        ]

    def __str__(self):
        scope = self.project.code if self.project_id else _("All projects")
        return f"{self.get_kind_display()} {scope} ({self.get_file_format_display()})"

    def get_absolute_url(self):
        return reverse("evaluations:export_detail", args=[self.pk])

    @property
    def is_pending(self) -> bool:
        return self.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)


class ReleaseChannel(models.TextChoices):
    WEB = "web", _("Web page")
    COMMAND = "command", _("Command line")


class DataRelease(models.Model):
    """An append-only record of every release of raw or identifying data: who, when, what
    and from where. Written by the services that release; never changed."""

    released_at = models.DateTimeField(_("released"), auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("user"),
    )
    operator = models.CharField(
        _("who"), max_length=150,
        help_text=_("The user name, or the operating-system account for a command."),
    )
    channel = models.CharField(_("channel"), max_length=10, choices=ReleaseChannel.choices)
    address = models.GenericIPAddressField(_("from address"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=ExportKind.choices)
    description = models.CharField(_("what"), max_length=500)
    parameters = models.JSONField(_("parameters"), default=dict)

    class Meta:
        ordering = ["-released_at", "-pk"]
        verbose_name = _("release of raw data")
        verbose_name_plural = _("releases of raw data")
        constraints = [
            models.CheckConstraint(condition=Q(channel__in=ReleaseChannel.values),
                                   name="data_release_channel_valid"),
            models.CheckConstraint(condition=Q(kind__in=ExportKind.values),
                                   name="data_release_kind_valid"),
        ]

    def __str__(self):
        return f"{self.released_at:%Y-%m-%d %H:%M} {self.operator}: {self.description}"


class ImportStatus(models.TextChoices):
    VALIDATING = "validating", _("Being checked")
    INVALID = "invalid", _("Problems found")
    VALID = "valid", _("Ready to import")
    IMPORTING = "importing", _("Being imported")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class ImportRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Imports change everyone's case data: administrators only."""
        roles = roles_of(user)
        return self if Role.ADMINISTRATOR in roles else self.none()


class ImportRequest(models.Model):
    """A bundle uploaded on the import page: checked, confirmed, then imported by tasks."""

    Status = ImportStatus

    original_name = models.CharField(_("file name"), max_length=255)
    file_name = models.CharField(_("stored file"), max_length=200)
    file_size = models.PositiveBigIntegerField(_("file size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=12, choices=ImportStatus.choices,
                              default=ImportStatus.VALIDATING)
    step = models.CharField(_("step"), max_length=200, blank=True)
    rows_done = models.PositiveBigIntegerField(_("rows done"), default=0)
    rows_total = models.PositiveBigIntegerField(_("rows in the bundle"), null=True, blank=True)
    problem_count = models.PositiveIntegerField(_("problems"), default=0)
    problems = models.JSONField(
        _("problems"), default=list, blank=True,
        help_text=_("The first problems found, each as file, line, column and message."),
    )
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    objects = ImportRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("bundle import")
        verbose_name_plural = _("bundle imports")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ImportStatus.values),
                                   name="import_request_status_valid"),
            models.CheckConstraint(
                condition=~Q(status=ImportStatus.INVALID) | Q(problem_count__gt=0),
                name="import_request_invalid_has_problems",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[ImportStatus.IMPORTING, ImportStatus.DONE])
                | Q(confirmed_at__isnull=False),
                name="import_request_import_is_confirmed",
            ),
        ]

    def __str__(self):
        return f"{self.original_name} ({self.uploaded_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self):
        return reverse("evaluations:import_detail", args=[self.pk])

    @property
    def is_busy(self) -> bool:
        return self.status in (ImportStatus.VALIDATING, ImportStatus.IMPORTING)
