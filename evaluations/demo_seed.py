"""The fictional demo of evaluations/demo.py written into the database, with one login
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
import random
import tempfile

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Exists, Max, Min, OuterRef, Q
from django.utils import timezone

from evaluations import demo
from evaluations.exchange.importer import import_bundle
from evaluations.models import Project
from measures.models import Enrollment
from participants.models import (
    Employer,
    FollowUp,
    Goal,
    GoalStatus,
    JobDevelopmentContact,
    Office,
    OutcomeKind,
    OutcomeSpell,
    Participant,
    Plan,
    PlanReview,
    StaffProfile,
)
from participants.services.employers import employer_create
from providers.models import Provider, ProviderMembership
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

GOALS = {
    "NO": [
        "Komme i jobb i en deltidsstilling, minst 40 %",
        "Fullføre arbeidspraksisen og få en attest",
        "Få en fast døgnrytme med oppmøte kl. 09 fire dager i uka",
        "Starte på videregående opplæring og ta fagbrev",
        "Ta førerkort klasse B",
        "Avklare hvor mye og hva slags arbeid som passer",
        "Reise alene til og fra arbeidsplassen med buss",
    ],
    "DK": [
        "Komme i ordinært job på deltid, mindst 15 timer om ugen",
        "Gennemføre virksomhedspraktikken",
        "Få en fast døgnrytme og møde op til aftaler",
        "Starte på en uddannelse (HF eller erhvervsuddannelse)",
        "Tage kørekort",
        "Afklare arbejdsevnen og hvilke job der passer",
        "Bruge værktøjerne fra mestringskurset i hverdagen",
    ],
    "SE": [
        "Komma ut i arbete på deltid, minst 25 %",
        "Fullfölja arbetsträningen",
        "Få en fungerande dygnsrytm och komma i tid",
        "Börja studera på folkhögskola eller Komvux",
        "Ta körkort",
        "Klargöra arbetsförmågan och vilka arbeten som passar",
        "Använda det jag lär mig på kursen i vardagen",
    ],
}
REVIEW_NOTES = {
    "NO": ["Planen gjennomgått sammen med deltaker. Målene står fast.",
           "Justert måldato etter samtale om helsesituasjonen.",
           "God framgang; nytt mål om flere timer i praksis."],
    "DK": ["Planen gennemgået med borgeren. Målene fastholdes.",
           "Ny måldato aftalt efter en sygdomsperiode.",
           "God fremgang; nyt mål om flere timer i praktik."],
    "SE": ["Planen genomgången tillsammans med deltagaren. Målen ligger fast.",
           "Nytt måldatum efter samtal om hälsan.",
           "God utveckling; nytt mål om fler timmar i praktiken."],
}
FOLLOW_UP_NOTES = {  # general, with the employer, with the treatment service
    "NO": (["Samtale om hvordan uka har gått.", "Avtalt neste møte og gått gjennom planen.",
            "Ringte for å høre hvordan oppstarten gikk.",
            "Trives og ønsker å øke antall dager."],
           "Møte med arbeidsgiver om tilrettelegging og arbeidsoppgaver.",
           "Samarbeidsmøte med behandler om videre plan."),
    "DK": (["Samtale om hvordan ugen er gået.", "Aftalt næste møde og gennemgået planen.",
            "Ringede for at høre, hvordan opstarten gik.",
            "Trives og vil gerne have flere timer."],
           "Møde med arbejdsgiver om skånehensyn og opgaver.",
           "Samarbejdsmøde med behandler om den videre plan."),
    "SE": (["Samtal om hur veckan har gått.", "Bokat nästa möte och gått igenom planen.",
            "Ringde för att höra hur starten gick.", "Trivs och vill öka antalet dagar."],
           "Möte med arbetsgivaren om anpassningar och arbetsuppgifter.",
           "Samverkansmöte med behandlare om fortsatt plan."),
}

SUPPORT_NOTES = {  # contacts in the support phase, after a job has started
    "NO": ["Samtale om hvordan det går i jobben.", "Ringte etter første uke i jobb.",
           "Snakket om arbeidstid og om å øke stillingen.",
           "Gått gjennom vaktlisten og reisevei sammen."],
    "DK": ["Samtale om, hvordan det går på jobbet.", "Ringede efter den første uge i job.",
           "Talt om arbejdstid og om at gå op i timer.",
           "Gennemgået vagtplanen og transporten sammen."],
    "SE": ["Samtal om hur det går på jobbet.", "Ringde efter första veckan på jobbet.",
           "Pratat om arbetstid och om att gå upp i tid.",
           "Gått igenom schemat och resvägen tillsammans."],
}
JOB_DEVELOPMENT_NOTES = {
    "NO": ["Presentert IPS og hva vi kan tilby av oppfølging.",
           "Besøk på arbeidsplassen; mulige oppgaver på lager og i kantine.",
           "Avtalt nytt møte om ledige deltidsstillinger.",
           "Ringte daglig leder om behov for ekstrahjelp."],
    "DK": ["Præsenteret IPS og den støtte, vi kan tilbyde.",
           "Besøg på virksomheden; mulige opgaver på lager og i kantinen.",
           "Aftalt nyt møde om ledige deltidsstillinger.",
           "Ringede til indehaveren om behov for ekstra hænder."],
    "SE": ["Presenterat IPS och vilket stöd vi kan erbjuda.",
           "Besök på arbetsplatsen; möjliga uppgifter på lagret och i köket.",
           "Bokat nytt möte om lediga deltidstjänster.",
           "Ringde chefen om behov av extra personal."],
}
LANGUAGE_OF_COUNTRY = {"NO": "nb", "DK": "da", "SE": "sv"}
JOB_DEVELOPMENT_WEEKS = 10


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


def ensure_plans(*, anchor: dt.date) -> None:
    """A plan with one to three goals, and often a review, for about two thirds of the
    participants who have started a measure. Each choice is seeded by the participant's
    ref, so it does not depend on what the database already holds; goals and a review are
    added only to a plan that has none."""
    participants = (
        Participant.objects.filter(ref__startswith=demo.REF_PREFIX)
        .annotate(first_start=Min("enrollments__started_on"))
        .filter(first_start__isnull=False)
        .values_list("pk", "ref", "project__code", "primary_case_worker_id", "first_start")
    )
    goals, reviews = {}, {}
    for pk, ref, project_code, case_worker_id, first_start in participants:
        rng = random.Random(f"plan {ref}")
        if rng.random() >= 0.65:
            continue
        country = demo.country_of(project_code)
        goals[pk] = [_goal(rng, text, first_start, anchor=anchor)
                     for text in rng.sample(GOALS[country], rng.randint(1, 3))]
        reviewed_on = first_start + dt.timedelta(days=rng.randint(60, 300))
        if rng.random() < 0.6 and reviewed_on <= anchor and case_worker_id:
            reviews[pk] = PlanReview(reviewed_on=reviewed_on, reviewed_by_id=case_worker_id,
                                     note=rng.choice(REVIEW_NOTES[country]))
    plans = Plan.objects.filter(participant_id__in=goals)
    have_plan = set(plans.values_list("participant_id", flat=True))
    Plan.objects.bulk_create([Plan(participant_id=pk) for pk in goals if pk not in have_plan])
    plan_ids = dict(plans.values_list("participant_id", "pk"))
    with_goals = set(Goal.objects.filter(plan__in=plans).values_list("plan__participant_id",
                                                                     flat=True))
    with_review = set(PlanReview.objects.filter(plan__in=plans)
                      .values_list("plan__participant_id", flat=True))
    new_goals = []
    for pk, participant_goals in goals.items():
        if pk not in with_goals:
            for goal in participant_goals:
                goal.plan_id = plan_ids[pk]
                new_goals.append(goal)
    Goal.objects.bulk_create(new_goals)
    for pk, review in reviews.items():
        review.plan_id = plan_ids[pk]
    PlanReview.objects.bulk_create([r for pk, r in reviews.items() if pk not in with_review])


def _goal(rng: random.Random, text: str, first_start: dt.date, *, anchor: dt.date) -> Goal:
    target = first_start + dt.timedelta(days=rng.randint(90, 540))
    status = GoalStatus.OPEN
    if target <= anchor:
        status = rng.choices([GoalStatus.ACHIEVED, GoalStatus.NOT_ACHIEVED, GoalStatus.DROPPED,
                              GoalStatus.OPEN], [50, 20, 10, 20])[0]
    return Goal(text=text, target_date=target, status=status)


def ensure_follow_up_notes() -> None:
    """A short note on about a third of the imported contacts that have none; the choice
    is seeded by the contact's import key, so a second run picks the same ones."""
    contacts = FollowUp.objects.filter(
        participant__ref__startswith=demo.REF_PREFIX, note="", import_key__isnull=False
    ).values_list("pk", "import_key", "with_employer", "with_treatment",
                  "participant__project__code")
    by_note: dict[str, list[int]] = {}
    for pk, import_key, with_employer, with_treatment, project_code in contacts:
        rng = random.Random(f"note {import_key}")
        if rng.random() >= 0.35:
            continue
        general, employer, treatment = FOLLOW_UP_NOTES[demo.country_of(project_code)]
        if with_employer:
            note = employer
        elif with_treatment:
            note = treatment
        else:
            note = rng.choice(general)
        by_note.setdefault(note, []).append(pk)
    for note, pks in by_note.items():
        FollowUp.objects.filter(pk__in=pks).update(note=note)


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


def _current_work_spells(*, anchor: dt.date):
    """Demo participants' work spells that are current on the demo's "today"."""
    return OutcomeSpell.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=anchor),
        participant__ref__startswith=demo.REF_PREFIX, kind=OutcomeKind.WORK,
        started_on__lte=anchor,
    )


def _weekday(day: dt.date) -> dt.date:
    """The Friday before a Saturday or Sunday."""
    return day - dt.timedelta(days=max(0, day.weekday() - 4))


def ensure_support_follow_ups(*, anchor: dt.date) -> None:
    """Contacts through the support phase of those in work on the demo's "today": every one
    to three weeks in the first three months, then about monthly, often with the employer;
    for about three in ten of those in work for over six weeks the contacts stopped five
    weeks or more ago, so that the caseload shows them as needing contact. Only for
    participants who have no contacts but the imported ones. The demo login's participant
    longest in work is always one of those needing contact, so that their list shows it."""
    added = set(FollowUp.objects.filter(participant__ref__startswith=demo.REF_PREFIX,
                                        import_key__isnull=True)
                .values_list("participant_id", flat=True))
    phases: dict[int, tuple] = {}
    for row in (_current_work_spells(anchor=anchor).order_by("-started_on")
                .values_list("participant_id", "participant__ref", "participant__project__code",
                             "participant__primary_case_worker_id", "started_on", "employer_id")):
        phases[row[0]] = row  # the earliest current spell: the support phase began with it
    # The demo login's caseload shows the list too: the one of theirs longest in work.
    login = get_user_model().objects.get(username=demo.CASEWORKER).pk
    longest = min((row for row in phases.values() if row[3] == login), default=None,
                  key=lambda row: (row[4], row[1]))
    new = []
    for participant_id, ref, project_code, worker_id, started, employer_id in phases.values():
        if participant_id in added or worker_id is None:
            continue
        rng = random.Random(f"support {ref}")
        country = demo.country_of(project_code)
        lapsed = (anchor - started).days > 45 and (
            rng.random() < 0.3 or (longest is not None and participant_id == longest[0]))
        last = anchor - dt.timedelta(days=rng.randint(35, 80)) if lapsed else anchor
        days, day = set(), started + dt.timedelta(days=rng.randint(2, 10))
        while day <= last:
            days.add(max(started, _weekday(day)))
            early = (day - started).days < 90
            day += dt.timedelta(days=rng.randint(7, 21) if early else rng.randint(18, 40))
        if not lapsed and not any((anchor - d).days <= 21 for d in days):
            days.add(max(started, _weekday(anchor - dt.timedelta(days=rng.randint(0, 20)))))
        for day in sorted(days):
            with_employer = employer_id is not None and rng.random() < 0.35
            note = ""
            if rng.random() < 0.6:
                note = (FOLLOW_UP_NOTES[country][1] if with_employer
                        else rng.choice(SUPPORT_NOTES[country]))
            new.append(FollowUp(
                participant_id=participant_id, occurred_on=day, case_worker_id=worker_id,
                channel="meeting" if with_employer else rng.choices(
                    demo.CHANNELS, demo.CHANNEL_WEIGHTS)[0],
                with_employer=with_employer, employer_id=employer_id if with_employer else None,
                note=note))
    FollowUp.objects.bulk_create(new)


def ensure_next_contacts(*, anchor: dt.date) -> None:
    """A next planned contact for about half of those still in a measure, on a waiting
    list or in work: most in the coming weeks, a few overdue (after their last contact,
    so that no contact has fulfilled them). Only where none is planned."""
    open_case = Q(Exists(Enrollment.objects.filter(participant=OuterRef("pk"),
                                                   ended_on__isnull=True))) | Q(
        pk__in=_current_work_spells(anchor=anchor).values("participant_id"))
    participants = (Participant.objects
                    .filter(open_case, ref__startswith=demo.REF_PREFIX,
                            next_contact_on__isnull=True)
                    .annotate(last_contact=Max("follow_ups__occurred_on"))
                    .values_list("pk", "ref", "last_contact"))
    by_day: dict[dt.date, list[int]] = {}
    for pk, ref, last_contact in participants:
        rng = random.Random(f"next contact {ref}")
        if rng.random() >= 0.5:
            continue
        day = anchor + dt.timedelta(days=rng.randint(1, 42))
        if rng.random() < 0.2:
            overdue = anchor - dt.timedelta(days=rng.randint(2, 21))
            if last_contact is None or overdue > last_contact:
                day = overdue
        if day.weekday() >= 5:
            day += dt.timedelta(days=7 - day.weekday())  # the Monday after
        by_day.setdefault(day, []).append(pk)
    for day, pks in by_day.items():
        Participant.objects.filter(pk__in=pks).update(next_contact_on=day)


def ensure_languages() -> None:
    """About two in three speak the office's language in participant mode, some with an
    immigrant background English; the rest keep the site's. Only where none is set."""
    by_language: dict[str, list[int]] = {}
    for pk, ref, project_code, immigrant in (
            Participant.objects.filter(ref__startswith=demo.REF_PREFIX, language="")
            .values_list("pk", "ref", "project__code", "immigrant_background")):
        rng = random.Random(f"language {ref}")
        if rng.random() >= 0.65:
            continue
        language = LANGUAGE_OF_COUNTRY[demo.country_of(project_code)]
        if rng.random() < (0.35 if immigrant else 0.03):
            language = "en"
        by_language.setdefault(language, []).append(pk)
    for language, pks in by_language.items():
        Participant.objects.filter(pk__in=pks).update(language=language)


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
