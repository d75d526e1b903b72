from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("Evaluations")

    def ready(self):
        # Changes to case data mark indicator snapshots stale; participants and measures
        # do not import evaluations, so the receivers are connected from here.
        from .snapshots.staleness import connect_signals

        connect_signals()
