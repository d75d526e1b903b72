"""The filters of My caseload and the team view (a GET form)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..selectors import SORT_CHOICES, CaseloadOptions, CaseloadStatus


class CaseloadFilterForm(forms.Form):
    """Parses the query string. An unknown value is dropped (its error shows next to its
    field) and the other filters still apply."""

    q = forms.CharField(
        label=_("Name or reference"), required=False, max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False,
        choices=[("", _("All")), *CaseloadStatus.choices],
    )
    project = forms.TypedChoiceField(label=_("Project"), required=False, coerce=int,
                                     empty_value=None)
    measure = forms.TypedChoiceField(label=_("Measure"), required=False, coerce=int,
                                     empty_value=None)
    provider = forms.TypedChoiceField(label=_("Provider"), required=False, coerce=int,
                                      empty_value=None)
    case_worker = forms.ChoiceField(label=_("Primary case worker"), required=False)
    # Rendered by the results region, not with the other fields: the region is swapped
    # when a column header is clicked, and its hidden input keeps the form in step.
    sort = forms.ChoiceField(required=False, choices=[(key, key) for key in SORT_CHOICES])

    def __init__(self, *args, options: CaseloadOptions, team: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        for name, choices in [("project", options.projects), ("measure", options.measures),
                              ("provider", options.providers)]:
            self.fields[name].choices = everything + [(c.value, c.label) for c in choices]
        if team:
            self.fields["case_worker"].choices = [
                *everything, ("none", _("No primary case worker")),
                *((c.value, c.label) for c in options.case_workers),
            ]
        else:
            del self.fields["case_worker"]

    def filters(self) -> dict:
        """The valid filters, as keyword arguments for ``selectors.caseload_filtered``."""
        self.is_valid()
        values = {name: value for name, value in self.cleaned_data.items()
                  if value not in (None, "")}
        values.setdefault("sort", "name")
        return values
