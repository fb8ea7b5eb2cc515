from django.apps import AppConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPDefaultConfig


class TwoFactorConfig(AppConfig):
    default = True
    name = "twofactor"
    verbose_name = "Two-factor sign-in"


class AuthenticatorAppsConfig(TOTPDefaultConfig):
    """django-otp's TOTP devices, under a heading the admin can show to people."""

    verbose_name = "Two-factor sign-in"
