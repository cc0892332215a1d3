"""Retry the search index updates that failed (the scheduled worker runs it every minute)."""

from django.core.management.base import BaseCommand

from search.indexing import retry_pending


class Command(BaseCommand):
    help = "Retry search index updates that failed, oldest first; clear those done."

    def handle(self, *args, **options):
        done, left = retry_pending()
        if done or left:
            self.stdout.write(f"{done} pending index update(s) done, {left} left.")
