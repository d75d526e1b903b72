"""The employer choice of the case-file forms (a follow-up, a work spell)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ..models import Employer


class EmployerChoice:
    """Offers the employers of the register that ``user`` sees (none without a user). The
    choice is optional: the free-text organisation name stays for employers not in the
    register."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["employer"]
        field.queryset = Employer.objects.visible_to(user).only("pk", "name")
        field.required = False
        field.empty_label = _("Not in the register")
