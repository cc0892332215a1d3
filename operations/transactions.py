"""An editor's action in the admin is one database transaction.

Wagtail's admin views write in several steps: a publish saves the page, its revision, then
each of its fallback pages in the other 23 languages, each in a transaction of its own. Made
one transaction, as Django's ATOMIC_REQUESTS would make it:

- an action that fails half-way leaves nothing half-done (a page published in some languages
  and not in others);
- the work queued for after the change (search and reference index tasks, cache purges; see
  search/indexing.py and home/cache.py) is written with it and runs once, after the commit;
- the database commits once, not once per fallback page.

ATOMIC_REQUESTS itself would also wrap every visitor's page view; only the admin's writes
need it.
"""

from django.db import transaction
from django.urls import reverse

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class AtomicAdminActionsMiddleware:
    """Runs the view of any unsafe request under the admin in `transaction.atomic()`.

    It wraps the view, not the middleware chain, as ATOMIC_REQUESTS does: an exception rolls
    the transaction back before it is turned into an error page. Listed after the middleware
    whose `process_view` must run first (CSRF, the translators' permissions)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = None

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if self.prefix is None:
            self.prefix = reverse("wagtailadmin_home")
        if request.method in SAFE_METHODS or not request.path_info.startswith(self.prefix):
            return None
        if getattr(view_func, "_non_atomic_requests", None):
            return None
        with transaction.atomic():
            return view_func(request, *view_args, **view_kwargs)
