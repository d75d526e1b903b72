from rehab.roles import Role, roles_of


def roles(request):
    """Expose the signed-in user's roles to templates, for showing the right menu."""
    user_roles = roles_of(getattr(request, "user", None))
    return {
        "user_roles": user_roles,
        "is_administrator": Role.ADMINISTRATOR in user_roles,
    }
