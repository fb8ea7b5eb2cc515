from django.apps import AppConfig


class ChecklistsConfig(AppConfig):
    name = "checklists"
    verbose_name = "Checklists"

    def ready(self) -> None:
        from tickets import hooks

        from . import events  # noqa: F401  (registers the checklist kinds of ticket history)
        from .services import checklist_attach_for, checklist_still_to_do

        hooks.on_filed(checklist_attach_for)
        hooks.on_resolution_check(checklist_still_to_do)
