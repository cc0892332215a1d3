"""Switches that hold for the current thread while a block of code runs."""

import threading
from contextlib import contextmanager


class ThreadSwitch:
    """True for the current thread inside `with switch.on():`, false elsewhere; a block
    nested in another gives back the state it found."""

    def __init__(self):
        self._local = threading.local()

    def __bool__(self):
        return getattr(self._local, "on", False)

    @contextmanager
    def on(self):
        previous = bool(self)
        self._local.on = True
        try:
            yield
        finally:
            self._local.on = previous
