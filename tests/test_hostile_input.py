"""Hostile input: random and malicious values thrown at every form the application has
(odd Unicode, huge fields, impossible dates, injection strings) and broken CSV files at
the import. The answer is always a clear refusal or a success, never a server error, and
nothing already saved is lost."""

import re
import shutil

import pytest
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evaluations.exchange.importer import BundleInvalid, import_bundle
from measures.models import Enrollment
from participants.models import FollowUp, Participant
from tests import factories
from tests.conftest import EXAMPLE_BUNDLE
from tests.factories import PASSWORD
from tests.test_url_access import RULES, build_world

pytestmark = pytest.mark.django_db

HOSTILE = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=20),
    st.sampled_from([
        "", " ", "0", "-1", "99999999999999999999", "1e308", "NaN", "2024-02-30",
        "0000-00-00", "9999-12-31", "1899-12-31", "31.12.2024", "2024-13-01", "true", "on",
        "' OR 1=1 --", "\"; DROP TABLE participants_participant; --", "<script>x</script>",
        "{{ 7*7 }}", "%(x)s", "\x00", "\u202e\u200b\ufeff", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🙂", "ÆØÅ æøå ÄÖ",
        "../../etc/passwd", "a" * 5000, "é" * 70_000,
    ]),
)
NAME_ATTRIBUTE = re.compile(r'name="([^"]+)"')
EXAMPLES = settings(max_examples=15, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


def client_for(user) -> Client:
    client = Client(raise_request_exception=False)
    assert client.login(request=HttpRequest(), username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def world(case_worker, office, provider, project_lead, administrator):
    """The same participant, enrollment and records as the URL access test."""
    return build_world(case_worker, office, provider, project_lead, administrator)


FORM_PAGES = ("participants:detail", "participants:register", "evaluations:export_list",
              "evaluations:problem_report_create", "evaluations:import_list")


def field_names(world, users) -> list[str]:
    """The names of the fields the pages offer, read from the pages themselves."""
    names = set()
    for user in users:
        client = client_for(user)
        for page in FORM_PAGES:
            about = {"pk": world["participant"]["pk"]} if page == "participants:detail" else None
            response = client.get(reverse(page, kwargs=about))
            names |= set(NAME_ATTRIBUTE.findall(response.content.decode()))
    # "next": where a plain (not htmx) form post goes back to, e.g. from the waiting list.
    return sorted((names | {"next"}) - {"csrfmiddlewaretoken"})


def first_allowed(rule: dict) -> str:
    """Someone the URL answers; the provider's pages answer their own staff only."""
    for role in ("case_worker", "administrator", "project_lead", "other_provider_staff"):
        if rule.get(role) == "ok":
            return role
    return "provider_staff"


WRITES = sorted(name for name, (method, _about, _rule) in RULES.items()
                if method == "post" and name not in {"logout", "set_language"})


@pytest.mark.slow
@pytest.mark.parametrize("url_name", WRITES)
def test_no_form_answers_hostile_input_with_a_server_error(request, world, url_name):
    method, about, rule = RULES[url_name]
    role = first_allowed(rule)
    user = request.getfixturevalue(role)
    client = client_for(user)
    names = field_names(world, [request.getfixturevalue("case_worker"),
                                request.getfixturevalue("administrator")])
    url = reverse(url_name, kwargs=world[about] if about else None)
    participant = Participant.objects.get(pk=world["participant"]["pk"])
    kept = (participant.ref, participant.given_name, participant.family_name)

    @EXAMPLES
    @given(st.dictionaries(st.sampled_from(names) | st.text(max_size=10), HOSTILE,
                           max_size=12), st.booleans())
    def post_hostile(data, by_htmx):
        counts = (Participant.objects.count(), Enrollment.objects.count(),
                  FollowUp.objects.count())
        headers = {"HTTP_HX_REQUEST": "true"} if by_htmx else {}
        response = client.post(url, data, **headers)
        assert response.status_code < 500, (url_name, data, by_htmx)
        after = (Participant.objects.count(), Enrollment.objects.count(),
                 FollowUp.objects.count())
        assert all(a >= b for a, b in zip(after, counts, strict=True))  # nothing lost
        stored = Participant.objects.filter(pk=participant.pk).values_list(
            "ref", "given_name", "family_name").get()
        assert stored == kept or url_name == "evaluations:import_confirm"

    post_hostile()


@pytest.mark.slow
@pytest.mark.parametrize("url_name", ["participants:caseload", "participants:access_log",
                                      "measures:waiting_lists", "evaluations:dashboard",
                                      "evaluations:problem_reports",
                                      "measures:provider_participants"])
def test_no_search_or_filter_answers_hostile_input_with_a_server_error(request, world,
                                                                      url_name):
    role = first_allowed(RULES[url_name][2])
    client = client_for(request.getfixturevalue(role))

    @EXAMPLES
    @given(st.dictionaries(st.sampled_from(["q", "status", "sort", "page", "project", "by",
                                            "period", "trend", "participant", "username",
                                            "what", "date_from", "date_to", "measure",
                                            "office"]), HOSTILE, max_size=6))
    def get_hostile(params):
        response = client.get(reverse(url_name), params)
        assert response.status_code < 500, (url_name, params)

    get_hostile()


CSV_FILES = ("projects.csv", "participants.csv", "enrollments.csv", "follow_ups.csv",
             "responses.csv")


@pytest.mark.slow
def test_a_broken_bundle_is_refused_with_problems_and_changes_nothing(tmp_path):
    person = factories.ParticipantFactory(ref="KEEP-ME", given_name="Kari")

    @settings(max_examples=25, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(name=st.sampled_from(CSV_FILES),
           content=st.one_of(st.binary(max_size=400),
                             st.text(max_size=400).map(lambda t: t.encode("utf-8")),
                             st.lists(st.lists(HOSTILE, max_size=8), max_size=6).map(
                                 lambda rows: "\n".join(",".join(r) for r in rows)
                                 .encode("utf-8", "surrogatepass"))))
    def import_broken(name, content):
        folder = tmp_path / "bundle"
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(EXAMPLE_BUNDLE, folder)
        (folder / name).write_bytes(content)
        before = Participant.objects.count()
        try:
            import_bundle(folder)
        except BundleInvalid as invalid:
            assert invalid.problems and all(str(p) for p in invalid.problems)
            assert Participant.objects.count() == before
        stored = Participant.objects.get(pk=person.pk)
        assert (stored.ref, stored.given_name) == ("KEEP-ME", "Kari")

    import_broken()
