from django.apps import AppConfig


class SocialConfig(AppConfig):
    name = "social"
    verbose_name = "Company accounts"

    def ready(self) -> None:
        # What approvals does once an access request or an exception is decided, and what
        # follows a deactivation: the lower apps call back into the registry.
        from accounts.services import deactivation_followers

        from .access_requests import approval_kinds_register
        from .offboarding import offboard_on_deactivation

        approval_kinds_register()
        from tickets import hooks

        from .incidents import account_restore_after

        hooks.on_resolved(account_restore_after)
        deactivation_followers.append(offboard_on_deactivation)
