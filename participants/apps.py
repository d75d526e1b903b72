from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = _("Participants")

    def ready(self):
        # Imported here: the source reads the models, which are loaded only by now; the
        # checks register themselves.
        from . import checks, timeline, timeline_sources  # noqa: F401

        timeline.register_source(timeline_sources.case_file_events)

        from django.contrib.auth.signals import user_logged_in

        from rehab.sessions import start_idle_clock

        user_logged_in.connect(start_idle_clock, dispatch_uid="rehab.start_idle_clock")

        from .participant_mode import end_on_sign_in

        user_logged_in.connect(end_on_sign_in, dispatch_uid="participants.participant_mode")
