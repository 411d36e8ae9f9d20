from django.urls import path

from . import calculator_views

app_name = "disputes"

urlpatterns = [
    path("calculator/", calculator_views.calculator_page, name="calculator"),
]
