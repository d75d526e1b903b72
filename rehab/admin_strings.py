"""Texts of Django's admin templates that Django's own Norwegian Bokmål catalogue does not
translate yet (Django 5.2): the admin showed them in English to Norwegian administrators.
Listed here so that `make messages` keeps them in the project's catalogues, which take
precedence over Django's. The Danish and Swedish texts are Django's own translations."""

from django.utils.translation import gettext_noop

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
)
