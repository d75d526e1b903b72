"""``manage.py seed_demo``: the fictional demo and one login per role
(evaluations/demo_seed/). Running it again changes nothing."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from evaluations import demo, demo_seed
from evaluations.exchange.importer import BundleInvalid
from evaluations.models import Project
from measures.models import Enrollment, Measure
from participants.models import (
    Answer,
    FollowUp,
    Goal,
    OutcomeSpell,
    Participant,
    Plan,
    PlanReview,
)
from providers.models import Provider
from rehab.commands import LocalisedCommand
from rehab.roles import Role


class Command(LocalisedCommand):
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
        try:
            demo_seed.seed()
        except BundleInvalid as exc:  # a bug in the generator, never the user's doing
            raise CommandError("\n".join(str(p) for p in exc.problems[:20])) from None
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
            for username, password, role, _first, _last in demo_seed.DEMO_LOGINS]
        role_width = max(len(row[0]) for row in table) + 2
        name_width = max(len(row[1]) for row in table) + 2
        for role, username, password in table:
            self.stdout.write(f"  {role:<{role_width}}{username:<{name_width}}{password}")
