"""Answers remembered per process: things every public page asks that hardly ever change.

Sites, locales, page addresses, taxonomy names, the queries with editors' picks: each is
set up by editors now and then, yet read many times a request. A `Memo` keeps such answers in
this process for a while (a minute), and forgets them at once when a model it depends on is
saved or deleted in this process (`forget_on`). A change made in another process (another
worker of the same site) is seen here when the memo's time runs out.

Where the keys come from visitors (host names, say), `size` bounds how many are kept: past
it the memo starts afresh.
"""

import time

from django.db.models.signals import post_delete, post_save


class Memo:
    """A per-process table of remembered answers (see the module's docstring)."""

    every = []  # each memo made, so that tests can start from empty ones

    def __init__(self, name, seconds=60, size=None):
        self.name = name
        self.seconds = seconds
        self.size = size
        self.entries = {}
        self.loaded = None
        Memo.every.append(self)

    def __repr__(self):
        return f"<Memo {self.name}: {len(self.entries)} entries>"

    def forget(self, **kwargs):
        """Forget every answer (also a signal receiver: it takes the signal's arguments)."""
        self.entries = {}
        self.loaded = None

    def get(self, key, compute):
        """The answer remembered under `key`, else `compute()`'s, remembered."""
        now = time.monotonic()
        if self.loaded is None or now - self.loaded > self.seconds:
            self.entries = {}
            self.loaded = now
        try:
            return self.entries[key]
        except KeyError:
            pass
        if self.size is not None and len(self.entries) >= self.size:
            self.entries = {}
        value = self.entries[key] = compute()
        return value

    def forget_on(self, *senders, when=None):
        """Forget everything when any of these models (every model, where none is given) is
        saved or deleted in this process; `when(instance)` narrows it down."""

        def receiver(sender, instance, **kwargs):
            if when is None or when(instance):
                self.forget()

        for sender in senders or (None,):
            uid = f"memo:{id(self)}:{sender._meta.label if sender else '*'}"
            post_save.connect(receiver, sender=sender, weak=False, dispatch_uid=uid)
            post_delete.connect(receiver, sender=sender, weak=False, dispatch_uid=uid)
