"""Forms of the measures pages. They validate input only; the rules that involve the
enrollment's other dates or other enrollments are the services' to decide.

Each enrollment's action forms carry its pk in their prefix, so that a list of them on one
page never shares an element id.
"""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Layout, Row
from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from participants.forms.fields import VersionField, date_input, limit_free_text, past_date

from .models import (
    COMPLETED_END_REASONS,
    EARLY_END_REASONS,
    EndReason,
    Enrollment,
    Measure,
)


def _label(field: str) -> str:
    return capfirst(Enrollment._meta.get_field(field).verbose_name)


# Below the measure select: filled by measures:measure_wait_info when the choice changes.
WAIT_INFO_SLOT = (
    '<div id="refer-wait-info" class="form-text mb-3" aria-live="polite">'
    '{% if refer_wait %}{% include "measures/partials/_measure_wait_info.html" '
    'with stats=refer_wait %}{% endif %}</div>'
)


class MeasureChoiceField(forms.TypedChoiceField):
    """Active measures grouped by provider; cleans to the ``Measure``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, coerce=int, empty_value=None, **kwargs)
        self.measures: dict[int, Measure] = {}

    def set_measures(self, measures) -> None:
        self.measures = {measure.pk: measure for measure in measures}
        groups: dict[str, list[tuple[int, str]]] = {}
        for measure in self.measures.values():
            groups.setdefault(measure.provider.name, []).append((measure.pk, measure.name))
        self.choices = [("", _("Choose a measure…")), *groups.items()]

    def validate(self, value):
        try:
            super().validate(value)
        except forms.ValidationError as exc:
            # Offered when the form was opened, closed since: say so, as the service would.
            if exc.code == "invalid_choice" and str(value).isascii() and str(value).isdigit() \
                    and Measure.objects.filter(pk=int(value), active=False).exists():
                raise forms.ValidationError(_("This measure no longer takes referrals."),
                                            code="inactive") from None
            raise

    def clean(self, value):
        pk = super().clean(value)
        return None if pk is None else self.measures[pk]


class MeasuresForm:
    """Crispy renders the fields; the template owns ``<form hx-post>``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_free_text(self.fields)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's form has it (and GET forms none)


class EnrollmentReferForm(MeasuresForm, forms.Form):
    """A referral. Its element ids start with ``refer-`` while the field names stay plain,
    so the measure select can ask ``measures:measure_wait_info?measure=<pk>`` itself."""

    measure = MeasureChoiceField(label=capfirst(_("measure")))
    referred_on = forms.DateField(label=_label("referred_on"), widget=date_input())
    participation_percent = forms.IntegerField(
        label=_label("participation_percent"), required=False, min_value=1, max_value=100
    )
    days_per_week = forms.IntegerField(
        label=_label("days_per_week"), required=False, min_value=1, max_value=7
    )

    def __init__(self, *args, wait_info_url: str = "", **kwargs):
        kwargs.setdefault("initial", {"referred_on": timezone.localdate()})
        kwargs.setdefault("auto_id", "refer-%s")
        super().__init__(*args, **kwargs)
        field = self.fields["measure"]
        field.set_measures(Measure.objects.active().select_related("provider")
                           .order_by("provider__name", "name"))
        if wait_info_url:
            field.widget.attrs.update({
                "hx-get": wait_info_url, "hx-trigger": "change",
                "hx-target": "#refer-wait-info", "hx-swap": "innerHTML",
                "aria-describedby": "refer-wait-info",
            })
        self.helper.layout = Layout(
            "measure",
            HTML(WAIT_INFO_SLOT),
            Row(Column("referred_on"), Column("participation_percent"), Column("days_per_week")),
        )

    def clean_referred_on(self):
        return past_date(self.cleaned_data["referred_on"])


class EnrollmentActionForm(MeasuresForm, forms.Form):
    """An action on one enrollment; knows which enrollment and the version the user saw."""

    action = ""
    expected_updated_at = VersionField()

    def __init__(self, *args, enrollment: Enrollment, **kwargs):
        self.enrollment = enrollment
        initial = {"expected_updated_at": enrollment.updated_at.isoformat(),
                   **self.initial_for(enrollment)}
        kwargs.setdefault("initial", initial)
        super().__init__(*args, prefix=f"{self.action}-{enrollment.pk}", **kwargs)

    def initial_for(self, enrollment: Enrollment) -> dict:
        return {}

    def clean(self):
        # A hidden field's error would not be shown next to anything: show it on the form.
        stale = self.errors.pop("expected_updated_at", None)
        for message in stale or []:
            self.add_error(None, message)
        return super().clean()


class EnrollmentStartForm(EnrollmentActionForm):
    action = "start"
    started_on = forms.DateField(label=_label("started_on"), widget=date_input())

    def initial_for(self, enrollment):
        return {"started_on": timezone.localdate()}

    def clean_started_on(self):
        return past_date(self.cleaned_data["started_on"])


def _end_reason_choices() -> list:
    """The end reasons of an enrollment that started, grouped as the indicators count them."""
    completed = [(reason.value, reason.label) for reason in EndReason
                 if reason in COMPLETED_END_REASONS]
    early = [(reason.value, reason.label) for reason in EndReason if reason in EARLY_END_REASONS]
    return [("", _("Choose a reason…")), (_("Completed"), completed), (_("Ended early"), early)]


class EnrollmentEndForm(EnrollmentActionForm):
    action = "end"
    ended_on = forms.DateField(label=_label("ended_on"), widget=date_input())
    end_reason = forms.ChoiceField(label=_label("end_reason"), choices=_end_reason_choices)

    def initial_for(self, enrollment):
        return {"ended_on": timezone.localdate()}

    def clean_ended_on(self):
        return past_date(self.cleaned_data["ended_on"])


class EnrollmentWithdrawForm(EnrollmentActionForm):
    action = "withdraw"
    withdrawn_on = forms.DateField(label=_("Withdrawn on"), widget=date_input())

    def initial_for(self, enrollment):
        return {"withdrawn_on": timezone.localdate()}

    def clean_withdrawn_on(self):
        return past_date(self.cleaned_data["withdrawn_on"])


class WaitingListFilterForm(MeasuresForm, forms.Form):
    """The GET filter of the waiting lists: one measure, or one provider's measures."""

    measure = forms.TypedChoiceField(label=capfirst(_("measure")), required=False, coerce=int,
                                     empty_value=None)
    provider = forms.TypedChoiceField(label=capfirst(_("provider")), required=False, coerce=int,
                                      empty_value=None)

    def __init__(self, *args, measures: list[Measure], **kwargs):
        super().__init__(*args, **kwargs)
        providers = {measure.provider_id: measure.provider for measure in measures}
        self.fields["measure"].choices = [
            ("", _("All measures")),
            *((measure.pk, f"{measure.name} ({measure.provider.name})") for measure in measures),
        ]
        self.fields["provider"].choices = [
            ("", _("All providers")),
            *((pk, provider.name)
              for pk, provider in sorted(providers.items(), key=lambda item: item[1].name)),
        ]
        self.helper.form_show_errors = True
        self.helper.layout = Layout(Row(Column("measure"), Column("provider")))
