"""Benchmarks (not part of the tests): see docs/benchmarks.md."""

import os


def setup_django():
    """Django with the development settings, DEBUG off (no query log growing in memory)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "procura.settings.dev")
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    django.setup()
