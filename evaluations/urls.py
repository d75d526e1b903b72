from django.urls import path

from . import views

app_name = "evaluations"

urlpatterns = [
    path("projects/", views.project_list, name="project_list"),
]
