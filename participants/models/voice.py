"""Questionnaires as data: the participant's own view of what changed (EXCHANGE.md responses).

An instrument's texts (its name, the labels of the scale's two ends, each item's question)
are stored once per language the instrument offers, as explicit fields: the four languages
of the interface are fixed, and an administrator edits an instrument with its items on one
admin page. English is always offered; a participant whose language an instrument does not
offer is shown its English texts (``Instrument.language_for``), never a blank question.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from rehab.roles import Role, roles_of

from .people import Language, Participant, date_in_range

FALLBACK_LANGUAGE = Language.ENGLISH
# The answer buttons of one item fit on a telephone's screen.
MAX_SCALE_STEPS = 11


def offered(value: str) -> list[str]:
    """The language codes of an instrument's ``languages`` field, in the interface's order."""
    chosen = {code.strip() for code in value.split(",") if code.strip()}
    return [code for code in Language.values if code in chosen]


class Instrument(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_nb = models.CharField(_("name (Norwegian Bokmål)"), max_length=200, blank=True)
    name_da = models.CharField(_("name (Danish)"), max_length=200, blank=True)
    name_sv = models.CharField(_("name (Swedish)"), max_length=200, blank=True)
    languages = models.CharField(
        _("languages"), max_length=20, default="nb,da,sv,en",
        help_text=_("The languages the instrument has texts in, as codes separated by commas "
                    "(nb, da, sv, en). English is required; a participant whose language is "
                    "not offered sees the English texts."),
    )
    scale_min = models.SmallIntegerField(_("lowest score"), default=1)
    scale_max = models.SmallIntegerField(_("highest score"), default=5)
    low_label_en = models.CharField(_("lowest score means (English)"), max_length=60,
                                    blank=True)
    low_label_nb = models.CharField(_("lowest score means (Norwegian Bokmål)"), max_length=60,
                                    blank=True)
    low_label_da = models.CharField(_("lowest score means (Danish)"), max_length=60,
                                    blank=True)
    low_label_sv = models.CharField(_("lowest score means (Swedish)"), max_length=60,
                                    blank=True)
    high_label_en = models.CharField(_("highest score means (English)"), max_length=60,
                                     blank=True)
    high_label_nb = models.CharField(_("highest score means (Norwegian Bokmål)"),
                                     max_length=60, blank=True)
    high_label_da = models.CharField(_("highest score means (Danish)"), max_length=60,
                                     blank=True)
    high_label_sv = models.CharField(_("highest score means (Swedish)"), max_length=60,
                                     blank=True)
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
        """The name in the interface's language (English when the instrument has none)."""
        return self.name_in(get_language() or FALLBACK_LANGUAGE) or self.name_en

    def clean(self):
        errors = {}
        codes = [code.strip() for code in self.languages.split(",") if code.strip()]
        unknown = sorted(set(codes) - set(Language.values))
        if unknown:
            errors["languages"] = _("Unknown language: %(codes)s. Use nb, da, sv or en.") % {
                "codes": ", ".join(unknown)}
        elif FALLBACK_LANGUAGE not in codes:
            errors["languages"] = _("English (en) is always offered: it is what a participant "
                                    "sees when their language is not.")
        else:
            self.languages = ",".join(offered(self.languages))
            for code in self.offered_languages():
                for prefix in ("name", "low_label", "high_label"):
                    if not getattr(self, f"{prefix}_{code}").strip():
                        errors[f"{prefix}_{code}"] = _(
                            "Required: the instrument is offered in this language.")
        if self.scale_min is not None and self.scale_max is not None:
            if self.scale_min < 0 or self.scale_max <= self.scale_min:
                errors["scale_max"] = _("The highest score must be above the lowest, and the "
                                        "lowest 0 or more.")
            elif self.scale_max - self.scale_min + 1 > MAX_SCALE_STEPS:
                errors["scale_max"] = _("A scale has at most %(n)d steps.") % {
                    "n": MAX_SCALE_STEPS}
            elif self.pk and Answer.objects.filter(item__instrument=self).exclude(
                    score__gte=self.scale_min, score__lte=self.scale_max).exists():
                errors["scale_max"] = _("Answers already given lie outside this scale; it "
                                        "cannot be narrowed.")
        if errors:
            raise ValidationError(errors)

    def offered_languages(self) -> list[str]:
        return offered(self.languages)

    def language_for(self, language: str) -> str:
        """The language a participant speaking ``language`` is shown: theirs if offered,
        English otherwise."""
        return language if language in self.offered_languages() else FALLBACK_LANGUAGE

    def name_in(self, language: str) -> str:
        return getattr(self, f"name_{self.language_for(language)}")

    def low_label_in(self, language: str) -> str:
        return getattr(self, f"low_label_{self.language_for(language)}")

    def high_label_in(self, language: str) -> str:
        return getattr(self, f"high_label_{self.language_for(language)}")

    def scores(self) -> range:
        return range(self.scale_min, self.scale_max + 1)


class InstrumentItem(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="items",
                                   verbose_name=_("questionnaire"))
    code = models.SlugField(_("code"), max_length=40)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text_en = models.CharField(_("question (English)"), max_length=300)
    text_nb = models.CharField(_("question (Norwegian Bokmål)"), max_length=300, blank=True)
    text_da = models.CharField(_("question (Danish)"), max_length=300, blank=True)
    text_sv = models.CharField(_("question (Swedish)"), max_length=300, blank=True)

    class Meta:
        ordering = ["instrument", "position"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["instrument", "code"], name="unique_instrument_item"),
        ]

    def __str__(self):
        return f"{self.instrument.code}.{self.code}"

    def clean(self):
        instrument = getattr(self, "instrument", None)
        if instrument is None:
            return
        errors = {
            f"text_{code}": _("Required: the instrument is offered in this language.")
            for code in instrument.offered_languages()
            if not getattr(self, f"text_{code}").strip()
        }
        if errors:
            raise ValidationError(errors)

    def text_in(self, language: str) -> str:
        return getattr(self, f"text_{self.instrument.language_for(language)}")


class AnswerQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Answers are part of the case file; provider staff see them only where the case
        worker has shared them (``Participant.voice_shared_with_provider``), while the
        participant is in their care (``Participant.objects.in_provider_care_of``)."""
        condition = Q(participant__in=Participant.objects.case_file_visible_to(user))
        if Role.PROVIDER_STAFF in roles_of(user):
            condition |= Q(participant__in=Participant.objects.in_provider_care_of(user)
                           .filter(voice_shared_with_provider=True))
        return self.filter(condition)


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

    objects = AnswerQuerySet.as_manager()

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

