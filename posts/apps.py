from django.apps import AppConfig


class PostsConfig(AppConfig):
    name = "posts"
    verbose_name = "Content review"

    def ready(self) -> None:
        from tickets import hooks

        from . import events  # noqa: F401  (registers the content review kind of ticket history)
        from .selectors import resolve_by

        hooks.on_resolve_by(resolve_by)
