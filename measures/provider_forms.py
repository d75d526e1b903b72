"""Forms of the provider's pages (proposals, progress reports) and of the case worker's
answer to a proposal. They validate input only; the rules that depend on the enrollment as it
is at that moment are ``provider_services``' to decide.
"""

from __future__ import annotations

from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from participants.forms.fields import VersionField, date_input, past_date

from .forms import MeasuresForm, _end_reason_choices
from .models import (
    Enrollment,
    EnrollmentProposal,
    EnrollmentStatus,
    ProgressReport,
    ProposalKind,
)


def _proposal_label(field: str) -> str:
    return capfirst(EnrollmentProposal._meta.get_field(field).verbose_name)


def _report_label(field: str) -> str:
    return capfirst(ProgressReport._meta.get_field(field).verbose_name)


class ProposalForm(MeasuresForm, forms.Form):
    """A proposed change of one kind to one enrollment; the prefix keeps ids unique."""

    kind = ""
    comment = forms.CharField(
        label=_("Comment to the case worker"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, enrollment: Enrollment, **kwargs):
        self.enrollment = enrollment
        super().__init__(*args, prefix=f"propose-{self.kind}-{enrollment.pk}", **kwargs)

    def service_arguments(self) -> dict:
        return {"kind": self.kind, **self.cleaned_data}


class ProposeStartForm(ProposalForm):
    kind = ProposalKind.START
    title = _("Propose a start")
    started_on = forms.DateField(label=_proposal_label("started_on"), widget=date_input())

    def clean_started_on(self):
        return past_date(self.cleaned_data["started_on"])


class ProposeEndForm(ProposalForm):
    kind = ProposalKind.END
    title = _("Propose an end")
    ended_on = forms.DateField(label=_proposal_label("ended_on"), widget=date_input())
    end_reason = forms.ChoiceField(label=_proposal_label("end_reason"),
                                   choices=_end_reason_choices)

    def clean_ended_on(self):
        return past_date(self.cleaned_data["ended_on"])


class ProposeExtensionForm(ProposalForm):
    kind = ProposalKind.EXTENSION
    title = _("Propose an extension")
    planned_end_on = forms.DateField(label=_("New planned end"), widget=date_input())


class ProposeParticipationForm(ProposalForm):
    kind = ProposalKind.PARTICIPATION
    title = _("Propose a change of participation")
    participation_percent = forms.IntegerField(
        label=_proposal_label("participation_percent"), required=False, min_value=1,
        max_value=100,
    )
    days_per_week = forms.IntegerField(
        label=_proposal_label("days_per_week"), required=False, min_value=1, max_value=7
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Row(Column("participation_percent"), Column("days_per_week")), "comment"
        )

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("participation_percent") is None
                and cleaned.get("days_per_week") is None and not self.errors):
            raise forms.ValidationError(
                _("Enter the new participation percentage or days per week.")
            )
        return cleaned


class ProgressReportForm(MeasuresForm, forms.Form):
    period_start = forms.DateField(label=_report_label("period_start"), widget=date_input())
    period_end = forms.DateField(label=_report_label("period_end"), widget=date_input())
    attendance_percent = forms.IntegerField(
        label=_report_label("attendance_percent"), required=False, min_value=0, max_value=100
    )
    went_well = forms.CharField(label=_report_label("went_well"), required=False,
                                widget=forms.Textarea(attrs={"rows": 3}))
    next_steps = forms.CharField(label=_report_label("next_steps"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, enrollment: Enrollment, **kwargs):
        self.enrollment = enrollment
        # This month so far; for an enrollment that has ended, its last month.
        end = min(enrollment.ended_on or timezone.localdate(), timezone.localdate())
        kwargs.setdefault("initial", {"period_start": end.replace(day=1), "period_end": end})
        super().__init__(*args, prefix=f"report-{enrollment.pk}", **kwargs)
        self.helper.layout = Layout(
            Row(Column("period_start"), Column("period_end"), Column("attendance_percent")),
            "went_well",
            "next_steps",
        )

    def clean_period_start(self):
        return past_date(self.cleaned_data["period_start"])

    def clean_period_end(self):
        return past_date(self.cleaned_data["period_end"])

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("went_well", "").strip() or cleaned.get("next_steps", "").strip()
                or cleaned.get("attendance_percent") is not None) and not self.errors:
            raise forms.ValidationError(
                _("Write what went well, the next steps or the attendance.")
            )
        return cleaned


class ProposalDecisionForm(MeasuresForm, forms.Form):
    """The case worker's answer: accept or reject, with a reason (required to reject)."""

    reason = forms.CharField(label=_("Reason"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))
    expected_updated_at = VersionField()

    def __init__(self, *args, proposal: EnrollmentProposal, **kwargs):
        self.proposal = proposal
        kwargs.setdefault("initial", {"expected_updated_at": proposal.updated_at.isoformat()})
        super().__init__(*args, prefix=f"decide-{proposal.pk}", **kwargs)

    def clean(self):
        stale = self.errors.pop("expected_updated_at", None)
        for message in stale or []:
            self.add_error(None, message)
        return super().clean()


PROPOSAL_FORMS: dict[str, tuple[type[ProposalForm], ...]] = {
    EnrollmentStatus.WAITING: (ProposeStartForm,),
    EnrollmentStatus.ACTIVE: (ProposeEndForm, ProposeExtensionForm, ProposeParticipationForm),
}
PROPOSAL_FORM_BY_KIND = {form.kind: form for forms_ in PROPOSAL_FORMS.values()
                         for form in forms_}


class ProviderListFilterForm(MeasuresForm, forms.Form):
    """The GET filters of the provider's list; an unknown value is dropped, not an error."""

    q = forms.CharField(
        label=_("Name or reference"), required=False, max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    measure = forms.TypedChoiceField(label=capfirst(_("measure")), required=False, coerce=int,
                                     empty_value=None)
    sort = forms.ChoiceField(
        label=_("Sort by"), required=False,
        choices=[("name", _("Name")), ("referred", _("Latest referral")),
                 ("measure", capfirst(_("measure")))],
    )

    def __init__(self, *args, measures: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All")), *EnrollmentStatus.choices]
        self.fields["measure"].choices = [("", _("All measures")), *measures]
        self.helper.form_show_errors = True
        self.helper.layout = Layout(Row(Column("q"), Column("status"), Column("measure"),
                                        Column("sort")))

    def filters(self) -> dict:
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items()
                if value not in (None, "")}
