from django.apps import AppConfig


class MacrosConfig(AppConfig):
    name = "macros"
    verbose_name = "Macros"

    def ready(self) -> None:
        from . import events  # noqa: F401  (registers the macro kind of ticket history)
