"""Compute and store indicator snapshots now, in this process (no worker or broker needed).

    python manage.py refresh_snapshots            # the stale scopes (the default)
    python manage.py refresh_snapshots --all      # every project and all projects
    python manage.py refresh_snapshots --project VVV
    python manage.py refresh_snapshots --watch 60 # keep looking for stale scopes
    python manage.py refresh_snapshots --all --full  # every period again (after an upgrade)

Only the periods that are new or that a change to the case data reached are computed
(see snapshots/service.py); ``--full`` computes every period, as after an upgrade that
changed how an indicator is computed.

``--watch`` stands in for Celery beat where there is none (the embedded default: `make
run` starts it beside the web server), so a change to case data shows within minutes.

Runs the same service as the Celery tasks, one scope after the other; a failed scope is
recorded as a failed run, the others still run, and the command exits with status 1.
"""

import time

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from evaluations.models import Project, SnapshotTrigger
from evaluations.snapshots import service
from rehab.commands import LocalisedCommand

# What became of a scope (service.RefreshOutcome.status), as the operator reads it.
OUTCOME_TEXTS = {
    "succeeded": gettext_lazy("succeeded"),
    "skipped": gettext_lazy("skipped: another run is computing it"),
    "gone": gettext_lazy("skipped: the project no longer exists"),
}


class Command(LocalisedCommand):
    help = "Compute and store indicator snapshots now (the stale scopes unless told otherwise)."

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--all", action="store_true",
                           help="every project and all projects, as the nightly job does")
        which.add_argument("--stale", action="store_true",
                           help="only the scopes whose case data changed (the default)")
        which.add_argument("--project", metavar="CODE", help="one project (with its sub-projects)")
        parser.add_argument(
            "--full", action="store_true",
            help="compute every period again, not only those a change reached (after an "
                 "upgrade that changed an indicator)")
        parser.add_argument(
            "--watch", type=int, metavar="SECONDS",
            help="keep running and refresh the stale scopes every SECONDS (where no Celery "
                 "beat runs); stop with Ctrl-C")

    def handle(self, *args, **options):
        if options["watch"] is not None:
            if options["all"] or options["project"] or options["watch"] < 1:
                raise CommandError(_("--watch takes a number of seconds and works on the "
                                     "stale scopes only."))
            self.watch(options["watch"])
            return
        if options["all"]:
            project_ids = service.all_scope_project_ids()
        elif options["project"]:
            project = Project.objects.filter(code=options["project"]).first()
            if project is None:
                raise CommandError(_("No project with code %(code)s.")
                                   % {"code": options["project"]})
            project_ids = [project.pk]
        else:
            project_ids = service.stale_scope_project_ids()
        if not project_ids:
            self.stdout.write(_("Nothing is stale; no snapshots to compute."))
            return
        failed = self.refresh(project_ids, full=options["full"])
        if failed:
            raise CommandError(
                ngettext("%(count)d scope failed; see the snapshot runs in the admin.",
                         "%(count)d scopes failed; see the snapshot runs in the admin.",
                         failed) % {"count": failed}
            )

    def watch(self, seconds: int) -> None:
        """Refresh whatever is stale, wait, and again, until interrupted. A failure is
        recorded as a failed run and tried again on the next round."""
        try:
            while True:
                self.refresh(service.stale_scope_project_ids())
                time.sleep(seconds)
        except KeyboardInterrupt:
            return

    def refresh(self, project_ids, full: bool = False) -> int:
        """Refresh these scopes one after the other; the number that failed."""
        failed = 0
        for project_id in project_ids:
            try:
                outcome = service.refresh_scope(project_id, trigger=SnapshotTrigger.COMMAND,
                                                full=full)
            except Exception as exc:  # recorded as a failed run; go on with the others
                failed += 1
                scope = _("all projects") if project_id is None else f"#{project_id}"
                self.stderr.write(_("Refreshing %(scope)s failed: %(error)s")
                                  % {"scope": scope, "error": exc})
                continue
            if project_id is None:
                scope = _("all projects")
            else:
                scope = f"#{project_id}" if outcome.status == "gone" else outcome.scope
            self.stdout.write(ngettext("%(scope)s: %(status)s, %(count)d snapshot",
                                       "%(scope)s: %(status)s, %(count)d snapshots",
                                       outcome.snapshots)
                              % {"scope": scope,
                                 "status": OUTCOME_TEXTS.get(outcome.status, outcome.status),
                                 "count": outcome.snapshots})
        return failed
