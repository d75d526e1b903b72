import datetime as dt

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from rehab.roles import Role, roles_of

from ..encryption import EncryptedTextField, lookup_hash

EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)


def date_in_range(field: str, *, nullable: bool = False) -> Q:
    """The CHECK condition that keeps a date inside 1900-01-01..2100-12-31 (EXCHANGE.md)."""
    inside = Q(**{f"{field}__gte": EARLIEST_DATE, f"{field}__lte": LATEST_DATE})
    return Q(**{f"{field}__isnull": True}) | inside if nullable else inside


class Office(models.Model):
    """A NAV office, jobcenter or kontor: the team a case worker belongs to."""

    code = models.CharField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["name"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")

    def __str__(self):
        return self.name


class StaffProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_profile",
        verbose_name=_("user"),
    )
    office = models.ForeignKey(
        Office,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("office"),
    )
    # Hashed with Django's password hashers; ends participant mode instead of the password.
    participant_mode_pin = models.CharField(
        _("PIN for participant mode"), max_length=128, blank=True, editable=False)
    # Wrong PINs since participant mode was last entered or left. Kept here, not in the
    # session: a request alongside would save its older copy of the session back over it.
    participant_mode_pin_failures = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")

    def __str__(self):
        return str(self.user)


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")


class Language(models.TextChoices):
    """The languages a participant may be spoken to in (questionnaires, participant mode)."""

    NORWEGIAN = "nb", _("Norwegian Bokmål")
    DANISH = "da", _("Danish")
    SWEDISH = "sv", _("Swedish")
    ENGLISH = "en", _("English")


def site_language() -> str:
    """The site's language as a participant's language (for participants who have none of
    their own); Norwegian when the site's is none of the four."""
    code = (settings.LANGUAGE_CODE or "").split("-")[0]
    return code if code in Language.values else Language.NORWEGIAN


class Country(models.TextChoices):
    NORWAY = "NO", _("Norway")
    DENMARK = "DK", _("Denmark")
    SWEDEN = "SE", _("Sweden")


class ParticipantQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Participants this user has a need to know about.

        Administrators see everyone; case workers the participants of their office and
        those they are primary case worker for; project leads those of the projects they
        lead (sub-projects included); provider staff those enrolled in their providers'
        measures. Fail closed.
        """
        roles = roles_of(user)
        if Role.ADMINISTRATOR in roles:
            return self
        condition = Q(pk__in=[])
        if Role.CASE_WORKER in roles:
            condition |= _case_worker_condition(user)
        if Role.PROJECT_LEAD in roles:
            condition |= _project_lead_condition(user)
        if Role.PROVIDER_STAFF in roles:
            condition |= Q(
                pk__in=Participant.objects.filter(
                    enrollments__measure__provider__memberships__user=user
                ).values("pk")
            )
        return self.filter(condition)

    def case_file_visible_to(self, user):
        """Participants whose whole case file (follow-ups, outcomes, notes) this user may read.

        Project leads read the case files of their projects (they answer for the quality
        of the follow-up) but change nothing: see ``editable_by``.
        """
        roles = roles_of(user)
        if Role.ADMINISTRATOR in roles:
            return self
        condition = Q(pk__in=[])
        if Role.CASE_WORKER in roles:
            condition |= _case_worker_condition(user)
        if Role.PROJECT_LEAD in roles:
            condition |= _project_lead_condition(user)
        return self.filter(condition)

    def in_provider_care_of(self, user, *, today: dt.date | None = None):
        """Participants whose goals and shared answers this user's providers need now: with
        an enrollment in one of their measures that is waiting, under way, or that ended
        after a start within the last PROVIDER_ACCESS_AFTER_END_DAYS days (time for the
        last report). A referral withdrawn before it started ends the need at once. The
        provider keeps its own enrollments, proposals and reports (Participant.visible_to),
        not the case worker's plan."""
        if Role.PROVIDER_STAFF not in roles_of(user):
            return self.none()
        since = (today or timezone.localdate()) - dt.timedelta(
            days=settings.PROVIDER_ACCESS_AFTER_END_DAYS)
        in_care = (Q(enrollments__measure__provider__memberships__user=user)
                   & (Q(enrollments__ended_on__isnull=True)
                      | Q(enrollments__started_on__isnull=False,
                          enrollments__ended_on__gte=since)))
        return self.filter(pk__in=Participant.objects.filter(in_care).values("pk"))

    def editable_by(self, user):
        """Participants whose case file this user may change: their case workers' office."""
        roles = roles_of(user)
        if Role.ADMINISTRATOR in roles:
            return self
        if Role.CASE_WORKER in roles:
            return self.filter(_case_worker_condition(user))
        return self.none()


def office_id_of(user) -> int | None:
    """The office of a staff user, or None (cached on the user object, as roles_of does:
    one page asks several times)."""
    if not hasattr(user, "_rehab_office_id"):
        user._rehab_office_id = (
            StaffProfile.objects.filter(user=user).values_list("office_id", flat=True).first()
        )
    return user._rehab_office_id


def _case_worker_condition(user) -> Q:
    office_id = office_id_of(user)
    condition = Q(primary_case_worker=user)
    if office_id is not None:
        condition |= Q(office_id=office_id)
    return condition


def _project_lead_condition(user) -> Q:
    # participants does not import evaluations; the registry gives the model lazily.
    project_model = apps.get_model("evaluations", "Project")
    return Q(project_id__in=project_model.objects.led_ids(user))


class Participant(models.Model):
    ref = models.CharField(_("reference"), max_length=60, unique=True)
    given_name = models.CharField(_("given name"), max_length=100, blank=True)
    family_name = models.CharField(_("family name"), max_length=100, blank=True)
    # Encrypted at rest; found by its keyed hash (participants/encryption.py).
    national_id = EncryptedTextField(_("national identity number"), blank=True)
    # Indexed in Meta: db_index would add a second, pattern-matching index never used.
    national_id_hash = models.CharField(max_length=64, blank=True, editable=False)
    national_id_country = models.CharField(
        _("country of the identity number"), max_length=2, choices=Country.choices, blank=True
    )
    birth_year = models.PositiveSmallIntegerField(_("birth year"))
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    immigrant_background = models.BooleanField(_("immigrant background"), default=False)
    project = models.ForeignKey(
        "evaluations.Project",
        on_delete=models.PROTECT,
        related_name="participants",
        verbose_name=_("project"),
    )
    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="participants", verbose_name=_("office"),
        db_index=False,  # participant_office_idx leads with it
    )
    primary_case_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="caseload",
        verbose_name=_("primary case worker"),
    )
    evaluation_consent = models.BooleanField(
        _("consent to evaluation use"),
        null=True,
        blank=True,
        help_text=_("Empty when consent was not asked because another legal basis applies."),
    )
    # The next contact the case worker has planned; cleared (or moved on) when a contact
    # on or after it is logged (participants/services/caseload.py).
    next_contact_on = models.DateField(_("next planned contact"), null=True, blank=True)
    # Empty (also for rows a bundle import writes) means the site's language, whatever it
    # is when asked: see ``spoken_language``.
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, blank=True, default="",
        db_default="",
        help_text=_("The language questionnaires are shown in, in participant mode. Empty: "
                    "the site's language."),
    )
    voice_shared_with_provider = models.BooleanField(
        _("own answers shared with the provider"), default=False, db_default=False,
        help_text=_("The provider's staff see the participant's own answers (questionnaires) "
                    "only when this is set."),
    )
    anonymised_at = models.DateTimeField(
        _("anonymised"), null=True, blank=True, editable=False,
        help_text=_("When the personal data were removed, the statistics kept (retention)."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ParticipantQuerySet.as_manager()
    # Who changed what, when, from what to what (docs/security.md).
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["family_name", "given_name", "ref"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        indexes = [
            models.Index(fields=["family_name", "given_name"], name="participant_name_idx"),
            models.Index(fields=["national_id_hash"], name="participant_id_hash_idx"),
            # The team view counts an office's participants and lists their primary case
            # workers from this index alone (20,000 participants: 115 ms and 181 ms to 2
            # and 13 ms); with the ids it carries, the measure choices start from it too
            # instead of 16,700 table pages. PostgreSQL only: elsewhere the same index
            # without the included column.
            models.Index(fields=["office", "primary_case_worker"], name="participant_office_idx",
                         include=["id"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_year__gte=1900, birth_year__lte=2100),
                name="participant_birth_year_in_range",
            ),
            models.CheckConstraint(
                condition=Q(gender__in=Gender.values), name="participant_gender_valid"
            ),
            models.CheckConstraint(
                condition=Q(language__in=[*Language.values, ""]),
                name="participant_language_valid",
            ),
            models.CheckConstraint(
                condition=Q(national_id="", national_id_country="")
                | (~Q(national_id="") & Q(national_id_country__in=Country.values)),
                name="participant_national_id_has_country",
            ),
            models.CheckConstraint(condition=date_in_range("next_contact_on", nullable=True),
                                   name="participant_next_contact_in_range"),
        ]

    def __str__(self):
        name = f"{self.given_name} {self.family_name}".strip()
        return f"{name} ({self.ref})" if name else self.ref

    def save(self, *args, **kwargs):
        # The lookup hash is an index of the number, kept in step wherever it is saved.
        self.national_id_hash = lookup_hash(self.national_id_country, self.national_id)
        if kwargs.get("update_fields") is not None and "national_id" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "national_id_hash"}
        super().save(*args, **kwargs)

    def spoken_language(self) -> str:
        return self.language or site_language()


class CaseWorkerAssignment(models.Model):
    """One change of primary case worker: continuity is measured, so each change is kept."""

    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="case_worker_assignments",
        verbose_name=_("participant"),
        db_index=False,  # assignment_idx leads with it
    )
    case_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("case worker"),
    )
    assigned_on = models.DateField(_("assigned on"))
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["participant", "assigned_on", "created_at"]
        verbose_name = _("case worker assignment")
        verbose_name_plural = _("case worker assignments")
        indexes = [models.Index(fields=["participant", "assigned_on"], name="assignment_idx")]
        constraints = [
            models.CheckConstraint(
                condition=date_in_range("assigned_on"), name="assignment_date_in_range"
            )
        ]

    def __str__(self):
        return f"{self.participant_id}: {self.case_worker} ({self.assigned_on})"

