"""What happens in a participant's case: follow-up contacts, outcome spells, the plan."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .people import Participant, date_in_range


class CaseFileQuerySet(models.QuerySet):
    """Rows of a participant's case file: readable by whoever may read the whole case file."""

    def visible_to(self, user):
        return self.filter(participant__in=Participant.objects.case_file_visible_to(user))


class PlanQuerySet(models.QuerySet):
    """Goals are shared with the provider staff who work with the participant now
    (Participant.objects.in_provider_care_of)."""

    def visible_to(self, user):
        return self.filter(Q(participant__in=Participant.objects.case_file_visible_to(user))
                           | Q(participant__in=Participant.objects.in_provider_care_of(user)))


class Channel(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    PHONE = "phone", _("Phone")
    VIDEO = "video", _("Video")
    MESSAGE = "message", _("Message")
    HOME_VISIT = "home_visit", _("Home visit")


class FollowUpQuerySet(CaseFileQuerySet):
    pass


class FollowUp(models.Model):
    """One contact with or about the participant (oppfølgingskontakt)."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="follow_ups",
        verbose_name=_("participant"),
        db_index=False,  # follow_up_participant_idx leads with it
    )
    occurred_on = models.DateField(_("date"))
    case_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="follow_ups_held",
        verbose_name=_("case worker"),
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    with_employer = models.BooleanField(_("employer took part"), default=False)
    # The employer the contact was with, when it is in the register (participants.Employer).
    employer = models.ForeignKey(
        "participants.Employer", on_delete=models.PROTECT, null=True, blank=True,
        related_name="follow_ups", verbose_name=_("employer"),
        db_index=False,  # follow_up_employer_idx, of the contacts that name one
    )
    with_treatment = models.BooleanField(_("treatment service took part"), default=False)
    note = models.TextField(_("note"), blank=True)
    # Set only for rows that came from a bundle, so a re-import updates instead of duplicating.
    # NULL, not '': rows without a key must not collide under the unique constraint.
    import_key = models.CharField(max_length=64, null=True, blank=True,  # noqa: DJ001
                                  editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = FollowUpQuerySet.as_manager()
    # Who changed what, when, from what to what (docs/security.md).
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-occurred_on", "-created_at"]
        verbose_name = _("follow-up contact")
        verbose_name_plural = _("follow-up contacts")
        indexes = [
            # Covering what the indicator statement reads of a follow-up, so it reads the
            # index alone (one year at 1,000,000: 9.0 s to 7.1 s; docs/performance.md).
            # PostgreSQL only: elsewhere the same index without the included columns.
            models.Index(fields=["participant", "occurred_on"], name="follow_up_participant_idx",
                         include=["case_worker", "with_employer", "with_treatment"]),
            models.Index(fields=["occurred_on"], name="follow_up_date_idx"),
            # Of the few contacts that name an employer: an index over every row would be
            # mostly empty keys (10.7 million at 1,000,000 participants, 2.5 s to build).
            models.Index(fields=["employer"], condition=Q(employer__isnull=False),
                         name="follow_up_employer_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=date_in_range("occurred_on"),
                                   name="follow_up_date_in_range"),
            models.CheckConstraint(condition=Q(channel__in=Channel.values),
                                   name="follow_up_channel_valid"),
            # A partial constraint, not unique=True: the index holds the imported rows only,
            # and unique=True would add a LIKE index no query uses.
            models.UniqueConstraint(fields=["import_key"], condition=Q(import_key__isnull=False),
                                    name="follow_up_import_key_unique"),
        ]

    def __str__(self):
        return f"{self.participant_id} {self.occurred_on} {self.get_channel_display()}"


class OutcomeKind(models.TextChoices):
    WORK = "work", _("Work")
    EDUCATION = "education", _("Education")


class OutcomeSpell(models.Model):
    """A period in paid work or in formal education."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="outcome_spells",
        verbose_name=_("participant"),
        db_index=False,  # outcome_spell_idx leads with it
    )
    kind = models.CharField(_("kind"), max_length=10, choices=OutcomeKind.choices)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    hours_per_week = models.DecimalField(
        _("hours per week"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    organisation_name = models.CharField(_("employer or school"), max_length=200, blank=True)
    # Work only (a CHECK): the registered employer; organisation_name stays the free text.
    employer = models.ForeignKey(
        "participants.Employer", on_delete=models.PROTECT, null=True, blank=True,
        related_name="outcome_spells", verbose_name=_("employer"),
        db_index=False,  # outcome_spell_employer_idx, of the spells that name one
    )
    # NULL, not '': rows without a key must not collide under the unique constraint.
    import_key = models.CharField(max_length=64, null=True, blank=True,  # noqa: DJ001
                                  editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CaseFileQuerySet.as_manager()
    # Who changed what, when, from what to what (docs/security.md).
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-started_on"]
        verbose_name = _("outcome spell")
        verbose_name_plural = _("outcome spells")
        indexes = [
            models.Index(fields=["participant", "kind", "started_on"], name="outcome_spell_idx"),
            models.Index(fields=["employer"], condition=Q(employer__isnull=False),
                         name="outcome_spell_employer_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["import_key"], condition=Q(import_key__isnull=False),
                                    name="outcome_import_key_unique"),
            models.CheckConstraint(condition=Q(kind__in=OutcomeKind.values),
                                   name="outcome_kind_valid"),
            models.CheckConstraint(condition=date_in_range("started_on"),
                                   name="outcome_start_in_range"),
            models.CheckConstraint(condition=date_in_range("ended_on", nullable=True),
                                   name="outcome_end_in_range"),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="outcome_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(hours_per_week__isnull=True)
                | Q(kind="work", hours_per_week__gt=0, hours_per_week__lte=168),
                name="outcome_hours_only_for_work",
            ),
            models.CheckConstraint(condition=Q(employer__isnull=True) | Q(kind="work"),
                                   name="outcome_employer_only_for_work"),
        ]

    def __str__(self):
        return f"{self.participant_id} {self.get_kind_display()} {self.started_on}"


class Plan(models.Model):
    """The participant's individual plan (aktivitetsplan / jobplan / handlingsplan)."""

    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="plan", verbose_name=_("participant")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("individual plan")
        verbose_name_plural = _("individual plans")

    def __str__(self):
        return str(self.participant)


class GoalStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACHIEVED = "achieved", _("Achieved")
    NOT_ACHIEVED = "not_achieved", _("Not achieved")
    DROPPED = "dropped", _("Dropped")


class PlanPartQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(plan__in=Plan.objects.visible_to(user))


class PlanReviewQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The notes of the plan's reviews are the case file's: the goals are shared with
        the provider's staff, these are not."""
        return self.filter(plan__participant__in=Participant.objects.case_file_visible_to(user))


class Goal(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals",
                             verbose_name=_("plan"))
    text = models.TextField(_("goal"))
    target_date = models.DateField(_("target date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=GoalStatus.choices,
                              default=GoalStatus.OPEN)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PlanPartQuerySet.as_manager()
    # Who changed what, when, from what to what (docs/security.md).
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        # Goals without a target date last, on SQLite as on PostgreSQL (NULLS FIRST there).
        ordering = [models.F("target_date").asc(nulls_last=True), "created_at"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=GoalStatus.values),
                                   name="goal_status_valid"),
            models.CheckConstraint(condition=date_in_range("target_date", nullable=True),
                                   name="goal_target_date_in_range"),
        ]

    def __str__(self):
        return self.text[:60]


class PlanReview(models.Model):
    """A dated review of the plan with the participant."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reviews",
                             verbose_name=_("plan"))
    reviewed_on = models.DateField(_("reviewed on"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("reviewed by"),
    )
    note = models.TextField(_("note"), blank=True)
    # A review of one goal (goal_review) keeps the change of status as data, so that each
    # reader gets it in their own language. RESTRICT: a goal with a recorded change is not
    # deleted on its own, only with its plan (which takes the reviews along).
    goal = models.ForeignKey(Goal, on_delete=models.RESTRICT, null=True, blank=True,
                             related_name="reviews", verbose_name=_("goal"))
    goal_status_before = models.CharField(_("status before"), max_length=20, blank=True,
                                          choices=GoalStatus.choices)
    goal_status_after = models.CharField(_("status after"), max_length=20, blank=True,
                                         choices=GoalStatus.choices)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = PlanReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-reviewed_on", "-created_at"]
        verbose_name = _("plan review")
        verbose_name_plural = _("plan reviews")
        constraints = [
            models.CheckConstraint(condition=date_in_range("reviewed_on"),
                                   name="plan_review_date_in_range"),
        ]

    def __str__(self):
        return f"{self.plan_id} {self.reviewed_on}"

    def goal_change(self) -> str:
        """The goal's change of status, in the active language; empty for a review of the
        plan as a whole. Needs ``goal`` (select_related)."""
        if self.goal_id is None or not self.goal_status_after:
            return ""
        return _("Goal “%(goal)s”: %(old)s → %(new)s.") % {
            "goal": self.goal.text,
            "old": GoalStatus(self.goal_status_before).label,
            "new": GoalStatus(self.goal_status_after).label,
        }
