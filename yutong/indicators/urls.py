from django.urls import path

from . import report_views, settings_views, views

app_name = "indicators"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("card/", views.dashboard_card, name="dashboard_card"),
    path("league/", views.league, name="league"),
    path("trend/", views.trend, name="trend"),
    path("map/", views.map_page, name="map"),
    path("drill/", views.drill, name="drill"),
    path("drill/export/", views.drill_export, name="drill_export"),
    # reports: on request (workbook, PDF) and the monthly ones built in the background
    path("reports/", report_views.report_list, name="report_list"),
    path("reports/workbook/", report_views.workbook, name="report_workbook"),
    path("reports/pdf/", report_views.pdf, name="report_pdf"),
    path("reports/request/", report_views.request_report, name="report_request"),
    path("reports/<int:pk>/download/", report_views.download, name="report_download"),
    # settings and targets (city administrators)
    path("settings/", settings_views.settings_page, name="settings"),
    path("settings/<slug:code>/options/", settings_views.update_options, name="settings_options"),
    path("settings/<slug:code>/targets/", settings_views.set_target, name="settings_target"),
    path(
        "settings/targets/<int:pk>/remove/",
        settings_views.remove_target,
        name="settings_target_remove",
    ),
]
