"""Forms of the participant's own voice: opening participant mode, one answer, leaving
participant mode, sharing with the provider, and the case worker's PIN."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ..models import Language, Participant
from ..voice_selectors import startable_instruments


class _NoFormTag:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class ParticipantModeStartForm(_NoFormTag, forms.Form):
    instrument = forms.ModelChoiceField(label=_("Questionnaire"), queryset=None,
                                        empty_label=None)
    language = forms.ChoiceField(label=_("The participant's language"),
                                 choices=Language.choices)

    def __init__(self, *args, participant: Participant, **kwargs):
        kwargs.setdefault("prefix", "participant-mode")
        super().__init__(*args, **kwargs)
        self.fields["instrument"].queryset = startable_instruments()
        reader = get_language() or "en"  # the case worker chooses, in their own language
        self.fields["instrument"].label_from_instance = lambda instrument: instrument.name_in(
            reader)
        self.initial.setdefault("language", participant.spoken_language())


class AnswerForm(forms.Form):
    score = forms.IntegerField(min_value=-1000, max_value=1000)


class VoiceShareForm(forms.Form):
    shared = forms.BooleanField(required=False)


class ParticipantModeLeaveForm(_NoFormTag, forms.Form):
    secret = forms.CharField(
        label=_("Your password or PIN"), strip=False, max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password",
                                          "autofocus": True}),
    )


class ParticipantModePinForm(_NoFormTag, forms.Form):
    pin = forms.CharField(
        label=_("New PIN"), required=False, max_length=8, strip=True,
        widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("4 to 8 digits. Leave empty to remove the PIN; the password always works."),
    )
    pin_again = forms.CharField(
        label=_("The new PIN again"), required=False, max_length=8, strip=True,
        widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    password = forms.CharField(
        label=_("Your password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("pin", "") != data.get("pin_again", ""):
            self.add_error("pin_again", _("The two PINs differ."))
        return data
