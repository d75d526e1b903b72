from django.urls import include, path

from .views import (
    access_log,
    case_file,
    caseload,
    caseload_lists,
    home,
    notes,
    support,
    two_factor,
    voice,
)

app_name = "participants"

urlpatterns = [
    path("", home.home, name="home"),
    # My caseload, the team view, registering a participant.
    path("caseload/", caseload.caseload, name="caseload"),
    path("caseload/team/", caseload.team, name="team"),
    path("participants/new/", caseload.register, name="register"),
    # The participant page (case file), its regions and its actions.
    path("participants/<int:pk>/", case_file.participant_detail, name="detail"),
    path("participants/<int:pk>/header/", case_file.participant_header, name="header"),
    path("participants/<int:pk>/timeline/", case_file.timeline, name="timeline"),
    path("participants/<int:pk>/who-read/", case_file.who_read, name="who_read"),
    path("participants/<int:pk>/national-id/", case_file.national_id, name="national_id"),
    path("access-log/", access_log.access_log_search, name="access_log"),
    path("accounts/two-factor/setup/", two_factor.two_factor_setup, name="two_factor_setup"),
    path("accounts/two-factor/", two_factor.two_factor_verify, name="two_factor_verify"),
    path("participants/<int:pk>/follow-ups/new/", case_file.follow_up_create,
         name="follow_up_create"),
    path("participants/<int:pk>/outcomes/", case_file.outcome_spells, name="outcome_spells"),
    path("participants/<int:pk>/outcomes/new/", case_file.outcome_spell_create,
         name="outcome_spell_create"),
    path("participants/<int:pk>/outcomes/<int:spell_pk>/end/", case_file.outcome_spell_end,
         name="outcome_spell_end"),
    path("participants/<int:pk>/goals/", case_file.goals, name="goals"),
    path("participants/<int:pk>/goals/new/", case_file.goal_add, name="goal_add"),
    path("participants/<int:pk>/goals/<int:goal_pk>/review/", case_file.goal_review,
         name="goal_review"),
    path("participants/<int:pk>/plan-reviews/new/", case_file.plan_review_add,
         name="plan_review_add"),
    path("participants/<int:pk>/case-worker/", case_file.case_worker_change,
         name="case_worker_change"),
    # Employers, job development contacts, the team view's job development table.
    path("", include("participants.urls_employers")),
    # The participant's own voice, and participant mode (participants/participant_mode.py).
    path("participants/<int:pk>/voice/", voice.voice, name="voice"),
    path("participants/<int:pk>/voice/share/", voice.voice_share, name="voice_share"),
    path("participants/<int:pk>/voice/shared/", voice.voice_shared, name="voice_shared"),
    path("participants/<int:pk>/participant-mode/", voice.participant_mode_start,
         name="participant_mode_start"),
    path("participant-mode/", voice.participant_mode, name="participant_mode"),
    path("participant-mode/answer/<int:item_pk>/", voice.participant_mode_answer,
         name="participant_mode_answer"),
    path("participant-mode/done/", voice.participant_mode_done, name="participant_mode_done"),
    path("participant-mode/leave/", voice.participant_mode_leave, name="participant_mode_leave"),
    path("accounts/participant-mode-pin/", voice.participant_mode_pin,
         name="participant_mode_pin"),
    # The support phase, the caseload's lists and saved filters, the notes view.
    path("caseload/counts/", caseload_lists.caseload_counts, name="caseload_counts"),
    path("caseload/preference/", caseload_lists.caseload_preference,
         name="caseload_preference"),
    path("caseload/saved-filters/new/", caseload_lists.saved_filter_create,
         name="saved_filter_create"),
    path("caseload/saved-filters/<int:pk>/delete/", caseload_lists.saved_filter_delete,
         name="saved_filter_delete"),
    path("participants/<int:pk>/support-phase/", support.support_phase, name="support_phase"),
    path("participants/<int:pk>/next-contact/", support.next_contact_set,
         name="next_contact_set"),
    path("participants/<int:pk>/notes/", notes.participant_notes, name="notes"),
]
