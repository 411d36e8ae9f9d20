from django.urls import path

from . import personal_views, shell_views, views

app_name = "core"

urlpatterns = [
    path("messages/", shell_views.MessageList.as_view(), name="message_list"),
    path("messages/read-all/", shell_views.message_read_all, name="message_read_all"),
    path("messages/<int:pk>/open/", shell_views.message_open, name="message_open"),
    path("search/", shell_views.search, name="search"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.UserEdit.as_view(), name="user_create"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/edit/", views.UserEdit.as_view(), name="user_edit"),
    path("users/<int:pk>/<slug:action>/", views.user_action, name="user_action"),
    path("tokens/", views.TokenList.as_view(), name="token_list"),
    path("two-factor/", views.two_factor_roles, name="two_factor_roles"),
    path("login/otp/", views.login_otp, name="login_otp"),
    path("login/enrol/", views.login_enrol, name="login_enrol"),
    path("account/", views.account, name="account"),
    path("account/password/", views.password_change, name="password_change"),
    path("account/two-factor/", views.account_enrol, name="account_enrol"),
    path("account/revoke-token/", views.account_revoke_token, name="account_revoke_token"),
    path("units/", views.UnitList.as_view(), name="unit_list"),
    path("organisations/", views.OrganisationList.as_view(), name="organisation_list"),
    path("calendar/", views.calendar, name="calendar"),
    path("parameters/", views.ParameterList.as_view(), name="parameter_list"),
    path("audit/", views.audit_list, name="audit_list"),
    path("logins/", views.login_list, name="login_list"),
    path("reveal/<slug:key>/<int:pk>/", personal_views.reveal, name="reveal_personal"),
]
