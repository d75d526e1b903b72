"""Fill the database with the fictional demo of evaluations/demo.py and one login per role.

Running it again changes nothing: the bundle import is idempotent, and everything else
(accounts, plans, notes) is created only where it is missing. The demo logins have
published passwords, so the command refuses a database that holds anyone but the demo's
invented participants unless told otherwise.
"""

import datetime as dt
import random
import tempfile

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Min
from django.utils.translation import gettext as _

from evaluations import demo
from evaluations.exchange.importer import BundleInvalid, import_bundle
from evaluations.models import Project
from measures.models import Enrollment, Measure
from participants.models import (
    Answer,
    FollowUp,
    Goal,
    GoalStatus,
    Office,
    OutcomeSpell,
    Participant,
    Plan,
    PlanReview,
    StaffProfile,
)
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


class Command(BaseCommand):
    help = "Fill the database with a fictional demo and one login per role (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true",
            help="run even though the database holds participants who are not part of the "
                 "demo (the demo logins have published passwords)",
        )

    def handle(self, *args, force, **options):
        if not force and Participant.objects.exclude(ref__startswith=demo.REF_PREFIX).exists():
            raise CommandError(_(
                "The database holds participants who are not part of the demo. The demo "
                "adds logins with published passwords: run it on a demo or test system only, "
                "or pass --force."))
        with transaction.atomic():
            offices = ensure_offices()
            for username, password, role, first_name, last_name in DEMO_LOGINS:
                ensure_login(username=username, password=password, role=role,
                             first_name=first_name, last_name=last_name)
            with tempfile.TemporaryDirectory() as folder:
                demo.write_demo_bundle(folder)
                try:
                    import_bundle(folder)
                except BundleInvalid as exc:  # a bug in the generator, never the user's doing
                    raise CommandError("\n".join(str(p) for p in exc.problems[:20])) from None
            ensure_case_workers(offices)
            ProviderMembership.objects.get_or_create(
                user=get_user_model().objects.get(username="provider"),
                provider=Provider.objects.get(code=DEMO_PROVIDER))
            ensure_project_lead(get_user_model().objects.get(username="lead"))
            ensure_plans()
            ensure_follow_up_notes()
        self.report()

    def report(self) -> None:
        demo_participants = Participant.objects.filter(ref__startswith=demo.REF_PREFIX)
        plans = Plan.objects.filter(participant__in=demo_participants)
        rows = [
            (_("Projects"), Project.objects.filter(code__in=[p[0] for p in demo.PROJECTS])),
            (_("Providers"), Provider.objects.filter(code__in=[p[0] for p in demo.PROVIDERS])),
            (_("Measures"), Measure.objects.filter(code__in=[m[0] for m in demo.MEASURES])),
            (_("Participants"), demo_participants),
            (_("Enrollments"), Enrollment.objects.filter(participant__in=demo_participants)),
            (_("Follow-up contacts"), FollowUp.objects.filter(participant__in=demo_participants)),
            (_("Outcome spells"), OutcomeSpell.objects.filter(participant__in=demo_participants)),
            (_("Questionnaire answers"), Answer.objects.filter(participant__in=demo_participants)),
            (_("Individual plans"), plans),
            (_("Goals"), Goal.objects.filter(plan__in=plans)),
            (_("Plan reviews"), PlanReview.objects.filter(plan__in=plans)),
        ]
        self.stdout.write(self.style.SUCCESS(_("The demo is in place:")))
        counts = [(f"{label}:", str(queryset.count())) for label, queryset in rows]
        width = max(len(label) + len(count) for label, count in counts) + 2
        for label, count in counts:
            self.stdout.write(f"  {label}{count:>{width - len(label)}}")
        self.stdout.write("")
        self.stdout.write(_("Demo logins (published passwords: use them on demo systems only):"))
        table = [(_("Role"), _("Username"), _("Password"))] + [
            (str(Role(role).label), username, password)
            for username, password, role, _first, _last in DEMO_LOGINS]
        role_width = max(len(row[0]) for row in table) + 2
        name_width = max(len(row[1]) for row in table) + 2
        for role, username, password in table:
            self.stdout.write(f"  {role:<{role_width}}{username:<{name_width}}{password}")


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


def ensure_plans() -> None:
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
        goals[pk] = [_goal(rng, text, first_start)
                     for text in rng.sample(GOALS[country], rng.randint(1, 3))]
        reviewed_on = first_start + dt.timedelta(days=rng.randint(60, 300))
        if rng.random() < 0.6 and reviewed_on <= demo.ANCHOR and case_worker_id:
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


def _goal(rng: random.Random, text: str, first_start: dt.date) -> Goal:
    target = first_start + dt.timedelta(days=rng.randint(90, 540))
    status = GoalStatus.OPEN
    if target <= demo.ANCHOR:
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
