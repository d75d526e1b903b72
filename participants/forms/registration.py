"""The registration form. It validates input only; the identity number, the birth year it
gives and duplicates are checked by ``services.registration.participant_register``."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import TextChoices
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from rehab.roles import Role, roles_of

from ..models import Country, Gender, Language, Office, Participant, StaffProfile
from .fields import CaseWorkerChoiceField


class Consent(TextChoices):
    YES = "yes", _("Yes, consented")
    NO = "no", _("No, declined")
    NOT_ASKED = "not_asked", _("Not asked (another legal basis applies)")


_CONSENT_VALUES = {Consent.YES: True, Consent.NO: False, Consent.NOT_ASKED: None}


class RegistrationForm(forms.Form):
    given_name = forms.CharField(label=_("Given name"), max_length=100)
    family_name = forms.CharField(label=_("Family name"), max_length=100)
    national_id = forms.CharField(
        label=_("National identity number"), max_length=20, required=False,
        help_text=_("Optional. As written in its country: 11 digits in Norway, 10 in Denmark, "
                    "10 or 12 in Sweden."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    national_id_country = forms.ChoiceField(
        label=_("Country of the identity number"), required=False,
        choices=[("", "—"), *Country.choices],
    )
    birth_year = forms.IntegerField(
        label=_("Birth year"), required=False, min_value=1900, max_value=2100,
        help_text=_("Filled in from the identity number when left empty."),
    )
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices,
                               widget=forms.RadioSelect)
    immigrant_background = forms.BooleanField(label=_("Immigrant background"), required=False)
    language = forms.ChoiceField(
        label=_("The participant's language"), required=False,
        choices=[("", "—"), *Language.choices],
        help_text=Participant._meta.get_field("language").help_text,
    )
    project = forms.ModelChoiceField(label=_("Project"), queryset=None)
    office = forms.ModelChoiceField(label=_("Office"), queryset=Office.objects.none())
    primary_case_worker = CaseWorkerChoiceField(
        label=_("Primary case worker"), queryset=get_user_model().objects.none()
    )
    evaluation_consent = forms.ChoiceField(
        label=_("Consent to evaluation use"), choices=Consent.choices, widget=forms.RadioSelect
    )
    ref = forms.CharField(label=_("Reference"), max_length=60, required=False)
    register_anyway = forms.BooleanField(
        label=_("Register anyway: this is another person"), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # participants does not import evaluations; the registry gives the model lazily.
        project_model = apps.get_model("evaluations", "Project")
        self.fields["project"].queryset = project_model.objects.visible_to(user).order_by("code")
        office_id = StaffProfile.objects.filter(user=user).values_list(
            "office_id", flat=True).first()
        offices = Office.objects.all()
        if Role.ADMINISTRATOR not in roles_of(user):
            offices = offices.filter(pk=office_id)
        self.fields["office"].queryset = offices
        self.fields["primary_case_worker"].queryset = (
            get_user_model().objects.filter(
                is_active=True, groups__name=Role.CASE_WORKER,
                staff_profile__office__in=offices,
            )
            .distinct()
            .order_by("last_name", "first_name", "username")
        )
        self.fields["ref"].help_text = gettext(
            "Leave empty to have one made from the year and a running number, such as "
            "%(example)s.") % {"example": f"P-{timezone.localdate().year}-0001"}
        if office_id is not None:
            self.fields["office"].initial = office_id
        if Role.CASE_WORKER in roles_of(user):
            self.fields["primary_case_worker"].initial = user.pk
        self.helper = FormHelper()
        self.helper.form_tag = False
        # "Register anyway" is shown only beside a duplicate warning, by the template.
        self.helper.layout = Layout(
            Fieldset(_("Person"), "given_name", "family_name", "gender", "birth_year",
                     "immigrant_background", "language"),
            Fieldset(_("Identity"), "national_id", "national_id_country"),
            Fieldset(_("Follow-up"), "project", "office", "primary_case_worker", "ref"),
            Fieldset(_("Evaluation"), "evaluation_consent"),
        )

    def clean_evaluation_consent(self) -> bool | None:
        return _CONSENT_VALUES[self.cleaned_data["evaluation_consent"]]

    def clean(self):
        data = super().clean()
        if data.get("national_id", "").strip() and not data.get("national_id_country"):
            self.add_error("national_id_country",
                           _("Choose the country that issued the identity number."))
        return data
