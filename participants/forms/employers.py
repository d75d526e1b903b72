"""Forms of the employer pages. They validate input only (the organisation number by the
country's rules); whether the number is already registered is the service's to decide."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..models import Employer, JobDevelopmentContact
from ..organisation_numbers import normalize_organisation_number
from .case_file import CaseFileForm
from .fields import VersionField, date_input, past_date


class EmployerSearchForm(forms.Form):
    q = forms.CharField(label=_("Name or organisation number"), required=False,
                        max_length=200)


class EmployerForm(CaseFileForm, forms.ModelForm):
    """Registers an employer, or changes one when given ``instance`` (with its version)."""

    prefix = "employer"

    class Meta:
        model = Employer
        fields = ["name", "country", "organisation_number", "municipality", "contact_name",
                  "contact_phone", "contact_email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation_number"].help_text = _(
            "Norway 9 digits, Denmark (CVR) 8 digits, Sweden 10 digits.")
        if self.instance.pk:
            self.fields["expected_updated_at"] = VersionField(
                initial=self.instance.updated_at.isoformat())

    def clean(self):
        data = super().clean()
        number, country = data.get("organisation_number"), data.get("country")
        if number and country:
            try:
                data["organisation_number"] = normalize_organisation_number(number, country)
            except ValidationError as exc:
                self.add_error("organisation_number", exc)
        return data

    def _post_clean(self):
        # The service writes the row (and checks the number is not registered already):
        # the model form's own instance validation would query for the same thing.
        pass

    def service_arguments(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class JobDevelopmentContactForm(CaseFileForm, forms.ModelForm):
    prefix = "job-development"

    class Meta:
        model = JobDevelopmentContact
        fields = ["occurred_on", "channel", "note"]
        widgets = {"occurred_on": date_input(), "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_updated_at"] = VersionField(
                initial=self.instance.updated_at.isoformat())

    def clean_occurred_on(self):
        return past_date(self.cleaned_data["occurred_on"])

    def _post_clean(self):
        pass
