"""The demo's employer register, the employers named on work spells and contacts,
and the case workers' job development."""

import datetime as dt
import random

from django.contrib.auth import get_user_model

from evaluations import demo
from participants.models import (
    Employer,
    FollowUp,
    JobDevelopmentContact,
    OutcomeKind,
    OutcomeSpell,
)
from participants.services.employers import employer_create

from .texts import JOB_DEVELOPMENT_NOTES

JOB_DEVELOPMENT_WEEKS = 10


def ensure_employers() -> dict[str, list[Employer]]:
    """The demo's employer register (area -> its employers), each registered through the
    service by a case worker of the area, unless its number is already registered."""
    User = get_user_model()
    wanted = demo.demo_employers()
    registered = {(e.country, e.organisation_number): e for e in Employer.objects.filter(
        organisation_number__in=[values["organisation_number"]
                                 for rows in wanted.values() for values in rows])}
    employers = {}
    for area, rows in wanted.items():
        registrar = User.objects.get(username=next(
            name for name, (*_n, office, _w) in demo.CASE_WORKERS.items()
            if demo.OFFICES[office][1] == area))
        employers[area] = [
            registered.get((values["country"], values["organisation_number"]))
            or employer_create(user=registrar, **values)
            for values in rows
        ]
    return employers


def _area_of(project_code: str) -> str:
    return project_code.split("-")[1]


def ensure_employers_named(employers: dict[str, list[Employer]]) -> None:
    """Most work spells name one of the area's employers, and most imported contacts held
    with an employer name the participant's (their work spell's, or else a workplace of
    the area where they were placed). Only rows that name none are changed."""
    spells = (OutcomeSpell.objects
              .filter(participant__ref__startswith=demo.REF_PREFIX, kind=OutcomeKind.WORK,
                      employer__isnull=True, import_key__isnull=False)
              .values_list("pk", "import_key", "participant__project__code"))
    by_employer: dict[int, list[int]] = {}
    for pk, import_key, project_code in spells:
        rng = random.Random(f"employer {import_key}")
        if rng.random() < 0.85:
            employer = rng.choice(employers[_area_of(project_code)])
            by_employer.setdefault(employer.pk, []).append(pk)
    for employer_id, pks in by_employer.items():
        OutcomeSpell.objects.filter(pk__in=pks).update(employer_id=employer_id)

    workplace = dict(OutcomeSpell.objects
                     .filter(participant__ref__startswith=demo.REF_PREFIX,
                             employer__isnull=False)
                     .order_by("started_on", "pk").values_list("participant_id", "employer_id"))
    contacts = (FollowUp.objects
                .filter(participant__ref__startswith=demo.REF_PREFIX, with_employer=True,
                        employer__isnull=True, import_key__isnull=False)
                .values_list("pk", "import_key", "participant_id", "participant__ref",
                             "participant__project__code"))
    by_employer = {}
    for pk, import_key, participant_id, ref, project_code in contacts:
        if random.Random(f"employer {import_key}").random() >= 0.8:
            continue
        employer_id = workplace.get(participant_id) or random.Random(
            f"placement {ref}").choice(employers[_area_of(project_code)]).pk
        by_employer.setdefault(employer_id, []).append(pk)
    for employer_id, pks in by_employer.items():
        FollowUp.objects.filter(pk__in=pks).update(employer_id=employer_id)


def ensure_job_development(employers: dict[str, list[Employer]], *, anchor: dt.date) -> None:
    """Each demo case worker's contacts with the area's employers on the working days of
    the last JOB_DEVELOPMENT_WEEKS weeks up to the demo's "today", at a pace of their own
    (from one every other week to three a week), so that the team view's weekly table has
    figures. Only for case workers who have logged none."""
    users = dict(get_user_model().objects.filter(username__in=demo.CASE_WORKERS)
                 .values_list("username", "pk"))
    logged = set(JobDevelopmentContact.objects.filter(case_worker_id__in=users.values())
                 .values_list("case_worker_id", flat=True))
    monday = anchor - dt.timedelta(days=anchor.weekday())
    first = monday - dt.timedelta(weeks=JOB_DEVELOPMENT_WEEKS - 1)
    new = []
    for username, (*_names, office, _share) in demo.CASE_WORKERS.items():
        if username not in users or users[username] in logged:
            continue
        rng = random.Random(f"job development {username}")
        area = demo.OFFICES[office][1]
        country = demo.country_of_area(area)
        # The demo login's own row of the table is a busy one.
        per_week = 2.5 if username == demo.CASEWORKER else rng.choice((0.5, 1, 1.5, 2, 3))
        favourites = rng.sample(employers[area], 3)
        day = first
        while day <= anchor:
            if day.weekday() < 5 and rng.random() < per_week / 5:
                employer = (rng.choice(favourites) if rng.random() < 0.6
                            else rng.choice(employers[area]))
                new.append(JobDevelopmentContact(
                    employer=employer, case_worker_id=users[username], occurred_on=day,
                    channel=rng.choices(("meeting", "phone", "video", "message"),
                                        (40, 40, 5, 15))[0],
                    note=rng.choice(JOB_DEVELOPMENT_NOTES[country]) if rng.random() < 0.6
                    else ""))
            day += dt.timedelta(days=1)
    JobDevelopmentContact.objects.bulk_create(new)
