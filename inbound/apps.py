from django.apps import AppConfig


class InboundConfig(AppConfig):
    name = "inbound"
    verbose_name = "Email in"

    def ready(self) -> None:
        # Notifications sit below this app: it is told where replies go, rather than asking.
        from notifications.emails import reply_address_provide

        from .tokens import notification_reply_address

        reply_address_provide(notification_reply_address)
