from django.apps import AppConfig


class WagesConfig(AppConfig):
    name = "yutong.wages"
    label = "wages"
    verbose_name = "根治欠薪"

    @staticmethod
    def nav_items(user):
        return []

    @staticmethod
    def system_items(user):
        return []

    @staticmethod
    def home_cards(user):
        return []
