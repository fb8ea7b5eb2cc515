from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "People"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects the audit trail to the sign-in signals)
