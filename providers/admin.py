from django.contrib import admin

from rehab.admin import AdministratorOnlyAdmin, admin_site

from .models import Provider, ProviderMembership


class ProviderMembershipInline(admin.TabularInline):
    model = ProviderMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Provider, site=admin_site)
class ProviderAdmin(AdministratorOnlyAdmin):
    list_display = ["code", "name", "organisation_number", "municipality"]
    search_fields = ["code", "name", "organisation_number"]
    inlines = [ProviderMembershipInline]


@admin.register(ProviderMembership, site=admin_site)
class ProviderMembershipAdmin(AdministratorOnlyAdmin):
    list_display = ["user", "provider", "created_at"]
    list_select_related = ["user", "provider"]
    autocomplete_fields = ["user", "provider"]
    search_fields = ["user__username", "provider__name"]
