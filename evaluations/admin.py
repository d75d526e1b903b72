from django.contrib import admin

from rehab.admin import AdministratorOnlyAdmin, admin_site

from .models import ProblemReport, Project


@admin.register(Project, site=admin_site)
class ProjectAdmin(AdministratorOnlyAdmin):
    list_display = ["code", "name", "parent", "starts_on", "ends_on", "target_work_rate",
                    "target_education_rate"]
    list_select_related = ["parent"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]


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
