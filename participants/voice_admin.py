"""The questionnaires in the admin: an instrument with its items and their texts per
language on one page, for administrators. A built-in instrument (``voice``) is shown but
not changed: its texts come from the migrations, so every installation asks the same."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from rehab.admin import AdministratorOnlyAdmin, admin_site
from rehab.roles import is_administrator

from .models import Instrument, InstrumentItem, Language
from .models.voice import offered

PER_LANGUAGE = [(code, label) for code, label in Language.choices]


class InstrumentForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=Language.choices, widget=forms.CheckboxSelectMultiple,
        help_text=_("English is always offered: a participant whose language is not offered "
                    "sees the English texts."),
    )

    class Meta:
        model = Instrument
        fields = ["code", "languages", "scale_min", "scale_max",
                  *(f"name_{code}" for code, _label in PER_LANGUAGE),
                  *(f"low_label_{code}" for code, _label in PER_LANGUAGE),
                  *(f"high_label_{code}" for code, _label in PER_LANGUAGE)]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["languages"] = offered(self.instance.languages or "")

    def clean_languages(self):
        return ",".join(self.cleaned_data["languages"])


class InstrumentItemFormSet(forms.BaseInlineFormSet):
    def _construct_form(self, i, **kwargs):
        """Each item is validated against the instrument as the page submits it (the
        languages it now offers), not as it was saved before."""
        form = super()._construct_form(i, **kwargs)
        form.instance.instrument = self.instance
        return form


class InstrumentItemInline(admin.TabularInline):
    model = InstrumentItem
    formset = InstrumentItemFormSet
    fields = ["code", "position", *(f"text_{code}" for code, _label in PER_LANGUAGE)]
    extra = 0

    def has_view_permission(self, request, obj=None):
        return is_administrator(request.user)

    def has_add_permission(self, request, obj=None):
        return _changeable(obj) and is_administrator(request.user)

    def has_change_permission(self, request, obj=None):
        return _changeable(obj) and is_administrator(request.user)

    def has_delete_permission(self, request, obj=None):
        return _changeable(obj) and is_administrator(request.user)


@admin.register(Instrument, site=admin_site)
class InstrumentAdmin(AdministratorOnlyAdmin):
    form = InstrumentForm
    list_display = ["code", "name_en", "languages", "scale_min", "scale_max", "built_in"]
    search_fields = ["code", "name_en", "name_nb", "name_da", "name_sv"]
    inlines = [InstrumentItemInline]
    fieldsets = [
        (None, {"fields": ["code", "languages", ("scale_min", "scale_max")]}),
        *((label, {"fields": [f"name_{code}", (f"low_label_{code}", f"high_label_{code}")]})
          for code, label in PER_LANGUAGE),
    ]

    def has_change_permission(self, request, obj=None):
        return _changeable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return _changeable(obj) and super().has_delete_permission(request, obj)


@admin.register(InstrumentItem, site=admin_site)
class InstrumentItemAdmin(AdministratorOnlyAdmin):
    list_display = ["instrument", "code", "position", "text_en"]
    list_select_related = ["instrument"]
    search_fields = ["code", "text_en", "text_nb", "text_da", "text_sv"]

    def has_add_permission(self, request):
        return False  # items are added on their instrument's page, with its languages

    def has_change_permission(self, request, obj=None):
        return (obj is None or _changeable(obj.instrument)) and super().has_change_permission(
            request, obj)

    def has_delete_permission(self, request, obj=None):
        return (obj is None or _changeable(obj.instrument)) and super().has_delete_permission(
            request, obj)


def _changeable(instrument: Instrument | None) -> bool:
    return instrument is None or not instrument.built_in
