from django.urls import path

from . import views

app_name = "evaluations"

urlpatterns = [
    path("projects/", views.project_list, name="project_list"),
    path("problems/", views.problem_reports, name="problem_reports"),
    path("problems/new/", views.problem_report_create, name="problem_report_create"),
    path("problems/<int:pk>/", views.problem_report_detail, name="problem_report_detail"),
]
