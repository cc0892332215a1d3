"""Benchmarks (not part of the tests): see docs/benchmarks.md."""

import os
import time


def setup_django():
    """Django with the development settings, DEBUG off (no query log growing in memory)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "procura.settings.dev")
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    django.setup()


def python_speed():
    """Seconds for a 10-million-step loop: these shared machines' speed varies by day and by
    the hour, so each run's results are read beside it (docs/benchmarks.md)."""
    started = time.perf_counter()
    total = 0
    for step in range(10_000_000):
        total += step
    return time.perf_counter() - started
