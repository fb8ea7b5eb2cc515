from django.apps import AppConfig


class SatisfactionConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "satisfaction"
    verbose_name = "Satisfaction"

    def ready(self) -> None:
        # The "resolved" email is written by notifications, which knows no ratings: this app
        # hands it the rating link to carry, made when the email is written.
        from notifications.emails import delivery_context_register
        from notifications.models import Kind

        from .links import rating_email_context

        delivery_context_register(Kind.RESOLVED, rating_email_context)
