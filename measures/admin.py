from django.contrib import admin

from rehab.admin import AdministratorOnlyAdmin, admin_site

from .models import Enrollment, Measure


@admin.register(Measure, site=admin_site)
class MeasureAdmin(AdministratorOnlyAdmin):
    list_display = ["code", "name", "measure_type", "provider", "setting", "capacity", "active"]
    list_filter = ["measure_type", "setting", "active", "provider"]
    list_select_related = ["provider"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["provider"]


@admin.register(Enrollment, site=admin_site)
class EnrollmentAdmin(AdministratorOnlyAdmin):
    list_display = ["ref", "participant", "measure", "referred_on", "started_on", "ended_on",
                    "end_reason"]
    list_filter = ["end_reason", "measure__measure_type"]
    list_select_related = ["participant", "measure"]
    search_fields = ["ref", "participant__ref", "measure__code"]
    autocomplete_fields = ["participant", "measure", "referred_by"]
    date_hierarchy = "referred_on"
