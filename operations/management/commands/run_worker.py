"""The scheduled worker: what must happen on time without a visitor or an editor asking.

Every minute it runs Wagtail's `publish_scheduled`: pages (and snippets) whose scheduled time
has come go live, with their fallback pages in every language, and those past their expiry are
unpublished. The visibility rule (home/visibility.py) already keeps an expired page and the
fallback pages of a scheduled one from visitors; the worker makes the pages' state, the admin and
the search index follow within the minute. On the same tick it retries the search index
updates that failed (`retry_index_updates`), and once a day it prunes the search query log
(`prune_query_log`) and the finished tasks of the task worker (`prune_db_task_results`).

`make run` starts it beside the development server; in production it runs as a process of
its own from the same image (docs/operations.md). One worker per site is enough; a second one
does no harm (each publication is one transaction).
"""

import io
import logging
import signal
import threading

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection
from django.utils import timezone
from django_tasks import task_backends
from django_tasks_db import DatabaseBackend
from wagtail.models import PageLogEntry

logger = logging.getLogger("procura.worker")

# What Wagtail's audit log says of scheduled publishing and expiry.
SCHEDULED_ACTIONS = {
    "wagtail.publish.scheduled": "published at its scheduled time",
    "wagtail.unpublish.scheduled": "unpublished at its expiry",
}


def publish_scheduled():
    """Wagtail's scheduled publishing and expiry; what it did, if anything, is logged (as
    Wagtail's audit log has it)."""
    started = timezone.now()
    call_command("publish_scheduled", stdout=io.StringIO())
    done = PageLogEntry.objects.filter(
        timestamp__gte=started, action__in=SCHEDULED_ACTIONS
    ).values_list("action", "label", "page_id")
    for action, label, page_id in done:
        logger.info("%s (page %s): %s", label, page_id, SCHEDULED_ACTIONS[action])


def retry_index_updates():
    """Search index updates that failed (the engine could not be reached), retried."""
    call_command("retry_index_updates", stdout=io.StringIO())


_pruned_on = {}

# Days a finished task of the task worker is kept (failed ones with their traceback).
TASK_RESULT_DAYS = 7


def daily(command, *args):
    """Run a management command at most once a day."""
    today = timezone.localdate()
    if _pruned_on.get(command) != today:
        call_command(command, *args, stdout=io.StringIO())
        _pruned_on[command] = today


def prune_query_log():
    """Visitors' queries past their retention (SEARCH_QUERY_LOG_DAYS), once a day."""
    daily("prune_query_log")


def prune_task_results():
    """Finished tasks of the task worker past a week, once a day (when tasks are queued in
    the database: settings.TASKS)."""
    if not isinstance(task_backends["default"], DatabaseBackend):
        return
    daily(
        "prune_db_task_results",
        f"--min-age-days={TASK_RESULT_DAYS}",
        f"--failed-min-age-days={TASK_RESULT_DAYS}",
    )


JOBS = [publish_scheduled, retry_index_updates, prune_query_log, prune_task_results]


class Command(BaseCommand):
    help = (
        "Run the scheduled jobs (publishing and expiry, search index retries; the query log's"
        " pruning daily) every minute, until stopped."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval", type=float, default=60.0, help="Seconds between runs (default 60)."
        )
        parser.add_argument("--once", action="store_true", help="Run the jobs once and stop.")

    def handle(self, *args, interval, once, **options):
        stop = threading.Event()
        if not once and threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGINT, signal.SIGTERM):
                signal.signal(signum, lambda *_args: stop.set())
            logger.info("Worker started: scheduled jobs every %g s", interval)
        while True:
            run_jobs()
            if once or stop.wait(interval):
                break


def run_jobs():
    for job in JOBS:
        try:
            job()
        except Exception:
            # One failing run must not stop the worker: the next run tries again.
            logger.exception("Scheduled job %s failed", job.__name__)
        finally:
            # As after a request: a connection past its age or broken is let go (not inside
            # a transaction of the caller's, as in the tests).
            if not connection.in_atomic_block:
                close_old_connections()
