"""Forms of the participant page. They validate input only; rules that involve other rows
(the spell is still open, the goal was not changed meanwhile) are the services' to decide.

Each form has a prefix, so that several forms on one page never share an element id.
"""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from rehab.roles import Role

from ..models import (
    EARLIEST_DATE,
    LATEST_DATE,
    FollowUp,
    Goal,
    GoalStatus,
    OutcomeKind,
    OutcomeSpell,
    Participant,
    PlanReview,
)
from .employer_choice import EmployerChoice
from .fields import (
    CaseWorkerChoiceField,
    VersionField,
    coming_date,
    date_input,
    limit_free_text,
    past_date,
)


def _label(model, field: str) -> str:
    return capfirst(model._meta.get_field(field).verbose_name)


class CaseFileForm:
    """Crispy renders the fields; the template owns ``<form hx-post>``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_free_text(self.fields)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        # Crispy shows no errors of hidden fields (the version): show them above the form.
        data = super().clean()
        for name in [n for n, f in self.fields.items() if f.widget.is_hidden and n in self.errors]:
            for error in self._errors.pop(name):
                self.add_error(None, error)
        return data


class FollowUpForm(EmployerChoice, CaseFileForm, forms.ModelForm):
    prefix = "follow-up"
    next_contact_on = forms.DateField(
        label=_("Next planned contact"), required=False, widget=date_input(),
        help_text=_("Optional. Left empty, a contact on or after the planned date clears it."),
    )

    class Meta:
        model = FollowUp
        fields = ["occurred_on", "channel", "with_employer", "employer", "with_treatment",
                  "note"]
        widgets = {"occurred_on": date_input(), "note": forms.Textarea(attrs={"rows": 3})}

    def clean_occurred_on(self):
        return past_date(self.cleaned_data["occurred_on"])

    def clean_next_contact_on(self):
        return coming_date(self.cleaned_data["next_contact_on"])


class OutcomeSpellForm(EmployerChoice, CaseFileForm, forms.ModelForm):
    prefix = "outcome"

    class Meta:
        model = OutcomeSpell
        fields = ["kind", "started_on", "ended_on", "hours_per_week", "employer",
                  "organisation_name"]
        widgets = {"started_on": date_input(), "ended_on": date_input()}
        help_texts = {"hours_per_week": _("For work only."), "ended_on": _("Empty if it goes on."),
                      "employer": _("For work only."),
                      "organisation_name": _("When the employer is not in the register, or "
                                             "for a school.")}

    def clean_started_on(self):
        return past_date(self.cleaned_data["started_on"])

    def clean_ended_on(self):
        return past_date(self.cleaned_data["ended_on"])

    def clean(self):
        data = super().clean()
        started_on, ended_on = data.get("started_on"), data.get("ended_on")
        if started_on and ended_on and ended_on < started_on:
            self.add_error("ended_on", _("The end date cannot be before the start date."))
        if data.get("employer") is not None and data.get("kind") != OutcomeKind.WORK:
            self.add_error("employer", _("An employer is named for work only."))
        hours = data.get("hours_per_week")
        if hours is not None and data.get("kind") != OutcomeKind.WORK:
            self.add_error("hours_per_week", _("Hours per week are recorded for work only."))
        elif hours is not None and not 0 < hours <= 168:
            self.add_error(
                "hours_per_week", _("Hours per week must be more than 0 and at most 168.")
            )
        return data


class OutcomeSpellEndForm(CaseFileForm, forms.Form):
    ended_on = forms.DateField(label=_label(OutcomeSpell, "ended_on"), widget=date_input())
    expected_updated_at = VersionField()

    def __init__(self, *args, spell: OutcomeSpell, **kwargs):
        kwargs.setdefault(
            "initial",
            {"ended_on": timezone.localdate(), "expected_updated_at": spell.updated_at.isoformat()},
        )
        super().__init__(*args, prefix=f"spell-{spell.pk}", **kwargs)

    def clean_ended_on(self):
        return past_date(self.cleaned_data["ended_on"])


class GoalForm(CaseFileForm, forms.ModelForm):
    prefix = "goal"

    class Meta:
        model = Goal
        fields = ["text", "target_date"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2}), "target_date": date_input()}

    def clean_target_date(self):
        value = self.cleaned_data["target_date"]
        if value is not None and not EARLIEST_DATE <= value <= LATEST_DATE:
            raise forms.ValidationError(_("Dates must be between 1900 and 2100."))
        return value


class GoalReviewForm(CaseFileForm, forms.Form):
    status = forms.ChoiceField(label=_label(Goal, "status"), choices=GoalStatus.choices)
    note = forms.CharField(
        label=_label(PlanReview, "note"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    expected_updated_at = VersionField()

    def __init__(self, *args, goal: Goal, **kwargs):
        kwargs.setdefault(
            "initial", {"status": goal.status, "expected_updated_at": goal.updated_at.isoformat()}
        )
        super().__init__(*args, prefix=f"goal-{goal.pk}", **kwargs)


class PlanReviewForm(CaseFileForm, forms.ModelForm):
    prefix = "plan-review"

    class Meta:
        model = PlanReview
        fields = ["reviewed_on", "note"]
        widgets = {"reviewed_on": date_input(), "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"reviewed_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["note"].required = True

    def clean_reviewed_on(self):
        return past_date(self.cleaned_data["reviewed_on"])


class CaseWorkerChangeForm(CaseFileForm, forms.Form):
    """Offers the active case workers of the participant's office; the service accepts any
    active case worker, so an import or a later form may reach further."""

    prefix = "case-worker"
    new_case_worker = CaseWorkerChoiceField(
        label=_("New primary case worker"), queryset=get_user_model().objects.none()
    )
    changed_on = forms.DateField(label=_("Date of the change"), widget=date_input())

    def __init__(self, *args, participant: Participant, **kwargs):
        kwargs.setdefault("initial", {"changed_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["new_case_worker"].queryset = (
            get_user_model()
            .objects.filter(
                is_active=True,
                groups__name=Role.CASE_WORKER,
                staff_profile__office_id=participant.office_id,
            )
            .exclude(pk=participant.primary_case_worker_id)
            # One group by name: one row per user, so no DISTINCT (a sort of every column).
            .only("first_name", "last_name", "username")
            .order_by("first_name", "last_name", "username")
        )

    def clean_changed_on(self):
        return past_date(self.cleaned_data["changed_on"])
