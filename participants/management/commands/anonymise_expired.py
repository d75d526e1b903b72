from django.utils.translation import ngettext

from participants import retention
from rehab.commands import LocalisedCommand


class Command(LocalisedCommand):
    help = (
        "Remove the personal data of participants whose last exit is longer ago than "
        "RETENTION_YEARS_AFTER_EXIT (the statistics are kept). The nightly job does the same."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true",
                            help="only count who is due, change nothing")

    def handle(self, *args, dry_run, **options):
        if dry_run:
            count = retention.due_for_anonymisation().count()
            self.stdout.write(ngettext("%(count)d participant is due for anonymisation.",
                                       "%(count)d participants are due for anonymisation.",
                                       count) % {"count": count})
            return
        count = retention.anonymise_due_participants()
        self.stdout.write(self.style.SUCCESS(
            ngettext("%(count)d participant anonymised.", "%(count)d participants anonymised.",
                     count) % {"count": count}))
