"""Texts of Django's admin, of its user forms and of its form validation that Django's own
Norwegian Bokmål catalogue does not translate yet (Django 5.2): the admin showed them in
English to Norwegian administrators. Listed here so that `make messages` keeps them in the
project's catalogues, which take precedence over Django's. The Danish and Swedish texts
are Django's own translations.

The admin's scripts (the two-list chooser of permissions and project leads, the calendar)
take theirs from the JavaScript catalogue: the Norwegian texts that Django lacks there are
in locale/nb/LC_MESSAGES/djangojs.po, which `make messages` leaves alone (the project has no
script texts of its own)."""

from django.utils.translation import gettext_noop, ngettext_lazy

ADMIN_TEXTS = (
    gettext_noop("Add link"),
    gettext_noop("Added:"),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
    gettext_noop("Breadcrumbs"),
    gettext_noop("Change or view list link"),
    gettext_noop("Changed:"),
    gettext_noop("Deleted:"),
    gettext_noop("Disable password-based authentication"),
    gettext_noop("Enable password-based authentication"),
    gettext_noop("Error:"),
    gettext_noop("Filter navigation items"),
    gettext_noop("Forgotten your login credentials?"),
    gettext_noop("Hide counts"),
    gettext_noop("In case you’ve forgotten, you are:"),
    gettext_noop("Model name"),
    gettext_noop("Set password"),
    gettext_noop("Show counts"),
    gettext_noop("Sidebar"),
    gettext_noop("Skip to main content"),
    gettext_noop("Start typing to filter…"),
    gettext_noop("Thanks for spending some quality time with the web site today."),
    gettext_noop("Toggle theme (current theme: auto)"),
    gettext_noop("Toggle theme (current theme: dark)"),
    gettext_noop("Toggle theme (current theme: light)"),
    # The change list's checkboxes (read out by screen readers) and the user forms.
    gettext_noop("Select all objects on this page for an action"),
    gettext_noop("Select this object for an action - {}"),
    gettext_noop("View selected %(model)s"),
    gettext_noop("This action will <strong>enable</strong> password-based authentication for "
                 "this user."),
    gettext_noop("Conflicting form data submitted. Please try again."),
    gettext_noop("Disabled"),
    gettext_noop("Enable password-based authentication for this user by setting a password."),
    gettext_noop("Enabled"),
    gettext_noop("Password-based authentication"),
    gettext_noop("Password-based authentication was disabled."),
    gettext_noop("Raw passwords are not stored, so there is no way to see the user’s "
                 "password."),
    gettext_noop("Reset password"),
    gettext_noop("Set password: %s"),
    gettext_noop("Whether the user will be able to authenticate using a password or not. If "
                 "disabled, they may still be able to authenticate using other backends, such "
                 "as Single Sign-On or LDAP."),
    # Model validation the admin's forms can show.
    gettext_noop("%(model)s instance with %(field)s %(value)r is not a valid choice."),
    gettext_noop("Enter a valid %(protocol)s address."),
)

# Texts with a plural since Django 5.2, which the nb catalogue has only in the old
# singular form: the heading of a form's errors, a password set in the admin that is too
# short (MinimumLengthValidator).
ADMIN_PLURAL_TEXTS = (
    ngettext_lazy("Please correct the error below.", "Please correct the errors below."),
    ngettext_lazy("This password is too short. It must contain at least %d character.",
                  "This password is too short. It must contain at least %d characters."),
)
