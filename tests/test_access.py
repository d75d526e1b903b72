"""Need to know: who sees which participants, case files and enrollments.

The cast: ``own`` belongs to the case worker's office and is enrolled with ``provider``;
``caseload`` belongs to the other office but has the case worker as primary case worker;
``elsewhere`` belongs to the other office and is enrolled with ``other_provider``;
``shared`` belongs to the other office and is enrolled with both providers.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from measures.models import Enrollment
from participants.models import FollowUp, Participant
from rehab.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db

EVERYONE = {"own", "caseload", "elsewhere", "shared"}


@pytest.fixture
def cast(office, other_office, provider, other_provider, case_worker):
    measure = factories.MeasureFactory(provider=provider)
    other_measure = factories.MeasureFactory(provider=other_provider)
    people = {
        "own": factories.ParticipantFactory(office=office),
        "caseload": factories.ParticipantFactory(
            office=other_office, primary_case_worker=case_worker
        ),
        "elsewhere": factories.ParticipantFactory(office=other_office),
        "shared": factories.ParticipantFactory(office=other_office),
    }
    for name, measure_ in [
        ("own", measure),
        ("elsewhere", other_measure),
        ("shared", measure),
        ("shared", other_measure),
    ]:
        factories.EnrollmentFactory(
            ref=f"{name}@{measure_.provider.code}", participant=people[name], measure=measure_
        )
    for participant in people.values():
        factories.FollowUpFactory(participant=participant)
    return people


def names(participants, cast):
    by_pk = {participant.pk: name for name, participant in cast.items()}
    return {by_pk[participant.pk] for participant in participants}


def enrollment_refs(user):
    return set(Enrollment.objects.visible_to(user).values_list("ref", flat=True))


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("case_worker", {"own", "caseload"}),
        ("other_office_case_worker", {"caseload", "elsewhere", "shared"}),
        ("provider_staff", {"own", "shared"}),
        ("other_provider_staff", {"elsewhere", "shared"}),
        ("project_lead", set()),
        ("administrator", EVERYONE),
    ],
)
def test_each_persona_sees_only_the_participants_they_need_to_know(
    request, cast, persona, expected
):
    user = request.getfixturevalue(persona)
    assert names(Participant.objects.visible_to(user), cast) == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("case_worker", {"own", "caseload"}),
        ("other_office_case_worker", {"caseload", "elsewhere", "shared"}),
        ("provider_staff", set()),
        ("other_provider_staff", set()),
        ("project_lead", set()),
        ("administrator", EVERYONE),
    ],
)
def test_only_case_workers_and_administrators_read_and_edit_case_files(
    request, cast, persona, expected
):
    user = request.getfixturevalue(persona)
    assert names(Participant.objects.case_file_visible_to(user), cast) == expected
    assert names(Participant.objects.editable_by(user), cast) == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("case_worker", {"own@skomaker"}),
        ("other_office_case_worker", {"elsewhere@jobbhuset", "shared@skomaker",
                                      "shared@jobbhuset"}),
        ("provider_staff", {"own@skomaker", "shared@skomaker"}),
        ("other_provider_staff", {"elsewhere@jobbhuset", "shared@jobbhuset"}),
        ("project_lead", set()),
        ("administrator", {"own@skomaker", "elsewhere@jobbhuset", "shared@skomaker",
                           "shared@jobbhuset"}),
    ],
)
def test_provider_staff_see_only_the_enrollments_in_their_own_providers_measures(
    request, cast, persona, expected
):
    assert enrollment_refs(request.getfixturevalue(persona)) == expected


def test_provider_staff_cannot_read_follow_ups(cast, provider_staff):
    assert not FollowUp.objects.visible_to(provider_staff).exists()


def test_case_worker_reads_follow_ups_of_own_participants_only(cast, case_worker):
    visible = FollowUp.objects.visible_to(case_worker).select_related("participant")
    assert names((follow_up.participant for follow_up in visible), cast) == {"own", "caseload"}


def test_administrator_reads_every_follow_up(cast, administrator):
    assert FollowUp.objects.visible_to(administrator).count() == len(cast)


@pytest.mark.parametrize(
    "user_factory",
    [
        pytest.param(lambda: factories.UserFactory(), id="no-role"),
        pytest.param(lambda: factories.UserFactory(is_active=False, roles=[Role.ADMINISTRATOR]),
                     id="inactive-administrator"),
        pytest.param(lambda: factories.UserFactory(is_superuser=True, is_active=False),
                     id="inactive-superuser"),
    ],
)
def test_user_without_an_active_role_sees_nothing(cast, user_factory):
    user = user_factory()
    assert not Participant.objects.visible_to(user).exists()
    assert not Participant.objects.case_file_visible_to(user).exists()
    assert not Enrollment.objects.visible_to(user).exists()
    assert not FollowUp.objects.visible_to(user).exists()


def test_inactive_case_worker_in_the_office_sees_nothing(cast, office):
    user = factories.CaseWorkerFactory(is_active=False, staff_profile__office=office)
    assert not Participant.objects.visible_to(user).exists()


def test_provider_membership_without_the_provider_staff_role_grants_nothing(cast, provider):
    user = factories.UserFactory()
    factories.ProviderMembershipFactory(user=user, provider=provider)
    assert not Participant.objects.visible_to(user).exists()
    assert not Enrollment.objects.visible_to(user).exists()


def test_case_worker_without_an_office_sees_only_their_own_caseload(cast, case_worker):
    case_worker.staff_profile.delete()
    assert names(Participant.objects.visible_to(case_worker), cast) == {"caseload"}


def test_staff_profile_in_an_office_grants_nothing_without_the_case_worker_role(cast, office):
    user = factories.UserFactory()
    factories.StaffProfileFactory(user=user, office=office)
    assert not Participant.objects.visible_to(user).exists()


def test_anonymous_user_sees_nothing(cast):
    assert not Participant.objects.visible_to(AnonymousUser()).exists()
    assert not Enrollment.objects.visible_to(AnonymousUser()).exists()
