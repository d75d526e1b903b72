"""The demo's logins (one per role), offices, case workers and project lead."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from evaluations import demo
from evaluations.models import Project
from participants.models import Office, StaffProfile
from rehab.roles import Role

# username, password, role, first name, last name. The passwords are published on purpose.
DEMO_LOGINS = [
    (demo.CASEWORKER, "demo-caseworker-2026", Role.CASE_WORKER,
     *demo.CASE_WORKERS[demo.CASEWORKER][:2]),
    ("provider", "demo-provider-2026", Role.PROVIDER_STAFF, "Bjørn", "Lunde"),
    ("lead", "demo-lead-2026", Role.PROJECT_LEAD, "Turid", "Aasen"),
    ("admin", "demo-admin-2026", Role.ADMINISTRATOR, "Siri", "Dahle"),
    ("privacy", "demo-privacy-2026", Role.DATA_PROTECTION_OFFICER, "Hedda", "Berge"),
]
DEMO_PROVIDER = "NIDELV"  # runs most of the Trondheim measures, where `caseworker` works


def ensure_offices() -> dict[str, Office]:
    """The demo's offices with their names (an import alone names an office by its code)."""
    offices = {}
    for code, (name, _area, _share) in demo.OFFICES.items():
        office, _created = Office.objects.get_or_create(code=code, defaults={"name": name})
        if office.name == code:
            office.name = name
            office.save(update_fields=["name"])
        offices[code] = office
    return offices


def ensure_login(*, username: str, password: str, role: str, first_name: str,
                 last_name: str) -> None:
    """The password is set only on an account that has none (new, or made inactive by an
    import), so a second run changes nothing and a changed password stays changed."""
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None or not user.has_usable_password():
        user = user or User(username=username, first_name=first_name, last_name=last_name)
        user.set_password(password)
        user.is_active = True
        user.is_staff = role == Role.ADMINISTRATOR  # the admin login form asks for it
        user.save()
    user.groups.add(Group.objects.get(name=role))


def ensure_project_lead(lead) -> None:
    """The demo's project lead leads every demo programme (and so its sub-projects)."""
    programmes = Project.objects.filter(code__in=[p[0] for p in demo.PROJECTS],
                                        parent__isnull=True)
    for programme in programmes:
        programme.leads.add(lead)


def ensure_case_workers(offices: dict[str, Office]) -> None:
    """The import creates the demo's case workers inactive and nameless; the demo's are
    active (without a password: nobody signs in as them), named and in their office."""
    group = Group.objects.get(name=Role.CASE_WORKER)
    users = get_user_model().objects.filter(username__in=demo.CASE_WORKERS)
    users.filter(is_active=False).update(is_active=True)
    for user in users.filter(first_name="", last_name=""):
        user.first_name, user.last_name, *_rest = demo.CASE_WORKERS[user.username]
        user.save(update_fields=["first_name", "last_name"])
    group.user_set.add(*users)
    with_office = set(StaffProfile.objects.filter(user__in=users, office__isnull=False)
                      .values_list("user__username", flat=True))
    for user in users:
        if user.username not in with_office:
            StaffProfile.objects.update_or_create(
                user=user, defaults={"office": offices[demo.CASE_WORKERS[user.username][2]]})
