"""Registering a participant: the form, identity numbers, duplicates, rights, references.

Identity numbers are made up here from invented dates and serials so that they pass each
country's checks; none is taken from a real person.
"""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from stdnum import luhn
from stdnum.no import fodselsnummer

from participants.identity import normalize_national_id
from participants.models import CaseWorkerAssignment, Participant
from participants.services.registration import (
    PossibleDuplicates,
    next_ref,
    participant_register,
)
from tests import factories

pytestmark = pytest.mark.django_db

REGISTER = reverse("participants:register")
BIRTH = dt.date(1990, 3, 14)


def norwegian(birth: dt.date = BIRTH, *, d_number: bool = False) -> str:
    """A fødselsnummer (or D-number: day + 40) with both check digits right."""
    day = birth.day + (40 if d_number else 0)
    for individual in range(100, 200):
        nine = f"{day:02d}{birth:%m%y}{individual:03d}"
        first = fodselsnummer.calc_check_digit1(nine)
        second = fodselsnummer.calc_check_digit2(nine + first)
        if fodselsnummer.is_valid(nine + first + second):
            return nine + first + second
    raise AssertionError("no individual number gives valid check digits")


def danish(birth: dt.date = BIRTH, serial: int = 1234) -> str:
    return f"{birth:%d%m%y}-{serial:04d}"  # a serial from 0 to 3999 means born in 19xx


def swedish(birth: dt.date = BIRTH, *, samordning: bool = False, serial: int = 123) -> str:
    day = birth.day + (60 if samordning else 0)
    nine = f"{birth:%y%m}{day:02d}{serial:03d}"
    return f"{nine[:6]}-{nine[6:]}{luhn.calc_check_digit(nine)}"


def swedish_long(birth: dt.date = BIRTH, serial: int = 123) -> str:
    return f"{birth.year // 100}{swedish(birth, serial=serial)}"


def samordning_born_on_29_february(century: int) -> str:
    """A twelve-digit samordningsnummer for 29 February of the century's first year: a real
    day in 2000, none in 1900."""
    nine = "000289123"
    return f"{century}{nine[:6]}-{nine[6:]}{luhn.calc_check_digit(nine)}"


def broken_check_digit(number: str) -> str:
    return number[:-1] + str((int(number[-1]) + 1) % 10)


@pytest.fixture
def project():
    return factories.ProjectFactory(code="VVV", name="Vekst")


@pytest.fixture
def data(project, office, case_worker):
    """A valid form submission; override fields by keyword."""

    def data(**overrides):
        values = {
            "given_name": "Kari", "family_name": "Nordmann", "national_id": "",
            "national_id_country": "", "birth_year": "1990", "gender": "female",
            "project": project.pk, "office": office.pk, "primary_case_worker": case_worker.pk,
            "evaluation_consent": "yes", "ref": "",
        }
        values.update(overrides)
        return {key: value for key, value in values.items() if value is not None}

    return data


@pytest.fixture
def register(project, office, case_worker):
    """Call the service with valid arguments; override by keyword."""

    def register(**overrides):
        arguments = {
            "user": case_worker, "given_name": "Kari", "family_name": "Nordmann",
            "birth_year": 1990, "gender": "female", "project": project, "office": office,
            "primary_case_worker": case_worker,
        }
        arguments.update(overrides)
        return participant_register(**arguments)

    return register


def this_years_ref(number: int) -> str:
    return f"P-{timezone.localdate().year}-{number:04d}"


def test_case_worker_registers_a_participant_and_becomes_primary_case_worker(
    log_in, case_worker, office, project, data
):
    response = log_in(case_worker).post(REGISTER, data(immigrant_background="on"))

    participant = Participant.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("participants:detail", kwargs={"pk": participant.pk})
    assert participant.ref == this_years_ref(1)
    assert (participant.given_name, participant.family_name) == ("Kari", "Nordmann")
    assert (participant.birth_year, participant.gender) == (1990, "female")
    assert participant.immigrant_background is True
    assert (participant.office, participant.project) == (office, project)
    assert participant.primary_case_worker == case_worker
    assert participant.evaluation_consent is True
    assignment = CaseWorkerAssignment.objects.get()
    assert (assignment.participant, assignment.case_worker) == (participant, case_worker)
    assert assignment.assigned_by == case_worker
    assert assignment.assigned_on == timezone.localdate()


@pytest.mark.parametrize(("answer", "stored"), [("yes", True), ("no", False),
                                                ("not_asked", None)])
def test_consent_answer_is_stored_as_yes_no_or_not_asked(
    log_in, case_worker, data, answer, stored
):
    log_in(case_worker).post(REGISTER, data(evaluation_consent=answer))

    assert Participant.objects.get().evaluation_consent is stored


@pytest.mark.parametrize("language", ["sv", ""])
def test_the_participants_language_is_stored_or_left_to_the_site(log_in, case_worker, data,
                                                                 language):
    log_in(case_worker).post(REGISTER, data(language=language))

    assert Participant.objects.get().language == language


def test_an_unknown_language_is_refused_and_nothing_is_created(log_in, case_worker, data):
    response = log_in(case_worker).post(REGISTER, data(language="fi"))

    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert not Participant.objects.exists()


def test_registration_form_defaults_to_the_users_office_and_to_the_user(
    log_in, case_worker, office, other_office
):
    response = log_in(case_worker).get(REGISTER)

    form = response.context["form"]
    assert response.status_code == 200
    assert form["office"].initial == office.pk
    assert form["primary_case_worker"].initial == case_worker.pk
    assert list(form.fields["office"].queryset) == [office]
    assert other_office.name not in response.text
    assert 'for="id_given_name"' in response.text


@pytest.mark.parametrize(
    ("make_number", "country", "stored"),
    [
        (norwegian, "NO", norwegian),
        (lambda: norwegian(d_number=True), "NO", lambda: norwegian(d_number=True)),
        (danish, "DK", lambda: danish().replace("-", "")),
        (swedish, "SE", swedish),
        (swedish_long, "SE", swedish_long),
        (lambda: swedish(samordning=True), "SE", lambda: swedish(samordning=True)),
    ],
    ids=["NO", "NO-D-number", "DK", "SE", "SE-12-digits", "SE-samordningsnummer"],
)
def test_valid_identity_numbers_are_stored_compact_and_give_the_birth_year(
    log_in, case_worker, data, make_number, country, stored
):
    response = log_in(case_worker).post(
        REGISTER, data(national_id=make_number(), national_id_country=country, birth_year="")
    )

    assert response.status_code == 302
    participant = Participant.objects.get()
    assert (participant.national_id, participant.national_id_country) == (stored(), country)
    assert participant.birth_year == BIRTH.year


def test_a_twelve_digit_samordningsnummer_is_checked_in_its_own_century():
    number = samordning_born_on_29_february(20)
    assert normalize_national_id(number, "SE") == number


def _invalid_date_norwegian() -> str:
    nine = "310290123"  # 31 February
    first = fodselsnummer.calc_check_digit1(nine)
    return nine + first + fodselsnummer.calc_check_digit2(nine + first)


@pytest.mark.parametrize(
    ("number", "country", "reason"),
    [
        (broken_check_digit(norwegian()), "NO", "check digit"),
        ("1403901234", "NO", "wrong number of digits"),
        (_invalid_date_norwegian(), "NO", "date of birth"),
        ("14039O12345", "NO", "only digits"),
        ("320190-1234", "DK", "date of birth"),
        ("140390-123", "DK", "wrong number of digits"),
        ("14O390-1234", "DK", "only digits"),
        (broken_check_digit(swedish()), "SE", "check digit"),
        (swedish(dt.date(1990, 3, 14)).replace("0314", "0332", 1), "SE", "date of birth"),
        ("900314-12", "SE", "wrong number of digits"),
        (samordning_born_on_29_february(19), "SE", "date of birth in it does not exist"),
        ("010130-4000", "DK", "has not come yet"),  # 1 January 2030 (serial 4000: 20xx)
    ],
)
def test_invalid_identity_number_is_refused_with_its_reason_and_nothing_is_created(
    log_in, case_worker, data, number, country, reason
):
    with pytest.raises(ValidationError) as expected:
        normalize_national_id(number, country)

    response = log_in(case_worker).post(
        REGISTER, data(national_id=number, national_id_country=country)
    )

    assert response.status_code == 200
    assert reason in expected.value.messages[0]
    assert escape(expected.value.messages[0]) in response.text
    assert f'value="{escape(number)}"' in response.text  # the input is kept
    assert not Participant.objects.exists()
    assert not CaseWorkerAssignment.objects.exists()


def test_number_without_its_country_is_refused(log_in, case_worker, data):
    response = log_in(case_worker).post(REGISTER, data(national_id=norwegian()))

    assert response.status_code == 200
    assert "Choose the country that issued the identity number." in response.text
    assert not Participant.objects.exists()


def test_birth_year_that_contradicts_the_number_is_refused(log_in, case_worker, data):
    response = log_in(case_worker).post(
        REGISTER, data(national_id=danish(), national_id_country="DK", birth_year="1991")
    )

    assert response.status_code == 200
    assert "The birth year 1991 does not match the identity number, which gives 1990." in (
        response.text)
    assert not Participant.objects.exists()


def test_birth_year_is_needed_when_there_is_no_number(log_in, case_worker, data):
    response = log_in(case_worker).post(REGISTER, data(birth_year=""))

    assert "Give the birth year, or an identity number to derive it from." in response.text
    assert not Participant.objects.exists()


def test_known_number_is_refused_naming_the_participant_the_user_may_see(
    log_in, case_worker, office, data
):
    factories.ParticipantFactory(ref="P-KNOWN", office=office, national_id=norwegian(),
                                 national_id_country="NO")

    response = log_in(case_worker).post(
        REGISTER, data(national_id=norwegian(), national_id_country="NO", given_name="Other")
    )

    assert response.status_code == 200
    assert "A participant with this identity number is already registered: P-KNOWN." in (
        response.text)
    assert Participant.objects.count() == 1


def test_known_number_in_another_office_is_refused_without_saying_where(
    log_in, case_worker, other_office, data
):
    factories.ParticipantFactory(ref="P-HIDDEN", office=other_office,
                                 national_id=normalize_national_id(danish(), "DK"),
                                 national_id_country="DK")

    response = log_in(case_worker).post(
        REGISTER, data(national_id=danish(), national_id_country="DK")
    )

    assert response.status_code == 200
    assert "This person is already registered." in response.text
    assert "P-HIDDEN" not in response.text
    assert other_office.name not in response.text
    assert Participant.objects.count() == 1


def test_same_swedish_number_is_recognised_in_its_ten_and_twelve_digit_forms(
    register, office
):
    factories.ParticipantFactory(ref="P-SE", office=office,
                                 national_id=normalize_national_id(swedish_long(), "SE"),
                                 national_id_country="SE")

    with pytest.raises(ValidationError) as refused:
        register(national_id=swedish(), national_id_country="SE", birth_year=None)

    assert "P-SE" in refused.value.message_dict["national_id"][0]


def test_same_digits_from_another_country_are_no_duplicate(register, office):
    nine = "120312400"  # 12 March 2012 read as Danish DDMMYY and as Swedish YYMMDD
    digits = nine + str(luhn.calc_check_digit(nine))
    factories.ParticipantFactory(office=office, national_id=digits, national_id_country="DK")

    participant = register(national_id=digits, national_id_country="SE", birth_year=None)

    assert (participant.national_id_country, participant.birth_year) == ("SE", 2012)


def test_same_name_and_birth_year_warns_and_registers_only_with_register_anyway(
    log_in, case_worker, office, data
):
    factories.ParticipantFactory(ref="P-TWIN", office=office, given_name="Åse",
                                 family_name="Østby", birth_year=1990)
    client = log_in(case_worker)

    warned = client.post(REGISTER, data(given_name="åse", family_name="ØSTBY"))

    assert warned.status_code == 200
    assert 'id="possible-duplicates"' in warned.text
    assert "P-TWIN" in warned.text
    assert 'name="register_anyway"' in warned.text
    assert Participant.objects.count() == 1

    confirmed = client.post(
        REGISTER, data(given_name="åse", family_name="ØSTBY", register_anyway="on")
    )

    assert confirmed.status_code == 302
    assert Participant.objects.count() == 2


def test_same_name_with_another_birth_year_is_no_duplicate(log_in, case_worker, office, data):
    factories.ParticipantFactory(office=office, given_name="Kari", family_name="Nordmann",
                                 birth_year=1991)

    response = log_in(case_worker).post(REGISTER, data())

    assert response.status_code == 302
    assert Participant.objects.count() == 2


def test_possible_duplicates_the_user_may_not_see_are_not_revealed(
    register, other_office
):
    factories.ParticipantFactory(ref="P-ELSEWHERE", office=other_office, given_name="Kari",
                                 family_name="Nordmann", birth_year=1990)

    participant = register()

    assert participant.pk is not None


def test_service_lists_the_visible_possible_duplicates(register, office):
    twin = factories.ParticipantFactory(office=office, given_name="Kari",
                                        family_name="Nordmann", birth_year=1990)

    with pytest.raises(PossibleDuplicates) as warned:
        register()

    assert warned.value.participants == [twin]
    assert register(register_anyway=True).pk is not None


@pytest.mark.parametrize("persona", ["provider_staff", "project_lead"])
def test_provider_staff_and_project_leads_cannot_register(
    request, log_in, data, register, persona
):
    user = request.getfixturevalue(persona)
    client = log_in(user)

    assert client.get(REGISTER).status_code == 403
    assert client.post(REGISTER, data()).status_code == 403
    with pytest.raises(PermissionDenied):
        register(user=user)
    assert not Participant.objects.exists()


def test_case_worker_cannot_register_into_another_office(
    log_in, case_worker, other_office, other_office_case_worker, data, register
):
    response = log_in(case_worker).post(
        REGISTER, data(office=other_office.pk, primary_case_worker=other_office_case_worker.pk)
    )

    assert response.status_code == 200
    assert "Select a valid choice." in response.text
    with pytest.raises(PermissionDenied):
        register(office=other_office, primary_case_worker=other_office_case_worker)
    assert not Participant.objects.exists()


def test_administrator_registers_into_any_office(
    log_in, administrator, other_office, other_office_case_worker, data
):
    response = log_in(administrator).post(
        REGISTER, data(office=other_office.pk, primary_case_worker=other_office_case_worker.pk)
    )

    assert response.status_code == 302
    participant = Participant.objects.get()
    assert participant.office == other_office
    assert CaseWorkerAssignment.objects.get().assigned_by == administrator


def test_primary_case_worker_must_work_in_the_participants_office(
    register, other_office_case_worker, provider_staff
):
    for someone in (other_office_case_worker, provider_staff):
        with pytest.raises(ValidationError) as refused:
            register(primary_case_worker=someone)
        assert "primary_case_worker" in refused.value.message_dict
    assert not Participant.objects.exists()


def test_generated_references_are_unique_and_count_up(register, office):
    factories.ParticipantFactory(ref=this_years_ref(7), office=office)
    factories.ParticipantFactory(ref=f"{this_years_ref(9)}-X", office=office)  # not a match

    first = register(given_name="Ane")
    second = register(given_name="Bo")

    assert (first.ref, second.ref) == (this_years_ref(8), this_years_ref(9))


def test_reference_sequence_passes_four_digits():
    year = timezone.localdate().year
    factories.ParticipantFactory(ref=f"P-{year}-9999")
    factories.ParticipantFactory(ref=f"P-{year}-10000")

    assert next_ref() == f"P-{year}-10001"


def test_reference_given_by_the_user_is_kept_and_must_be_unique(log_in, case_worker, data):
    factories.ParticipantFactory(ref="LADE-17")
    client = log_in(case_worker)

    taken = client.post(REGISTER, data(ref="LADE-17"))
    kept = client.post(REGISTER, data(ref="LADE-18"))

    assert taken.status_code == 200
    assert "This reference is taken" in taken.text
    assert kept.status_code == 302
    assert Participant.objects.filter(ref="LADE-18").exists()


def test_htmx_post_with_errors_returns_the_form_with_status_200(log_in, case_worker, data):
    response = log_in(case_worker).post(
        REGISTER, data(given_name="Kari", family_name=""), headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert "<html" not in response.text
    assert '<form id="register-form"' in response.text
    assert 'value="Kari"' in response.text
    assert "This field is required." in response.text
    assert not Participant.objects.exists()


def test_htmx_post_that_registers_redirects_the_browser(log_in, case_worker, data):
    response = log_in(case_worker).post(REGISTER, data(), headers={"HX-Request": "true"})

    participant = Participant.objects.get()
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("participants:detail", args=[participant.pk])
