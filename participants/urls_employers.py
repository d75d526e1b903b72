"""The employer pages and job development (included by participants/urls.py, in the
``participants`` namespace)."""

from django.urls import path

from .views import employers

urlpatterns = [
    path("employers/", employers.employer_list, name="employer_list"),
    path("employers/new/", employers.employer_create, name="employer_create"),
    path("employers/choices/", employers.employer_choices, name="employer_choices"),
    path("employers/<int:pk>/", employers.employer_detail, name="employer_detail"),
    path("employers/<int:pk>/edit/", employers.employer_edit, name="employer_edit"),
    path("employers/<int:pk>/contacts/", employers.job_development_contacts,
         name="job_development_contacts"),
    path("employers/<int:pk>/contacts/new/", employers.job_development_contact_create,
         name="job_development_contact_create"),
    path("employers/contacts/<int:pk>/edit/", employers.job_development_contact_edit,
         name="job_development_contact_edit"),
    path("caseload/team/job-development/", employers.job_development_weeks,
         name="job_development_weeks"),
]
