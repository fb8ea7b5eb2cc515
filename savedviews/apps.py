from django.apps import AppConfig


class SavedViewsConfig(AppConfig):
    name = "savedviews"
    verbose_name = "Saved views"

    def ready(self) -> None:
        from tickets import hooks

        from .selectors import desk_start

        hooks.on_desk_start(desk_start)
