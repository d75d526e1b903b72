"""The employer pages, the quick job development form, the team view's weekly table, and the
employer choice on the participant page's forms."""

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from participants.models import (
    AccessKind,
    AccessLogEntry,
    Channel,
    Employer,
    FollowUp,
    JobDevelopmentContact,
    OutcomeKind,
    OutcomeSpell,
)
from rehab.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db

NUMBER = factories.norwegian_organisation_number(1234)


@pytest.fixture
def employer(office):
    return factories.EmployerFactory(name="Lade Bakeri AS", registered_by_office=office)


@pytest.fixture
def team_lead(office):
    return factories.CaseWorkerFactory(username="team_lead", staff_profile__office=office,
                                       roles=[Role.CASE_WORKER, Role.TEAM_LEAD])


def url(name, *args):
    return reverse(f"participants:{name}", args=args)


# The list


def test_case_worker_finds_an_employer_by_name(log_in, case_worker, employer):
    factories.EmployerFactory(name="Sentrum Kafé")

    response = log_in(case_worker).get(url("employer_list"), {"q": "bakeri"})

    assert response.status_code == 200
    assert "Lade Bakeri AS" in response.text
    assert "Sentrum Kafé" not in response.text
    assert 'id="employer-results"' in response.text


def test_search_with_htmx_answers_with_the_results_region_only(log_in, case_worker, employer):
    response = log_in(case_worker).get(url("employer_list"), {"q": employer.organisation_number},
                                       HTTP_HX_REQUEST="true")

    assert response.text.lstrip().startswith("<section id=\"employer-results\"")
    assert "Lade Bakeri AS" in response.text


def test_the_list_pages_through_the_register(log_in, case_worker):
    for n in range(30):
        factories.EmployerFactory(name=f"Bedrift {n:02d}")

    first = log_in(case_worker).get(url("employer_list"))
    second = log_in(case_worker).get(url("employer_list"), {"page": 2})

    assert "Bedrift 24" in first.text and "Bedrift 25" not in first.text
    assert "Bedrift 25" in second.text and "Page 2 of 2" in second.text


def test_the_navigation_links_case_workers_to_the_employers(log_in, case_worker):
    response = log_in(case_worker).get(url("caseload"))

    assert f'href="{url("employer_list")}"' in response.text


def test_provider_staff_are_refused_the_employer_pages(log_in, provider_staff, employer):
    client = log_in(provider_staff)

    assert client.get(url("employer_list")).status_code == 403
    assert client.get(url("employer_detail", employer.pk)).status_code == 404
    assert client.get(url("job_development_contacts", employer.pk)).status_code == 404
    assert f'href="{url("employer_list")}"' not in client.get(url("home"), follow=True).text


def test_anonymous_visitors_are_sent_to_sign_in(client, employer):
    for address in (url("employer_list"), url("employer_detail", employer.pk),
                    url("employer_create"), url("job_development_weeks")):
        response = client.get(address)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


# Registering and changing


def employer_data(**fields):
    data = {"employer-name": "Malvik Maskin AS", "employer-country": "NO",
            "employer-organisation_number": f"{NUMBER[:3]} {NUMBER[3:6]} {NUMBER[6:]}",
            "employer-municipality": "Malvik", "employer-contact_name": "Ola Hansen",
            "employer-contact_phone": "+47 900 00 000",
            "employer-contact_email": "ola@example.org"}
    return data | {f"employer-{key}": value for key, value in fields.items()}


def test_case_worker_registers_an_employer(log_in, case_worker, office):
    response = log_in(case_worker).post(url("employer_create"), employer_data())

    employer = Employer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("employer_detail", employer.pk)
    assert employer.organisation_number == NUMBER
    assert employer.registered_by_office == office
    assert employer.contact_email == "ola@example.org"


def test_registration_by_htmx_redirects_the_page(log_in, case_worker):
    response = log_in(case_worker).post(url("employer_create"), employer_data(),
                                        HTTP_HX_REQUEST="true")

    assert response["HX-Redirect"] == url("employer_detail", Employer.objects.get().pk)


def test_wrong_organisation_number_comes_back_with_the_reason_and_saves_nothing(log_in,
                                                                                 case_worker):
    wrong = NUMBER[:-1] + str((int(NUMBER[-1]) + 1) % 10)

    response = log_in(case_worker).post(
        url("employer_create"), employer_data(organisation_number=wrong), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert ("Not a valid Norwegian organisation number (9 digits): the check digit does not "
            "match.") in response.text
    assert "Malvik Maskin AS" in response.text  # the input is kept
    assert not Employer.objects.exists()


def test_a_danish_number_is_checked_as_a_cvr_number(log_in, case_worker):
    response = log_in(case_worker).post(url("employer_create"),
                                        employer_data(country="DK", organisation_number=NUMBER))

    assert response.status_code == 200
    assert "Not a valid Danish CVR number (8 digits)" in response.text
    assert not Employer.objects.exists()


def test_a_number_already_registered_is_shown_at_the_number(log_in, case_worker, employer):
    response = log_in(case_worker).post(
        url("employer_create"), employer_data(organisation_number=employer.organisation_number))

    assert response.status_code == 200
    assert response.context["form"].errors["organisation_number"] == [
        "This organisation number is already registered, for Lade Bakeri AS."]
    assert Employer.objects.count() == 1


@pytest.mark.parametrize("number", [True, False])
def test_the_same_registration_sent_twice_is_one_employer(log_in, case_worker, number):
    """A double click on Register (or the form sent again from the browser's history): the
    second send leads to the employer the first one registered. It made a second, identical
    employer in the shared register when no number was given, and said the number was
    already registered when one was, after the first had registered it."""
    data = employer_data() if number else employer_data(organisation_number="")
    client = log_in(case_worker)

    first = client.post(url("employer_create"), data)
    second = client.post(url("employer_create"), data)

    employer = Employer.objects.get()
    assert first["Location"] == second["Location"] == url("employer_detail", employer.pk)


def test_an_employer_that_differs_is_registered_beside_a_namesake(log_in, case_worker):
    client = log_in(case_worker)
    client.post(url("employer_create"), employer_data(organisation_number=""))
    response = client.post(url("employer_create"), employer_data(
        organisation_number="", municipality="Stjørdal"))
    assert response.status_code == 302
    assert Employer.objects.count() == 2


def test_a_different_registration_of_a_registered_number_is_still_refused(log_in,
                                                                          case_worker):
    client = log_in(case_worker)
    client.post(url("employer_create"), employer_data())
    response = client.post(url("employer_create"), employer_data(name="Malvik Mek AS"))
    assert response.status_code == 200
    assert response.context["form"].errors["organisation_number"] == [
        "This organisation number is already registered, for Malvik Maskin AS."]
    assert Employer.objects.count() == 1


def test_project_lead_cannot_register_nor_change_employers(log_in, project_lead, employer):
    client = log_in(project_lead)

    assert client.get(url("employer_create")).status_code == 403
    assert client.post(url("employer_create"), employer_data()).status_code == 403
    assert client.get(url("employer_edit", employer.pk)).status_code == 404
    assert Employer.objects.count() == 1


def test_case_worker_of_another_office_changes_the_shared_record(
    log_in, other_office_case_worker, employer
):
    response = log_in(other_office_case_worker).post(url("employer_edit", employer.pk), {
        **employer_data(name="Lade Bakeri og Konditori AS"),
        "employer-expected_updated_at": employer.updated_at.isoformat(),
    })

    assert response.status_code == 302
    employer.refresh_from_db()
    assert employer.name == "Lade Bakeri og Konditori AS"
    assert employer.organisation_number == NUMBER


def test_a_change_made_meanwhile_is_not_overwritten(log_in, case_worker, employer):
    seen = employer.updated_at.isoformat()
    Employer.objects.filter(pk=employer.pk).update(
        municipality="Stjørdal", updated_at=timezone.now() + dt.timedelta(seconds=1))

    response = log_in(case_worker).post(url("employer_edit", employer.pk), {
        **employer_data(), "employer-expected_updated_at": seen})

    assert response.status_code == 200
    assert "Someone else changed this" in response.text
    employer.refresh_from_db()
    assert (employer.name, employer.municipality) == ("Lade Bakeri AS", "Stjørdal")


# The employer's page


def test_employer_page_lists_own_office_participants_but_never_another_offices(
    log_in, case_worker, office, other_office, employer
):
    own = factories.ParticipantFactory(office=office, given_name="Ingrid", family_name="Dahl")
    elsewhere = factories.ParticipantFactory(office=other_office, given_name="Hemmelig",
                                             family_name="Person")
    factories.OutcomeSpellFactory(participant=own, employer=employer, ended_on=None)
    factories.OutcomeSpellFactory(participant=elsewhere, employer=employer, ended_on=None)
    factories.FollowUpFactory(participant=elsewhere, employer=employer, note="Hemmelig notat")

    response = log_in(case_worker).get(url("employer_detail", employer.pk))

    assert response.status_code == 200
    assert "Ingrid Dahl" in response.text
    assert "Hemmelig" not in response.text
    assert elsewhere.ref not in response.text


def test_reading_the_employer_page_is_in_the_access_log_for_each_participant_shown(
    log_in, case_worker, office, other_office, employer
):
    placed = factories.ParticipantFactory(office=office)
    followed = factories.ParticipantFactory(office=office)
    elsewhere = factories.ParticipantFactory(office=other_office)
    factories.OutcomeSpellFactory(participant=placed, employer=employer)
    factories.FollowUpFactory(participant=followed, employer=employer)
    factories.OutcomeSpellFactory(participant=elsewhere, employer=employer)

    log_in(case_worker).get(url("employer_detail", employer.pk), REMOTE_ADDR="10.1.2.3")

    entries = AccessLogEntry.objects.filter(what=AccessKind.EMPLOYER)
    assert {entry.participant_id for entry in entries} == {placed.pk, followed.pk}
    assert {(e.user_id, e.address, e.detail) for e in entries} == {
        (case_worker.pk, "10.1.2.3", url("employer_detail", employer.pk))}


def test_an_employer_page_without_participants_records_no_read(log_in, case_worker, employer):
    log_in(case_worker).get(url("employer_detail", employer.pk))

    assert not AccessLogEntry.objects.exists()


def test_employer_page_shows_the_contact_person_and_the_contacts(log_in, case_worker, employer):
    factories.JobDevelopmentContactFactory(employer=employer, case_worker=case_worker,
                                           note="Spurte om sommerjobber")

    response = log_in(case_worker).get(url("employer_detail", employer.pk))

    assert employer.contact_name in response.text
    assert "Spurte om sommerjobber" in response.text
    assert 'id="job-development-form"' in response.text


def test_project_lead_reads_the_employer_page_without_forms(log_in, project_lead, employer):
    response = log_in(project_lead).get(url("employer_detail", employer.pk))

    assert response.status_code == 200
    assert 'id="job-development-form"' not in response.text
    assert url("employer_edit", employer.pk) not in response.text


def test_unknown_employer_is_a_404(log_in, case_worker):
    assert log_in(case_worker).get(url("employer_detail", 999999)).status_code == 404


# Job development contacts


def contact_data(**fields):
    data = {"job-development-occurred_on": timezone.localdate().isoformat(),
            "job-development-channel": Channel.PHONE,
            "job-development-note": "Ringte daglig leder om praksisplass"}
    return data | {f"job-development-{key}": value for key, value in fields.items()}


def test_case_worker_logs_a_contact_in_one_step(log_in, case_worker, employer):
    response = log_in(case_worker).post(url("job_development_contact_create", employer.pk),
                                        contact_data(), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert response["HX-Trigger"] == "job-development-logged"
    assert "Contact logged." in response.text
    contact = JobDevelopmentContact.objects.get()
    assert (contact.employer, contact.case_worker) == (employer, case_worker)
    assert "Ringte daglig leder" not in response.text  # a blank form for the next one


def test_the_quick_form_starts_with_today_and_the_channel_used_last(log_in, case_worker,
                                                                     employer):
    factories.JobDevelopmentContactFactory(case_worker=case_worker, channel=Channel.VIDEO)
    factories.JobDevelopmentContactFactory(channel=Channel.MEETING)  # someone else's

    response = log_in(case_worker).get(url("employer_detail", employer.pk))

    assert response.context["contact_form"].initial == {
        "occurred_on": timezone.localdate(), "channel": Channel.VIDEO}


def test_contact_in_the_future_comes_back_with_the_error(log_in, case_worker, employer):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    response = log_in(case_worker).post(url("job_development_contact_create", employer.pk),
                                        contact_data(occurred_on=tomorrow.isoformat()))

    assert response.status_code == 200
    assert "HX-Trigger" not in response
    assert "The date cannot be in the future." in response.text
    assert "Ringte daglig leder" in response.text
    assert not JobDevelopmentContact.objects.exists()


@pytest.mark.parametrize(("persona", "status"), [("project_lead", 403),
                                                 ("provider_staff", 404)])
def test_only_case_workers_log_contacts(request, log_in, employer, persona, status):
    response = log_in(request.getfixturevalue(persona)).post(
        url("job_development_contact_create", employer.pk), contact_data())

    assert response.status_code == status
    assert not JobDevelopmentContact.objects.exists()


def test_a_long_contact_list_says_it_shows_the_latest_only(log_in, case_worker, employer):
    """Like the placements and the follow-ups beside it, the list says when it shows only
    the latest contacts; it stopped at 50 without a word."""
    from participants import employer_selectors
    factories.JobDevelopmentContactFactory.create_batch(
        employer_selectors.CONTACTS_SHOWN + 1, employer=employer, case_worker=case_worker)
    client = log_in(case_worker)

    for page in (client.get(url("employer_detail", employer.pk)),
                 client.get(url("job_development_contacts", employer.pk))):
        region = page.text.split('id="job-development-contacts"')[1].split("</section>")[0]
        assert region.count("<li") == employer_selectors.CONTACTS_SHOWN
        assert "The latest 50 of 51." in region


def test_a_short_contact_list_says_nothing_of_more(log_in, case_worker, employer):
    factories.JobDevelopmentContactFactory(employer=employer, case_worker=case_worker)
    page = log_in(case_worker).get(url("job_development_contacts", employer.pk))
    assert "The latest" not in page.text


def test_contact_list_region_reloads_on_its_own(log_in, case_worker, employer):
    factories.JobDevelopmentContactFactory(employer=employer, note="Første kontakt")

    response = log_in(case_worker).get(url("job_development_contacts", employer.pk))

    assert response.text.lstrip().startswith('<section id="job-development-contacts"')
    assert "Første kontakt" in response.text


def test_case_worker_changes_their_own_contact(log_in, case_worker, employer):
    contact = factories.JobDevelopmentContactFactory(employer=employer, case_worker=case_worker)

    response = log_in(case_worker).post(url("job_development_contact_edit", contact.pk), {
        **contact_data(channel=Channel.MEETING, note="Møte på lageret"),
        "job-development-expected_updated_at": contact.updated_at.isoformat()})

    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.channel, contact.note) == (Channel.MEETING, "Møte på lageret")


def test_only_own_contacts_offer_a_change_link(log_in, case_worker, employer):
    own = factories.JobDevelopmentContactFactory(employer=employer, case_worker=case_worker)
    colleagues = factories.JobDevelopmentContactFactory(employer=employer)

    response = log_in(case_worker).get(url("employer_detail", employer.pk))

    assert url("job_development_contact_edit", own.pk) in response.text
    assert url("job_development_contact_edit", colleagues.pk) not in response.text


def test_a_colleagues_contact_cannot_be_changed(log_in, case_worker, office, employer):
    colleague = factories.CaseWorkerFactory(staff_profile__office=office)
    contact = factories.JobDevelopmentContactFactory(employer=employer, case_worker=colleague)

    response = log_in(case_worker).post(url("job_development_contact_edit", contact.pk), {
        **contact_data(), "job-development-expected_updated_at": contact.updated_at.isoformat()})

    assert response.status_code == 404
    contact.refresh_from_db()
    assert contact.channel == Channel.PHONE
    assert contact.note != "Ringte daglig leder om praksisplass"


def test_team_lead_changes_a_contact_of_their_office(log_in, team_lead, case_worker, employer):
    contact = factories.JobDevelopmentContactFactory(employer=employer, case_worker=case_worker)

    page = log_in(team_lead).get(url("job_development_contact_edit", contact.pk))
    response = log_in(team_lead).post(url("job_development_contact_edit", contact.pk), {
        **contact_data(channel=Channel.VIDEO),
        "job-development-expected_updated_at": contact.updated_at.isoformat()})

    assert page.status_code == 200
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.channel == Channel.VIDEO
    assert contact.case_worker == case_worker  # still the case worker's contact


# The team view


def test_team_view_loads_the_weekly_table(log_in, case_worker):
    response = log_in(case_worker).get(url("team"))

    assert f'hx-get="{url("job_development_weeks")}"' in response.text


def test_my_caseload_has_no_weekly_table(log_in, case_worker):
    response = log_in(case_worker).get(url("caseload"))

    assert url("job_development_weeks") not in response.text


def test_weekly_table_shows_each_case_worker_of_the_office_with_zeros(log_in, case_worker,
                                                                       office, other_office):
    factories.CaseWorkerFactory(staff_profile__office=office, first_name="Åse",
                                last_name="Lie")
    factories.CaseWorkerFactory(staff_profile__office=other_office, first_name="Fremmed",
                                last_name="Kollega")
    factories.JobDevelopmentContactFactory(case_worker=case_worker,
                                           occurred_on=timezone.localdate())

    response = log_in(case_worker).get(url("job_development_weeks"))

    assert response.status_code == 200
    assert "Åse Lie" in response.text
    assert "Fremmed" not in response.text
    rows = {row.case_worker.username: row.counts for row in response.context["table"].rows}
    assert rows[case_worker.username] == [0, 0, 0, 0, 0, 0, 0, 1]
    assert len(response.context["table"].weeks) == 8
    assert response.text.count('<td class="num">0</td>') >= 7 + 8


@pytest.mark.parametrize("persona", ["project_lead", "provider_staff", "administrator"])
def test_weekly_table_is_for_case_workers(request, log_in, persona):
    response = log_in(request.getfixturevalue(persona)).get(url("job_development_weeks"))

    assert response.status_code == 403


# The participant page's forms


@pytest.fixture
def participant(office):
    return factories.ParticipantFactory(office=office)


def test_participant_page_offers_the_register_through_a_search(log_in, case_worker,
                                                               participant, employer):
    response = log_in(case_worker).get(url("detail", participant.pk))

    assert response.context["outcome_form"].fields["employer"].queryset.get() == employer
    assert response.context["follow_up_form"].fields["employer"].queryset.get() == employer
    # The register is searched, not listed: a national register would not fit a page.
    assert "Lade Bakeri AS" not in response.text
    assert response.text.count(f'hx-get="{url("employer_choices")}"') == 2


def test_employer_search_finds_by_name_or_number_and_chooses_a_single_match(
    log_in, case_worker, employer
):
    factories.EmployerFactory(name="Lade Sykkel AS")
    client = log_in(case_worker)

    by_name = client.get(url("employer_choices"), {"q": "bakeri"}).text
    by_number = client.get(url("employer_choices"),
                           {"q": employer.organisation_number}).text
    both = client.get(url("employer_choices"), {"q": "lade"}).text

    assert f'<option value="{employer.pk}" selected>Lade Bakeri AS</option>' in by_name
    assert f'<option value="{employer.pk}" selected>Lade Bakeri AS</option>' in by_number
    assert "Lade Bakeri AS" in both and "Lade Sykkel AS" in both
    assert '<option value="" selected>Not in the register</option>' in both


def test_employer_search_shows_twenty_and_says_when_more_match(log_in, case_worker):
    for n in range(21):
        factories.EmployerFactory(name=f"Verksted {n:02d} AS")

    text = log_in(case_worker).get(url("employer_choices"), {"q": "verksted"}).text

    assert text.count("Verksted ") == 20 and "Verksted 20 AS" not in text
    assert "More match: type more of the name." in text


def test_employer_search_without_a_match_says_so(log_in, case_worker, employer):
    text = log_in(case_worker).get(url("employer_choices"), {"q": "Ingen slik"}).text

    assert "No employer in the register matches." in text
    assert "Lade Bakeri AS" not in text


def test_a_refused_form_keeps_the_chosen_employer(log_in, case_worker, participant, employer):
    response = log_in(case_worker).post(url("outcome_spell_create", participant.pk), {
        "outcome-kind": OutcomeKind.WORK, "outcome-employer": employer.pk,
    })

    assert not OutcomeSpell.objects.exists()
    assert f'<option value="{employer.pk}" selected>Lade Bakeri AS</option>' in response.text


def test_case_worker_records_a_job_with_a_registered_employer(log_in, case_worker, participant,
                                                              employer):
    response = log_in(case_worker).post(url("outcome_spell_create", participant.pk), {
        "outcome-kind": OutcomeKind.WORK, "outcome-started_on": timezone.localdate().isoformat(),
        "outcome-hours_per_week": "20", "outcome-employer": employer.pk,
    })

    assert response.status_code == 200 and "HX-Trigger" in response
    spell = OutcomeSpell.objects.get()
    assert spell.employer == employer and spell.organisation_name == ""


def test_free_text_employer_stays_possible(log_in, case_worker, participant):
    log_in(case_worker).post(url("outcome_spell_create", participant.pk), {
        "outcome-kind": OutcomeKind.WORK, "outcome-started_on": timezone.localdate().isoformat(),
        "outcome-organisation_name": "Ukjent Verksted",
    })

    spell = OutcomeSpell.objects.get()
    assert (spell.employer, spell.organisation_name) == (None, "Ukjent Verksted")


def test_education_spell_with_an_employer_comes_back_with_the_error(log_in, case_worker,
                                                                    participant, employer):
    response = log_in(case_worker).post(url("outcome_spell_create", participant.pk), {
        "outcome-kind": OutcomeKind.EDUCATION,
        "outcome-started_on": timezone.localdate().isoformat(),
        "outcome-employer": employer.pk,
    })

    assert response.status_code == 200
    assert "An employer is named for work only." in response.text
    assert not OutcomeSpell.objects.exists()


def test_follow_up_names_the_employer(log_in, case_worker, participant, employer):
    log_in(case_worker).post(url("follow_up_create", participant.pk), {
        "follow-up-occurred_on": timezone.localdate().isoformat(),
        "follow-up-channel": Channel.MEETING, "follow-up-employer": employer.pk,
    })

    follow_up = FollowUp.objects.get()
    assert follow_up.employer == employer and follow_up.with_employer


def test_an_unknown_employer_is_refused_by_the_form(log_in, case_worker, participant):
    response = log_in(case_worker).post(url("follow_up_create", participant.pk), {
        "follow-up-occurred_on": timezone.localdate().isoformat(),
        "follow-up-channel": Channel.MEETING, "follow-up-employer": 999999,
    })

    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not FollowUp.objects.exists()


def test_participant_page_names_the_registered_employer_of_an_ongoing_job(
    log_in, case_worker, participant, employer
):
    factories.OutcomeSpellFactory(participant=participant, employer=employer,
                                  organisation_name="", ended_on=None)

    response = log_in(case_worker).get(url("detail", participant.pk))

    ongoing = response.text.split('id="outcome-spells"')[1]
    assert f'<a href="{url("employer_detail", employer.pk)}">Lade Bakeri AS</a>' in ongoing
    timeline = log_in(case_worker).get(url("timeline", participant.pk))
    assert "Lade Bakeri AS" in timeline.text


@pytest.mark.parametrize("search, said", [
    ("bakeri", "1 employer in the register matches."),
    ("lade", "2 employers in the register match."),
    ("Ingen slik", "No employer in the register matches."),
])
def test_employer_search_tells_a_screen_reader_how_many_match(log_in, case_worker, employer,
                                                              search, said):
    """The focus stays in the search field while the list beside it changes: the answer
    says what it found (HX-Trigger "announce", read out by rehab.js's live region)."""
    factories.EmployerFactory(name="Lade Sykkel AS")

    response = log_in(case_worker).get(url("employer_choices"), {"q": search})

    assert json.loads(response["HX-Trigger"]) == {"announce": said}


def test_employer_search_says_when_more_match_than_it_shows(log_in, case_worker):
    for n in range(21):
        factories.EmployerFactory(name=f"Verksted {n:02d} AS")

    response = log_in(case_worker).get(url("employer_choices"), {"q": "verksted"})

    assert json.loads(response["HX-Trigger"]) == {
        "announce": "More match: type more of the name."}
