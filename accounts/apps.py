from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Organisations, users and audit"

    def ready(self) -> None:
        from . import schema, signals  # noqa: F401  (OpenAPI auth schemes; sign-in events to the audit log)
