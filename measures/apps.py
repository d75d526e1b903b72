from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    name = "measures"
    verbose_name = _("Measures")

    def ready(self):
        # Imported here: the source reads the models, which are loaded only by now.
        from participants.retention import register_anonymiser
        from participants.timeline import register_source

        from .services import enrollment_texts_anonymise
        from .timeline import enrollment_events, provider_events

        register_source(enrollment_events)
        register_source(provider_events)
        register_anonymiser(enrollment_texts_anonymise)
