"""A case worker's own settings of My caseload: saved filters and the number of days
of the "no contact" list. Each row belongs to one user and is never shown to another."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# The "no contact in N days" list: the default N and the range a user may choose.
NO_CONTACT_DAYS_DEFAULT = 30
NO_CONTACT_DAYS_MIN = 1
NO_CONTACT_DAYS_MAX = 365


class OwnedByUserQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The user's own rows; nobody else's, whatever their role. Fail closed."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(user=user)


class SavedCaseloadFilter(models.Model):
    """The filters of My caseload or of the team view, saved under a name by one user."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
        related_name="saved_caseload_filters", verbose_name=_("user"),
        db_index=False,  # saved_filter_user_name_unique leads with it
    )
    name = models.CharField(_("name"), max_length=100)
    team = models.BooleanField(_("team view"), default=False)
    # The filters as a query string (``status=active&project=3``), built from the
    # validated form only; applying it validates it again.
    query = models.CharField(_("filters"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = OwnedByUserQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("saved caseload filter")
        verbose_name_plural = _("saved caseload filters")
        constraints = [
            models.UniqueConstraint(fields=["user", "team", "name"],
                                    name="saved_filter_user_name_unique"),
            models.CheckConstraint(condition=~Q(name=""), name="saved_filter_name_not_empty"),
        ]

    def __str__(self):
        return self.name


class CaseloadPreference(models.Model):
    """How a user wants the caseload: after how many days without contact a participant
    is on the "no contact" list. A user without a row has the defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
        related_name="caseload_preference", verbose_name=_("user"),
    )
    no_contact_days = models.PositiveSmallIntegerField(
        _("days without contact"), default=NO_CONTACT_DAYS_DEFAULT,
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = OwnedByUserQuerySet.as_manager()

    class Meta:
        verbose_name = _("caseload preference")
        verbose_name_plural = _("caseload preferences")
        constraints = [
            models.CheckConstraint(
                condition=Q(no_contact_days__gte=NO_CONTACT_DAYS_MIN,
                            no_contact_days__lte=NO_CONTACT_DAYS_MAX),
                name="caseload_preference_days_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.user_id}: {self.no_contact_days}"
