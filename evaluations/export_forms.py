"""The choices of the reports and extracts page. Rules that need the user's rights are the
services' (evaluations/exports.py); these forms only offer what the user may choose."""

from __future__ import annotations

import datetime as dt

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .forms import PeriodForm
from .models import ExportFormat, Project

REPORT_FORMAT_CHOICES = [
    (ExportFormat.XLSX.value, ExportFormat.XLSX.label),
    (ExportFormat.PDF.value, ExportFormat.PDF.label),
    (ExportFormat.CSV.value, ExportFormat.CSV.label),
]


def _project_choices(tree, *, allowed: set[int] | None, with_all: bool):
    choices = [("", _("All projects"))] if with_all else []
    for project, depth in tree:
        if allowed is None or project.pk in allowed:
            choices.append((project.code, "\u2003" * depth + f"{project.code} – {project.name}"))
    return choices


def last_full_year(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    year = (today or timezone.localdate()).year - 1
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


class _ProjectChoiceForm(forms.Form):
    project = forms.ChoiceField(label=_("Project"), required=False,
                                help_text=_("Sub-projects are included."))

    def __init__(self, *args, tree, allowed: set[int] | None, with_all: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self._projects = {project.code: project for project, _depth in tree}
        self.fields["project"].choices = _project_choices(tree, allowed=allowed,
                                                          with_all=with_all)
        self.fields["project"].required = not with_all
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_project(self) -> Project | None:
        code = self.cleaned_data.get("project") or ""
        return self._projects.get(code)


class ReportRequestForm(_ProjectChoiceForm, PeriodForm):
    field_order = ["project", "date_from", "date_to", "file_format", "raw"]

    file_format = forms.ChoiceField(label=_("Format"), choices=REPORT_FORMAT_CHOICES,
                                    initial=ExportFormat.XLSX.value)
    raw = forms.BooleanField(
        label=_("Raw values, without small-number suppression"), required=False,
        help_text=_("Only for administrators. The request is recorded with your name."),
    )

    def __init__(self, *args, may_ask_raw: bool, initial_project: str = "", **kwargs):
        start, end = last_full_year()
        kwargs.setdefault("initial", {"date_from": start, "date_to": end,
                                      "project": initial_project})
        super().__init__(*args, allowed=None, with_all=True, **kwargs)
        if not may_ask_raw:
            del self.fields["raw"]


class ExtractRequestForm(_ProjectChoiceForm):
    identifiable = forms.BooleanField(
        label=_("With names, identity numbers and references (not pseudonymised)"),
        required=False,
        help_text=_("Only for administrators. The request is recorded with your name."),
    )

    def __init__(self, *args, allowed: set[int] | None, **kwargs):
        super().__init__(*args, allowed=allowed, with_all=allowed is None, **kwargs)
        if allowed is not None:
            del self.fields["identifiable"]
