"""Factories for every model. All data are invented; no real person is ever described.

``national_id`` stays empty by default: a well-formed number could belong to someone real.
Dates are fixed rather than random, so every row satisfies the CHECK constraints.
"""

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.models import TOTPDevice

from evaluations.models import Project
from measures.models import (
    EndReason,
    Enrollment,
    EnrollmentProposal,
    Measure,
    MeasureType,
    ProgressReport,
    ProposalKind,
    Setting,
)
from participants.models import (
    Answer,
    CaseWorkerAssignment,
    Channel,
    FollowUp,
    Gender,
    Goal,
    Instrument,
    InstrumentItem,
    Office,
    OutcomeKind,
    OutcomeSpell,
    Participant,
    Plan,
    PlanReview,
    StaffProfile,
)
from providers.models import Provider, ProviderMembership
from rehab.roles import Role

PASSWORD = "correct-horse-battery-staple"  # every factory user's password
NORWEGIAN = "no_NO"  # Faker's name for Norwegian (Bokmål); it has no "nb_NO"

REFERRED_ON = dt.date(2024, 1, 15)
STARTED_ON = dt.date(2024, 2, 1)
ENDED_ON = dt.date(2024, 6, 28)
WITHDRAWN_ON = dt.date(2024, 1, 29)


class GroupFactory(factory.django.DjangoModelFactory):
    """A role group; participants' migration 0002 creates them, so this usually fetches one."""

    name = factory.Iterator(Role.values)

    class Meta:
        model = Group
        django_get_or_create = ["name"]


def give_roles(user, *roles: str) -> None:
    """Put the user in the groups of these roles."""
    user.groups.add(*(GroupFactory(name=role) for role in roles))
    user.__dict__.pop("_rehab_roles", None)  # roles_of caches the roles on the user


def _roles_hook(*default: str) -> factory.PostGeneration:
    """A ``roles`` declaration: ``roles=[...]`` at the call replaces the factory's default."""

    def roles(user, create, extracted, **kwargs):
        chosen = default if extracted is None else extracted
        if create and chosen:
            give_roles(user, *chosen)

    return factory.PostGeneration(roles)


class UserFactory(factory.django.DjangoModelFactory):
    """A user with no role unless given ``roles=[Role.CASE_WORKER, ...]``."""

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale=NORWEGIAN)
    last_name = factory.Faker("last_name", locale=NORWEGIAN)
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password(PASSWORD)
    roles = _roles_hook()

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True


class OfficeFactory(factory.django.DjangoModelFactory):
    code = factory.Sequence(lambda n: f"office-{n}")
    name = factory.Sequence(lambda n: f"Testkontoret {n}")

    class Meta:
        model = Office


class StaffProfileFactory(factory.django.DjangoModelFactory):
    user = factory.SubFactory(UserFactory)
    office = factory.SubFactory(OfficeFactory)

    class Meta:
        model = StaffProfile


class CaseWorkerFactory(UserFactory):
    """A case worker with a staff profile; set the office with ``staff_profile__office``."""

    roles = _roles_hook(Role.CASE_WORKER)
    staff_profile = factory.RelatedFactory(StaffProfileFactory, factory_related_name="user")


class ProviderFactory(factory.django.DjangoModelFactory):
    code = factory.Sequence(lambda n: f"PRV-{n}")
    name = factory.Faker("company", locale=NORWEGIAN)
    municipality = factory.Faker("city", locale=NORWEGIAN)

    class Meta:
        model = Provider


class ProviderMembershipFactory(factory.django.DjangoModelFactory):
    user = factory.SubFactory(UserFactory)
    provider = factory.SubFactory(ProviderFactory)

    class Meta:
        model = ProviderMembership


class ProviderStaffFactory(UserFactory):
    """Provider staff of one provider; set it with ``membership__provider``."""

    roles = _roles_hook(Role.PROVIDER_STAFF)
    membership = factory.RelatedFactory(ProviderMembershipFactory, factory_related_name="user")


class ProjectFactory(factory.django.DjangoModelFactory):
    code = factory.Sequence(lambda n: f"PRJ-{n}")
    name = factory.Sequence(lambda n: f"Prosjekt {n}")
    starts_on = dt.date(2024, 1, 1)
    ends_on = dt.date(2026, 12, 31)

    class Meta:
        model = Project


class MeasureFactory(factory.django.DjangoModelFactory):
    code = factory.Sequence(lambda n: f"MEA-{n}")
    name = factory.Sequence(lambda n: f"Arbeidstrening {n}")
    measure_type = MeasureType.WORK_TRAINING
    provider = factory.SubFactory(ProviderFactory)
    setting = Setting.ORDINARY_WORKPLACE

    class Meta:
        model = Measure


class ParticipantFactory(factory.django.DjangoModelFactory):
    ref = factory.Sequence(lambda n: f"P-{n:05d}")
    given_name = factory.Faker("first_name", locale=NORWEGIAN)
    family_name = factory.Faker("last_name", locale=NORWEGIAN)
    birth_year = factory.Faker("random_int", min=1960, max=2005)
    gender = factory.Iterator(Gender.values)
    project = factory.SubFactory(ProjectFactory)
    office = factory.SubFactory(OfficeFactory)

    class Meta:
        model = Participant


class CaseWorkerAssignmentFactory(factory.django.DjangoModelFactory):
    participant = factory.SubFactory(ParticipantFactory)
    case_worker = factory.SubFactory(UserFactory)
    assigned_on = REFERRED_ON

    class Meta:
        model = CaseWorkerAssignment


class EnrollmentFactory(factory.django.DjangoModelFactory):
    """Waiting by default; the traits ``active``, ``ended`` and ``withdrawn`` move it on."""

    ref = factory.Sequence(lambda n: f"E-{n:05d}")
    participant = factory.SubFactory(ParticipantFactory)
    measure = factory.SubFactory(MeasureFactory)
    referred_on = REFERRED_ON

    class Meta:
        model = Enrollment

    class Params:
        waiting = factory.Trait(started_on=None, ended_on=None, end_reason="")
        active = factory.Trait(started_on=STARTED_ON)
        ended = factory.Trait(
            started_on=STARTED_ON, ended_on=ENDED_ON, end_reason=EndReason.COMPLETED
        )
        withdrawn = factory.Trait(ended_on=WITHDRAWN_ON, end_reason=EndReason.NOT_STARTED)


class EnrollmentProposalFactory(factory.django.DjangoModelFactory):
    """A pending proposal to start a waiting enrollment."""

    enrollment = factory.SubFactory(EnrollmentFactory)
    kind = ProposalKind.START
    proposed_by = factory.SubFactory(UserFactory)
    started_on = STARTED_ON

    class Meta:
        model = EnrollmentProposal


class ProgressReportFactory(factory.django.DjangoModelFactory):
    enrollment = factory.SubFactory(EnrollmentFactory, active=True)
    written_by = factory.SubFactory(UserFactory)
    period_start = STARTED_ON
    period_end = ENDED_ON
    attendance_percent = 80

    class Meta:
        model = ProgressReport


class FollowUpFactory(factory.django.DjangoModelFactory):
    participant = factory.SubFactory(ParticipantFactory)
    occurred_on = dt.date(2024, 3, 1)
    case_worker = factory.SubFactory(UserFactory)
    channel = Channel.MEETING

    class Meta:
        model = FollowUp


class OutcomeSpellFactory(factory.django.DjangoModelFactory):
    participant = factory.SubFactory(ParticipantFactory)
    kind = OutcomeKind.WORK
    started_on = dt.date(2024, 7, 1)
    organisation_name = factory.Faker("company", locale=NORWEGIAN)

    class Meta:
        model = OutcomeSpell


class PlanFactory(factory.django.DjangoModelFactory):
    participant = factory.SubFactory(ParticipantFactory)

    class Meta:
        model = Plan


class GoalFactory(factory.django.DjangoModelFactory):
    plan = factory.SubFactory(PlanFactory)
    text = factory.Sequence(lambda n: f"Prøve ut arbeidstrening, del {n}")
    target_date = dt.date(2024, 12, 31)

    class Meta:
        model = Goal


class PlanReviewFactory(factory.django.DjangoModelFactory):
    plan = factory.SubFactory(PlanFactory)
    reviewed_on = dt.date(2024, 4, 1)
    reviewed_by = factory.SubFactory(UserFactory)

    class Meta:
        model = PlanReview


class InstrumentFactory(factory.django.DjangoModelFactory):
    code = factory.Sequence(lambda n: f"instrument-{n}")
    name_en = factory.Sequence(lambda n: f"Questionnaire {n}")
    name_nb = factory.Sequence(lambda n: f"Spørreskjema {n}")
    name_da = factory.Sequence(lambda n: f"Spørgeskema {n}")
    name_sv = factory.Sequence(lambda n: f"Frågeformulär {n}")
    low_label_en, low_label_nb, low_label_da, low_label_sv = (
        "Not at all", "Ikke i det hele tatt", "Slet ikke", "Inte alls")
    high_label_en, high_label_nb, high_label_da, high_label_sv = (
        "Very much", "Svært mye", "Rigtig meget", "Väldigt mycket")

    class Meta:
        model = Instrument


class InstrumentItemFactory(factory.django.DjangoModelFactory):
    instrument = factory.SubFactory(InstrumentFactory)
    code = factory.Sequence(lambda n: f"item-{n}")
    position = factory.Sequence(lambda n: n)
    text_en = factory.Sequence(lambda n: f"Question {n}")
    text_nb = factory.Sequence(lambda n: f"Spørsmål {n}")
    text_da = factory.Sequence(lambda n: f"Spørgsmål {n}")
    text_sv = factory.Sequence(lambda n: f"Fråga {n}")

    class Meta:
        model = InstrumentItem


class AnswerFactory(factory.django.DjangoModelFactory):
    participant = factory.SubFactory(ParticipantFactory)
    item = factory.SubFactory(InstrumentItemFactory)
    answered_on = dt.date(2024, 5, 2)
    score = 3

    class Meta:
        model = Answer


class ProblemReportFactory(factory.django.DjangoModelFactory):
    """A system problem report from a case worker; ``answered=True`` adds a lead's answer."""

    reported_by = factory.SubFactory(UserFactory, roles=[Role.CASE_WORKER])
    summary = factory.Sequence(lambda n: f"Oppfølgingen ble ikke lagret (tilfelle {n})")
    suggestion = "Vis en tydelig feilmelding og behold teksten som er skrevet."

    class Meta:
        model = "evaluations.ProblemReport"  # a string keeps the imports above untouched

    class Params:
        answered = factory.Trait(
            status="planned",
            answer="Takk! Dette rettes i neste versjon.",
            answered_by=factory.SubFactory(UserFactory, roles=[Role.PROJECT_LEAD]),
            answered_at=dt.datetime(2024, 9, 2, 10, 0, tzinfo=dt.UTC),
        )


class SnapshotScopeFactory(factory.django.DjangoModelFactory):
    """The snapshot scope of a project; ``project=None, all_projects=True`` for all projects."""

    project = factory.SubFactory(ProjectFactory)
    all_projects = False

    class Meta:
        model = "evaluations.SnapshotScope"
        django_get_or_create = ["project", "all_projects"]


class IndicatorSnapshotFactory(factory.django.DjangoModelFactory):
    """A stored result of one month; the result is a stand-in, not a computed one."""

    project = factory.SubFactory(ProjectFactory)
    period_kind = "month"
    date_from = dt.date(2024, 3, 1)
    date_to = dt.date(2024, 3, 31)
    dimension = ""
    result = factory.LazyAttribute(
        lambda snapshot: {"from": snapshot.date_from.isoformat(),
                          "to": snapshot.date_to.isoformat(),
                          "by": snapshot.dimension or None, "total": {}, "rows": []}
    )
    computed_at = dt.datetime(2024, 4, 1, 2, 30, tzinfo=dt.UTC)

    class Meta:
        model = "evaluations.IndicatorSnapshot"


class SnapshotRunFactory(factory.django.DjangoModelFactory):
    """A finished, successful nightly run; ``failed=True`` for one that failed."""

    scope = factory.SubFactory(SnapshotScopeFactory)
    trigger = "nightly"
    status = "succeeded"
    started_at = dt.datetime(2024, 4, 1, 0, 30, tzinfo=dt.UTC)
    finished_at = dt.datetime(2024, 4, 1, 0, 31, tzinfo=dt.UTC)
    snapshots_written = 369

    class Meta:
        model = "evaluations.SnapshotRun"

    class Params:
        failed = factory.Trait(status="failed", snapshots_written=0,
                               error="Traceback (most recent call last): ...")


class ExportRequestFactory(factory.django.DjangoModelFactory):
    """A queued evaluation report of 2024 (XLSX) for one project; ``done=True`` for one
    whose file is ready."""

    kind = "report"
    file_format = "xlsx"
    project = factory.SubFactory(ProjectFactory)
    date_from = dt.date(2024, 1, 1)
    date_to = dt.date(2024, 12, 31)
    requested_by = factory.SubFactory(UserFactory, roles=[Role.PROJECT_LEAD])
    status = "queued"

    class Meta:
        model = "evaluations.ExportRequest"

    class Params:
        done = factory.Trait(
            status="done", progress=100, file_name="exports/abc/report.xlsx", file_size=1234,
            finished_at=dt.datetime(2024, 4, 1, 12, 0, tzinfo=dt.UTC),
            expires_at=dt.datetime(2024, 4, 2, 12, 0, tzinfo=dt.UTC),
        )


class DataReleaseFactory(factory.django.DjangoModelFactory):
    user = factory.SubFactory(UserFactory, roles=[Role.ADMINISTRATOR])
    operator = factory.LazyAttribute(lambda release: release.user.username)
    channel = "web"
    address = "127.0.0.1"
    kind = "report"
    description = "Evaluation report without suppression: VVV, 2024-01-01 to 2024-12-31"
    parameters = factory.LazyFunction(lambda: {"project": "VVV", "raw": True})

    class Meta:
        model = "evaluations.DataRelease"


class ImportRequestFactory(factory.django.DjangoModelFactory):
    """An uploaded bundle that passed the checks and waits for confirmation."""

    original_name = "bundle.zip"
    file_name = factory.Sequence(lambda n: f"imports/{n:032x}.zip")
    file_size = 4096
    uploaded_by = factory.SubFactory(UserFactory, roles=[Role.ADMINISTRATOR])
    status = "valid"
    rows_total = 1200

    class Meta:
        model = "evaluations.ImportRequest"


class AccessLogEntryFactory(factory.django.DjangoModelFactory):
    user = factory.SubFactory(UserFactory, roles=[Role.CASE_WORKER])
    username = factory.LazyAttribute(lambda entry: entry.user.username)
    participant = factory.SubFactory(ParticipantFactory)
    what = "case_file"
    detail = "/participants/1/"
    address = "10.0.0.1"

    class Meta:
        model = "participants.AccessLogEntry"


def totp_device(user):
    """The user's confirmed authenticator app (django-otp), created once."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def norwegian_organisation_number(n: int) -> str:
    """A well-formed, invented Norwegian organisation number (the nth of a series)."""
    from stdnum.no import orgnr

    for prefix in range(9, 0, -1):
        for check in range(10):
            number = f"{prefix}{n % 10_000_000:07d}{check}"
            if orgnr.is_valid(number):
                return number
    raise AssertionError(n)


class EmployerFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Testbedriften {n} AS")
    country = "NO"
    organisation_number = factory.Sequence(norwegian_organisation_number)
    municipality = "Trondheim"
    contact_name = factory.Faker("name", locale=NORWEGIAN)
    contact_phone = "+47 22 00 00 00"
    contact_email = factory.Sequence(lambda n: f"kontakt{n}@example.org")

    class Meta:
        model = "participants.Employer"


class JobDevelopmentContactFactory(factory.django.DjangoModelFactory):
    employer = factory.SubFactory(EmployerFactory)
    case_worker = factory.SubFactory(UserFactory, roles=[Role.CASE_WORKER])
    occurred_on = dt.date(2024, 3, 1)
    channel = Channel.PHONE
    note = "Asked about openings in the warehouse"

    class Meta:
        model = "participants.JobDevelopmentContact"


class SavedCaseloadFilterFactory(factory.django.DjangoModelFactory):
    user = factory.SubFactory(UserFactory, roles=[Role.CASE_WORKER])
    name = factory.Sequence(lambda n: f"Filter {n}")
    query = "status=active"

    class Meta:
        model = "participants.SavedCaseloadFilter"
