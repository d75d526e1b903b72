"""Form pieces shared by the case-work forms of participants and measures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import EARLIEST_DATE, LATEST_DATE

# Characters in one text box (a note, a goal, a report): about four pages, far more than a
# case record needs, and a bound on what one slip of the clipboard puts on every timeline.
FREE_TEXT_MAX_LENGTH = 10_000


def limit_free_text(fields: dict[str, forms.Field]) -> None:
    """Every text box among ``fields`` takes at most FREE_TEXT_MAX_LENGTH characters: the
    browser stops typing there, and the form refuses more with Django's translated
    message."""
    for field in fields.values():
        if (isinstance(field, forms.CharField) and isinstance(field.widget, forms.Textarea)
                and field.max_length is None):
            field.max_length = FREE_TEXT_MAX_LENGTH
            field.validators.append(MaxLengthValidator(FREE_TEXT_MAX_LENGTH))
            field.widget.attrs["maxlength"] = str(FREE_TEXT_MAX_LENGTH)


class CaseWorkerChoiceField(forms.ModelChoiceField):
    """A case worker by name. One offered when the form was opened may have left the list
    since (deactivated, moved, made primary meanwhile): say so, not Django's 'Select a
    valid choice'."""

    default_error_messages = {
        "invalid_choice": _("This case worker can no longer be chosen. Choose another from "
                            "the list."),
    }

    def label_from_instance(self, user):
        return user.get_full_name() or user.username


def date_input() -> forms.DateInput:
    """The browser's date picker, with the ISO value it expects."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def past_date(value: dt.date | None) -> dt.date | None:
    """A date that has happened: case records describe what was, never what will be."""
    if value is None:
        return value
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise forms.ValidationError(_("Dates must be between 1900 and 2100."))
    if value > timezone.localdate():
        raise forms.ValidationError(_("The date cannot be in the future."))
    return value


def coming_date(value: dt.date | None) -> dt.date | None:
    """A date still to come (today included): a plan, never a record of the past."""
    if value is None:
        return value
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise forms.ValidationError(_("Dates must be between 1900 and 2100."))
    if value < timezone.localdate():
        raise forms.ValidationError(_("The next contact cannot be planned in the past."))
    return value


class VersionField(forms.CharField):
    """The ``updated_at`` the user saw, carried in a hidden input (optimistic concurrency)."""

    widget = forms.HiddenInput

    def to_python(self, value):
        value = super().to_python(value)
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            raise forms.ValidationError(_("This form is out of date. Reload the page.")) from None
        if timezone.is_naive(parsed):
            raise forms.ValidationError(_("This form is out of date. Reload the page."))
        return parsed


def messages_of(form: forms.Form | None) -> list[str]:
    """Every error message of a form, to show where the form itself no longer is."""
    if form is None:
        return []
    return [str(message) for errors in form.errors.values() for message in errors]


def submit(form: forms.Form, service: Callable[[dict], object]) -> bool:
    """Validate the form and call the service; a broken rule becomes a form error, next to
    its field when the form has that field and above the form otherwise (a service may call
    another whose rules name fields this form does not have: accepting a provider's
    proposal checks the enrollment's dates again)."""
    if not form.is_valid():
        return False
    try:
        service(form.cleaned_data)
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            form.add_error(None, exc)
            return False
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
        return False
    return True
