from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "yutong.core"
    label = "core"
    verbose_name = "平台基础"

    def ready(self) -> None:
        from . import audit, auth, holidays  # noqa: F401  (auth connects the login signal handlers)

        holidays.install()
        audit.discover_labels()
        self._append_only()

    def _append_only(self) -> None:
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from . import appendonly

        connection_created.connect(appendonly.allow_flush, dispatch_uid="yutong_allow_flush")
        post_migrate.connect(appendonly.after_migrate, sender=self, dispatch_uid="yutong_append")
