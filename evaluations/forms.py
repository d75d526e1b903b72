from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from participants.forms.fields import limit_free_text
from participants.models import LATEST_DATE

from .models import ProblemReport, ProblemReportStatus
from .selectors import project_in_tree


class ProblemReportForm(forms.ModelForm):
    class Meta:
        model = ProblemReport
        fields = ["summary", "suggestion"]
        labels = {
            "summary": _("What happened, or what is the problem?"),
            "suggestion": _("What would make it better?"),
        }
        help_texts = {
            "summary": _(
                "Describe the situation in the system. Leave out names and other details "
                "that identify a participant."
            ),
            "suggestion": _("Optional: an idea for a change or an improvement."),
        }
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4, "maxlength": 500}),
            "suggestion": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_free_text(self.fields)
        self.helper = FormHelper()
        self.helper.form_tag = False


class ProblemReportAnswerForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ProblemReportStatus.choices)
    answer = forms.CharField(
        label=_("Answer to the reporter"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The person who reported this sees the status and this answer."),
    )
    # The report's updated_at when the page was loaded, as ISO 8601 with microseconds and
    # offset, so that it survives the round trip through the page exactly.
    expected_updated_at = forms.DateTimeField(widget=forms.HiddenInput)

    def __init__(self, *args, report: ProblemReport, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "status": report.status,
                "answer": report.answer,
                "expected_updated_at": report.updated_at.isoformat(),
            },
        )
        super().__init__(*args, **kwargs)
        limit_free_text(self.fields)
        self.helper = FormHelper()
        self.helper.form_tag = False


class ProblemReportFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All statuses")), *ProblemReportStatus.choices],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class DashboardForm(forms.Form):
    """The dashboard's GET choices: project (all projects when empty), period, breakdown and
    trend. An unknown value falls back to the default rather than failing the page."""

    project = forms.ChoiceField(label=_("Project"), required=False)
    period = forms.ChoiceField(label=_("Period"), required=False)
    by = forms.ChoiceField(label=_("Breakdown"), required=False)
    trend = forms.ChoiceField(label=_("Trend"), required=False)

    def __init__(self, *args, projects, periods, dimensions, trends, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = [("", _("All projects"))] + [
            (project.code, "\u2003" * depth + f"{project.code} – {project.name}")
            for project, depth in projects
        ]
        self.fields["period"].choices = [(period.key, period.label) for period in periods]
        self.fields["by"].choices = [("", _("No breakdown"))] + list(dimensions)
        self.fields["trend"].choices = list(trends)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.form_show_errors = False

    def value(self, name: str) -> str:
        """The chosen value, or empty when it is not one of the choices."""
        self.is_valid()
        return self.cleaned_data.get(name, "") if hasattr(self, "cleaned_data") else ""


class PeriodForm(forms.Form):
    """A period from its first to its last day, both included."""

    date_from = forms.DateField(label=_("From"), widget=forms.DateInput(
        attrs={"type": "date"}, format="%Y-%m-%d"))
    date_to = forms.DateField(label=_("To"), widget=forms.DateInput(
        attrs={"type": "date"}, format="%Y-%m-%d"))

    def clean(self):
        """A period still to come is refused, and one that has not ended yet ends today,
        as the standard periods do: figures as of a day in the future would count planned
        starts and ends as facts."""
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        today = timezone.localdate()
        if start and start > today:
            self.add_error("date_from", _("The period has not begun yet: it must start "
                                          "today (%(today)s) or earlier.")
                           % {"today": date_format(today, "SHORT_DATE_FORMAT")})
        elif start and end and start > end:
            self.add_error("date_to", _("The end of the period cannot be before its start."))
        elif end and today < end <= LATEST_DATE:  # beyond it: refused as a typing slip
            cleaned["date_to"] = today
        return cleaned


class CustomPeriodForm(PeriodForm):
    """A period of one's own for the dashboard: computed in the background."""

    project = forms.CharField(required=False, widget=forms.HiddenInput)
    by = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, projects, **kwargs):
        """``projects``: the (project, depth) tree the user may see."""
        super().__init__(*args, **kwargs)
        self.projects = projects
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean(self):
        """The chosen project, or None for all projects. A code that is no longer among
        the user's projects is refused (above the form: the field is hidden), not taken
        for all projects."""
        cleaned = super().clean()
        code = cleaned.get("project", "")
        cleaned["project"] = project_in_tree(code, self.projects)
        if code and cleaned["project"] is None:
            self.add_error(None, forms.ValidationError(
                _("That project no longer exists, or its figures are no longer yours to "
                  "see. Choose a project above and try again."), code="unknown_project"))
        return cleaned
