from django.apps import AppConfig


class SecurityConfig(AppConfig):
    """Login throttling (django-axes) with its lockout page and unlock view, and the security
    headers of every response (Content-Security-Policy, Permissions-Policy)."""

    name = "security"
