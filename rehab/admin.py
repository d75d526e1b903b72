"""The admin site, for administrators only (the administrator role, or a superuser)."""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from rehab.roles import is_administrator


class RehabAdminSite(admin.AdminSite):
    site_header = _("Vocational rehabilitation: administration")
    site_title = _("Administration")
    index_title = _("Case data and users")

    def has_permission(self, request):
        return request.user.is_active and is_administrator(request.user)

    def login(self, request, extra_context=None):
        """A signed-in user without the administrator role gets the site's refusal, not
        the admin's invitation to sign in as someone else."""
        if request.user.is_authenticated and not self.has_permission(request):
            raise PermissionDenied
        return super().login(request, extra_context)


class AdministratorOnlyAdmin(admin.ModelAdmin):
    """Administrators manage every model; nobody else reaches the admin at all."""

    def has_module_permission(self, request):
        return is_administrator(request.user)

    def has_view_permission(self, request, obj=None):
        return is_administrator(request.user)

    def has_add_permission(self, request):
        return is_administrator(request.user)

    def has_change_permission(self, request, obj=None):
        return is_administrator(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_administrator(request.user)


admin_site = RehabAdminSite(name="admin")


@admin.register(User, site=admin_site)
class RehabUserAdmin(AdministratorOnlyAdmin, UserAdmin):
    list_filter = ("is_active", "groups")


@admin.register(Group, site=admin_site)
class RehabGroupAdmin(AdministratorOnlyAdmin, GroupAdmin):
    pass
