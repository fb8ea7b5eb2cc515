from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    name = "approvals"
    verbose_name = "Approvals"

    def ready(self) -> None:
        # Notifications is the lower app: it renders approval emails and asks here for the link,
        # which is a credential and so is made when the email is written, never stored.
        from notifications.emails import DELIVERY_CONTEXT
        from notifications.models import Kind

        from .links import link_context

        DELIVERY_CONTEXT[Kind.APPROVAL_ASKED] = link_context
