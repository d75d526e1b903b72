from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from rehab.admin import AdministratorOnlyAdmin, admin_site

from . import access_log, admin_employers, voice_admin  # noqa: F401 (registers their admins)
from .models import (
    AccessKind,
    AccessLogEntry,
    Answer,
    CaseloadPreference,
    CaseWorkerAssignment,
    FollowUp,
    Goal,
    Office,
    OutcomeSpell,
    Participant,
    Plan,
    PlanReview,
    SavedCaseloadFilter,
    StaffProfile,
)


class RecordsParticipantReads:
    """The admin pages of one record about a participant (its change page, its history,
    an old version of it) show that participant's data: each is recorded in the access
    log like the participant page (docs/security.md). An old version of the participant
    shows the whole identity number, a follow-up's page its note. The lists are not
    recorded: they name people, as the caseload does, without their case file.

    ``participant_id_path``: the lookup from the record to its participant's id.
    """

    participant_id_path = "participant_id"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        return self._recorded(request, object_id, response)

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        return self._recorded(request, object_id, response)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Only reached on admins with change history (SimpleHistoryAdmin's URL).
        response = super().history_form_view(request, object_id, version_id, extra_context)
        return self._recorded(request, object_id, response)

    def _recorded(self, request, object_id, response):
        if request.method != "GET" or response.status_code != 200:
            return response
        participant_id = (self.model._default_manager.filter(pk=unquote(object_id))
                          .values_list(self.participant_id_path, flat=True).first())
        if participant_id is not None:
            access_log.record_read(user=request.user, participant=participant_id,
                                   what=AccessKind.ADMIN, request=request)
        return response


@admin.register(Office, site=admin_site)
class OfficeAdmin(AdministratorOnlyAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(StaffProfile, site=admin_site)
class StaffProfileAdmin(AdministratorOnlyAdmin):
    list_display = ["user", "office"]
    list_select_related = ["user", "office"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user", "office"]


class CaseWorkerAssignmentInline(admin.TabularInline):
    model = CaseWorkerAssignment
    fk_name = "participant"
    extra = 0
    autocomplete_fields = ["case_worker", "assigned_by"]


@admin.register(Participant, site=admin_site)
class ParticipantAdmin(RecordsParticipantReads, SimpleHistoryAdmin, AdministratorOnlyAdmin):
    list_display = ["ref", "family_name", "given_name", "project", "office",
                    "primary_case_worker"]
    list_filter = ["project", "office", "gender"]
    list_select_related = ["project", "office", "primary_case_worker"]
    search_fields = ["ref", "family_name", "given_name"]
    autocomplete_fields = ["project", "office", "primary_case_worker"]
    inlines = [CaseWorkerAssignmentInline]
    participant_id_path = "pk"


@admin.register(AccessLogEntry, site=admin_site)
class AccessLogEntryAdmin(AdministratorOnlyAdmin):
    """Searched here by administrators; never added, changed or deleted."""

    list_display = ["at", "username", "participant_number", "what", "address"]
    list_filter = ["what"]
    search_fields = ["username", "=participant__ref"]
    date_hierarchy = "at"
    readonly_fields = ["at", "user", "username", "participant", "what", "detail", "address"]

    @admin.display(description=_("participant"), ordering="participant_id")
    def participant_number(self, entry):
        # The number, not the participant: the list would read every participant it names.
        return entry.participant_id

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FollowUp, site=admin_site)
class FollowUpAdmin(RecordsParticipantReads, SimpleHistoryAdmin, AdministratorOnlyAdmin):
    list_display = ["participant", "occurred_on", "case_worker", "channel", "with_employer",
                    "with_treatment"]
    list_filter = ["channel", "with_employer", "with_treatment"]
    list_select_related = ["participant", "case_worker"]
    search_fields = ["participant__ref"]
    autocomplete_fields = ["participant", "case_worker", "employer"]
    date_hierarchy = "occurred_on"


@admin.register(OutcomeSpell, site=admin_site)
class OutcomeSpellAdmin(RecordsParticipantReads, SimpleHistoryAdmin, AdministratorOnlyAdmin):
    list_display = ["participant", "kind", "started_on", "ended_on", "hours_per_week",
                    "organisation_name"]
    list_filter = ["kind"]
    list_select_related = ["participant"]
    search_fields = ["participant__ref", "organisation_name"]
    autocomplete_fields = ["participant", "employer"]


class GoalInline(admin.TabularInline):
    model = Goal
    extra = 0


class PlanReviewInline(admin.TabularInline):
    model = PlanReview
    extra = 0
    autocomplete_fields = ["reviewed_by"]
    # Written by goal_review; a choice among every goal would also be a long list.
    readonly_fields = ["goal", "goal_status_before", "goal_status_after"]


@admin.register(Plan, site=admin_site)
class PlanAdmin(RecordsParticipantReads, AdministratorOnlyAdmin):
    list_display = ["participant", "created_at", "updated_at"]
    list_select_related = ["participant"]
    search_fields = ["participant__ref"]
    autocomplete_fields = ["participant"]
    inlines = [GoalInline, PlanReviewInline]


@admin.register(Answer, site=admin_site)
class AnswerAdmin(RecordsParticipantReads, AdministratorOnlyAdmin):
    list_display = ["participant", "item", "answered_on", "score"]
    list_select_related = ["participant", "item__instrument"]
    search_fields = ["participant__ref"]
    autocomplete_fields = ["participant"]
    date_hierarchy = "answered_on"


@admin.register(CaseWorkerAssignment, site=admin_site)
class CaseWorkerAssignmentAdmin(RecordsParticipantReads, AdministratorOnlyAdmin):
    list_display = ["participant", "case_worker", "assigned_on", "assigned_by"]
    list_select_related = ["participant", "case_worker", "assigned_by"]
    search_fields = ["participant__ref", "case_worker__username"]
    autocomplete_fields = ["participant", "case_worker", "assigned_by"]


@admin.register(Goal, site=admin_site)
class GoalAdmin(RecordsParticipantReads, SimpleHistoryAdmin, AdministratorOnlyAdmin):
    list_display = ["plan", "text", "target_date", "status"]
    list_filter = ["status"]
    list_select_related = ["plan__participant"]
    search_fields = ["plan__participant__ref"]
    participant_id_path = "plan__participant_id"


@admin.register(PlanReview, site=admin_site)
class PlanReviewAdmin(RecordsParticipantReads, AdministratorOnlyAdmin):
    list_display = ["plan", "reviewed_on", "reviewed_by"]
    list_select_related = ["plan__participant", "reviewed_by"]
    search_fields = ["plan__participant__ref"]
    participant_id_path = "plan__participant_id"
    readonly_fields = ["goal", "goal_status_before", "goal_status_after"]


class OwnRowsOnlyAdmin(AdministratorOnlyAdmin):
    """A user's own caseload settings: an administrator sees and deletes only their own,
    never a case worker's (the owner changes them on My caseload)."""

    def get_queryset(self, request):
        return super().get_queryset(request).filter(user=request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SavedCaseloadFilter, site=admin_site)
class SavedCaseloadFilterAdmin(OwnRowsOnlyAdmin):
    list_display = ["name", "team", "query", "created_at"]


@admin.register(CaseloadPreference, site=admin_site)
class CaseloadPreferenceAdmin(OwnRowsOnlyAdmin):
    list_display = ["user", "no_contact_days"]
