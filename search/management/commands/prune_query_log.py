"""Forget visitors' queries older than SEARCH_QUERY_LOG_DAYS (the scheduled worker runs it
once a day)."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from search.models import QueryLog


class Command(BaseCommand):
    help = "Delete the query log's days older than SEARCH_QUERY_LOG_DAYS (default 180)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="days kept, today included (default: the SEARCH_QUERY_LOG_DAYS setting)",
        )

    def handle(self, *args, days, **options):
        days = settings.SEARCH_QUERY_LOG_DAYS if days is None else days
        if days < 1:
            raise CommandError("At least one day is kept (--days 1: today's queries)")
        oldest_kept = timezone.localdate() - datetime.timedelta(days=days - 1)
        deleted, _by_model = QueryLog.objects.filter(day__lt=oldest_kept).delete()
        if deleted:
            self.stdout.write(f"{deleted} query log row(s) before {oldest_kept} deleted.")
