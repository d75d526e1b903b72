from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from rehab.roles import Role, roles_of

from .projects import Project, descendant_ids_of, led_project_ids

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


def extract_projects_for(user) -> set[int] | None:
    """The projects whose data this user may extract: None means every project
    (administrators); project leads the projects they lead, sub-projects included."""
    if Role.ADMINISTRATOR in roles_of(user):
        return None
    if not may_request_reports(user):
        return set()
    return descendant_ids_of(led_project_ids(user))


class ExportRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A file is handed to the person who asked for it, and no one else, and only while
        they may still ask for it: a project lead who no longer leads a project loses its
        extracts, and someone no longer an administrator the raw files, at once, not when
        the files expire."""
        if not may_request_reports(user):
            return self.none()
        own = self.filter(requested_by=user)
        allowed = extract_projects_for(user)
        if allowed is None:
            return own
        return own.filter(raw=False).filter(
            Q(kind=ExportKind.REPORT) | Q(kind=ExportKind.EXTRACT, project_id__in=allowed))


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
    # The problems found are written by a worker; they are in the uploader's language.
    language = models.CharField(_("language"), max_length=10, default="en")

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
