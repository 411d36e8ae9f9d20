from django.urls import path

from . import views

app_name = "wages"

urlpatterns = [
    path("projects/<int:pk>/safeguards/", views.safeguards, name="safeguards"),
    path("projects/<int:pk>/payroll/", views.payroll, name="payroll"),
    path("projects/<int:pk>/payroll/template/", views.payroll_template, name="payroll_template"),
    path("projects/<int:pk>/payroll/<str:month>/", views.payroll_month, name="payroll_month"),
    path("projects/<int:pk>/notice-board/", views.notice_board, name="notice_board"),
    path("payroll-imports/<int:pk>/", views.payroll_job, name="payroll_job"),
    path("payroll-imports/<int:pk>/commit/", views.payroll_job_commit, name="payroll_job_commit"),
    path("payroll-imports/<int:pk>/cancel/", views.payroll_job_cancel, name="payroll_job_cancel"),
    path("payroll-imports/<int:pk>/retry/", views.payroll_job_retry, name="payroll_job_retry"),
    path("payroll-imports/<int:pk>/errors/", views.payroll_job_errors, name="payroll_job_errors"),
    path("code/<int:pk>/", views.public_code, name="public_code"),
    path("code/<int:pk>/qr.svg", views.public_qr, name="public_qr"),
    path("settings/", views.settings_page, name="settings"),
    path("settings/edit/", views.SettingsEdit.as_view(), name="settings_edit"),
    path("settings/rules/<str:code>/", views.RuleEdit.as_view(), name="rule_edit"),
]
