from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rehab.roles import Role, roles_of


class ProviderQuerySet(models.QuerySet):
    def for_staff(self, user):
        """The providers whose measures this user works in as provider staff."""
        return self.filter(memberships__user=user)


class Provider(models.Model):
    """A tiltaksarrangør / leverandør / anordnare: runs one or more measures."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    organisation_number = models.CharField(_("organisation number"), max_length=20, blank=True)
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ProviderQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("provider")
        verbose_name_plural = _("providers")

    def __str__(self):
        return self.name


class ProviderMembership(models.Model):
    """Makes a user provider staff of one provider; a user may belong to several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="provider_memberships",
        verbose_name=_("user"),
    )
    provider = models.ForeignKey(
        Provider, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("provider")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("provider staff membership")
        verbose_name_plural = _("provider staff memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "provider"], name="unique_provider_membership")
        ]

    def __str__(self):
        return f"{self.user} @ {self.provider}"


def provider_ids_for_staff(user) -> list[int]:
    """Provider ids a provider-staff user works for; empty for anyone else."""
    if Role.PROVIDER_STAFF not in roles_of(user):
        return []
    return list(ProviderMembership.objects.filter(user=user).values_list("provider_id", flat=True))
