"""Employers and job development (issue 9, support after a job starts).

An ``Employer`` is an organisation, not a person: case workers of every office share one
register of employers, so that two offices do not each keep their own copy of the same
workplace. What the employer page tells about *participants* (who works there, which
follow-ups named it) is case-file data and is shown only from the participants whose case
file the reader may read (``Participant.objects.case_file_visible_to``).

Who sees which employers (``EmployerQuerySet.visible_to``):

- administrators: all;
- case workers (team leads included) of any office: all, and they register and change them
  (every change is kept by django-simple-history);
- project leads: all, read-only (they answer for the follow-up of their projects);
- provider staff and anyone else: none. Provider staff read no work spells nor follow-ups,
  so even the list of employers "linked to their participants" would tell them where a
  participant works.

A ``JobDevelopmentContact`` (IPS practice) is a case worker's contact with an employer that
is about no one participant. Whoever sees the employer sees its contacts; a contact is
changed by the case worker who logged it, a team lead of that case worker's office, or an
administrator (``editable_by``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from rehab.roles import Role, roles_of

from .casework import Channel
from .people import Country, Office, date_in_range, office_id_of

# Roles that read the shared register of employers (and its job development contacts).
EMPLOYER_READERS = frozenset({Role.ADMINISTRATOR, Role.CASE_WORKER, Role.TEAM_LEAD,
                              Role.PROJECT_LEAD})
# Roles that register employers and change them.
EMPLOYER_EDITORS = frozenset({Role.ADMINISTRATOR, Role.CASE_WORKER, Role.TEAM_LEAD})


def may_read_employers(user) -> bool:
    return bool(roles_of(user) & EMPLOYER_READERS)


def may_change_employers(user) -> bool:
    """Registers employers and changes them (the register is shared by every office)."""
    return bool(roles_of(user) & EMPLOYER_EDITORS)


class EmployerQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Employers this user may see: see the module docstring. Fail closed."""
        return self if may_read_employers(user) else self.none()

    def editable_by(self, user):
        return self if may_change_employers(user) else self.none()

    def search(self, text: str):
        """By a part of the name, or by the organisation number with or without spaces."""
        text = text.strip()
        if not text:
            return self
        digits = "".join(ch for ch in text if ch.isdigit())
        condition = Q(name__icontains=text)
        if digits and len(digits) == len(text.replace(" ", "").replace("-", "")):
            condition |= Q(organisation_number__contains=digits)
        return self.filter(condition)


class Employer(models.Model):
    """A workplace where participants work or may work (arbeidsgiver / virksomhed)."""

    name = models.CharField(_("name"), max_length=200)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices,
                               default=Country.NORWAY)
    # Stored in its compact form (digits only), validated for the country by python-stdnum.
    organisation_number = models.CharField(_("organisation number"), max_length=20,
                                           blank=True)
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_phone = models.CharField(_("contact person's phone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("contact person's e-mail"), blank=True)
    registered_by_office = models.ForeignKey(
        Office, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("registered by office"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = EmployerQuerySet.as_manager()
    # Who changed what, when, from what to what (docs/security.md).
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        indexes = [models.Index(fields=["name"], name="employer_name_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(country__in=Country.values),
                                   name="employer_country_valid"),
            # Unique per country when given; many employers may have none recorded.
            models.UniqueConstraint(
                fields=["country", "organisation_number"],
                condition=~Q(organisation_number=""),
                name="employer_organisation_number_unique",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("participants:employer_detail", kwargs={"pk": self.pk})


class JobDevelopmentContactQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Whoever sees the employer sees its job development contacts."""
        return self.filter(employer__in=Employer.objects.visible_to(user))

    def editable_by(self, user):
        """The case worker's own contacts; a team lead's office's; all for administrators."""
        roles = roles_of(user)
        if Role.ADMINISTRATOR in roles:
            return self
        condition = Q(pk__in=[])
        if Role.CASE_WORKER in roles or Role.TEAM_LEAD in roles:
            condition |= Q(case_worker=user)
        office_id = office_id_of(user)
        if Role.TEAM_LEAD in roles and office_id is not None:
            condition |= Q(case_worker__staff_profile__office_id=office_id)
        return self.filter(condition)


class JobDevelopmentContact(models.Model):
    """A contact with an employer that is about no one participant (IPS job development)."""

    employer = models.ForeignKey(Employer, on_delete=models.PROTECT,
                                 related_name="job_development_contacts",
                                 verbose_name=_("employer"))
    case_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
        related_name="job_development_contacts", verbose_name=_("case worker"),
    )
    occurred_on = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    note = models.TextField(
        _("note"), blank=True,
        help_text=_("About the employer, not about a participant: write that in the "
                    "participant's follow-ups."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = JobDevelopmentContactQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-occurred_on", "-created_at"]
        verbose_name = _("job development contact")
        verbose_name_plural = _("job development contacts")
        indexes = [
            models.Index(fields=["employer", "occurred_on"], name="job_dev_employer_idx"),
            models.Index(fields=["case_worker", "occurred_on"], name="job_dev_worker_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=date_in_range("occurred_on"),
                                   name="job_dev_date_in_range"),
            models.CheckConstraint(condition=Q(channel__in=Channel.values),
                                   name="job_dev_channel_valid"),
        ]

    def __str__(self):
        return f"{self.employer_id} {self.occurred_on} {self.get_channel_display()}"
