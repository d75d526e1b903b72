"""The fictional demo of evaluations/demo/ written into the database, with one login
per role (``manage.py seed_demo`` calls ``seed``).

Running it again changes nothing: the bundle import is idempotent, and everything else
(accounts, plans, notes, employers, the support phase's contacts, planned contacts,
languages, job development) is created only where it is missing, each choice seeded by
what it is about (a ref, an import key, a username) and never by the bundle's random
stream, so the bundle and its proportions stay as they are. The demo logins have
published passwords, so the command refuses a database that holds anyone but the demo's
invented participants unless told otherwise.
"""

import datetime as dt
import tempfile

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from evaluations import demo
from evaluations.exchange.importer import import_bundle
from evaluations.models import Project
from providers.models import Provider, ProviderMembership

from .casework import (
    ensure_follow_up_notes,
    ensure_languages,
    ensure_next_contacts,
    ensure_plans,
    ensure_support_follow_ups,
)
from .employers import (
    JOB_DEVELOPMENT_WEEKS,
    ensure_employers,
    ensure_employers_named,
    ensure_job_development,
)
from .staff import (
    DEMO_LOGINS,
    DEMO_PROVIDER,
    ensure_case_workers,
    ensure_login,
    ensure_offices,
    ensure_project_lead,
)
from .texts import (
    FOLLOW_UP_NOTES,
    GOALS,
    JOB_DEVELOPMENT_NOTES,
    LANGUAGE_OF_COUNTRY,
    REVIEW_NOTES,
    SUPPORT_NOTES,
)

__all__ = [
    "DEMO_LOGINS",
    "DEMO_PROVIDER",
    "FOLLOW_UP_NOTES",
    "GOALS",
    "JOB_DEVELOPMENT_NOTES",
    "JOB_DEVELOPMENT_WEEKS",
    "LANGUAGE_OF_COUNTRY",
    "REVIEW_NOTES",
    "SUPPORT_NOTES",
    "demo_anchor",
    "ensure_case_workers",
    "ensure_employers",
    "ensure_employers_named",
    "ensure_follow_up_notes",
    "ensure_job_development",
    "ensure_languages",
    "ensure_login",
    "ensure_next_contacts",
    "ensure_offices",
    "ensure_plans",
    "ensure_project_lead",
    "ensure_support_follow_ups",
    "seed",
]


# The entry point stays in the package itself, with the demo's "today" it starts from;
# the topics' steps are in staff.py, casework.py and employers.py, their texts in texts.py.
@transaction.atomic
def seed() -> None:
    """The demo, in one transaction: what is missing is added, nothing else changes."""
    anchor = demo_anchor()
    offices = ensure_offices()
    for username, password, role, first_name, last_name in DEMO_LOGINS:
        ensure_login(username=username, password=password, role=role,
                     first_name=first_name, last_name=last_name)
    with tempfile.TemporaryDirectory() as folder:
        demo.write_demo_bundle(folder, anchor=anchor)
        import_bundle(folder)  # BundleInvalid: a bug in the generator, never the user's
    ensure_case_workers(offices)
    ProviderMembership.objects.get_or_create(
        user=get_user_model().objects.get(username="provider"),
        provider=Provider.objects.get(code=DEMO_PROVIDER))
    ensure_project_lead(get_user_model().objects.get(username="lead"))
    ensure_plans(anchor=anchor)
    ensure_follow_up_notes()
    employers = ensure_employers()
    ensure_employers_named(employers)
    ensure_support_follow_ups(anchor=anchor)
    ensure_next_contacts(anchor=anchor)
    ensure_languages()
    ensure_job_development(employers, anchor=anchor)


def demo_anchor() -> dt.date:
    """The demo's "today": the day before the first seeding (``demo.anchor_for``), and the
    same day on every later run, read back from where the first run put the first
    programme's start. A later run must not move the dates: the import would take moved
    follow-ups for new ones."""
    code = demo.PROJECTS[0][0]
    seeded = Project.objects.filter(code=code).values_list("starts_on", flat=True).first()
    if seeded is not None:
        return demo.REFERENCE_DAY + (seeded - demo.project_start(code, demo.REFERENCE_DAY))
    return demo.anchor_for(timezone.localdate())
