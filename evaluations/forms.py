from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ProblemReport, ProblemReportStatus


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
