from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from participants.admin import RecordsParticipantReads
from rehab.admin import AdministratorOnlyAdmin, admin_site

from .models import Enrollment, EnrollmentProposal, Measure, ProgressReport


@admin.register(Measure, site=admin_site)
class MeasureAdmin(AdministratorOnlyAdmin):
    list_display = ["code", "name", "measure_type", "provider", "setting", "capacity", "active"]
    list_filter = ["measure_type", "setting", "active", "provider"]
    list_select_related = ["provider"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["provider"]


@admin.register(Enrollment, site=admin_site)
class EnrollmentAdmin(RecordsParticipantReads, SimpleHistoryAdmin, AdministratorOnlyAdmin):
    list_display = ["ref", "participant", "measure", "referred_on", "started_on", "ended_on",
                    "end_reason"]
    list_filter = ["end_reason", "measure__measure_type"]
    list_select_related = ["participant", "measure"]
    search_fields = ["ref", "participant__ref", "measure__code"]
    autocomplete_fields = ["participant", "measure", "referred_by"]
    date_hierarchy = "referred_on"


@admin.register(EnrollmentProposal, site=admin_site)
class EnrollmentProposalAdmin(RecordsParticipantReads, AdministratorOnlyAdmin):
    list_display = ["enrollment", "kind", "status", "proposed_by", "created_at", "decided_by",
                    "decided_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["enrollment", "proposed_by", "decided_by"]
    search_fields = ["enrollment__ref"]
    autocomplete_fields = ["enrollment", "proposed_by", "decided_by"]
    participant_id_path = "enrollment__participant_id"


@admin.register(ProgressReport, site=admin_site)
class ProgressReportAdmin(RecordsParticipantReads, AdministratorOnlyAdmin):
    list_display = ["enrollment", "period_start", "period_end", "attendance_percent",
                    "written_by", "created_at"]
    list_select_related = ["enrollment", "written_by"]
    search_fields = ["enrollment__ref"]
    autocomplete_fields = ["enrollment", "written_by"]
    participant_id_path = "enrollment__participant_id"
