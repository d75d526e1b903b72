from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _


class ImportUploadForm(forms.Form):
    bundle = forms.FileField(
        label=_("Bundle (.zip)"),
        help_text=_("A .zip of the CSV files of the exchange format. It is checked first; "
                    "nothing is imported until you confirm."),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
