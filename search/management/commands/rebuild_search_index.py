"""Rebuild the public search index from every live page, with progress."""

import time

from django.core.management.base import BaseCommand

from search.engines import get_engine
from search.indexing import rebuild


class Command(BaseCommand):
    help = "Empty the public search index and index every live page again."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="processes sharing the work on PostgreSQL (default: one per CPU)",
        )

    def handle(self, *args, batch_size, workers, **options):
        engine = get_engine()
        self.stdout.write(f"Rebuilding the search index ({engine.name})…")
        started = time.monotonic()

        def progress(done_pages, total_pages, entries):
            percent = 100 * done_pages // max(total_pages, 1)
            self.stdout.write(f"  {done_pages}/{total_pages} pages ({percent}%), {entries} indexed")

        count = rebuild(
            batch_size=batch_size,
            progress=progress if options["verbosity"] else None,
            workers=workers,
        )
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Indexed {count} pages in {elapsed:.1f}s."))
