from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running the site: backups and restores, the task and schedule worker, a cache that
    survives a Redis outage, one transaction per admin action, the smoke test's URLs."""

    name = "operations"
    verbose_name = "Operations"
