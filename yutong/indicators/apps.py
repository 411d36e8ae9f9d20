from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "yutong.indicators"
    label = "indicators"
    verbose_name = "主要指标"

    @staticmethod
    def nav_items(user):
        return []

    @staticmethod
    def system_items(user):
        return []

    @staticmethod
    def home_cards(user):
        return []
