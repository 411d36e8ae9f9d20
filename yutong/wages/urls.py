from django.urls import path

from . import views

app_name = "wages"

urlpatterns = [
    path("projects/<int:pk>/safeguards/", views.safeguards, name="safeguards"),
    path("projects/<int:pk>/payroll/", views.payroll, name="payroll"),
    path("projects/<int:pk>/payroll/template/", views.payroll_template, name="payroll_template"),
    path("projects/<int:pk>/payroll/<str:month>/", views.payroll_month, name="payroll_month"),
    *views.PAYROLL_JOBS.job_urlpatterns("payroll-imports/"),
    path("projects/<int:pk>/notice-board/", views.notice_board, name="notice_board"),
    path("code/<int:pk>/", views.public_code, name="public_code"),
    path("code/<int:pk>/qr.svg", views.public_qr, name="public_qr"),
    path("settings/", views.settings_page, name="settings"),
    path("settings/edit/", views.SettingsEdit.as_view(), name="settings_edit"),
    path("settings/rules/<str:code>/", views.RuleEdit.as_view(), name="rule_edit"),
]
