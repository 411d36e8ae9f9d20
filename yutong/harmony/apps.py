from django.apps import AppConfig


class HarmonyConfig(AppConfig):
    name = "yutong.harmony"
    label = "harmony"
    verbose_name = "和谐创建"

    @staticmethod
    def nav_items(user):
        return []

    @staticmethod
    def system_items(user):
        return []

    @staticmethod
    def home_cards(user):
        return []
