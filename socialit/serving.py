"""What a process that serves people must have, beyond what management commands need."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def refuse_development_key() -> None:
    """Anyone who knows the checkout's key could sign sessions and reset links: not in production."""
    if not settings.DEBUG and settings.SECRET_KEY == settings.DEVELOPMENT_SECRET_KEY:
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for a local desk).")
