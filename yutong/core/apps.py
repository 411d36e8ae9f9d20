from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "yutong.core"
    label = "core"
    verbose_name = "平台基础"

    def ready(self) -> None:
        from . import auth, holidays  # noqa: F401  (auth connects the login signal handlers)

        holidays.install()
