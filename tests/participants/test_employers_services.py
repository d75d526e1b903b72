"""The employer register and job development contacts: services, rights and the database's
own rules (organisation numbers per country, work-only employers on outcome spells)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from stdnum import luhn
from stdnum.dk import cvr

from participants.models import (
    Channel,
    Employer,
    JobDevelopmentContact,
    OutcomeKind,
    OutcomeSpell,
)
from participants.organisation_numbers import normalize_organisation_number
from participants.services import case_file
from participants.services.employers import (
    employer_create,
    employer_update,
    job_development_contact_create,
    job_development_contact_update,
)
from rehab.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db

NORWEGIAN = factories.norwegian_organisation_number(4711)


def danish_cvr(stem: str = "1358562") -> str:
    return next(stem + str(d) for d in range(10) if cvr.is_valid(stem + str(d)))


def swedish_orgnr(stem: str = "556012579") -> str:
    return stem + luhn.calc_check_digit(stem)


@pytest.fixture
def team_lead(office):
    return factories.CaseWorkerFactory(username="team_lead", staff_profile__office=office,
                                       roles=[Role.CASE_WORKER, Role.TEAM_LEAD])


def register(user, **fields):
    fields.setdefault("name", "Lade Bakeri AS")
    fields.setdefault("country", "NO")
    return employer_create(user=user, **fields)


# Organisation numbers, per country


@pytest.mark.parametrize(("country", "typed", "stored"), [
    ("NO", f"{NORWEGIAN[:3]} {NORWEGIAN[3:6]} {NORWEGIAN[6:]}", NORWEGIAN),
    ("DK", f"DK {danish_cvr()}", danish_cvr()),
    ("SE", f"{swedish_orgnr()[:6]}-{swedish_orgnr()[6:]}", swedish_orgnr()),
])
def test_organisation_number_is_stored_in_its_compact_form(case_worker, country, typed, stored):
    employer = register(case_worker, country=country, organisation_number=typed)

    assert Employer.objects.get(pk=employer.pk).organisation_number == stored


@pytest.mark.parametrize(("country", "number", "message"), [
    ("NO", NORWEGIAN[:-1] + str((int(NORWEGIAN[-1]) + 1) % 10),
     "Not a valid Norwegian organisation number (9 digits): the check digit does not match."),
    ("NO", NORWEGIAN[:-1],
     "Not a valid Norwegian organisation number (9 digits): it has the wrong number of "
     "digits."),
    ("NO", "97476067X",
     "Not a valid Norwegian organisation number (9 digits): it may contain only digits, "
     "spaces and a hyphen."),
    ("DK", danish_cvr()[:-1] + str((int(danish_cvr()[-1]) + 1) % 10),
     "Not a valid Danish CVR number (8 digits): the check digit does not match."),
    ("DK", "1234567",
     "Not a valid Danish CVR number (8 digits): it has the wrong number of digits."),
    ("SE", swedish_orgnr()[:-1] + str((int(swedish_orgnr()[-1]) + 1) % 10),
     "Not a valid Swedish organisation number (10 digits): the check digit does not match."),
    # A Norwegian number is no Swedish one.
    ("SE", NORWEGIAN,
     "Not a valid Swedish organisation number (10 digits): it has the wrong number of "
     "digits."),
])
def test_invalid_organisation_number_is_refused_with_the_reason(case_worker, country, number,
                                                                message):
    with pytest.raises(ValidationError) as refused:
        register(case_worker, country=country, organisation_number=number)

    assert refused.value.messages == [message]
    assert not Employer.objects.exists()


def test_the_reason_goes_through_the_translation_catalogue(monkeypatch):
    monkeypatch.setattr("participants.organisation_numbers._", lambda text: f"«{text}»")

    with pytest.raises(ValidationError) as refused:
        normalize_organisation_number("123", "NO")

    assert refused.value.messages == [
        "«Not a valid «Norwegian organisation number (9 digits)»: it has the wrong number of "
        "digits.»"]


def test_an_employer_without_organisation_number_is_allowed_many_times(case_worker):
    register(case_worker, name="Kafé A")
    register(case_worker, name="Kafé B")

    assert Employer.objects.filter(organisation_number="").count() == 2


def test_the_same_organisation_number_is_refused_twice_in_one_country(case_worker,
                                                                      other_office_case_worker):
    register(case_worker, name="Lade Bakeri AS", organisation_number=NORWEGIAN)

    with pytest.raises(ValidationError) as refused:
        register(other_office_case_worker, name="Lade bakeri", organisation_number=NORWEGIAN)

    assert refused.value.messages == [
        "This organisation number is already registered, for Lade Bakeri AS."]
    assert Employer.objects.count() == 1


def test_employer_remembers_the_office_that_registered_it(case_worker, office):
    employer = register(case_worker, contact_name=" Kari Nordmann ",
                        contact_email="kari@example.org")

    assert employer.registered_by_office == office
    assert employer.contact_name == "Kari Nordmann"


def test_employer_needs_a_name(case_worker):
    with pytest.raises(ValidationError, match="Write the employer's name."):
        register(case_worker, name="   ")


@pytest.mark.parametrize("persona", ["provider_staff", "project_lead"])
def test_only_case_workers_and_administrators_register_employers(request, persona):
    user = request.getfixturevalue(persona)

    with pytest.raises(PermissionDenied):
        register(user)

    assert not Employer.objects.exists()


def test_administrator_without_office_registers_an_employer(administrator):
    assert register(administrator).registered_by_office is None


def test_employer_update_changes_the_record_and_keeps_the_history(case_worker,
                                                                   other_office_case_worker):
    employer = register(case_worker, municipality="Trondheim")

    employer_update(employer=employer, user=other_office_case_worker,
                    expected_updated_at=employer.updated_at, name="Lade Bakeri AS",
                    country="NO", municipality="Malvik", contact_phone="73 00 00 00")

    employer.refresh_from_db()
    assert employer.municipality == "Malvik"
    assert employer.contact_phone == "73 00 00 00"
    assert [h.municipality for h in employer.history.order_by("history_date")] == [
        "Trondheim", "Malvik"]


def test_employer_update_refuses_a_stale_version(case_worker):
    employer = register(case_worker)
    seen = employer.updated_at
    employer_update(employer=employer, user=case_worker, expected_updated_at=seen,
                    name="Nytt navn", country="NO")

    with pytest.raises(ValidationError, match="Someone else changed this"):
        employer_update(employer=employer, user=case_worker, expected_updated_at=seen,
                        name="Mitt navn", country="NO")

    assert Employer.objects.get().name == "Nytt navn"


def test_employer_update_cannot_take_another_employers_number(case_worker):
    register(case_worker, name="Først", organisation_number=NORWEGIAN)
    second = register(case_worker, name="Andre")

    with pytest.raises(ValidationError, match="already registered, for Først"):
        employer_update(employer=second, user=case_worker,
                        expected_updated_at=second.updated_at, name="Andre", country="NO",
                        organisation_number=NORWEGIAN)


def test_project_lead_cannot_change_an_employer(case_worker, project_lead):
    employer = register(case_worker)

    with pytest.raises(PermissionDenied):
        employer_update(employer=employer, user=project_lead,
                        expected_updated_at=employer.updated_at, name="X", country="NO")


# Job development contacts


def log_contact(user, employer, **fields):
    fields.setdefault("occurred_on", timezone.localdate())
    fields.setdefault("channel", Channel.PHONE)
    return job_development_contact_create(employer=employer, user=user, **fields)


def test_case_worker_logs_a_job_development_contact(case_worker):
    employer = factories.EmployerFactory()

    contact = log_contact(case_worker, employer, note="  Spurte om lagerjobber.  ")

    assert contact.case_worker == case_worker
    assert JobDevelopmentContact.objects.get().note == "Spurte om lagerjobber."


@pytest.mark.parametrize(("fields", "message"), [
    ({"occurred_on": dt.date.today() + dt.timedelta(days=2)}, "The date cannot be in the future."),
    ({"occurred_on": dt.date(1899, 12, 31)}, "Dates must be between 1900 and 2100."),
    ({"channel": "carrier_pigeon"}, "Unknown channel."),
])
def test_job_development_contact_with_bad_input_is_refused(case_worker, fields, message):
    with pytest.raises(ValidationError) as refused:
        log_contact(case_worker, factories.EmployerFactory(), **fields)

    assert refused.value.messages == [message]
    assert not JobDevelopmentContact.objects.exists()


@pytest.mark.parametrize("persona", ["provider_staff", "project_lead", "administrator"])
def test_only_case_workers_log_job_development_contacts(request, persona):
    with pytest.raises(PermissionDenied):
        log_contact(request.getfixturevalue(persona), factories.EmployerFactory())

    assert not JobDevelopmentContact.objects.exists()


def change_contact(contact, user, **fields):
    fields.setdefault("occurred_on", contact.occurred_on)
    fields.setdefault("channel", Channel.MEETING)
    return job_development_contact_update(contact=contact, user=user,
                                          expected_updated_at=contact.updated_at, **fields)


def test_case_worker_changes_their_own_contact(case_worker):
    contact = log_contact(case_worker, factories.EmployerFactory())

    change_contact(contact, case_worker, note="Møte avtalt")

    contact.refresh_from_db()
    assert (contact.channel, contact.note) == (Channel.MEETING, "Møte avtalt")


def test_colleague_cannot_change_a_case_workers_contact(case_worker, office):
    colleague = factories.CaseWorkerFactory(staff_profile__office=office)
    contact = log_contact(case_worker, factories.EmployerFactory())

    with pytest.raises(PermissionDenied):
        change_contact(contact, colleague)

    contact.refresh_from_db()
    assert contact.channel == Channel.PHONE


def test_team_lead_changes_the_contacts_of_their_office(case_worker, team_lead):
    contact = log_contact(case_worker, factories.EmployerFactory())

    change_contact(contact, team_lead)

    contact.refresh_from_db()
    assert contact.channel == Channel.MEETING


def test_team_lead_of_another_office_cannot_change_the_contact(case_worker, other_office):
    other_lead = factories.CaseWorkerFactory(staff_profile__office=other_office,
                                             roles=[Role.CASE_WORKER, Role.TEAM_LEAD])
    contact = log_contact(case_worker, factories.EmployerFactory())

    with pytest.raises(PermissionDenied):
        change_contact(contact, other_lead)


def test_contact_change_refuses_a_stale_version(case_worker):
    contact = log_contact(case_worker, factories.EmployerFactory())
    stale = contact.updated_at
    change_contact(contact, case_worker)

    with pytest.raises(ValidationError, match="Someone else changed this"):
        job_development_contact_update(contact=contact, user=case_worker,
                                       expected_updated_at=stale, occurred_on=contact.occurred_on,
                                       channel=Channel.VIDEO)


# Work spells and follow-ups that name the employer


@pytest.fixture
def participant(office):
    return factories.ParticipantFactory(office=office)


def test_work_spell_names_the_employer(case_worker, participant):
    employer = factories.EmployerFactory()

    spell = case_file.outcome_spell_create(
        participant=participant, user=case_worker, kind=OutcomeKind.WORK,
        started_on=timezone.localdate(), employer=employer)

    assert OutcomeSpell.objects.get(pk=spell.pk).employer == employer


def test_education_spell_cannot_name_an_employer(case_worker, participant):
    with pytest.raises(ValidationError, match="An employer is named for work only."):
        case_file.outcome_spell_create(
            participant=participant, user=case_worker, kind=OutcomeKind.EDUCATION,
            started_on=timezone.localdate(), employer=factories.EmployerFactory())

    assert not OutcomeSpell.objects.exists()


def test_follow_up_that_names_the_employer_was_held_with_the_employer(case_worker, participant):
    employer = factories.EmployerFactory()

    follow_up = case_file.follow_up_create(
        participant=participant, user=case_worker, occurred_on=timezone.localdate(),
        channel=Channel.MEETING, employer=employer)

    follow_up.refresh_from_db()
    assert follow_up.employer == employer
    assert follow_up.with_employer


def test_follow_up_without_employer_keeps_with_employer_as_given(case_worker, participant):
    follow_up = case_file.follow_up_create(
        participant=participant, user=case_worker, occurred_on=timezone.localdate(),
        channel=Channel.MEETING, with_employer=True)

    assert follow_up.employer is None and follow_up.with_employer


# The database's own rules


def test_outcome_employer_only_for_work_is_a_database_rule(participant):
    with pytest.raises(IntegrityError, match="outcome_employer_only_for_work"), \
            transaction.atomic():
        OutcomeSpell.objects.create(participant=participant, kind=OutcomeKind.EDUCATION,
                                    started_on=dt.date(2024, 8, 1),
                                    employer=factories.EmployerFactory())


def test_employer_organisation_number_unique_per_country_is_a_database_rule():
    """employer_organisation_number_unique (SQLite names the columns, not the constraint)."""
    factories.EmployerFactory(organisation_number=NORWEGIAN)

    with pytest.raises(IntegrityError, match="employer_organisation_number_unique|"
                                             "participants_employer.country"), \
            transaction.atomic():
        Employer.objects.create(name="Kopi", country="NO", organisation_number=NORWEGIAN)
    # The digits alone in another country, and many without a number, are allowed.
    Employer.objects.create(name="Svensk", country="SE", organisation_number=NORWEGIAN)
    Employer.objects.bulk_create([Employer(name="A", country="NO"),
                                  Employer(name="B", country="NO")])


def test_employer_country_valid_is_a_database_rule():
    with pytest.raises(IntegrityError, match="employer_country_valid"), transaction.atomic():
        Employer.objects.create(name="Tysk", country="DE")


@pytest.mark.parametrize(("fields", "constraint"), [
    ({"occurred_on": dt.date(2101, 1, 1)}, "job_dev_date_in_range"),
    ({"channel": "fax"}, "job_dev_channel_valid"),
])
def test_job_development_contact_rules_are_database_rules(case_worker, fields, constraint):
    values = {"occurred_on": dt.date(2024, 3, 1), "channel": Channel.PHONE, **fields}
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        JobDevelopmentContact.objects.create(employer=factories.EmployerFactory(),
                                             case_worker=case_worker, **values)
