"""Questionnaires as data: the participant's own view of what changed (EXCHANGE.md responses)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .casework import CaseFileQuerySet
from .people import Participant, date_in_range


class Instrument(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    scale_min = models.SmallIntegerField(_("lowest score"), default=1)
    scale_max = models.SmallIntegerField(_("highest score"), default=5)
    built_in = models.BooleanField(_("built in"), default=False, editable=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        constraints = [
            models.CheckConstraint(condition=Q(scale_max__gt=models.F("scale_min")),
                                   name="instrument_scale_valid"),
        ]

    def __str__(self):
        return self.name


class InstrumentItem(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="items",
                                   verbose_name=_("questionnaire"))
    code = models.SlugField(_("code"), max_length=40)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.CharField(_("question"), max_length=300)

    class Meta:
        ordering = ["instrument", "position"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["instrument", "code"], name="unique_instrument_item"),
        ]

    def __str__(self):
        return f"{self.instrument.code}.{self.code}"


class Answer(models.Model):
    """One answered item; all of a participant's answers on one date form a response."""

    # db_index off: unique_answer_per_item_and_day leads with it
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="answers",
                                    verbose_name=_("participant"), db_index=False)
    item = models.ForeignKey(InstrumentItem, on_delete=models.PROTECT, related_name="answers",
                             verbose_name=_("question"))
    answered_on = models.DateField(_("answered on"))
    score = models.SmallIntegerField(_("score"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CaseFileQuerySet.as_manager()

    class Meta:
        ordering = ["participant", "answered_on", "item"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["participant", "item", "answered_on"],
                                    name="unique_answer_per_item_and_day"),
            models.CheckConstraint(condition=date_in_range("answered_on"),
                                   name="answer_date_in_range"),
        ]

    def __str__(self):
        return f"{self.participant_id} {self.item_id} {self.answered_on}={self.score}"
