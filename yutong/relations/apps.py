from django.apps import AppConfig


class RelationsConfig(AppConfig):
    name = "yutong.relations"
    label = "relations"
    verbose_name = "集体劳动关系"

    @staticmethod
    def nav_items(user):
        return []

    @staticmethod
    def system_items(user):
        return []

    @staticmethod
    def home_cards(user):
        return []
