from rehab.roles import Role, roles_of

from . import participant_mode


def roles(request):
    """Expose the signed-in user's roles to templates, for showing the right menu, and
    whether the device is in participant mode (where no page may show the staff menu)."""
    user_roles = roles_of(getattr(request, "user", None))
    return {
        "user_roles": user_roles,
        "is_administrator": Role.ADMINISTRATOR in user_roles,
        "in_participant_mode": participant_mode.state(request) is not None,
    }
