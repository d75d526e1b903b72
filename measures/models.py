from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from participants.models import Participant, date_in_range
from providers.models import provider_ids_for_staff
from rehab.roles import Role, roles_of


class MeasureType(models.TextChoices):
    ASSESSMENT = "assessment", _("Assessment")
    WORK_PRACTICE = "work_practice", _("Work practice")
    WORK_TRAINING = "work_training", _("Work training")
    COURSE = "course", _("Course")
    SUPPORTED_EMPLOYMENT = "supported_employment", _("Supported employment (IPS)")
    EDUCATION_SUPPORT = "education_support", _("Education support")
    TREATMENT_COORDINATION = "treatment_coordination", _("Treatment coordination")
    OTHER = "other", _("Other")


class Setting(models.TextChoices):
    ORDINARY_WORKPLACE = "ordinary_workplace", _("Ordinary workplace")
    SHELTERED_WORKPLACE = "sheltered_workplace", _("Sheltered workplace")
    CLASSROOM = "classroom", _("Classroom")
    INDIVIDUAL = "individual", _("Individual")


class MeasureQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def visible_to(self, user):
        """The catalogue is open to all staff; it holds no personal data."""
        if not roles_of(user):
            return self.none()
        return self


class Measure(models.Model):
    """A concrete offering (tiltak / indsats / insats) run by one provider."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    measure_type = models.CharField(_("type of measure"), max_length=30,
                                    choices=MeasureType.choices)
    provider = models.ForeignKey("providers.Provider", on_delete=models.PROTECT,
                                 related_name="measures", verbose_name=_("provider"))
    setting = models.CharField(_("setting"), max_length=30, choices=Setting.choices)
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = MeasureQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        constraints = [
            models.CheckConstraint(condition=Q(measure_type__in=MeasureType.values),
                                   name="measure_type_valid"),
            models.CheckConstraint(condition=Q(setting__in=Setting.values),
                                   name="measure_setting_valid"),
        ]

    def __str__(self):
        return self.name


class EndReason(models.TextChoices):
    COMPLETED = "completed", _("Completed as planned")
    GOT_JOB = "got_job", _("Started paid work")
    STARTED_EDUCATION = "started_education", _("Started education")
    OTHER_SUPPORT = "other_support", _("Handed over to other support")
    DROPPED_OUT = "dropped_out", _("Dropped out")
    HEALTH = "health", _("Health reasons or treatment needs")
    MOVED = "moved", _("Moved out of the area")
    OTHER = "other", _("Other early end")
    NOT_STARTED = "not_started", _("Withdrawn before a start")


COMPLETED_END_REASONS = frozenset(
    {EndReason.COMPLETED, EndReason.GOT_JOB, EndReason.STARTED_EDUCATION, EndReason.OTHER_SUPPORT}
)
EARLY_END_REASONS = frozenset(
    {EndReason.DROPPED_OUT, EndReason.HEALTH, EndReason.MOVED, EndReason.OTHER}
)


class EnrollmentStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class EnrollmentQuerySet(models.QuerySet):
    def waiting(self):
        return self.filter(started_on__isnull=True, ended_on__isnull=True)

    def active(self):
        return self.filter(started_on__isnull=False, ended_on__isnull=True)

    def ended(self):
        return self.filter(started_on__isnull=False, ended_on__isnull=False)

    def withdrawn(self):
        return self.filter(started_on__isnull=True, ended_on__isnull=False)

    def visible_to(self, user):
        """Readers of a participant's whole case file (case workers, project leads,
        administrators) see all its enrollments; provider staff see only the enrollments in
        their own providers' measures."""
        roles = roles_of(user)
        condition = Q(pk__in=[])
        if Role.ADMINISTRATOR in roles:
            return self
        if Role.CASE_WORKER in roles or Role.PROJECT_LEAD in roles:
            condition |= Q(participant__in=Participant.objects.case_file_visible_to(user))
        if Role.PROVIDER_STAFF in roles:
            condition |= Q(measure__provider_id__in=provider_ids_for_staff(user))
        return self.filter(condition)


class Enrollment(models.Model):
    """A referral to one measure and the participant's time in it (deltakelse / forløb)."""

    # Unique by a constraint in Meta: unique=True would add a second, pattern-matching
    # index that nothing uses (enrollments are never searched by the start of their ref).
    ref = models.CharField(_("reference"), max_length=60)
    # db_index off: enrollment_participant_idx leads with it
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, db_index=False,
                                    related_name="enrollments", verbose_name=_("participant"))
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="enrollments",
                                verbose_name=_("measure"))
    referred_on = models.DateField(_("referred on"))
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("referred by"),
    )
    started_on = models.DateField(_("started on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("end reason"), max_length=30, choices=EndReason.choices,
                                  blank=True)
    participation_percent = models.PositiveSmallIntegerField(
        _("participation (%)"), null=True, blank=True
    )
    days_per_week = models.PositiveSmallIntegerField(_("days per week"), null=True, blank=True)
    planned_end_on = models.DateField(_("planned end"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = EnrollmentQuerySet.as_manager()
    # Who changed what, when, from what to what (docs/security.md).
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-referred_on", "ref"]
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        indexes = [
            # Carries the measure: the measure choices of My caseload and the team view
            # (the measures their participants are enrolled in) read this index alone
            # (docs/performance.md). PostgreSQL only: elsewhere the same index without it.
            models.Index(fields=["participant", "started_on"], name="enrollment_participant_idx",
                         include=["measure"]),
            models.Index(fields=["measure", "referred_on"], name="enrollment_waiting_idx",
                         condition=Q(started_on__isnull=True, ended_on__isnull=True)),
            models.Index(fields=["referred_on"], name="enrollment_referred_idx"),
            models.Index(fields=["started_on"], name="enrollment_started_idx"),
            models.Index(fields=["ended_on"], name="enrollment_ended_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["ref"], name="enrollment_ref_unique"),
            models.CheckConstraint(condition=date_in_range("referred_on"),
                                   name="enrollment_referred_in_range"),
            models.CheckConstraint(condition=date_in_range("started_on", nullable=True),
                                   name="enrollment_started_in_range"),
            models.CheckConstraint(condition=date_in_range("ended_on", nullable=True),
                                   name="enrollment_ended_in_range"),
            models.CheckConstraint(
                condition=Q(started_on__isnull=True) | Q(started_on__gte=models.F("referred_on")),
                name="enrollment_starts_after_referral",
            ),
            # Each branch is false, never NULL, for a withdrawal dated before its referral:
            # a CHECK lets NULL through, and ended_on >= NULL is NULL.
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(ended_on__gte=models.F("referred_on"), started_on__isnull=True)
                | Q(ended_on__gte=models.F("started_on"), started_on__isnull=False),
                name="enrollment_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True, end_reason="")
                | (Q(ended_on__isnull=False) & ~Q(end_reason="")),
                name="enrollment_end_reason_iff_ended",
            ),
            models.CheckConstraint(
                condition=Q(end_reason__in=[*EndReason.values, ""]),
                name="enrollment_end_reason_valid",
            ),
            models.CheckConstraint(
                condition=Q(end_reason="not_started", started_on__isnull=True,
                            ended_on__isnull=False)
                | (~Q(end_reason="not_started")
                   & ~Q(started_on__isnull=True, ended_on__isnull=False)),
                name="enrollment_not_started_iff_withdrawn",
            ),
            models.CheckConstraint(
                condition=Q(participation_percent__isnull=True)
                | Q(participation_percent__gte=1, participation_percent__lte=100),
                name="enrollment_participation_percent_range",
            ),
            models.CheckConstraint(
                condition=Q(days_per_week__isnull=True)
                | Q(days_per_week__gte=1, days_per_week__lte=7),
                name="enrollment_days_per_week_range",
            ),
        ]

    def __str__(self):
        return f"{self.ref} ({self.measure_id})"

    @property
    def status(self) -> str:
        if self.started_on is None:
            return EnrollmentStatus.WAITING if self.ended_on is None else EnrollmentStatus.WITHDRAWN
        return EnrollmentStatus.ACTIVE if self.ended_on is None else EnrollmentStatus.ENDED

    def get_status_display(self) -> str:
        return EnrollmentStatus(self.status).label


class ProposalKind(models.TextChoices):
    START = "start", _("Start")
    END = "end", _("End")
    EXTENSION = "extension", _("Extension")
    PARTICIPATION = "participation", _("Change of participation")


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class EnrollmentProposalQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=ProposalStatus.PENDING)

    def visible_to(self, user):
        return self.filter(enrollment__in=Enrollment.objects.visible_to(user))


class EnrollmentProposal(models.Model):
    """A provider's proposed change to an enrollment; nothing changes until a case worker
    accepts it (NAV's providers work this way)."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE,
                                   related_name="proposals", verbose_name=_("enrollment"))
    kind = models.CharField(_("kind"), max_length=20, choices=ProposalKind.choices)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("proposed by"),
    )
    started_on = models.DateField(_("started on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("end reason"), max_length=30, choices=EndReason.choices,
                                  blank=True)
    planned_end_on = models.DateField(_("planned end"), null=True, blank=True)
    participation_percent = models.PositiveSmallIntegerField(
        _("participation (%)"), null=True, blank=True
    )
    days_per_week = models.PositiveSmallIntegerField(_("days per week"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ProposalStatus.choices,
                              default=ProposalStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = EnrollmentProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ProposalKind.values),
                                   name="proposal_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=ProposalStatus.values),
                                   name="proposal_status_valid"),
            # decided_by may be NULL later (SET_NULL on a deleted user); decided_at may not.
            models.CheckConstraint(
                condition=Q(status=ProposalStatus.PENDING, decided_at__isnull=True,
                            decided_by__isnull=True)
                | (~Q(status=ProposalStatus.PENDING) & Q(decided_at__isnull=False)),
                name="proposal_decided_iff_not_pending",
            ),
            models.CheckConstraint(
                condition=~Q(kind=ProposalKind.START) | Q(started_on__isnull=False),
                name="proposal_start_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(kind=ProposalKind.END)
                | (Q(ended_on__isnull=False) & ~Q(end_reason="")
                   & ~Q(end_reason=EndReason.NOT_STARTED)),
                name="proposal_end_has_date_and_reason",
            ),
            models.CheckConstraint(
                condition=Q(end_reason__in=[*EndReason.values, ""]),
                name="proposal_end_reason_valid",
            ),
            models.CheckConstraint(
                condition=~Q(kind=ProposalKind.EXTENSION) | Q(planned_end_on__isnull=False),
                name="proposal_extension_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(kind=ProposalKind.PARTICIPATION)
                | Q(participation_percent__isnull=False) | Q(days_per_week__isnull=False),
                name="proposal_participation_has_values",
            ),
            models.CheckConstraint(
                condition=Q(participation_percent__isnull=True)
                | Q(participation_percent__gte=1, participation_percent__lte=100),
                name="proposal_participation_percent_range",
            ),
            models.CheckConstraint(
                condition=Q(days_per_week__isnull=True)
                | Q(days_per_week__gte=1, days_per_week__lte=7),
                name="proposal_days_per_week_range",
            ),
        ]

    def __str__(self):
        return f"{self.enrollment_id}: {self.kind} ({self.status})"


class ProgressReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(enrollment__in=Enrollment.objects.visible_to(user))


class ProgressReport(models.Model):
    """A provider's report on a period of an enrollment, seen by the case worker."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE,
                                   related_name="progress_reports",
                                   verbose_name=_("enrollment"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("written by"),
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    attendance_percent = models.PositiveSmallIntegerField(_("attendance (%)"), null=True,
                                                          blank=True)
    went_well = models.TextField(_("what went well"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ProgressReportQuerySet.as_manager()

    class Meta:
        ordering = ["-period_end", "-pk"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")),
                                   name="progress_report_period_ordered"),
            models.CheckConstraint(
                condition=Q(attendance_percent__isnull=True)
                | Q(attendance_percent__gte=0, attendance_percent__lte=100),
                name="progress_report_attendance_range",
            ),
        ]

    def __str__(self):
        return f"{self.enrollment_id}: {self.period_start}–{self.period_end}"
