"""The access log: every read of a participant's personal data, kept for good.

Rows are only ever added (``participants/access_log.py``). Nothing in the application
changes or deletes them, and a database trigger refuses it too (see the migration). The
participant is referenced without a database constraint, so the log outlives the
participant's record.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rehab.roles import Role, roles_of

from .people import Participant


class AccessKind(models.TextChoices):
    CASE_FILE = "case_file", _("Participant page")
    TIMELINE = "timeline", _("Timeline")
    PROVIDER_ENROLLMENT = "provider_enrollment", _("Enrollment page (provider)")
    IDENTITY_NUMBER = "identity_number", _("Identity number shown")
    EXTRACT = "extract", _("Data extract with identity")
    RAW_REPORT = "raw_report", _("Report with raw values")
    ADMIN = "admin", _("Administration page")
    EMPLOYER = "employer", _("Employer page")
    VOICE = "voice", _("Participant's own answers")
    PARTICIPANT_MODE = "participant_mode", _("Participant mode")


class AccessLogQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Entries this user may read: administrators and the data protection officer all
        of them, a case worker those about the participants they are primary case worker
        for (who has read my participant's record). Fail closed."""
        roles = roles_of(user)
        if roles & {Role.ADMINISTRATOR, Role.DATA_PROTECTION_OFFICER}:
            return self
        if Role.CASE_WORKER in roles:
            # By id, not a join: the log has no foreign key to the participant (see above).
            return self.filter(participant_id__in=Participant.objects.filter(
                primary_case_worker=user).values("pk"))
        return self.none()


class AccessLogEntry(models.Model):
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False, null=True,
        blank=True, related_name="+", verbose_name=_("user"),
    )
    username = models.CharField(
        _("user name"), max_length=150,
        help_text=_("Kept as it was, should the account change or go."),
    )
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.DO_NOTHING, db_constraint=False,
        related_name="+", verbose_name=_("participant"),
    )
    what = models.CharField(_("what"), max_length=30, choices=AccessKind.choices)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    address = models.GenericIPAddressField(_("from address"), null=True, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        indexes = [
            models.Index(fields=["participant", "at"], name="access_log_participant_idx"),
            models.Index(fields=["user", "at"], name="access_log_user_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(what__in=AccessKind.values),
                                   name="access_log_what_valid"),
        ]

    def __str__(self):
        return (f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.get_what_display()} "
                f"{self.participant_id}")
