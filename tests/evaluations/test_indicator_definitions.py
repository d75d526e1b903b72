"""Every figure has a definition page entry, in plain words, reachable by its code."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from evaluations.definition_texts import DEFINITIONS
from evaluations.indicators import INDICATORS

pytestmark = pytest.mark.django_db

URL = reverse("evaluations:indicator_definitions")


def test_every_indicator_has_a_definition_and_nothing_else_does():
    assert set(DEFINITIONS) == {indicator.code for indicator in INDICATORS}


@pytest.mark.parametrize("persona", ["case_worker", "provider_staff", "project_lead",
                                     "administrator"])
def test_every_role_reads_the_definitions_with_an_anchor_per_indicator(
    request, log_in, persona
):
    response = log_in(request.getfixturevalue(persona)).get(URL)

    assert response.status_code == 200
    for indicator in INDICATORS:
        assert f'id="{indicator.code}"' in response.text
    assert "one fixed contact person" in response.text
    assert "the next smallest is hidden too" in response.text


def test_definitions_are_translated(log_in, case_worker):
    client = log_in(case_worker)
    client.cookies["django_language"] = "nb"

    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="nb")

    assert 'lang="nb"' in response.text
    assert "Share of the exit cohort with work in the outcome window." not in response.text


def test_anonymous_users_are_sent_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert reverse("login") in response.url


def test_the_users_documentation_defines_every_indicator():
    text = (Path(settings.BASE_DIR) / "docs" / "indicators.md").read_text(encoding="utf-8")

    for indicator in INDICATORS:
        assert f"| `{indicator.code}` |" in text


def test_the_users_documentation_says_what_the_application_says():
    """docs/indicators.md promises the same text as the definitions page, word for word."""
    from django.utils import translation

    from evaluations.definition_texts import CONCEPTS, DEFINITIONS

    text = (Path(settings.BASE_DIR) / "docs" / "indicators.md").read_text(encoding="utf-8")
    with translation.override("en"):
        for _key, title, explanation in CONCEPTS:
            assert f"**{title}.** {explanation}" in text, title
        for code, definition in DEFINITIONS.items():
            assert f"| {definition} |" in text, code
