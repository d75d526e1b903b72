from django.contrib import admin

from rehab.admin import AdministratorOnlyAdmin, admin_site

from .models import Project


@admin.register(Project, site=admin_site)
class ProjectAdmin(AdministratorOnlyAdmin):
    list_display = ["code", "name", "parent", "starts_on", "ends_on", "target_work_rate",
                    "target_education_rate"]
    list_select_related = ["parent"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]
