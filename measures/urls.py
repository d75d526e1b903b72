from django.urls import path

from . import provider_views, views

app_name = "measures"

urlpatterns = [
    # A participant's enrollments: the region of the participant page, and its actions.
    path("participant/<int:participant_pk>/enrollments/", views.for_participant,
         name="for_participant"),
    path("participant/<int:participant_pk>/enrollments/refer/", views.enrollment_refer,
         name="enrollment_refer"),
    path("enrollments/<int:pk>/start/", views.enrollment_start, name="enrollment_start"),
    path("enrollments/<int:pk>/end/", views.enrollment_end, name="enrollment_end"),
    path("enrollments/<int:pk>/withdraw/", views.enrollment_withdraw,
         name="enrollment_withdraw"),
    # The waiting lists, and one measure's waiting figures for the referral form.
    path("waiting/", views.waiting_lists, name="waiting_lists"),
    path("wait-info/", views.measure_wait_info, name="measure_wait_info"),
    # Provider staff: the participants in their own measures, proposals and reports.
    path("provider/", provider_views.provider_participants, name="provider_participants"),
    path("provider/enrollments/<int:pk>/", provider_views.provider_enrollment,
         name="provider_enrollment"),
    path("provider/enrollments/<int:pk>/propose/<slug:kind>/", provider_views.provider_propose,
         name="provider_propose"),
    path("provider/enrollments/<int:pk>/reports/", provider_views.provider_report_create,
         name="provider_report_create"),
    # The case worker's answer to a proposal.
    path("proposals/<int:pk>/accept/", views.proposal_accept, name="proposal_accept"),
    path("proposals/<int:pk>/reject/", views.proposal_reject, name="proposal_reject"),
]
