from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from participants.models import AccessKind


class AccessLogFilterForm(forms.Form):
    participant = forms.CharField(label=_("Participant reference"), required=False,
                                  max_length=60)
    username = forms.CharField(label=_("User name"), required=False, max_length=150)
    what = forms.ChoiceField(label=_("What"), required=False,
                             choices=[("", _("Everything")), *AccessKind.choices])
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(
        attrs={"type": "date"}, format="%Y-%m-%d"))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(
        attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
