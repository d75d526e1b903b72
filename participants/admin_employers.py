"""Admin of the employer register and of job development contacts (imported by admin.py)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from rehab.admin import AdministratorOnlyAdmin, admin_site

from .models import Employer, JobDevelopmentContact


@admin.register(Employer, site=admin_site)
class EmployerAdmin(SimpleHistoryAdmin, AdministratorOnlyAdmin):
    list_display = ["name", "organisation_number", "country", "municipality", "contact_name",
                    "registered_by_office"]
    list_filter = ["country"]
    list_select_related = ["registered_by_office"]
    search_fields = ["name", "organisation_number", "municipality"]
    autocomplete_fields = ["registered_by_office"]


@admin.register(JobDevelopmentContact, site=admin_site)
class JobDevelopmentContactAdmin(SimpleHistoryAdmin, AdministratorOnlyAdmin):
    list_display = ["employer", "occurred_on", "case_worker", "channel"]
    list_filter = ["channel"]
    list_select_related = ["employer", "case_worker"]
    search_fields = ["employer__name", "case_worker__username"]
    autocomplete_fields = ["employer", "case_worker"]
    date_hierarchy = "occurred_on"
