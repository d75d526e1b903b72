"""Participant mode: opened by a case worker who may change the participant, it shows the
questions only, saves each answer on its own, and cannot be left without the case
worker's password or PIN; every other URL leads back to the questionnaire."""

import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from participants.models import AccessKind, AccessLogEntry, Answer, Instrument
from participants.services import voice as services
from participants.views import voice as views
from tests import factories

pytestmark = pytest.mark.django_db

MODE = reverse("participants:participant_mode")
LEAVE = reverse("participants:participant_mode_leave")
DONE = reverse("participants:participant_mode_done")


def checked(html: str, item, score) -> bool:
    tag = re.search(rf'<input[^>]*id="score-{item.pk}-{score}"[^>]*>', html).group(0)
    return " checked" in tag


@pytest.fixture
def participant(office):
    return factories.ParticipantFactory(office=office, given_name="Kari", family_name="Nordmann",
                                        language="nb")


@pytest.fixture
def voice():
    return Instrument.objects.get(code="voice")


def start(client, participant, instrument, language="nb", **headers):
    return client.post(reverse("participants:participant_mode_start", args=[participant.pk]), {
        "participant-mode-instrument": instrument.pk, "participant-mode-language": language,
    }, **headers)


def answer(client, item, score, **headers):
    return client.post(reverse("participants:participant_mode_answer", args=[item.pk]),
                       {"score": score}, **headers)


@pytest.fixture
def in_mode(log_in, case_worker, participant, voice):
    client = log_in(case_worker)
    response = start(client, participant, voice)
    assert response.status_code == 302 and response["Location"] == MODE
    return client


def test_case_worker_opens_participant_mode_in_the_participants_language(
        in_mode, participant, voice):
    response = in_mode.get(MODE)
    text = response.content.decode()
    assert '<html lang="nb">' in text
    assert "Jeg kjenner glede i livet mitt" in text and "Min egen vurdering" in text
    assert text.count('type="radio"') == 25  # five questions, five answers each
    assert 'name="score"' in text and 'class="btn-check"' in text
    # Nothing of the case file and no navigation.
    assert "Nordmann" not in text and participant.ref not in text
    assert "<nav" not in text and reverse("participants:caseload") not in text
    opened = AccessLogEntry.objects.get(what=AccessKind.PARTICIPANT_MODE)
    assert opened.participant_id == participant.pk and "voice" in opened.detail


def test_opening_over_htmx_redirects_the_whole_page(log_in, case_worker, participant, voice):
    response = start(log_in(case_worker), participant, voice, HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"] == MODE


def test_another_language_is_shown_and_kept(in_mode, log_in, case_worker, participant, voice):
    in_mode.post(LEAVE, {"secret": factories.PASSWORD})
    start(in_mode, participant, voice, language="sv")
    assert "Jag känner glädje i mitt liv" in in_mode.get(MODE).content.decode()
    participant.refresh_from_db()
    assert participant.language == "sv"


def test_each_answer_is_saved_on_its_own_and_logged(in_mode, participant, voice):
    joy = voice.items.get(code="joy")
    response = answer(in_mode, joy, 4, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    text = response.content.decode()
    assert f'id="item-{joy.pk}"' in text
    assert re.search(r'role="status">\s*\S', text)  # "Saved", in the participant's language
    assert checked(text, joy, 4) and not checked(text, joy, 3)
    stored = Answer.objects.get()
    assert (stored.participant, stored.item, stored.score) == (participant, joy, 4)
    assert stored.answered_on == timezone.localdate()
    assert AccessLogEntry.objects.filter(what=AccessKind.PARTICIPANT_MODE,
                                         detail__contains="joy").count() == 1


def test_an_interrupted_session_keeps_its_answers_and_shows_them_again(
        in_mode, log_in, case_worker, participant, voice):
    items = list(voice.items.order_by("position"))
    answer(in_mode, items[0], 2, HTTP_HX_REQUEST="true")
    answer(in_mode, items[1], 5, HTTP_HX_REQUEST="true")
    answer(in_mode, items[1], 5, HTTP_HX_REQUEST="true")  # the same click twice
    # The device goes to sleep, the session ends: a new one opens the same questionnaire.
    in_mode.logout()
    client = log_in(case_worker)
    start(client, participant, voice)
    text = client.get(MODE).content.decode()
    assert Answer.objects.count() == 2
    assert checked(text, items[0], 2) and checked(text, items[1], 5)
    assert not any(checked(text, items[2], score) for score in range(1, 6))


def test_an_answer_without_javascript_returns_to_the_questionnaire(in_mode, voice):
    joy = voice.items.get(code="joy")
    response = answer(in_mode, joy, 3)
    assert response.status_code == 302 and response["Location"] == f"{MODE}#item-{joy.pk}"
    assert Answer.objects.get().score == 3


def test_a_score_outside_the_scale_changes_nothing_and_says_so(in_mode, voice):
    joy = voice.items.get(code="joy")
    answer(in_mode, joy, 3, HTTP_HX_REQUEST="true")
    response = answer(in_mode, joy, 9, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert Answer.objects.get().score == 3
    assert "text-danger" in response.content.decode()


def test_a_refused_answer_is_explained_in_the_participants_language(
        log_in, case_worker, participant, voice):
    client = log_in(case_worker)  # the case worker's own language is English
    start(client, participant, voice, language="sv")
    response = answer(client, voice.items.get(code="joy"), 9, HTTP_HX_REQUEST="true")
    assert "Välj en siffra från 1 till 5." in response.content.decode()


def test_an_item_of_another_questionnaire_cannot_be_answered(in_mode):
    other = factories.InstrumentItemFactory()
    assert answer(in_mode, other, 3, HTTP_HX_REQUEST="true").status_code == 404
    assert not Answer.objects.exists()


def test_the_done_screen_counts_the_answers(in_mode, voice):
    answer(in_mode, voice.items.get(code="joy"), 4, HTTP_HX_REQUEST="true")
    text = in_mode.get(DONE).content.decode()
    summary = re.search(r'id="participant-mode-summary">([^<]*)<', text).group(1)
    assert re.search(r"\b1\b.*\b5\b", summary)
    assert LEAVE in text


@pytest.mark.parametrize("name, args", [
    ("participants:home", []), ("participants:caseload", []), ("participants:detail", ["pk"]),
    ("participants:timeline", ["pk"]), ("admin:index", []), ("login", []),
    ("participants:participant_mode_pin", []), ("evaluations:project_list", []),
])
def test_every_other_page_leads_back_to_the_questionnaire(in_mode, participant, name, args):
    url = reverse(name, args=[participant.pk if a == "pk" else a for a in args])
    response = in_mode.get(url)
    assert response.status_code == 302 and response["Location"] == MODE
    htmx = in_mode.get(url, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 204 and htmx["HX-Redirect"] == MODE


def test_a_post_elsewhere_changes_nothing(in_mode, participant):
    response = in_mode.post(reverse("participants:follow_up_create", args=[participant.pk]), {
        "follow-up-occurred_on": timezone.localdate().isoformat(),
        "follow-up-channel": "phone", "follow-up-note": "Skrevet av deltakeren"})
    assert response.status_code == 302 and response["Location"] == MODE
    assert not participant.follow_ups.exists()


def test_an_unknown_address_leads_back_too(in_mode):
    response = in_mode.get("/no-such-page/")
    assert response.status_code == 302 and response["Location"] == MODE


def test_static_files_are_not_redirected(in_mode, settings):
    response = in_mode.get("/" + settings.STATIC_URL.lstrip("/") + "css/participant_mode.css")
    assert response.status_code != 302


def test_a_wrong_password_changes_nothing_and_says_so(in_mode, participant):
    response = in_mode.post(LEAVE, {"secret": "not-my-password"})
    assert response.status_code == 200
    assert "still in participant mode" in response.content.decode()
    assert in_mode.get(reverse("participants:home"))["Location"] == MODE


def test_the_password_ends_participant_mode(in_mode, participant):
    response = in_mode.post(LEAVE, {"secret": factories.PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("participants:detail", args=[participant.pk])
    assert in_mode.get(reverse("participants:detail", args=[participant.pk])).status_code == 200
    assert in_mode.get(MODE).status_code == 404  # over: the questionnaire is gone


def test_the_pin_ends_participant_mode_and_a_wrong_pin_does_not(case_worker, in_mode):
    services.participant_mode_pin_set(user=case_worker, pin="2468",
                                      password=factories.PASSWORD)
    wrong = in_mode.post(LEAVE, {"secret": "1357"})
    assert "still in participant mode" in wrong.content.decode()
    assert in_mode.get(reverse("participants:home"))["Location"] == MODE
    assert in_mode.post(LEAVE, {"secret": "2468"}).status_code == 302
    assert in_mode.get(reverse("participants:home")).get("Location") != MODE


def test_after_five_wrong_pins_only_the_password_is_accepted(case_worker, in_mode):
    services.participant_mode_pin_set(user=case_worker, pin="2468",
                                      password=factories.PASSWORD)
    for _ in range(5):
        in_mode.post(LEAVE, {"secret": "0000"})
    response = in_mode.post(LEAVE, {"secret": "2468"})
    assert "still in participant mode" in response.content.decode()
    assert "your password to return" in response.content.decode()
    assert in_mode.post(LEAVE, {"secret": factories.PASSWORD}).status_code == 302


def test_signing_out_ends_participant_mode(in_mode, log_in, case_worker):
    assert in_mode.post(reverse("logout"))["Location"].startswith(reverse("login"))
    client = log_in(case_worker)
    assert client.get(reverse("participants:caseload")).status_code == 200


def test_outside_participant_mode_its_pages_are_not_found(log_in, case_worker, voice):
    client = log_in(case_worker)
    assert client.get(MODE).status_code == 404
    assert client.get(DONE).status_code == 404
    assert answer(client, voice.items.first(), 3).status_code == 404
    assert client.get(LEAVE)["Location"] == reverse("participants:home")


@pytest.mark.parametrize("user", ["other_office_case_worker", "project_lead", "provider_staff"])
def test_only_those_who_may_change_the_participant_open_participant_mode(
        request, log_in, participant, voice, user):
    reader = request.getfixturevalue(user)
    participant.project.leads.add(request.getfixturevalue("project_lead"))
    client = log_in(reader)
    assert start(client, participant, voice).status_code == 404
    assert client.get(MODE).status_code == 404
    assert not AccessLogEntry.objects.filter(what=AccessKind.PARTICIPANT_MODE).exists()


def test_a_questionnaire_without_questions_is_not_offered(log_in, case_worker, participant):
    empty = factories.InstrumentFactory()
    response = start(log_in(case_worker), participant, empty)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert log_in(case_worker).get(MODE).status_code == 404


def test_the_case_worker_sets_a_pin_on_their_page(log_in, case_worker):
    client = log_in(case_worker)
    url = reverse("participants:participant_mode_pin")
    assert "You have no PIN yet." in client.get(url).content.decode()
    mismatch = client.post(url, {"pin": "2468", "pin_again": "2469",
                                 "password": factories.PASSWORD})
    assert "The two PINs differ." in mismatch.content.decode()
    assert not services.participant_mode_has_pin(case_worker)
    response = client.post(url, {"pin": "2468", "pin_again": "2468",
                                 "password": factories.PASSWORD}, follow=True)
    assert "You have a PIN." in response.content.decode()
    assert services.participant_mode_pin_matches(user=case_worker, pin="2468")


def test_wrong_passwords_on_the_pin_page_count_towards_the_sign_in_lockout(log_in,
                                                                          case_worker):
    client = log_in(case_worker)
    url = reverse("participants:participant_mode_pin")
    wrong = {"pin": "2468", "pin_again": "2468", "password": "not-my-password"}
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(url, wrong)
        assert "That is not your password." in response.content.decode()
    assert client.post(url, wrong).status_code == 429  # locked out, as at sign-in
    assert AccessAttempt.objects.get(username=case_worker.username).failures_since_start == (
        settings.AXES_FAILURE_LIMIT)
    assert not services.participant_mode_has_pin(case_worker)


def test_the_page_title_is_the_questionnaires_name_only(in_mode):
    """The browser's tab shows the questionnaire's name, not markup of the page."""
    text = in_mode.get(MODE).content.decode()
    assert re.search(r"<title>\s*Min egen vurdering\s*</title>", text)


def test_wrong_pins_sent_side_by_side_all_count(case_worker, in_mode, rf):
    """A request that loaded the session before other wrong PINs were counted still sees
    them: guesses sent in parallel do not each get a fresh five."""
    services.participant_mode_pin_set(user=case_worker, pin="2468",
                                      password=factories.PASSWORD)
    alongside = rf.post(LEAVE, {"secret": "2468"})
    alongside.user = case_worker
    alongside.session = type(in_mode.session)(in_mode.session.session_key)
    assert alongside.session.get("participant_mode")  # loaded now, before the guesses
    for _ in range(5):
        in_mode.post(LEAVE, {"secret": "0000"})
    response = views.participant_mode_leave(alongside)
    assert response.status_code == 200
    assert "still in participant mode" in response.content.decode()
    assert in_mode.get(reverse("participants:home"))["Location"] == MODE


def test_a_request_alongside_saving_its_older_session_does_not_undo_wrong_pins(
        case_worker, in_mode):
    """The idle clock saves the session a request loaded; if that copy came from before
    the wrong PINs, saving it must not give the guesser a fresh five."""
    services.participant_mode_pin_set(user=case_worker, pin="2468",
                                      password=factories.PASSWORD)
    older = type(in_mode.session)(in_mode.session.session_key)
    older.load()
    for _ in range(5):
        in_mode.post(LEAVE, {"secret": "0000"})
    older["_idle_touched"] = 1
    older.save()
    response = in_mode.post(LEAVE, {"secret": "2468"})
    assert "still in participant mode" in response.content.decode()


def test_entering_participant_mode_again_starts_a_fresh_count(case_worker, in_mode):
    services.participant_mode_pin_set(user=case_worker, pin="2468",
                                      password=factories.PASSWORD)
    for _ in range(5):
        in_mode.post(LEAVE, {"secret": "0000"})
    assert in_mode.post(LEAVE, {"secret": factories.PASSWORD}).status_code == 302
    case_worker.staff_profile.refresh_from_db()
    assert case_worker.staff_profile.participant_mode_pin_failures == 0


def unavailable(response) -> bool:
    """The participant-mode page that asks for the device back: no navigation, nothing of
    the case worker's pages, the way out for the case worker, in the participant's language
    (Norwegian here)."""
    text = response.content.decode()
    return (response.status_code == 200 and "<nav" not in text and LEAVE in text
            and "Gi enheten tilbake til veilederen din" in text
            and f'href="{reverse("participants:home")}"' not in text)


def test_a_participant_moved_away_meanwhile_is_shown_a_page_of_participant_mode(
        in_mode, participant, other_office, voice):
    """The participant moved to an office the case worker does not work for while the
    device was handed over: the participant sees no refusal page with the case worker's
    menu, but a page of participant mode that asks for the device back."""
    participant.office = other_office
    participant.primary_case_worker = None
    participant.save()
    assert unavailable(in_mode.get(MODE))
    assert unavailable(in_mode.get(DONE))
    joy = voice.items.get(code="joy")
    htmx = answer(in_mode, joy, 4, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 204 and htmx["HX-Redirect"] == MODE
    assert answer(in_mode, joy, 4)["Location"] == MODE
    assert not Answer.objects.exists()
    # Still participant mode: only the case worker's password leads out, and then to the
    # case worker's start page, not to a participant no longer theirs to see (a 404).
    assert in_mode.get(reverse("participants:home"))["Location"] == MODE
    left = in_mode.post(LEAVE, {"secret": factories.PASSWORD})
    assert left.status_code == 302 and left["Location"] == reverse("participants:home")


def test_a_questionnaire_removed_meanwhile_is_a_page_of_participant_mode(
        log_in, case_worker, participant):
    custom = factories.InstrumentFactory()
    factories.InstrumentItemFactory(instrument=custom)
    client = log_in(case_worker)
    start(client, participant, custom)
    custom.delete()  # by an administrator, before anything was answered
    assert unavailable(client.get(MODE))
    assert unavailable(client.get(DONE))


def test_texts_shown_in_english_for_want_of_the_participants_language_are_marked_english(
        log_in, case_worker, participant):
    """The page speaks Norwegian, the questionnaire only Swedish and English: its name,
    questions and scale labels are marked as English, so that a screen reader reads them
    as English (WCAG 3.1.2), while the page's own words stay Norwegian."""
    custom = factories.InstrumentFactory(languages="sv,en", name_en="Work readiness")
    item = factories.InstrumentItemFactory(instrument=custom, text_en="I take the bus")
    client = log_in(case_worker)
    start(client, participant, custom, language="nb")
    text = client.get(MODE).content.decode()
    assert '<html lang="nb">' in text
    assert re.search(r'<h1[^>]* lang="en"[^>]*>Work readiness</h1>', text)
    assert re.search(rf'<legend[^>]* lang="en"[^>]*id="question-{item.pk}"[^>]*>I take the bus<',
                     text)
    assert re.search(r'<div class="participant-mode-ends"[^>]*lang="en"', text)
    assert re.search(r'lang="en">\s*\(Not at all\)', text)


def test_texts_in_the_participants_language_carry_no_language_of_their_own(in_mode):
    text = in_mode.get(MODE).content.decode()
    assert 'lang="en"' not in text and text.count("lang=") == 1


def test_locked_out_on_the_way_out_the_participant_sees_no_staff_page(in_mode, case_worker):
    """Wrong passwords on the leave page count towards the sign-in lockout; the lockout
    page is then one of participant mode, without the case worker's menu or name."""
    responses = [in_mode.post(LEAVE, {"secret": "not-my-password"})
                 for _ in range(settings.AXES_FAILURE_LIMIT)]

    locked = responses[-1]
    assert locked.status_code == 429
    text = locked.content.decode()
    assert "Please give the device back to your case worker." in text
    assert 'class="participant-mode"' in text
    assert case_worker.get_full_name() not in text
    assert reverse("participants:caseload") not in text
