"""The roles, kept as auth groups (created by participants' data migration).

A user's roles decide what they may see; each model's ``visible_to(user)`` reads
them through these helpers, so the group names are written down in one place.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CASE_WORKER = "case_worker", _("Case worker")
    # Given besides case_worker: changes the job development contacts of the office's case
    # workers (participants/models/employers.py).
    TEAM_LEAD = "team_lead", _("Team lead")
    PROVIDER_STAFF = "provider_staff", _("Provider staff")
    PROJECT_LEAD = "project_lead", _("Project lead")
    ADMINISTRATOR = "administrator", _("Administrator")
    DATA_PROTECTION_OFFICER = "data_protection_officer", _("Data protection officer")


def roles_of(user) -> frozenset[str]:
    """The role codes of an active, signed-in user (cached on the user object)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_rehab_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            cached |= {Role.ADMINISTRATOR}
        user._rehab_roles = cached
    return cached


def has_role(user, role: str) -> bool:
    return role in roles_of(user)


def is_administrator(user) -> bool:
    return has_role(user, Role.ADMINISTRATOR)
