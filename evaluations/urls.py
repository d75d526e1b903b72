from django.urls import path

from . import export_views, import_views, views

app_name = "evaluations"

urlpatterns = [
    path("projects/", views.project_list, name="project_list"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/refresh/", views.dashboard_refresh, name="dashboard_refresh"),
    path("dashboard/custom/", views.custom_period_create, name="custom_period_create"),
    path("dashboard/custom/<int:pk>/", views.custom_period, name="custom_period"),
    path("definitions/", views.indicator_definitions, name="indicator_definitions"),
    path("problems/", views.problem_reports, name="problem_reports"),
    path("problems/new/", views.problem_report_create, name="problem_report_create"),
    path("problems/<int:pk>/", views.problem_report_detail, name="problem_report_detail"),
    path("reports/", export_views.export_list, name="export_list"),
    path("reports/report/", export_views.report_request_create, name="report_request_create"),
    path("reports/extract/", export_views.extract_request_create,
         name="extract_request_create"),
    path("reports/<int:pk>/", export_views.export_detail, name="export_detail"),
    path("reports/<int:pk>/download/", export_views.export_download, name="export_download"),
    path("imports/", import_views.import_list, name="import_list"),
    path("imports/<int:pk>/", import_views.import_detail, name="import_detail"),
    path("imports/<int:pk>/confirm/", import_views.import_confirm, name="import_confirm"),
    path("imports/<int:pk>/cancel/", import_views.import_cancel, name="import_cancel"),
]
