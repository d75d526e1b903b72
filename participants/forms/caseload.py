"""The filters of My caseload and the team view (a GET form), and the small forms beside
them: saving a filter, the "no contact" setting, the next planned contact."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..caseload_focus import CaseloadFocus
from ..models.caseload import NO_CONTACT_DAYS_DEFAULT, NO_CONTACT_DAYS_MAX, NO_CONTACT_DAYS_MIN
from ..selectors import SORT_CHOICES, CaseloadOptions, CaseloadStatus
from .fields import coming_date, date_input


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
    focus = forms.ChoiceField(label=_("List"), required=False)
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

    def __init__(self, *args, options: CaseloadOptions, team: bool = False,
                 no_contact_days: int = NO_CONTACT_DAYS_DEFAULT, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        for name, choices in [("project", options.projects), ("measure", options.measures),
                              ("provider", options.providers)]:
            self.fields[name].choices = everything + [(c.value, c.label) for c in choices]
        self.fields["focus"].choices = [
            (value, no_contact_label(no_contact_days) if value == CaseloadFocus.NO_CONTACT
             else label)
            for value, label in [("", _("All participants")), *CaseloadFocus.choices]
        ]
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


def no_contact_label(days: int) -> str:
    return ngettext("No contact in %(days)s day", "No contact in %(days)s days",
                    days) % {"days": days}


class _InlineForm(forms.Form):
    """Crispy renders the fields; the template owns ``<form hx-post>``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class SavedFilterForm(_InlineForm):
    prefix = "saved-filter"
    name = forms.CharField(label=_("Save these filters as"), max_length=100)


class CaseloadPreferenceForm(_InlineForm):
    prefix = "preference"
    no_contact_days = forms.IntegerField(
        label=_("No contact in how many days?"), min_value=NO_CONTACT_DAYS_MIN,
        max_value=NO_CONTACT_DAYS_MAX,
        help_text=_("From 1 to 365 days; the list and its count use it."),
    )


class NextContactForm(_InlineForm):
    prefix = "next-contact"
    next_contact_on = forms.DateField(
        label=_("Next planned contact"), required=False, widget=date_input(),
        help_text=_("Empty: no contact planned."),
    )

    def clean_next_contact_on(self):
        return coming_date(self.cleaned_data["next_contact_on"])
