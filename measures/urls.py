from django.urls import path

from . import views

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
]
