"""The admin site: every model is there, for administrators only, and list views stay cheap."""

import datetime as dt
import json
import re
from pathlib import Path

import django
import polib
import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import translation

from evaluations.models import IndicatorRequest
from participants.models import CaseloadPreference, SavedCaseloadFilter
from rehab.admin import admin_site
from rehab.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db

APP_LABELS = ["providers", "participants", "measures", "evaluations"]
# The change history (django-simple-history) is read on each record's History page.
MODELS = [
    *(model for label in APP_LABELS for model in apps.get_app_config(label).get_models()
      if not model.__name__.startswith("Historical")),
    User,
    Group,
]
ROWS_PER_MODEL = 5
# A list costs 6 to 8 queries whatever its length (session, user, roles, counts, the rows,
# list filters, date hierarchy); one query per row (N+1) takes ROWS_PER_MODEL rows past this.
MAX_QUERIES_PER_CHANGELIST = 10


def changelist_url(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def label(model) -> str:
    return model._meta.label


@pytest.fixture
def rows(administrator):
    """A few rows of every model, each with its own related rows, so N+1 queries show."""
    # Caseload settings: an administrator lists their own only (test below).
    CaseloadPreference.objects.create(user=administrator, no_contact_days=20)
    for _ in range(ROWS_PER_MODEL):
        factories.SavedCaseloadFilterFactory(user=administrator)
        factories.SavedCaseloadFilterFactory()
        factories.EnrollmentFactory(ended=True)
        factories.CaseWorkerAssignmentFactory(assigned_by=factories.UserFactory())
        factories.FollowUpFactory()
        factories.OutcomeSpellFactory()
        factories.GoalFactory()
        factories.PlanReviewFactory()
        factories.AnswerFactory()
        factories.StaffProfileFactory()
        factories.ProviderMembershipFactory()
        factories.ProjectFactory(parent=factories.ProjectFactory())
        factories.UserFactory(roles=[Role.CASE_WORKER])
        factories.ProblemReportFactory(answered=True)
        factories.EnrollmentProposalFactory()
        factories.ProgressReportFactory()
        factories.IndicatorSnapshotFactory()
        factories.SnapshotRunFactory()
        factories.ExportRequestFactory(done=True)
        factories.DataReleaseFactory()
        factories.ImportRequestFactory()
        factories.AccessLogEntryFactory()
        factories.JobDevelopmentContactFactory(
            employer__registered_by_office=factories.OfficeFactory())
        IndicatorRequest.objects.create(
            project=factories.ProjectFactory(), requested_by=factories.UserFactory(),
            date_from=dt.date(2025, 1, 1), date_to=dt.date(2025, 3, 31))


@pytest.mark.parametrize("model", MODELS, ids=label)
def test_every_model_is_registered_in_the_admin(model):
    assert admin_site.is_registered(model)


def test_administrator_sees_the_admin_index(log_in, administrator):
    response = log_in(administrator).get(reverse("admin:index"))
    assert response.status_code == 200


@pytest.mark.parametrize("model", MODELS, ids=label)
def test_administrator_lists_each_model_in_a_bounded_number_of_queries(
    log_in, administrator, rows, django_assert_max_num_queries, model
):
    client = log_in(administrator)
    with django_assert_max_num_queries(MAX_QUERIES_PER_CHANGELIST):
        response = client.get(changelist_url(model))
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1


@pytest.mark.parametrize("model", [SavedCaseloadFilter, CaseloadPreference], ids=label)
def test_an_administrator_never_sees_a_case_workers_caseload_settings(
    log_in, administrator, case_worker, model
):
    factories.SavedCaseloadFilterFactory(user=case_worker, name="Kari and Ola")
    CaseloadPreference.objects.create(user=case_worker, no_contact_days=9)

    response = log_in(administrator).get(changelist_url(model))

    assert response.status_code == 200
    assert response.context["cl"].result_count == 0
    assert "Kari and Ola" not in response.text


@pytest.mark.parametrize("persona", ["case_worker", "project_lead", "provider_staff"])
@pytest.mark.parametrize(
    "url",
    [pytest.param(reverse("admin:index"), id="index")]
    + [pytest.param(changelist_url(model), id=label(model)) for model in MODELS],
)
def test_other_roles_are_kept_out_of_the_admin(request, log_in, persona, url):
    response = log_in(request.getfixturevalue(persona)).get(url)
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize("persona", ["case_worker", "project_lead", "provider_staff"])
def test_other_roles_end_on_the_sites_refusal_not_the_admins_login_form(request, log_in,
                                                                        persona):
    response = log_in(request.getfixturevalue(persona)).get(reverse("admin:index"),
                                                            follow=True)
    assert response.status_code == 403
    assert "No access" in response.text and "id_password" not in response.text



def test_the_access_log_list_heads_its_columns_in_the_administrators_language(
    log_in, administrator
):
    factories.AccessLogEntryFactory()
    client = log_in(administrator)
    client.post(reverse("set_language"), {"language": "sv", "next": "/admin/"})

    page = client.get(changelist_url(apps.get_model("participants", "AccessLogEntry")))

    text = page.content.decode()
    assert page.status_code == 200
    assert "Participant id" not in text
    assert ">Deltagare<" in text or ">deltagare<" in text


def test_records_are_named_with_the_labels_of_the_interface_language():
    with translation.override("sv"):
        assert " Arbete " in str(factories.OutcomeSpellFactory())
        assert " Deltagarsidan " in str(factories.AccessLogEntryFactory())
        assert str(factories.IndicatorSnapshotFactory(dimension="gender")).endswith(" · Kön")
        assert str(factories.InstrumentFactory()).startswith("Frågeformulär ")


def test_snapshots_are_filtered_by_breakdown_names_in_the_administrators_language(
    log_in, administrator
):
    by_gender = factories.IndicatorSnapshotFactory(dimension="gender")
    factories.IndicatorSnapshotFactory(project=by_gender.project, dimension="")
    client = log_in(administrator)
    client.post(reverse("set_language"), {"language": "sv", "next": "/admin/"})
    url = changelist_url(apps.get_model("evaluations", "IndicatorSnapshot"))

    listed = client.get(url)
    by_gender_only = client.get(url, {"dimension": "gender"})
    without = client.get(url, {"dimension": "none"})

    assert "?dimension=gender" in listed.text and ">Kön<" in listed.text
    assert by_gender_only.context["cl"].result_count == 1
    assert [s.dimension for s in without.context["cl"].result_list] == [""]


def test_indicator_requests_name_their_breakdown_in_the_administrators_language(
    log_in, administrator
):
    IndicatorRequest.objects.create(
        project=factories.ProjectFactory(), requested_by=factories.UserFactory(),
        date_from=dt.date(2025, 1, 1), date_to=dt.date(2025, 3, 31), dimension="gender")
    client = log_in(administrator)
    client.post(reverse("set_language"), {"language": "sv", "next": "/admin/"})

    page = client.get(changelist_url(IndicatorRequest))

    assert page.status_code == 200
    assert "<td class=\"field-breakdown\">Kön</td>" in page.text
    assert client.get(changelist_url(IndicatorRequest),
                      {"dimension": "provider"}).context["cl"].result_count == 0


@pytest.mark.parametrize("language", ["nb", "da", "sv"])
def test_the_admins_own_texts_are_in_the_administrators_language(log_in, administrator,
                                                                 language):
    """Django's Norwegian Bokmål catalogue lacks two dozen of them (rehab/admin_strings.py):
    "Skip to main content", the theme toggle, the sidebar's filter were English."""
    from rehab.admin_strings import ADMIN_TEXTS

    with translation.override(language):
        untranslated = [text for text in ADMIN_TEXTS if translation.gettext(text) == text]
    assert untranslated == []
    client = log_in(administrator)
    client.post(reverse("set_language"), {"language": language, "next": "/admin/"})
    text = client.get(reverse("admin:index")).content.decode()
    assert "Skip to main content" not in text and "Toggle theme" not in text


DJANGO_DIR = Path(django.__file__).parent
# Django's texts that stay as they are in a translation (class and instance, the parts of a
# password hash, the admin's name in Danish and Swedish), or that no page here shows (the
# ASCII username rule: usernames here follow Django's default, the Unicode rule).
SAME_IN_TRANSLATION = {
    "%(class_name)s %(instance)s", "salt", "hash", "version", "work factor",
    "Administration", "Django administration", "%(app)s administration",
    "Enter a valid username. This value may contain only unaccented lowercase a-z and "
    "uppercase A-Z letters, numbers, and @/./+/-/_ characters.",
}


def english_entries(app: str, domain: str = "django"):
    path = DJANGO_DIR / app / "locale" / "en" / "LC_MESSAGES" / f"{domain}.po"
    return [e for e in polib.pofile(str(path)) if not e.obsolete and e.msgid]


@pytest.mark.parametrize("language", ["nb", "da", "sv"])
def test_every_text_of_the_admin_and_its_user_forms_is_translated(language):
    """Django 5.2's Norwegian Bokmål catalogue lacks some (the change list's checkboxes,
    the password-based sign-in switch, "Please correct the error below", which became a
    plural): those are in the project's catalogues (rehab/admin_strings.py)."""
    untranslated = []
    with translation.override(language):
        for entry in english_entries("contrib/admin") + english_entries("contrib/auth"):
            if entry.msgid in SAME_IN_TRANSLATION:
                continue
            if entry.msgid_plural:
                texts = [translation.ngettext(entry.msgid, entry.msgid_plural, n)
                         for n in (1, 2)]
                if entry.msgctxt:
                    texts = [translation.npgettext(entry.msgctxt, entry.msgid,
                                                   entry.msgid_plural, n) for n in (1, 2)]
                if texts[0] == entry.msgid or texts[1] == entry.msgid_plural:
                    untranslated.append(entry.msgid)
            elif entry.msgctxt:
                if translation.pgettext(entry.msgctxt, entry.msgid) == entry.msgid:
                    untranslated.append(entry.msgid)
            elif translation.gettext(entry.msgid) == entry.msgid:
                untranslated.append(entry.msgid)
    assert untranslated == []


@pytest.mark.parametrize("language", ["nb", "da", "sv"])
def test_the_admins_scripts_speak_the_administrators_language(log_in, administrator,
                                                              language):
    """The two-list chooser of permissions and project leads said "Choose all
    rettigheter" and "Remove selected prosjektledere" in Norwegian Bokmål: Django's
    catalogue of the admin's scripts lacks them (locale/nb/LC_MESSAGES/djangojs.po)."""
    client = log_in(administrator)
    client.post(reverse("set_language"), {"language": language, "next": "/admin/"})
    script = client.get(reverse("admin:jsi18n")).content.decode()
    catalogue = json.loads(re.search(r"const newcatalog = (\{.*?\});\n", script, re.S).group(1))
    missing = [entry.msgid for entry in english_entries("contrib/admin", "djangojs")
               if ("%s\x04%s" % (entry.msgctxt, entry.msgid) if entry.msgctxt else entry.msgid)
               not in catalogue]
    assert missing == []
    assert catalogue["Choose all %s"] != "Choose all %s"


@pytest.mark.parametrize("language, label", [
    ("nb", "Evaluering | utlevering av rådata | Kan legge til utlevering av rådata"),
    ("da", "Evaluering | udlevering af rådata | Kan tilføje udlevering af rådata"),
    ("sv", "Utvärdering | utlämnande av rådata | Kan lägga till utlämnande av rådata"),
])
@pytest.mark.parametrize("url", ["admin:auth_group_add", "admin:auth_user_change"])
def test_the_permission_chooser_names_permissions_in_the_administrators_language(
        log_in, administrator, language, label, url):
    """Django stores a permission's name in English ("Can add release of raw data"), so
    the group and user forms listed every permission in English."""
    client = log_in(administrator)
    client.post(reverse("set_language"), {"language": language, "next": "/admin/"})
    args = [administrator.pk] if url.endswith("change") else []
    text = client.get(reverse(url, args=args)).content.decode()
    assert f">{label}</option>" in text
    assert "Can add " not in text and "Can view " not in text


def test_a_project_cannot_be_placed_under_its_own_sub_project(log_in, administrator):
    top = factories.ProjectFactory(code="TOP")
    child = factories.ProjectFactory(code="TOP-SUB", parent=top)
    grandchild = factories.ProjectFactory(code="TOP-SUB-SUB", parent=child)
    client = log_in(administrator)
    url = reverse("admin:evaluations_project_change", args=[top.pk])
    for under in (child, grandchild):
        response = client.post(url, {"code": "TOP", "name": top.name, "parent": under.pk,
                                     "_save": "Save"})
        assert response.status_code == 200
        assert "A project cannot be placed under itself or one of its own sub-projects." \
            in response.content.decode()
        top.refresh_from_db()
        assert top.parent is None
    # Moving a sub-project elsewhere in the tree is fine.
    other = factories.ProjectFactory(code="OTHER")
    response = client.post(reverse("admin:evaluations_project_change", args=[child.pk]),
                           {"code": "TOP-SUB", "name": child.name, "parent": other.pk,
                            "_save": "Save"})
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.parent == other
