from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from evaluations.indicators.definitions import DIMENSION_LABELS, dimension_label
from rehab.admin import AdministratorOnlyAdmin, admin_site

from .models import (
    DataRelease,
    ExportRequest,
    ImportRequest,
    IndicatorRequest,
    IndicatorSnapshot,
    ProblemReport,
    Project,
    SnapshotRun,
    SnapshotScope,
)


@admin.register(Project, site=admin_site)
class ProjectAdmin(AdministratorOnlyAdmin):
    list_display = ["code", "name", "parent", "starts_on", "ends_on", "target_work_rate",
                    "target_education_rate"]
    list_select_related = ["parent"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]
    filter_horizontal = ["leads"]


@admin.register(ProblemReport, site=admin_site)
class ProblemReportAdmin(AdministratorOnlyAdmin):
    list_display = ["pk", "summary", "reported_by", "created_at", "status", "answered_by",
                    "answered_at"]
    list_display_links = ["pk", "summary"]
    list_filter = ["status"]
    list_select_related = ["reported_by", "answered_by"]
    search_fields = ["summary", "suggestion", "answer"]
    date_hierarchy = "created_at"
    raw_id_fields = ["reported_by", "answered_by"]
    readonly_fields = ["created_at", "updated_at"]


# Indicator snapshots: what the jobs stored, which scopes are stale, and how the runs went.
# Written only by the refresh service (evaluations/snapshots/), so read-only here.


class BreakdownFilter(admin.SimpleListFilter):
    """The breakdowns by name in the reader's language, not by their codes."""

    title = _("breakdown")
    parameter_name = "dimension"
    NONE = "none"

    def lookups(self, request, model_admin):
        return [(self.NONE, _("No breakdown")), *DIMENSION_LABELS.items()]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        return queryset.filter(dimension="" if value == self.NONE else value)


class ReadOnlyAdmin(AdministratorOnlyAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(IndicatorSnapshot, site=admin_site)
class IndicatorSnapshotAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "project", "period_kind", "date_from", "date_to", "breakdown",
                    "computed_at"]
    list_filter = ["period_kind", BreakdownFilter]
    list_select_related = ["project"]
    search_fields = ["project__code", "project__name"]
    date_hierarchy = "date_from"

    @admin.display(description=_("breakdown"), ordering="dimension")
    def breakdown(self, snapshot):
        return snapshot.dimension_label

    def get_queryset(self, request):
        # A result is tens of kilobytes: the list does not need it, the change page
        # loads it with one more query.
        return super().get_queryset(request).defer("result")


@admin.register(SnapshotScope, site=admin_site)
class SnapshotScopeAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "stale", "stale_since", "changed_from", "refreshed_at",
                    "lease_until"]
    list_select_related = ["project"]
    search_fields = ["project__code", "project__name"]

    @admin.display(boolean=True, description=_("stale"))
    def stale(self, scope):
        return scope.is_stale


@admin.register(SnapshotRun, site=admin_site)
class SnapshotRunAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "scope", "trigger", "attempt", "status", "finished_at",
                    "snapshots_written"]
    list_display_links = ["started_at"]
    list_filter = ["status", "trigger"]
    list_select_related = ["scope__project"]
    search_fields = ["scope__project__code", "error"]
    date_hierarchy = "started_at"


@admin.register(IndicatorRequest, site=admin_site)
class IndicatorRequestAdmin(ReadOnlyAdmin):
    list_display = ["requested_at", "project", "date_from", "date_to", "breakdown", "status",
                    "requested_by", "finished_at"]
    list_display_links = ["requested_at"]
    list_filter = ["status", BreakdownFilter]
    list_select_related = ["project", "requested_by"]
    search_fields = ["project__code", "error"]

    @admin.display(description=_("breakdown"), ordering="dimension")
    def breakdown(self, indicator_request):
        return dimension_label(indicator_request.dimension)

    def get_queryset(self, request):
        return super().get_queryset(request).defer("result")


# Reports, extracts and imports are made on their own pages; the admin shows them.


@admin.register(ExportRequest, site=admin_site)
class ExportRequestAdmin(ReadOnlyAdmin):
    list_display = ["requested_at", "kind", "file_format", "project", "raw", "requested_by",
                    "status", "expires_at"]
    list_display_links = ["requested_at"]
    list_filter = ["kind", "status", "raw"]
    list_select_related = ["project", "requested_by"]
    search_fields = ["project__code", "requested_by__username"]
    date_hierarchy = "requested_at"


@admin.register(ImportRequest, site=admin_site)
class ImportRequestAdmin(ReadOnlyAdmin):
    list_display = ["uploaded_at", "original_name", "uploaded_by", "status", "problem_count",
                    "confirmed_by", "finished_at"]
    list_display_links = ["uploaded_at"]
    list_filter = ["status"]
    list_select_related = ["uploaded_by", "confirmed_by"]
    search_fields = ["original_name", "uploaded_by__username"]
    date_hierarchy = "uploaded_at"


@admin.register(DataRelease, site=admin_site)
class DataReleaseAdmin(ReadOnlyAdmin):
    """The record of releases of raw data: read, searched, never changed or deleted."""

    list_display = ["released_at", "operator", "channel", "kind", "description", "address"]
    list_display_links = ["released_at"]
    list_filter = ["kind", "channel"]
    search_fields = ["operator", "description"]
    date_hierarchy = "released_at"

    def has_delete_permission(self, request, obj=None):
        return False
