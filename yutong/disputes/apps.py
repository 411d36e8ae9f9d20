from django.apps import AppConfig


class DisputesConfig(AppConfig):
    name = "yutong.disputes"
    label = "disputes"
    verbose_name = "争议调解仲裁"
