"""The employer choice of the case-file forms (a follow-up, a work spell)."""

from __future__ import annotations

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..models import Employer


class EmployerPicker(forms.Select):
    """A select holding only the chosen employer, with a search box that fetches the
    register's matches into it (``participants:employer_choices``).

    The register is national and grows with every office's job development: offering all
    of it would put tens of thousands of options into each participant page, twice.
    """

    template_name = "participants/widgets/employer_picker.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["search_url"] = reverse("participants:employer_choices")
        return context

    def optgroups(self, name, value, attrs=None):
        iterator = self.choices
        chosen = [pk for pk in value if str(pk).isdigit()]
        limited = [("", iterator.field.empty_label)]
        if chosen:
            limited += [iterator.choice(employer)
                        for employer in iterator.queryset.filter(pk__in=chosen)]
        everything, self.choices = self.choices, limited
        try:
            return super().optgroups(name, value, attrs)
        finally:
            self.choices = everything


class EmployerChoice:
    """Offers the employers of the register that ``user`` sees (none without a user),
    found by searching. The choice is optional: the free-text organisation name stays for
    employers not in the register."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["employer"]
        field.widget = EmployerPicker()
        field.queryset = Employer.objects.visible_to(user).only("pk", "name")
        field.required = False
        field.empty_label = _("Not in the register")
