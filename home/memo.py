"""Answers remembered per process: things every public page asks that hardly ever change.

Sites, locales, page addresses, taxonomy names, the queries with editors' picks: each is set
up by editors now and then, yet read many times a request. A `Memo` keeps such answers in
this process, and every process forgets them when a model they depend on is saved or deleted
anywhere (`forget_on`):

- the change bumps the memo's generation in Django's cache (Redis in production, shared by
  every worker) once its transaction commits, and each process compares its copy's
  generation with that at most once a second (`check_every`);
- the process that makes the change forgets at once too, and again at the commit, so that
  none of its requests keeps what the transaction had not yet committed.

Where the cache is each process's own (local memory, the default of a first run), another
process's change is seen when the memo's time (a minute) runs out; so it is where the cache
cannot be reached, which is logged and otherwise borne. `size` bounds how many answers are
kept (1,000 unless given; set it to what is needed where the keys come from visitors, host
names say): past it the memo starts afresh. No memo grows without bound.
"""

import logging
import re
import time

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

logger = logging.getLogger(__name__)


class Generation:
    """A counter in Django's cache that says when something last changed: bumped once the
    transaction that changed it commits, read by every process that keeps an answer
    depending on it (a `Memo`, the menus of home/menus.py)."""

    def __init__(self, name):
        self.key = "generation:" + re.sub(r"[^a-z0-9]+", "-", name.lower())

    def bump_on_commit(self, **kwargs):
        """Bump now, for the requests of this transaction, and again once it commits, for
        what another process worked out from the rows before the commit (also a signal
        receiver)."""
        self.bump()
        transaction.on_commit(self.bump)

    def bump(self):
        try:
            try:
                cache.incr(self.key)
            except ValueError:  # no generation yet
                cache.set(self.key, 1, timeout=None)
        except Exception:
            logger.warning("The cache could not be told of a change (%s)", self.key)

    def current(self):
        """The generation now, or None where the cache cannot be reached."""
        try:
            return cache.get(self.key, 0)
        except Exception:
            logger.warning("The cache could not be asked for changes (%s)", self.key)
            return None


class Memo:
    """A per-process table of remembered answers (see the module's docstring)."""

    every = []  # each memo made, so that tests can start from empty ones

    def __init__(self, name, seconds=60, size=1_000, check_every=1.0):
        self.name = name
        self.seconds = seconds
        self.size = size
        self.check_every = check_every
        self.changes = Generation("memo " + name)
        self.entries = {}
        self.loaded = None
        self.generation = None
        self.checked = None
        Memo.every.append(self)

    def __repr__(self):
        return f"<Memo {self.name}: {len(self.entries)} entries>"

    def forget(self, **kwargs):
        """Forget every answer here and now, and in every process once the transaction
        commits (also a signal receiver: it takes the signal's arguments)."""
        self.forget_here()
        transaction.on_commit(self._forget_everywhere)

    def forget_here(self):
        """Forget every answer in this process only."""
        self.entries = {}
        self.loaded = None

    def start_afresh(self):
        """Forget every answer in this process, and the generation last seen, as a process
        just started would: its first answer compares the generation in the cache at once."""
        self.forget_here()
        self.generation = None
        self.checked = None

    def _forget_everywhere(self):
        self.changes.bump()
        self.forget_here()
        self.checked = None

    def _check_generation(self, now):
        if self.checked is not None and now - self.checked < self.check_every:
            return
        self.checked = now
        generation = self.changes.current()
        if generation is not None and generation != self.generation:
            self.forget_here()
            self.generation = generation

    def get(self, key, compute):
        """The answer remembered under `key`, else `compute()`'s, remembered."""
        now = time.monotonic()
        self._check_generation(now)
        if self.loaded is None or now - self.loaded > self.seconds:
            self.entries = {}
            self.loaded = now
        try:
            return self.entries[key]
        except KeyError:
            pass
        if len(self.entries) >= self.size:
            self.entries = {}
        value = self.entries[key] = compute()
        return value

    def forget_on(self, *senders, when=None):
        """Forget everything when any of these models (every model, where none is given) is
        saved or deleted; `when(instance)` narrows it down."""

        def receiver(sender, instance, **kwargs):
            if when is None or when(instance):
                self.forget()

        for sender in senders or (None,):
            uid = f"memo:{id(self)}:{sender._meta.label if sender else '*'}"
            post_save.connect(receiver, sender=sender, weak=False, dispatch_uid=uid)
            post_delete.connect(receiver, sender=sender, weak=False, dispatch_uid=uid)
