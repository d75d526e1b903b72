"""Sign-in, the start page, the project list and the language switch."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def test_anonymous_user_is_sent_to_the_login_page(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next=/"


def test_login_page_opens_without_signing_in(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert 'name="password"' in response.text


def test_case_worker_signs_in_and_sees_own_offices_participants_only(
    client, case_worker, office, other_office
):
    factories.ParticipantFactory(ref="P-OWN", office=office, primary_case_worker=case_worker)
    factories.ParticipantFactory(ref="P-OTHER", office=other_office)

    response = client.post(
        reverse("login"),
        {"username": case_worker.username, "password": factories.PASSWORD},
        follow=True,
    )

    assert response.redirect_chain == [
        (reverse("participants:home"), 302),
        (reverse("participants:caseload"), 302),
    ]
    assert "P-OWN" in response.text
    assert "P-OTHER" not in response.text


def test_project_list_partial_shows_projects(log_in, project_lead):
    programme = factories.ProjectFactory(code="VVV-TRD", name="Vekst i Trøndelag")
    factories.ProjectFactory(code="VVV-TRD-LADE", name="Delprosjekt Lade", parent=programme)

    response = log_in(project_lead).get(
        reverse("evaluations:project_list"), headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'id="projects-region"' in response.text
    assert "Vekst i Trøndelag" in response.text
    assert "Delprosjekt Lade" in response.text


def test_language_switch_changes_the_language_of_the_next_page(log_in, case_worker, settings):
    client = log_in(case_worker)
    default = f'<html lang="{settings.LANGUAGE_CODE}">'
    assert default in client.get(reverse("participants:home"), follow=True).text

    response = client.post(reverse("set_language"), {"language": "sv", "next": "/"})

    assert response.status_code == 302
    assert '<html lang="sv">' in client.get(reverse("participants:home"), follow=True).text


def test_home_page_lists_participants_with_and_without_a_primary_case_worker(
    log_in, administrator, case_worker, office
):
    factories.ParticipantFactory(ref="P-MINE", office=office, primary_case_worker=case_worker)
    nobodys = factories.ParticipantFactory(ref="P-NOBODYS", office=office,
                                           primary_case_worker=None)
    client = log_in(administrator)

    response = client.get(reverse("participants:home"))

    assert response.status_code == 200
    assert case_worker.get_full_name() in response.text
    assert "P-NOBODYS" in response.text
    detail = reverse("participants:detail", args=[nobodys.pk])
    assert f'href="{detail}"' in response.text  # each name opens the participant
    assert client.get(detail).status_code == 200
