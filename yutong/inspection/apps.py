from django.apps import AppConfig


class InspectionConfig(AppConfig):
    name = "yutong.inspection"
    label = "inspection"
    verbose_name = "劳动保障监察"

    @staticmethod
    def nav_items(user):
        return []

    @staticmethod
    def system_items(user):
        return []

    @staticmethod
    def home_cards(user):
        return []
