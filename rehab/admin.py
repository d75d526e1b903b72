"""The admin site, for administrators only (the administrator role, or a superuser)."""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, Permission, User
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from rehab.roles import is_administrator

# Django stores a permission's name in English when it creates it ("Can add release of raw
# data"), so the admin's permission choosers were English in every language; the default
# permissions are named here instead, in the administrator's language.
DEFAULT_PERMISSION_NAMES = {
    "add": _("Can add %(model)s"),
    "change": _("Can change %(model)s"),
    "delete": _("Can delete %(model)s"),
    "view": _("Can view %(model)s"),
}


def permission_label(permission: Permission) -> str:
    """As Django writes a permission (app | model | name), with the name of a default
    permission in the active language."""
    content_type = permission.content_type
    model = content_type.model_class()
    action = permission.codename.partition("_")[0]
    name = permission.name
    is_default = permission.codename == f"{action}_{content_type.model}"
    if model is not None and is_default and action in DEFAULT_PERMISSION_NAMES:
        name = DEFAULT_PERMISSION_NAMES[action] % {"model": model._meta.verbose_name}
    return f"{content_type} | {name}"


class PermissionNamesInTheUsersLanguage:
    """The permission chooser of the user and group forms, labelled by permission_label."""

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and db_field.related_model is Permission:
            field.label_from_instance = permission_label
        return field


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
class RehabUserAdmin(PermissionNamesInTheUsersLanguage, AdministratorOnlyAdmin, UserAdmin):
    list_filter = ("is_active", "groups")


@admin.register(Group, site=admin_site)
class RehabGroupAdmin(PermissionNamesInTheUsersLanguage, AdministratorOnlyAdmin, GroupAdmin):
    pass
